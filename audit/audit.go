// Package audit predicts, for one mail domain, what each mail client's
// own discovery will find (Thunderbird, Thunderbird for Android / K-9,
// classic Outlook, Apple Mail, SRV-aware clients), checks every source
// the domain publishes and every server they name live, and reports where
// the clients disagree or fail, as findings with codes and fixes.
//
// It is a flow over the building blocks, a peer of wizard, bulk and
// serve: autoconfig.Survey runs every discovery source to its end (not
// raced, as Discover does), each client's rule set (clients.go,
// CLIENTS.md) picks from those answers, and probe's live check (no
// login) says whether the settings work.
package audit

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/probe"
)

// Status is the audit's overall outcome; cmd maps it to the exit code.
type Status string

// The outcomes.
const (
	// StatusOK: every client finds the same working settings.
	StatusOK Status = "ok"
	// StatusBroken: a client gets broken, insecure, different or no
	// settings.
	StatusBroken Status = "broken"
	// StatusNothing: no source publishes anything for the domain.
	StatusNothing Status = "nothing"
)

// Settings are the servers a client ends up with.
type Settings struct {
	Incoming account.Server `json:"incoming"`
	Outgoing account.Server `json:"outgoing"`
}

// String is the settings in one line: protocol, host:port and
// encryption of both servers.
func (s Settings) String() string { return s.key() }

// key identifies the settings as a client connects (protocol, host,
// port, encryption of both servers).
func (s Settings) key() string {
	k := func(v account.Server) string {
		return fmt.Sprintf("%s %s:%d %s", v.Protocol, strings.ToLower(v.Host), v.Port, v.Security)
	}
	return k(s.Incoming) + " / " + k(s.Outgoing)
}

// Live is the live check of a prediction's servers.
type Live string

// The live states.
const (
	LiveOK        Live = "ok"
	LiveFailed    Live = "failed"
	LiveUnchecked Live = "unchecked"
)

// Prediction is what one client will end up with.
type Prediction struct {
	Client Client `json:"client"`
	// Describes is the client version the rule set describes.
	Describes string `json:"describes"`
	// Source and Lookup are where the client gets its settings: the
	// source and the URL or DNS record.
	Source account.Source `json:"source,omitempty"`
	Lookup string         `json:"lookup,omitempty"`
	// Settings are nil when the client finds nothing.
	Settings *Settings `json:"settings,omitempty"`
	Live     Live      `json:"live,omitempty"`
	// Problem is the live check's first error when Live is "failed".
	Problem probe.Code `json:"problem,omitempty"`
	// Nothing says why the client finds nothing (a NothingReason).
	Nothing NothingReason `json:"nothing,omitempty"`
	// Informational predictions do not count towards agreement.
	Informational bool `json:"informational,omitempty"`

	endpoint *probe.Endpoint // the failed endpoint, for the finding's text
}

// NothingReason says why a client finds nothing.
type NothingReason string

// The reasons.
const (
	// NothingPublished: none of the sources the client asks answers.
	NothingPublished NothingReason = "not-published"
	// NothingRefused: a source answered but the client refuses it
	// (Thunderbird for Android: MX without DNSSEC, an unencrypted server).
	NothingRefused NothingReason = "refused"
	// NothingNoDiscovery: the client has no discovery for custom domains.
	NothingNoDiscovery NothingReason = "no-discovery"
)

// Options configure an audit.
type Options struct {
	// Discovery are the options of the survey (resolver, dialer, roots,
	// ISPDB, timeouts). Only and Offline are honoured as given.
	Discovery autoconfig.Options
}

// Report is the outcome of an audit.
type Report struct {
	Email  string `json:"email"`
	Domain string `json:"domain"`
	Status Status `json:"status"`
	// Clients are the predictions, in Rules order.
	Clients []Prediction `json:"clients"`
	// Findings are what to fix, most severe first.
	Findings []Finding `json:"findings"`
	// Sources are every source's answer and trail.
	Sources []SourceView `json:"sources"`
	// Publish is what to publish so that every client finds the
	// confirmed settings (set by the caller from Publish), nil when no
	// settings are confirmed.
	Publish *PublishView `json:"publish,omitempty"`
	// Survey is the raw survey, for the records to publish.
	Survey *autoconfig.SurveyResult `json:"-"`
}

// Run audits the domain of addr: every discovery source is asked to its
// end, every server found is checked live (no login), each client's rule
// set picks its settings, and the findings say what disagrees or fails.
func Run(ctx context.Context, addr account.Address, opts Options) (*Report, error) {
	sv, err := autoconfig.Survey(ctx, addr, opts.Discovery)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return Analyze(addr, sv), nil
}

