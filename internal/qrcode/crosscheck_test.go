package qrcode

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/makiuchi-d/gozxing/qrcode/encoder"
	skip "github.com/skip2/go-qrcode"
)

// byteModeText returns a deterministic pseudo-random ASCII payload of n
// bytes that every encoder writes in byte mode alone: lower-case
// letters, JSON punctuation and at most three digits in a row (go-qrcode
// would start a numeric segment for a long run of digits).
func byteModeText(r *rand.Rand, n int) []byte {
	const chars = `abcdefghijklmnopqrstuvwxyz{}[]":,.@-_ 0123456789`
	b := make([]byte, n)
	digits := 0
	for i := range b {
		c := chars[r.IntN(len(chars))]
		if c >= '0' && c <= '9' {
			digits++
			if digits > 3 {
				c = 'x'
				digits = 0
			}
		} else {
			digits = 0
		}
		b[i] = c
	}
	if n > 0 {
		b[0] = '{' // never numeric or alphanumeric
	}
	return b
}

// crossPayloads are the payloads compared with other encoders: every
// length up to a few hundred bytes in steps, a few large ones, and the
// kind of JSON the templates package encodes.
func crossPayloads() [][]byte {
	r := rand.New(rand.NewPCG(4, 40))
	var ps [][]byte
	for n := 1; n <= 400; n += 7 {
		ps = append(ps, byteModeText(r, n))
	}
	for _, n := range []int{700, 1200, 1650} {
		ps = append(ps, byteModeText(r, n))
	}
	ps = append(ps,
		[]byte(`[1,[1,1],[0,"imap.example.com",993,3,1,"jane@example.com","",""],[[[0,"smtp.example.com",465,3,1,"jane@example.com",""],["jane@example.com","Jane Doe"]]]]`),
		[]byte(`[1,[1,1],[1,"pop.example.org",995,3,1,"max","",""],[[[0,"smtp.example.org",587,2,1,"max",""],["max@example.org","Max Mustermann"]]]]`),
		benchPayload,
	)
	return ps
}

var skipLevel = [4]skip.RecoveryLevel{L: skip.Low, M: skip.Medium, Q: skip.High, H: skip.Highest}

// readMask returns the level and mask of a bitmap's format information
// (the copy around the top left finder), or -1 if it is not a valid one.
func readMask(bm [][]bool, quiet int) (Level, int) {
	dark := func(x, y int) uint32 {
		if bm[y+quiet][x+quiet] {
			return 1
		}
		return 0
	}
	var fi uint32
	for i := range 15 {
		var b uint32
		switch {
		case i < 6:
			b = dark(8, i)
		case i < 8:
			b = dark(8, i+1)
		case i == 8:
			b = dark(7, 8)
		default:
			b = dark(14-i, 8)
		}
		fi |= b << i
	}
	for level := L; level <= H; level++ {
		for m := range 8 {
			if formatInfo(level, m) == fi {
				return level, m
			}
		}
	}
	return 0, -1
}

func equalBitmaps(a, b [][]bool) bool {
	return slices.EqualFunc(a, b, func(x, y []bool) bool { return slices.Equal(x, y) })
}

// zxPenalties are the four mask penalties of a symbol by gozxing's
// encoder (a port of ZXing's MaskUtil), an implementation independent of
// ours.
func zxPenalties(bm [][]bool) [4]int {
	m := encoder.NewByteMatrix(len(bm), len(bm))
	for y, row := range bm {
		for x, d := range row {
			m.SetBool(x, y, d)
		}
	}
	return [4]int{encoder.MaskUtil_applyMaskPenaltyRule1(m), encoder.MaskUtil_applyMaskPenaltyRule2(m),
		encoder.MaskUtil_applyMaskPenaltyRule3(m), encoder.MaskUtil_applyMaskPenaltyRule4(m)}
}

func zxPenalty(bm [][]bool) int {
	p := zxPenalties(bm)
	return p[0] + p[1] + p[2] + p[3]
}

