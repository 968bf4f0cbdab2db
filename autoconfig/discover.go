// Package autoconfig discovers a mailbox's settings from its address. It
// asks every source at once — the built-in provider database, the
// provider's autoconfig over HTTPS, Thunderbird's ISPDB, the domain's MX
// and SRV records, Autodiscover, optionally plain HTTP, and live guesses —
// decides in priority order without waiting for lower-priority sources,
// verifies the pick live with the probe package, and records a trail of
// every lookup so a helpdesk can see why it was trusted.
//
// It never sends credentials to a discovery endpoint, never leaves the
// user's registrable domain for Autodiscover, and uses HTTP only when
// asked, never with the address in the URL.
package autoconfig

import (
	"cmp"
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/netx"
	"github.com/mailsetup/mailsetup/internal/termtext"
	"github.com/mailsetup/mailsetup/probe"
)

// DefaultISPDB is the base URL of Thunderbird's ISP database.
const DefaultISPDB = "https://autoconfig.thunderbird.net/v1.1/"

// Sources lists every source in priority order, highest first.
var Sources = []account.Source{
	account.SourceBuiltin, account.SourceAutoconfig, account.SourceISPDB, account.SourceMX,
	account.SourceSRV, account.SourceAutodiscover, account.SourceHTTP, account.SourceGuess,
}

// Options configure a discovery.
type Options struct {
	// Resolver answers every DNS question, for records and host addresses.
	Resolver *netx.Resolver
	// Dialer connects to resolved addresses; a *net.Dialer when nil.
	Dialer netx.Dialer
	// RootCAs verifies HTTPS and mail servers; system roots when nil.
	RootCAs *x509.CertPool
	// ISPDB is the ISPDB base URL; DefaultISPDB when empty, "off" to
	// disable it. The address is never sent, only the domain.
	ISPDB string
	// AllowHTTP enables plain-HTTP autoconfig (untrusted results).
	AllowHTTP bool
	// Offline uses the built-in database only and opens no socket.
	Offline bool
	// Only, when not empty, restricts discovery to these sources.
	Only []account.Source
	// NoVerify skips the live check of the recommended servers.
	NoVerify bool
	// DB is the provider database; the built-in one when nil.
	DB *DB
	// PhaseTimeout bounds each network step; 5 s when zero.
	PhaseTimeout time.Duration
	// GuessStagger spaces the guessing source's connection attempts
	// (the first attempt of each protocol starts at once); 100 ms when
	// zero.
	GuessStagger time.Duration
	// GuessDelay holds the guessing source back for this long, so that a
	// run decided by the other sources in time opens no guessing
	// connection at all. Zero starts guessing at once (the fastest answer
	// for one address); bulk runs, where connections and CPU matter more
	// than a second per domain, set it.
	GuessDelay time.Duration
	// UserAgent is sent with HTTP requests.
	UserAgent string
	// Trace receives a line per lookup.
	Trace *netx.Tracer
}

func (o *Options) phase() time.Duration {
	if o.PhaseTimeout > 0 {
		return o.PhaseTimeout
	}
	return probe.DefaultPhaseTimeout
}

// Step is one entry of the trail: one lookup and what came of it.
type Step struct {
	Source account.Source `json:"source"`
	// Target is the URL, DNS name or host that was asked.
	Target string `json:"target"`
	// Outcome is "found", "none", "error", "skipped" or "cancelled", or
	// "allowed" for a connection to a private, loopback or link-local
	// address that a rule let through (Detail names the rule).
	Outcome    string  `json:"outcome"`
	Detail     string  `json:"detail,omitempty"`
	DurationMS float64 `json:"duration_ms"`
	// text is Detail unrendered when mailsetup wrote it (rather than
	// quoting a server or the network), for DetailIn.
	text i18n.Msg
}

// DetailIn returns the step's detail in c's language: what mailsetup
// wrote is rendered from the catalogue, what servers and the network sent
// is quoted as it is.
func (s Step) DetailIn(c *i18n.Catalog) string {
	if s.text.IsZero() {
		return s.Detail
	}
	return termtext.ClipEchoes(c.Render(s.text), termtext.MaxEcho)
}

