// Package account is the shared model of a mail account: the address, the
// incoming and outgoing servers, POP3 options and where the settings came
// from. Every other mailsetup package speaks in these types. It holds no
// secrets: passwords travel separately and never reach JSON.
package account

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Server is one mail server endpoint as a client is configured for it.
type Server struct {
	Protocol Protocol   `json:"protocol"`
	Host     string     `json:"host"`
	Port     int        `json:"port"`
	Security Security   `json:"security"`
	Auth     AuthMethod `json:"auth"`
	// Auths, when set, lists every authentication method the provider
	// names for the server, in its order of preference; Auth is its
	// first. Exports pick the first one their client supports (Methods).
	// Empty: Auth is the only method known.
	Auths []AuthMethod `json:"auth_methods,omitempty"`
	// Username is the login name; it may hold placeholders such as
	// %EMAILADDRESS% until Expand fills them in.
	Username string `json:"username,omitempty"`
}

// Methods returns the server's authentication methods in the provider's
// order of preference: Auths when it starts with Auth, else Auth alone
// (Auth was changed after discovery, e.g. by a flag, and the list no
// longer describes the server), or nothing when Auth is unset.
func (s Server) Methods() []AuthMethod {
	if len(s.Auths) > 0 && s.Auths[0] == s.Auth {
		return s.Auths
	}
	if s.Auth == AuthUnset {
		return nil
	}
	return []AuthMethod{s.Auth}
}

// FirstMethod returns the first of the server's methods (Methods) that ok
// accepts, and whether one did: how an export whose client supports only
// some methods picks the one to write.
func (s Server) FirstMethod(ok func(AuthMethod) bool) (AuthMethod, bool) {
	for _, m := range s.Methods() {
		if ok(m) {
			return m, true
		}
	}
	return AuthUnset, false
}

// WithAuth returns s using method m, m first in Auths, which keeps the
// server's other methods as alternatives when m is one of them and is
// just m otherwise.
func (s Server) WithAuth(m AuthMethod) Server {
	rest := s.Methods()
	s.Auth = m
	if len(rest) == 0 || (len(rest) == 1 && rest[0] == m) {
		s.Auths = nil
		return s
	}
	if i := indexOf(rest, m); i < 0 {
		s.Auths = nil
		return s
	}
	out := make([]AuthMethod, 0, len(rest))
	out = append(out, m)
	for _, r := range rest {
		if r != m {
			out = append(out, r)
		}
	}
	s.Auths = out
	return s
}

func indexOf(ms []AuthMethod, m AuthMethod) int {
	for i, x := range ms {
		if x == m {
			return i
		}
	}
	return -1
}

// SameEndpoint reports whether s and o are the same server as a client
// connects to it: protocol, host, port, security, authentication and
// username (Auths aside, which only ranks alternatives).
func (s Server) SameEndpoint(o Server) bool {
	return s.Protocol == o.Protocol && s.Host == o.Host && s.Port == o.Port && s.Security == o.Security &&
		s.Auth == o.Auth && s.Username == o.Username
}

// Address returns host:port, bracketing IPv6 literals.
func (s Server) Address() string {
	if strings.Contains(s.Host, ":") {
		return fmt.Sprintf("[%s]:%d", s.Host, s.Port)
	}
	return fmt.Sprintf("%s:%d", s.Host, s.Port)
}

// String describes the server in one line, e.g. "IMAP imap.example.com:993 SSL/TLS".
func (s Server) String() string {
	return fmt.Sprintf("%s %s %s", s.Protocol.Label(), s.Address(), s.Security.Label())
}

// WithDefaults returns s with an unset port, security or auth method filled
// in: security TLS (RFC 8314 prefers implicit TLS), the standard port for the
// protocol and security, and password authentication.
func (s Server) WithDefaults() Server {
	if s.Security == SecurityUnset {
		s.Security = TLS
	}
	if s.Port == 0 {
		s.Port = DefaultPort(s.Protocol, s.Security)
	}
	if s.Auth == AuthUnset {
		s.Auth = AuthPasswordCleartext
	}
	return s
}

