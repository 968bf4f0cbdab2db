package termtext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSafe(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"ascii", "imap.example.com port 993, SSL/TLS", "imap.example.com port 993, SSL/TLS"},
		{"letters of other scripts", "Poșta Română ăîâșț, Lietuvių ėųčšž, 日本語メール, Jürgen", "Poșta Română ăîâșț, Lietuvių ėųčšž, 日本語メール, Jürgen"},
		{"backslash and quotes kept", `C:\Users\Public "x" 'y' \x1b`, `C:\Users\Public "x" 'y' \x1b`},
		{"emoji and replacement character kept", "ok ✅ \uFFFD", "ok ✅ \uFFFD"},
		{"clear screen and title", "Not\x1b[2J\x1b]0;owned\x07Found", `Not\x1b[2J\x1b]0;owned\x07Found`},
		{"OSC 52 clipboard write", "* OK \x1b]52;c;cm0gLXJmIH4=\x07 ready", `* OK \x1b]52;c;cm0gLXJmIH4=\x07 ready`},
		{"NUL and DEL", "a\x00b\x7fc", `a\x00b\x7fc`},
		{"tab newline return", "a\tb\nc\rd", `a\tb\nc\rd`},
		{"every C0", "\x01\x02\x1f", `\x01\x02\x1f`},
		{"C1 CSI", "Mail\u009b31mCorp", `Mail\u009b31mCorp`},
		{"C1 bounds", "\u0080\u0085\u009f\u00a0", `\u0080\u0085\u009f` + "\u00a0"},
		{"RTL override", "Example \u202egnp.exe", `Example \u202egnp.exe`},
		{"bidi embeddings and isolates", "\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069", `\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069`},
		{"bidi marks", "\u200e\u200f\u061c", `\u200e\u200f\u061c`},
		{"bidi neighbours kept", "\u2065\u206a\u2029\u200d", "\u2065\u206a\u2029\u200d"},
		{"invalid UTF-8", "a\xffb\xc3", `a\xffb\xc3`},
		{"encoded C1 as raw bytes", "\xc2\x9b", `\u009b`},
		{"overlong encoding", "\xc0\x9b", `\xc0\x9b`},
		{"surrogate half", "\xed\xa0\x80", `\xed\xa0\x80`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Safe(tt.in); got != tt.want {
				t.Errorf("Safe(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSafeLines(t *testing.T) {
	in := "250-first line\n250 second \x1b[31mred\x1b[0m\r\n\u202e"
	want := "250-first line\n250 second \\x1b[31mred\\x1b[0m\\r\n\\u202e"
	if got := SafeLines(in); got != want {
		t.Errorf("SafeLines(%q) = %q, want %q", in, got, want)
	}
	if got := SafeLines("a\tb"); got != `a\tb` {
		t.Errorf("SafeLines keeps a tab: %q", got)
	}
}

// TestForbiddenClasses checks the rune classes against the ranges the
// package promises, over the whole Basic Multilingual Plane and beyond.
func TestForbiddenClasses(t *testing.T) {
	for r := rune(0); r <= 0x2ffff; r++ {
		if got, want := Forbidden(r), forbiddenSpec(r); got != want {
			t.Errorf("Forbidden(%U) = %v, want %v", r, got, want)
		}
	}
}

// forbiddenSpec is the list of forbidden characters written out by hand,
// independent of the unicode tables Forbidden uses.
func forbiddenSpec(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

func TestSafeUnchangedAllocatesNothing(t *testing.T) {
	s := "Poșta Română: imap.example.ro port 993, SSL/TLS"
	if n := testing.AllocsPerRun(100, func() { _ = Safe(s) }); n != 0 {
		t.Errorf("Safe of printable text allocates %.0f times", n)
	}
}

// checkSafe holds the properties every output of Safe (or SafeLines when
// lines is true) has: valid UTF-8 with nothing a terminal acts on, and
// the input unchanged when it had nothing to escape.
func checkSafe(t *testing.T, in, out string, lines bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("output of %q is not valid UTF-8: %q", in, out)
	}
	for _, r := range out {
		if forbiddenSpec(r) && !(lines && r == '\n') {
			t.Fatalf("output of %q holds %U: %q", in, r, out)
		}
	}
	printable := utf8.ValidString(in)
	for _, r := range in {
		printable = printable && (!forbiddenSpec(r) || lines && r == '\n')
	}
	if printable && out != in {
		t.Fatalf("printable %q changed to %q", in, out)
	}
	if !printable && out == in {
		t.Fatalf("%q passed unchanged", in)
	}
	if lines && strings.Count(out, "\n") != strings.Count(in, "\n") {
		t.Fatalf("SafeLines(%q) = %q changed the line count", in, out)
	}
}

func FuzzSafe(f *testing.F) {
	for _, s := range []string{"", "plain", "Not\x1b[2J\x1b]0;owned\x07", "\u009b\u202e", "a\xffb", "ășėųCJK日本", "\r\n\t", "\xc2", "\\x1b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkSafe(t, s, Safe(s), false)
		checkSafe(t, s, SafeLines(s), true)
		if strings.Contains(Safe(s), "\n") {
			t.Fatalf("Safe(%q) keeps a newline", s)
		}
	})
}
