package account

import (
	"fmt"
	"strings"
)

// Protocol is the mail protocol a server speaks.
type Protocol int

// Protocols. The zero value means "not set".
const (
	ProtocolUnset Protocol = iota
	IMAP
	POP3
	SMTP
)

var protocolNames = []string{"", "imap", "pop3", "smtp"}

// String returns the stable lower-case form used in JSON and flags.
func (p Protocol) String() string { return enumName(protocolNames, int(p)) }

// Label returns the form shown to people ("IMAP", "POP3", "SMTP").
func (p Protocol) Label() string { return strings.ToUpper(p.String()) }

// ParseProtocol parses a protocol name. It accepts "imap", "pop3" (or
// "pop") and "smtp" (or "submission"), in any case.
func ParseProtocol(s string) (Protocol, error) {
	switch norm(s) {
	case "imap", "imap4":
		return IMAP, nil
	case "pop3", "pop":
		return POP3, nil
	case "smtp", "submission", "submissions":
		return SMTP, nil
	}
	return ProtocolUnset, &EnumError{Kind: "protocol", Value: s, Want: []string{"imap", "pop3", "smtp"}}
}

// Incoming reports whether the protocol receives mail (IMAP or POP3).
func (p Protocol) Incoming() bool { return p == IMAP || p == POP3 }

// MarshalText implements encoding.TextMarshaler.
func (p Protocol) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Protocol) UnmarshalText(b []byte) error { return unmarshalEnum(b, p, ParseProtocol) }

// Set implements pflag.Value so a Protocol can be a command-line flag.
func (p *Protocol) Set(s string) error { return p.UnmarshalText([]byte(s)) }

// Type implements pflag.Value.
func (p *Protocol) Type() string { return "protocol" }

// Security is how a connection is protected.
type Security int

// Security types. The zero value means "not set".
const (
	SecurityUnset Security = iota
	// TLS is implicit TLS from the first byte (ports 993, 995, 465).
	TLS
	// STARTTLS starts in cleartext and upgrades with STARTTLS (STLS for POP3).
	STARTTLS
	// None is no encryption at all.
	None
)

var securityNames = []string{"", "tls", "starttls", "none"}

// String returns the stable lower-case form used in JSON and flags.
func (s Security) String() string { return enumName(securityNames, int(s)) }

// Label returns the form mail clients show ("SSL/TLS", "STARTTLS", "None").
func (s Security) Label() string {
	switch s {
	case TLS:
		return "SSL/TLS"
	case STARTTLS:
		return "STARTTLS"
	case None:
		return "None"
	}
	return ""
}

// ParseSecurity parses a security type. Besides the canonical "tls",
// "starttls" and "none" it accepts the names mail clients use: "ssl",
// "ssl/tls", "implicit", "stls", "plain".
func ParseSecurity(s string) (Security, error) {
	switch norm(s) {
	case "tls", "ssl", "ssl/tls", "ssltls", "implicit", "implicit-tls":
		return TLS, nil
	case "starttls", "stls", "start-tls":
		return STARTTLS, nil
	case "none", "plain", "cleartext", "insecure":
		return None, nil
	}
	return SecurityUnset, &EnumError{Kind: "security", Value: s, Want: []string{"tls", "starttls", "none"}}
}

// MarshalText implements encoding.TextMarshaler.
func (s Security) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Security) UnmarshalText(b []byte) error { return unmarshalEnum(b, s, ParseSecurity) }

// Set implements pflag.Value.
func (s *Security) Set(v string) error { return s.UnmarshalText([]byte(v)) }

// Type implements pflag.Value.
func (s *Security) Type() string { return "security" }

// AuthMethod is how a client proves who it is. The names follow Mozilla's
// autoconfig <authentication> values, lower-cased.
type AuthMethod int