// DefaultPort returns the standard port for a protocol and security type
// (RFC 8314): IMAP 993/143, POP3 995/110, SMTP submission 465/587. It returns
// 0 when the protocol is unset.
func DefaultPort(p Protocol, s Security) int {
	implicit := s == TLS || s == SecurityUnset
	switch p {
	case IMAP:
		return pick(implicit, 993, 143)
	case POP3:
		return pick(implicit, 995, 110)
	case SMTP:
		return pick(implicit, 465, 587)
	}
	return 0
}

func pick(c bool, a, b int) int {
	if c {
		return a
	}
	return b
}

// Validate checks the server; field names the server in errors, e.g.
// "incoming". The error names the bad field: "incoming.port: ...".
func (s Server) Validate(field string) error {
	bad := func(sub, code string, args ...any) error { return fieldError(field+"."+sub, code, args...) }
	if s.Protocol == ProtocolUnset {
		return bad("protocol", FieldNotSet)
	}
	if _, err := enumOK(protocolNames, int(s.Protocol)); err != nil {
		return bad("protocol", FieldValue, err)
	}
	if s.Host == "" {
		return bad("host", FieldNotSet)
	}
	if h, err := NormalizeHost(s.Host); err != nil {
		return bad("host", FieldValue, err)
	} else if h != s.Host {
		return bad("host", FieldNotNormal, s.Host, h)
	}
	if s.Port < 1 || s.Port > 65535 {
		return bad("port", FieldPort, s.Port)
	}
	if s.Security == SecurityUnset {
		return bad("security", FieldNotSet)
	}
	if _, err := enumOK(securityNames, int(s.Security)); err != nil {
		return bad("security", FieldValue, err)
	}
	if s.Auth == AuthUnset {
		return bad("auth", FieldNotSet)
	}
	if _, err := enumOK(authNames, int(s.Auth)); err != nil {
		return bad("auth", FieldValue, err)
	}
	for _, m := range s.Auths {
		if _, err := enumOK(authNames, int(m)); err != nil {
			return bad("auth_methods", FieldValue, err)
		}
	}
	if s.Auth.NeedsUsername() && strings.TrimSpace(s.Username) == "" {
		return bad("username", FieldUsernameNeeded, s.Auth.String())
	}
	if strings.ContainsFunc(s.Username, unicode.IsControl) {
		return bad("username", FieldUsernameControl)
	}
	return nil
}

func enumOK(names []string, i int) (string, error) {
	if i <= 0 || i >= len(names) {
		return "", fmt.Errorf("invalid value %d", i)
	}
	return names[i], nil
}

