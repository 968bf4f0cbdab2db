package autoconfig

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/probe"
)

// reached reports whether every target ("host:port") has a connection
// whose client sent verb (QUIT, LOGOUT: the probe's last command, so the
// check of that server is over), waiting for it while ctx lasts (at most
// 10 s).
func reached(ctx context.Context, n *mailtest.Network, verb string, targets ...string) bool {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		all := true
		for _, t := range targets {
			sent := false
			for _, l := range n.ConnLogsFor(t) {
				sent = sent || l.Sent(verb) || (verb == "" && len(l.Lines()) > 0)
			}
			all = all && sent
		}
		if all {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// answerAfter serves body once reached(targets) holds (recording whether
// it did in *ok), or when the wait gives up.
func answerAfter(n *mailtest.Network, ok *atomic.Bool, body string, targets map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		all := true
		for t, verb := range targets {
			all = reached(r.Context(), n, verb, t) && all
		}
		ok.Store(all)
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, body)
	}
}

// TestCheckReusesGuessConnections: the provider's autoconfig file names
// imap.example.test:993 and smtp.example.test:465 and answers only once
// the guessing source has connected to both. The live check of its
// candidate takes the guesses' probes (finished or still running): one
// connection per server in the whole run.
func TestCheckReusesGuessConnections(t *testing.T) {
	e := newDEnv(t)
	var guessed atomic.Bool
	e.n.HandleHTTPFunc("autoconfig.example.test", "/mail/config-v1.1.xml",
		answerAfter(e.n, &guessed, configXML("example.test", "imap.example.test", 993, "smtp.example.test", 465, ""),
			map[string]string{"imap.example.test:993": "", "smtp.example.test:465": ""}))
	res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig, account.SourceGuess)
	c := top(t, res, err)
	if !guessed.Load() {
		t.Fatalf("the guesses did not reach both servers before autoconfig answered: %+v", res.Trail)
	}
	if c.Account.Provenance.Source != account.SourceAutoconfig || res.Verified != c || !c.Verification.OK {
		t.Fatalf("top %s, verified %v", c.Account.Provenance.Source, c.Verification)
	}
	if c.Verification.Incoming.Server.Username != "jane@example.test" || c.Verification.Incoming.TLS == nil {
		t.Errorf("verification of the incoming server: %+v", c.Verification.Incoming)
	}
	for _, target := range []string{"imap.example.test:993", "smtp.example.test:465"} {
		if logs := e.n.ConnLogsFor(target); len(logs) != 1 {
			t.Errorf("%d connections to %s, want 1 (the guess's, reused by the check)", len(logs), target)
		}
	}
}

