package audit

import (
	"cmp"
	"slices"
	"strings"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// Code identifies a kind of finding. Codes are stable: scripts may match
// on them. Catalogue is the one list; each has the messages
// audit.<code>.message and audit.<code>.fix in every language.
type Code string

// The finding codes.
const (
	// CodeNothingPublished: no source publishes settings for the domain.
	CodeNothingPublished Code = "nothing-published"
	// CodeClientNothing: a client's discovery finds nothing.
	CodeClientNothing Code = "client-nothing"
	// CodeClientRefused: a source answers but the client refuses it.
	CodeClientRefused Code = "client-refused"
	// CodeServerFailed: the settings a client gets fail the live check.
	CodeServerFailed Code = "server-failed"
	// CodeCleartext: a client would connect without encryption.
	CodeCleartext Code = "cleartext"
	// CodeDisagree: clients end up with different settings.
	CodeDisagree Code = "disagree"
	// CodeLeavesDomain: a source sends clients outside the domain.
	CodeLeavesDomain Code = "leaves-domain"
	// CodeNoDiscovery: the client has no discovery for custom domains.
	CodeNoDiscovery Code = "no-discovery"
	// CodeContentType: a config-v1.1.xml is not served as XML, which
	// Thunderbird rejects.
	CodeContentType Code = "content-type"
	// CodeSRVNoImplicitTLS: SRV names a STARTTLS service but not its
	// implicit-TLS one, which RFC 8314 prefers.
	CodeSRVNoImplicitTLS Code = "srv-no-implicit-tls"
	// CodeSourceFailed: a source publishes servers that fail the live
	// check (whether or not a client picks them).
	CodeSourceFailed Code = "source-failed"
	// CodeNeedsAddress: an autoconfig file answers only when the
	// address is sent, which Thunderbird for Android does not do.
	CodeNeedsAddress Code = "needs-address"
	// CodeSourceError: a lookup of a file the domain publishes failed
	// other than by not being there (a bad certificate, an HTTP error, a
	// document that does not parse, a redirect to http).
	CodeSourceError Code = "source-error"
	// CodeHTTPSource: a client takes its settings from plain HTTP, which
	// anyone on the path can change.
	CodeHTTPSource Code = "http-source"
	// CodeConfigNoDomain: a published config-v1.1.xml lists no <domain>.
	CodeConfigNoDomain Code = "config-no-domain"
	// CodeConfigSkippedServer: a published config-v1.1.xml lists a server
	// with a value clients do not accept, so they skip it.
	CodeConfigSkippedServer Code = "config-skipped-server"
	// CodeConfigFixedUsername: a published config-v1.1.xml gives a fixed
	// login name instead of a placeholder.
	CodeConfigFixedUsername Code = "config-fixed-username"
)

// ruleCodes maps autoconfig's document rules to their codes.
var ruleCodes = map[string]Code{
	autoconfig.RuleNoDomain:      CodeConfigNoDomain,
	autoconfig.RuleSkippedServer: CodeConfigSkippedServer,
	autoconfig.RuleFixedUsername: CodeConfigFixedUsername,
}

// Catalogue lists every code, for tests and documentation.
var Catalogue = []Code{CodeNothingPublished, CodeClientNothing, CodeClientRefused, CodeServerFailed,
	CodeCleartext, CodeDisagree, CodeLeavesDomain, CodeNoDiscovery, CodeContentType, CodeSRVNoImplicitTLS, CodeSourceFailed, CodeHTTPSource, CodeNeedsAddress, CodeSourceError,
	CodeConfigNoDomain, CodeConfigSkippedServer, CodeConfigFixedUsername}

// Severity is how much a finding matters: errors make the audit fail.
type Severity string

// The severities.
const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
	SevInfo    Severity = "info"
)

// Finding is one thing to fix.
type Finding struct {
	Severity Severity `json:"severity"`
	Code     Code     `json:"code"`
	// Clients are the clients it concerns, if any.
	Clients []Client `json:"clients,omitempty"`
	// Message and Fix are the text in the run's language (Localize),
	// English until then.
	Message string `json:"message"`
	Fix     string `json:"fix"`

	msg, fix i18n.Msg
}

// In returns the finding worded in c's language.
func (f Finding) In(c *i18n.Catalog) Finding {
	f.Message, f.Fix = c.Render(f.msg), c.Render(f.fix)
	return f
}

// clientName is a client's name in the run's language.
type clientName Client

// RenderIn implements i18n.Renderer.
func (n clientName) RenderIn(c *i18n.Catalog) string { return c.T("audit.client." + string(n)) }

// clientNames joins client names in the run's language.
type clientNames []Client