// msgList is messages joined with "; ", rendered in one language.
type msgList []i18n.Msg

// RenderIn implements i18n.Renderer.
func (l msgList) RenderIn(c *i18n.Catalog) string {
	parts := make([]string, len(l))
	for i, m := range l {
		parts[i] = c.Render(m)
	}
	return strings.Join(parts, "; ")
}

// Verification is the live check of a candidate's servers.
type Verification struct {
	OK       bool            `json:"ok"`
	Incoming *probe.Endpoint `json:"incoming"`
	Outgoing *probe.Endpoint `json:"outgoing"`
}

// Candidate is one possible set of settings.
type Candidate struct {
	Account account.Account `json:"account"`
	Trust   account.Trust   `json:"trust"`
	// Reasons explain the trust level in plain words, in English.
	Reasons []string `json:"reasons"`
	// ReasonTexts are Reasons unrendered (catalogue keys and values), one
	// per reason, for ReasonsIn.
	ReasonTexts []i18n.Msg `json:"-"`
	// Confirm lists what a user must accept before using a candidate
	// that needs confirmation: the domains it involves, and an entry per
	// unencrypted connection (CleartextConfirm).
	Confirm []string `json:"confirm_domains,omitempty"`
	// Upgraded lists the roles ("incoming", "outgoing") switched from no
	// encryption to STARTTLS because the server offered it and it passed
	// the live check.
	Upgraded []string `json:"upgraded_to_starttls,omitempty"`
	// AgreeingSources are the other sources that found the same servers.
	AgreeingSources []account.Source `json:"agreeing_sources,omitempty"`
	Notes           []Note           `json:"notes,omitempty"`
	// Provider is the provider's name when known.
	Provider string `json:"provider,omitempty"`
	// OutgoingAlternatives are the provider's other outgoing servers, in
	// its order of preference, for a user whose network blocks the
	// chosen one (the account's outgoing server is not among them).
	OutgoingAlternatives []account.Server `json:"outgoing_alternatives,omitempty"`
	Verification         *Verification    `json:"verification,omitempty"`
}

// ReasonsIn returns the reasons in c's language.
func (c *Candidate) ReasonsIn(cat *i18n.Catalog) []string {
	if len(c.ReasonTexts) != len(c.Reasons) {
		return c.Reasons
	}
	out := make([]string, len(c.ReasonTexts))
	for i, m := range c.ReasonTexts {
		out[i] = cat.Render(m)
	}
	return out
}

// addReason appends a reason; Reasons may be shared with the candidate's
// siblings, so both slices are copied before they grow.
func (c *Candidate) addReason(m i18n.Msg) {
	c.Reasons = append(slices.Clip(c.Reasons), i18n.New(i18n.EN).Render(m))
	c.ReasonTexts = append(slices.Clip(c.ReasonTexts), m)
}

// reasons renders msgs in English for Candidate.Reasons and keeps them
// for Candidate.ReasonTexts.
func reasons(msgs ...i18n.Msg) ([]string, []i18n.Msg) {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = i18n.New(i18n.EN).Render(m)
	}
	return out, msgs
}

// Agree returns how many other sources agree with this candidate.
func (c *Candidate) Agree() int { return len(c.AgreeingSources) }

// Result is the outcome of a discovery.
type Result struct {
	Email      string       `json:"email"`
	Candidates []*Candidate `json:"candidates"`
	Trail      []Step       `json:"trail"`
	// Verified is the candidate that passed the live check, when one did;
	// it is also Candidates[0].
	Verified   *Candidate `json:"-"`
	DurationMS float64    `json:"duration_ms"`
	// Broken are the servers discovery reached that failed the live
	// check, when no source found usable settings (see ErrFoundBroken).
	Broken []Broken `json:"broken,omitempty"`
	// DomainProblem is why discovery did not run: the address check
	// (CheckDomain) found no such domain, or no working DNS.
	DomainProblem *DomainError `json:"domain_problem,omitempty"`
}

// SourceVerify marks trail steps of the live verification.
const SourceVerify account.Source = "verify"

// ErrNothingFound is returned when no source found settings (also as
// ErrFoundBroken, when servers were reached but failed the check).
var ErrNothingFound = i18n.Error("discover.err.nothing")

