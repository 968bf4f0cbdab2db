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

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"", 5, ""},
		{"short", 5, "short"},
		{"longer", 5, "longe…(1 byte more)"},
		{strings.Repeat("a", 100000), 200, strings.Repeat("a", 200) + "…(99800 bytes more)"},
		// "ü" is two bytes: a cut inside it moves before it.
		{"abcdü", 5, "abcd…(2 bytes more)"},
		{"abcdüf", 6, "abcdü…(1 byte more)"},
		// "日" is three bytes.
		{"ab日本", 4, "ab…(6 bytes more)"},
		{"x", 0, "…(1 byte more)"},
	}
	for _, tt := range tests {
		if got := Clip(tt.in, tt.n); got != tt.want {
			t.Errorf("Clip(%.40q, %d) = %.80q, want %.80q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestClipEchoes(t *testing.T) {
	big := strings.Repeat("a", 100000)
	spaced := strings.Repeat("a b ", 25000)
	tests := []struct{ name, in, want string }{
		{"short message unchanged", `invalid e-mail address "x@y": no`, `invalid e-mail address "x@y": no`},
		{"quoted value", `invalid argument "` + big + `" for "--timeout" flag: time: invalid duration "` + big + `"`,
			`invalid argument "` + big[:10] + `…(99990 bytes more)" for "--timeout" flag: time: invalid duration "` + big[:10] + `…(99990 bytes more)"`},
		{"quoted value with spaces", `unknown format "` + spaced + `"`, `unknown format "` + spaced[:10] + `…(99990 bytes more)"`},
		{"quoted value with escaped quotes", `bad "` + strings.Repeat(`\"`, 10) + `" end ` + big, `bad "\"\"\"\"\"…(10 bytes more)" end ` + big[:10] + `…(99990 bytes more)`},
		{"unquoted run", "unknown flag: --" + big, "unknown flag: --aaaaaaaa…(99992 bytes more)"},
		{"element name in an XML error", "XML syntax error on line 1: element <" + big + "> closed by </b>",
			"XML syntax error on line 1: element <aaaaaaaaa…(99992 bytes more) closed by </b>"},
		{"unpaired quote", `x "` + big, `x "aaaaaaaaa…(99991 bytes more)`},
		{"newlines and tabs kept", "a\n\t" + big, "a\n\taaaaaaaaaa…(99990 bytes more)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ClipEchoes(tt.in, 10); got != tt.want {
				t.Errorf("ClipEchoes(%.60q) =\n%.300q\nwant\n%.300q", tt.in, got, tt.want)
			}
		})
	}
	// Messages up to n bytes are never touched, whatever they hold.
	if got := ClipEchoes(`"`+big[:50], 200); got != `"`+big[:50] {
		t.Errorf("short message changed: %q", got)
	}
}

// FuzzClip: Clip and ClipEchoes keep valid UTF-8 valid, keep a prefix of
// the input, and bound what is left of each echo.
func FuzzClip(f *testing.F) {
	f.Add("ab日本", 4)
	f.Add(`invalid "`+strings.Repeat("x ", 300)+`" for "--a"`, 20)
	f.Add("\"\\\"\\", 1)
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = n & 0x3ff
		c := Clip(s, n)
		if len(s) <= n {
			if c != s {
				t.Fatalf("Clip changed a short string: %q -> %q", s, c)
			}
		} else {
			i := strings.Index(c, "…(")
			if i < 0 || i > n || !strings.HasPrefix(s, c[:i]) || i < n-(utf8.UTFMax-1) {
				t.Fatalf("Clip(%q, %d) = %q", s, n, c)
			}
		}
		e := ClipEchoes(s, n)
		if utf8.ValidString(s) && (!utf8.ValidString(c) || !utf8.ValidString(e)) {
			t.Fatalf("invalid UTF-8 from valid input: %q -> %q, %q", s, c, e)
		}
		if len(e) > len(s)+len(s)/max(n, 1)*30+30 && len(s) > n {
			t.Fatalf("ClipEchoes grew %d -> %d bytes", len(s), len(e))
		}
	})
}
