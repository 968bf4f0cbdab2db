package account

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in, ascii, display, local, domain string
	}{
		{"jane@example.com", "jane@example.com", "jane@example.com", "jane", "example.com"},
		{"  Jane.Doe+tag@Example.COM ", "Jane.Doe+tag@example.com", "Jane.Doe+tag@example.com", "Jane.Doe+tag", "example.com"},
		{"jane@bücher.example", "jane@xn--bcher-kva.example", "jane@bücher.example", "jane", "xn--bcher-kva.example"},
		{"jane@BÜCHER.example", "jane@xn--bcher-kva.example", "jane@bücher.example", "jane", "xn--bcher-kva.example"},
		{"jane@xn--bcher-kva.example", "jane@xn--bcher-kva.example", "jane@bücher.example", "jane", "xn--bcher-kva.example"},
		{"jane@bücher。example", "jane@xn--bcher-kva.example", "jane@bücher.example", "jane", "xn--bcher-kva.example"},
		{"o'brien@mail.example.co.uk", "o'brien@mail.example.co.uk", "o'brien@mail.example.co.uk", "o'brien", "mail.example.co.uk"},
		{"用户@例子.中国", "用户@xn--fsqu00a.xn--fiqs8s", "用户@例子.中国", "用户", "xn--fsqu00a.xn--fiqs8s"},
		{strings.Repeat("a", 64) + "@example.com", strings.Repeat("a", 64) + "@example.com", strings.Repeat("a", 64) + "@example.com", strings.Repeat("a", 64), "example.com"},
	}
	for _, tt := range tests {
		a, err := ParseAddress(tt.in)
		if err != nil {
			t.Errorf("ParseAddress(%q): %v", tt.in, err)
			continue
		}
		if got := a.String(); got != tt.ascii {
			t.Errorf("ParseAddress(%q).String() = %q, want %q", tt.in, got, tt.ascii)
		}
		if got := a.Display(); got != tt.display {
			t.Errorf("ParseAddress(%q).Display() = %q, want %q", tt.in, got, tt.display)
		}
		if a.LocalPart() != tt.local || a.Domain() != tt.domain {
			t.Errorf("ParseAddress(%q) = (%q, %q), want (%q, %q)", tt.in, a.LocalPart(), a.Domain(), tt.local, tt.domain)
		}
	}
}

func TestParseAddressRejects(t *testing.T) {
	tests := []struct{ in, why string }{
		{"", "empty"},
		{"jane", "missing @"},
		{"@example.com", "nothing before the @"},
		{"jane@", "nothing after the @"},
		{"Jane <jane@example.com>", "without a name"},
		{"jane doe@example.com", "space"},
		{"jane@exa mple.com", "space"},
		{"jane\x00@example.com", "control character"},
		{"jane@@example.com", "more than one @"},
		{"a@b@example.com", "more than one @"},
		{`"jane doe"@example.com`, "quoted"},
		{"jane@[192.0.2.1]", "IP address literal"},
		{"jane@localhost", "needs a dot"},
		{"jane@example.com.", "ends with a dot"},
		{"jane@example..com", "two dots in a row"},
		{"jane@-example.com", "hyphen"},
		{"jane@example-.com", "hyphen"},
		{"jane@exam_ple.com", "not a valid host name"},
		{"jane@192.0.2.1", "ends in a number"},
		{".jane@example.com", "starts or ends with a dot"},
		{"jane.@example.com", "starts or ends with a dot"},
		{"ja..ne@example.com", "two dots in a row"},
		{"ja(ne@example.com", `'('`},
		{"ja,ne@example.com", `','`},
		{strings.Repeat("a", 65) + "@example.com", "limit is 64"},
		{"jane@" + strings.Repeat("a", 64) + ".com", "longer than 63"},
		{"jane@" + strings.Repeat("abcdefghi.", 26) + "com", "limit is 253"},
		{strings.Repeat("a", 64) + "@" + strings.Repeat("abcdefghi.", 19) + "com", "limit is 254"},
		{"jane@exa\xffmple.com", "UTF-8"},
	}
	for _, tt := range tests {
		_, err := ParseAddress(tt.in)
		if err == nil {
			t.Errorf("ParseAddress(%q) succeeded, want error about %q", tt.in, tt.why)
			continue
		}
		if !errors.Is(err, ErrInvalidAddress) {
			t.Errorf("ParseAddress(%q) error %v does not wrap ErrInvalidAddress", tt.in, err)
		}
		if !strings.Contains(err.Error(), tt.why) {
			t.Errorf("ParseAddress(%q) = %q, want it to mention %q", tt.in, err, tt.why)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseAddress(%q) error spans lines: %q", tt.in, err)
		}
		// account sits below the commands: its errors name no flag.
		if strings.Contains(err.Error(), "--") {
			t.Errorf("ParseAddress(%q) error names a flag: %q", tt.in, err)
		}
	}
	if _, err := ParseAddress("Jane <jane@example.com>"); !errors.Is(err, ErrNameInAddress) {
		t.Errorf("a display name: %v, want ErrNameInAddress", err)
	}
}