// run is the state of one discovery.
type run struct {
	opts   *Options
	addr   account.Address
	domain string // ASCII
	reg    string // registrable domain of domain, "" if it is a public suffix
	db     *DB
	fetch  *fetcher
	dialer netx.Dialer

	mu     sync.Mutex
	trail  []Step
	broken []Broken
	probes map[serverKey]func() *probe.Endpoint // each server's one live probe (probeServer)
	docs   []Document                           // documents that gave settings, kept for Survey
	survey bool                                 // a Survey: keep docs (Discover does not)
}

// step records a trail entry and traces it. Details and targets quote
// what servers sent (HTTP reasons, XML errors, redirect targets, values
// from files): each echo is clipped to termtext.MaxEcho bytes, so a
// hostile server cannot flood the trail.
//
// detail is a string (quoted as it is) or an i18n.Msg that mailsetup
// wrote, kept for Step.DetailIn and rendered in English for Detail.
func (r *run) step(src account.Source, target, outcome string, detail any, start time.Time) {
	r.stepTook(src, target, outcome, detail, time.Since(start))
}

// stepTook is step for a lookup that took took.
func (r *run) stepTook(src account.Source, target, outcome string, detail any, took time.Duration) {
	var text i18n.Msg
	var d string
	switch v := detail.(type) {
	case i18n.Msg:
		text, d = v, i18n.New(i18n.EN).Render(v)
	case string:
		d = v
	}
	target, d = termtext.ClipEchoes(target, termtext.MaxEcho), termtext.ClipEchoes(d, termtext.MaxEcho)
	s := Step{Source: src, Target: target, Outcome: outcome, Detail: d, DurationMS: ms(took), text: text}
	detail = d
	r.mu.Lock()
	r.trail = append(r.trail, s)
	r.mu.Unlock()
	if r.opts.Trace.Enabled() {
		out := any(outcome)
		if k := "discover.outcome." + outcome; i18n.Has(k) {
			out = i18n.M(k)
		}
		r.opts.Trace.Say("trace.discover", src, target, out, stepDetail{s})
	}
}

// stepDetail renders a step's detail in a catalogue's language.
type stepDetail struct{ s Step }

// RenderIn implements i18n.Renderer.
func (d stepDetail) RenderIn(c *i18n.Catalog) string { return d.s.DetailIn(c) }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// sourceFunc runs one source and returns its candidates, best first.
type sourceFunc func(r *run, ctx context.Context) []*Candidate

var sourceFuncs = map[account.Source]sourceFunc{
	account.SourceBuiltin:      (*run).builtin,
	account.SourceAutoconfig:   (*run).autoconfig,
	account.SourceISPDB:        (*run).ispdb,
	account.SourceMX:           (*run).mx,
	account.SourceSRV:          (*run).srv,
	account.SourceAutodiscover: (*run).autodiscover,
	account.SourceHTTP:         (*run).http,
	account.SourceGuess:        (*run).guess,
}

// Discover finds settings for addr. All sources start together under
// ctx; as soon as the highest-priority source that can still answer has
// answered, the rest are cancelled. Unless NoVerify or Offline, the top
// candidate's servers are checked live (connect, TLS, greeting,
// capabilities; no login; see check.go),
// falling back to the next candidate when they fail. It returns
// ErrNothingFound (with the trail in the Result) when no source found
// anything.
func Discover(ctx context.Context, addr account.Address, opts Options) (*Result, error) {
	start := time.Now()
	r, err := newRun(addr, &opts)
	if err != nil {
		return nil, err
	}
	verify := !opts.NoVerify && !opts.Offline && opts.Resolver != nil
	cands, verified := r.race(ctx, r.sources(), verify)
	for _, c := range cands {
		c.markCleartext()
	}
	res := &Result{Email: addr.String(), Candidates: cands, Verified: verified}
	r.mu.Lock()
	res.Trail = r.trail
	r.mu.Unlock()
	res.DurationMS = ms(time.Since(start))
	if len(res.Candidates) == 0 {
		r.mu.Lock()
		res.Broken = sortBroken(r.broken)
		r.mu.Unlock()
		if len(res.Broken) > 0 {
			return res, ErrFoundBroken
		}
		return res, ErrNothingFound
	}
	return res, nil
}

