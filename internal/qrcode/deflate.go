package qrcode

import (
	"encoding/binary"
	"math/bits"
)

// The image data of a QR code PNG is mostly runs (modules are whole bytes
// of 0x00 or 0xff at 8 pixels per module) and rows that repeat the row
// above (Up-filtered to zeros). rowDeflater compresses it with a small
// LZ77 that looks only for such repeats and codes the result with
// deflate's fixed Huffman codes (RFC 1951 section 3.2.6). That takes no
// tables to set up and no allocation, so a code costs a few tens of
// microseconds instead of a general compressor's set-up and hashing. The
// output is a valid zlib stream for any rows; the tests decode it with
// compress/zlib.

// Deflate's length and distance codes: the symbol, its extra bits and
// the first value it stands for.
var (
	lenSym   [259]uint16 // by match length 3..258
	lenExtra [29]uint8
	lenBase  [29]uint16
	distBase [30]uint16
	distBits [30]uint8
)

func init() {
	base := 3
	for i := range 28 {
		extra := 0
		if i >= 8 {
			extra = (i - 4) / 4
		}
		lenBase[i], lenExtra[i] = uint16(base), uint8(extra)
		for l := base; l < base+1<<extra && l < 258; l++ {
			lenSym[l] = uint16(257 + i)
		}
		base += 1 << extra
	}
	lenBase[28], lenSym[258] = 258, 285
	base = 1
	for i := range 30 {
		extra := 0
		if i >= 4 {
			extra = i/2 - 1
		}
		distBase[i], distBits[i] = uint16(base), uint8(extra)
		base += 1 << extra
	}
}

// bitWriter packs deflate's bits, least significant first.
type bitWriter struct {
	out []byte
	acc uint64
	n   uint
}

func (w *bitWriter) bits(v uint64, n uint) {
	w.acc |= v << w.n
	w.n += n
	for w.n >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.n -= 8
	}
}

// lit writes literal/length symbol sym with the fixed code.
func (w *bitWriter) lit(sym int) {
	c := fixedLit[sym]
	w.bits(uint64(c.rev), uint(c.n))
}

// fixedCode is a fixed Huffman code, bits already reversed.
type fixedCode struct {
	rev uint16
	n   uint8
}

// fixedLit holds deflate's fixed literal/length codes.
var fixedLit = func() (t [288]fixedCode) {
	for sym := range t {
		var code, n int
		switch {
		case sym < 144:
			code, n = 0x30+sym, 8
		case sym < 256:
			code, n = 0x190+sym-144, 9
		case sym < 280:
			code, n = sym-256, 7
		default:
			code, n = 0xc0+sym-280, 8
		}
		t[sym] = fixedCode{uint16(bits.Reverse16(uint16(code)) >> (16 - n)), uint8(n)}
	}
	return t
}()

func (w *bitWriter) match(length, dist int) {
	sym := int(lenSym[length])
	w.lit(sym)
	if e := lenExtra[sym-257]; e > 0 {
		w.bits(uint64(length-int(lenBase[sym-257])), uint(e))
	}
	d := 29
	for d > 0 && int(distBase[d]) > dist {
		d--
	}
	w.bits(uint64(bits.Reverse8(uint8(d))>>3), 5) // fixed 5-bit code, sent most significant bit first
	if e := distBits[d]; e > 0 {
		w.bits(uint64(dist-int(distBase[d])), uint(e))
	}
}

// matchLen returns how many leading bytes of cur equal those of prev
// (which may overlap cur: deflate copies byte by byte), comparing eight
// at a time where the two do not overlap within the word.
func matchLen(prev, cur []byte) int {
	n := 0
	for n+8 <= len(cur) && n+8 <= len(prev) {
		x := binary.LittleEndian.Uint64(prev[n:]) ^ binary.LittleEndian.Uint64(cur[n:])
		if x != 0 {
			return n + bits.TrailingZeros64(x)/8
		}
		n += 8
	}
	for n < len(cur) && n < len(prev) && prev[n] == cur[n] {
		n++
	}
	return n
}

// maxMatch and maxDist are deflate's limits.
const (
	maxMatch = 258
	maxDist  = 32768
)