func TestNormalizeHost(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mail.Example.COM", "mail.example.com"},
		{"imap.bücher.example", "imap.xn--bcher-kva.example"},
		{"imap.example.com.", "imap.example.com"},
		{"192.0.2.1", "192.0.2.1"},
		{"2001:db8::1", "2001:db8::1"},
	}
	for _, tt := range tests {
		got, err := NormalizeHost(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeHost(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "localhost", "imap..example.com", "bad_host.example", "-x.example"} {
		if got, err := NormalizeHost(in); err == nil {
			t.Errorf("NormalizeHost(%q) = %q, want error", in, got)
		}
	}
}

func TestAddressText(t *testing.T) {
	var a Address
	if err := a.UnmarshalText([]byte("jane@bücher.example")); err != nil {
		t.Fatal(err)
	}
	b, _ := a.MarshalText()
	if got, want := string(b), "jane@xn--bcher-kva.example"; got != want {
		t.Errorf("MarshalText = %q, want %q", got, want)
	}
	if err := a.UnmarshalText([]byte("nope")); err == nil {
		t.Error("UnmarshalText(nope) succeeded")
	}
	if err := a.UnmarshalText(nil); err != nil || !a.IsZero() {
		t.Errorf("UnmarshalText(nil) = %v, %v; want zero", a, err)
	}
}

// FuzzParseAddress checks ParseAddress never panics, that what it accepts
// satisfies the length limits and round-trips through both its forms.
func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"jane@example.com", "jane@bücher.example", "a@b.c", "\"x\"@y.z",
		"用户@例子.广告", "x@xn--bcher-kva.example", "a..b@c.d", "@", "a@[1.2.3.4]", "a@b.c.", "ß@straße.de"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("multi-line error for %q: %q", s, err)
			}
			return
		}
		if len(a.LocalPart()) > maxLocalPart || len(a.Domain()) > maxDomain || len(a.String()) > maxAddress {
			t.Fatalf("ParseAddress(%q) = %q exceeds a limit", s, a)
		}
		for _, form := range []string{a.String(), a.Display()} {
			b, err := ParseAddress(form)
			if err != nil {
				t.Fatalf("ParseAddress(%q) = %q, but re-parsing %q failed: %v", s, a, form, err)
			}
			if b != a {
				t.Fatalf("round trip of %q via %q: got %#v, want %#v", s, form, b, a)
			}
		}
	})
}

