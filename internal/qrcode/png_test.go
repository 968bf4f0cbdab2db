package qrcode

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"io"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

type pngChunk struct {
	typ  string
	data []byte
}

// pngChunks splits a PNG into chunks, checking the signature and every
// CRC.
func pngChunks(t *testing.T, b []byte) []pngChunk {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("no PNG signature: % x", b[:min(8, len(b))])
	}
	b = b[8:]
	var cs []pngChunk
	for len(b) > 0 {
		if len(b) < 12 {
			t.Fatalf("truncated chunk")
		}
		n := int(binary.BigEndian.Uint32(b))
		if len(b) < 12+n {
			t.Fatalf("chunk of %d bytes, %d left", n, len(b)-12)
		}
		typ, data := string(b[4:8]), b[8:8+n]
		if crc := binary.BigEndian.Uint32(b[8+n:]); crc != crc32.ChecksumIEEE(b[4:8+n]) {
			t.Fatalf("%s: bad CRC", typ)
		}
		cs = append(cs, pngChunk{typ, data})
		b = b[12+n:]
	}
	return cs
}

// checkPNG decodes a PNG of c with image/png and checks its format and
// every pixel against the modules, and returns the image.
func checkPNG(t *testing.T, c *Code, img []byte, mp, quiet int) image.Image {
	t.Helper()
	cs := pngChunks(t, img)
	if len(cs) != 3 || cs[0].typ != "IHDR" || cs[1].typ != "IDAT" || cs[2].typ != "IEND" {
		var typs []string
		for _, c := range cs {
			typs = append(typs, c.typ)
		}
		t.Fatalf("chunks %v, want IHDR IDAT IEND", typs)
	}
	w := (c.Size + 2*quiet) * mp
	ihdr := cs[0].data
	if len(ihdr) != 13 || binary.BigEndian.Uint32(ihdr) != uint32(w) || binary.BigEndian.Uint32(ihdr[4:]) != uint32(w) ||
		ihdr[8] != 1 || ihdr[9] != 0 || ihdr[12] != 0 {
		t.Fatalf("IHDR % x, want %d×%d 1-bit grayscale, not interlaced", ihdr, w, w)
	}
	// Filters: None or Up only, and an Up row is all zeros.
	zr, err := zlib.NewReader(bytes.NewReader(cs[1].data))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	stride := 1 + (w+7)/8
	if len(raw) != w*stride {
		t.Fatalf("%d bytes of scanlines, want %d", len(raw), w*stride)
	}
	none := 0
	for y := range w {
		row := raw[y*stride : (y+1)*stride]
		switch row[0] {
		case 0:
			none++
		case 2:
			if bytes.Count(row[1:], []byte{0}) != len(row)-1 {
				t.Fatalf("row %d: Up filter with non-zero bytes", y)
			}
		default:
			t.Fatalf("row %d: filter %d", y, row[0])
		}
	}
	// Only the first pixel row of a module row that differs from the
	// module row above is unfiltered.
	bm, differ := c.Bitmap(quiet), 0
	for y := range bm {
		if y == 0 || !slices.Equal(bm[y], bm[y-1]) {
			differ++
		}
	}
	if none != differ {
		t.Errorf("%d rows unfiltered, want %d (the module rows that differ from the one above)", none, differ)
	}

	im, err := png.Decode(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	if b := im.Bounds(); b != image.Rect(0, 0, w, w) {
		t.Fatalf("bounds %v, want %d×%d", b, w, w)
	}
	if im.ColorModel() != color.GrayModel {
		t.Errorf("colour model %v, want gray", im.ColorModel())
	}
	gray, _ := im.(*image.Gray)
	for y := range w {
		for x := range w {
			var g uint8
			if gray != nil {
				g = gray.Pix[y*gray.Stride+x]
			} else {
				g = color.GrayModel.Convert(im.At(x, y)).(color.Gray).Y
			}
			dark := c.Dark(x/mp-quiet, y/mp-quiet)
			if (dark && g != 0) || (!dark && g != 255) {
				t.Fatalf("pixel (%d,%d) is %d, module dark=%v", x, y, g, dark)
			}
		}
	}
	return im
}

// decodeImage reads a QR code from an image with gozxing's detector.
func decodeImage(t *testing.T, img image.Image) []byte {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("gozxing cannot read the image: %v", err)
	}
	return bytes.Join(res.GetResultMetadata()[gozxing.ResultMetadataType_BYTE_SEGMENTS].([][]byte), nil)
}

func TestPNG(t *testing.T) {
	for _, tc := range []struct {
		data      []byte
		level     Level
		mp, quiet int
	}{
		{benchPayload, L, 8, 4},
		{[]byte("hello"), M, 8, 4},
		{[]byte("hello"), H, 1, 0},
		{[]byte("odd sizes"), Q, 3, 1},
		{[]byte("two bytes per module"), L, 16, 2},
		{bytes.Repeat([]byte("version 7+"), 16), M, 5, 4},
		{bytes.Repeat([]byte{0xa5}, 1200), L, 4, 4},
	} {
		c, err := Encode(tc.data, tc.level)
		if err != nil {
			t.Fatal(err)
		}
		b, err := c.PNG(tc.mp, tc.quiet)
		if err != nil {
			t.Fatal(err)
		}
		im := checkPNG(t, c, b, tc.mp, tc.quiet)
		if tc.quiet >= 4 && tc.mp >= 4 {
			if got := decodeImage(t, im); !bytes.Equal(got, tc.data) {
				t.Errorf("the PNG decodes to %q, want %q", got, tc.data)
			}
		}
		again, _ := c.PNG(tc.mp, tc.quiet)
		c2, _ := Encode(tc.data, tc.level)
		third, _ := c2.PNG(tc.mp, tc.quiet)
		if !bytes.Equal(b, again) || !bytes.Equal(b, third) {
			t.Errorf("%d bytes: the PNG is not deterministic", len(tc.data))
		}
	}
}

