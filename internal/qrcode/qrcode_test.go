package qrcode

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common/reedsolomon"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// zxLevel is gozxing's name for each level.
var zxLevel = [4]decoder.ErrorCorrectionLevel{
	L: decoder.ErrorCorrectionLevel_L,
	M: decoder.ErrorCorrectionLevel_M,
	Q: decoder.ErrorCorrectionLevel_Q,
	H: decoder.ErrorCorrectionLevel_H,
}

// bitMatrix converts a code (without quiet zone) to gozxing's matrix.
func bitMatrix(t testing.TB, c *Code) *gozxing.BitMatrix {
	t.Helper()
	bm, err := gozxing.ParseBoolMapToBitMatrix(c.Bitmap(0))
	if err != nil {
		t.Fatal(err)
	}
	return bm
}

// decodeCode reads a code's modules with gozxing's decoder (independent
// of this package) and checks the result: the same bytes, level and
// version, and codewords read from the modules that equal ours exactly,
// so that the decoder's error correction cannot hide a misplaced module.
func decodeCode(t testing.TB, c *Code, data []byte) {
	t.Helper()
	res, err := decoder.NewDecoder().DecodeBoolMap(c.Bitmap(0), nil)
	if err != nil {
		t.Fatalf("%d bytes at %v (version %d mask %d): gozxing cannot decode: %v", len(data), c.Level, c.Version, c.Mask, err)
	}
	got := bytes.Join(res.GetByteSegments(), nil)
	if len(data) == 0 && len(res.GetByteSegments()) == 0 {
		got = []byte{}
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("%d bytes at %v: decoded %q, want %q", len(data), c.Level, got, data)
	}
	if want := c.Level.String(); res.GetECLevel() != want {
		t.Errorf("decoded level %s, want %s", res.GetECLevel(), want)
	}

	parser, err := decoder.NewBitMatrixParser(bitMatrix(t, c))
	if err != nil {
		t.Fatal(err)
	}
	v, err := parser.ReadVersion()
	if err != nil {
		t.Fatal(err)
	}
	if v.GetVersionNumber() != c.Version {
		t.Errorf("gozxing reads version %d, we encoded %d", v.GetVersionNumber(), c.Version)
	}
	fi, err := parser.ReadFormatInformation()
	if err != nil {
		t.Fatal(err)
	}
	if int(fi.GetDataMask()) != c.Mask || fi.GetErrorCorrectionLevel() != zxLevel[c.Level] {
		t.Errorf("gozxing reads mask %d level %v, we encoded mask %d level %v", fi.GetDataMask(), fi.GetErrorCorrectionLevel(), c.Mask, c.Level)
	}
	cw, err := parser.ReadCodewords()
	if err != nil {
		t.Fatal(err)
	}
	if want := codewords(data, c.Level, c.Version); !bytes.Equal(cw, want) {
		t.Errorf("version %d level %v: the modules hold other codewords than we encoded", c.Version, c.Level)
	}
}

// benchPayload is a Thunderbird for Android account export of the size
// the templates package renders (about 250 bytes of JSON).
var benchPayload = []byte(`[1,[1,1],[0,"imap.example-provider.com",993,3,1,"firstname.last@example-provider.com","","S3cr3t!"],[[[0,"smtp.example-provider.com",465,3,1,"firstname.last@example-provider.com","S3cr3t!"],["firstname.last@example-provider.com","Firstname Lastname"]]]]`)

// randomBytes returns n deterministic pseudo-random bytes.
func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

func TestCapacity(t *testing.T) {
	// Byte mode capacities from ISO/IEC 18004 table 7.
	known := []struct {
		version    int
		l, m, q, h int
	}{
		{1, 17, 14, 11, 7},
		{2, 32, 26, 20, 14},
		{7, 154, 122, 86, 64},
		{9, 230, 180, 130, 98},
		{10, 271, 213, 151, 119},
		{27, 1465, 1125, 805, 625},
		{40, 2953, 2331, 1663, 1273},
	}
	for _, k := range known {
		for level, want := range []int{k.l, k.m, k.q, k.h} {
			if got := Capacity(k.version, Level(level)); got != want {
				t.Errorf("Capacity(%d, %v) = %d, want %d", k.version, Level(level), got, want)
			}
		}
	}
	for _, bad := range [][2]int{{0, 0}, {41, 0}, {1, -1}, {1, 4}} {
		if got := Capacity(bad[0], Level(bad[1])); got != 0 {
			t.Errorf("Capacity(%d, %d) = %d, want 0", bad[0], bad[1], got)
		}
	}
}

