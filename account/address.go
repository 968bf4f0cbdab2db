package account

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/mail"
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Limits from RFC 5321 §4.5.3.1 that mail servers enforce.
const (
	maxLocalPart = 64
	maxDomain    = 253
	maxLabel     = 63
	maxAddress   = 254
)

// ErrInvalidAddress is wrapped by every error ParseAddress returns.
var ErrInvalidAddress = errors.New("invalid e-mail address")

// ErrNameInAddress is wrapped, besides ErrInvalidAddress, when the input
// carries a display name or angle brackets ("Jane <jane@example.com>").
// It names no flag: a command that takes the name separately says how.
var ErrNameInAddress = errors.New("give only the address, without a name or angle brackets")

// Address is a parsed e-mail address. The domain is kept in two forms: ASCII
// (A-labels, what DNS and mail servers see) and Unicode (what people read).
// The zero Address is empty; use ParseAddress to make one.
type Address struct {
	local         string
	domain        string // ASCII, lower case
	unicodeDomain string
}

// idnaProfile maps (case-folds, NFC-normalises, full-width dots to '.') and
// validates domain names the way a browser or resolver would.
var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.ValidateLabels(true),
	idna.StrictDomainName(true),
	idna.Transitional(false),
)

var displayProfile = idna.New(idna.MapForLookup(), idna.Transitional(false))

// ParseAddress parses a bare e-mail address such as "jane@example.com" or
// "jane@bücher.example" using net/mail's addr-spec rules, and rejects what a
// mail server would reject: a display name or angle brackets, quoted local
// parts, IP-literal domains, single-label domains, over-long parts and
// domain names that are not valid host names. Errors say what is wrong and
// wrap ErrInvalidAddress.
func ParseAddress(s string) (Address, error) {
	in := strings.TrimSpace(s)
	bad := func(code string, args ...any) (Address, error) {
		return Address{}, &AddressError{Input: s, Problem: problem(code, args...)}
	}
	switch {
	case in == "":
		return Address{}, &AddressError{Problem: problem(ProblemEmpty)}
	case !utf8.ValidString(in):
		return bad(ProblemNotUTF8)
	case strings.HasPrefix(in, `"`):
		return bad(ProblemQuoted)
	case strings.ContainsAny(in, "<>"):
		return bad(ProblemName)
	case strings.ContainsFunc(in, unicode.IsSpace):
		return bad(ProblemSpace)
	case strings.ContainsFunc(in, unicode.IsControl):
		return bad(ProblemControl)
	}
	at := strings.LastIndexByte(in, '@')
	if at < 0 {
		return bad(ProblemNoAt)
	}
	local, domain := in[:at], in[at+1:]
	switch {
	case local == "":
		return bad(ProblemNoLocal)
	case domain == "":
		return bad(ProblemNoDomain)
	case strings.HasPrefix(domain, "["):
		return bad(ProblemIPLiteral)
	case strings.Contains(local, "@"):
		return bad(ProblemManyAt)
	}
	if len(local) > maxLocalPart {
		return bad(ProblemLocalTooLong, len(local), maxLocalPart)
	}
	ascii, uni, p := normalizeDomain(domain)
	if p != nil {
		return Address{}, &AddressError{Input: s, Problem: p}
	}
	// net/mail checks the local part is a valid dot-atom (no "..", no
	// leading or trailing dot, no specials). The ASCII domain is always a
	// valid dot-atom, so any error is about the local part.
	if _, err := mail.ParseAddress(local + "@" + ascii); err != nil {
		return Address{}, &AddressError{Input: s, Problem: describeLocalError(local)}
	}
	if n := len(local) + 1 + len(ascii); n > maxAddress {
		return bad(ProblemTooLong, n, maxAddress)
	}
	return Address{local: local, domain: ascii, unicodeDomain: uni}, nil
}

// MustParseAddress is ParseAddress for tests and constants; it panics on error.
func MustParseAddress(s string) Address {
	a, err := ParseAddress(s)
	if err != nil {
		panic(err)
	}
	return a
}

func describeLocalError(local string) *Problem {
	switch {
	case strings.HasPrefix(local, "."), strings.HasSuffix(local, "."):
		return problem(ProblemLocalDotEnds)
	case strings.Contains(local, ".."):
		return problem(ProblemLocalDoubleDot)
	}
	for _, r := range local {
		if strings.ContainsRune(`()<>[]:;@\,"`, r) {
			return problem(ProblemLocalChar, r)
		}
	}
	return problem(ProblemLocalInvalid)
}

// NormalizeHost validates a server host name and returns its ASCII form, so
// "Mail.Bücher.example" becomes "mail.xn--bcher-kva.example". IP addresses
// are returned unchanged. Errors are *HostError.
func NormalizeHost(host string) (string, error) {
	h := strings.TrimSpace(host)
	if h == "" {
		return "", &HostError{Problem: problem(ProblemHostEmpty)}
	}
	if ip, err := netip.ParseAddr(h); err == nil {
		return ip.String(), nil
	}
	ascii, _, p := normalizeDomain(strings.TrimSuffix(h, "."))
	if p != nil {
		return "", &HostError{Host: host, Problem: p}
	}
	return ascii, nil
}

