package autoconfig

// The address check that runs before discovery: does the domain exist,
// and if not, which provider domain was probably meant. The edit
// distance is hand-rolled (optimal string alignment, a dozen lines): no
// library the module keeps computes it.

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// Codes of a DomainError; they are part of the --json output and never
// change meaning.
const (
	// CodeDomainNotFound: the DNS says the domain does not exist
	// (NXDOMAIN for MX, A and AAAA).
	CodeDomainNotFound = "domain.not-found"
	// CodeDomainTypo: without DNS (offline), the domain is not in the
	// built-in database but is within one or two edits of a domain there.
	CodeDomainTypo = "domain.typo"
	// CodeDNSFailed: the DNS gave no usable answer (REFUSED, SERVFAIL,
	// no answer in time, no route); nothing is known about the domain.
	CodeDNSFailed = "dns.failed"
)

// DomainError is the outcome of a CheckDomain that stops before
// discovery: a domain that does not exist (or, offline, looks like a
// typo of a provider's domain), or a DNS that could not be asked.
type DomainError struct {
	// Code is CodeDomainNotFound, CodeDomainTypo or CodeDNSFailed.
	Code string `json:"code"`
	// Email is the address as given; Domain its domain as sent to DNS.
	Email  string `json:"email"`
	Domain string `json:"domain"`
	// Suggestion is the address with the nearest provider domain of the
	// built-in database in place of Domain ("did you mean …?"); empty
	// when none is close enough. Never set for CodeDNSFailed.
	Suggestion string `json:"suggestion,omitempty"`
	// Message says it in words, in English (RenderIn for other
	// languages; cmd localises it for --json).
	Message string `json:"message"`
	// Err is the DNS failure (CodeDNSFailed) or the NXDOMAIN answer.
	Err error `json:"-"`

	msg i18n.Msg
}

func (e *DomainError) Error() string { return e.RenderIn(nil) }
func (e *DomainError) Unwrap() error { return e.Err }

// RenderIn implements i18n.Renderer: the message in c's language.
func (e *DomainError) RenderIn(c *i18n.Catalog) string { return c.Render(e.msg) }

// Typo reports whether the error means the address was probably mistyped
// (the domain does not exist, or offline looks like a provider's), as
// opposed to a DNS failure.
func (e *DomainError) Typo() bool { return e.Code != CodeDNSFailed }

// Reason is why the DNS failed in plain words (CodeDNSFailed), or the
// zero Msg.
func (e *DomainError) Reason() i18n.Msg {
	if e.Code != CodeDNSFailed {
		return i18n.Msg{}
	}
	return dnsReason(e.Err)
}

// CheckDomain checks, before discovery, that addr's domain can receive
// mail at all: a domain of the provider database, or one for which DNS
// answers MX, A or AAAA without NXDOMAIN (an existing name without such
// records counts as existing; discovery decides what it offers). It
// returns nil when the domain exists or cannot be judged, a *DomainError
// with CodeDomainNotFound when every lookup answered NXDOMAIN, and one
// with CodeDNSFailed when no lookup was answered (the DNS server refused,
// failed or was not reached): never a typo. Offline (or without a
// resolver) it asks no DNS and returns CodeDomainTypo for a domain not in
// the database but close to one of its domains. The lookups share one
// deadline (Options.PhaseTimeout) under ctx; a cancelled ctx returns its
// error.
func CheckDomain(ctx context.Context, addr account.Address, opts Options) error {
	db := opts.DB
	if db == nil {
		var err error
		if db, err = Builtin(); err != nil {
			return err
		}
	}
	domain := addr.Domain()
	if db.Lookup(domain) != nil {
		return nil
	}
	if opts.Offline || opts.Resolver == nil {
		if s := db.Suggest(domain); s != "" {
			e := &DomainError{Code: CodeDomainTypo, Email: addr.String(), Domain: domain, Suggestion: withDomain(addr, s)}
			e.msg = i18n.M("err.domain-typo-offline", addr.Display(), domain, e.Suggestion)
			return e.done()
		}
		return nil
	}
	start := time.Now()
	cctx, cancel := context.WithTimeout(ctx, opts.phase())
	defer cancel()
	var (
		wg                sync.WaitGroup
		mxErr, hostErr    error
		mxFound, hostsLen int
	)
	wg.Go(func() {
		var a *netx.Answer
		a, mxErr = opts.Resolver.Lookup(cctx, domain, dns.TypeMX)
		if a != nil {
			mxFound = len(a.Records)
		}
	})
	wg.Go(func() {
		var addrs []netip.Addr
		addrs, hostErr = opts.Resolver.LookupHost(cctx, domain)
		hostsLen = len(addrs)
	})
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	exists := answered(mxErr) || answered(hostErr)
	opts.Trace.Say("trace.domain-check", domain, mxFound, hostsLen, exists, mxErr, hostErr, time.Since(start).Round(time.Millisecond))
	switch {
	case exists:
		return nil
	case nxdomainOnly(mxErr) && nxdomainOnly(hostErr):
		e := &DomainError{Code: CodeDomainNotFound, Email: addr.String(), Domain: domain, Err: mxErr}
		if s := db.Suggest(domain); s != "" {
			e.Suggestion = withDomain(addr, s)
			e.msg = i18n.M("err.domain-not-found-suggest", addr.Display(), addr.UnicodeDomain(), e.Suggestion)
		} else {
			e.msg = i18n.M("err.domain-not-found", addr.Display(), addr.UnicodeDomain())
		}
		return e.done()
	}
	failed := mxErr
	if nxdomainOnly(failed) {
		failed = hostErr
	}
	e := &DomainError{Code: CodeDNSFailed, Email: addr.String(), Domain: domain, Err: failed}
	e.msg = i18n.M("err.dns-failed", addr.UnicodeDomain(), dnsReason(failed))
	return e.done()
}