// TestTablesMatchGozxing compares the per-version facts with gozxing's
// independent tables: total codewords, error correction blocks, alignment
// pattern positions and version information.
func TestTablesMatchGozxing(t *testing.T) {
	for v := 1; v <= 40; v++ {
		zv, err := decoder.Version_GetVersionForNumber(v)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := totalCodewords(v), zv.GetTotalCodewords(); got != want {
			t.Errorf("version %d: %d codewords, gozxing says %d", v, got, want)
		}
		if got, want := len(layoutFor(v).pos), rawDataModules(v); got != want {
			t.Errorf("version %d: the layout has %d data modules, the formula %d", v, got, want)
		}
		if got, want := rawDataModules(v)/8, totalCodewords(v); got != want {
			t.Errorf("version %d: %d data modules for %d codewords", v, got*8, want)
		}
		if got, want := alignmentCenters(v), zv.GetAlignmentPatternCenters(); !slices.Equal(got, want) {
			t.Errorf("version %d: alignment patterns at %v, gozxing says %v", v, got, want)
		}
		if v >= 7 {
			if got, want := versionInfo(v), uint32(decoder.VERSION_DECODE_INFO[v-7]); got != want {
				t.Errorf("version %d: version information %#x, gozxing says %#x", v, got, want)
			}
		}
		for level := L; level <= H; level++ {
			eb := zv.GetECBlocksForLevel(zxLevel[level])
			if got, want := int(ecCodewordsPerBlock[level][v]), eb.GetECCodewordsPerBlock(); got != want {
				t.Errorf("version %d %v: %d EC codewords per block, gozxing says %d", v, level, got, want)
			}
			if got, want := int(ecBlocks[level][v]), eb.GetNumBlocks(); got != want {
				t.Errorf("version %d %v: %d blocks, gozxing says %d", v, level, got, want)
			}
			// Our split of the data codewords into short and long
			// blocks matches gozxing's groups.
			nd, nb := dataCodewords(v, level), int(ecBlocks[level][v])
			var groups [][2]int
			if nd%nb != nb {
				groups = append(groups, [2]int{nb - nd%nb, nd / nb})
			}
			if nd%nb != 0 {
				groups = append(groups, [2]int{nd % nb, nd/nb + 1})
			}
			var zgroups [][2]int
			for _, g := range eb.GetECBlocks() {
				zgroups = append(zgroups, [2]int{g.GetCount(), g.GetDataCodewords()})
			}
			if !slices.Equal(groups, zgroups) {
				t.Errorf("version %d %v: blocks (count, data codewords) %v, gozxing says %v", v, level, groups, zgroups)
			}
		}
	}
}

// TestFormatInfo checks the 32 format information words against ISO/IEC
// 18004 annex C (table C.1), indexed by the 5 data bits.
func TestFormatInfo(t *testing.T) {
	want := [32]uint32{
		0x5412, 0x5125, 0x5E7C, 0x5B4B, 0x45F9, 0x40CE, 0x4F97, 0x4AA0,
		0x77C4, 0x72F3, 0x7DAA, 0x789D, 0x662F, 0x6318, 0x6C41, 0x6976,
		0x1689, 0x13BE, 0x1CE7, 0x19D0, 0x0762, 0x0255, 0x0D0C, 0x083B,
		0x355F, 0x3068, 0x3F31, 0x3A06, 0x24B4, 0x2183, 0x2EDA, 0x2BED,
	}
	for level := L; level <= H; level++ {
		for m := range 8 {
			i := formatECBits[level]<<3 | uint32(m)
			if got := formatInfo(level, m); got != want[i] {
				t.Errorf("format information %v mask %d = %#04x, want %#04x", level, m, got, want[i])
			}
		}
	}
}