// normalizeDomain returns the ASCII and Unicode forms of a domain, or
// the problem with it.
func normalizeDomain(d string) (ascii, uni string, p *Problem) {
	if strings.HasSuffix(d, ".") {
		return "", "", problem(ProblemDomainDot)
	}
	for _, l := range strings.Split(d, ".") {
		if strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return "", "", problem(ProblemLabelHyphen, l)
		}
	}
	// ASCII characters host names cannot hold are named here, in words
	// the catalogue has; the IDNA library's reasons are English.
	for i := 0; i < len(d); i++ {
		if c := d[i]; c < utf8.RuneSelf && !isLDH(c) && c != '.' {
			return "", "", problem(ProblemDomainChar, c)
		}
	}
	ascii, err := idnaProfile.ToASCII(d)
	if err != nil {
		return "", "", problem(ProblemDomainInvalid, idnaReason(err))
	}
	if len(ascii) > maxDomain {
		return "", "", problem(ProblemDomainTooLong, len(ascii), maxDomain)
	}
	labels := strings.Split(ascii, ".")
	if len(labels) < 2 {
		return "", "", problem(ProblemDomainNoDot)
	}
	for _, l := range labels {
		if p := checkLabel(l); p != nil {
			return "", "", p
		}
	}
	tld := labels[len(labels)-1]
	if strings.Trim(tld, "0123456789") == "" {
		return "", "", problem(ProblemNumericTLD)
	}
	uni, err = displayProfile.ToUnicode(ascii)
	if err != nil {
		uni = ascii
	}
	return ascii, uni, nil
}

// isLDH reports whether c is a letter, digit or hyphen.
func isLDH(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

func checkLabel(l string) *Problem {
	switch {
	case l == "":
		return problem(ProblemLabelEmpty)
	case len(l) > maxLabel:
		return problem(ProblemLabelTooLong, l, maxLabel)
	case l[0] == '-' || l[len(l)-1] == '-':
		return problem(ProblemLabelHyphen, l)
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return problem(ProblemDomainChar, c)
		}
	}
	return nil
}

func idnaReason(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "idna: ")
	return msg
}

// IsZero reports whether a is the empty Address.
func (a Address) IsZero() bool { return a.local == "" }

// LocalPart returns the part before the @.
func (a Address) LocalPart() string { return a.local }

// Domain returns the domain in ASCII (A-label) form, lower case.
func (a Address) Domain() string { return a.domain }

// UnicodeDomain returns the domain for display, with IDN labels decoded.
func (a Address) UnicodeDomain() string { return a.unicodeDomain }

// String returns the address in ASCII form, as mail servers and DNS see it.
func (a Address) String() string {
	if a.IsZero() {
		return ""
	}
	return a.local + "@" + a.domain
}

// Display returns the address for people, with the Unicode domain.
func (a Address) Display() string {
	if a.IsZero() {
		return ""
	}
	return a.local + "@" + a.unicodeDomain
}

// MarshalText implements encoding.TextMarshaler with the ASCII form.
func (a Address) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; it accepts either form.
func (a *Address) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*a = Address{}
		return nil
	}
	v, err := ParseAddress(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// MaxFileName is the longest name FileName and DomainFileName return, in
// bytes: short enough that the longest file name made from one (the name
// plus ".mobileconfig", or "autodiscover-" plus the domain's name plus
// ".xml", inside a temporary name while it is written) stays within the
// 255 bytes (and UTF-16 units) every file system allows for one name. It
// does not keep whole paths within Windows' classic 260-character limit:
// a folder and a file both named after an address near its 254-byte limit
// go over it.
const MaxFileName = 200

// The names FileName and DomainFileName return are valid file and folder
// names on Windows, macOS and Linux:
//   - only ASCII letters, digits and "._+-=@", so none of Windows'
//     forbidden characters (< > : " / \ | ? * and controls 0-31), no ":"
//     (which macOS Finder shows as "/"), no "/" or NUL (Linux), and no
//     non-ASCII character that macOS could store in another Unicode
//     normalisation form (NFC or NFD) than the one it was given;
//   - never "." or "..", never ending in a dot or a space;
//   - never a Windows device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9,
//     also with the digits ¹²³, CONIN$, CONOUT$, in any case) before the
//     first dot, where Windows takes "nul.txt" for the device NUL too;
//   - at most MaxFileName bytes.
// Two addresses (or two domains) never share a name, even on a file system
// that ignores case: a name is either the address or domain itself, or an
// escaped form that holds "=" and 12 hex digits of the SHA-256 of the
// exact address or domain. A name kept as it is never holds "=": "=" is not
// among the characters such an address may have, and no domain has one.

// FileName returns the address as a file or folder name that is valid on
// Windows, macOS and Linux and in mail attachments, and that no other
// address shares, even on a file system that ignores case.
//
// An address whose part before the @ has only lower-case ASCII letters,
// digits and "._+-" is its own name ("jane.doe@example.com"). Any other
// address (upper case, other characters, a Windows device name such as
// "con" before the first dot, or a name over MaxFileName bytes) is
// escaped: its characters outside ASCII letters, digits and "._+-" become
// "_", and "=" plus 12 hex digits of the SHA-256 of the exact address go
// before the @ ("o'brien@example.com" becomes
// "o_brien=8ab1…@example.com"); a part before the @ that starts with a
// device name and a dot has that dot replaced by "_" ("nul.x@example.com"
// becomes "nul_x=…@example.com"), and a domain that would take the name
// over MaxFileName bytes is cut (never ending in a dot). The domain is
// always in lower-case ASCII. A domain that is a device name ("nul.example")
// needs nothing here: the name's part before its first dot holds the @.
func (a Address) FileName() string {
	s := a.String()
	if s == "" {
		return ""
	}
	if plainLocal(a.local) && len(s) <= MaxFileName && !windowsDevice(s) {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	local := []byte(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._+-", r) {
			return r
		}
		return '_'
	}, a.local))
	if windowsDevice(string(local)) {
		// "nul.x" would still name the device NUL on Windows.
		if i := bytes.IndexByte(local, '.'); i >= 0 {
			local[i] = '_'
		}
	}
	suffix := "=" + hex.EncodeToString(sum[:6]) + "@"
	return cutName(string(local) + suffix + a.domain)
}

