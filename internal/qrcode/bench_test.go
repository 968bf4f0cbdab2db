package qrcode

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"sync"
	"testing"

	skip "github.com/skip2/go-qrcode"
)

// pngBufferPool is the image/png buffer pool templates/qr.go used with
// go-qrcode.
type pngBufferPool struct{ p sync.Pool }

func (q *pngBufferPool) Get() *png.EncoderBuffer {
	b, _ := q.p.Get().(*png.EncoderBuffer)
	return b
}

func (q *pngBufferPool) Put(b *png.EncoderBuffer) { q.p.Put(b) }

// skipPNG renders payload the way templates/qr.go did before this
// package: go-qrcode at level L, a paletted image at 8 pixels per module,
// image/png at BestSpeed with pooled buffers.
func skipPNG(tb testing.TB, enc *png.Encoder, payload []byte) []byte {
	q, err := skip.New(string(payload), skip.Low)
	if err != nil {
		tb.Fatal(err)
	}
	bm := q.Bitmap()
	const mp = 8
	n := len(bm) * mp
	img := image.NewPaletted(image.Rect(0, 0, n, n), color.Palette{color.White, color.Black})
	for y := range n {
		row := bm[y/mp]
		for x := range n {
			if row[x/mp] {
				img.Pix[y*img.Stride+x] = 1
			}
		}
	}
	var buf bytes.Buffer
	if err := enc.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkEncodePNG(b *testing.B) {
	if len(benchPayload) < 240 || len(benchPayload) > 260 {
		b.Fatalf("payload is %d bytes, want about 250", len(benchPayload))
	}
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c, err := Encode(benchPayload, L)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.PNG(8, 4); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("go-qrcode", func(b *testing.B) {
		b.ReportAllocs()
		enc := &png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &pngBufferPool{}}
		for b.Loop() {
			skipPNG(b, enc, benchPayload)
		}
	})
}

func BenchmarkEncode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(benchPayload, L); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPNG(b *testing.B) {
	c, err := Encode(benchPayload, L)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.PNG(8, 4); err != nil {
			b.Fatal(err)
		}
	}
}
