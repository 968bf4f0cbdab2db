package qrcode

import (
	"encoding/binary"
	"hash/adler32"
	"math/bits"
)

// The image data of a QR code PNG is mostly runs (modules are whole bytes
// of 0x00 or 0xff at 8 pixels per module) and rows that repeat the row
// above (Up-filtered to zeros). appendZlib compresses it with a small
// LZ77 that looks only for those two things, at distance 1 (a run) and at
// one scanline back, and codes the result with deflate's fixed Huffman
// codes (RFC 1951 section 3.2.6). That takes no tables to set up and no
// allocation, so a code costs a few tens of microseconds instead of a
// general compressor's set-up and hashing. The output is a valid zlib
// stream for any input; the tests decode it with compress/zlib.

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

// huff writes a Huffman code of n bits, which deflate sends most
// significant bit first.
func (w *bitWriter) huff(code uint32, n uint) {
	var r uint32
	for range n {
		r = r<<1 | code&1
		code >>= 1
	}
	w.bits(uint64(r), n)
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
	w.huff(uint32(d), 5)
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

// appendZlib appends the zlib stream of raw to dst: one final deflate
// block with fixed codes, with matches at distance 1 (runs), row (the
// length of one scanline, filter byte included) and moduleRow (one row of
// modules back: the finder patterns and the quiet zone repeat there),
// each when it is at most 32 KiB.
func appendZlib(dst, raw []byte, row, moduleRow int) []byte {
	// CMF 0x78: deflate with a 32 KiB window; FLG 0x01: fastest level, no
	// dictionary, and (0x78<<8|0x01) is a multiple of 31.
	w := bitWriter{out: append(dst, 0x78, 0x01)}
	w.bits(1, 1) // BFINAL
	w.bits(1, 2) // BTYPE 01: fixed Huffman codes
	dists := [3]int{1, row, moduleRow}
	for i, d := range dists {
		if d > maxDist || d < 1 {
			dists[i] = 1
		}
	}
	for i := 0; i < len(raw); {
		best, bestDist := 0, 0
		limit := min(len(raw)-i, maxMatch)
		for _, d := range dists {
			if d > i || best == limit || raw[i] != raw[i-d] {
				continue
			}
			if l := matchLen(raw[i-d:], raw[i:i+limit]); l > best {
				best, bestDist = l, d
			}
		}
		if best >= 3 {
			w.match(best, bestDist)
			i += best
			continue
		}
		w.lit(int(raw[i]))
		i++
	}
	w.lit(256) // end of block
	if w.n > 0 {
		w.bits(0, 8-w.n)
	}
	return binary.BigEndian.AppendUint32(w.out, adler32.Checksum(raw))
}