// RenderIn implements i18n.Renderer.
func (l clientNames) RenderIn(c *i18n.Catalog) string {
	parts := make([]string, len(l))
	for i, n := range l {
		parts[i] = clientName(n).RenderIn(c)
	}
	return strings.Join(parts, ", ")
}

// sourceName is a source's name in the run's language.
type sourceName account.Source

// RenderIn implements i18n.Renderer.
func (s sourceName) RenderIn(c *i18n.Catalog) string {
	return autoconfig.SourceName(c, account.Source(s))
}

func newFinding(sev Severity, code Code, clients []Client, args []any, fixArgs ...any) Finding {
	f := Finding{Severity: sev, Code: code, Clients: clients,
		msg: i18n.M("audit."+string(code)+".message", args...), fix: i18n.M("audit."+string(code)+".fix", fixArgs...)}
	return f.In(i18n.New(i18n.EN))
}

// outsideKeys are the trail details that say a source pointed outside the
// domain.
var outsideKeys = []string{"discover.detail.redirect-outside", "discover.detail.redirecturl-outside",
	"discover.detail.redirectaddr-outside", "discover.detail.outside-not-contacted"}

// findings compares the predictions and the survey.
func findings(domain string, ps []Prediction, sv *autoconfig.SurveyResult) []Finding {
	var out []Finding
	publishes := false
	for _, src := range published {
		if ss := sv.Source(src); ss != nil && len(ss.Candidates) > 0 {
			publishes = true
		}
	}
	if !publishes {
		out = append(out, newFinding(SevError, CodeNothingPublished, nil, []any{domain}, domain))
	}
	failed := map[string]bool{}
	for _, p := range ps {
		c := []Client{p.Client}
		switch {
		case p.Nothing == NothingNoDiscovery:
			out = append(out, newFinding(SevInfo, CodeNoDiscovery, c, []any{clientName(p.Client)}, domain))
		case p.Nothing == NothingRefused:
			out = append(out, newFinding(SevError, CodeClientRefused, c, []any{clientName(p.Client)}, domain))
		case p.Nothing != "":
			out = append(out, newFinding(SevError, CodeClientNothing, c, []any{clientName(p.Client)}, fixFor(p.Client, domain)))
		}
		if p.Settings == nil {
			continue
		}
		if p.Source == account.SourceHTTP {
			out = append(out, newFinding(SevError, CodeHTTPSource, c, []any{clientName(p.Client), p.Lookup}, domain))
		}
		for _, s := range []account.Server{p.Settings.Incoming, p.Settings.Outgoing} {
			if s.Security == account.None {
				out = append(out, newFinding(SevError, CodeCleartext, c, []any{clientName(p.Client), s.Address(), sourceName(p.Source)}, s.Address()))
			}
		}
		if p.Live == LiveFailed {
			k := p.Settings.key()
			if !failed[k] {
				failed[k] = true
				var why any = string(p.Problem)
				if p.endpoint != nil {
					for _, f := range p.endpoint.Findings {
						if f.Code == p.Problem {
							why = f
							break
						}
					}
				}
				out = append(out, newFinding(SevError, CodeServerFailed, clientsWith(ps, k), []any{k, sourceName(p.Source), why}, sourceName(p.Source)))
			}
		}
	}
	// Agreement among the clients that count.
	groups := map[string][]Client{}
	var keys []string
	for _, p := range ps {
		if p.Settings == nil || p.Informational {
			continue
		}
		k := p.Settings.key()
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], p.Client)
	}
	if len(keys) > 1 {
		var all []Client
		for _, k := range keys {
			all = append(all, groups[k]...)
		}
		out = append(out, newFinding(SevError, CodeDisagree, all, []any{disagreement{keys, groups}}, domain))
	}
	// Sources that point outside the domain.
	for _, ss := range sv.Sources {
		for _, st := range ss.Trail {
			if slices.Contains(outsideKeys, st.DetailKey()) {
				out = append(out, newFinding(SevWarning, CodeLeavesDomain, nil, []any{sourceName(ss.Source), st.Target, stepDetail{st}}, domain))
			}
		}
		for _, c := range ss.Candidates {
			if c.Trust != account.Trusted && len(c.Confirm) > 1 {
				out = append(out, newFinding(SevWarning, CodeLeavesDomain, nil, []any{sourceName(ss.Source), c.Account.Provenance.Detail, strings.Join(c.Confirm, ", ")}, domain))
				break
			}
		}
	}
	out = append(out, health(domain, sv, failed)...)
	if slices.ContainsFunc(out, func(f Finding) bool { return f.Code == CodeSourceError }) {
		// Something is published, only broken.
		out = slices.DeleteFunc(out, func(f Finding) bool { return f.Code == CodeNothingPublished })
	}
	rank := map[Severity]int{SevError: 0, SevWarning: 1, SevInfo: 2}
	slices.SortStableFunc(out, func(a, b Finding) int { return cmp.Compare(rank[a.Severity], rank[b.Severity]) })
	return out
}