// newRun prepares one discovery of addr: the provider database, the
// dialer and the guarded HTTPS fetcher (Discover and Survey share it).
func newRun(addr account.Address, opts *Options) (*run, error) {
	db := opts.DB
	if db == nil {
		var err error
		if db, err = Builtin(); err != nil {
			return nil, err
		}
	}
	r := &run{opts: opts, addr: addr, domain: addr.Domain(), reg: registrable(addr.Domain()), db: db}
	r.dialer = opts.Dialer
	if r.dialer == nil {
		r.dialer = &net.Dialer{}
	}
	if opts.Resolver != nil {
		ua := opts.UserAgent
		if ua == "" {
			ua = "mailsetup"
		}
		guard := &dialGuard{
			resolver: opts.Resolver,
			dialer:   &netx.ResolvingDialer{Resolver: opts.Resolver, Dialer: opts.Dialer, ConnectTimeout: opts.phase(), Trace: opts.Trace},
			domain:   r.domain,
			note: func(ctx context.Context, target string, detail i18n.Msg) {
				r.step(sourceOf(ctx), target, "allowed", detail, time.Now())
			},
		}
		if opts.ISPDB != "" && opts.ISPDB != DefaultISPDB && opts.ISPDB != "off" {
			guard.exempt = strings.ToLower(strings.TrimSuffix(hostOf(opts.ISPDB), "."))
		}
		r.fetch = newFetcher(guard, opts.RootCAs, opts.phase(), ua, opts.Trace)
	}
	return r, nil
}

// sources returns the sources to run, in priority order.
func (r *run) sources() []account.Source {
	var out []account.Source
	for _, s := range Sources {
		if len(r.opts.Only) > 0 && !slices.Contains(r.opts.Only, s) {
			continue
		}
		// Offline (or without DNS), the database and its ISPDB copy
		// answer: the copy in the ispdb source's place, without asking
		// the network (see ispdb).
		local := s == account.SourceBuiltin || s == account.SourceISPDB && r.copyForISPDB()
		if (r.opts.Offline || r.opts.Resolver == nil) && !local {
			continue
		}
		if s == account.SourceHTTP && !r.opts.AllowHTTP {
			continue
		}
		if s == account.SourceISPDB && r.opts.ISPDB == "off" {
			continue
		}
		out = append(out, s)
	}
	return out
}

// race runs the sources concurrently and takes their results in priority
// order: a source's candidates are considered once every higher-priority
// source has finished. Without verification the first source with a
// result decides; with it, candidates are checked live (while lower
// sources keep running) until one passes or three have failed. A
// source's first candidate is checked as soon as the source answers
// (checker), so its result is often there when the race reaches it; the
// race still takes results in priority order only. Then the rest are
// cancelled; results that arrived by then stay as alternatives.
func (r *run) race(ctx context.Context, sources []account.Source, verify bool) (cands []*Candidate, verified *Candidate) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		i     int
		cands []*Candidate
	}
	results := make([][]*Candidate, len(sources))
	finished := make([]bool, len(sources))
	ch := make(chan result, len(sources))
	var wg sync.WaitGroup
	for i, s := range sources {
		wg.Go(func() { ch <- result{i, sourceFuncs[s](r, ctx)} })
	}
	var checks *checker
	if verify {
		checks = newChecker(r, ctx)
	}
	pending := ch // nil once every source has answered
	receive := func(res result) {
		results[res.i], finished[res.i] = res.cands, true
		if !slices.Contains(finished, false) {
			pending = nil
		}
		checks.startAhead(res.cands)
	}
	var out []*Candidate
	next, attempts, done := 0, 0, false
	for !done {
		for next < len(sources) && finished[next] && !done {
			for _, c := range results[next] {
				if !add(&out, c) {
					continue
				}
				if !verify {
					done = true
					continue
				}
				if attempts < 3 && ctx.Err() == nil {
					attempts++
					cc := checks.start(c, false)
					for waiting := true; waiting; {
						select {
						case <-cc.done:
							waiting = false
						case res := <-pending:
							receive(res)
						}
					}
					if r.verifyOne(c, cc) {
						verified, done = c, true
						break
					}
				}
				done = done || attempts == 3
			}
			next++
		}
		if done || next == len(sources) {
			break
		}
		receive(<-ch)
	}
	cancel()
	wg.Wait()
	checks.wait()
	close(ch)
	for res := range ch {
		results[res.i], finished[res.i] = res.cands, true
	}
	// From the source being decided when the race ended (its remaining
	// candidates are alternatives too; add ignores those already listed).
	for i := max(next-1, 0); i < len(sources); i++ {
		for _, c := range results[i] {
			add(&out, c)
		}
	}
	if verified != nil && out[0] != verified {
		out = append([]*Candidate{verified}, slices.DeleteFunc(out, func(c *Candidate) bool { return c == verified })...)
	}
	return out, verified
}