func TestPNGSizeErrors(t *testing.T) {
	c, err := Encode([]byte("x"), L)
	if err != nil {
		t.Fatal(err)
	}
	tooWide := MaxPNGWidth/c.Size + 1
	for _, a := range [][2]int{{0, 4}, {-1, 4}, {8, -1}, {tooWide, 0}, {1, MaxPNGWidth}, {1 << 40, 1 << 40}} {
		if _, err := c.PNG(a[0], a[1]); !errors.Is(err, ErrImageSize) {
			t.Errorf("PNG(%d, %d): err = %v, want ErrImageSize", a[0], a[1], err)
		}
	}
}

// TestPNGCompression: the image data of an 8-pixel-per-module code,
// compressed at pngZlibLevel, is at most a twentieth of its raw size and
// within 2x of compress/zlib's best compression (which takes 80 times
// longer).
func TestPNGCompression(t *testing.T) {
	c, err := Encode(benchPayload, L)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.PNG(8, 4)
	if err != nil {
		t.Fatal(err)
	}
	idat := pngChunks(t, b)[1].data
	zr, err := zlib.NewReader(bytes.NewReader(idat))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var best bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&best, zlib.BestCompression)
	zw.Write(raw)
	zw.Close()
	if len(idat)*20 > len(raw) || len(idat) > 2*best.Len() {
		t.Errorf("image data: %d bytes raw, %d ours, %d at zlib's best compression", len(raw), len(idat), best.Len())
	}
	t.Logf("image data: %d bytes raw, %d ours, %d at zlib's best compression", len(raw), len(idat), best.Len())
}

// FuzzPNG: for any data, level, module size and quiet zone, the image
// is a valid PNG (compress/zlib and image/png decode it, checksum
// included) whose every pixel matches the code's modules.
func FuzzPNG(f *testing.F) {
	f.Add([]byte("hello"), uint8(0), uint8(8), uint8(4))
	f.Add([]byte("x"), uint8(3), uint8(1), uint8(0))
	f.Add(bytes.Repeat([]byte{0xa5}, 300), uint8(1), uint8(13), uint8(7))
	f.Fuzz(func(t *testing.T, data []byte, level, mp, quiet uint8) {
		c, err := Encode(data, Level(level%4))
		if err != nil {
			return // too long
		}
		m, q := int(mp%24)+1, int(quiet%9)
		b, err := c.PNG(m, q)
		if err != nil {
			t.Fatal(err)
		}
		checkPNG(t, c, b, m, q)
	})
}

// TestPNGLargeModules covers what the fuzzer's sizes do not reach: the
// largest code and long rows.
func TestPNGLargeModules(t *testing.T) {
	for _, tc := range []struct {
		data      []byte
		mp, quiet int
	}{
		{bytes.Repeat([]byte("v40 "), 730), 9, 4}, // version 40: 185 modules, 1,665 pixels
		{bytes.Repeat([]byte{0x5a}, 2000), 1, 0},  // no Up rows inside module rows
		{bytes.Repeat([]byte("run"), 50), 24, 0},  // 3 bytes per module
	} {
		c, err := Encode(tc.data, L)
		if err != nil {
			t.Fatal(err)
		}
		b, err := c.PNG(tc.mp, tc.quiet)
		if err != nil {
			t.Fatalf("%d modules × %d px: %v", c.Size, tc.mp, err)
		}
		checkPNG(t, c, b, tc.mp, tc.quiet)
	}
}

// TestPNGKeepsWriters: the zlib writers survive garbage collections (a
// sync.Pool would drop them, and a bulk run that collects often would
// set up a 1.2 MB compressor for most codes), and concurrent calls each
// get their own.
func TestPNGKeepsWriters(t *testing.T) {
	c, err := Encode(benchPayload, L)
	if err != nil {
		t.Fatal(err)
	}
	want, err := c.PNG(8, 4)
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	for range 3 {
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc
		b, err := c.PNG(8, 4)
		runtime.ReadMemStats(&ms)
		if err != nil || !bytes.Equal(b, want) {
			t.Fatalf("after a collection: err %v, same bytes %v", err, bytes.Equal(b, want))
		}
		if n := ms.TotalAlloc - before; n > 64<<10 {
			t.Fatalf("a PNG after a collection allocated %d bytes: the zlib writer was not kept", n)
		}
	}

	var wg sync.WaitGroup
	errs := make(chan error, 4*runtime.GOMAXPROCS(0))
	for range cap(errs) {
		wg.Go(func() {
			for range 20 {
				b, err := c.PNG(8, 4)
				if err == nil && !bytes.Equal(b, want) {
					err = errors.New("different bytes")
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
