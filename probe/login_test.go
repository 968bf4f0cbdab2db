package probe

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// loginProbe probes one endpoint as user with password, tracing the
// conversation.
func loginProbe(t *testing.T, n *mailtest.Network, p account.Protocol, hostport, user, password string) (*Endpoint, string) {
	t.Helper()
	host, port, _ := strings.Cut(hostport, ":")
	var pn int
	fmt.Sscan(port, &pn)
	var trace bytes.Buffer
	opts := Options{Dialer: n, Resolver: &netx.Resolver{Server: n.ResolverAddr()}, RootCAs: n.CAPool(), Trace: netx.NewTracer(&trace)}
	srv := account.Server{Protocol: p, Host: host, Port: pn, Security: account.TLS}
	ep := ProbeEndpoint(context.Background(), opts, Target{Server: srv, Username: user, Password: password})
	return ep, trace.String()
}

// TestLoginPaths logs in by every path the probe has, against the
// in-process servers configured to offer only that path, with passwords
// that need care on the wire (8-bit bytes, quotes, backslashes), and checks
// that the server received exactly the right credentials by the expected
// mechanism and that the trace shows the credentials lines as
// "[credentials]".
func TestLoginPaths(t *testing.T) {
	const special = `pä"ss\wörd`
	tests := []struct {
		name     string
		p        account.Protocol
		target   string
		user     string
		password string
		setup    func(n *mailtest.Network)
		mech     string   // the LoginAttempt.Mechanism the server saw
		trace    []string // in the trace
		notTrace []string // not in the trace
	}{
		{"imap AUTHENTICATE PLAIN with SASL-IR", account.IMAP, "imap.example.test:993", mailtest.DefaultUser, "pässwörd", nil,
			"AUTHENTICATE PLAIN", []string{" AUTHENTICATE PLAIN [credentials]\n"}, nil},
		{"imap AUTHENTICATE PLAIN without SASL-IR", account.IMAP, "imap.example.test:993", mailtest.DefaultUser, "pässwörd",
			func(n *mailtest.Network) {
				n.SetIMAPLogin(mailtest.IMAPLogin{Withhold: []string{"SASL-IR", "IMAP4rev2"}})
			},
			"AUTHENTICATE PLAIN", []string{" AUTHENTICATE PLAIN\n", "S: +", "C: [credentials]\n"}, []string{"AUTHENTICATE PLAIN [credentials]"}},
		{"imap LOGIN quoted", account.IMAP, "imap.example.test:993", mailtest.DefaultUser, "plain-Ascii1",
			func(n *mailtest.Network) { n.SetIMAPLogin(mailtest.IMAPLogin{NoPlain: true}) },
			"LOGIN", []string{` LOGIN "jane@example.test" [credentials]` + "\n"}, []string{"AUTHENTICATE"}},
		{"imap LOGIN literal, LITERAL-", account.IMAP, "imap.example.test:993", mailtest.DefaultUser, special,
			func(n *mailtest.Network) { n.SetIMAPLogin(mailtest.IMAPLogin{NoPlain: true}) },
			"LOGIN", []string{fmt.Sprintf(` LOGIN "jane@example.test" {%d+}`, len(special)) + "\n", "C: [credentials]\n"}, nil},
		{"imap LOGIN literal, synchronising", account.IMAP, "imap.example.test:993", mailtest.DefaultUser, special,
			func(n *mailtest.Network) {
				n.SetIMAPLogin(mailtest.IMAPLogin{NoPlain: true, Withhold: []string{"LITERAL-", "IMAP4rev2"}})
			},
			"LOGIN", []string{fmt.Sprintf(` LOGIN "jane@example.test" {%d}`, len(special)) + "\n", "S: + ", "C: [credentials]\n"}, nil},
		{"imap LOGIN literal, LITERAL+", account.IMAP, "imap.example.test:993", mailtest.DefaultUser, special,
			func(n *mailtest.Network) {
				n.SetIMAPLogin(mailtest.IMAPLogin{NoPlain: true, Withhold: []string{"LITERAL-", "IMAP4rev2"}, Offer: []string{"LITERAL+"}})
			},
			"LOGIN", []string{fmt.Sprintf(` LOGIN "jane@example.test" {%d+}`, len(special)) + "\n", "C: [credentials]\n"}, []string{"S: + "}},
		{"imap LOGIN 8-bit username and password", account.IMAP, "imap.example.test:993", "jürgen@example.test", "pässwörd",
			func(n *mailtest.Network) { n.SetIMAPLogin(mailtest.IMAPLogin{NoPlain: true}) },
			"LOGIN", []string{fmt.Sprintf(" LOGIN {%d+}\n", len("jürgen@example.test")), fmt.Sprintf("C: jürgen@example.test {%d+}\n", len("pässwörd")), "C: [credentials]\n"}, nil},
		{"smtp AUTH PLAIN", account.SMTP, "smtp.example.test:465", mailtest.DefaultUser, special, nil,
			"AUTH PLAIN", []string{"C: AUTH PLAIN [credentials]\n"}, nil},
		{"smtp AUTH LOGIN", account.SMTP, "smtp.example.test:465", mailtest.DefaultUser, special,
			func(n *mailtest.Network) { n.SetSMTPLogin(mailtest.SMTPLogin{Mechanisms: []string{"LOGIN"}}) },
			"AUTH LOGIN", []string{"C: AUTH LOGIN\n", "S: 334 VXNlcm5hbWU6", "S: 334 UGFzc3dvcmQ6", "C: [credentials]\n"}, []string{"AUTH PLAIN"}},
		{"pop3 AUTH PLAIN", account.POP3, "pop.example.test:995", mailtest.DefaultUser, special, nil,
			"AUTH PLAIN", []string{"C: AUTH PLAIN [credentials]\n"}, []string{"PASS"}},
		{"pop3 USER/PASS", account.POP3, "pop.example.test:995", mailtest.DefaultUser, special,
			func(n *mailtest.Network) { n.SetPOP3Login(mailtest.POP3Login{NoPlain: true}) },
			"USER/PASS", []string{"C: USER jane@example.test\n", "C: PASS [credentials]\n"}, []string{"AUTH PLAIN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := mailtest.Start(t, mailtest.WithUser(tt.user, tt.password))
			if tt.setup != nil {
				tt.setup(n)
			}
			ep, trace := loginProbe(t, n, tt.p, tt.target, tt.user, tt.password)
			if ep.Login == nil || ep.Login.Outcome != LoginOK || !hasCode(ep, CodeAuthOK) {
				t.Errorf("login %+v, findings %v; want ok\n%s", ep.Login, ep.Findings, trace)
			}
			attempts := n.LoginAttempts()
			if len(attempts) != 1 {
				t.Fatalf("the server saw %d logins, want 1: %+v", len(attempts), attempts)
			}
			a := attempts[0]
			if a.Mechanism != tt.mech || a.Username != tt.user || a.Password != tt.password || !a.OK {
				t.Errorf("the server saw %s %q / %q (ok %v), want %s %q / %q", a.Mechanism, a.Username, a.Password, a.OK, tt.mech, tt.user, tt.password)
			}
			for _, w := range tt.trace {
				if !strings.Contains(trace, w) {
					t.Errorf("trace lacks %q:\n%s", w, trace)
				}
			}
			for _, w := range append(tt.notTrace, tt.password) {
				if strings.Contains(trace, w) {
					t.Errorf("trace holds %q:\n%s", w, trace)
				}
			}
		})
	}
}

