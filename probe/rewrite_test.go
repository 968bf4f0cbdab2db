package probe

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// TestRewrittenReplies provokes findings by rewriting what a good server
// says, one case per finding code.
func TestRewrittenReplies(t *testing.T) {
	firstLine := func(repl string) func(string, bool) string {
		var done atomic.Bool
		return func(line string, afterTLS bool) string {
			if !done.Swap(true) {
				return repl
			}
			return line
		}
	}
	tests := []struct {
		code     Code
		target   string
		p        account.Protocol
		sec      account.Security
		password string
		rewrite  func(line string, afterTLS bool) string
	}{
		{CodeGreetingRejected, "smtp.example.test:587", account.SMTP, account.STARTTLS, "",
			firstLine("554 5.7.1 Your network is blocked\r\n")},
		{CodeGreetingRejected, "pop.example.test:995", account.POP3, account.TLS, "",
			firstLine("-ERR go away\r\n")},
		{CodeIMAPLoginDisabledMissing, "imap.example.test:143", account.IMAP, account.STARTTLS, "",
			func(line string, afterTLS bool) string { return strings.Replace(line, " LOGINDISABLED", "", 1) }},
		{CodeStartTLSRefused, "smtp.example.test:587", account.SMTP, account.STARTTLS, "",
			func(line string, afterTLS bool) string {
				if strings.HasPrefix(line, "220 ") && strings.Contains(strings.ToLower(line), "tls") {
					return "454 4.7.0 TLS not available due to local problem\r\n"
				}
				return line
			}},
		{CodeAuthOAuth2Only, "smtp.example.test:465", account.SMTP, account.TLS, "",
			func(line string, afterTLS bool) string {
				if strings.Contains(line, "AUTH ") {
					return line[:4] + "AUTH XOAUTH2 OAUTHBEARER\r\n"
				}
				return line
			}},
		{CodeAuthMechanismsMissing, "smtp.example.test:465", account.SMTP, account.TLS, "",
			func(line string, afterTLS bool) string {
				if strings.Contains(line, "AUTH ") {
					return line[:4] + "SIZE 1000000\r\n"
				}
				return line
			}},
		{CodeAuthOAuth2Required, "smtp.example.test:465", account.SMTP, account.TLS, "some-password",
			func(line string, afterTLS bool) string {
				if strings.HasPrefix(line, "535") {
					return "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.\r\n"
				}
				return line
			}},
		{CodeAuthTemporary, "smtp.example.test:465", account.SMTP, account.TLS, "some-password",
			func(line string, afterTLS bool) string {
				if strings.HasPrefix(line, "535") {
					return "454 4.7.0 Temporary authentication failure\r\n"
				}
				return line
			}},
		{CodeProtocolError, "imap.example.test:993", account.IMAP, account.TLS, "",
			func(line string, afterTLS bool) string {
				if strings.HasPrefix(line, "* CAPABILITY") {
					return ""
				}
				if strings.Contains(line, " OK ") && strings.HasPrefix(line, "m") {
					return strings.Replace(line, " OK ", " BAD ", 1)
				}
				return line
			}},
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			e := newEnv(t)
			e.n.SetBehavior(tt.target, mailtest.Behavior{RewriteServerLine: tt.rewrite})
			host, port, _ := net.SplitHostPort(tt.target)
			ep := e.probe(t, tt.p, host, atoi(port), tt.sec, tt.password)
			if !hasCode(ep, tt.code) {
				t.Errorf("findings %v; want %s", codes(ep), tt.code)
			}
		})
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestGoodServerCodes(t *testing.T) {
	e := newEnv(t)
	ep := e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, mailtest.DefaultPassword)
	for _, c := range []Code{CodeTLSOK, CodeAuthOK} {
		if !hasCode(ep, c) {
			t.Errorf("findings %v; want %s", codes(ep), c)
		}
	}
	ep = e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, "")
	if !hasCode(ep, CodeAuthSkippedNoPassword) || ep.Verdict != VerdictOK {
		t.Errorf("findings %v, verdict %s; want auth.skipped-no-password and ok", codes(ep), ep.Verdict)
	}
}

func TestCertificateExpiringSoonAndUntrusted(t *testing.T) {
	e := newEnv(t)
	ep := e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, "")
	notAfter := ep.TLS.NotAfter
	e.opts.Now = func() time.Time { return notAfter.Add(-5 * 24 * time.Hour) }
	ep = e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, "")
	if !hasCode(ep, CodeTLSCertExpiringSoon) || ep.TLS.DaysLeft > 5 {
		t.Errorf("findings %v, days left %d; want tls.cert.expiring-soon", codes(ep), ep.TLS.DaysLeft)
	}
	e.opts.Now = nil
	e.opts.RootCAs = x509.NewCertPool()
	ep = e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, mailtest.DefaultPassword)
	if !hasCode(ep, CodeTLSCertUntrusted) || hasCode(ep, CodeTLSCertSelfSigned) || ep.Login != nil {
		t.Errorf("findings %v; want tls.cert.untrusted and no login", codes(ep))
	}
}

