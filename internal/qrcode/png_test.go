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
	"math/rand/v2"
	"slices"
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
	for y := range w {
		for x := range w {
			g := color.GrayModel.Convert(im.At(x, y)).(color.Gray).Y
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

// TestPNGCompression: the image data of an 8-pixel-per-module code is
// at most a tenth of its raw size (the runs and repeated rows are found),
// and within 4x of compress/zlib's best compression, which costs 50x
// more time.
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
	if len(idat)*10 > len(raw) || len(idat) > 4*best.Len() {
		t.Errorf("image data: %d bytes raw, %d ours, %d at zlib's best compression", len(raw), len(idat), best.Len())
	}
	t.Logf("image data: %d bytes raw, %d ours, %d at zlib's best compression", len(raw), len(idat), best.Len())
}

// FuzzZlib: appendZlib's stream is valid zlib and decodes to its input,
// whatever the bytes and the match distances.
func FuzzZlib(f *testing.F) {
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), uint16(5), uint16(40))
	f.Add([]byte{0, 0xff, 0xff, 0xff, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0xff}, uint16(4), uint16(8))
	f.Add([]byte{}, uint16(1), uint16(1))
	f.Fuzz(func(t *testing.T, raw []byte, row, moduleRow uint16) {
		z := appendZlib([]byte("prefix"), raw, int(row), int(moduleRow))
		if string(z[:6]) != "prefix" {
			t.Fatal("the prefix changed")
		}
		zr, err := zlib.NewReader(bytes.NewReader(z[6:]))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if !bytes.Equal(got, raw) {
			t.Fatalf("decoded %d bytes, want %d", len(got), len(raw))
		}
	})
}

// TestZlibLongInputs covers what the fuzzer's short inputs do not reach:
// runs and repeats longer than one match, and distances up to 32 KiB.
func TestZlibLongInputs(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ n, row, moduleRow int }{{70000, 62, 496}, {100000, 4097, 32768}, {5000, 40000, 1}, {300, 1, 1}} {
		raw := make([]byte, tc.n)
		for i := range raw {
			switch {
			case i >= tc.row && rnd.IntN(4) != 0:
				raw[i] = raw[i-tc.row]
			case i > 0 && rnd.IntN(3) == 0:
				raw[i] = raw[i-1]
			default:
				raw[i] = byte(rnd.IntN(256))
			}
		}
		zr, err := zlib.NewReader(bytes.NewReader(appendZlib(nil, raw, tc.row, tc.moduleRow)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, raw) {
			t.Fatalf("%+v: %d bytes back, err %v", tc, len(got), err)
		}
	}
}
