package termtext

import (
	"bytes"
	"strings"
	"testing"
)

// checkWrapped fails when a line of got is wider than width (other than a
// single word that is wider on its own) or when the words differ from in.
func checkWrapped(t *testing.T, in, got string, width int) {
	t.Helper()
	for _, l := range strings.Split(got, "\n") {
		if Width(l) > width && len(strings.Fields(l)) > 1 {
			t.Errorf("line %q is %d columns, more than %d", l, Width(l), width)
		}
	}
	if a, b := strings.Join(strings.Fields(in), " "), strings.Join(strings.Fields(got), " "); a != b {
		t.Errorf("words changed:\n%q\n%q", a, b)
	}
}

func TestWrapRomanianAtWordBoundaries(t *testing.T) {
	in := "  Fișierele pentru dispozitivele alese au fost scrise în dosarul ales; urmați pașii de mai jos pentru fiecare dispozitiv."
	got := Wrap(in, 40)
	checkWrapped(t, in, got, 40)
	want := "  Fișierele pentru dispozitivele alese\n" +
		"  au fost scrise în dosarul ales; urmați\n" +
		"  pașii de mai jos pentru fiecare\n" +
		"  dispozitiv."
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestWrapCountsColumnsNotBytes: Lithuanian and Romanian letters take two
// bytes in UTF-8 and a letter with a combining mark two runes, but each
// is one column: a line of exactly width columns is not wrapped.
func TestWrapCountsColumnsNotBytes(t *testing.T) {
	for _, s := range []string{
		"ąčęėįšųūž ĄČĘĖĮŠŲŪŽ",   // Lithuanian, 19 columns, 36 bytes
		"ăâîșț ĂÂÎȘȚ şţ ŞŢ abc", // Romanian (comma and cedilla forms)
		"a\u0301e\u0301i\u0301o\u0301 xyzxyzxyzxyzxyz",
	} {
		w := Width(s)
		if w >= len(s) {
			t.Errorf("Width(%q) = %d: counts bytes", s, w)
		}
		if got := Wrap(s, w); got != s {
			t.Errorf("Wrap(%q, %d) = %q: a line that fits was wrapped", s, w, got)
		}
		if got := Wrap(s, w-1); !strings.Contains(got, "\n") {
			t.Errorf("Wrap(%q, %d) = %q: not wrapped", s, w-1, got)
		}
	}
	if w := Width("žąsų"); w != 4 {
		t.Errorf("Width(žąsų) = %d, want 4", w)
	}
}

func TestWrapIgnoresColourSequences(t *testing.T) {
	red := "\x1b[31m[FAIL]\x1b[0m"
	if w := Width(red); w != 6 {
		t.Fatalf("Width(%q) = %d, want 6", red, w)
	}
	// 6 + 1 + 13 = 20 columns: fits in 20 although it is 29 bytes.
	line := red + " serverul nu a"
	if got := Wrap(line, 20); got != line {
		t.Errorf("coloured line that fits was wrapped: %q", got)
	}
	got := Wrap(red+" serverul nu a răspuns la timp", 20)
	want := red + " serverul nu a\n       răspuns la\n       timp"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestWrapLongWordStaysWhole(t *testing.T) {
	path := "/home/ion/mailsetup-ion@exemplu.ro/setup-sheet.html"
	in := "  Foaia de configurare: " + path + " gata"
	got := Wrap(in, 30)
	if !strings.Contains(got, path) {
		t.Errorf("the path was cut: %q", got)
	}
	checkWrapped(t, in, got, 30)
	lines := strings.Split(got, "\n")
	for _, l := range lines {
		if strings.Contains(l, path) && strings.TrimSpace(l) != path {
			t.Errorf("the long word shares a line: %q", l)
		}
	}
	// A single word longer than the width is left alone.
	if got := Wrap("dispozitivele", 5); got != "dispozitivele" {
		t.Errorf("Wrap(word, 5) = %q", got)
	}
}

func TestWrapHangingIndent(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		// A label column: continuation lines start under the value.
		{"  Intrare    IMAP imap.exemplu.ro:993 SSL/TLS (ion@exemplu.ro)",
			"  Intrare    IMAP imap.exemplu.ro:993\n             SSL/TLS (ion@exemplu.ro)"},
		// A mark: under the message.
		{"  [ok]  Autentificat ca ion@exemplu.ro cu succes",
			"  [ok]  Autentificat ca ion@exemplu.ro\n        cu succes"},
		// Plain indented text: under the text.
		{"    Trimiteți fișierul prin AirDrop sau e-mail către iPhone",
			"    Trimiteți fișierul prin AirDrop sau\n    e-mail către iPhone"},
	} {
		if got := Wrap(tc.in, 40); got != tc.want {
			t.Errorf("Wrap(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestWrapOffAndMultiline(t *testing.T) {
	in := "one two three\nfour five six seven\n"
	if got := Wrap(in, 0); got != in {
		t.Errorf("width 0 changed the text: %q", got)
	}
	if got, want := Wrap(in, 10), "one two\nthree\nfour five\nsix seven\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestWrapWriter(t *testing.T) {
	var b bytes.Buffer
	w := NewWrapWriter(&b, 12)
	for _, p := range []string{"mesajul ", "acesta este lung\nși ", "încă unul"} {
		if _, err := w.Write([]byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := b.String(), "mesajul\nacesta este\nlung\n"; got != want {
		t.Errorf("before Flush: %q, want %q", got, want)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "mesajul\nacesta este\nlung\nși încă unul"; got != want {
		t.Errorf("after Flush: %q, want %q", got, want)
	}
	b.Reset()
	raw := NewWrapWriter(&b, 0)
	raw.Write([]byte("no wrapping at all here"))
	if b.String() != "no wrapping at all here" {
		t.Errorf("width 0 wrote %q", b.String())
	}
}

// FuzzWrap: wrapping never changes the words, and a line wider than the
// width is a single word (text between spaces) after its indentation.
func FuzzWrap(f *testing.F) {
	f.Add("  Fișierele pentru dispozitivele alese au fost scrise", 20)
	f.Add("\x1b[31m[FAIL]\x1b[0m  žąsų   kaklas\n  Intrare    IMAP imap.exemplu.ro:993", 12)
	f.Add("a\u0301 東京 ab\tcd  ", 3)
	f.Fuzz(func(t *testing.T, s string, width int) {
		width %= 200
		got := Wrap(s, width)
		if a, b := strings.Fields(s), strings.Fields(got); strings.Join(a, " ") != strings.Join(b, " ") {
			t.Fatalf("Wrap(%q, %d) = %q: words changed", s, width, got)
		}
		if width <= 0 {
			return
		}
		for _, l := range strings.Split(got, "\n") {
			if Width(l) > width && strings.Contains(strings.Trim(l, " "), " ") {
				t.Fatalf("Wrap(%q, %d): line %q is %d columns and several words", s, width, l, Width(l))
			}
		}
	})
}