// TestMatchesGozxingEncoder compares whole symbols with gozxing's encoder
// (a port of ZXing's), which applies the same penalty rules: for byte
// mode data every module, the version and the mask must be the same.
func TestMatchesGozxingEncoder(t *testing.T) {
	for _, data := range crossPayloads() {
		for level := L; level <= H; level++ {
			if len(data) > Capacity(40, level) {
				continue
			}
			c, err := Encode(data, level)
			if err != nil {
				t.Fatal(err)
			}
			zc, err := encoder.Encoder_encodeWithoutHint(string(data), zxLevel[level])
			if err != nil {
				t.Fatal(err)
			}
			if zc.GetVersion().GetVersionNumber() != c.Version || zc.GetMaskPattern() != c.Mask {
				t.Errorf("%d bytes at %v: version %d mask %d, gozxing version %d mask %d", len(data), level, c.Version, c.Mask, zc.GetVersion().GetVersionNumber(), zc.GetMaskPattern())
				continue
			}
			zm := zc.GetMatrix()
			for y := range c.Size {
				for x := range c.Size {
					if (zm.Get(x, y) == 1) != c.Dark(x, y) {
						t.Fatalf("%d bytes at %v: module (%d,%d) differs from gozxing's", len(data), level, x, y)
					}
				}
			}
		}
	}
}

// TestMatchesGoQRCode compares whole symbols, quiet zone included, with
// github.com/skip2/go-qrcode, which this package replaces.
//
// go-qrcode scores masks differently from ISO/IEC 18004 7.8.3 and so
// sometimes picks another mask: it scores a run of exactly 5 modules of
// one colour as nothing (the standard: 3, and 3+(k-5) for a run of k);
// it finds a 1:1:3:1:1 pattern only with 4 light modules inside the
// symbol, except for a pattern that ends at the last module, and it
// restarts its search window after a match, so a pattern sharing modules
// with the previous one is not counted; and its N4 divides
// the deviation by numModules/20 rounded down. For those payloads the
// test checks that our symbol with go-qrcode's mask is module for module
// go-qrcode's symbol (so everything but the mask choice agrees) and that
// under the standard's rules, as gozxing implements them, our mask
// scores lower (or the same with a lower mask number).
func TestMatchesGoQRCode(t *testing.T) {
	same, otherMask := 0, 0
	for _, data := range crossPayloads() {
		for level := L; level <= H; level++ {
			if len(data) > Capacity(40, level) {
				continue
			}
			c, err := Encode(data, level)
			if err != nil {
				t.Fatal(err)
			}
			q, err := skip.New(string(data), skipLevel[level])
			if err != nil {
				t.Fatal(err)
			}
			if q.VersionNumber != c.Version {
				t.Fatalf("%d bytes at %v: version %d, go-qrcode %d", len(data), level, c.Version, q.VersionNumber)
			}
			theirs := q.Bitmap()
			theirLevel, theirMask := readMask(theirs, 4)
			if theirMask < 0 || theirLevel != level {
				t.Fatalf("%d bytes at %v: go-qrcode's format information is not valid or not level %v", len(data), level, level)
			}
			ours := c.Bitmap(4)
			if theirMask == c.Mask {
				if !equalBitmaps(ours, theirs) {
					t.Fatalf("%d bytes at %v: same mask %d but the symbols differ", len(data), level, c.Mask)
				}
				same++
				continue
			}
			otherMask++
			forced := encode(data, level, c.Version, theirMask)
			if !equalBitmaps(forced.Bitmap(4), theirs) {
				t.Fatalf("%d bytes at %v: with go-qrcode's mask %d the symbols differ", len(data), level, theirMask)
			}
			op, tp := zxPenalty(c.Bitmap(0)), zxPenalty(forced.Bitmap(0))
			if op > tp || (op == tp && c.Mask > theirMask) {
				t.Errorf("%d bytes at %v: our mask %d scores %d, go-qrcode's mask %d scores %d", len(data), level, c.Mask, op, theirMask, tp)
			}
		}
	}
	t.Logf("%d symbols identical to go-qrcode's, %d differ only in go-qrcode's mask choice", same, otherMask)
	if same == 0 {
		t.Error("no symbol is identical to go-qrcode's")
	}
}
