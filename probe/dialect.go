// The probe's own line-protocol clients for IMAP, SMTP and POP3 (this file
// and conn.go).
//
// They are hand-rolled on purpose: go-imap and go-smtp serve here only as
// the test servers (internal/mailtest) and as the integration tests'
// clients. go-imap v2's imapclient hands the bytes a server sends after
// its STARTTLS OK, before the handshake, to the TLS handshake as if they
// were TLS records (upgradeStartTLS), so they can be neither seen nor
// reported; the probe reads them and reports an injection (probe.go). Its
// DebugWriter, like go-smtp's, copies every byte read and written,
// credentials included, where the probe's trace gets credentials lines
// only through session.writeCredentials, which shows a mark instead. Both
// clients also read the connection in their own way from the greeting on:
// no 64 KiB cap per line and no byte budget per phase, one deadline for
// the whole connection at best, and a login that cannot be refused before
// the credentials are written (LOGINDISABLED, unverified TLS). The probe
// needs all of that in one place (conn.go), so only the login encodings
// the libraries would have got right are done here with care: SASL PLAIN
// in base64 and IMAP literals for anything but plain ASCII. There is no
// POP3 client among the kept libraries.

package probe

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/termtext"
)

// LoginOutcome classifies a login attempt.
type LoginOutcome string

// Login outcomes, in the stable form used in JSON.
const (
	LoginOK                  LoginOutcome = "ok"
	LoginWrongCredentials    LoginOutcome = "wrong-credentials"
	LoginAppPasswordRequired LoginOutcome = "app-password-required"
	LoginOAuth2Required      LoginOutcome = "oauth2-required"
	LoginLocked              LoginOutcome = "locked"
	LoginTemporary           LoginOutcome = "temporary"
	LoginNotAttempted        LoginOutcome = "not-attempted"
	// LoginPasswordExpired: the password is right but must be changed
	// (IMAP [EXPIRED], SMTP 432 4.7.12).
	LoginPasswordExpired LoginOutcome = "password-expired"
	// LoginNotAuthorized: the credentials are right but the account may
	// not use this service (IMAP [AUTHORIZATIONFAILED]).
	LoginNotAuthorized LoginOutcome = "not-authorized"
	// LoginContactAdmin: the provider must act (IMAP [CONTACTADMIN],
	// POP3 [SYS/PERM]).
	LoginContactAdmin LoginOutcome = "contact-admin"
	// LoginEncryptionRequired: the server wants more protection before a
	// login than this connection gives (IMAP [PRIVACYREQUIRED], SMTP 538
	// 5.7.11).
	LoginEncryptionRequired LoginOutcome = "encryption-required"
)

// dialect is one protocol's side of the probe conversation.
type dialect interface {
	// greeting reads and checks the greeting; preauth reports an IMAP
	// PREAUTH greeting.
	greeting(s *session) (text string, preauth bool, err error)
	// capabilities asks for the capability list (IMAP CAPABILITY, SMTP
	// EHLO keywords, POP3 CAPA).
	capabilities(s *session) ([]string, error)
	startTLSOffered(caps []string) bool
	// startTLS sends STARTTLS/STLS and reads the positive reply.
	startTLS(s *session) error
	// passwordMechs lists the password mechanisms offered (PLAIN, LOGIN,
	// USER...), for the cleartext-before-TLS finding and for login.
	passwordMechs(caps []string) []string
	// oauthMechs lists OAuth2 mechanisms offered.
	oauthMechs(caps []string) []string
	// login makes one login attempt; text is the server's reply.
	login(s *session, caps []string, user, pass string) (LoginOutcome, string, error)
	// quit sends LOGOUT/QUIT and, when wait is set, reads the answer.
	quit(s *session, wait bool)
}

func hasCap(caps []string, want string) bool {
	for _, c := range caps {
		if strings.EqualFold(c, want) {
			return true
		}
	}
	return false
}

func plainResponse(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
}

// ---- IMAP (RFC 9051 / 3501) ----

type imapDialect struct{ tag int }

func (d *imapDialect) next() string {
	d.tag++
	return fmt.Sprintf("m%d", d.tag)
}

func (d *imapDialect) greeting(s *session) (string, bool, error) {
	s.deadline()
	line, err := s.readLine()
	if err != nil {
		return "", false, &phaseError{"greeting", err}
	}
	switch up := strings.ToUpper(line); {
	case strings.HasPrefix(up, "* OK"):
		return line, false, nil
	case strings.HasPrefix(up, "* PREAUTH"):
		return line, true, nil
	case strings.HasPrefix(up, "* BYE"):
		return line, false, &phaseError{"rejected", i18n.Error("proto.server-said", line)}
	}
	return line, false, &phaseError{"invalid", i18n.Error("proto.not-imap-greeting", clip(line))}
}

