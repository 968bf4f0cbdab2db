package probe

import (
	"context"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// BenchmarkConcurrentProbe probes the six client endpoints (IMAP, POP3 and
// SMTP, each with implicit TLS and STARTTLS, with a login) on the
// in-process network with 50 ms added to every round trip. Each iteration
// first probes every endpoint alone, then all six together. The custom
// metric wall/slowest is the concurrent run's wall time divided by the
// slowest endpoint's time alone: 1.0 means running all six costs no more
// than the slowest one.
func BenchmarkConcurrentProbe(b *testing.B) {
	n := mailtest.Start(b, mailtest.WithLatency(50*time.Millisecond))
	opts := Options{Dialer: n, Resolver: &netx.Resolver{Server: n.ResolverAddr()}, RootCAs: n.CAPool()}
	var targets []Target
	for _, s := range []struct {
		p    account.Protocol
		host string
		sec  account.Security
	}{
		{account.IMAP, "imap.example.test", account.TLS}, {account.IMAP, "imap.example.test", account.STARTTLS},
		{account.POP3, "pop.example.test", account.TLS}, {account.POP3, "pop.example.test", account.STARTTLS},
		{account.SMTP, "smtp.example.test", account.TLS}, {account.SMTP, "smtp.example.test", account.STARTTLS},
	} {
		targets = append(targets, Target{
			Server:   account.Server{Protocol: s.p, Host: s.host, Security: s.sec, Username: mailtest.DefaultUser},
			Password: mailtest.DefaultPassword,
		})
	}
	ctx := context.Background()
	var ratioSum, slowSum, wallSum float64
	b.ResetTimer()
	for b.Loop() {
		var slowest time.Duration
		for _, t := range targets {
			start := time.Now()
			if ep := ProbeEndpoint(ctx, opts, t); ep.Verdict != VerdictOK {
				b.Fatalf("%s: %s %v", t.Server, ep.Verdict, ep.Findings)
			}
			slowest = max(slowest, time.Since(start))
		}
		start := time.Now()
		if rep := Run(ctx, opts, "", targets); rep.Verdict != VerdictOK {
			b.Fatalf("concurrent run: %s", rep.Verdict)
		}
		wall := time.Since(start)
		ratioSum += wall.Seconds() / slowest.Seconds()
		slowSum += slowest.Seconds() * 1000
		wallSum += wall.Seconds() * 1000
	}
	b.ReportMetric(ratioSum/float64(b.N), "wall/slowest")
	b.ReportMetric(slowSum/float64(b.N), "slowest-ms")
	b.ReportMetric(wallSum/float64(b.N), "wall-ms")
}
