package probe

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// Each test below provokes one finding on the in-process network and
// checks the code, the verdict and what reached the server.

func TestStartTLSMissing(t *testing.T) {
	e := newEnv(t)
	e.n.SetBehavior("imap.example.test:143", mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		return strings.Replace(line, " STARTTLS", "", 1)
	}})
	ep := e.probe(t, account.IMAP, "imap.example.test", 143, account.STARTTLS, mailtest.DefaultPassword)
	if !hasCode(ep, CodeStartTLSMissing) || ep.Verdict != VerdictFail {
		t.Errorf("findings %v, verdict %s; want starttls.missing, fail", codes(ep), ep.Verdict)
	}
	for _, l := range e.n.ConnLogsFor("imap.example.test:143") {
		if l.Sent("LOGIN") || l.Sent("AUTHENTICATE") {
			t.Errorf("credentials sent without STARTTLS:\n%s", l)
		}
	}
}

func TestCertificateProblems(t *testing.T) {
	tests := []struct {
		kind mailtest.CertKind
		code Code
	}{
		{mailtest.CertExpired, CodeTLSCertExpired},
		{mailtest.CertNotYetValid, CodeTLSCertNotYetValid},
		{mailtest.CertWrongName, CodeTLSCertNameMismatch},
		{mailtest.CertSelfSigned, CodeTLSCertSelfSigned},
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			e := newEnv(t)
			e.n.SetCertKind("imap.example.test", tt.kind)
			for _, port := range []int{993, 143} {
				sec := map[int]account.Security{993: account.TLS, 143: account.STARTTLS}[port]
				ep := e.probe(t, account.IMAP, "imap.example.test", port, sec, mailtest.DefaultPassword)
				if !hasCode(ep, tt.code) || ep.Verdict != VerdictFail {
					t.Errorf("port %d: findings %v, verdict %s; want %s", port, codes(ep), ep.Verdict, tt.code)
				}
				if ep.TLS == nil || ep.TLS.Subject == "" || ep.TLS.Verified {
					t.Errorf("port %d: certificate not recorded, or verified: %+v", port, ep.TLS)
				}
				if ep.Login != nil {
					t.Errorf("port %d: login attempted over unverified TLS", port)
				}
			}
			if tt.kind == mailtest.CertWrongName {
				ep := e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, "")
				if ep.TLS.NameMatch || !ep.TLS.Trusted {
					t.Errorf("wrong name: NameMatch %v Trusted %v, want false true", ep.TLS.NameMatch, ep.TLS.Trusted)
				}
			}
			for _, l := range e.n.ConnLogsFor("imap.example.test:143") {
				if l.Sent("LOGIN") || l.Sent("AUTHENTICATE") {
					t.Errorf("credentials sent over a bad certificate:\n%s", l)
				}
			}
		})
	}
}

func TestTarpit(t *testing.T) {
	e := newEnv(t)
	e.opts.PhaseTimeout = 300 * time.Millisecond
	e.n.SetBehavior("smtp.example.test:587", mailtest.Behavior{Tarpit: true})
	ep := e.probe(t, account.SMTP, "smtp.example.test", 587, account.STARTTLS, "")
	if !hasCode(ep, CodeGreetingTimeout) || ep.Verdict != VerdictFail {
		t.Errorf("findings %v; want greeting.timeout", codes(ep))
	}
	// On an implicit-TLS port a tarpit stalls the handshake instead.
	e.n.SetBehavior("smtp.example.test:465", mailtest.Behavior{Tarpit: true})
	ep = e.probe(t, account.SMTP, "smtp.example.test", 465, account.TLS, "")
	if !hasCode(ep, CodeTLSHandshakeFailed) {
		t.Errorf("implicit TLS tarpit: findings %v; want tls.handshake-failed", codes(ep))
	}
}

func TestStallAfterGreeting(t *testing.T) {
	e := newEnv(t)
	e.opts.PhaseTimeout = 300 * time.Millisecond
	e.n.SetBehavior("pop.example.test:995", mailtest.Behavior{StallAfterGreeting: true})
	ep := e.probe(t, account.POP3, "pop.example.test", 995, account.TLS, "")
	if !hasCode(ep, CodeProtocolTimeout) {
		t.Errorf("findings %v; want protocol.timeout", codes(ep))
	}
}

func TestConnectRefused(t *testing.T) {
	e := newEnv(t)
	ep := e.probe(t, account.IMAP, "mx.example.test", 993, account.TLS, "")
	if !hasCode(ep, CodeTCPRefused) {
		t.Errorf("findings %v; want tcp.refused", codes(ep))
	}
	ep = e.probe(t, account.IMAP, "nosuchhost.example.test", 993, account.TLS, "")
	if !hasCode(ep, CodeDNSNotFound) {
		t.Errorf("findings %v; want dns.not-found", codes(ep))
	}
}