// command sends a tagged command without credentials and collects
// untagged lines until the tagged reply, returning the tagged status
// ("OK", "NO", "BAD", or "+" for a continuation request) and text.
func (d *imapDialect) command(s *session, cmd string) (untagged []string, status, text string, err error) {
	tag := d.next()
	if err := s.writeLine(tag + " " + cmd); err != nil {
		return nil, "", "", &phaseError{"command", err}
	}
	return d.response(s, tag)
}

// response collects untagged lines until the reply tagged tag or a
// continuation request ("+").
func (d *imapDialect) response(s *session, tag string) (untagged []string, status, text string, err error) {
	for {
		line, err := s.readLine()
		if err != nil {
			return nil, "", "", &phaseError{"command", err}
		}
		if rest, ok := strings.CutPrefix(line, tag+" "); ok {
			status, text, _ = strings.Cut(rest, " ")
			return untagged, strings.ToUpper(status), text, nil
		}
		if strings.HasPrefix(line, "+") {
			return untagged, "+", strings.TrimSpace(strings.TrimPrefix(line, "+")), nil
		}
		untagged = append(untagged, line)
	}
}

func (d *imapDialect) capabilities(s *session) ([]string, error) {
	untagged, status, text, err := d.command(s, "CAPABILITY")
	if err != nil {
		return nil, err
	}
	if status != "OK" {
		return nil, &phaseError{"protocol", i18n.Error("proto.capability-failed", status, text)}
	}
	var caps []string
	for _, l := range untagged {
		if rest, ok := cutPrefixFold(l, "* CAPABILITY "); ok {
			caps = append(caps, strings.Fields(rest)...)
		}
	}
	return caps, nil
}

func (d *imapDialect) startTLSOffered(caps []string) bool { return hasCap(caps, "STARTTLS") }

func (d *imapDialect) startTLS(s *session) error {
	_, status, text, err := d.command(s, "STARTTLS")
	if err != nil {
		return err
	}
	if status != "OK" {
		return &phaseError{"starttls", i18n.Error("proto.answered", status+" "+text)}
	}
	return nil
}

func (d *imapDialect) passwordMechs(caps []string) []string {
	var out []string
	if !hasCap(caps, "LOGINDISABLED") {
		out = append(out, "LOGIN")
	}
	for _, m := range []string{"PLAIN", "LOGIN"} {
		if hasCap(caps, "AUTH="+m) && !hasCap(caps, "LOGINDISABLED") {
			out = append(out, "AUTH="+m)
		}
	}
	return out
}

func (d *imapDialect) oauthMechs(caps []string) []string {
	var out []string
	for _, m := range []string{"XOAUTH2", "OAUTHBEARER"} {
		if hasCap(caps, "AUTH="+m) {
			out = append(out, m)
		}
	}
	return out
}

func (d *imapDialect) login(s *session, caps []string, user, pass string) (LoginOutcome, string, error) {
	if hasCap(caps, "LOGINDISABLED") {
		return LoginNotAttempted, "", &phaseError{"protocol", i18n.Error("proto.logindisabled")}
	}
	// IMAP4rev2 (RFC 9051) includes SASL-IR and LITERAL-.
	rev2 := hasCap(caps, "IMAP4rev2")
	var status, text string
	var err error
	tag := d.next()
	switch {
	case hasCap(caps, "AUTH=PLAIN") && (hasCap(caps, "SASL-IR") || rev2):
		ir := plainResponse(user, pass)
		err = s.writeCredentials(tag+" AUTHENTICATE PLAIN ", ir, ir)
		if err == nil {
			_, status, text, err = d.response(s, tag)
		}
	case hasCap(caps, "AUTH=PLAIN"):
		err = s.writeLine(tag + " AUTHENTICATE PLAIN")
		if err == nil {
			_, status, text, err = d.response(s, tag)
		}
		if err == nil && status == "+" {
			resp := plainResponse(user, pass)
			if err = s.writeCredentials("", resp, resp); err == nil {
				_, status, text, err = d.response(s, tag)
			}
		}
	default:
		nonSync := func(n int) bool {
			return hasCap(caps, "LITERAL+") || (hasCap(caps, "LITERAL-") || rev2) && n <= 4096
		}
		status, text, err = d.loginCommand(s, tag, user, pass, nonSync)
	}
	if err != nil {
		if _, ok := err.(*phaseError); !ok {
			err = &phaseError{"command", err}
		}
		return LoginNotAttempted, "", err
	}
	switch status {
	case "OK":
		return LoginOK, text, nil
	case "NO":
		return classifyCoded(text), text, nil
	}
	return LoginNotAttempted, text, &phaseError{"protocol", i18n.Error("proto.login-answered", status, text)}
}

