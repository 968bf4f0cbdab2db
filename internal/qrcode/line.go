package qrcode

import "math/bits"

// A line is one row (or, transposed, one column) of a symbol as a bit set:
// module x is bit x+lineOffset, counted from the least significant bit of
// w0 (bits 64 to 127 are w1, 128 to 191 w2). The bits below lineOffset
// and above the symbol are always zero, so a line carries its own light
// quiet zone of at least four modules on either side; 177 modules
// (version 40) plus 2×4 fit in 192 bits. It is a struct rather than an
// array so that the compiler keeps its words in registers.
type line struct{ w0, w1, w2 uint64 }

// lineOffset is the bit of module 0 in a line.
const lineOffset = 4

// word returns a pointer to word i (0 to 2).
func (a *line) word(i int) *uint64 {
	switch i {
	case 0:
		return &a.w0
	case 1:
		return &a.w1
	}
	return &a.w2
}

// get reports whether module x is dark.
func (a *line) get(x int) bool {
	b := x + lineOffset
	return *a.word(b >> 6)>>(b&63)&1 != 0
}

// set makes module x dark.
func (a *line) set(x int) {
	b := x + lineOffset
	*a.word(b >> 6) |= 1 << (b & 63)
}

// shr returns the line moved k (1 to 63) bits down: bit x of the result is
// bit x+k of a.
func (a line) shr(k uint) line {
	return line{a.w0>>k | a.w1<<(64-k), a.w1>>k | a.w2<<(64-k), a.w2 >> k}
}

// shl returns the line moved k (1 to 63) bits up: bit x of the result is
// bit x-k of a (zero for x < k).
func (a line) shl(k uint) line {
	return line{a.w0 << k, a.w1<<k | a.w0>>(64-k), a.w2<<k | a.w1>>(64-k)}
}

func (a line) and(b line) line    { return line{a.w0 & b.w0, a.w1 & b.w1, a.w2 & b.w2} }
func (a line) or(b line) line     { return line{a.w0 | b.w0, a.w1 | b.w1, a.w2 | b.w2} }
func (a line) andNot(b line) line { return line{a.w0 &^ b.w0, a.w1 &^ b.w1, a.w2 &^ b.w2} }
func (a line) xor(b line) line    { return line{a.w0 ^ b.w0, a.w1 ^ b.w1, a.w2 ^ b.w2} }
func (a line) not() line          { return line{^a.w0, ^a.w1, ^a.w2} }

// eq returns the bits where a and b are equal.
func (a line) eq(b line) line { return line{^(a.w0 ^ b.w0), ^(a.w1 ^ b.w1), ^(a.w2 ^ b.w2)} }

func (a line) count() int {
	return bits.OnesCount64(a.w0) + bits.OnesCount64(a.w1) + bits.OnesCount64(a.w2)
}

func (a line) zero() bool { return a.w0|a.w1|a.w2 == 0 }

// bitRange returns a line with bits lo to hi-1 set.
func bitRange(lo, hi int) line {
	var l line
	for b := lo; b < hi; b++ {
		*l.word(b >> 6) |= 1 << (b & 63)
	}
	return l
}