// done fills Message.
// For returns the error as it reads for another address of the same
// domain (bulk checks each domain once): the address and the "did you
// mean" are that address's.
func (e *DomainError) For(addr account.Address) *DomainError {
	if e.Email == addr.String() || e.Code == CodeDNSFailed {
		return e
	}
	c := *e
	c.Email = addr.String()
	if i := strings.LastIndexByte(e.Suggestion, '@'); i >= 0 {
		c.Suggestion = withDomain(addr, e.Suggestion[i+1:])
	}
	switch {
	case c.Code == CodeDomainTypo:
		c.msg = i18n.M("err.domain-typo-offline", addr.Display(), c.Domain, c.Suggestion)
	case c.Suggestion != "":
		c.msg = i18n.M("err.domain-not-found-suggest", addr.Display(), addr.UnicodeDomain(), c.Suggestion)
	default:
		c.msg = i18n.M("err.domain-not-found", addr.Display(), addr.UnicodeDomain())
	}
	return c.done()
}

func (e *DomainError) done() *DomainError {
	e.Message = e.RenderIn(nil)
	return e
}

// withDomain is addr's local part at domain.
func withDomain(addr account.Address, domain string) string {
	return addr.LocalPart() + "@" + domain
}

// answered reports whether a lookup got an answer that shows the name
// exists: records, or NOERROR without them.
func answered(err error) bool {
	var de *netx.DNSError
	return err == nil || (errors.As(err, &de) && de.Rcode == dns.RcodeSuccess && !errors.Is(err, netx.ErrNotFound))
}

// nxdomainOnly reports whether err says NXDOMAIN and nothing else: every
// error it joins is a not-found (one lookup refused while another said
// NXDOMAIN is a DNS failure, not a missing domain).
func nxdomainOnly(err error) bool {
	if err == nil {
		return false
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs := j.Unwrap()
		return len(errs) > 0 && !slices.ContainsFunc(errs, func(e error) bool { return !nxdomainOnly(e) })
	}
	return errors.Is(err, netx.ErrNotFound)
}

// dnsReason says in words why a lookup got no answer.
func dnsReason(err error) i18n.Msg {
	var de *netx.DNSError
	switch {
	case err == nil:
		return i18n.Msg{}
	case errors.Is(err, context.DeadlineExceeded):
		return i18n.M("err.dns-reason.timeout")
	case errors.As(err, &de) && de.Rcode == dns.RcodeRefused:
		return i18n.M("err.dns-reason.refused")
	case errors.As(err, &de) && de.Rcode == dns.RcodeServerFailure:
		return i18n.M("err.dns-reason.servfail")
	case errors.As(err, &de) && de.Rcode > 0:
		return i18n.M("err.dns-reason.rcode", dns.RcodeToString[de.Rcode])
	}
	return i18n.M("err.dns-reason.unreachable", strings.TrimSpace(err.Error()))
}

// maxSuggestEdits is the most edits (insertions, deletions,
// substitutions, swaps of neighbours) between a typed domain and a
// suggested one: two, and one for domains of seven characters or fewer,
// where two edits reach too many unrelated names (qq.com, wp.pl).
func maxSuggestEdits(domain string) int {
	if len(domain) <= 7 {
		return 1
	}
	return 2
}

// Suggest returns the database domain nearest to domain ("gmail.com" for
// "gmial.com"), or "" when domain is in the database or none is within
// maxSuggestEdits. Of equally near domains it prefers one with the same
// top-level label as domain (the typo is more likely in the name than in
// the ending), then a provider's main domain (the first its document
// lists: aol.com before aol.ca for "aol.cm"), then the alphabetically
// first, so the answer is stable.
func (db *DB) Suggest(domain string) string {
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	if domain == "" || db.byDomain[domain] != nil {
		return ""
	}
	limit := maxSuggestEdits(domain)
	type rank struct {
		dist            int
		otherTLD, alias bool
		name            string
	}
	less := func(a, b rank) bool {
		switch {
		case a.dist != b.dist:
			return a.dist < b.dist
		case a.otherTLD != b.otherTLD:
			return !a.otherTLD
		case a.alias != b.alias:
			return !a.alias
		}
		return a.name < b.name
	}
	tld := domain[strings.LastIndexByte(domain, '.')+1:]
	best := rank{dist: limit + 1}
	for d, c := range db.byDomain {
		r := rank{dist: editDistance(domain, d, limit), name: d,
			otherTLD: d[strings.LastIndexByte(d, '.')+1:] != tld,
			alias:    len(c.Domains) == 0 || c.Domains[0] != d}
		if r.dist <= limit && less(r, best) {
			best = r
		}
	}
	return best.name
}

// editDistance is the optimal-string-alignment distance between a and b
// (insertions, deletions, substitutions and swaps of two neighbouring
// bytes each cost one), or limit+1 once it is certain to exceed limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2, prev, cur := make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit+1)
}