func TestGarbageGreeting(t *testing.T) {
	e := newEnv(t)
	for _, target := range []string{"imap.example.test:993", "smtp.example.test:465", "pop.example.test:995"} {
		e.n.SetBehavior(target, mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
			return "HTTP/1.1 400 Bad Request\r\n"
		}})
	}
	for _, tt := range []struct {
		p    account.Protocol
		host string
		port int
	}{{account.IMAP, "imap.example.test", 993}, {account.SMTP, "smtp.example.test", 465}, {account.POP3, "pop.example.test", 995}} {
		ep := e.probe(t, tt.p, tt.host, tt.port, account.TLS, "")
		if !hasCode(ep, CodeGreetingInvalid) {
			t.Errorf("%s: findings %v; want greeting.invalid", tt.p, codes(ep))
		}
	}
}

func TestEndlessLine(t *testing.T) {
	e := newEnv(t)
	for _, target := range []string{"imap.example.test:143", "smtp.example.test:465", "pop.example.test:110"} {
		e.n.SetBehavior(target, mailtest.Behavior{Flood: true})
	}
	for _, tt := range []struct {
		p    account.Protocol
		host string
		port int
		sec  account.Security
	}{{account.IMAP, "imap.example.test", 143, account.STARTTLS}, {account.SMTP, "smtp.example.test", 465, account.TLS}, {account.POP3, "pop.example.test", 110, account.STARTTLS}} {
		ep := e.probe(t, tt.p, tt.host, tt.port, tt.sec, "")
		if !hasCode(ep, CodeProtocolLineTooLong) {
			t.Errorf("%s: findings %v; want protocol.line-too-long", tt.p, codes(ep))
		}
	}
}

func TestPreauthOnCleartext(t *testing.T) {
	e := newEnv(t)
	var greeted atomic.Bool
	e.n.SetBehavior("imap.example.test:143", mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		if !greeted.Swap(true) {
			return "* PREAUTH [CAPABILITY IMAP4rev1] logged in\r\n"
		}
		return line
	}})
	ep := e.probe(t, account.IMAP, "imap.example.test", 143, account.STARTTLS, mailtest.DefaultPassword)
	if !hasCode(ep, CodeIMAPPreauthCleartext) || ep.Verdict != VerdictFail {
		t.Errorf("findings %v (greeting %q); want imap.preauth-cleartext", codes(ep), ep.Greeting)
	}
}

func TestLoginDisabledHonoured(t *testing.T) {
	e := newEnv(t)
	// Even when insecure login is allowed, LOGINDISABLED stops the password.
	e.opts.AllowInsecureAuth = true
	ep := e.probe(t, account.IMAP, "imap.example.test", 143, account.None, mailtest.DefaultPassword)
	if !hasCode(ep, CodeSecurityNone) {
		t.Errorf("findings %v; want security.none", codes(ep))
	}
	if slices.Contains(ep.AuthBefore, "LOGIN") {
		t.Errorf("AuthBefore %v despite LOGINDISABLED", ep.AuthBefore)
	}
	logs := e.n.ConnLogsFor("imap.example.test:143")
	if len(logs) == 0 {
		t.Fatal("no connection logged")
	}
	for _, l := range logs {
		if l.Sent("LOGIN") || l.Sent("AUTHENTICATE") || l.Contains(mailtest.DefaultPassword) {
			t.Errorf("password sent despite LOGINDISABLED:\n%s", l)
		}
	}
}

func TestNoPasswordWithoutVerifiedTLS(t *testing.T) {
	e := newEnv(t)
	ep := e.probe(t, account.POP3, "pop.example.test", 110, account.None, mailtest.DefaultPassword)
	if !hasCode(ep, CodeAuthSkippedInsecure) || ep.Login.Outcome != LoginNotAttempted {
		t.Errorf("findings %v; want auth.skipped-insecure", codes(ep))
	}
	for _, l := range e.n.ConnLogsFor("pop.example.test:110") {
		if l.Sent("USER") || l.Sent("PASS") || l.Sent("AUTH") {
			t.Errorf("credentials sent in cleartext:\n%s", l)
		}
	}
}

func TestWrongPassword(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		p    account.Protocol
		host string
		port int
	}{{account.IMAP, "imap.example.test", 993}, {account.SMTP, "smtp.example.test", 465}, {account.POP3, "pop.example.test", 995}} {
		ep := e.probe(t, tt.p, tt.host, tt.port, account.TLS, "wrong-password")
		if !hasCode(ep, CodeAuthFailed) || ep.Login.Outcome != LoginWrongCredentials || !ep.AuthProblem {
			t.Errorf("%s: findings %v, login %+v; want auth.failed", tt.p, codes(ep), ep.Login)
		}
		for _, f := range ep.Findings {
			if strings.Contains(f.Message, "wrong-password") {
				t.Errorf("%s: a finding repeats the password: %q", tt.p, f.Message)
			}
		}
	}
	// One attempt per endpoint per run.
	for _, l := range e.n.ConnLogsFor("pop.example.test:995") {
		n := 0
		for _, c := range l.Commands() {
			if c.Verb == "PASS" || c.Verb == "AUTH" {
				n++
			}
		}
		if n > 1 {
			t.Errorf("%d login attempts on one connection:\n%s", n, l)
		}
	}
	if e.n.POP3DeleReceived() {
		t.Error("POP3 DELE sent")
	}
	if m, r := e.n.SMTPTransactions(); m+r > 0 {
		t.Errorf("SMTP MAIL/RCPT sent: %d/%d", m, r)
	}
}