// TestReedSolomon compares the error correction codewords with gozxing's
// encoder for every block length in the tables.
func TestReedSolomon(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	zenc := reedsolomon.NewReedSolomonEncoder(reedsolomon.GenericGF_QR_CODE_FIELD_256)
	for _, ecLen := range []int{7, 10, 13, 15, 16, 17, 18, 20, 22, 24, 26, 28, 30} {
		for _, n := range []int{1, 2, 19, 55, 122} {
			data := randomBytes(r, n)
			if n == 2 {
				data = make([]byte, n) // zero data has zero EC
			}
			ec := make([]byte, ecLen)
			rsRemainder(data, ec)
			in := make([]int, n+ecLen)
			for i, b := range data {
				in[i] = int(b)
			}
			if err := zenc.Encode(in, ecLen); err != nil {
				t.Fatal(err)
			}
			for i, b := range ec {
				if int(b) != in[n+i] {
					t.Fatalf("%d data bytes, %d EC: EC %v, gozxing %v", n, ecLen, ec, in[n:])
				}
			}
		}
	}
}

// TestEncodeEveryVersion fills every version at every level twice: with
// the most bytes it holds and with one byte more than the version below
// holds, so the version chosen must be the smallest that fits.
func TestEncodeEveryVersion(t *testing.T) {
	r := rand.New(rand.NewPCG(18004, 2015))
	for level := L; level <= H; level++ {
		for v := 1; v <= 40; v++ {
			for _, n := range []int{Capacity(v, level), Capacity(v-1, level) + 1} {
				data := randomBytes(r, n)
				c, err := Encode(data, level)
				if err != nil {
					t.Fatalf("%d bytes at %v: %v", n, level, err)
				}
				if c.Version != v || c.Size != 4*v+17 || c.Level != level {
					t.Fatalf("%d bytes at %v: version %d size %d level %v, want version %d", n, level, c.Version, c.Size, c.Level, v)
				}
				decodeCode(t, c, data)
			}
		}
		n := Capacity(40, level) + 1
		if _, err := Encode(make([]byte, n), level); !errors.Is(err, ErrTooLong) {
			t.Errorf("%d bytes at %v: err = %v, want ErrTooLong", n, level, err)
		}
	}
	for _, bad := range []Level{-1, 4} {
		if _, err := Encode([]byte("x"), bad); !errors.Is(err, ErrLevel) {
			t.Errorf("level %d: err = %v, want ErrLevel", int(bad), err)
		}
	}
}

func TestEncodeTextAndBinary(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	inputs := [][]byte{
		{},
		{0},
		[]byte("a"),
		[]byte("Grüße aus Köln — 日本語のテキスト, emoji 🙂 and ÆØÅ"),
		[]byte(`[1,[1,1],[0,"imap.xn--bcher-kva.example",993,3,1,"jürgen@bücher.example","",""],[[[0,"mail.xn--bcher-kva.example",465,3,1,"jürgen@bücher.example",""],["jürgen@bücher.example","Jürgen Müller"]]]]`),
		bytes.Repeat([]byte{0xff}, 100),
		bytes.Repeat([]byte{0x00}, 100),
		{0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc}, // invalid UTF-8
		randomBytes(r, 300),
		randomBytes(r, 1000),
	}
	for i, data := range inputs {
		for level := L; level <= H; level++ {
			c, err := Encode(data, level)
			if err != nil {
				t.Fatal(err)
			}
			decodeCode(t, c, data)
			if utf8.Valid(data) && len(data) > 0 {
				res, err := decoder.NewDecoder().DecodeBoolMap(c.Bitmap(0), map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_CHARACTER_SET: "UTF-8"})
				if err != nil || res.GetText() != string(data) {
					t.Errorf("input %d at %v: text %q (%v)", i, level, res.GetText(), err)
				}
			}
		}
	}
}

func TestBitmapAndDark(t *testing.T) {
	c, err := Encode([]byte("quiet zone"), M)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []int{0, 1, 4} {
		bm := c.Bitmap(q)
		if len(bm) != c.Size+2*q {
			t.Fatalf("quiet %d: %d rows, want %d", q, len(bm), c.Size+2*q)
		}
		for y, row := range bm {
			if len(row) != len(bm) {
				t.Fatalf("quiet %d: row %d has %d modules", q, y, len(row))
			}
			for x, d := range row {
				if d != c.Dark(x-q, y-q) {
					t.Fatalf("quiet %d: Bitmap[%d][%d] = %v, Dark(%d, %d) = %v", q, y, x, d, x-q, y-q, !d)
				}
			}
		}
	}
	if got := c.Bitmap(-3); len(got) != c.Size {
		t.Errorf("Bitmap(-3) has %d rows, want %d", len(got), c.Size)
	}
	// The finder pattern's corners are dark, the separators light, and
	// the dark module is dark.
	for _, p := range [][2]int{{0, 0}, {6, 6}, {c.Size - 1, 0}, {0, c.Size - 1}, {8, c.Size - 8}} {
		if !c.Dark(p[0], p[1]) {
			t.Errorf("module %v is light", p)
		}
	}
	for _, p := range [][2]int{{7, 7}, {c.Size - 8, 7}, {7, c.Size - 8}, {-1, 0}, {c.Size, 3}} {
		if c.Dark(p[0], p[1]) {
			t.Errorf("module %v is dark", p)
		}
	}
}

