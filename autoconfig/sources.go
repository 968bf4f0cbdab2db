package autoconfig

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/netx"
	"github.com/mailsetup/mailsetup/probe"
)

func outcome(ctx context.Context, err error) string {
	if ctx.Err() != nil {
		return "cancelled"
	}
	if errors.Is(err, netx.ErrNotFound) {
		return "none"
	}
	return "error"
}

// builtin looks the domain up in the embedded provider database. A
// document of its ISPDB copy answers here only when the ispdb source does
// not run (offline, --ispdb off, --only): otherwise the ispdb source
// answers from it, at the ISPDB's rank, so that the provider's own
// autoconfig still comes first, as in Thunderbird.
func (r *run) builtin(ctx context.Context) []*Candidate {
	start := time.Now()
	c, fromCopy := r.db.lookup(r.domain)
	if c != nil && fromCopy && r.copyAnswersISPDB() {
		r.step(account.SourceBuiltin, r.domain, "skipped", i18n.M("discover.detail.builtin-copy", c.ID), start)
		return nil
	}
	if c == nil {
		r.step(account.SourceBuiltin, r.domain, "none", i18n.M("discover.detail.builtin-none"), start)
		return nil
	}
	r.step(account.SourceBuiltin, r.domain, "found", c.ID, start)
	return r.candidates(c, account.SourceBuiltin, account.Trusted, "built-in provider database: "+c.ID,
		[]i18n.Msg{i18n.M("discover.reason.builtin", r.domain)}, nil)
}

// fetchConfig fetches and parses one autoconfig URL, recording the step.
func (r *run) fetchConfig(ctx context.Context, src account.Source, u string, allowed func(string) bool) (*Config, *response, error) {
	start := time.Now()
	resp, err := r.fetch.fetch(withSource(ctx, src), u, nil, allowed)
	if err != nil {
		r.step(src, u, outcome(ctx, err), errString(err), start)
		return nil, resp, err
	}
	c, err := ParseConfig(resp.Body)
	if err != nil {
		r.step(src, u, "error", errString(err), start)
		return nil, resp, err
	}
	r.step(src, u, "found", i18n.M("discover.detail.counts", len(c.Incoming), len(c.Outgoing)), start)
	r.stepIgnored(src, resp.FinalURL, c)
	r.noteDocument(src, u, resp, c)
	return c, resp, nil
}

// stepIgnored records in the trail what the parser ignored or changed in
// the document fetched from u.
func (r *run) stepIgnored(src account.Source, u string, c *Config) {
	for _, p := range c.ignored {
		r.step(src, u, "skipped", i18n.M("discover.detail.ignored", p.what, hostOf(u), p.why), time.Now())
	}
}

// autoconfig asks the provider: https://autoconfig.D/mail/config-v1.1.xml
// with the address, and https://D/.well-known/autoconfig/..., at once.
func (r *run) autoconfig(ctx context.Context) []*Candidate {
	if r.reg == "" {
		r.step(account.SourceAutoconfig, r.domain, "skipped", i18n.M("discover.detail.public-suffix"), time.Now())
		return nil
	}
	urls := []string{
		"https://autoconfig." + r.domain + "/mail/config-v1.1.xml?emailaddress=" + url.QueryEscape(r.addr.String()),
		"https://" + r.domain + "/.well-known/autoconfig/mail/config-v1.1.xml",
	}
	return r.firstConfig(ctx, account.SourceAutoconfig, urls, func(u string, resp *response) (account.Trust, []i18n.Msg, []string) {
		final := hostOf(resp.FinalURL)
		if r.insideDomain(final) {
			return account.Trusted, []i18n.Msg{i18n.M("discover.reason.autoconfig", final)}, nil
		}
		return account.NeedsConfirmation, []i18n.Msg{i18n.M("discover.reason.autoconfig-redirect", final, r.domain)},
			[]string{r.domain, registrableOr(final)}
	})
}