// fixFor is the fix argument for a client that finds nothing: what that
// client reads.
func fixFor(c Client, domain string) any {
	return i18n.M("audit.fix-for."+string(c), domain)
}

func clientsWith(ps []Prediction, key string) []Client {
	var out []Client
	for _, p := range ps {
		if p.Settings != nil && p.Settings.key() == key {
			out = append(out, p.Client)
		}
	}
	return out
}

// disagreement words which clients get which settings.
type disagreement struct {
	keys   []string
	groups map[string][]Client
}

// RenderIn implements i18n.Renderer.
func (d disagreement) RenderIn(c *i18n.Catalog) string {
	var parts []string
	for _, k := range d.keys {
		parts = append(parts, clientNames(d.groups[k]).RenderIn(c)+": "+k)
	}
	return strings.Join(parts, "; ")
}

// stepDetail is a trail step's detail in the run's language.
type stepDetail struct{ s autoconfig.Step }

// RenderIn implements i18n.Renderer.
func (d stepDetail) RenderIn(c *i18n.Catalog) string { return d.s.DetailIn(c) }

// health checks what each source publishes: content types, RFC 8314's
// preference in SRV, and servers that fail the live check that no
// client's settings reported already (failed holds those).
func health(domain string, sv *autoconfig.SurveyResult, failed map[string]bool) []Finding {
	var out []Finding
	for _, src := range []account.Source{account.SourceAutoconfig, account.SourceISPDB, account.SourceMX} {
		ss := sv.Source(src)
		if ss == nil {
			continue
		}
		seen := map[string]bool{}
		for _, d := range ss.Documents {
			file, _, _ := strings.Cut(d.FinalURL, "?")
			if !XMLContentType(d.ContentType) && !seen[file] {
				seen[file] = true
				out = append(out, newFinding(SevWarning, CodeContentType, []Client{Thunderbird}, []any{file, d.ContentType}, file))
			}
			for _, rule := range d.Rules {
				if k := file + "|" + rule; !seen[k] {
					seen[k] = true
					args := []any{file}
					if rule == autoconfig.RuleSkippedServer {
						args = append(args, strings.Join(d.Skipped, "; "))
					}
					out = append(out, newFinding(SevWarning, ruleCodes[rule], []Client{Thunderbird, ThunderbirdAndroid}, args, file))
				}
			}
			if d.WithoutAddress != nil && !*d.WithoutAddress {
				plain, _, _ := strings.Cut(d.URL, "?")
				out = append(out, newFinding(SevWarning, CodeNeedsAddress, []Client{ThunderbirdAndroid}, []any{plain}, plain))
			}
		}
	}
	for _, src := range []account.Source{account.SourceAutoconfig, account.SourceAutodiscover} {
		ss := sv.Source(src)
		if ss == nil {
			continue
		}
		for _, st := range ss.Trail {
			if st.Outcome != "error" || strings.HasSuffix(st.Detail, ": HTTP 404 Not Found") || strings.Contains(st.Detail, ": dial ") {
				// Not there (404, no such host, nothing listening) is
				// not published, not broken.
				continue
			}
			out = append(out, newFinding(SevWarning, CodeSourceError, nil, []any{sourceName(src), st.Target, stepDetail{st}}, st.Target))
		}
	}
	if ss := sv.Source(account.SourceSRV); ss != nil {
		found := map[string]bool{}
		for _, st := range ss.Trail {
			if st.Outcome == "found" {
				found[st.Target] = true
			}
		}
		for _, pair := range [][2]string{{"imap", "imaps"}, {"pop3", "pop3s"}, {"submission", "submissions"}} {
			plain, tls := "_"+pair[0]+"._tcp."+domain, "_"+pair[1]+"._tcp."+domain
			if found[plain] && !found[tls] {
				out = append(out, newFinding(SevWarning, CodeSRVNoImplicitTLS, []Client{SRVClients}, []any{plain, tls}, tls))
			}
		}
	}
	for _, src := range published {
		ss := sv.Source(src)
		if ss == nil {
			continue
		}
		for _, c := range ss.Candidates {
			if c.Verification == nil || c.Verification.OK {
				continue
			}
			k := Settings{Incoming: c.Account.Incoming, Outgoing: c.Account.Outgoing}.key()
			if failed[k] {
				continue
			}
			failed[k] = true
			out = append(out, newFinding(SevWarning, CodeSourceFailed, nil, []any{sourceName(src), k}, sourceName(src)))
		}
	}
	return out
}
