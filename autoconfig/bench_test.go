package autoconfig

import (
	"context"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// BenchmarkDiscover measures how much the parallel, priority-ordered race
// saves. The in-process network adds 100 ms to every DNS answer and to
// every TCP/TLS/HTTP round trip. The provider's autoconfig file answers
// (the winner); SRV records and the guessable hosts exist too, the ISPDB
// has no entry. Each iteration times:
//   - all sources together (wall),
//   - the winning source alone (its critical path),
//   - every source alone, one after another (sequential).
//
// Metrics: wall/winner (target ≤ 1.2) and wall/sequential (target ≤ 1/3).
func BenchmarkDiscover(b *testing.B) {
	n := mailtest.Start(b, mailtest.WithLatency(100*time.Millisecond))
	n.DNS().SetDelayAll(100 * time.Millisecond)
	n.AddHost("ispdb.example.test", mailtest.HTTPS)
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml",
		mailtest.Route{Scheme: "https", Body: configXML("example.test", "imap.example.test", 993, "smtp.example.test", 465, "")})
	n.DNS().AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.example.test")
	n.DNS().AddSRV("_submissions._tcp.example.test", 0, 1, 465, "smtp.example.test")
	db := &DB{byDomain: map[string]*Config{}} // no built-in match: the network decides
	opts := Options{
		Resolver: &netx.Resolver{Server: n.ResolverAddr()}, Dialer: n, RootCAs: n.CAPool(),
		ISPDB: "https://ispdb.example.test/v1.1/", DB: db, NoVerify: true,
	}
	addr := account.MustParseAddress("jane@example.test")
	timed := func(only ...account.Source) time.Duration {
		o := opts
		o.Only = only
		start := time.Now()
		res, err := Discover(context.Background(), addr, o)
		d := time.Since(start)
		if err != nil && len(only) != 1 {
			b.Fatalf("discover %v: %v", only, err)
		}
		if len(only) == 0 && res.Candidates[0].Account.Provenance.Source != account.SourceAutoconfig {
			b.Fatalf("winner %s, want autoconfig", res.Candidates[0].Account.Provenance.Source)
		}
		return d
	}
	var wallSum, winnerSum, seqSum float64
	for b.Loop() {
		wall := timed()
		winner := timed(account.SourceAutoconfig)
		var seq time.Duration
		for _, s := range Sources {
			if s == account.SourceHTTP {
				continue // off unless --allow-http, as in the wall run
			}
			seq += timed(s)
		}
		wallSum += wall.Seconds()
		winnerSum += winner.Seconds()
		seqSum += seq.Seconds()
	}
	b.ReportMetric(wallSum/winnerSum, "wall/winner")
	b.ReportMetric(wallSum/seqSum, "wall/sequential")
	b.ReportMetric(wallSum/float64(b.N)*1000, "wall-ms")
	b.ReportMetric(seqSum/float64(b.N)*1000, "sequential-ms")
}

// BenchmarkDiscoverVerified measures what the live check costs: each
// iteration runs the same discovery with the check (Options.NoVerify
// false) and without it, on the in-process network with 100 ms added to
// every round trip (50 ms each way) and to every DNS answer. Scenarios:
//   - autoconfig: the provider's autoconfig file over HTTPS names
//     imap.example.test and smtp.example.test, which the guessing source
//     tries too; the ISPDB has no entry;
//   - autoconfig+srv: the same, with SRV records naming those servers;
//   - guess: nothing is published, the guessing source finds the servers;
//   - provider: the autoconfig file names servers of another domain
//     (imap.provider.test, smtp.provider.test) that no other source names,
//     so the check can only start when the file has arrived.
//
// Metric: verified/unverified, the ratio of the two wall times (target
// ≤ 1.3 for the first three; the last shows the check's own cost).
func BenchmarkDiscoverVerified(b *testing.B) {
	for _, sc := range []string{"autoconfig", "autoconfig+srv", "guess", "provider"} {
		b.Run(sc, func(b *testing.B) {
			n := mailtest.Start(b, mailtest.WithLatency(100*time.Millisecond))
			n.DNS().SetDelayAll(100 * time.Millisecond)
			n.AddHost("ispdb.example.test", mailtest.HTTPS)
			want := account.SourceGuess
			in, out := "imap.example.test", "smtp.example.test"
			if sc == "provider" {
				in, out = "imap.provider.test", "smtp.provider.test"
				n.AddHost(in, mailtest.IMAPS)
				n.AddHost(out, mailtest.Submissions)
			}
			if sc != "guess" {
				want = account.SourceAutoconfig
				n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml",
					mailtest.Route{Scheme: "https", Body: configXML("example.test", in, 993, out, 465, "")})
			}
			if sc == "autoconfig+srv" {
				n.DNS().AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.example.test")
				n.DNS().AddSRV("_submissions._tcp.example.test", 0, 1, 465, "smtp.example.test")
			}
			opts := Options{
				Resolver: &netx.Resolver{Server: n.ResolverAddr()}, Dialer: n, RootCAs: n.CAPool(),
				ISPDB: "https://ispdb.example.test/v1.1/", DB: &DB{byDomain: map[string]*Config{}},
			}
			addr := account.MustParseAddress("jane@example.test")
			timed := func(noVerify bool) time.Duration {
				o := opts
				o.NoVerify = noVerify
				start := time.Now()
				res, err := Discover(context.Background(), addr, o)
				d := time.Since(start)
				if err != nil {
					b.Fatalf("discover (no-verify %v): %v", noVerify, err)
				}
				c := res.Candidates[0]
				if c.Account.Provenance.Source != want {
					b.Fatalf("winner %s, want %s", c.Account.Provenance.Source, want)
				}
				if !noVerify && (res.Verified != c || !c.Verification.OK) {
					b.Fatalf("not verified: %+v", res.Trail)
				}
				return d
			}
			var verified, unverified float64
			for b.Loop() {
				unverified += timed(true).Seconds()
				verified += timed(false).Seconds()
			}
			b.ReportMetric(verified/unverified, "verified/unverified")
			b.ReportMetric(verified/float64(b.N)*1000, "verified-ms")
			b.ReportMetric(unverified/float64(b.N)*1000, "unverified-ms")
		})
	}
}