// rowDeflater writes the zlib stream of a PNG's scanlines as they come,
// in one final deflate block with fixed codes: literal rows (filter 0)
// are coded byte by byte with matches for runs (distance 1) and for
// stretches equal to the previous literal row; runs of Up rows (filter 2,
// then zeros) are coded from their known pattern, a few matches for any
// number of rows. The Adler-32 checksum is kept on the way, the Up rows'
// part computed rather than summed byte by byte.
type rowDeflater struct {
	w       bitWriter
	stride  int // bytes of a scanline after its filter byte
	a, b    uint32
	pos     int    // bytes written so far
	prevLit []byte // the previous literal row
	prevPos int    // where it started
	lastUp  bool   // the last row written was an Up row: copy the pattern
}

const adlerMod = 65521

func newRowDeflater(dst []byte, stride int) *rowDeflater {
	// CMF 0x78: deflate with a 32 KiB window; FLG 0x01: fastest level, no
	// dictionary, and (0x78<<8|0x01) is a multiple of 31.
	d := &rowDeflater{w: bitWriter{out: append(dst, 0x78, 0x01)}, stride: stride, a: 1}
	d.w.bits(1, 1) // BFINAL
	d.w.bits(1, 2) // BTYPE 01: fixed Huffman codes
	return d
}

// literalRow writes row (its filter byte first) as it is.
func (d *rowDeflater) literalRow(row []byte) {
	dist := d.pos - d.prevPos
	usePrev := d.prevLit != nil && dist <= maxDist && len(d.prevLit) == len(row)
	for i := 0; i < len(row); {
		limit := min(len(row)-i, maxMatch)
		best, bestDist := 0, 0
		if i > 0 && row[i] == row[i-1] {
			best, bestDist = matchLen(row[i-1:], row[i:i+limit]), 1
		}
		if usePrev && best < limit && row[i] == d.prevLit[i] {
			if l := matchLen(d.prevLit[i:], row[i:i+limit]); l > best {
				best, bestDist = l, dist
			}
		}
		if best >= 3 {
			d.w.match(best, bestDist)
			i += best
			continue
		}
		d.w.lit(int(row[i]))
		i++
	}
	a, b := uint64(d.a), uint64(d.b)
	for _, c := range row {
		a += uint64(c)
		b += a
	}
	d.a, d.b = uint32(a%adlerMod), uint32(b%adlerMod) // a row is at most 4097 bytes: no overflow
	d.prevLit, d.prevPos = row, d.pos
	d.pos += len(row)
	d.lastUp = false
}

// upRows writes n Up rows: a 2, then stride zeros, each.
func (d *rowDeflater) upRows(n int) {
	if n <= 0 {
		return
	}
	rowLen := 1 + d.stride
	rest := n * rowLen
	if !d.lastUp || rowLen > maxDist {
		// The first Up row after a literal one: a 2, a 0, then a run of
		// zeros.
		d.w.lit(2)
		d.w.lit(0)
		d.copyRun(d.stride-1, 1, 1)
		rest -= rowLen
	}
	// The rest repeat the previous Up row, one row length back.
	d.copyRun(rest, rowLen, 0)
	for range n {
		d.a = (d.a + 2) % adlerMod
		d.b = (d.b + d.a) % adlerMod
		d.b = uint32((uint64(d.b) + uint64(d.stride)*uint64(d.a)) % adlerMod)
	}
	d.pos += n * rowLen
	d.lastUp = true
}

// copyRun writes n bytes that repeat the bytes dist back, as matches of
// at most 258 bytes and at least 3. Fewer than 3 bytes are written as
// literals: at offset off+i into an Up row pattern (0 is the filter byte).
func (d *rowDeflater) copyRun(n, dist, off int) {
	if dist > maxDist {
		for i := range n {
			d.w.lit(upPattern(off+i, d.stride))
		}
		return
	}
	for n >= 3 {
		l := min(n, maxMatch)
		if r := n - l; r > 0 && r < 3 {
			l = n - 3
		}
		d.w.match(l, dist)
		n -= l
		off += l
	}
	for i := range n {
		d.w.lit(upPattern(off+i, d.stride))
	}
}

// upPattern is the byte at offset i of a run of Up rows.
func upPattern(i, stride int) int {
	if i%(1+stride) == 0 {
		return 2
	}
	return 0
}

// finish ends the block and appends the checksum.
func (d *rowDeflater) finish() []byte {
	d.w.lit(256) // end of block
	if d.w.n > 0 {
		d.w.bits(0, 8-d.w.n)
	}
	return binary.BigEndian.AppendUint32(d.w.out, d.b<<16|d.a)
}
