package qrcode

import "sync"

// A layout is what every symbol of one version shares, computed once per
// version on first use: the function patterns, the order in which
// codeword bits fill the remaining modules, and the eight data masks.
type layout struct {
	size int
	// fn and fnT are the dark function-pattern modules (finders, timing,
	// alignment patterns, the dark module and the version information)
	// by row and by column. The format information, which depends on the
	// mask, is not included.
	fn, fnT []line
	// pos lists the data modules in the order codeword bits fill them
	// (ISO/IEC 18004 7.7.3), as y<<8 | x; the last few are remainder
	// bits.
	pos []uint16
	// bits lists the same modules as bit numbers in the rows' and the
	// columns' words, 3 per line: y·192+x+lineOffset in the low 16 bits
	// and x·192+y+lineOffset in the high ones.
	bits []uint32
	// mask[m] and maskT[m] are the data modules that mask m inverts, by
	// row and by column.
	mask, maskT [8][]line
	// pm are the penalty rules' windows for this size.
	pm penaltyMasks
}

var layouts [41]struct {
	once sync.Once
	l    *layout
}

// layoutFor returns the layout of version 1 to 40.
func layoutFor(version int) *layout {
	e := &layouts[version]
	e.once.Do(func() { e.l = newLayout(version) })
	return e.l
}

// maskFuncs are the data mask conditions of ISO/IEC 18004 table 10 for
// row y and column x: the module is inverted where the condition holds.
var maskFuncs = [8]func(y, x int) bool{
	func(y, x int) bool { return (y+x)%2 == 0 },
	func(y, x int) bool { return y%2 == 0 },
	func(y, x int) bool { return x%3 == 0 },
	func(y, x int) bool { return (y+x)%3 == 0 },
	func(y, x int) bool { return (y/2+x/3)%2 == 0 },
	func(y, x int) bool { return y*x%2+y*x%3 == 0 },
	func(y, x int) bool { return (y*x%2+y*x%3)%2 == 0 },
	func(y, x int) bool { return ((y+x)%2+y*x%3)%2 == 0 },
}

// alignmentCenters returns the row and column coordinates of the
// alignment pattern centres of a version (ISO/IEC 18004 annex E): from 6
// to size-7, evenly spaced by an even step, the first gap taking up the
// rest; version 32 is the one exception to the rounding.
func alignmentCenters(version int) []int {
	if version == 1 {
		return nil
	}
	size := 4*version + 17
	n := version/7 + 2
	step := 26
	if version != 32 {
		gaps := 2 * (n - 1)
		step = (size - 13 + gaps - 1) / gaps * 2
	}
	c := make([]int, n)
	c[0] = 6
	for i := n - 1; i >= 1; i-- {
		c[i] = size - 7 - (n-1-i)*step
	}
	return c
}

// versionInfo returns the 18-bit version information of version 7 to 40:
// the version in the top 6 bits and a BCH(18,6) remainder of generator
// x¹²+x¹¹+x¹⁰+x⁹+x⁸+x⁵+x²+1 (0x1f25).
func versionInfo(version int) uint32 {
	return uint32(version)<<12 | bchRemainder(uint32(version)<<12, 0x1f25, 12)
}

// formatInfo returns the 15 bits of format information for a level and
// mask: the 5 data bits with a BCH(15,5) remainder of generator
// x¹⁰+x⁸+x⁵+x⁴+x²+x+1 (0x537), XORed with 0x5412.
func formatInfo(level Level, mask int) uint32 {
	data := formatECBits[level]<<3 | uint32(mask)
	return (data<<10 | bchRemainder(data<<10, 0x537, 10)) ^ 0x5412
}

// bchRemainder returns v modulo the generator polynomial gen of degree
// deg, over GF(2).
func bchRemainder(v, gen uint32, deg int) uint32 {
	for b := 31; b >= deg; b-- {
		if v>>b&1 != 0 {
			v ^= gen << (b - deg)
		}
	}
	return v
}

func newLayout(version int) *layout {
	size := 4*version + 17
	l := &layout{size: size, pm: newPenaltyMasks(size)}
	isFn := make([]bool, size*size)
	dark := make([]bool, size*size)
	set := func(x, y int, d bool) {
		isFn[y*size+x] = true
		dark[y*size+x] = d
	}
	// Timing patterns first: the finders and alignment patterns drawn
	// later cover their ends.
	for i := range size {
		set(6, i, i%2 == 0)
		set(i, 6, i%2 == 0)
	}
	// Finder patterns with their light separators.
	for _, c := range [][2]int{{3, 3}, {size - 4, 3}, {3, size - 4}} {
		for dy := -4; dy <= 4; dy++ {
			for dx := -4; dx <= 4; dx++ {
				x, y := c[0]+dx, c[1]+dy
				if x < 0 || y < 0 || x >= size || y >= size {
					continue
				}
				d := max(abs(dx), abs(dy))
				set(x, y, d != 2 && d != 4)
			}
		}
	}
	// Alignment patterns, except where they would overlap a finder.
	ac := alignmentCenters(version)
	for i, cy := range ac {
		for j, cx := range ac {
			if (i == 0 && j == 0) || (i == 0 && j == len(ac)-1) || (i == len(ac)-1 && j == 0) {
				continue
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					set(cx+dx, cy+dy, max(abs(dx), abs(dy)) != 1)
				}
			}
		}
	}
	// Format information areas, reserved here and drawn per mask, and
	// the dark module.
	for i := range 9 {
		if i != 6 { // the timing patterns cross there
			set(8, i, false)
			set(i, 8, false)
		}
	}
	for i := range 8 {
		set(size-1-i, 8, false)
		set(8, size-1-i, false)
	}
	set(8, size-8, true)
	// Version information: bit i at (size-11+i%3, i/3) and transposed.
	if version >= 7 {
		vi := versionInfo(version)
		for i := range 18 {
			d := vi>>i&1 != 0
			a, b := size-11+i%3, i/3
			set(a, b, d)
			set(b, a, d)
		}
	}

	l.fn, l.fnT = make([]line, size), make([]line, size)
	for y := range size {
		for x := range size {
			if dark[y*size+x] {
				l.fn[y].set(x)
				l.fnT[x].set(y)
			}
		}
	}

	// The data modules, in two-module-wide columns from the right,
	// alternately upwards and downwards, skipping the vertical timing
	// pattern.
	l.pos = make([]uint16, 0, rawDataModules(version))
	for right := size - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5
		}
		upward := (right+1)&2 == 0
		for i := range size {
			y := i
			if upward {
				y = size - 1 - i
			}
			for x := right; x >= right-1; x-- {
				if !isFn[y*size+x] {
					l.pos = append(l.pos, uint16(y)<<8|uint16(x))
				}
			}
		}
	}

	l.bits = make([]uint32, len(l.pos))
	for i, p := range l.pos {
		y, x := uint32(p>>8), uint32(p&0xff)
		l.bits[i] = y*192 + x + lineOffset | (x*192+y+lineOffset)<<16
	}

	for m, f := range maskFuncs {
		l.mask[m], l.maskT[m] = make([]line, size), make([]line, size)
		for _, p := range l.pos {
			y, x := int(p>>8), int(p&0xff)
			if f(y, x) {
				l.mask[m][y].set(x)
				l.maskT[m][x].set(y)
			}
		}
	}
	return l
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
