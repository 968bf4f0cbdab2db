package qrcode

// The mask penalty of ISO/IEC 18004 7.8.3, computed on bit-set lines.
//
//   - N1: each run of k ≥ 5 modules of one colour in a row or column
//     scores 3 + (k-5).
//   - N2: each 2×2 block of one colour scores 3 (blocks may overlap).
//   - N3: each dark-light-dark-dark-dark-light-dark pattern (1:1:3:1:1) in
//     a row or column with 4 light modules before it or after it scores
//     40. The light modules may lie outside the symbol, in the quiet
//     zone; a pattern with light on both sides counts once.
//   - N4: 10 for every full 5% by which the share of dark modules
//     deviates from 50%.
const (
	penaltyN1 = 3
	penaltyN2 = 3
	penaltyN3 = 40
	penaltyN4 = 10
)

// penaltyMasks are the lines of positions that a window may start at for
// the run and block rules of one symbol size.
type penaltyMasks struct {
	// run5: windows of 5 modules inside the symbol (x ≤ size-5).
	run5 line
	// block2: windows of 2 modules inside the symbol (x ≤ size-2).
	block2 line
}

func newPenaltyMasks(size int) penaltyMasks {
	return penaltyMasks{
		run5:   bitRange(lineOffset, lineOffset+size-4),
		block2: bitRange(lineOffset, lineOffset+size-1),
	}
}

// linePenalty returns the N1 and N3 penalties of the lines (rows or
// columns) and, when blocks is set, the N2 penalty of consecutive pairs.
func linePenalty(lines []line, pm *penaltyMasks, blocks bool) (n1, n2, n3 int) {
	var prev, prevS1 line
	for i, a := range lines {
		s1, s2, s3, s4 := a.shr(1), a.shr(2), a.shr(3), a.shr(4)
		// e0[x]: modules x and x+1 have the same colour.
		e0 := a.eq(s1)
		// w5[x]: modules x to x+4 have the same colour. A run of k
		// modules has k-4 such windows and one start, so it scores
		// (k-4) + (N1-1) = N1 + (k-5).
		w5 := e0.and(s1.eq(s2)).and(s2.eq(s3)).and(s3.eq(s4)).and(pm.run5)
		if !w5.zero() {
			n1 += w5.count() + (penaltyN1-1)*w5.andNot(w5.shl(1)).count()
		}
		if blocks && i > 0 {
			// Modules x, x+1 of this line and the previous one are
			// equal.
			b := prev.eq(a).and(prevS1.eq(s1)).and(e0).and(pm.block2)
			n2 += b.count() * penaltyN2
		}
		// p[x]: the 1011101 pattern starts at x.
		p := a.andNot(s1).and(s2).and(s3).and(s4).andNot(a.shr(5)).and(a.shr(6))
		if !p.zero() {
			// z[x]: modules x to x+3 are light (outside the symbol
			// is light).
			z := a.or(s1).or(s2).or(s3).not()
			n3 += p.and(z.shl(4).or(z.shr(7))).count() * penaltyN3
		}
		prev, prevS1 = a, s1
	}
	return n1, n2, n3
}

// darkPenalty returns the N4 penalty for dark of total modules.
func darkPenalty(dark, total int) int {
	d := 2*dark - total
	if d < 0 {
		d = -d
	}
	// |dark/total - 1/2| in units of 5% is |2·dark - total|·10/total.
	return d * 10 / total * penaltyN4
}

// penalties returns the four penalties of a symbol given by its rows and
// columns.
func penalties(rows, cols []line, pm *penaltyMasks) [4]int {
	dark := 0
	for _, r := range rows {
		dark += r.count()
	}
	r1, n2, r3 := linePenalty(rows, pm, true)
	c1, _, c3 := linePenalty(cols, pm, false)
	return [4]int{r1 + c1, n2, r3 + c3, darkPenalty(dark, len(rows)*len(rows))}
}
