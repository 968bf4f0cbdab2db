package probe

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// env is a probe harness over the in-process network.
type env struct {
	n    *mailtest.Network
	opts Options
}

func newEnv(t *testing.T, opts ...mailtest.Option) *env {
	t.Helper()
	n := mailtest.Start(t, opts...)
	return &env{n: n, opts: Options{
		Dialer:   n,
		Resolver: &netx.Resolver{Server: n.ResolverAddr()},
		RootCAs:  n.CAPool(),
	}}
}

func (e *env) probe(t *testing.T, p account.Protocol, host string, port int, sec account.Security, password string) *Endpoint {
	t.Helper()
	srv := account.Server{Protocol: p, Host: host, Port: port, Security: sec, Auth: account.AuthPasswordCleartext, Username: mailtest.DefaultUser}
	return ProbeEndpoint(context.Background(), e.opts, Target{Server: srv, Password: password})
}

func codes(e *Endpoint) []Code {
	var out []Code
	for _, f := range e.Findings {
		out = append(out, f.Code)
	}
	return out
}

func hasCode(e *Endpoint, code Code) bool {
	for _, f := range e.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

func TestGoodServers(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		p    account.Protocol
		host string
		port int
		sec  account.Security
	}{
		{account.IMAP, "imap.example.test", 993, account.TLS},
		{account.IMAP, "imap.example.test", 143, account.STARTTLS},
		{account.POP3, "pop.example.test", 995, account.TLS},
		{account.POP3, "pop.example.test", 110, account.STARTTLS},
		{account.SMTP, "smtp.example.test", 465, account.TLS},
		{account.SMTP, "smtp.example.test", 587, account.STARTTLS},
	}
	for _, tt := range tests {
		ep := e.probe(t, tt.p, tt.host, tt.port, tt.sec, mailtest.DefaultPassword)
		if ep.Verdict != VerdictOK || ep.Login == nil || ep.Login.Outcome != LoginOK {
			t.Errorf("%s %s:%d %s: verdict %s, login %+v, findings %v", tt.p, tt.host, tt.port, tt.sec, ep.Verdict, ep.Login, ep.Findings)
		}
		if ep.TLS == nil || !ep.TLS.Verified || ep.TLS.Version == "" {
			t.Errorf("%s:%d: TLS %+v", tt.host, tt.port, ep.TLS)
		}
		if len(ep.CapsAfter) == 0 {
			t.Errorf("%s:%d: no capabilities after TLS", tt.host, tt.port)
		}
	}
}

// TestQuitWithoutReply: with QuitWithoutReply the probe sends LOGOUT or
// QUIT and reads nothing after it (the trace shows no server line after
// the command); without it, it reads the server's goodbye. The findings
// are the same either way.
func TestQuitWithoutReply(t *testing.T) {
	tests := []struct {
		p    account.Protocol
		host string
		port int
		sec  account.Security
		quit string
	}{
		{account.IMAP, "imap.example.test", 993, account.TLS, "LOGOUT"},
		{account.SMTP, "smtp.example.test", 587, account.STARTTLS, "QUIT"},
		{account.POP3, "pop.example.test", 995, account.TLS, "QUIT"},
	}
	for _, tt := range tests {
		for _, noReply := range []bool{false, true} {
			e := newEnv(t)
			var trace strings.Builder
			e.opts.Trace = netx.NewTracer(&trace)
			e.opts.QuitWithoutReply = noReply
			ep := e.probe(t, tt.p, tt.host, tt.port, tt.sec, "")
			if ep.Verdict == VerdictFail || len(ep.CapsAfter) == 0 {
				t.Errorf("%s (no reply %v): verdict %s, findings %v", tt.host, noReply, ep.Verdict, ep.Findings)
			}
			lines := strings.Split(trace.String(), "\n")
			sent := slices.IndexFunc(lines, func(l string) bool {
				return strings.Contains(l, ": C: ") && strings.HasSuffix(l, " "+tt.quit)
			})
			if sent < 0 {
				t.Fatalf("%s: %s not sent:\n%s", tt.host, tt.quit, trace.String())
			}
			readAfter := slices.ContainsFunc(lines[sent:], func(l string) bool { return strings.Contains(l, ": S: ") })
			if readAfter == noReply {
				t.Errorf("%s (no reply %v): server lines read after %s: %v\n%s", tt.host, noReply, tt.quit, readAfter, trace.String())
			}
		}
	}
}