// loginCommand sends LOGIN with the username and password each as a quoted
// string when it is plain printable ASCII without '"' and '\', and as a
// literal otherwise (8-bit bytes, quotes, backslashes): a non-synchronising
// literal {n+} when nonSync(n) allows (LITERAL+, or LITERAL- up to 4096
// bytes), else {n} and a wait for the server's continuation request. CR,
// LF and NUL never get here (see prober.login). It returns the tagged
// status, or the server's refusal of a literal.
func (d *imapDialect) loginCommand(s *session, tag, user, pass string, nonSync func(int) bool) (status, text string, err error) {
	line := tag + " LOGIN "
	// sendLiteral ends the current line with a literal announcement and,
	// for a synchronising literal, waits for the continuation request.
	sendLiteral := func(v string) (bool, error) {
		n := len(v)
		if nonSync(n) {
			line += fmt.Sprintf("{%d+}", n)
		} else {
			line += fmt.Sprintf("{%d}", n)
		}
		if err := s.writeLine(line); err != nil {
			return false, err
		}
		if nonSync(n) {
			return true, nil
		}
		_, status, text, err = d.response(s, tag)
		return err == nil && status == "+", err
	}
	if imapQuotable(user) {
		line += imapQuote(user)
	} else {
		if ok, err := sendLiteral(user); !ok {
			return status, text, err
		}
		line = user
	}
	line += " "
	if imapQuotable(pass) {
		q := imapQuote(pass)
		if err := s.writeCredentials(line, q, q); err != nil {
			return "", "", err
		}
	} else {
		if ok, err := sendLiteral(pass); !ok {
			return status, text, err
		}
		if err := s.writeLiteral(pass); err != nil {
			return "", "", err
		}
	}
	_, status, text, err = d.response(s, tag)
	return status, text, err
}

func (d *imapDialect) quit(s *session, wait bool) {
	tag := d.next()
	if s.writeLine(tag+" LOGOUT") == nil && wait {
		_, _, _, _ = d.response(s, tag)
	}
}