// add appends c to out unless a candidate with the same servers is there
// already, in which case it records the agreement and returns false.
func add(out *[]*Candidate, c *Candidate) bool {
	for _, o := range *out {
		if !sameServers(o.Account, c.Account) {
			continue
		}
		src := c.Account.Provenance.Source
		if src != o.Account.Provenance.Source && !slices.Contains(o.AgreeingSources, src) {
			o.AgreeingSources = append(o.AgreeingSources, src)
		}
		for _, n := range c.Notes {
			if !slices.Contains(o.Notes, n) {
				o.Notes = append(o.Notes, n)
			}
		}
		return false
	}
	*out = append(*out, c)
	return true
}

func sameServers(a, b account.Account) bool {
	k := func(s account.Server) string {
		return fmt.Sprintf("%s|%s|%d|%s", s.Protocol, s.Host, s.Port, s.Security)
	}
	return k(a.Incoming) == k(b.Incoming) && k(a.Outgoing) == k(b.Outgoing)
}

// MaxCandidates is the most candidates one source contributes; the trail
// says how many more a document offered.
const MaxCandidates = 20

// candidates turns a config into candidates: one per incoming server
// (IMAP before POP3, encrypted before unencrypted, in document order),
// each with the first outgoing server that is encrypted (the first one
// when none is) and the document's other outgoing servers, in document
// order, as OutgoingAlternatives. An outgoing server without a
// <username> gets Thunderbird's rule: the incoming server's username,
// else the address. Servers listed twice give one candidate, and at most
// MaxCandidates are kept.
func (r *run) candidates(c *Config, src account.Source, trust account.Trust, detail string, why []i18n.Msg, confirm []string) []*Candidate {
	texts, msgs := reasons(why...)
	in := slices.Clone(c.Incoming)
	slices.SortStableFunc(in, func(a, b account.Server) int {
		return cmp.Or(protoRank(a.Protocol)-protoRank(b.Protocol), encryptedFirst(a, b))
	})
	var info *account.ProviderInfo
	if !c.Info.IsZero() {
		info = &c.Info
	}
	name := account.Expand(c.DisplayName, r.addr, "")
	if name == "" {
		name = c.ID
	}
	var out []*Candidate
	var seen []account.Server
	usable := 0
	for _, inc := range in {
		first := preferEncrypted(c.Outgoing)
		a := account.Account{
			Email:      r.addr,
			Incoming:   inc,
			Outgoing:   outgoingUser(first, inc),
			Provenance: account.Provenance{Source: src, Trust: trust, Detail: detail},
			Provider:   info,
		}
		if inc.Protocol == account.POP3 {
			a.POP3 = c.POP3
			if a.POP3 == nil {
				a.POP3 = &account.POP3Options{LeaveOnServer: true}
			}
		}
		a = a.Expand()
		if a.Incoming.Validate("incoming") != nil || a.Outgoing.Validate("outgoing") != nil || slices.ContainsFunc(seen, a.Incoming.SameEndpoint) {
			continue
		}
		seen = append(seen, a.Incoming)
		if usable++; usable > MaxCandidates {
			continue
		}
		var alts []account.Server
		for _, o := range c.Outgoing {
			o = outgoingUser(o, inc)
			o.Host = account.Expand(o.Host, r.addr, "")
			o.Username = account.Expand(o.Username, r.addr, "")
			if o.Validate("outgoing") != nil || o.SameEndpoint(a.Outgoing) ||
				slices.ContainsFunc(alts, o.SameEndpoint) {
				continue
			}
			alts = append(alts, o)
		}
		out = append(out, &Candidate{Account: a, Trust: trust, Reasons: texts, ReasonTexts: msgs, Confirm: confirm,
			Notes: slices.Clone(c.Notes), Provider: name, OutgoingAlternatives: alts})
	}
	if usable > MaxCandidates {
		r.step(src, detail, "skipped", i18n.M("discover.detail.kept", MaxCandidates, usable, usable-MaxCandidates, MaxCandidates), time.Now())
	}
	return out
}