// blackhole is a dialer whose connection attempts never complete.
type blackhole struct{}

func (blackhole) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	<-ctx.Done()
	return nil, &net.OpError{Op: "dial", Net: network, Err: ctx.Err()}
}

// blackholePort drops connection attempts to one port and passes the
// others to the in-process network.
type blackholePort struct {
	n    *mailtest.Network
	port string
}

func (b blackholePort) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if strings.HasSuffix(addr, ":"+b.port) {
		return blackhole{}.DialContext(ctx, network, addr)
	}
	return b.n.DialContext(ctx, network, addr)
}

func TestConnectTimeoutAndDNSFailure(t *testing.T) {
	e := newEnv(t)
	e.opts.PhaseTimeout = 200 * time.Millisecond
	e.opts.Advice.CheckPorts = true
	// 587 is blocked, 465 answers: the fix suggests 465.
	e.opts.Dialer = blackholePort{e.n, "587"}
	ep := e.probe(t, account.SMTP, "smtp.example.test", 587, account.STARTTLS, "")
	if !hasCode(ep, CodeTCPTimeout) {
		t.Fatalf("findings %v; want tcp.timeout", codes(ep))
	}
	if fix := ep.Findings[0].Fix; !strings.Contains(fix, "465") {
		t.Errorf("timeout on 587: fix %q does not suggest 465", fix)
	}
	// Everything is blocked: no port is suggested.
	e.opts.Dialer = blackhole{}
	ep = e.probe(t, account.SMTP, "smtp.example.test", 587, account.STARTTLS, "")
	if fix := ep.Findings[0].Fix; !hasCode(ep, CodeTCPTimeout) || strings.Contains(fix, "465") {
		t.Errorf("timeout on 587 with 465 silent too: findings %v, fix %q", codes(ep), fix)
	}
	e.n.DNS().SetSERVFAIL("smtp.example.test", true)
	ep = e.probe(t, account.SMTP, "smtp.example.test", 587, account.STARTTLS, "")
	if !hasCode(ep, CodeDNSFailed) {
		t.Errorf("findings %v; want dns.failed", codes(ep))
	}
	// A DNS server that fails is not a typo (issue 15).
	if f, _ := findingOf(ep, CodeDNSFailed); strings.Contains(f.Fix, "Check the spelling") {
		t.Errorf("dns.failed fix %q blames the spelling", f.Fix)
	}
}

func TestIPv6(t *testing.T) {
	e := newEnv(t)
	e.n.SetAddressFamilies("imap.example.test", false, true)
	ep := e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, mailtest.DefaultPassword)
	if ep.Verdict != VerdictOK || len(ep.Addresses) != 1 || !strings.HasPrefix(ep.Connected, "[fd") {
		t.Errorf("IPv6-only host: verdict %s, addresses %+v, connected %q, findings %v", ep.Verdict, ep.Addresses, ep.Connected, codes(ep))
	}
	// Dual stack with a broken IPv6 address: works over IPv4, with a warning.
	e.n.SetAddressFamilies("smtp.example.test", true, true)
	e.n.SetReachability("smtp.example.test", mailtest.IPv6, mailtest.Unreachable)
	ep = e.probe(t, account.SMTP, "smtp.example.test", 465, account.TLS, mailtest.DefaultPassword)
	if !hasCode(ep, CodeTCPAddressUnreachable) || ep.Verdict != VerdictWarn || len(ep.Addresses) != 2 || strings.HasPrefix(ep.Connected, "[") {
		t.Errorf("dual stack, IPv6 broken: verdict %s, addresses %+v, connected %q, findings %v", ep.Verdict, ep.Addresses, ep.Connected, codes(ep))
	}
	if ep.Login == nil || ep.Login.Outcome != LoginOK {
		t.Errorf("login over IPv4 fallback: %+v", ep.Login)
	}
}

// failingDialer fails every connection attempt with a network error.
type failingDialer struct{}

func (failingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return nil, &net.OpError{Op: "dial", Net: network, Err: errNoRoute}
}

var errNoRoute = &net.AddrError{Err: "no route to host", Addr: "x"}

func TestConnectFailed(t *testing.T) {
	e := newEnv(t)
	e.opts.Dialer = failingDialer{}
	ep := e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, "")
	if !hasCode(ep, CodeTCPFailed) {
		t.Errorf("findings %v; want tcp.failed", codes(ep))
	}
}