// firstConfig fetches urls concurrently and returns the candidates of the
// first URL (in list order) that gave a document.
func (r *run) firstConfig(ctx context.Context, src account.Source, urls []string, judge func(string, *response) (account.Trust, []i18n.Msg, []string)) []*Candidate {
	type got struct {
		c    *Config
		resp *response
	}
	res := make([]got, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Go(func() {
			c, resp, err := r.fetchConfig(ctx, src, u, nil)
			if err == nil {
				res[i] = got{c, resp}
			}
		})
	}
	wg.Wait()
	for i, g := range res {
		if g.c == nil {
			continue
		}
		trust, reasons, confirm := judge(urls[i], g.resp)
		return r.candidates(g.c, src, trust, g.resp.FinalURL, reasons, confirm)
	}
	return nil
}

func (r *run) ispdbURL(domain string) string {
	base := r.opts.ISPDB
	if base == "" {
		base = DefaultISPDB
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base + url.PathEscape(domain)
}

// copyAnswersISPDB reports whether the ispdb source runs against
// Thunderbird's own ISPDB, so that the database's copy of it answers in
// its place (a custom --ispdb is always asked).
func (r *run) copyAnswersISPDB() bool {
	return r.copyForISPDB() && slices.Contains(r.sources(), account.SourceISPDB)
}

// copyForISPDB reports whether the ispdb source would ask Thunderbird's
// own ISPDB (not a custom one, not off), which the copy stands in for.
func (r *run) copyForISPDB() bool {
	return r.opts.ISPDB == "" || r.opts.ISPDB == DefaultISPDB
}

// ispdb asks Thunderbird's ISP database for the domain (never the
// address). A domain the database's copy of the ISPDB answers is not
// sent to Thunderbird's server at all: the copy answers (a custom
// --ispdb is always asked).
func (r *run) ispdb(ctx context.Context) []*Candidate {
	if c, fromCopy := r.db.lookup(r.domain); c != nil && fromCopy && r.copyAnswersISPDB() {
		start := time.Now()
		r.step(account.SourceISPDB, c.ID, "found", i18n.M("discover.detail.ispdb-copy", len(c.Incoming), len(c.Outgoing)), start)
		return r.candidates(c, account.SourceISPDB, account.Trusted, "mailsetup's copy of Thunderbird's ISP database: "+c.ID,
			[]i18n.Msg{i18n.M("discover.reason.ispdb", r.domain)}, nil)
	}
	if r.opts.Offline || r.fetch == nil {
		r.step(account.SourceISPDB, r.domain, "none", i18n.M("discover.detail.ispdb-copy-none"), time.Now())
		return nil
	}
	u := r.ispdbURL(r.domain)
	c, resp, err := r.fetchConfig(ctx, account.SourceISPDB, u, nil)
	if err != nil {
		return nil
	}
	return r.candidates(c, account.SourceISPDB, account.Trusted, resp.FinalURL,
		[]i18n.Msg{i18n.M("discover.reason.ispdb", r.domain)}, nil)
}

// mx derives settings from the best MX host: the built-in database by MX
// pattern and by the MX's base domain, then the ISPDB and the MX domain's
// autoconfig server.
func (r *run) mx(ctx context.Context) []*Candidate {
	start := time.Now()
	recs, sec, err := r.opts.Resolver.MXRecords(ctx, r.domain)
	if err != nil || len(recs) == 0 {
		var detail any = i18n.M("discover.detail.no-mx")
		if err != nil {
			detail = errString(err)
		}
		r.step(account.SourceMX, r.domain+" MX", outcome(ctx, err), detail, start)
		return nil
	}
	host := recs[0].Host
	base := registrable(host)
	found := i18n.M("discover.detail.mx", host, recs[0].Pref)
	if sec.Authenticated || sec.ADIgnored {
		found = i18n.M("discover.detail.mx-ad", host, recs[0].Pref, adNote(r.opts.Resolver, sec))
	}
	r.step(account.SourceMX, r.domain+" MX", "found", found, start)
	trust := account.NeedsConfirmation
	reason := i18n.M("discover.reason.mx", r.domain, host)
	if sec.Authenticated || sec.ADIgnored {
		reason = i18n.M("discover.reason.mx-ad", r.domain, host, adNote(r.opts.Resolver, sec))
	}
	if sec.Authenticated {
		trust = account.Trusted
	}
	confirm := []string{r.domain, registrableOr(host)}
	if trust == account.Trusted {
		confirm = nil
	}
	detail := "MX " + host
	// 1. The built-in database, by MX pattern, then by the MX's base domain.
	s2 := time.Now()
	c := r.db.LookupMX(host)
	if c == nil && base != "" && base != r.reg {
		c = r.db.Lookup(base)
	}
	if c != nil {
		r.step(account.SourceMX, "built-in database: "+host, "found", c.ID, s2)
		return r.candidates(c, account.SourceMX, trust, detail, []i18n.Msg{reason, i18n.M("discover.reason.mx-builtin", c.ID)}, confirm)
	}
	r.step(account.SourceMX, "built-in database: "+host, "none", "", s2)
	if base == "" || base == r.reg {
		r.step(account.SourceMX, host, "skipped", i18n.M("discover.detail.mx-inside", r.domain), time.Now())
		return nil
	}
	// 2. The ISPDB and the base domain's autoconfig server, at once, for the
	// base domain and for the host minus its first label.
	names := []string{base}
	if _, rest, ok := strings.Cut(host, "."); ok && rest != base && strings.Contains(rest, ".") {
		names = append(names, rest)
	}
	var urls []string
	for _, n := range names {
		if r.opts.ISPDB != "off" {
			urls = append(urls, r.ispdbURL(n))
		}
	}
	urls = append(urls, "https://autoconfig."+base+"/mail/config-v1.1.xml")
	return r.firstConfig(ctx, account.SourceMX, urls, func(u string, resp *response) (account.Trust, []i18n.Msg, []string) {
		return trust, []i18n.Msg{reason, i18n.M("discover.reason.mx-settings", base, hostOf(resp.FinalURL))}, confirm
	})
}

// srvNames are the RFC 6186/8314 services, preferred first.
var srvIncoming = []struct {
	svc   string
	proto account.Protocol
	sec   account.Security
}{
	{"imaps", account.IMAP, account.TLS}, {"imap", account.IMAP, account.STARTTLS},
	{"pop3s", account.POP3, account.TLS}, {"pop3", account.POP3, account.STARTTLS},
}

var srvOutgoing = []struct {
	svc string
	sec account.Security
}{{"submissions", account.TLS}, {"submission", account.STARTTLS}}

// srv reads the RFC 6186/8314 SRV records. A record is trusted when its
// target is inside the domain or the answer was DNSSEC-validated by a
// resolver trusted to validate (netx.Resolver.TrustAD).
func (r *run) srv(ctx context.Context) []*Candidate {
	type found struct {
		rec netx.SRV
		sec netx.DNSSEC
	}
	lookups := map[string]*found{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	names := []string{"imaps", "imap", "pop3s", "pop3", "submissions", "submission"}
	for _, svc := range names {
		wg.Go(func() {
			start := time.Now()
			target := "_" + svc + "._tcp." + r.domain
			recs, sec, err := r.opts.Resolver.SRVRecords(ctx, svc, "tcp", r.domain)
			switch {
			case err != nil:
				r.step(account.SourceSRV, target, outcome(ctx, err), errString(err), start)
			case len(recs) == 0:
				r.step(account.SourceSRV, target, "none", "", start)
			case recs[0].NotOffered():
				r.step(account.SourceSRV, target, "none", i18n.M("discover.detail.srv-not-offered"), start)
			default:
				var detail any = fmt.Sprintf("%s:%d", recs[0].Target, recs[0].Port)
				if note := r.opts.Resolver.ADNoteMsg(sec); !note.IsZero() {
					detail = i18n.M("discover.detail.srv-ad", detail, note)
				}
				r.step(account.SourceSRV, target, "found", detail, start)
				mu.Lock()
				lookups[svc] = &found{recs[0], sec}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	var out *found
	var outSec account.Security
	for _, o := range srvOutgoing {
		if f := lookups[o.svc]; f != nil {
			out, outSec = f, o.sec
			break
		}
	}
	if out == nil {
		return nil
	}
	var cands []*Candidate
	for _, in := range srvIncoming {
		f := lookups[in.svc]
		if f == nil {
			continue
		}
		a := account.Account{
			Email:    r.addr,
			Incoming: account.Server{Protocol: in.proto, Host: f.rec.Target, Port: int(f.rec.Port), Security: in.sec, Auth: account.AuthPasswordCleartext, Username: r.addr.String()},
			Outgoing: account.Server{Protocol: account.SMTP, Host: out.rec.Target, Port: int(out.rec.Port), Security: outSec, Auth: account.AuthPasswordCleartext, Username: r.addr.String()},
		}
		if in.proto == account.POP3 {
			a.POP3 = &account.POP3Options{LeaveOnServer: true}
		}
		if a.Incoming.Validate("incoming") != nil || a.Outgoing.Validate("outgoing") != nil {
			continue
		}
		trust, why, confirm := account.Trusted, []i18n.Msg{}, []string(nil)
		for _, f := range []*found{f, out} {
			switch {
			case f.sec.Authenticated:
				why = append(why, i18n.M("discover.reason.srv-validated", f.rec.Target, adNote(r.opts.Resolver, f.sec)))
			case r.insideDomain(f.rec.Target):
				why = append(why, i18n.M("discover.reason.srv-inside", f.rec.Target, r.domain))
			default:
				trust = account.NeedsConfirmation
				if f.sec.ADIgnored {
					why = append(why, i18n.M("discover.reason.srv-outside-ad-ignored", f.rec.Target, r.domain, adNote(r.opts.Resolver, f.sec)))
				} else {
					why = append(why, i18n.M("discover.reason.srv-outside", f.rec.Target, r.domain))
				}
				confirm = appendUnique(confirm, r.domain, registrableOr(f.rec.Target))
			}
		}
		a.Provenance = account.Provenance{Source: account.SourceSRV, Trust: trust, Detail: "_" + in.svc + "._tcp." + r.domain}
		texts, msgs := reasons(why...)
		cands = append(cands, &Candidate{Account: a, Trust: trust, Reasons: texts, ReasonTexts: msgs, Confirm: confirm})
	}
	return cands
}

func appendUnique(s []string, vs ...string) []string {
	for _, v := range vs {
		if v != "" && !slices.Contains(s, v) {
			s = append(s, v)
		}
	}
	return s
}

// autodiscover asks Outlook-style Autodiscover (POX) at
// https://autodiscover.D/..., https://D/... and the SRV
// _autodiscover._tcp.D target, never leaving D's registrable domain and
// never sending credentials.
func (r *run) autodiscover(ctx context.Context) []*Candidate {
	if r.reg == "" {
		r.step(account.SourceAutodiscover, r.domain, "skipped", i18n.M("discover.detail.public-suffix-autodiscover"), time.Now())
		return nil
	}
	urls := []string{
		"https://autodiscover." + r.domain + "/autodiscover/autodiscover.xml",
		"https://" + r.domain + "/autodiscover/autodiscover.xml",
	}
	start := time.Now()
	if recs, _, err := r.opts.Resolver.LookupSRV(ctx, "autodiscover", "tcp", r.domain); err == nil && len(recs) > 0 && !recs[0].NotOffered() {
		t := recs[0].Target
		if r.insideDomain(t) {
			urls = append(urls, fmt.Sprintf("https://%s:%d/autodiscover/autodiscover.xml", t, recs[0].Port))
			r.step(account.SourceAutodiscover, "_autodiscover._tcp."+r.domain, "found", t, start)
		} else {
			r.step(account.SourceAutodiscover, "_autodiscover._tcp."+r.domain, "skipped", i18n.M("discover.detail.outside-not-contacted", t, r.reg), start)
		}
	} else if err != nil {
		r.step(account.SourceAutodiscover, "_autodiscover._tcp."+r.domain, outcome(ctx, err), errString(err), start)
	}
	results := make([][]*Candidate, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Go(func() { results[i] = r.autodiscoverURL(ctx, u, r.addr, 0) })
	}
	wg.Wait()
	for _, c := range results {
		if len(c) > 0 {
			return c
		}
	}
	return nil
}

// autodiscoverURL POSTs the request to u and follows redirectUrl and
// redirectAddr answers inside the registrable domain.
func (r *run) autodiscoverURL(ctx context.Context, u string, addr account.Address, depth int) []*Candidate {
	if depth >= maxRedirects {
		r.step(account.SourceAutodiscover, u, "error", i18n.M("discover.detail.redirects", maxRedirects), time.Now())
		return nil
	}
	start := time.Now()
	resp, err := r.fetch.fetch(withSource(ctx, account.SourceAutodiscover), u, POXRequest(addr), r.insideDomain)
	var outside *errRedirectOutside
	if errors.As(err, &outside) {
		r.step(account.SourceAutodiscover, u, "skipped", i18n.M("discover.detail.redirect-outside", outside.To, r.reg), start)
		return nil
	}
	if err != nil {
		r.step(account.SourceAutodiscover, u, outcome(ctx, err), errString(err), start)
		return nil
	}
	p, err := ParsePOX(resp.Body)
	if err != nil {
		r.step(account.SourceAutodiscover, u, "error", errString(err), start)
		return nil
	}
	switch p.Action {
	case "redirectUrl":
		if !r.insideDomain(hostOf(p.RedirectURL)) {
			r.step(account.SourceAutodiscover, u, "skipped", i18n.M("discover.detail.redirecturl-outside", p.RedirectURL, r.reg), start)
			return nil
		}
		r.step(account.SourceAutodiscover, u, "found", "redirectUrl "+p.RedirectURL, start)
		return r.autodiscoverURL(ctx, p.RedirectURL, addr, depth+1)
	case "redirectAddr":
		na, err := account.ParseAddress(p.RedirectAddr)
		if err != nil || !r.insideDomain(na.Domain()) {
			r.step(account.SourceAutodiscover, u, "skipped", i18n.M("discover.detail.redirectaddr-outside", p.RedirectAddr, r.reg), start)
			return nil
		}
		r.step(account.SourceAutodiscover, u, "found", "redirectAddr "+na.String(), start)
		return r.autodiscoverURL(ctx, u, na, depth+1)
	}
	r.step(account.SourceAutodiscover, u, "found", i18n.M("discover.detail.counts", len(p.Incoming), len(p.Outgoing)), start)
	r.noteDocument(account.SourceAutodiscover, u, resp, nil)
	c := &Config{ID: r.domain, Incoming: p.Incoming, Outgoing: p.Outgoing}
	return r.candidates(c, account.SourceAutodiscover, account.Trusted, resp.FinalURL,
		[]i18n.Msg{i18n.M("discover.reason.autodiscover", r.reg, hostOf(resp.FinalURL))}, nil)
}

// http asks the plain-HTTP autoconfig URLs, without the address. Results
// are untrusted.
func (r *run) http(ctx context.Context) []*Candidate {
	if r.reg == "" {
		return nil
	}
	urls := []string{
		"http://autoconfig." + r.domain + "/mail/config-v1.1.xml",
		"http://" + r.domain + "/.well-known/autoconfig/mail/config-v1.1.xml",
	}
	for _, u := range urls {
		start := time.Now()
		resp, err := r.fetch.fetchHTTP(withSource(ctx, account.SourceHTTP), u)
		if err != nil {
			r.step(account.SourceHTTP, u, outcome(ctx, err), errString(err), start)
			continue
		}
		c, err := ParseConfig(resp)
		if err != nil {
			r.step(account.SourceHTTP, u, "error", errString(err), start)
			continue
		}
		r.step(account.SourceHTTP, u, "found", i18n.M("discover.detail.http"), start)
		r.stepIgnored(account.SourceHTTP, u, c)
		return r.candidates(c, account.SourceHTTP, account.Untrusted, u,
			[]i18n.Msg{i18n.M("discover.reason.http")}, []string{r.domain})
	}
	return nil
}

// guess tries the usual host names live with a real TLS handshake
// (STARTTLS really upgraded), staggered, and keeps the best incoming and
// outgoing servers whose certificate is valid for the host.
func (r *run) guess(ctx context.Context) []*Candidate {
	if r.reg == "" {
		r.step(account.SourceGuess, r.domain, "skipped", i18n.M("discover.detail.public-suffix-guess"), time.Now())
		return nil
	}
	type try struct {
		srv account.Server
		ok  bool
	}
	var tries []*try
	add := func(p account.Protocol, prefixes []string) {
		for _, pre := range prefixes {
			for _, sec := range []account.Security{account.TLS, account.STARTTLS} {
				tries = append(tries, &try{srv: account.Server{Protocol: p, Host: pre + r.domain, Port: account.DefaultPort(p, sec),
					Security: sec, Auth: account.AuthPasswordCleartext, Username: r.addr.String()}})
			}
		}
	}
	add(account.IMAP, []string{"imap.", "mail.", ""})
	add(account.POP3, []string{"pop3.", "pop.", "mail.", ""})
	add(account.SMTP, []string{"smtp.", "mail.", ""})
	stagger := r.opts.GuessStagger
	if stagger <= 0 {
		stagger = 100 * time.Millisecond
	}
	// The protocols take turns (IMAP, SMTP, POP3, each in the order
	// above); the first try of each starts at once and the others one
	// stagger apart, so that the likeliest incoming and outgoing servers
	// are reached first: the live check of another source's candidate
	// naming them then reuses these probes (probeServer). The result is
	// still picked in the order above.
	protos := []account.Protocol{account.IMAP, account.SMTP, account.POP3}
	byProto := map[account.Protocol][]*try{}
	for _, t := range tries {
		byProto[t.srv.Protocol] = append(byProto[t.srv.Protocol], t)
	}
	var order []*try
	for i := 0; len(order) < len(tries); i++ {
		for _, p := range protos {
			if i < len(byProto[p]) {
				order = append(order, byProto[p][i])
			}
		}
	}
	var wg sync.WaitGroup
	for i, t := range order {
		wg.Go(func() {
			select {
			case <-ctx.Done():
				return
			case <-time.After(r.opts.GuessDelay + time.Duration(max(i-len(protos)+1, 0))*stagger):
			}
			start := time.Now()
			ep := r.probeServer(ctx, t.srv, false)
			t.ok = ep.Verdict != probe.VerdictFail && ep.TLS != nil && ep.TLS.Verified
			res, detail := "none", firstProblemMsg(ep)
			if t.ok {
				res, detail = "found", i18n.M("discover.detail.guess-ok", t.srv.Host)
			}
			if ctx.Err() != nil {
				res = "cancelled"
			} else if !t.ok {
				r.addBroken(account.SourceGuess, ep)
			}
			r.step(account.SourceGuess, t.srv.String(), res, detail, start)
		})
	}
	wg.Wait()
	var out *account.Server
	for _, t := range tries {
		if t.ok && t.srv.Protocol == account.SMTP {
			out = &t.srv
			break
		}
	}
	if out == nil {
		return nil
	}
	var cands []*Candidate
	for _, t := range tries {
		if !t.ok || t.srv.Protocol == account.SMTP {
			continue
		}
		a := account.Account{Email: r.addr, Incoming: t.srv, Outgoing: *out,
			Provenance: account.Provenance{Source: account.SourceGuess, Trust: account.Trusted, Detail: guessDetail(t.srv.Host, out.Host)}}
		if t.srv.Protocol == account.POP3 {
			a.POP3 = &account.POP3Options{LeaveOnServer: true}
		}
		reason := i18n.M("discover.reason.guess", t.srv.Host, out.Host)
		if t.srv.Host == out.Host {
			reason = i18n.M("discover.reason.guess-one", t.srv.Host)
		}
		texts, msgs := reasons(reason)
		cands = append(cands, &Candidate{Account: a, Trust: account.Trusted, Reasons: texts, ReasonTexts: msgs})
		if len(cands) == 2 {
			break
		}
	}
	return cands
}

func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return p.Hostname()
}

func registrableOr(host string) string {
	if r := registrable(host); r != "" {
		return r
	}
	return host
}

// adNote says why an answer's AD bit was believed or ignored, as
// netx.Resolver.ADNote does, in words of the catalogue; the resolver's
// rule (ADRule) is named through the catalogue when it is one of netx's.
func adNote(res *netx.Resolver, s netx.DNSSEC) i18n.Msg {
	rule := any("")
	if res.ADRule != "" {
		rule = i18n.M("discover.adrule.paren", netx.ADRuleMsg(res.ADRule))
	}
	if s.Authenticated {
		return i18n.M("discover.ad.validated", rule)
	}
	host := cmp.Or(s.Server, res.Server)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return i18n.M("discover.ad.ignored", host, rule)
}

// guessDetail is a guessed account's provenance detail: the host names
// tried, each once.
func guessDetail(in, out string) string {
	if in == out {
		return "guessed " + in
	}
	return "guessed " + in + " and " + out
}
