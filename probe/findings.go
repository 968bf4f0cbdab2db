package probe

import (
	"fmt"

	"github.com/mailsetup/mailsetup/internal/i18n"
)

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
	Code Code `json:"code"`
	// Message and Fix are the human text, rendered from the catalogue keys
	// probe.<code>.message and probe.<code>.fix (in English unless
	// Options.Catalog or In chose another language).
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
	// msg and fix are the unrendered texts: keys and the values found.
	msg, fix i18n.Msg
}

// In returns the finding with its message and fix rendered in c's
// language. A finding not made by the probe (such as one read back from
// JSON) is returned unchanged.
func (f Finding) In(c *i18n.Catalog) Finding {
	if f.msg.IsZero() {
		return f
	}
	f.Message, f.Fix = c.Render(f.msg), c.Render(f.fix)
	return f
}

// RenderIn returns the finding's message in c's language; it makes a
// Finding an i18n.Renderer, so other messages can quote it.
func (f Finding) RenderIn(c *i18n.Catalog) string { return f.In(c).Message }

// Localize renders every finding of the report in c's language.
func (r *Report) Localize(c *i18n.Catalog) {
	for _, e := range r.Endpoints {
		for i := range e.Findings {
			e.Findings[i] = e.Findings[i].In(c)
		}
	}
}

// Code names a kind of finding, such as "security.none". It is a string, so
// it reads and marshals as one; programs compare a Finding's Code with the
// constants below. Codes are stable and README.md lists every one.
type Code string

