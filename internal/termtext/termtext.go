// Package termtext makes text that came from outside mailsetup (servers,
// files, DNS, flags, the environment) safe to print on a terminal.
//
// A terminal acts on control characters: ESC starts sequences that move
// the cursor, clear the screen, set the window title or write the
// clipboard (OSC 52), and the C1 controls (U+0080–U+009F, such as U+009B,
// the one-character CSI) do the same on terminals that accept them.
// Bidirectional overrides and isolates (U+202E and friends) reorder what
// the reader sees. Safe shows every such character, and every byte that is
// not valid UTF-8, as a visible escape, so a hostile server can neither
// drive the terminal nor disguise its text. Printable text, including
// letters of any script, is left as it is.
//
// Only human output is made safe this way: JSON output keeps the exact
// text (encoding/json escapes control characters itself). Apply Safe to
// the data before colouring it, never to mailsetup's own colour sequences.
//
// The package is hand-rolled because the kept libraries only quote whole
// strings (strconv.Quote), which would also escape quotes, backslashes
// and every non-ASCII letter in human output.
package termtext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Safe returns s with every character that could control a terminal or
// reorder the displayed text shown as an escape:
//
//   - C0 controls (U+0000–U+001F, including newline and tab) and DEL as
//     \xNN, except tab, newline and carriage return as \t, \n and \r;
//   - C1 controls (U+0080–U+009F) and the bidirectional controls
//     (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) as \uNNNN;
//   - each byte that is not part of valid UTF-8 as \xNN.
//
// Everything else, including backslashes and non-ASCII letters, is kept,
// and a string without such characters is returned unchanged.
func Safe(s string) string { return escape(s, false) }

// SafeLines is Safe for multi-line text whose line breaks are meant to be
// shown: newlines are kept, everything else is escaped as by Safe. Use
// Safe for single-line fields, where a newline could forge a line.
func SafeLines(s string) string { return escape(s, true) }

// Forbidden reports whether r is a character Safe escapes: a C0 or C1
// control, DEL, or a bidirectional control. (Invalid UTF-8 is escaped
// too; it has no rune.)
func Forbidden(r rune) bool {
	return unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Bidi_Control, r)
}

const hexDigits = "0123456789abcdef"

func escape(s string, keepNewline bool) string {
	// Fast path: most text needs nothing, and then costs no allocation.
	i := firstUnsafe(s, keepNewline)
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n' && keepNewline:
				b.WriteByte(c)
			case c == '\t':
				b.WriteString(`\t`)
			case c == '\n':
				b.WriteString(`\n`)
			case c == '\r':
				b.WriteString(`\r`)
			case c < 0x20 || c == 0x7f:
				writeByteEscape(&b, c)
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			writeByteEscape(&b, c)
		case Forbidden(r):
			b.WriteString(`\u`)
			for shift := 12; shift >= 0; shift -= 4 {
				b.WriteByte(hexDigits[(r>>shift)&0xf])
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// firstUnsafe returns the index of the first byte that needs escaping, or
// len(s).
func firstUnsafe(s string, keepNewline bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && !(c == '\n' && keepNewline)) || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || Forbidden(r) {
			return i
		}
		i += size
	}
	return len(s)
}

func writeByteEscape(b *strings.Builder, c byte) {
	b.WriteString(`\x`)
	b.WriteByte(hexDigits[c>>4])
	b.WriteByte(hexDigits[c&0xf])
}