// Authentication methods. The zero value means "not set".
const (
	AuthUnset AuthMethod = iota
	// AuthPasswordCleartext sends the password as is (PLAIN/LOGIN); safe only inside TLS.
	AuthPasswordCleartext
	// AuthPasswordEncrypted is a challenge-response password exchange such as CRAM-MD5.
	AuthPasswordEncrypted
	// AuthOAuth2 signs in through the provider's web page (XOAUTH2/OAUTHBEARER).
	AuthOAuth2
	// AuthNTLM is Microsoft's NTLM.
	AuthNTLM
	// AuthGSSAPI is Kerberos.
	AuthGSSAPI
	// AuthClientIP means the server trusts the client's network address.
	AuthClientIP
	// AuthTLSClientCert authenticates with a TLS client certificate.
	AuthTLSClientCert
	// AuthNone sends no credentials.
	AuthNone
)

var authNames = []string{"", "password-cleartext", "password-encrypted", "oauth2", "ntlm", "gssapi",
	"client-ip-address", "tls-client-cert", "none"}

// String returns the stable lower-case form used in JSON and flags.
func (a AuthMethod) String() string { return enumName(authNames, int(a)) }

// Label returns a short description for people.
func (a AuthMethod) Label() string {
	switch a {
	case AuthPasswordCleartext:
		return "Normal password"
	case AuthPasswordEncrypted:
		return "Encrypted password"
	case AuthOAuth2:
		return "OAuth2"
	case AuthNTLM:
		return "NTLM"
	case AuthGSSAPI:
		return "Kerberos / GSSAPI"
	case AuthClientIP:
		return "Client IP address"
	case AuthTLSClientCert:
		return "TLS client certificate"
	case AuthNone:
		return "No authentication"
	}
	return ""
}

// UsesPassword reports whether the method needs the user's password.
func (a AuthMethod) UsesPassword() bool {
	return a == AuthPasswordCleartext || a == AuthPasswordEncrypted || a == AuthNTLM
}

// NeedsUsername reports whether the method identifies a user by name.
func (a AuthMethod) NeedsUsername() bool {
	return a != AuthNone && a != AuthClientIP && a != AuthTLSClientCert && a != AuthUnset
}

// ParseAuthMethod parses an authentication method, case-insensitively. It
// accepts the canonical names and common aliases ("password", "plain",
// "cram-md5", "xoauth2", "kerberos").
func ParseAuthMethod(s string) (AuthMethod, error) {
	switch norm(s) {
	case "password-cleartext", "password", "plain", "login", "cleartext", "normal":
		return AuthPasswordCleartext, nil
	case "password-encrypted", "encrypted", "cram-md5", "digest-md5":
		return AuthPasswordEncrypted, nil
	case "oauth2", "xoauth2", "oauthbearer", "oauth":
		return AuthOAuth2, nil
	case "ntlm", "spa":
		return AuthNTLM, nil
	case "gssapi", "kerberos":
		return AuthGSSAPI, nil
	case "client-ip-address", "client-ip":
		return AuthClientIP, nil
	case "tls-client-cert", "client-cert", "external":
		return AuthTLSClientCert, nil
	case "none":
		return AuthNone, nil
	}
	return AuthUnset, &EnumError{Kind: "auth", Value: s, Want: authNames[1:]}
}

// MarshalText implements encoding.TextMarshaler.
func (a AuthMethod) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *AuthMethod) UnmarshalText(b []byte) error { return unmarshalEnum(b, a, ParseAuthMethod) }

// Set implements pflag.Value.
func (a *AuthMethod) Set(s string) error { return a.UnmarshalText([]byte(s)) }

// Type implements pflag.Value.
func (a *AuthMethod) Type() string { return "auth" }

func norm(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func enumName(names []string, i int) string {
	if i < 0 || i >= len(names) {
		return fmt.Sprintf("invalid(%d)", i)
	}
	return names[i]
}

// unmarshalEnum parses b into *dst; an empty value resets it to unset.
func unmarshalEnum[T ~int](b []byte, dst *T, parse func(string) (T, error)) error {
	if len(b) == 0 {
		*dst = 0
		return nil
	}
	v, err := parse(string(b))
	if err != nil {
		return err
	}
	*dst = v
	return nil
}
