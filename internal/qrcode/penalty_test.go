package qrcode

import (
	"math/rand/v2"
	"testing"
)

// linesOf returns a bitmap's rows and columns as lines.
func linesOf(bm [][]bool) (rows, cols []line) {
	rows, cols = make([]line, len(bm)), make([]line, len(bm))
	for y, row := range bm {
		for x, d := range row {
			if d {
				rows[y].set(x)
				cols[x].set(y)
			}
		}
	}
	return rows, cols
}

func fastPenalties(bm [][]bool) [4]int {
	rows, cols := linesOf(bm)
	pm := newPenaltyMasks(len(bm))
	return penalties(rows, cols, &pm)
}

func fastPenalty(bm [][]bool) int {
	p := fastPenalties(bm)
	return p[0] + p[1] + p[2] + p[3]
}

func square(n int, dark func(x, y int) bool) [][]bool {
	bm := make([][]bool, n)
	for y := range bm {
		bm[y] = make([]bool, n)
		for x := range bm[y] {
			bm[y][x] = dark(x, y)
		}
	}
	return bm
}

// TestPenaltyRules checks hand-computed scores, rule by rule (N1, N2,
// N3, N4), that pin down how the rules are read.
func TestPenaltyRules(t *testing.T) {
	checker := func(x, y int) bool { return (x+y)%2 == 0 }
	cases := []struct {
		name string
		dark func(x, y int) bool
		want [4]int
	}{
		// 42 runs of 21 score 3+16 each, 20×20 2×2 blocks 3 each, and
		// 0% dark is 10 steps of 5% off.
		{"light", func(x, y int) bool { return false }, [4]int{42 * 19, 400 * 3, 0, 100}},
		// 221 of 441 dark is 50.1%: less than one step.
		{"checkerboard", checker, [4]int{}},
		// Row 0 starts with a run of exactly 5 dark modules, then
		// alternates from a light one: 3 (223 dark, 50.6%).
		{"run of 5", func(x, y int) bool { return y == 0 && x < 5 || y == 0 && x > 5 && x%2 == 0 || y > 0 && checker(x, y) }, [4]int{3, 0, 0, 0}},
		{"run of 6", func(x, y int) bool { return y == 0 && x < 6 || y == 0 && x > 6 && x%2 == 1 || y > 0 && checker(x, y) }, [4]int{4, 0, 0, 0}},
		// 1011101 in row 10 at columns 5-11 has light on both sides:
		// one pattern. N1: 20 light rows (19 each), row 10's light runs
		// of 5 (3) and 9 (7), 16 light columns (19 each) and 5 columns
		// with two light runs of 10 (8 each). N2: row 10 has 12 pairs
		// of adjacent light modules of 20, so 2×8 of the 400 blocks
		// are lost. N4: 5 of 441 dark is 9 steps off.
		{"pattern", func(x, y int) bool { return y == 10 && x >= 5 && x <= 11 && x != 6 && x != 10 }, [4]int{
			20*19 + 3 + 7 + 16*19 + 5*2*8, (400 - 2*8) * 3, 40, 90}},
		// 1011101 at columns 0-6 followed by a dark module at 7: light
		// on the right is missing, the quiet zone on the left counts.
		// N1: row 10's light run of 13 (11), 15 light columns and 6
		// with two runs of 10. N2 as above (12 light pairs).
		{"pattern at the edge", func(x, y int) bool { return y == 10 && x <= 7 && x != 1 && x != 5 }, [4]int{
			20*19 + 11 + 15*19 + 6*2*8, (400 - 2*8) * 3, 40, 90}},
	}
	for _, c := range cases {
		bm := square(21, c.dark)
		if got := fastPenalties(bm); got != c.want {
			t.Errorf("%s: N1-N4 %v, want %v", c.name, got, c.want)
		}
		if got, want := fastPenalty(bm), zxPenalty(bm); got != want {
			t.Errorf("%s: %d, gozxing %d", c.name, got, want)
		}
	}
}

// TestPenaltyMatchesGozxing compares the bit-parallel penalty with
// gozxing's straightforward one on random matrices of every kind of
// size (one, two and three words per line) and density, and on every
// mask of real symbols.
func TestPenaltyMatchesGozxing(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for _, n := range []int{21, 25, 53, 55, 57, 61, 117, 121, 173, 177} {
		for _, p := range []float64{0.5, 0.1, 0.9, 0.3} {
			bm := square(n, func(x, y int) bool { return r.Float64() < p })
			if got, want := fastPenalties(bm), zxPenalties(bm); got != want {
				t.Errorf("random %d×%d, density %.1f: %v, gozxing %v", n, n, p, got, want)
			}
		}
		// Finder-like rows and columns everywhere.
		bm := square(n, func(x, y int) bool {
			return (x+3*y)%11 < 7 && (x+3*y)%11 != 1 && (x+3*y)%11 != 5
		})
		if got, want := fastPenalties(bm), zxPenalties(bm); got != want {
			t.Errorf("patterns %d×%d: %v, gozxing %v", n, n, got, want)
		}
	}
	for _, data := range [][]byte{[]byte("x"), benchPayload, make([]byte, 1000)} {
		for level := L; level <= H; level++ {
			c, err := Encode(data, level)
			if err != nil {
				t.Fatal(err)
			}
			for m := range 8 {
				bm := encode(data, level, c.Version, m).Bitmap(0)
				if got, want := fastPenalties(bm), zxPenalties(bm); got != want {
					t.Errorf("%d bytes at %v, mask %d: %v, gozxing %v", len(data), level, m, got, want)
				}
			}
		}
	}
}

// TestMaskChoice checks that Encode picks the mask with the lowest
// penalty, the lowest number on ties, scoring each mask with gozxing's
// rules.
func TestMaskChoice(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	masks := map[int]bool{}
	for i := range 60 {
		data := randomBytes(r, 1+i*13)
		level := Level(i % 4)
		c, err := Encode(data, level)
		if err != nil {
			t.Fatal(err)
		}
		best, bestScore := -1, 0
		for m := range 8 {
			forced := encode(data, level, c.Version, m)
			if forced.Mask != m {
				t.Fatalf("forced mask %d, got %d", m, forced.Mask)
			}
			decodeCode(t, forced, data)
			if s := zxPenalty(forced.Bitmap(0)); best < 0 || s < bestScore {
				best, bestScore = m, s
			}
		}
		if c.Mask != best {
			t.Errorf("%d bytes at %v: mask %d, the lowest penalty (%d) has mask %d", len(data), level, c.Mask, bestScore, best)
		}
		masks[c.Mask] = true
	}
	if len(masks) < 6 {
		t.Errorf("only masks %v were chosen", masks)
	}
}