func TestAppPasswordWording(t *testing.T) {
	e := newEnv(t)
	e.n.SetBehavior("imap.example.test:993", mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		if strings.Contains(line, " NO ") {
			tag, _, _ := strings.Cut(line, " ")
			return tag + " NO [ALERT] Application-specific password required: https://support.google.com/mail/accounts/answer/185833\r\n"
		}
		return line
	}})
	e.n.SetBehavior("smtp.example.test:465", mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		if strings.HasPrefix(line, "535") {
			return "534-5.7.9 Application-specific password required. Learn more at\r\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor\r\n"
		}
		return line
	}})
	for _, tt := range []struct {
		p    account.Protocol
		host string
		port int
	}{{account.IMAP, "imap.example.test", 993}, {account.SMTP, "smtp.example.test", 465}} {
		ep := e.probe(t, tt.p, tt.host, tt.port, account.TLS, "normal-password")
		if !hasCode(ep, CodeAuthAppPasswordRequired) || ep.Login.Outcome != LoginAppPasswordRequired {
			t.Errorf("%s: findings %v, login %+v; want auth.app-password-required", tt.p, codes(ep), ep.Login)
		}
	}
}

func TestPOP3InUse(t *testing.T) {
	e := newEnv(t)
	e.n.SetPOP3InUse(true)
	ep := e.probe(t, account.POP3, "pop.example.test", 995, account.TLS, mailtest.DefaultPassword)
	if !hasCode(ep, CodeAuthLocked) || ep.Login.Outcome != LoginLocked {
		t.Errorf("findings %v, login %+v; want auth.locked", codes(ep), ep.Login)
	}
}

func TestSTARTTLSInjection(t *testing.T) {
	e := newEnv(t)
	for _, target := range []string{"imap.example.test:143", "smtp.example.test:587", "pop.example.test:110"} {
		e.n.SetBehavior(target, mailtest.Behavior{STARTTLSInjection: []byte("* OK injected\r\n250 injected\r\n+OK injected\r\n")})
	}
	for _, tt := range []struct {
		p    account.Protocol
		host string
		port int
	}{{account.IMAP, "imap.example.test", 143}, {account.SMTP, "smtp.example.test", 587}, {account.POP3, "pop.example.test", 110}} {
		ep := e.probe(t, tt.p, tt.host, tt.port, account.STARTTLS, mailtest.DefaultPassword)
		if !hasCode(ep, CodeStartTLSInjection) || ep.Verdict != VerdictFail || ep.Login != nil {
			t.Errorf("%s: findings %v, login %+v; want starttls.injection and no login", tt.p, codes(ep), ep.Login)
		}
	}
}

func TestCleartextAuthBeforeTLS(t *testing.T) {
	e := newEnv(t)
	e.n.SetBehavior("smtp.example.test:587", mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		if !afterTLS && strings.HasPrefix(line, "250 ") {
			return "250-AUTH PLAIN LOGIN\r\n" + line
		}
		return line
	}})
	ep := e.probe(t, account.SMTP, "smtp.example.test", 587, account.STARTTLS, "")
	if !hasCode(ep, CodeAuthCleartextBeforeTLS) || ep.Verdict != VerdictWarn {
		t.Errorf("findings %v, verdict %s; want auth.cleartext-before-tls, warn", codes(ep), ep.Verdict)
	}
	// The methods are named as words, not as a Go slice (issue 15).
	if f, _ := findingOf(ep, CodeAuthCleartextBeforeTLS); !strings.Contains(f.Message, "(PLAIN and LOGIN)") {
		t.Errorf("message %q; want the methods as (PLAIN and LOGIN)", f.Message)
	}
}

func TestRunReportAndCancel(t *testing.T) {
	e := newEnv(t)
	servers := []Target{
		{Server: account.Server{Protocol: account.IMAP, Host: "imap.example.test", Username: mailtest.DefaultUser}, Password: mailtest.DefaultPassword},
		{Server: account.Server{Protocol: account.SMTP, Host: "smtp.example.test", Port: 587, Security: account.STARTTLS, Username: mailtest.DefaultUser}, Password: mailtest.DefaultPassword},
	}
	rep := Run(context.Background(), e.opts, mailtest.DefaultDomain, servers)
	if rep.Verdict != VerdictOK || len(rep.Endpoints) != 2 || rep.DNS == nil {
		t.Fatalf("report verdict %s, %d endpoints, dns %v", rep.Verdict, len(rep.Endpoints), rep.DNS)
	}
	if len(rep.DNS.MX) == 0 {
		t.Errorf("no MX in the DNS section: %+v", rep.DNS)
	}
	// A cancelled context ends a stalled probe at once.
	e.n.SetBehavior("imap.example.test:993", mailtest.Behavior{Tarpit: true})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *Report)
	go func() { done <- Run(ctx, e.opts, "", servers[:1]) }()
	cancel()
	rep = <-done
	if rep.Verdict != VerdictFail {
		t.Errorf("cancelled run verdict %s", rep.Verdict)
	}
}