// The finding codes. Each one's severity and meaning are catalogued in
// Codes, in the same order; a test keeps these comments, Codes and README.md
// in step, and checks that the probe only ever makes findings from these
// constants.
const (
	// CodeDNSNotFound means the server's host name does not exist in DNS (error).
	CodeDNSNotFound Code = "dns.not-found"
	// CodeDNSFailed means the DNS lookup of the server's host name failed (error).
	CodeDNSFailed Code = "dns.failed"
	// CodeTCPRefused means nothing listens on that port (error).
	CodeTCPRefused Code = "tcp.refused"
	// CodeTCPTimeout means the connection attempt got no answer (often a firewall) (error).
	CodeTCPTimeout Code = "tcp.timeout"
	// CodeTCPFailed means the connection failed for another reason (error).
	CodeTCPFailed Code = "tcp.failed"
	// CodeTCPAddressUnreachable means one of several addresses (often IPv6) cannot be reached (warn).
	CodeTCPAddressUnreachable Code = "tcp.address-unreachable"
	// CodeGreetingTimeout means the server accepted the connection but sent no greeting (error).
	CodeGreetingTimeout Code = "greeting.timeout"
	// CodeGreetingInvalid means the greeting is not the protocol's (error).
	CodeGreetingInvalid Code = "greeting.invalid"
	// CodeGreetingRejected means the server refused the session in its greeting (error).
	CodeGreetingRejected Code = "greeting.rejected"
	// CodeProtocolLineTooLong means the server sent a line over 64 KiB (a flood or a wrong service) (error).
	CodeProtocolLineTooLong Code = "protocol.line-too-long"
	// CodeProtocolTimeout means the server stopped answering in the middle of the session (error).
	CodeProtocolTimeout Code = "protocol.timeout"
	// CodeProtocolError means the server answered a command in a way that makes no sense (error).
	CodeProtocolError Code = "protocol.error"
	// CodeIMAPPreauthCleartext means an IMAP server logged the client in before TLS (PREAUTH) (error).
	CodeIMAPPreauthCleartext Code = "imap.preauth-cleartext"
	// CodeIMAPLoginDisabledMissing means an IMAP server allows LOGIN before TLS (no LOGINDISABLED) (warn).
	CodeIMAPLoginDisabledMissing Code = "imap.logindisabled-missing"
	// CodeAuthCleartextBeforeTLS means the server offers password login before encryption (warn).
	CodeAuthCleartextBeforeTLS Code = "auth.cleartext-before-tls"
	// CodeStartTLSMissing means STARTTLS was expected but the server does not offer it (error).
	CodeStartTLSMissing Code = "starttls.missing"
	// CodeStartTLSRefused means the server refused the STARTTLS command (error).
	CodeStartTLSRefused Code = "starttls.refused"
	// CodeStartTLSInjection means the server sent data between STARTTLS and the TLS handshake (error).
	CodeStartTLSInjection Code = "starttls.injection"
	// CodeStartTLSCommandInjection means the server runs commands sent in cleartext before STARTTLS inside the TLS session (error).
	CodeStartTLSCommandInjection Code = "starttls.command-injection"
	// CodeSecurityNone means the connection is not encrypted (warn).
	CodeSecurityNone Code = "security.none"
	// CodeTLSOK means TLS is up with a trusted certificate for the host name (ok).
	CodeTLSOK Code = "tls.ok"
	// CodeTLSHandshakeFailed means the TLS handshake failed (error).
	CodeTLSHandshakeFailed Code = "tls.handshake-failed"
	// CodeTLSCertExpired means the certificate has expired (error).
	CodeTLSCertExpired Code = "tls.cert.expired"
	// CodeTLSCertNotYetValid means the certificate is not valid yet (error).
	CodeTLSCertNotYetValid Code = "tls.cert.not-yet-valid"
	// CodeTLSCertExpiringSoon means the certificate expires within 14 days (warn).
	CodeTLSCertExpiringSoon Code = "tls.cert.expiring-soon"
	// CodeTLSCertNameMismatch means the certificate is for another host name (error).
	CodeTLSCertNameMismatch Code = "tls.cert.name-mismatch"
	// CodeTLSCertSelfSigned means the certificate is self-signed (error).
	CodeTLSCertSelfSigned Code = "tls.cert.self-signed"
	// CodeTLSCertUntrusted means the certificate is not issued by a trusted authority (error).
	CodeTLSCertUntrusted Code = "tls.cert.untrusted"
	// CodeTLSVersionLegacy means the server still accepts TLS 1.0 or 1.1 (checked with --deep) (warn).
	CodeTLSVersionLegacy Code = "tls.version.legacy"
	// CodeAuthMechanismsMissing means the server advertises no password login method after TLS (warn).
	CodeAuthMechanismsMissing Code = "auth.mechanisms-missing"
	// CodeAuthOAuth2Only means the server only offers OAuth2 sign-in (warn).
	CodeAuthOAuth2Only Code = "auth.oauth2-only"
	// CodeAuthOK means the login succeeded (ok).
	CodeAuthOK Code = "auth.ok"
	// CodeAuthFailed means the server rejected the username or password (error).
	CodeAuthFailed Code = "auth.failed"
	// CodeAuthAppPasswordRequired means the provider needs an app password (or OAuth2) instead of the normal password (error).
	CodeAuthAppPasswordRequired Code = "auth.app-password-required"
	// CodeAuthOAuth2Required means the provider has switched password login off: use OAuth2 (error).
	CodeAuthOAuth2Required Code = "auth.oauth2-required"
	// CodeAuthLocked means the account is locked or in use by another client (error).
	CodeAuthLocked Code = "auth.locked"
	// CodeAuthTemporary means the login failed for a temporary reason (warn).
	CodeAuthTemporary Code = "auth.temporary"
	// CodeAuthPasswordExpired means the password is right but has expired and must be changed (error).
	CodeAuthPasswordExpired Code = "auth.password-expired"
	// CodeAuthNotAuthorized means the credentials are right but the account may not use this service (error).
	CodeAuthNotAuthorized Code = "auth.not-authorized"
	// CodeAuthContactAdmin means the server asks the user to contact the administrator (error).
	CodeAuthContactAdmin Code = "auth.contact-admin"
	// CodeAuthEncryptionRequired means the server wants more protection before a login than the connection gives (error).
	CodeAuthEncryptionRequired Code = "auth.encryption-required"
	// CodeAuthInvalidCharacters means the username or password contains a line break or NUL and was not sent (error).
	CodeAuthInvalidCharacters Code = "auth.invalid-characters"
	// CodeAuthSkippedInsecure means the login test was skipped because TLS is not verified (warn).
	CodeAuthSkippedInsecure Code = "auth.skipped-insecure"
	// CodeAuthSkippedNoPassword means no password was given, so the login was not tested (info).
	CodeAuthSkippedNoPassword Code = "auth.skipped-no-password"
)

// CodeInfo is a catalogue entry: a finding code with the severity the probe
// gives it and its meaning in plain words.
type CodeInfo struct {
	Code     Code
	Severity Severity
	Meaning  string
}

