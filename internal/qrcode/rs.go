package qrcode

import "sync"

// Reed–Solomon error correction over GF(256) with the QR code's primitive
// polynomial x⁸+x⁴+x³+x²+1 (0x11d) and generator polynomials
// (x-α⁰)(x-α¹)…(x-αⁿ⁻¹).

// gfExp[i] is α^i; it is doubled so that gfExp[a+b] needs no reduction
// modulo 255 for logarithms a, b < 255. gfLog[x] is the logarithm of x≠0.
var (
	gfExp [512]byte
	gfLog [256]byte
)

func init() {
	x := 1
	for i := range 255 {
		gfExp[i] = byte(x)
		gfLog[x] = byte(i)
		x <<= 1
		if x&0x100 != 0 {
			x ^= 0x11d
		}
	}
	for i := 255; i < len(gfExp); i++ {
		gfExp[i] = gfExp[i-255]
	}
}

// gfMul multiplies two field elements.
func gfMul(a, b byte) byte {
	if a == 0 || b == 0 {
		return 0
	}
	return gfExp[int(gfLog[a])+int(gfLog[b])]
}

// maxECLen is the most error correction codewords a block has.
const maxECLen = 30

// generators[n] holds the logarithms of the coefficients of the generator
// polynomial of degree n, highest degree first and without the leading 1
// (so n entries); each is computed once, on first use.
var generators [maxECLen + 1]struct {
	once sync.Once
	logs []byte
}

// generatorLogs returns the generator polynomial of degree n as
// logarithms of its coefficients (see generators).
func generatorLogs(n int) []byte {
	g := &generators[n]
	g.once.Do(func() {
		// poly[0] is the coefficient of the highest power, which stays 1.
		poly := make([]byte, n+1)
		poly[0] = 1
		for i := range n {
			// Multiply by (x - α^i), which is (x + α^i) in GF(2⁸).
			root := gfExp[i]
			for j := i + 1; j >= 1; j-- {
				poly[j] ^= gfMul(poly[j-1], root)
			}
		}
		g.logs = make([]byte, n)
		for j := range n {
			// Every coefficient of a product of (x + α^i) is non-zero.
			g.logs[j] = gfLog[poly[j+1]]
		}
	})
	return g.logs
}

// maxBlockLen is the most codewords (data and error correction) a block
// has: 123 + 30 at version 40.
const maxBlockLen = 160

// rsRemainder writes the len(ec) error correction codewords of data into
// ec: the remainder of data(x)·x^len(ec) divided by the generator
// polynomial. len(data)+len(ec) must not exceed maxBlockLen.
func rsRemainder(data, ec []byte) {
	gen := generatorLogs(len(ec))
	// Long division in place: buf holds data followed by len(ec) zeros,
	// and each leading coefficient cancels against the generator,
	// leaving the remainder in the last len(ec) bytes.
	var buf [maxBlockLen]byte
	n := copy(buf[:], data)
	for i := range n {
		c := buf[i]
		if c == 0 {
			continue
		}
		lc := int(gfLog[c])
		rest := buf[i+1 : i+1+len(gen)]
		for j, gl := range gen {
			rest[j] ^= gfExp[lc+int(gl)]
		}
	}
	copy(ec, buf[n:n+len(ec)])
}
