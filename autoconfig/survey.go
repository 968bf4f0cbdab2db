package autoconfig

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/termtext"
	"github.com/mailsetup/mailsetup/probe"
)

// SourceSurvey is what one source published for a domain.
type SourceSurvey struct {
	Source account.Source `json:"source"`
	// Tried is false for a source the options left out (--sources,
	// --ispdb off, no --allow-http).
	Tried bool `json:"tried"`
	// Candidates are the source's settings, best first, each with its
	// live check (Verification) unless Options.NoVerify.
	Candidates []*Candidate `json:"candidates"`
	// Trail is the source's own lookups, sorted by target.
	Trail []Step `json:"trail"`
	// Documents are the files that gave settings, sorted by URL.
	Documents []Document `json:"documents"`
}

// Document is a settings file a source fetched and parsed.
type Document struct {
	// URL is the URL asked; FinalURL the one that answered, after
	// redirects (Hops lists every URL visited).
	URL      string   `json:"url"`
	FinalURL string   `json:"final_url"`
	Hops     []string `json:"hops"`
	// ContentType is the answer's Content-Type header.
	ContentType string `json:"content_type"`
	// WithoutAddress, for a URL sent with ?emailaddress=, is whether the
	// same URL without it gives a valid document too (Thunderbird for
	// Android sends no address).
	WithoutAddress *bool `json:"answers_without_address,omitempty"`
	// Rules are the config-v1.1 rules the document breaks, as the
	// Rule* constants (autoconfig documents only).
	Rules []string `json:"rules,omitempty"`
	// Skipped quotes, for RuleSkippedServer, each server the clients
	// skip and why.
	Skipped []string `json:"skipped,omitempty"`

	source account.Source
}

// The config-v1.1 rules a published document can break (Document.Rules).
const (
	// RuleNoDomain: the document lists no <domain>, which Thunderbird
	// requires of a provider.
	RuleNoDomain = "no-domain"
	// RuleSkippedServer: a server the document lists has a value no
	// client accepts (a bad socket type such as STARTSSL, port or host),
	// so clients skip it.
	RuleSkippedServer = "skipped-server"
	// RuleFixedUsername: a username with no placeholder that is not the
	// asked address either: every user of the domain would get the same
	// login name.
	RuleFixedUsername = "fixed-username"
)

// documentRules checks a parsed settings document of the domain against
// the config-v1.1 rules, for the address addr it was asked for.
func documentRules(c *Config, addr account.Address) (rules, skipped []string) {
	if c == nil {
		return nil, nil
	}
	if len(c.Domains) == 0 {
		rules = append(rules, RuleNoDomain)
	}
	for _, e := range c.skipped {
		skipped = append(skipped, termtext.ClipEchoes(i18n.New(i18n.EN).ErrorText(e), termtext.MaxEcho))
	}
	if len(skipped) > 0 {
		rules = append(rules, RuleSkippedServer)
	}
	for _, s := range slices.Concat(c.Incoming, c.Outgoing) {
		u := s.Username
		if u == "" || strings.Contains(u, "%") || !s.Auth.NeedsUsername() ||
			strings.EqualFold(u, addr.String()) || u == addr.LocalPart() {
			continue
		}
		rules = append(rules, RuleFixedUsername)
		break
	}
	return rules, skipped
}

// noteDocument keeps what a fetched settings file looked like, for
// Survey.
func (r *run) noteDocument(src account.Source, u string, resp *response, c *Config) {
	if !r.survey {
		return
	}
	d := Document{URL: u, FinalURL: resp.FinalURL, Hops: slices.Clone(resp.Hops), ContentType: resp.ContentType, source: src}
	if src == account.SourceAutoconfig || src == account.SourceHTTP {
		d.Rules, d.Skipped = documentRules(c, r.addr)
	}
	r.mu.Lock()
	r.docs = append(r.docs, d)
	r.mu.Unlock()
}

// SurveyResult is every source's answer for one address, each source run to
// its end (not raced), for `mailsetup audit`.
type SurveyResult struct {
	Email   string         `json:"email"`
	Sources []SourceSurvey `json:"sources"`
}

