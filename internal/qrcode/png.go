package qrcode

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"runtime"
)

// ErrImageSize is wrapped by PNG's error for a module size below 1, a
// negative quiet zone or an image wider than MaxPNGWidth pixels.
var ErrImageSize = errors.New("invalid QR code image size")

// MaxPNGWidth is the widest PNG image (in pixels) that PNG writes.
const MaxPNGWidth = 1 << 15

// pngZlibLevel is the compression level of the image data. The rows
// that repeat the one above are filtered to zeros, so the fastest level
// compresses them almost as well as the best one (TestPNGCompression
// compares) at a fraction of the time.
const pngZlibLevel = zlib.BestSpeed

// pngScratch is what one PNG call needs besides its result: the
// scanlines and a zlib writer, whose set-up (1.2 MB of compressor state,
// about 0.3 ms) costs several times more than compressing a code's image.
type pngScratch struct {
	lit, prev []byte // this and the previous literal scanline, filter byte included
	up        []byte // an Up-filtered scanline: filter 2, then zeros
	mrow      []bool // one module row with its quiet zone
	z         bytes.Buffer
	zw        *zlib.Writer
}

// pngFree is a bounded free list of scratch space, one per processor, as
// more PNG calls than that do not run at once. It is not a sync.Pool,
// which drops its contents at every garbage collection: a bulk run that
// renders thousands of codes, and collects often, would set up a new
// zlib writer for most of them.
var pngFree = make(chan *pngScratch, runtime.GOMAXPROCS(0))

func getPNGScratch() *pngScratch {
	select {
	case s := <-pngFree:
		s.z.Reset()
		s.zw.Reset(&s.z)
		return s
	default:
		s := &pngScratch{}
		s.zw, _ = zlib.NewWriterLevel(&s.z, pngZlibLevel) // the level is valid
		return s
	}
}

func putPNGScratch(s *pngScratch) {
	select {
	case pngFree <- s:
	default: // the list is full; the garbage collector takes it
	}
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// PNG renders the code as a black-on-white 1-bit grayscale PNG image with
// modulePixels pixels per module and a light quiet zone of quiet modules
// on every side (the standard asks for at least 4). The image is
// (Size+2·quiet)·modulePixels pixels square and the output depends only
// on the code and the arguments. The error wraps ErrImageSize for a
// modulePixels below 1, a negative quiet zone or an image wider than
// MaxPNGWidth.
func (c *Code) PNG(modulePixels, quiet int) ([]byte, error) {
	if modulePixels < 1 || quiet < 0 || quiet > MaxPNGWidth || modulePixels > MaxPNGWidth ||
		(c.Size+2*quiet)*modulePixels > MaxPNGWidth {
		return nil, fmt.Errorf("qrcode: %w: %d pixels per module, quiet zone %d, %d modules", ErrImageSize, modulePixels, quiet, c.Size)
	}
	modules := c.Size + 2*quiet
	width := modules * modulePixels
	stride := (width + 7) / 8 // bytes per row, without the filter byte

	s := getPNGScratch()
	defer putPNGScratch(s)

	// Scanlines: a filter byte, then 1 bit per pixel, most significant
	// bit first, 1 for white. A pixel row equal to the one above it (all
	// but the first of each module row, and module rows repeating the
	// previous one) uses filter 2 (Up), which leaves only zeros after the
	// filter byte; every other row uses filter 0 (None). The rows go
	// straight into the compressor, so the image is never held whole.
	s.lit = grow(s.lit, 1+stride)
	s.prev = grow(s.prev, 1+stride)
	lit, prev := s.lit, s.prev
	s.mrow = grow(s.mrow, modules)
	mrow := s.mrow
	clear(mrow) // the quiet zone columns stay false
	s.up = grow(s.up, 1+stride)
	clear(s.up)
	s.up[0] = 2 // Up
	// Writing to a bytes.Buffer does not fail, nor does the zlib writer
	// on top of it.
	zw := s.zw
	upRows := func(n int) {
		for range n {
			_, _ = zw.Write(s.up)
		}
	}
	havePrev := false
	for my := range modules {
		if y := my - quiet; y >= 0 && y < c.Size {
			r := &c.rows[y]
			for x := range c.Size {
				mrow[quiet+x] = r.get(x)
			}
		} else {
			clear(mrow)
		}
		clear(lit)
		c.pixelRow(lit[1:], mrow, modulePixels)
		if havePrev && bytes.Equal(prev[1:], lit[1:]) {
			upRows(modulePixels) // the same pixels again
			continue
		}
		_, _ = zw.Write(lit)
		upRows(modulePixels - 1)
		lit, prev = prev, lit
		havePrev = true
	}
	_ = zw.Close()

	out := make([]byte, 0, len(pngSignature)+25+12+s.z.Len()+12)
	out = append(out, pngSignature...)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(width))
	ihdr[8] = 1  // bit depth
	ihdr[9] = 0  // colour type: grayscale
	ihdr[10] = 0 // compression: zlib deflate
	ihdr[11] = 0 // filter method: adaptive
	ihdr[12] = 0 // no interlace
	out = appendChunk(out, "IHDR", ihdr[:])
	out = appendChunk(out, "IDAT", s.z.Bytes())
	out = appendChunk(out, "IEND", nil)
	return out, nil
}

// pixelRow writes one row of pixels for the modules of mrow (true is
// dark) into row, which is zero: a white pixel is a 1 bit.
func (c *Code) pixelRow(row []byte, mrow []bool, modulePixels int) {
	if modulePixels%8 == 0 {
		// Whole bytes per module.
		n := modulePixels / 8
		for i, dark := range mrow {
			if !dark {
				b := row[i*n : (i+1)*n]
				for j := range b {
					b[j] = 0xff
				}
			}
		}
		return
	}
	px := 0
	for _, dark := range mrow {
		if dark {
			px += modulePixels
			continue
		}
		for range modulePixels {
			row[px>>3] |= 0x80 >> (px & 7)
			px++
		}
	}
}

// appendChunk appends a PNG chunk: length, type, data and the CRC-32 of
// type and data.
func appendChunk(out []byte, typ string, data []byte) []byte {
	out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
	start := len(out)
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
}

// grow returns b resized to n, reallocated only when too small; the
// contents are not kept.
func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}
