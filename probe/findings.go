package probe

import "fmt"

// Severity ranks a finding.
type Severity int

// Severities, from harmless to blocking.
const (
	SevOK Severity = iota
	SevInfo
	SevWarn
	SevError
)

var sevNames = []string{"ok", "info", "warn", "error"}

// String returns "ok", "info", "warn" or "error".
func (s Severity) String() string { return sevNames[s] }

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	for i, n := range sevNames {
		if n == string(b) {
			*s = Severity(i)
			return nil
		}
	}
	return fmt.Errorf("unknown severity %q", b)
}

// Finding is one thing the probe found out, in plain words, with what to do
// about it.
type Finding struct {
	Severity Severity `json:"severity"`
	// Code is stable: scripts may match on it. README.md lists every code.
	Code    string `json:"code"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
}

// Code describes a finding code for the catalogue.
type Code struct {
	Code     string
	Severity Severity
	Meaning  string
}

// Codes lists every finding code the probe can report, with its usual
// severity and meaning. README.md's table is generated from it and a test
// keeps the two in step.
var Codes = []Code{
	{"dns.not-found", SevError, "the server's host name does not exist in DNS"},
	{"dns.failed", SevError, "the DNS lookup of the server's host name failed"},
	{"tcp.refused", SevError, "nothing listens on that port"},
	{"tcp.timeout", SevError, "the connection attempt got no answer (often a firewall)"},
	{"tcp.failed", SevError, "the connection failed for another reason"},
	{"tcp.address-unreachable", SevWarn, "one of several addresses (often IPv6) cannot be reached"},
	{"greeting.timeout", SevError, "the server accepted the connection but sent no greeting"},
	{"greeting.invalid", SevError, "the greeting is not the protocol's"},
	{"greeting.rejected", SevError, "the server refused the session in its greeting"},
	{"protocol.line-too-long", SevError, "the server sent a line over 64 KiB (a flood or a wrong service)"},
	{"protocol.timeout", SevError, "the server stopped answering in the middle of the session"},
	{"protocol.error", SevError, "the server answered a command in a way that makes no sense"},
	{"imap.preauth-cleartext", SevError, "an IMAP server logged the client in before TLS (PREAUTH)"},
	{"imap.logindisabled-missing", SevWarn, "an IMAP server allows LOGIN before TLS (no LOGINDISABLED)"},
	{"auth.cleartext-before-tls", SevWarn, "the server offers password login before encryption"},
	{"starttls.missing", SevError, "STARTTLS was expected but the server does not offer it"},
	{"starttls.refused", SevError, "the server refused the STARTTLS command"},
	{"starttls.injection", SevError, "the server sent data between STARTTLS and the TLS handshake"},
	{"starttls.command-injection", SevError, "the server runs commands sent in cleartext before STARTTLS inside the TLS session"},
	{"security.none", SevWarn, "the connection is not encrypted"},
	{"tls.ok", SevOK, "TLS is up with a trusted certificate for the host name"},
	{"tls.handshake-failed", SevError, "the TLS handshake failed"},
	{"tls.cert.expired", SevError, "the certificate has expired"},
	{"tls.cert.not-yet-valid", SevError, "the certificate is not valid yet"},
	{"tls.cert.expiring-soon", SevWarn, "the certificate expires within 14 days"},
	{"tls.cert.name-mismatch", SevError, "the certificate is for another host name"},
	{"tls.cert.self-signed", SevError, "the certificate is self-signed"},
	{"tls.cert.untrusted", SevError, "the certificate is not issued by a trusted authority"},
	{"tls.version.legacy", SevWarn, "the server still accepts TLS 1.0 or 1.1 (checked with --deep)"},
	{"auth.mechanisms-missing", SevWarn, "the server advertises no password login method after TLS"},
	{"auth.oauth2-only", SevWarn, "the server only offers OAuth2 sign-in"},
	{"auth.ok", SevOK, "the login succeeded"},
	{"auth.failed", SevError, "the server rejected the username or password"},
	{"auth.app-password-required", SevError, "the provider needs an app password (or OAuth2) instead of the normal password"},
	{"auth.oauth2-required", SevError, "the provider has switched password login off: use OAuth2"},
	{"auth.locked", SevError, "the account is locked or in use by another client"},
	{"auth.temporary", SevWarn, "the login failed for a temporary reason"},
	{"auth.password-expired", SevError, "the password is right but has expired and must be changed"},
	{"auth.not-authorized", SevError, "the credentials are right but the account may not use this service"},
	{"auth.contact-admin", SevError, "the server asks the user to contact the administrator"},
	{"auth.encryption-required", SevError, "the server wants more protection before a login than the connection gives"},
	{"auth.invalid-characters", SevError, "the username or password contains a line break or NUL and was not sent"},
	{"auth.skipped-insecure", SevWarn, "the login test was skipped because TLS is not verified"},
	{"auth.skipped-no-password", SevInfo, "no password was given, so the login was not tested"},
}

var codeIndex = func() map[string]Code {
	m := make(map[string]Code, len(Codes))
	for _, c := range Codes {
		m[c.Code] = c
	}
	return m
}()

// newFinding makes a finding with the catalogued severity of code; it
// panics on an unknown code so that the catalogue cannot drift.
func newFinding(code, fix, format string, args ...any) Finding {
	c, ok := codeIndex[code]
	if !ok {
		panic("probe: unknown finding code " + code)
	}
	return Finding{Severity: c.Severity, Code: code, Message: fmt.Sprintf(format, args...), Fix: fix}
}
