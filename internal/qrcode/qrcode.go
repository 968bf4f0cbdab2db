// Package qrcode encodes bytes as QR codes (QR Code Model 2, ISO/IEC
// 18004) and renders them as module bitmaps or as small 1-bit PNG images.
//
// Data is always encoded in byte mode, so any bytes (typically UTF-8
// text or JSON) round-trip unchanged. Byte mode means ISO-8859-1 unless
// an ECI says otherwise, so text that is valid UTF-8 and not pure ASCII
// gets an ECI designator 26 (UTF-8) before its segment: scanners then
// show "Jürgen", not "JÃ¼rgen" or "J羹rgen". Encode picks the smallest version
// (1 to 40) that holds the data at the requested error correction level
// and the data mask with the lowest penalty score. Encoding is
// deterministic: the same data and level always give the same code and
// the same PNG bytes (for one Go release: the PNG's image data is
// compressed with compress/zlib, whose output a release may change).
//
// The encoder is written here rather than taken from a library.
// github.com/skip2/go-qrcode, which mailsetup used before, with image/png
// took about 30 times longer per code (BenchmarkEncodePNG runs both),
// which bulk runs rendering thousands of codes feel, and its mask penalty
// departs from ISO/IEC 18004 7.8.3, so it picks another mask than the
// standard's for about one symbol in six (TestMatchesGoQRCode). It stays
// a test dependency, as an oracle, beside gozxing's decoder and encoder.
package qrcode

import (
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"
)

// Level is an error correction level: the share of the codewords that
// may be lost or damaged and still be recovered.
type Level int

// The four error correction levels, from the least to the most
// redundant.
const (
	L Level = iota // L recovers about 7% of the codewords.
	M              // M recovers about 15% of the codewords.
	Q              // Q recovers about 25% of the codewords.
	H              // H recovers about 30% of the codewords.
)