// utf8Text returns n bytes of valid UTF-8 that are not pure ASCII: one
// "é" and letters.
func utf8Text(n int) []byte {
	return append([]byte("é"), bytes.Repeat([]byte("a"), n-2)...)
}

// TestUTF8ECI: UTF-8 text with non-ASCII characters carries the UTF-8
// ECI, so a decoder that follows the standard's default for byte mode
// (ISO-8859-1, here given as the hint) still reads the text; ASCII and
// non-UTF-8 data carry none and keep their bytes.
func TestUTF8ECI(t *testing.T) {
	latin1 := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_CHARACTER_SET: "ISO-8859-1"}
	for _, s := range []string{"Jürgen", "Jürgen Müller <jürgen@bücher.example>", "Grüße aus Köln — 日本語, emoji 🙂",
		`[1,[1,1],[0,"imap.xn--bcher-kva.example",993,3,1,"jürgen@bücher.example","",""],[[[0,"mail.xn--bcher-kva.example",465,3,1,"jürgen@bücher.example",""],["jürgen@bücher.example","Jürgen Müller"]]]]`} {
		for level := L; level <= H; level++ {
			c, err := Encode([]byte(s), level)
			if err != nil {
				t.Fatal(err)
			}
			decodeCode(t, c, []byte(s))
			res, err := decoder.NewDecoder().DecodeBoolMap(c.Bitmap(0), latin1)
			if err != nil || res.GetText() != s {
				t.Errorf("%q at %v: decoded %q (%v)", s, level, res.GetText(), err)
			}
			if m := res.GetSymbologyModifier(); m != 2 {
				t.Errorf("%q at %v: symbology modifier %d, want 2 (an ECI is present)", s, level, m)
			}
		}
	}
	for _, data := range [][]byte{[]byte("Jane Doe <jane@example.com>"), {0xc3, 0x28, 0xff, 'a'}} {
		c, err := Encode(data, M)
		if err != nil {
			t.Fatal(err)
		}
		res, err := decoder.NewDecoder().DecodeBoolMap(c.Bitmap(0), nil)
		if err != nil || res.GetSymbologyModifier() != 1 {
			t.Errorf("%q: an ECI where none belongs (modifier %d, %v)", data, res.GetSymbologyModifier(), err)
		}
		if cw := codewords(data, M, c.Version); cw[0]>>4 != 0x4 {
			t.Errorf("%q: first mode indicator %x, want byte mode 4", data, cw[0]>>4)
		}
	}
}

// TestUTF8ECICapacity fills every version at every level with UTF-8 text
// of the most bytes it holds with the ECI, and one byte more: the ECI's
// bits are counted when the version is chosen.
func TestUTF8ECICapacity(t *testing.T) {
	for level := L; level <= H; level++ {
		for v := 1; v <= 40; v++ {
			n := capacity(v, level, true)
			if n != Capacity(v, level)-1 {
				t.Fatalf("version %d at %v: ECI capacity %d, want %d", v, level, n, Capacity(v, level)-1)
			}
			for _, tc := range []struct{ n, version int }{{n, v}, {n + 1, v + 1}} {
				data := utf8Text(tc.n)
				c, err := Encode(data, level)
				if tc.version > 40 {
					if !errors.Is(err, ErrTooLong) {
						t.Errorf("%d bytes at %v: err = %v, want ErrTooLong", tc.n, level, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%d bytes at %v: %v", tc.n, level, err)
				}
				if c.Version != tc.version {
					t.Fatalf("%d bytes of UTF-8 at %v: version %d, want %d", tc.n, level, c.Version, tc.version)
				}
				if v%4 == 1 || v == 40 || v == 9 || v == 10 {
					decodeCode(t, c, data)
				}
			}
		}
	}
}