func TestDNSSection(t *testing.T) {
	e := newEnv(t)
	z := e.n.DNS()
	z.AddMX("example.test", 20, "mx2.example.test")
	z.AddMX("example.test", 5, "mx0.example.test")
	z.AddMX("example.test", 100, "mx3.example.test")
	z.AddSRV("_imaps._tcp.example.test", 10, 5, 993, "imap-b.example.test")
	z.AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap-a.example.test")
	z.AddSRV("_imaps._tcp.example.test", 10, 50, 993, "imap-c.example.test")
	z.AddSRV("_pop3._tcp.example.test", 0, 0, 0, ".")
	z.AddTXT("_mta-sts.example.test", "v=STSv1; id=20261127")
	z.AddTXT("_smtp._tls.example.test", "v=TLSRPTv1; rua=mailto:tls@example.test")
	z.AddTLSA("_25._tcp.mx.example.test", 3, 1, 1, "abcdef0123456789")
	rep := Run(context.Background(), e.opts, "example.test", nil)
	d := rep.DNS
	var mx []string
	for _, m := range d.MX {
		mx = append(mx, m.Host)
	}
	if got := strings.Join(mx, " "); got != "mx0.example.test mx.example.test mx2.example.test mx3.example.test" {
		t.Errorf("MX order %q, want numeric preference order", got)
	}
	var imaps []string
	var pop3NotOffered bool
	for _, s := range d.SRV {
		if s.Service == "_imaps._tcp" {
			for _, r := range s.Records {
				imaps = append(imaps, r.Target)
			}
		}
		if s.Service == "_pop3._tcp" {
			pop3NotOffered = s.NotOffered
		}
	}
	if got := strings.Join(imaps, " "); got != "imap-a.example.test imap-c.example.test imap-b.example.test" {
		t.Errorf("SRV order %q, want priority then heavier weight first", got)
	}
	if !pop3NotOffered {
		t.Error(`SRV target "." not reported as not offered`)
	}
	if len(d.Inbound.MTASTS) != 1 || len(d.Inbound.TLSRPT) != 1 || len(d.Inbound.TLSA["mx.example.test"]) != 1 {
		t.Errorf("inbound section %+v", d.Inbound)
	}
}

// TestCredentialsNeverEchoed: a server that repeats a credentials line the
// probe sent (here the SASL PLAIN response) does not get it, or anything
// else on that line, into findings, the login reply or the trace: the
// line is withheld whole. (Text a server makes up itself is its own text
// and is quoted as it is; nothing is replaced inside it.)
func TestCredentialsNeverEchoed(t *testing.T) {
	e := newEnv(t)
	const pw = "S3cret-Echo!"
	var trace bytes.Buffer
	e.opts.Trace = netx.NewTracer(&trace)
	e.n.SetBehavior("imap.example.test:993", mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		if strings.Contains(line, " NO ") {
			tag, _, _ := strings.Cut(line, " ")
			return tag + " NO login failed, password was " + pw + " (" + plainResponse(mailtest.DefaultUser, pw) + ")\r\n"
		}
		return line
	}})
	e.n.SetBehavior("smtp.example.test:465", mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		if strings.HasPrefix(line, "535") {
			return "535 5.7.8 bad AUTH PLAIN " + plainResponse(mailtest.DefaultUser, pw) + " from " + pw + "\r\n"
		}
		return line
	}})
	for _, ep := range []*Endpoint{
		e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, pw),
		e.probe(t, account.SMTP, "smtp.example.test", 465, account.TLS, pw),
	} {
		b, _ := json.Marshal(ep)
		for _, sec := range []string{pw, plainResponse(mailtest.DefaultUser, pw), base64.StdEncoding.EncodeToString([]byte(pw))} {
			if strings.Contains(string(b), sec) {
				t.Errorf("%s: the report holds %q:\n%s", ep.Server, sec, b)
			}
			if strings.Contains(trace.String(), sec) {
				t.Errorf("%s: the trace holds %q", ep.Server, sec)
			}
		}
		if !hasCode(ep, CodeAuthFailed) || ep.Login.Reply != echoWithheld {
			t.Errorf("%s: findings %v, login %+v; want auth.failed with the reply withheld", ep.Server, codes(ep), ep.Login)
		}
	}
	if !strings.Contains(trace.String(), "S: "+echoWithheld) {
		t.Errorf("the trace does not mark the withheld line:\n%s", trace.String())
	}
}

// TestLineBreakInCredentials: a username or password with CR/LF is never
// sent, so it cannot smuggle DELE (or anything else) to the server.
func TestLineBreakInCredentials(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct{ user, pw string }{
		{mailtest.DefaultUser, mailtest.DefaultPassword + "\r\nDELE 1"},
		{mailtest.DefaultUser + "\r\nDELE 1", mailtest.DefaultPassword},
	} {
		srv := account.Server{Protocol: account.POP3, Host: "pop.example.test", Port: 995, Security: account.TLS, Auth: account.AuthPasswordCleartext}
		ep := ProbeEndpoint(context.Background(), e.opts, Target{Server: srv, Username: tt.user, Password: tt.pw})
		if !hasCode(ep, CodeAuthInvalidCharacters) || ep.Login.Outcome != LoginNotAttempted {
			t.Errorf("findings %v", codes(ep))
		}
	}
	if e.n.POP3DeleReceived() {
		t.Error("DELE reached the POP3 server")
	}
}