// String returns the level's letter, or Level(n) for an invalid level.
func (l Level) String() string {
	if l >= L && l <= H {
		return "LMQH"[l : l+1]
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// ErrTooLong is wrapped by Encode's error when the data does not fit in a
// version 40 symbol at the requested level.
var ErrTooLong = errors.New("data too long for a QR code")

// ErrLevel is wrapped by Encode's error for an error correction level
// other than L, M, Q and H.
var ErrLevel = errors.New("invalid error correction level")

// Capacity returns the most bytes that a symbol of the given version (1
// to 40) and level holds, or 0 if either is out of range. It is the
// capacity for data without an ECI (ASCII, or bytes that are not valid
// UTF-8); UTF-8 text with other characters holds one byte less, taken
// by the ECI designator.
func Capacity(version int, level Level) int {
	if version < 1 || version > 40 || level < L || level > H {
		return 0
	}
	return capacityTable[level][version]
}

// capacity is Capacity for data with (eci) or without the UTF-8 ECI
// designator: its 12 bits and the byte mode's 4-bit indicator fill two
// codewords, so the data starts on a codeword and the 4-bit terminator
// may be left out when the symbol is full; one byte less either way.
func capacity(version int, level Level, eci bool) int {
	if eci {
		return capacityTable[level][version] - 1
	}
	return capacityTable[level][version]
}

// needsECI reports whether data is UTF-8 text that a scanner would read
// wrongly without the UTF-8 ECI: valid UTF-8 with a byte above 0x7f.
// ASCII data is encoded without an ECI, byte for byte as before, and so
// is binary data that is not UTF-8.
func needsECI(data []byte) bool {
	for _, b := range data {
		if b >= utf8.RuneSelf {
			return utf8.Valid(data)
		}
	}
	return false
}

// Code is an encoded QR code symbol. Its fields describe the symbol and
// must not be changed.
type Code struct {
	// Size is the number of modules on each side, 4·Version+17, without
	// the quiet zone.
	Size int
	// Version is the symbol version, 1 to 40.
	Version int
	// Level is the error correction level.
	Level Level
	// Mask is the data mask pattern, 0 to 7.
	Mask int

	rows []line
}

// Encode encodes data in byte mode at the given error correction level,
// in the smallest version that holds it; UTF-8 text that is not pure
// ASCII is preceded by the UTF-8 ECI designator (see the package
// comment). The error wraps ErrTooLong when the data does not fit (see
// Capacity with version 40) and ErrLevel for an invalid level.
func Encode(data []byte, level Level) (*Code, error) {
	if level < L || level > H {
		return nil, fmt.Errorf("qrcode: %w: %d", ErrLevel, int(level))
	}
	eci := needsECI(data)
	for v := 1; v <= 40; v++ {
		if len(data) <= capacity(v, level, eci) {
			return encode(data, level, v, -1), nil
		}
	}
	return nil, fmt.Errorf("qrcode: %d bytes: %w (at most %d at level %v)", len(data), ErrTooLong, capacity(40, level, eci), level)
}

// Dark reports whether the module in column x and row y is dark; (0, 0)
// is the top left module. Modules outside the symbol (the quiet zone)
// are light.
func (c *Code) Dark(x, y int) bool {
	if x < 0 || y < 0 || x >= c.Size || y >= c.Size {
		return false
	}
	return c.rows[y].get(x)
}

// Bitmap returns the symbol with a light quiet zone of quiet modules on
// every side (the standard asks for 4): bitmap[y][x] is true for a dark
// module. A negative quiet is taken as 0.
func (c *Code) Bitmap(quiet int) [][]bool {
	quiet = max(quiet, 0)
	n := c.Size + 2*quiet
	cells := make([]bool, n*n)
	bm := make([][]bool, n)
	for y := range bm {
		bm[y] = cells[y*n : (y+1)*n : (y+1)*n]
	}
	for y := range c.Size {
		row := bm[y+quiet][quiet:]
		for x := range c.Size {
			row[x] = c.rows[y].get(x)
		}
	}
	return bm
}

// codewords returns the final codeword sequence of data in a symbol of
// the given version and level: the data codewords (the UTF-8 ECI when
// needsECI, the byte mode segment, terminator, padding) split into blocks, each block's error correction
// codewords appended, both interleaved across blocks (ISO/IEC 18004
// 7.4 to 7.6).
func codewords(data []byte, level Level, version int) []byte {
	total := totalCodewords(version)
	nd := dataCodewords(version, level)
	ecLen := int(ecCodewordsPerBlock[level][version])
	nb := int(ecBlocks[level][version])

	// buf holds the data codewords, then the blocks' error correction
	// codewords one block after the other, then the result.
	buf := make([]byte, nd+nb*ecLen+total)
	dc, ec, out := buf[:nd], buf[nd:nd+nb*ecLen], buf[nd+nb*ecLen:]

	// Mode indicator 0100 (byte), the character count, the bytes, then
	// the 4-bit terminator: the header is 12 or 20 bits, so each data
	// byte straddles two codewords and the terminator completes the last
	// one.
	i := 0
	if needsECI(data) {
		// ECI mode 0111, designator 26 in 8 bits (00011010), byte mode
		// 0100: two whole codewords, so the count and the bytes are
		// aligned. The terminator and the bits that complete its
		// codeword are one zero codeword, left out when the symbol is
		// full (ISO/IEC 18004 7.4.9).
		dc[0], dc[1] = 0x71, 0xa4
		i = 2
		if charCountBits(version) == 16 {
			dc[i] = byte(len(data) >> 8)
			i++
		}
		dc[i] = byte(len(data))
		i++
		i += copy(dc[i:], data)
		if i < nd {
			dc[i] = 0
			i++
		}
	} else {
		if charCountBits(version) == 8 {
			dc[0] = 0x40 | byte(len(data)>>4)
			i = 1
		} else {
			dc[0] = 0x40 | byte(len(data)>>12)
			dc[1] = byte(len(data) >> 4)
			i = 2
		}
		nib := byte(len(data)) << 4
		for _, b := range data {
			dc[i] = nib | b>>4
			nib = b << 4
			i++
		}
		dc[i] = nib
		i++
	}
	for pad := byte(0xec); i < nd; i++ {
		dc[i] = pad
		pad ^= 0xec ^ 0x11
	}

	// nb blocks: the first ones have short data codewords, the last
	// nd%nb have one more.
	short := nd / nb
	numShort := nb - nd%nb
	off := 0
	for b := range nb {
		n := short
		if b >= numShort {
			n++
		}
		rsRemainder(dc[off:off+n], ec[b*ecLen:(b+1)*ecLen])
		off += n
	}
	k := 0
	for j := 0; j <= short; j++ {
		off := 0
		for b := range nb {
			n := short
			if b >= numShort {
				n++
			}
			if j < n {
				out[k] = dc[off+j]
				k++
			}
			off += n
		}
	}
	for j := range ecLen {
		for b := range nb {
			out[k] = ec[b*ecLen+j]
			k++
		}
	}
	return out
}

// encodeScratch is the working memory of encode, pooled.
type encodeScratch struct {
	words []uint64 // the unmasked data modules as lines' words, rows then columns
	lines []line   // rows, columns, and the masked candidate by row and by column
}

var encodePool = sync.Pool{New: func() any { return new(encodeScratch) }}

// encode builds the symbol of a version that is known to hold data; with
// mask -1 it picks the mask with the lowest penalty, otherwise it uses
// the given one.
func encode(data []byte, level Level, version, mask int) *Code {
	lay := layoutFor(version)
	size := lay.size
	cw := codewords(data, level, version)

	s := encodePool.Get().(*encodeScratch)
	defer encodePool.Put(s)

	// The unmasked data modules, by row and by column (see
	// layout.bits). The remainder bits after the last codeword stay
	// light.
	const lineWords = 3
	if cap(s.words) < 2*size*lineWords {
		s.words = make([]uint64, 2*size*lineWords)
	}
	words := s.words[:2*size*lineWords]
	clear(words)
	colWords := words[size*lineWords:]
	for i, b := range cw {
		if b == 0 {
			continue
		}
		p := lay.bits[i*8 : i*8+8]
		for j := range 8 {
			if b&(0x80>>j) != 0 {
				r, c := p[j]&0xffff, p[j]>>16
				words[r>>6] |= 1 << (r & 63)
				colWords[c>>6] |= 1 << (c & 63)
			}
		}
	}
	if cap(s.lines) < 4*size {
		s.lines = make([]line, 4*size)
	}
	lines := s.lines[:4*size]
	rows, cols, cur, curT := lines[:size], lines[size:2*size], lines[2*size:3*size], lines[3*size:]
	for i := range 2 * size {
		w := words[i*lineWords:]
		lines[i] = line{w[0], w[1], w[2]}
	}

	best := mask
	result := make([]line, size)
	if mask < 0 {
		bestPenalty := 0
		for m := range 8 {
			fi := formatInfo(level, m)
			apply(cur, lay.fn, rows, lay.mask[m])
			setFormat(cur, size, fi, false)
			// The rows' score first; the columns are scored only if
			// that leaves m a chance to beat the best so far.
			dark := 0
			for _, r := range cur {
				dark += r.count()
			}
			n1, n2, n3 := linePenalty(cur, &lay.pm, true)
			p := darkPenalty(dark, size*size) + n1 + n2 + n3
			if m > 0 && p >= bestPenalty {
				continue
			}
			apply(curT, lay.fnT, cols, lay.maskT[m])
			setFormat(curT, size, fi, true)
			n1, _, n3 = linePenalty(curT, &lay.pm, false)
			if p += n1 + n3; m == 0 || p < bestPenalty {
				best, bestPenalty = m, p
				copy(result, cur)
			}
		}
	} else {
		apply(result, lay.fn, rows, lay.mask[mask])
		setFormat(result, size, formatInfo(level, mask), false)
	}
	return &Code{Size: size, Version: version, Level: level, Mask: best, rows: result}
}

// apply sets dst to the function patterns fn with the data modules
// masked by mask.
func apply(dst, fn, data, mask []line) {
	for i := range dst {
		dst[i] = fn[i].or(data[i].xor(mask[i]))
	}
}

// setFormat draws the dark bits of the 15-bit format information fi into
// lines (rows, or columns if transposed): bit 14 first, along row 8 from
// the left and up column 8 from the bottom, and bit 0 first, down column
// 8 from the top and along row 8 from the right (ISO/IEC 18004 7.9.1).
func setFormat(lines []line, size int, fi uint32, transposed bool) {
	set := func(x, y int) {
		if transposed {
			x, y = y, x
		}
		lines[y].set(x)
	}
	for i := range 15 {
		if fi>>i&1 == 0 {
			continue
		}
		// Copy near the top left finder.
		switch {
		case i < 6:
			set(8, i)
		case i < 8:
			set(8, i+1)
		case i == 8:
			set(7, 8)
		default:
			set(14-i, 8)
		}
		// Copy split between the other two finders.
		if i < 8 {
			set(size-1-i, 8)
		} else {
			set(8, size-15+i)
		}
	}
}
