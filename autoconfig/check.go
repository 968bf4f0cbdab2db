package autoconfig

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/probe"
	"golang.org/x/sync/semaphore"
)

// The live check at the speed of discovery (issue 16, item 5). Within one
// Discover run:
//   - every server is probed once (connect, TLS, greeting, capabilities;
//     no login, no deep checks, no wait for the answer to LOGOUT/QUIT):
//     the guessing source and the live check share one probe per
//     protocol, host, port and security (probeServer), so a server the
//     guesses reached is not dialled again by the check, and two
//     candidates that share a server have it checked once;
//   - a source's first candidate is checked as soon as the source answers
//     (checker.startAhead), while slower and higher-priority sources still run,
//     at most maxAhead such checks at a time. The race still decides in
//     priority order and takes a check's result only when it reaches the
//     candidate (verifyOne), so the outcome is the same as checking one
//     candidate after the other; checks it no longer needs are cancelled
//     with the race.

// maxAhead bounds the candidate checks started before the race reaches
// their candidate (each probes at most two servers, or three or four with
// a STARTTLS upgrade); the check the race waits for is never held back.
const maxAhead = 4

// serverKey names a server for the run's probe cache: the check never
// logs in, so the user name and authentication do not matter.
type serverKey struct {
	proto account.Protocol
	host  string
	port  int
	sec   account.Security
}

func keyOf(s account.Server) serverKey {
	s = s.WithDefaults()
	return serverKey{s.Protocol, strings.ToLower(strings.TrimSuffix(s.Host, ".")), s.Port, s.Security}
}

// probeServer probes s live (connect, TLS, greeting, capabilities; no
// login) once per run: a later call for the same protocol, host, port and
// security waits for the first one's result (sync.OnceValue) instead of
// connecting again. Every caller runs under the race's context, so a
// probe started by one caller is never cancelled while another still
// needs it. trace shows the conversation in the -v trace (the live check
// does; the guesses do not, as before). The endpoint returned is the
// caller's own copy, naming s.
func (r *run) probeServer(ctx context.Context, s account.Server, trace bool) *probe.Endpoint {
	k := keyOf(s)
	r.mu.Lock()
	if r.probes == nil {
		r.probes = map[serverKey]func() *probe.Endpoint{}
	}
	once := r.probes[k]
	if once == nil {
		popts := probe.Options{Dialer: r.opts.Dialer, Resolver: r.opts.Resolver, RootCAs: r.opts.RootCAs,
			PhaseTimeout: r.opts.phase(), QuitWithoutReply: true}
		if trace {
			popts.Trace = r.opts.Trace
		}
		once = sync.OnceValue(func() *probe.Endpoint { return probe.ProbeEndpoint(ctx, popts, probe.Target{Server: s}) })
		r.probes[k] = once
	}
	r.mu.Unlock()
	ep := *once()
	ep.Server = s.WithDefaults()
	ep.Findings = slices.Clone(ep.Findings)
	return &ep
}

// serverCheck is the live check of one of a candidate's servers.
type serverCheck struct {
	ep       *probe.Endpoint
	upgraded bool     // a server without encryption passed with STARTTLS
	reason   i18n.Msg // why a server without encryption stays so
}

// checkServer checks s live. A server without encryption that offers
// STARTTLS is checked again with STARTTLS; when that passes, the
// candidate may use STARTTLS for it (upgraded), otherwise reason says why
// it stays unencrypted.
func (r *run) checkServer(ctx context.Context, s account.Server) serverCheck {
	ep := r.probeServer(ctx, s, true)
	if s.Security != account.None || ep.Verdict == probe.VerdictFail {
		return serverCheck{ep: ep}
	}
	if !offersStartTLS(ep) {
		return serverCheck{ep: ep, reason: i18n.M("discover.reason.no-starttls", s.Address())}
	}
	s.Security = account.STARTTLS
	up := r.probeServer(ctx, s, true)
	if up.Verdict == probe.VerdictFail {
		return serverCheck{ep: ep, reason: i18n.M("discover.reason.starttls-failed", s.Address(), firstProblem(up))}
	}
	return serverCheck{ep: up, upgraded: true}
}

// candidateCheck is the live check of a candidate's two servers, kept
// apart from the candidate until the race takes it (verifyOne); res is
// set, incoming then outgoing, when done is closed.
type candidateCheck struct {
	done       chan struct{}
	res        [2]serverCheck
	start, end time.Time
	// alt is the index in the candidate's OutgoingAlternatives of the
	// outgoing server that passed after the candidate's own failed (res[1]
	// is then its check, and failed the first one's), or -1.
	alt    int
	failed serverCheck
}

// checker starts and keeps the candidate checks of one race. Only the
// race's goroutine calls its methods.
type checker struct {
	r     *run
	ctx   context.Context
	ahead *semaphore.Weighted // one unit per check started ahead and running
	byKey map[[2]serverKey]*candidateCheck
	wg    sync.WaitGroup
}

func newChecker(r *run, ctx context.Context) *checker {
	return &checker{r: r, ctx: ctx, ahead: semaphore.NewWeighted(maxAhead), byKey: map[[2]serverKey]*candidateCheck{}}
}

// start returns c's check, starting it unless a check of the same
// servers exists. A check started ahead of the race (ahead) waits for
// nothing: when maxAhead are running, it is not started (nil), and the
// race starts it if it reaches the candidate.
func (k *checker) start(c *Candidate, ahead bool) *candidateCheck {
	in, out := c.Account.Incoming, c.Account.Outgoing
	key := [2]serverKey{keyOf(in), keyOf(out)}
	if cc := k.byKey[key]; cc != nil {
		return cc
	}
	if ahead && !k.ahead.TryAcquire(1) {
		return nil
	}
	cc := &candidateCheck{done: make(chan struct{}), start: time.Now(), alt: -1}
	k.byKey[key] = cc
	alts := c.OutgoingAlternatives
	k.wg.Go(func() {
		if ahead {
			defer k.ahead.Release(1)
		}
		var wg sync.WaitGroup
		wg.Go(func() { cc.res[0] = k.r.checkServer(k.ctx, in) })
		wg.Go(func() {
			cc.res[1] = k.r.checkServer(k.ctx, out)
			// The provider's other outgoing servers, in its order, when
			// its first fails (a network that blocks port 465 often
			// lets 587 through): the first that passes replaces it.
			for i, o := range alts {
				if cc.res[1].ep.Verdict != probe.VerdictFail || k.ctx.Err() != nil {
					break
				}
				if res := k.r.checkServer(k.ctx, o); res.ep.Verdict != probe.VerdictFail {
					cc.failed, cc.res[1], cc.alt = cc.res[1], res, i
				}
			}
		})
		wg.Wait()
		cc.end = time.Now()
		close(cc.done)
	})
	return cc
}

// startAhead starts the check of a source's first candidate as soon as
// the source has answered. A nil checker (no live check) does nothing.
func (k *checker) startAhead(cands []*Candidate) {
	if k != nil && len(cands) > 0 {
		k.start(cands[0], true)
	}
}

// wait waits for every check started (after the race's context ended,
// they end quickly).
func (k *checker) wait() {
	if k != nil {
		k.wg.Wait()
	}
}
