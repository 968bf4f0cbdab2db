package mailtest

import (
	"errors"
	"strings"
	"sync"

	"github.com/emersion/go-sasl"
)

// LoginAttempt is one login a mail server received, as the server decoded
// it: tests check that a client sent exactly the right credentials (8-bit
// bytes, quotes and backslashes included) by the mechanism they expect.
type LoginAttempt struct {
	// Service is "imap", "smtp" or "pop3".
	Service string
	// Mechanism is how the credentials came: "LOGIN" or
	// "AUTHENTICATE PLAIN" (IMAP), "AUTH PLAIN" or "AUTH LOGIN" (SMTP and
	// POP3), "USER/PASS" (POP3).
	Mechanism string
	Username  string
	Password  string
	// OK reports whether the server accepted the login.
	OK bool
}

// IMAPLogin configures how the IMAP servers offer and answer logins. The
// zero value is the default: AUTH=PLAIN, SASL-IR, LITERAL-, IMAP4rev2.
type IMAPLogin struct {
	// NoPlain withholds AUTH=PLAIN (and refuses AUTHENTICATE PLAIN), so
	// only the LOGIN command is left.
	NoPlain bool
	// Withhold removes capabilities from every capability list the server
	// sends (CAPABILITY responses and [CAPABILITY] codes), for example
	// "SASL-IR", "LITERAL-" and "IMAP4rev2" (which implies both).
	Withhold []string
	// Offer adds capabilities to every capability list, e.g. "LITERAL+".
	Offer []string
	// RefuseCode, when set, makes every login fail (after it is recorded)
	// with "NO [RefuseCode] RefuseText", e.g. "EXPIRED" (RFC 5530).
	RefuseCode string
	RefuseText string
}

// SMTPLogin configures how the SMTP servers offer and answer AUTH. The
// zero value is the default: AUTH PLAIN only.
type SMTPLogin struct {
	// Mechanisms are the SASL mechanisms offered ("PLAIN", "LOGIN"); nil
	// means PLAIN only.
	Mechanisms []string
	// RefuseCode, when not zero, makes every AUTH fail (after it is
	// recorded) with "RefuseCode RefuseEnhanced RefuseText", e.g. 535
	// "5.7.8"; RefuseEnhanced may be empty.
	RefuseCode     int
	RefuseEnhanced string
	RefuseText     string
}

// POP3Login configures how the POP3 servers offer and answer logins. The
// zero value is the default: USER and SASL PLAIN after TLS.
type POP3Login struct {
	// NoUser withholds the USER capability and refuses USER/PASS.
	NoUser bool
	// NoPlain withholds SASL PLAIN and refuses AUTH PLAIN.
	NoPlain bool
	// Refuse, when set, makes every login fail (after it is recorded) with
	// "-ERR " + Refuse, e.g. "[SYS/TEMP] try later" (RFC 2449, 3206).
	Refuse string
}

// loginKnobs holds the login configuration and the attempts received.
type loginKnobs struct {
	mu       sync.Mutex
	imap     IMAPLogin
	smtp     SMTPLogin
	pop3     POP3Login
	attempts []LoginAttempt
}

// SetIMAPLogin configures the IMAP servers' logins for new commands.
func (n *Network) SetIMAPLogin(l IMAPLogin) {
	n.login.mu.Lock()
	n.login.imap = l
	n.login.mu.Unlock()
}

// SetSMTPLogin configures the SMTP servers' AUTH for new sessions.
func (n *Network) SetSMTPLogin(l SMTPLogin) {
	n.login.mu.Lock()
	n.login.smtp = l
	n.login.mu.Unlock()
}

// SetPOP3Login configures the POP3 servers' logins for new commands.
func (n *Network) SetPOP3Login(l POP3Login) {
	n.login.mu.Lock()
	n.login.pop3 = l
	n.login.mu.Unlock()
}

// LoginAttempts returns every login the mail servers received, in order.
func (n *Network) LoginAttempts() []LoginAttempt {
	n.login.mu.Lock()
	defer n.login.mu.Unlock()
	return append([]LoginAttempt(nil), n.login.attempts...)
}

func (k *loginKnobs) imapConfig() IMAPLogin {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.imap
}

func (k *loginKnobs) smtpConfig() SMTPLogin {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.smtp
}

func (k *loginKnobs) pop3Config() POP3Login {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.pop3
}

func (k *loginKnobs) record(a LoginAttempt) {
	k.mu.Lock()
	k.attempts = append(k.attempts, a)
	k.mu.Unlock()
}

// rewriteIMAPCaps applies IMAPLogin.Withhold and Offer to a server line
// that carries a capability list ("* CAPABILITY ..." or a "[CAPABILITY
// ...]" response code); other lines come back unchanged.
func rewriteIMAPCaps(line string, cfg IMAPLogin) string {
	if len(cfg.Withhold) == 0 && len(cfg.Offer) == 0 {
		return line
	}
	body, eol := strings.TrimRight(line, "\r\n"), line[len(strings.TrimRight(line, "\r\n")):]
	var start, end int
	if rest, ok := strings.CutPrefix(body, "* CAPABILITY "); ok {
		start, end = len(body)-len(rest), len(body)
	} else if i := strings.Index(body, "[CAPABILITY "); i >= 0 {
		j := strings.IndexByte(body[i:], ']')
		if j < 0 {
			return line
		}
		start, end = i+len("[CAPABILITY "), i+j
	} else {
		return line
	}
	var caps []string
	for _, c := range strings.Fields(body[start:end]) {
		withheld := false
		for _, w := range cfg.Withhold {
			withheld = withheld || strings.EqualFold(c, w)
		}
		if !withheld {
			caps = append(caps, c)
		}
	}
	caps = append(caps, cfg.Offer...)
	return body[:start] + strings.Join(caps, " ") + body[end:] + eol
}

// loginServer is the server side of SASL LOGIN (draft-murchison-sasl-login):
// the challenges "Username:" and "Password:", an initial response taken as
// the username. go-sasl has only the client side.
type loginServer struct {
	step         int
	username     string
	authenticate func(username, password string) error
}

func (s *loginServer) Next(response []byte) (challenge []byte, done bool, err error) {
	switch s.step {
	case 0:
		s.step = 1
		if len(response) > 0 {
			s.username = string(response)
			s.step = 2
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 1:
		s.username = string(response)
		s.step = 2
		return []byte("Password:"), false, nil
	case 2:
		s.step = 3
		return nil, true, s.authenticate(s.username, string(response))
	}
	return nil, true, errors.New("mailtest: unexpected SASL LOGIN response")
}

var _ sasl.Server = (*loginServer)(nil)
