package probe

import (
	"context"
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
