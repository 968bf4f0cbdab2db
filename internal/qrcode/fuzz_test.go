package qrcode

import (
	"errors"
	"testing"
)

// FuzzEncode encodes arbitrary bytes at every level: Encode never panics,
// too long input gives ErrTooLong, and every code decodes (gozxing) to
// the input in the smallest version that holds it (with the UTF-8 ECI
// counted for non-ASCII UTF-8 text).
func FuzzEncode(f *testing.F) {
	f.Add([]byte{}, uint8(0))
	f.Add([]byte("hello"), uint8(1))
	f.Add(benchPayload, uint8(0))
	f.Add([]byte("Grüße, 日本"), uint8(2))
	f.Add(make([]byte, 3000), uint8(3))
	f.Add([]byte{0xff, 0x00, 0xec, 0x11}, uint8(7))
	f.Fuzz(func(t *testing.T, data []byte, lv uint8) {
		level := Level(lv % 5) // 4 is invalid
		c, err := Encode(data, level)
		switch {
		case level > H:
			if !errors.Is(err, ErrLevel) {
				t.Fatalf("level %d: err = %v, want ErrLevel", level, err)
			}
			return
		case len(data) > capacity(40, level, needsECI(data)):
			if !errors.Is(err, ErrTooLong) {
				t.Fatalf("%d bytes at %v: err = %v, want ErrTooLong", len(data), level, err)
			}
			return
		case err != nil:
			t.Fatalf("%d bytes at %v: %v", len(data), level, err)
		}
		eci := needsECI(data)
		if len(data) > capacity(c.Version, level, eci) || (c.Version > 1 && len(data) <= capacity(c.Version-1, level, eci)) {
			t.Fatalf("%d bytes at %v: version %d is not the smallest that fits", len(data), level, c.Version)
		}
		decodeCode(t, c, data)
	})
}