// TestLoginRefusalCodes: the servers refuse a login that has the right
// credentials with each response code; the probe classifies the refusal
// by the code, not by the wording (always "Login refused."), and reports a
// finding whose advice fits.
func TestLoginRefusalCodes(t *testing.T) {
	type refusal struct {
		name    string
		p       account.Protocol
		target  string
		setup   func(n *mailtest.Network)
		outcome LoginOutcome
		code    Code
		authErr bool // counts as a login problem (exit 5)
	}
	imap := func(code string) func(n *mailtest.Network) {
		return func(n *mailtest.Network) {
			n.SetIMAPLogin(mailtest.IMAPLogin{RefuseCode: code, RefuseText: "Login refused."})
		}
	}
	smtp := func(code int, enh string) func(n *mailtest.Network) {
		return func(n *mailtest.Network) {
			n.SetSMTPLogin(mailtest.SMTPLogin{RefuseCode: code, RefuseEnhanced: enh, RefuseText: "Login refused."})
		}
	}
	pop3 := func(text string) func(n *mailtest.Network) {
		return func(n *mailtest.Network) { n.SetPOP3Login(mailtest.POP3Login{Refuse: text}) }
	}
	const i, s, p = "imap.example.test:993", "smtp.example.test:465", "pop.example.test:995"
	tests := []refusal{
		{"imap AUTHENTICATIONFAILED", account.IMAP, i, imap("AUTHENTICATIONFAILED"), LoginWrongCredentials, CodeAuthFailed, true},
		{"imap AUTHORIZATIONFAILED", account.IMAP, i, imap("AUTHORIZATIONFAILED"), LoginNotAuthorized, CodeAuthNotAuthorized, true},
		{"imap EXPIRED", account.IMAP, i, imap("EXPIRED"), LoginPasswordExpired, CodeAuthPasswordExpired, true},
		{"imap INUSE", account.IMAP, i, imap("INUSE"), LoginLocked, CodeAuthLocked, true},
		{"imap UNAVAILABLE", account.IMAP, i, imap("UNAVAILABLE"), LoginTemporary, CodeAuthTemporary, false},
		{"imap CONTACTADMIN", account.IMAP, i, imap("CONTACTADMIN"), LoginContactAdmin, CodeAuthContactAdmin, true},
		{"imap PRIVACYREQUIRED", account.IMAP, i, imap("PRIVACYREQUIRED"), LoginEncryptionRequired, CodeAuthEncryptionRequired, false},
		{"smtp 535 5.7.8", account.SMTP, s, smtp(535, "5.7.8"), LoginWrongCredentials, CodeAuthFailed, true},
		{"smtp 534 5.7.9", account.SMTP, s, smtp(534, "5.7.9"), LoginAppPasswordRequired, CodeAuthAppPasswordRequired, true},
		{"smtp 538 5.7.11", account.SMTP, s, smtp(538, "5.7.11"), LoginEncryptionRequired, CodeAuthEncryptionRequired, false},
		{"smtp 432 4.7.12", account.SMTP, s, smtp(432, "4.7.12"), LoginPasswordExpired, CodeAuthPasswordExpired, true},
		{"smtp 454 4.7.0", account.SMTP, s, smtp(454, "4.7.0"), LoginTemporary, CodeAuthTemporary, false},
		{"smtp 451 4.3.0", account.SMTP, s, smtp(451, "4.3.0"), LoginTemporary, CodeAuthTemporary, false},
		{"smtp 535 5.7.139", account.SMTP, s, smtp(535, "5.7.139"), LoginOAuth2Required, CodeAuthOAuth2Required, true},
		{"pop3 [AUTH]", account.POP3, p, pop3("[AUTH] Login refused."), LoginWrongCredentials, CodeAuthFailed, true},
		{"pop3 [IN-USE]", account.POP3, p, pop3("[IN-USE] Login refused."), LoginLocked, CodeAuthLocked, true},
		{"pop3 [SYS/TEMP]", account.POP3, p, pop3("[SYS/TEMP] Login refused."), LoginTemporary, CodeAuthTemporary, false},
		{"pop3 [SYS/PERM]", account.POP3, p, pop3("[SYS/PERM] Login refused."), LoginContactAdmin, CodeAuthContactAdmin, true},
		{"pop3 [LOGIN-DELAY]", account.POP3, p, pop3("[LOGIN-DELAY] Login refused."), LoginTemporary, CodeAuthTemporary, false},
	}
	n := mailtest.Start(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n.SetIMAPLogin(mailtest.IMAPLogin{})
			n.SetSMTPLogin(mailtest.SMTPLogin{})
			n.SetPOP3Login(mailtest.POP3Login{})
			tt.setup(n)
			ep, trace := loginProbe(t, n, tt.p, tt.target, mailtest.DefaultUser, mailtest.DefaultPassword)
			if ep.Login == nil || ep.Login.Outcome != tt.outcome || !hasCode(ep, tt.code) || ep.AuthProblem != tt.authErr {
				t.Errorf("login %+v, findings %v, auth problem %v; want %s, %s, %v\n%s", ep.Login, codes(ep), ep.AuthProblem, tt.outcome, tt.code, tt.authErr, trace)
			}
			if ep.Login != nil && !strings.Contains(ep.Login.Reply, "Login refused.") {
				t.Errorf("reply %q does not quote the server", ep.Login.Reply)
			}
		})
	}
}