// TestCheckSharedServerOnce: two candidates of one file share
// smtp.example.test:465; the first (IMAP, a wrong-name certificate)
// fails the check, the second (POP3) passes, and the SMTP server is
// checked once for both.
func TestCheckSharedServerOnce(t *testing.T) {
	e := newDEnv(t)
	e.n.SetCertKind("imap.example.test", mailtest.CertWrongName)
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", xmlRoute(`<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
<incomingServer type="imap"><hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<incomingServer type="pop3"><hostname>pop.example.test</hostname><port>995</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`))
	res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig)
	c := top(t, res, err)
	if c.Account.Incoming.Protocol != account.POP3 || res.Verified != c {
		t.Fatalf("top %s, verified %v", c.Account.Incoming, res.Verified != nil)
	}
	if len(res.Candidates) != 2 || res.Candidates[1].Verification == nil || res.Candidates[1].Verification.OK {
		t.Errorf("the failed IMAP candidate's check is not reported: %+v", res.Candidates)
	}
	if logs := e.n.ConnLogsFor("smtp.example.test:465"); len(logs) != 1 {
		t.Errorf("%d connections to smtp.example.test:465, want 1", len(logs))
	}
	if logs := e.n.ConnLogsFor("imap.example.test:993"); len(logs) != 1 {
		t.Errorf("%d connections to imap.example.test:993, want 1", len(logs))
	}
}

// TestCheckAheadKeepsPriority: SRV records (priority 5) answer at once
// and their candidate's check runs, and ends, before the provider's
// autoconfig file (priority 2) answers. The decision is still the
// priority order's: the autoconfig candidate when it passes, the SRV one
// (with the failed autoconfig candidate as an alternative) when it fails.
func TestCheckAheadKeepsPriority(t *testing.T) {
	for _, autoconfigPasses := range []bool{true, false} {
		t.Run(fmt.Sprintf("autoconfig passes %v", autoconfigPasses), func(t *testing.T) {
			e := newDEnv(t)
			e.n.DNS().AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.example.test")
			e.n.DNS().AddSRV("_submissions._tcp.example.test", 0, 1, 465, "smtp.example.test")
			if !autoconfigPasses {
				e.n.SetCertKind("mail.example.test", mailtest.CertExpired)
			}
			var ahead atomic.Bool
			e.n.HandleHTTPFunc("autoconfig.example.test", "/mail/config-v1.1.xml",
				answerAfter(e.n, &ahead, configXML("example.test", "mail.example.test", 993, "mail.example.test", 465, ""),
					map[string]string{"imap.example.test:993": "LOGOUT", "smtp.example.test:465": "QUIT"}))
			res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig, account.SourceSRV)
			c := top(t, res, err)
			if !ahead.Load() {
				t.Fatalf("the SRV candidate was not checked before autoconfig answered: %+v", res.Trail)
			}
			want, other := account.SourceAutoconfig, account.SourceSRV
			if !autoconfigPasses {
				want, other = other, want
			}
			if c.Account.Provenance.Source != want || res.Verified != c || !c.Verification.OK {
				t.Fatalf("top %s (want %s), verified %v", c.Account.Provenance.Source, want, c.Verification)
			}
			if len(res.Candidates) != 2 || res.Candidates[1].Account.Provenance.Source != other {
				t.Fatalf("candidates %+v", res.Candidates)
			}
			alt := res.Candidates[1]
			verifySteps := 0
			for _, s := range res.Trail {
				if s.Source == SourceVerify {
					verifySteps++
				}
			}
			if autoconfigPasses {
				// The SRV candidate was checked, but the race never took
				// its result: it reads as if it had not been checked.
				if alt.Verification != nil || verifySteps != 1 {
					t.Errorf("the SRV alternative carries a check the decision did not take: %v, %d verify steps", alt.Verification, verifySteps)
				}
			} else if alt.Verification == nil || alt.Verification.OK || verifySteps != 2 {
				t.Errorf("the failed autoconfig candidate: %v, %d verify steps", alt.Verification, verifySteps)
			}
		})
	}
}

// TestCheckAheadBounded: at most maxAhead checks run ahead of the race;
// one more is not started, but the check the race waits for always is.
func TestCheckAheadBounded(t *testing.T) {
	e := newDEnv(t)
	r := &run{opts: &e.opts}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	k := newChecker(r, ctx)
	cand := func(host string) *Candidate {
		return &Candidate{Account: account.Account{
			Incoming: account.Server{Protocol: account.IMAP, Host: host, Port: 993, Security: account.TLS},
			Outgoing: account.Server{Protocol: account.SMTP, Host: "smtp.example.test", Port: 465, Security: account.TLS},
		}}
	}
	if !k.ahead.TryAcquire(maxAhead) { // as if maxAhead checks were running
		t.Fatal("checks running ahead already")
	}
	if cc := k.start(cand("imap.example.test"), true); cc != nil {
		t.Errorf("a check was started ahead beyond maxAhead")
	}
	cc := k.start(cand("imap.example.test"), false)
	if cc == nil {
		t.Fatal("the race's own check was held back")
	}
	if again := k.start(cand("IMAP.example.test"), false); again != cc {
		t.Errorf("a candidate with the same servers got a second check")
	}
	<-cc.done
	if cc.res[0].ep.Verdict == probe.VerdictFail || cc.res[1].ep.Verdict == probe.VerdictFail {
		t.Errorf("check failed: %+v %+v", cc.res[0].ep.Findings, cc.res[1].ep.Findings)
	}
	k.ahead.Release(maxAhead)
	k.wait()
}