// FieldError reports a problem with one field of an Account or Server.
type FieldError struct {
	Field string // dotted path, e.g. "outgoing.port"
	Msg   string // in English
	// Code and Args, when Code is set, name the problem for the packages
	// that word it in the user's language (ErrorCode, "err.field." +
	// Code; the first value is Field).
	Code string
	Args []any
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// Unwrap returns the error among Args (a bad host name or enum value).
func (e *FieldError) Unwrap() error {
	for _, a := range e.Args {
		if err, ok := a.(error); ok {
			return err
		}
	}
	return nil
}

// ErrorCode is "field." + Code ("" without a Code).
func (e *FieldError) ErrorCode() string {
	if e.Code == "" {
		return ""
	}
	return "field." + e.Code
}

// ErrorArgs returns Field and Args.
func (e *FieldError) ErrorArgs() []any { return append([]any{e.Field}, e.Args...) }

// FieldError codes.
const (
	FieldNotSet          = "not-set"
	FieldValue           = "value" // the error
	FieldNotNormal       = "not-normal"
	FieldPort            = "port"
	FieldUsernameNeeded  = "username-needed"
	FieldUsernameControl = "username-control"
	FieldNotIncoming     = "not-incoming"
	FieldNotSMTP         = "not-smtp"
	FieldPOP3ForIMAP     = "pop3-for-imap"
	FieldDaysNegative    = "days-negative"
	FieldDaysMax         = "days-max"
	FieldDaysNoLeave     = "days-no-leave"
)

var fieldText = map[string]string{
	FieldNotSet:          "not set",
	FieldValue:           "%v",
	FieldNotNormal:       "%q is not in normal form, use %q",
	FieldPort:            "%d is not between 1 and 65535",
	FieldUsernameNeeded:  "needed for %s authentication",
	FieldUsernameControl: "contains a line break or another control character",
	FieldNotIncoming:     "%s cannot receive mail, want imap or pop3",
	FieldNotSMTP:         "%s cannot send mail, want smtp",
	FieldPOP3ForIMAP:     "POP3 options given for an IMAP account",
	FieldDaysNegative:    "%d is negative",
	FieldDaysMax:         "%d is more than %d (ten years; 0 keeps mail on the server)",
	FieldDaysNoLeave:     "set, but leave_on_server is off",
}

func fieldError(field, code string, args ...any) *FieldError {
	return &FieldError{Field: field, Msg: fmt.Sprintf(fieldText[code], args...), Code: code, Args: args}
}

// MaxDaysOnServer is the most days POP3Options.DaysOnServer may hold: ten
// years. Mail clients store the value in 32-bit fields; anything larger
// means "keep", which is DaysOnServer 0.
const MaxDaysOnServer = 3650

// POP3Options are the choices that only matter for POP3 accounts.
type POP3Options struct {
	// LeaveOnServer keeps downloaded mail on the server.
	LeaveOnServer bool `json:"leave_on_server"`
	// DaysOnServer deletes mail from the server this many days after it
	// was downloaded; 0 keeps it until deleted on the device. At most
	// MaxDaysOnServer.
	DaysOnServer int `json:"days_on_server,omitempty"`
}

// Source names where settings came from.
type Source string

// Sources of settings, in the stable lower-case form used in JSON.
const (
	SourceManual       Source = "manual"       // typed by the user or given as flags
	SourceFile         Source = "file"         // read from a mailsetup JSON file
	SourceBuiltin      Source = "builtin"      // the embedded provider database
	SourceAutoconfig   Source = "autoconfig"   // the provider's own autoconfig over HTTPS
	SourceISPDB        Source = "ispdb"        // Thunderbird's ISP database
	SourceMX           Source = "mx"           // derived from the domain's MX host
	SourceSRV          Source = "srv"          // RFC 6186/8314 SRV records
	SourceAutodiscover Source = "autodiscover" // Microsoft Autodiscover (POX)
	SourceHTTP         Source = "http"         // autoconfig over plain HTTP
	SourceGuess        Source = "guess"        // guessed host names, verified live
)

// Trust says how far settings from a source can be relied on.
type Trust string

// Trust levels, in the stable lower-case form used in JSON.
const (
	Trusted           Trust = "trusted"
	NeedsConfirmation Trust = "needs-confirmation"
	Untrusted         Trust = "untrusted"
)

// Provenance records where an account's settings came from.
type Provenance struct {
	Source Source `json:"source"`
	Trust  Trust  `json:"trust,omitempty"`
	// Detail is the URL, DNS record or file the settings were read from.
	Detail string `json:"detail,omitempty"`
}

// Account is one mailbox as a mail client is set up for it.
type Account struct {
	Email       Address      `json:"email"`
	DisplayName string       `json:"name,omitempty"`
	Incoming    Server       `json:"incoming"`
	Outgoing    Server       `json:"outgoing"`
	POP3        *POP3Options `json:"pop3,omitempty"`
	Provenance  Provenance   `json:"provenance"`
	// Provider is what the provider's settings document says beyond the
	// servers (pages, a step to enable access, OAuth2), when known.
	Provider *ProviderInfo `json:"provider_info,omitempty"`
}

// Validate checks the whole account and names the first bad field.
func (a Account) Validate() error {
	if a.Email.IsZero() {
		return fieldError("email", FieldNotSet)
	}
	if err := a.Incoming.Validate("incoming"); err != nil {
		return err
	}
	if !a.Incoming.Protocol.Incoming() {
		return fieldError("incoming.protocol", FieldNotIncoming, a.Incoming.Protocol.String())
	}
	if err := a.Outgoing.Validate("outgoing"); err != nil {
		return err
	}
	if a.Outgoing.Protocol != SMTP {
		return fieldError("outgoing.protocol", FieldNotSMTP, a.Outgoing.Protocol.String())
	}
	if a.POP3 != nil {
		if a.Incoming.Protocol != POP3 {
			return fieldError("pop3", FieldPOP3ForIMAP)
		}
		if a.POP3.DaysOnServer < 0 {
			return fieldError("pop3.days_on_server", FieldDaysNegative, a.POP3.DaysOnServer)
		}
		if a.POP3.DaysOnServer > MaxDaysOnServer {
			return fieldError("pop3.days_on_server", FieldDaysMax, a.POP3.DaysOnServer, MaxDaysOnServer)
		}
		if a.POP3.DaysOnServer > 0 && !a.POP3.LeaveOnServer {
			return fieldError("pop3.days_on_server", FieldDaysNoLeave)
		}
	}
	return nil
}

// IsFieldError reports whether err is (or wraps) a *FieldError.
func IsFieldError(err error) bool {
	var fe *FieldError
	return errors.As(err, &fe)
}

// Expand returns a copy of the account with placeholders in the server
// host names and usernames replaced (see Expand).
func (a Account) Expand() Account {
	a.Incoming.Host = Expand(a.Incoming.Host, a.Email, a.DisplayName)
	a.Incoming.Username = Expand(a.Incoming.Username, a.Email, a.DisplayName)
	a.Outgoing.Host = Expand(a.Outgoing.Host, a.Email, a.DisplayName)
	a.Outgoing.Username = Expand(a.Outgoing.Username, a.Email, a.DisplayName)
	return a
}

// Placeholders used in autoconfig files and templates.
const (
	PlaceholderAddress   = "%EMAILADDRESS%"
	PlaceholderLocalPart = "%EMAILLOCALPART%"
	PlaceholderDomain    = "%EMAILDOMAIN%"
	PlaceholderRealName  = "%REALNAME%"
)

// Expand replaces the Mozilla autoconfig placeholders in s:
// %EMAILADDRESS% (the ASCII address), %EMAILLOCALPART%, %EMAILDOMAIN% (the
// ASCII domain) and %REALNAME%. Other text, including unknown %WORDS%, is
// left as is. Replacement is a single pass, so a value that itself contains
// a placeholder is not expanded again.
func Expand(s string, addr Address, realName string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	// By hand rather than with a strings.Replacer, whose set-up costs
	// more than the replacing: bulk runs expand thousands of accounts.
	var b strings.Builder
	b.Grow(len(s) + len(addr.String()))
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		switch {
		case strings.HasPrefix(s, PlaceholderAddress):
			b.WriteString(addr.String())
			s = s[len(PlaceholderAddress):]
		case strings.HasPrefix(s, PlaceholderLocalPart):
			b.WriteString(addr.LocalPart())
			s = s[len(PlaceholderLocalPart):]
		case strings.HasPrefix(s, PlaceholderDomain):
			b.WriteString(addr.Domain())
			s = s[len(PlaceholderDomain):]
		case strings.HasPrefix(s, PlaceholderRealName):
			b.WriteString(realName)
			s = s[len(PlaceholderRealName):]
		default:
			b.WriteByte('%')
			s = s[1:]
		}
	}
}

// Unexpand is Expand's inverse for a login name: the address itself
// (in any case) becomes %EMAILADDRESS% and its local part
// %EMAILLOCALPART%, so that a file built for one user serves every user
// of the domain. ok reports whether user was one of them; any other
// name is returned as it is.
func Unexpand(user string, addr Address) (form string, ok bool) {
	switch {
	case addr.IsZero() || user == "":
		return user, false
	case strings.EqualFold(user, addr.String()):
		return PlaceholderAddress, true
	case user == addr.LocalPart():
		return PlaceholderLocalPart, true
	}
	return user, false
}

// DisplayAddress is Address for people, the host decoded like DisplayHost.
func (s Server) DisplayAddress() string {
	d := s
	d.Host = DisplayHost(s.Host)
	return d.Address()
}

// DisplayString is String for people, the host decoded like DisplayHost.
func (s Server) DisplayString() string {
	d := s
	d.Host = DisplayHost(s.Host)
	return d.String()
}