// Source returns the survey of src, or nil when it is not in s.
func (s *SurveyResult) Source(src account.Source) *SourceSurvey {
	for i := range s.Sources {
		if s.Sources[i].Source == src {
			return &s.Sources[i]
		}
	}
	return nil
}

// DetailKey returns the catalogue key of the step's detail when
// mailsetup wrote it (for example "discover.detail.redirect-outside"),
// "" when the detail quotes a server or the network.
func (s Step) DetailKey() string { return s.text.Key }

// Survey runs every source of Sources that opts allow for addr, all at
// once and each to its end under ctx, with the same lookups, trust rules
// and trail as Discover, and returns each source's candidates and steps.
// Unless NoVerify or Offline, every candidate's servers are checked live
// (connect, TLS, greeting, capabilities; no login), each server once.
func Survey(ctx context.Context, addr account.Address, opts Options) (*SurveyResult, error) {
	r, err := newRun(addr, &opts)
	if err != nil {
		return nil, err
	}
	r.survey = true
	run := r.sources()
	results := make([][]*Candidate, len(run))
	var wg sync.WaitGroup
	for i, s := range run {
		wg.Go(func() { results[i] = sourceFuncs[s](r, ctx) })
	}
	wg.Wait()
	r.checkWithoutAddress(ctx)
	verify := !opts.NoVerify && !opts.Offline && opts.Resolver != nil
	for _, cands := range results {
		for _, c := range cands {
			c.markCleartext()
			if verify {
				wg.Go(func() {
					in := r.probeServer(ctx, c.Account.Incoming, false)
					out := r.probeServer(ctx, c.Account.Outgoing, false)
					c.Verification = &Verification{Incoming: in, Outgoing: out,
						OK: in.Verdict != probe.VerdictFail && out.Verdict != probe.VerdictFail}
				})
			}
		}
	}
	wg.Wait()
	sv := &SurveyResult{Email: addr.String()}
	r.mu.Lock()
	trail := slices.Clone(r.trail)
	docs := slices.Clone(r.docs)
	r.mu.Unlock()
	for _, src := range Sources {
		ss := SourceSurvey{Source: src, Candidates: []*Candidate{}, Trail: []Step{}, Documents: []Document{}}
		for _, d := range docs {
			if d.source == src {
				ss.Documents = append(ss.Documents, d)
			}
		}
		slices.SortFunc(ss.Documents, func(a, b Document) int { return cmp.Compare(a.URL, b.URL) })
		if i := slices.Index(run, src); i >= 0 {
			ss.Tried = true
			if results[i] != nil {
				ss.Candidates = results[i]
			}
		}
		for _, st := range trail {
			if st.Source == src {
				ss.Trail = append(ss.Trail, st)
			}
		}
		slices.SortStableFunc(ss.Trail, func(a, b Step) int {
			return cmp.Or(cmp.Compare(a.Target, b.Target), cmp.Compare(a.Outcome, b.Outcome), cmp.Compare(a.Detail, b.Detail))
		})
		sv.Sources = append(sv.Sources, ss)
	}
	return sv, nil
}

// DocumentOf returns the document a candidate of s came from, or nil
// (a candidate from DNS or the built-in database has none).
func (s *SourceSurvey) DocumentOf(c *Candidate) *Document {
	for i := range s.Documents {
		if s.Documents[i].FinalURL == c.Account.Provenance.Detail {
			return &s.Documents[i]
		}
	}
	return nil
}

// checkWithoutAddress asks each autoconfig URL that answered with
// ?emailaddress= again without it, and records on its document whether
// that gives a valid document too.
func (r *run) checkWithoutAddress(ctx context.Context) {
	r.mu.Lock()
	docs := slices.Clone(r.docs)
	r.mu.Unlock()
	for i, d := range docs {
		if d.source != account.SourceAutoconfig {
			continue
		}
		plain, query, ok := strings.Cut(d.URL, "?")
		if !ok || !strings.HasPrefix(query, "emailaddress=") {
			continue
		}
		_, _, err := r.fetchConfig(ctx, account.SourceAutoconfig, plain, nil)
		answers := err == nil
		r.mu.Lock()
		r.docs[i].WithoutAddress = &answers
		r.mu.Unlock()
	}
}