// imapQuotable reports whether v can go as an IMAP quoted string without
// escapes: printable ASCII other than '"' and '\'. Anything else goes as
// a literal, which carries any byte as it is.
func imapQuotable(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// imapQuote makes an IMAP quoted string of a value imapQuotable accepts.
func imapQuote(v string) string { return `"` + v + `"` }

// ---- SMTP submission (RFC 5321, 4954, 6409) ----

type smtpDialect struct{ helo string }

// reply reads a (possibly multi-line) SMTP reply.
func (d *smtpDialect) reply(s *session) (code int, lines []string, err error) {
	for {
		line, err := s.readLine()
		if err != nil {
			return 0, nil, err
		}
		if len(line) < 3 {
			return 0, nil, i18n.Error("proto.malformed", clip(line))
		}
		c := 0
		if _, err := fmt.Sscanf(line[:3], "%3d", &c); err != nil || c < 200 || c > 599 {
			return 0, nil, i18n.Error("proto.malformed", clip(line))
		}
		if code != 0 && c != code {
			return 0, nil, i18n.Error("proto.code-changed", code, c)
		}
		code = c
		rest := ""
		if len(line) > 4 {
			rest = line[4:]
		}
		lines = append(lines, rest)
		if len(line) == 3 || line[3] == ' ' {
			return code, lines, nil
		}
		if line[3] != '-' {
			return 0, nil, i18n.Error("proto.malformed", clip(line))
		}
	}
}

func (d *smtpDialect) greeting(s *session) (string, bool, error) {
	s.deadline()
	code, lines, err := d.reply(s)
	if err != nil {
		if isTimeout(err) || err == errLineTooLong || err == errTooMuch {
			return "", false, &phaseError{"greeting", err}
		}
		return "", false, &phaseError{"invalid", i18n.Error("proto.not-smtp-greeting", err)}
	}
	text := fmt.Sprintf("%d %s", code, strings.Join(lines, " / "))
	if code != 220 {
		return text, false, &phaseError{"rejected", i18n.Error("proto.server-said", text)}
	}
	return text, false, nil
}

func (d *smtpDialect) command(s *session, cmd string) (int, []string, error) {
	return d.exchange(s, s.writeLine(cmd))
}

// credentials sends a line whose part cred, a base64 SASL response,
// carries credentials (see session.writeCredentials) and reads the reply.
func (d *smtpDialect) credentials(s *session, public, cred string) (int, []string, error) {
	return d.exchange(s, s.writeCredentials(public, cred, cred))
}

// exchange reads the reply to a line just written (werr: the write's error).
func (d *smtpDialect) exchange(s *session, werr error) (int, []string, error) {
	if werr != nil {
		return 0, nil, &phaseError{"command", werr}
	}
	code, lines, err := d.reply(s)
	if err != nil {
		return 0, nil, &phaseError{"command", err}
	}
	return code, lines, nil
}

func (d *smtpDialect) capabilities(s *session) ([]string, error) {
	code, lines, err := d.command(s, "EHLO "+d.helo)
	if err != nil {
		return nil, err
	}
	if code != 250 {
		return nil, &phaseError{"protocol", i18n.Error("proto.ehlo-answered", code, strings.Join(lines, " "))}
	}
	return lines[1:], nil
}

func (d *smtpDialect) startTLSOffered(caps []string) bool {
	return smtpKeyword(caps, "STARTTLS") != nil
}

func (d *smtpDialect) startTLS(s *session) error {
	code, lines, err := d.command(s, "STARTTLS")
	if err != nil {
		return err
	}
	if code != 220 {
		return &phaseError{"starttls", i18n.Error("proto.answered", fmt.Sprintf("%d %s", code, strings.Join(lines, " ")))}
	}
	return nil
}

// smtpKeyword returns the parameters of an EHLO keyword, or nil.
func smtpKeyword(caps []string, kw string) []string {
	for _, c := range caps {
		f := strings.Fields(strings.ReplaceAll(c, "=", " "))
		if len(f) > 0 && strings.EqualFold(f[0], kw) {
			return append([]string{}, f[1:]...)
		}
	}
	return nil
}

func (d *smtpDialect) authMechs(caps []string) []string {
	var out []string
	for _, m := range smtpKeyword(caps, "AUTH") {
		out = append(out, strings.ToUpper(m))
	}
	return out
}

func (d *smtpDialect) passwordMechs(caps []string) []string {
	var out []string
	for _, m := range d.authMechs(caps) {
		if m == "PLAIN" || m == "LOGIN" {
			out = append(out, m)
		}
	}
	return out
}

func (d *smtpDialect) oauthMechs(caps []string) []string {
	var out []string
	for _, m := range d.authMechs(caps) {
		if m == "XOAUTH2" || m == "OAUTHBEARER" {
			out = append(out, m)
		}
	}
	return out
}

func (d *smtpDialect) login(s *session, caps []string, user, pass string) (LoginOutcome, string, error) {
	mechs := d.passwordMechs(caps)
	var code int
	var lines []string
	var err error
	switch {
	case hasCap(mechs, "PLAIN"):
		code, lines, err = d.credentials(s, "AUTH PLAIN ", plainResponse(user, pass))
	case hasCap(mechs, "LOGIN"):
		code, lines, err = d.command(s, "AUTH LOGIN")
		if err == nil && code == 334 {
			code, lines, err = d.credentials(s, "", base64.StdEncoding.EncodeToString([]byte(user)))
		}
		if err == nil && code == 334 {
			code, lines, err = d.credentials(s, "", base64.StdEncoding.EncodeToString([]byte(pass)))
		}
	default:
		return LoginNotAttempted, "", &phaseError{"protocol", i18n.Error("proto.no-mechanism")}
	}
	if err != nil {
		return LoginNotAttempted, "", err
	}
	text := fmt.Sprintf("%d %s", code, strings.Join(lines, " "))
	if code == 235 {
		return LoginOK, text, nil
	}
	return classifySMTP(code, lines), text, nil
}

func (d *smtpDialect) quit(s *session, wait bool) {
	if err := s.writeLine("QUIT"); err == nil && wait {
		_, _, _ = d.reply(s)
	}
}

// ---- POP3 (RFC 1939, 2449, 2595, 5034) ----

type pop3Dialect struct{}

func (pop3Dialect) status(line string) (bool, string, error) {
	switch {
	case strings.HasPrefix(line, "+OK"):
		return true, strings.TrimSpace(line[3:]), nil
	case strings.HasPrefix(line, "-ERR"):
		return false, strings.TrimSpace(line[4:]), nil
	}
	return false, "", i18n.Error("proto.not-status", clip(line))
}

func (d pop3Dialect) greeting(s *session) (string, bool, error) {
	s.deadline()
	line, err := s.readLine()
	if err != nil {
		return "", false, &phaseError{"greeting", err}
	}
	ok, _, err := d.status(line)
	if err != nil {
		return line, false, &phaseError{"invalid", i18n.Error("proto.not-pop3-greeting", clip(line))}
	}
	if !ok {
		return line, false, &phaseError{"rejected", i18n.Error("proto.server-said", line)}
	}
	return line, false, nil
}

func (d pop3Dialect) command(s *session, cmd string) (bool, string, error) {
	return d.exchange(s, s.writeLine(cmd))
}

// credentials sends the line public+cred, whose part cred carries
// credentials, and reads the status line; echo is what a server repeating
// the line would quote (see session.writeCredentials).
func (d pop3Dialect) credentials(s *session, public, cred, echo string) (bool, string, error) {
	return d.exchange(s, s.writeCredentials(public, cred, echo))
}

// exchange reads the status line answering a line just written (werr: the
// write's error).
func (d pop3Dialect) exchange(s *session, werr error) (bool, string, error) {
	if werr != nil {
		return false, "", &phaseError{"command", werr}
	}
	line, err := s.readLine()
	if err != nil {
		return false, "", &phaseError{"command", err}
	}
	ok, text, err := d.status(line)
	if err != nil {
		return false, "", &phaseError{"protocol", err}
	}
	return ok, text, nil
}

func (d pop3Dialect) capabilities(s *session) ([]string, error) {
	ok, _, err := d.command(s, "CAPA")
	if err != nil || !ok {
		return nil, err // a server without CAPA has no capabilities to report
	}
	var caps []string
	for {
		line, err := s.readLine()
		if err != nil {
			return nil, &phaseError{"command", err}
		}
		if line == "." {
			return caps, nil
		}
		caps = append(caps, strings.TrimPrefix(line, "."))
	}
}

func (pop3Dialect) startTLSOffered(caps []string) bool { return hasCap(caps, "STLS") }

func (d pop3Dialect) startTLS(s *session) error {
	ok, text, err := d.command(s, "STLS")
	if err != nil {
		return err
	}
	if !ok {
		return &phaseError{"starttls", i18n.Error("proto.answered", "-ERR "+text)}
	}
	return nil
}

func (pop3Dialect) saslMechs(caps []string) []string {
	for _, c := range caps {
		f := strings.Fields(c)
		if len(f) > 0 && strings.EqualFold(f[0], "SASL") {
			var out []string
			for _, m := range f[1:] {
				out = append(out, strings.ToUpper(m))
			}
			return out
		}
	}
	return nil
}

func (d pop3Dialect) passwordMechs(caps []string) []string {
	var out []string
	if hasCap(caps, "USER") {
		out = append(out, "USER")
	}
	for _, m := range d.saslMechs(caps) {
		if m == "PLAIN" || m == "LOGIN" {
			out = append(out, "SASL "+m)
		}
	}
	return out
}

func (d pop3Dialect) oauthMechs(caps []string) []string {
	var out []string
	for _, m := range d.saslMechs(caps) {
		if m == "XOAUTH2" || m == "OAUTHBEARER" {
			out = append(out, m)
		}
	}
	return out
}

func (d pop3Dialect) login(s *session, caps []string, user, pass string) (LoginOutcome, string, error) {
	var ok bool
	var text string
	var err error
	if hasCap(d.saslMechs(caps), "PLAIN") {
		ir := plainResponse(user, pass)
		ok, text, err = d.credentials(s, "AUTH PLAIN ", ir, ir)
	} else {
		ok, text, err = d.command(s, "USER "+user)
		if err == nil && ok {
			ok, text, err = d.credentials(s, "PASS ", pass, "PASS "+pass)
		}
	}
	if err != nil {
		return LoginNotAttempted, "", err
	}
	if ok {
		return LoginOK, "+OK " + text, nil
	}
	return classifyCoded(text), "-ERR " + text, nil
}

func (d pop3Dialect) quit(s *session, wait bool) {
	if err := s.writeLine("QUIT"); err == nil && wait {
		_, _ = s.readLine()
	}
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// clip shortens server text for messages, on a character boundary.
func clip(s string) string { return termtext.Clip(s, 80) }