func TestFileName(t *testing.T) {
	long := strings.Repeat("d", 60)
	longDomain := long + "." + long + "." + long + "." + long[:40] + ".example"
	tests := []struct{ in, want string }{
		{"jane@example.com", "jane@example.com"},
		{"jane.doe+news_1-x@example.com", "jane.doe+news_1-x@example.com"},
		{"o_brien@example.com", "o_brien@example.com"},
		{"o'brien@example.com", "o_brien=" + hash12("o'brien@example.com") + "@example.com"},
		{"o'brien+news@example.com", "o_brien+news=" + hash12("o'brien+news@example.com") + "@example.com"},
		{"jürgen@bücher.example", "j_rgen=" + hash12("jürgen@xn--bcher-kva.example") + "@xn--bcher-kva.example"},
		{"a/b@example.com", "a_b=" + hash12("a/b@example.com") + "@example.com"},
		{"Olga@example.com", "Olga=" + hash12("Olga@example.com") + "@example.com"},
		{"olga@EXAMPLE.com", "olga@example.com"},
		{"nul.x@example.com", "nul_x=" + hash12("nul.x@example.com") + "@example.com"},
		{"Com1.x@example.com", "Com1_x=" + hash12("Com1.x@example.com") + "@example.com"},
		{"con@example.com", "con@example.com"}, // the stem is "con@example"
		{"x@" + longDomain, "x=" + hash12("x@"+longDomain) + "@" + strings.TrimRight(longDomain[:MaxFileName-len("x=")-12-1], ".")},
	}
	for _, tt := range tests {
		got := MustParseAddress(tt.in).FileName()
		if got != tt.want {
			t.Errorf("FileName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if err := portableName(got); err != nil {
			t.Errorf("FileName(%q) = %q: %v", tt.in, got, err)
		}
	}
	// The addresses that shared a folder before escaping.
	seen := map[string]string{}
	for _, s := range []string{"o_brien@example.com", "o'brien@example.com", "o/brien@example.com", "a_b@example.com", "a'b@example.com",
		"a/b@example.com", "Olga@example.com", "olga@example.com", "OLGA@example.com"} {
		n := strings.ToLower(MustParseAddress(s).FileName())
		if other, ok := seen[n]; ok {
			t.Errorf("%s and %s share the name %s", s, other, n)
		}
		seen[n] = s
	}
}

func hash12(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:6])
}

// portableName checks a name against the rules of Windows, macOS and
// Linux file systems.
func portableName(name string) error {
	switch {
	case name == "", name == ".", name == "..":
		return fmt.Errorf("empty or a dot name")
	case len(name) > 255:
		return fmt.Errorf("%d bytes long", len(name))
	case len(name) > MaxFileName:
		return fmt.Errorf("%d bytes long, over MaxFileName", len(name))
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " "):
		return fmt.Errorf("ends with a dot or space")
	case windowsDevice(name):
		return fmt.Errorf("a Windows device name")
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c >= 0x7f || strings.IndexByte(`<>:"/\|?*`, c) >= 0 {
			return fmt.Errorf("has the byte %q", c)
		}
	}
	return nil
}

// FuzzFileName checks that two different addresses never get one file
// name, even on a file system that ignores case, and that every name is
// valid on Windows, macOS and Linux.
func FuzzFileName(f *testing.F) {
	for _, p := range [][2]string{
		{"o_brien@example.com", "o'brien@example.com"}, {"a/b@example.com", "a_b@example.com"},
		{"Olga@example.com", "olga@example.com"}, {"nul.x@example.com", "nul_x@example.com"},
		{"jürgen@bücher.example", "j_rgen@xn--bcher-kva.example"}, {"x@" + strings.Repeat("a", 63) + ".example", "y@example.com"},
	} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, s1, s2 string) {
		a, err1 := ParseAddress(s1)
		b, err2 := ParseAddress(s2)
		if err1 == nil {
			if err := portableName(a.FileName()); err != nil {
				t.Fatalf("FileName(%q) = %q: %v", a, a.FileName(), err)
			}
		}
		if err1 != nil || err2 != nil {
			return
		}
		na, nb := strings.ToLower(a.FileName()), strings.ToLower(b.FileName())
		if (a.String() == b.String()) != (na == nb) {
			t.Fatalf("%q -> %q and %q -> %q", a, a.FileName(), b, b.FileName())
		}
	})
}