// DomainFileName returns the address's domain as a file or folder name
// that is valid on Windows, macOS and Linux, and that no other domain
// shares: the folder DIR/_domains/<domain>/ of bulk, and the Autodiscover
// file of the outlook format.
//
// A domain of at most MaxFileName bytes whose first label is not a
// Windows device name is its own name ("example.com", "xn--bcher-kva.example").
// Any other domain ("nul.example", "com1.example.org", or one over
// MaxFileName bytes) gets "=" plus 12 hex digits of the SHA-256 of the
// domain after its first label ("nul=3b5d….example"), and is cut to
// MaxFileName bytes (never ending in a dot).
func (a Address) DomainFileName() string {
	d := a.domain
	if d == "" {
		return ""
	}
	if len(d) <= MaxFileName && !windowsDevice(d) {
		return d
	}
	sum := sha256.Sum256([]byte(d))
	first, rest, _ := strings.Cut(d, ".")
	return cutName(first + "=" + hex.EncodeToString(sum[:6]) + "." + rest)
}

// cutName cuts an escaped name to MaxFileName bytes. Only a domain near its
// 253-byte limit makes a name that long; the hash before the cut keeps the
// name apart from others. Windows refuses a name ending in a dot.
func cutName(name string) string {
	if len(name) <= MaxFileName {
		return name
	}
	return strings.TrimRight(name[:MaxFileName], ".")
}

// plainLocal reports whether a local part is its own file name: only
// lower-case ASCII letters, digits and "._+-".
func plainLocal(local string) bool {
	for i := 0; i < len(local); i++ {
		c := local[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '+' || c == '-') {
			return false
		}
	}
	return true
}

// windowsDevice reports whether Windows takes a file name for a device:
// CON, PRN, AUX, NUL, CONIN$, CONOUT$, COM0-9 or LPT0-9 (the digit also
// ¹, ² or ³), in any case, before the first dot and trailing spaces.
func windowsDevice(name string) bool {
	stem, _, _ := strings.Cut(name, ".")
	stem = strings.ToLower(strings.TrimRight(stem, " "))
	switch stem {
	case "con", "prn", "aux", "nul", "conin$", "conout$":
		return true
	}
	if len(stem) < 4 || stem[:3] != "com" && stem[:3] != "lpt" {
		return false
	}
	switch digit := stem[3:]; digit {
	case "¹", "²", "³":
		return true
	default:
		return len(digit) == 1 && digit[0] >= '0' && digit[0] <= '9'
	}
}

// DisplayHost returns a host name for people: IDN labels decoded, so
// "mail.xn--bcher-kva.example" is shown as "mail.bücher.example". What
// is sent to DNS and servers stays the ASCII form; IP addresses and
// names that do not decode are returned unchanged.
func DisplayHost(host string) string {
	if !strings.Contains(host, "xn--") && !strings.Contains(host, "XN--") {
		return host
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return host
	}
	uni, err := displayProfile.ToUnicode(host)
	if err != nil {
		return host
	}
	return uni
}

// DisplayUser returns a username or address for people: the part after
// the last @, when there is one, decoded like DisplayHost.
func DisplayUser(name string) string {
	at := strings.LastIndexByte(name, '@')
	if at < 0 {
		return name
	}
	return name[:at+1] + DisplayHost(name[at+1:])
}
