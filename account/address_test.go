package account

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
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
		if err := validPortableName(got); err != nil {
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

// windowsDevices are the names Windows takes for devices before a file
// name's first dot, in any case: CON, PRN, AUX, NUL, CONIN$, CONOUT$, and
// COM and LPT with a digit 0-9 or a superscript ¹²³.
var windowsDevices = func() []string {
	names := []string{"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
	for _, d := range []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³"} {
		names = append(names, "COM"+d, "LPT"+d)
	}
	return names
}()

// validWindowsName checks one file or folder name against the rules of
// Windows (Win32 naming conventions), written out here apart from the code
// under test. Windows' rules include those of Linux ("/" and NUL) and of
// macOS (":").
func validWindowsName(name string) error {
	switch name {
	case "", ".", "..":
		return fmt.Errorf("%q is not a name", name)
	}
	if !utf8.ValidString(name) {
		return errors.New("not valid UTF-8")
	}
	for _, r := range name {
		if r < 0x20 || strings.ContainsRune(`<>:"/\|?*`, r) {
			return fmt.Errorf("has the forbidden character %q", r)
		}
	}
	if strings.HasSuffix(name, ".") || strings.HasSuffix(name, " ") {
		return errors.New("ends with a dot or a space")
	}
	if n := len(utf16.Encode([]rune(name))); n > 255 {
		return fmt.Errorf("%d UTF-16 units long, over 255", n)
	}
	stem, _, _ := strings.Cut(name, ".")
	stem = strings.TrimRight(stem, " ")
	for _, dev := range windowsDevices {
		if strings.EqualFold(stem, dev) {
			return fmt.Errorf("names the device %s", dev)
		}
	}
	return nil
}

// validPortableName is validWindowsName plus what FileName promises
// beyond it: ASCII only (so macOS has no NFC/NFD form to change) and at
// most MaxFileName bytes.
func validPortableName(name string) error {
	if err := validWindowsName(name); err != nil {
		return err
	}
	for i := 0; i < len(name); i++ {
		if name[i] >= 0x80 {
			return fmt.Errorf("has the non-ASCII byte %#x", name[i])
		}
	}
	if len(name) > MaxFileName {
		return fmt.Errorf("%d bytes long, over MaxFileName", len(name))
	}
	return nil
}

// TestValidWindowsName: the checker refuses a name for each rule, so the
// tests that rely on it can fail.
func TestValidWindowsName(t *testing.T) {
	for _, name := range []string{"jane@example.com", "nulx.txt", "com10", "lpt", "conin", "x.nul", "a b", "-a", "a=b@c.d", "jürgen", strings.Repeat("a", 255), strings.Repeat("ü", 255)} {
		if err := validWindowsName(name); err != nil {
			t.Errorf("validWindowsName(%q): %v", name, err)
		}
	}
	for _, name := range []string{
		"", ".", "..", // not names
		"a<b", "a>b", "a:b", `a"b`, "a/b", `a\b`, "a|b", "a?b", "a*b", "a\x00b", "a\x1fb", "a\tb", // forbidden characters
		"a.", "a ", "a. ", // trailing dot or space
		strings.Repeat("a", 256), strings.Repeat("😀", 128), // over 255 UTF-16 units
		"con", "CON", "Prn.txt", "aux.tar.gz", "nul", "NUL.example", "nul .txt", "conin$", "CONOUT$.x", // devices
		"com0", "COM9.log", "lpt1", "Lpt9.x", "com¹", "COM².txt", "lpt³", // numbered devices
		"a\xffb", // not UTF-8
	} {
		if validWindowsName(name) == nil {
			t.Errorf("validWindowsName(%q) accepted it", name)
		}
	}
	for _, name := range []string{"jürgen", strings.Repeat("a", MaxFileName+1)} {
		if validPortableName(name) == nil {
			t.Errorf("validPortableName(%q) accepted it", name)
		}
	}
}

// TestWindowsDevice: the code's device check agrees with the list
// validWindowsName uses, in every case, with and without an extension,
// and refuses near misses. FileName and DomainFileName only ever give it
// ASCII (superscript digits and "$" never reach a name), but it answers
// for any name.
func TestWindowsDevice(t *testing.T) {
	for _, dev := range windowsDevices {
		for _, name := range []string{dev, strings.ToLower(dev), dev + ".txt", strings.ToLower(dev) + ".tar.gz", dev + " .x"} {
			if !windowsDevice(name) {
				t.Errorf("windowsDevice(%q) = false", name)
			}
		}
	}
	for _, name := range []string{"co", "conx", "nul_x", "com", "com10", "lpt¹0", "com_", "comα", "x.nul", "conin", "conout$x", "nul@example", ""} {
		if windowsDevice(name) {
			t.Errorf("windowsDevice(%q) = true", name)
		}
	}
}

// TestFileNameWindowsRules: for each rule, addresses that ParseAddress
// accepts and that would break it get a name that keeps it.
func TestFileNameWindowsRules(t *testing.T) {
	var addrs []string
	// Characters ParseAddress accepts in a local part that Windows forbids,
	// and other characters, including non-ASCII in both normal forms.
	for _, c := range []string{"/", "|", "?", "*", "'", "!", "#", "$", "%", "&", "=", "^", "`", "{", "}", "~", "ü", "u\u0308", "用"} {
		addrs = append(addrs, "a"+c+"b@example.com", c+"@example.com", "x."+c+"@example.com")
	}
	// Device names before the first dot, in every case, in the local part
	// and as the domain's first label (superscript digits become ASCII
	// digits in a domain).
	for _, dev := range windowsDevices {
		for _, d := range []string{dev, strings.ToLower(dev)} {
			addrs = append(addrs, d+"@example.com", d+".x@example.com", d+".x.y@example.com")
			if !strings.Contains(d, "$") { // not in a host name
				addrs = append(addrs, "jane@"+d+".example", "jane@"+d+".example.com", d+"@"+d+".example")
			}
		}
	}
	// Lengths: the longest local part and the longest domain.
	local64 := strings.Repeat("l", 64)
	label := strings.Repeat("d", 63)
	addrs = append(addrs, local64+"@"+label+"."+label+"."+strings.Repeat("d", 53)+".example",
		"x@"+label+"."+label+"."+label+"."+strings.Repeat("d", 51)+".example",
		"nul.x@"+label+"."+label+"."+label+"."+strings.Repeat("d", 47)+".example")
	// The cut at MaxFileName bytes lands on a dot for some first labels.
	for k := 1; k <= 63; k++ {
		d := strings.Repeat("a", k)
		for len(d)+len(".bb") <= 240 {
			d += ".bb"
		}
		addrs = append(addrs, "x@"+d+".example", "X@"+d+".example")
	}
	seen := map[string]string{}
	seenDomain := map[string]string{}
	for _, s := range addrs {
		a, err := ParseAddress(s)
		if err != nil {
			t.Errorf("ParseAddress(%q): %v", s, err)
			continue
		}
		name, dname := a.FileName(), a.DomainFileName()
		if err := validPortableName(name); err != nil {
			t.Errorf("%q: FileName %q: %v", s, name, err)
		}
		if err := validPortableName(dname); err != nil {
			t.Errorf("%q: DomainFileName %q: %v", s, dname, err)
		}
		if other, ok := seen[strings.ToLower(name)]; ok && other != a.String() {
			t.Errorf("%s and %s share the name %s", a, other, name)
		}
		seen[strings.ToLower(name)] = a.String()
		if other, ok := seenDomain[dname]; ok && other != a.Domain() {
			t.Errorf("%s and %s share the name %s", a.Domain(), other, dname)
		}
		seenDomain[dname] = a.Domain()
	}
	// Quoted local parts, which could end in a dot or hold a space or a
	// backslash, are refused, and so is a local part ending in a dot.
	for _, s := range []string{`"a."@example.com`, `"a b"@example.com`, `"a\\b"@example.com`, `a."b"@example.com`, `a.@example.com`, `(c)a@example.com`, "a\x01@example.com"} {
		if a, err := ParseAddress(s); err == nil {
			t.Errorf("ParseAddress(%q) = %q, want an error", s, a)
		}
	}
}

func TestDomainFileName(t *testing.T) {
	label := strings.Repeat("d", 63)
	long := label + "." + label + "." + label + "." + strings.Repeat("d", 52) + ".example" // 253 bytes
	tests := []struct{ in, want string }{
		{"jane@example.com", "example.com"},
		{"jane@mail.example.co.uk", "mail.example.co.uk"},
		{"jane@bücher.example", "xn--bcher-kva.example"},
		{"jane@nulx.example", "nulx.example"},
		{"jane@x.nul.example", "x.nul.example"},
		{"jane@com10.example", "com10.example"},
		{"jane@nul.example", "nul=" + hash12("nul.example") + ".example"},
		{"jane@NUL.Example", "nul=" + hash12("nul.example") + ".example"},
		{"jane@con.example.com", "con=" + hash12("con.example.com") + ".example.com"},
		{"jane@prn.example", "prn=" + hash12("prn.example") + ".example"},
		{"jane@aux.example", "aux=" + hash12("aux.example") + ".example"},
		{"jane@com0.example", "com0=" + hash12("com0.example") + ".example"},
		{"jane@lpt9.example", "lpt9=" + hash12("lpt9.example") + ".example"},
		{"jane@com¹.example", "com1=" + hash12("com1.example") + ".example"},
		{"x@" + long, (label + "=" + hash12(long) + "." + long[64:])[:MaxFileName]},
	}
	for _, tt := range tests {
		got := MustParseAddress(tt.in).DomainFileName()
		if got != tt.want {
			t.Errorf("DomainFileName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if err := validPortableName(got); err != nil {
			t.Errorf("DomainFileName(%q) = %q: %v", tt.in, got, err)
		}
	}
	if got := (Address{}).DomainFileName(); got != "" {
		t.Errorf("the zero Address's DomainFileName is %q", got)
	}
}

// FuzzFileName checks that every name FileName and DomainFileName give is
// valid on Windows, macOS and Linux (validPortableName), that two
// different addresses never get one file name and two different domains
// never one domain name, even on a file system that ignores case, and that
// an address's name (which holds an @) never equals a domain's.
func FuzzFileName(f *testing.F) {
	long := strings.Repeat("d", 63)
	for _, p := range [][2]string{
		{"o_brien@example.com", "o'brien@example.com"}, {"a/b@example.com", "a_b@example.com"},
		{"Olga@example.com", "olga@example.com"}, {"nul.x@example.com", "nul_x@example.com"},
		{"jürgen@bücher.example", "j_rgen@xn--bcher-kva.example"}, {"x@" + strings.Repeat("a", 63) + ".example", "y@example.com"},
		{"jane@nul.example", "jane@nul=0.example"}, {"x@con.example.com", "x@com¹.example"}, {"LPT².x@lpt3.example", "conout$@example.com"},
		{"x@" + long + "." + long + "." + long + "." + long[:52] + ".example", "x@" + long + "." + long + "." + long + "." + long[:51] + ".example"},
	} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, s1, s2 string) {
		a, err1 := ParseAddress(s1)
		b, err2 := ParseAddress(s2)
		if err1 == nil {
			if err := validPortableName(a.FileName()); err != nil {
				t.Fatalf("FileName(%q) = %q: %v", a, a.FileName(), err)
			}
			if err := validPortableName(a.DomainFileName()); err != nil {
				t.Fatalf("DomainFileName(%q) = %q: %v", a, a.DomainFileName(), err)
			}
			if !strings.Contains(a.FileName(), "@") || strings.Contains(a.DomainFileName(), "@") {
				t.Fatalf("%q: FileName %q, DomainFileName %q", a, a.FileName(), a.DomainFileName())
			}
		}
		if err1 != nil || err2 != nil {
			return
		}
		na, nb := strings.ToLower(a.FileName()), strings.ToLower(b.FileName())
		if (a.String() == b.String()) != (na == nb) {
			t.Fatalf("%q -> %q and %q -> %q", a, a.FileName(), b, b.FileName())
		}
		da, db := strings.ToLower(a.DomainFileName()), strings.ToLower(b.DomainFileName())
		if (a.Domain() == b.Domain()) != (da == db) {
			t.Fatalf("%q -> %q and %q -> %q", a.Domain(), a.DomainFileName(), b.Domain(), b.DomainFileName())
		}
	})
}

func TestDisplayHost(t *testing.T) {
	for in, want := range map[string]string{
		"mail.xn--bcher-kva.example": "mail.bücher.example",
		"imap.example.com":           "imap.example.com",
		"192.0.2.1":                  "192.0.2.1",
		"2001:db8::1":                "2001:db8::1",
		"xn--invalid-.example":       "xn--invalid-.example",
	} {
		if got := DisplayHost(in); got != want {
			t.Errorf("DisplayHost(%q) = %q, want %q", in, got, want)
		}
	}
	if got := DisplayUser("jane@xn--bcher-kva.example"); got != "jane@bücher.example" {
		t.Errorf("DisplayUser = %q", got)
	}
	if got := DisplayUser("jane"); got != "jane" {
		t.Errorf("DisplayUser(jane) = %q", got)
	}
	s := Server{Protocol: IMAP, Host: "imap.xn--bcher-kva.example", Port: 993, Security: TLS}
	if got := s.DisplayString(); got != "IMAP imap.bücher.example:993 SSL/TLS" {
		t.Errorf("DisplayString = %q", got)
	}
	if s.Host != "imap.xn--bcher-kva.example" {
		t.Error("DisplayString changed the server")
	}
}
