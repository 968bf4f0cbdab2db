package qrcode

// The two per-version tables of ISO/IEC 18004 (table 9): for each error
// correction level, the number of error correction codewords in every
// block and the number of blocks. Index 0 is unused; the tests check both
// against an independent decoder's tables.
var (
	ecCodewordsPerBlock = [4][41]int8{
		L: {0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
		M: {0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28},
		Q: {0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
		H: {0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
	}
	ecBlocks = [4][41]int8{
		L: {0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25},
		M: {0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49},
		Q: {0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68},
		H: {0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81},
	}
)

// formatECBits are the two error correction bits of the format
// information for each level (ISO/IEC 18004 table 12).
var formatECBits = [4]uint32{L: 1, M: 0, Q: 3, H: 2}

// rawDataModules returns the number of modules of a version that are
// not function patterns, format or version information: the ones that
// hold codewords and remainder bits.
func rawDataModules(version int) int {
	size := 4*version + 17
	n := size*size - 3*64 - 31 - 2*(size-16) // finders with separators, format information and dark module, timing
	if version >= 2 {
		k := version/7 + 2
		n -= 25*(k*k-3) - 10*(k-2) // alignment patterns less their overlap with the timing patterns
	}
	if version >= 7 {
		n -= 36 // version information
	}
	return n
}

// totalCodewords returns the number of codewords (data plus error
// correction) of a version; the remaining modules are remainder bits.
func totalCodewords(version int) int {
	return rawDataModules(version) / 8
}

// dataCodewords returns the number of data codewords of a version and
// level.
func dataCodewords(version int, level Level) int {
	return totalCodewords(version) - int(ecCodewordsPerBlock[level][version])*int(ecBlocks[level][version])
}

// charCountBits is the length of the byte mode character count indicator.
func charCountBits(version int) int {
	if version < 10 {
		return 8
	}
	return 16
}

// capacityTable[level][version] is the number of data bytes that fit in
// byte mode, filled in by init.
var capacityTable [4][41]int

func init() {
	for level := L; level <= H; level++ {
		for v := 1; v <= 40; v++ {
			bits := dataCodewords(v, level)*8 - 4 - charCountBits(v)
			capacityTable[level][v] = bits / 8
		}
	}
}