// Analyze turns a survey into the report: the predictions, the findings
// and the status. It does no I/O.
func Analyze(addr account.Address, sv *autoconfig.SurveyResult) *Report {
	rep := &Report{Email: addr.String(), Domain: addr.Domain(), Sources: sourceViews(sv), Survey: sv,
		Clients: []Prediction{}, Findings: []Finding{}}
	for _, r := range Rules {
		rep.Clients = append(rep.Clients, predict(r, sv))
	}
	rep.Findings = findings(addr.Domain(), rep.Clients, sv)
	rep.Status = status(rep.Findings)
	return rep
}

// predict applies one client's rule set to the survey.
func predict(r Rule, sv *autoconfig.SurveyResult) Prediction {
	p := Prediction{Client: r.Client, Describes: r.Version, Informational: r.Informational}
	if len(r.Order) == 0 {
		p.Nothing = NothingNoDiscovery
		return p
	}
	refused := false
	for _, src := range r.Order {
		ss := sv.Source(src)
		if ss == nil {
			continue
		}
		for _, c := range ss.Candidates {
			if r.Accept != nil && !r.Accept(ss, c) {
				refused = true
				continue
			}
			p.Source, p.Lookup = src, c.Account.Provenance.Detail
			p.Settings = &Settings{Incoming: c.Account.Incoming, Outgoing: c.Account.Outgoing}
			p.Live = LiveUnchecked
			if v := c.Verification; v != nil {
				p.Live = LiveOK
				if !v.OK {
					p.Live = LiveFailed
					for _, ep := range []*probe.Endpoint{v.Incoming, v.Outgoing} {
						if code := firstError(ep); code != "" && p.Problem == "" {
							p.Problem, p.endpoint = code, ep
						}
					}
				}
			}
			return p
		}
	}
	p.Nothing = NothingPublished
	if refused {
		p.Nothing = NothingRefused
	}
	return p
}

func firstError(ep *probe.Endpoint) probe.Code {
	if ep == nil {
		return ""
	}
	for _, f := range ep.Findings {
		if f.Severity == probe.SevError {
			return f.Code
		}
	}
	return ""
}

// published are the sources in which the domain (or its provider)
// publishes settings; the built-in database and guessing are not.
var published = []account.Source{account.SourceAutoconfig, account.SourceISPDB, account.SourceMX,
	account.SourceSRV, account.SourceAutodiscover, account.SourceHTTP}

func status(fs []Finding) Status {
	if slices.ContainsFunc(fs, func(f Finding) bool { return f.Code == CodeNothingPublished }) {
		return StatusNothing
	}
	if slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == SevError }) {
		return StatusBroken
	}
	return StatusOK
}

// Localize renders every finding's message and fix in cat's language.
func (r *Report) Localize(cat *i18n.Catalog) {
	for i := range r.Findings {
		r.Findings[i] = r.Findings[i].In(cat)
	}
	for i := range r.Sources {
		for j := range r.Sources[i].Trail {
			t := &r.Sources[i].Trail[j]
			t.Detail = t.step.DetailIn(cat)
		}
	}
}

// SourceView is one source's answer as the report shows it: the settings
// it gives with their live state, and its lookups (without timings and
// without the dial guard's "allowed" notes, so that a report compares
// across runs).
type SourceView struct {
	Source   account.Source   `json:"source"`
	Tried    bool             `json:"tried"`
	Settings []SourceSettings `json:"settings"`
	Trail    []TrailStep      `json:"trail"`
}

// SourceSettings are one candidate of a source.
type SourceSettings struct {
	Settings
	Trust account.Trust `json:"trust"`
	Live  Live          `json:"live"`
}

// TrailStep is one lookup of a source.
type TrailStep struct {
	Target  string `json:"target"`
	Outcome string `json:"outcome"`
	Detail  string `json:"detail,omitempty"`

	step autoconfig.Step
}

func sourceViews(sv *autoconfig.SurveyResult) []SourceView {
	out := []SourceView{}
	for _, ss := range sv.Sources {
		v := SourceView{Source: ss.Source, Tried: ss.Tried, Settings: []SourceSettings{}, Trail: []TrailStep{}}
		for _, c := range ss.Candidates {
			live := LiveUnchecked
			if c.Verification != nil {
				live = LiveOK
				if !c.Verification.OK {
					live = LiveFailed
				}
			}
			v.Settings = append(v.Settings, SourceSettings{Settings: Settings{Incoming: c.Account.Incoming, Outgoing: c.Account.Outgoing}, Trust: c.Trust, Live: live})
		}
		for _, st := range ss.Trail {
			if st.Outcome == "allowed" {
				// A note of the dial guard for a lab network, made by
				// whichever source connected first: not what the domain
				// publishes.
				continue
			}
			v.Trail = append(v.Trail, TrailStep{Target: st.Target, Outcome: st.Outcome, Detail: st.Detail, step: st})
		}
		out = append(out, v)
	}
	return out
}