// Codes lists every finding code the probe can report, with its severity and
// meaning. README.md's finding table has one row per entry, in this order;
// TestREADMEListsEveryCode keeps the two in step.
var Codes = []CodeInfo{
	{CodeDNSNotFound, SevError, "the server's host name does not exist in DNS"},
	{CodeDNSFailed, SevError, "the DNS lookup of the server's host name failed"},
	{CodeTCPRefused, SevError, "nothing listens on that port"},
	{CodeTCPTimeout, SevError, "the connection attempt got no answer (often a firewall)"},
	{CodeTCPFailed, SevError, "the connection failed for another reason"},
	{CodeTCPAddressUnreachable, SevWarn, "one of several addresses (often IPv6) cannot be reached"},
	{CodeGreetingTimeout, SevError, "the server accepted the connection but sent no greeting"},
	{CodeGreetingInvalid, SevError, "the greeting is not the protocol's"},
	{CodeGreetingRejected, SevError, "the server refused the session in its greeting"},
	{CodeProtocolLineTooLong, SevError, "the server sent a line over 64 KiB (a flood or a wrong service)"},
	{CodeProtocolTimeout, SevError, "the server stopped answering in the middle of the session"},
	{CodeProtocolError, SevError, "the server answered a command in a way that makes no sense"},
	{CodeIMAPPreauthCleartext, SevError, "an IMAP server logged the client in before TLS (PREAUTH)"},
	{CodeIMAPLoginDisabledMissing, SevWarn, "an IMAP server allows LOGIN before TLS (no LOGINDISABLED)"},
	{CodeAuthCleartextBeforeTLS, SevWarn, "the server offers password login before encryption"},
	{CodeStartTLSMissing, SevError, "STARTTLS was expected but the server does not offer it"},
	{CodeStartTLSRefused, SevError, "the server refused the STARTTLS command"},
	{CodeStartTLSInjection, SevError, "the server sent data between STARTTLS and the TLS handshake"},
	{CodeStartTLSCommandInjection, SevError, "the server runs commands sent in cleartext before STARTTLS inside the TLS session"},
	{CodeSecurityNone, SevWarn, "the connection is not encrypted"},
	{CodeTLSOK, SevOK, "TLS is up with a trusted certificate for the host name"},
	{CodeTLSHandshakeFailed, SevError, "the TLS handshake failed"},
	{CodeTLSCertExpired, SevError, "the certificate has expired"},
	{CodeTLSCertNotYetValid, SevError, "the certificate is not valid yet"},
	{CodeTLSCertExpiringSoon, SevWarn, "the certificate expires within 14 days"},
	{CodeTLSCertNameMismatch, SevError, "the certificate is for another host name"},
	{CodeTLSCertSelfSigned, SevError, "the certificate is self-signed"},
	{CodeTLSCertUntrusted, SevError, "the certificate is not issued by a trusted authority"},
	{CodeTLSVersionLegacy, SevWarn, "the server still accepts TLS 1.0 or 1.1 (checked with --deep)"},
	{CodeAuthMechanismsMissing, SevWarn, "the server advertises no password login method after TLS"},
	{CodeAuthOAuth2Only, SevWarn, "the server only offers OAuth2 sign-in"},
	{CodeAuthOK, SevOK, "the login succeeded"},
	{CodeAuthFailed, SevError, "the server rejected the username or password"},
	{CodeAuthAppPasswordRequired, SevError, "the provider needs an app password (or OAuth2) instead of the normal password"},
	{CodeAuthOAuth2Required, SevError, "the provider has switched password login off: use OAuth2"},
	{CodeAuthLocked, SevError, "the account is locked or in use by another client"},
	{CodeAuthTemporary, SevWarn, "the login failed for a temporary reason"},
	{CodeAuthPasswordExpired, SevError, "the password is right but has expired and must be changed"},
	{CodeAuthNotAuthorized, SevError, "the credentials are right but the account may not use this service"},
	{CodeAuthContactAdmin, SevError, "the server asks the user to contact the administrator"},
	{CodeAuthEncryptionRequired, SevError, "the server wants more protection before a login than the connection gives"},
	{CodeAuthInvalidCharacters, SevError, "the username or password contains a line break or NUL and was not sent"},
	{CodeAuthSkippedInsecure, SevWarn, "the login test was skipped because TLS is not verified"},
	{CodeAuthSkippedNoPassword, SevInfo, "no password was given, so the login was not tested"},
}

var codeIndex = func() map[Code]CodeInfo {
	m := make(map[Code]CodeInfo, len(Codes))
	for _, c := range Codes {
		m[c.Code] = c
	}
	return m
}()

// newFinding makes a finding with the catalogued severity of code, its
// message (usually msgFor(code, ...)) and fix (usually fixFor(code, ...)),
// rendered in English. code is always one of the Code constants (a test
// rejects any other argument), and every constant is catalogued, so the
// lookup cannot miss.
func newFinding(code Code, fix, msg i18n.Msg) Finding {
	f := Finding{Severity: codeIndex[code].Severity, Code: code, msg: msg, fix: fix}
	return f.In(nil)
}

// msgFor is the message of code: key probe.<code>.message with args.
func msgFor(code Code, args ...any) i18n.Msg {
	return i18n.M(MessageKey(code), args...)
}

// fixFor is the fix of code: key probe.<code>.fix with args.
func fixFor(code Code, args ...any) i18n.Msg {
	return i18n.M(FixKey(code), args...)
}

// MessageKey and FixKey are the catalogue keys of a code's message and fix.
func MessageKey(c Code) string { return "probe." + string(c) + ".message" }

// FixKey is the catalogue key of a code's fix; see MessageKey.
func FixKey(c Code) string { return "probe." + string(c) + ".fix" }