// outgoingUser applies Thunderbird's rule to an outgoing server that
// needs a login and names no username: the incoming server's username,
// else the address.
func outgoingUser(o, in account.Server) account.Server {
	if o.Username != "" || !o.Auth.NeedsUsername() {
		return o
	}
	o.Username = cmp.Or(in.Username, account.PlaceholderAddress)
	return o
}

func protoRank(p account.Protocol) int {
	if p == account.IMAP {
		return 0
	}
	return 1
}

// verifyOne takes the live check of a candidate's servers (connect, TLS,
// greeting, capabilities; no login), once it is done, and records the
// result on the candidate and in the trail. A server without encryption
// that passed with STARTTLS makes the candidate use STARTTLS for it
// (Upgraded says so); one that stays unencrypted gets a reason why.
func (r *run) verifyOne(c *Candidate, cc *candidateCheck) bool {
	if cc.alt >= 0 {
		// The outgoing server that failed becomes an alternative, in the
		// place of the one that passed.
		failed := c.Account.Outgoing
		alts := slices.Clone(c.OutgoingAlternatives)
		c.Account.Outgoing, alts[cc.alt] = alts[cc.alt], failed
		c.OutgoingAlternatives = alts
		c.addReason(i18n.M("discover.reason.outgoing-alternative", failed.Address(), firstProblemMsg(cc.failed.ep), c.Account.Outgoing.Address()))
	}
	for i, s := range []*account.Server{&c.Account.Incoming, &c.Account.Outgoing} {
		if res := cc.res[i]; !res.reason.IsZero() {
			c.addReason(res.reason)
		} else if res.upgraded {
			s.Security = account.STARTTLS
			c.Upgraded = append(c.Upgraded, []string{RoleIncoming, RoleOutgoing}[i])
		}
	}
	in, out := cc.res[0].ep, cc.res[1].ep
	v := &Verification{Incoming: in, Outgoing: out, OK: in.Verdict != probe.VerdictFail && out.Verdict != probe.VerdictFail}
	c.Verification = v
	target := c.Account.Incoming.Address() + " + " + c.Account.Outgoing.Address()
	if !v.OK {
		r.stepTook(SourceVerify, target, "error", firstProblemMsg(in, out), cc.end.Sub(cc.start))
		return false
	}
	r.stepTook(SourceVerify, target, "found", v.DescribeMsg(), cc.end.Sub(cc.start))
	return true
}

func firstProblem(eps ...*probe.Endpoint) string {
	return i18n.New(i18n.EN).Render(firstProblemMsg(eps...))
}

// firstProblemMsg is firstProblem unrendered: the finding is rendered in
// the language of the message.
func firstProblemMsg(eps ...*probe.Endpoint) i18n.Msg {
	for _, e := range eps {
		for _, f := range e.Findings {
			if f.Severity == probe.SevError {
				return i18n.M("discover.problem", e.Server.String(), f)
			}
		}
	}
	return i18n.M("discover.problem.failed")
}

// insideDomain reports whether host is the address's domain, a subdomain
// of it, or inside its registrable domain.
func (r *run) insideDomain(host string) bool {
	return within(host, r.domain) || (r.reg != "" && within(host, r.reg))
}

// errString is a short error for the trail.
func errString(err error) any {
	if err == nil {
		return ""
	}
	if t := strings.TrimSpace(err.Error()); t != err.Error() {
		return t
	}
	// A message, so that the parts of err that are mailsetup's own words
	// (DNS lookups, fetch limits) read in the run's language.
	return i18n.M("discover.detail.error", err)
}
