package autoconfig

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// configXML returns a config-v1.1.xml document for the given servers.
func configXML(domain, imapHost string, imapPort int, smtpHost string, smtpPort int, extra string) string {
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="%[1]s">
    <domain>%[1]s</domain>
    <displayName>Test provider %[1]s</displayName>
    <incomingServer type="imap">
      <hostname>%[2]s</hostname><port>%[3]d</port><socketType>SSL</socketType>
      <username>%%EMAILADDRESS%%</username><authentication>password-cleartext</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>%[4]s</hostname><port>%[5]d</port><socketType>SSL</socketType>
      <username>%%EMAILADDRESS%%</username><authentication>password-cleartext</authentication>
    </outgoingServer>
  </emailProvider>%[6]s
</clientConfig>
`, domain, imapHost, imapPort, smtpHost, smtpPort, extra)
}

// testDB is a provider database for tests: "builtin.test" by domain and
// "*.mailhost.test" by MX pattern, both served by the in-process servers.
func testDB(t *testing.T) *DB {
	t.Helper()
	db, err := LoadDB(fstest.MapFS{
		"builtin.xml": {Data: []byte(configXML("builtin.test", "imap.example.test", 993, "smtp.example.test", 465,
			`<mailsetup xmlns="urn:mailsetup:provider:1"><note kind="app-password" url="https://help.builtin.test/app">Use an app password.</note></mailsetup>`))},
		"mailhost.xml": {Data: []byte(configXML("mailhost.test", "imap.example.test", 993, "smtp.example.test", 465,
			`<mailsetup xmlns="urn:mailsetup:provider:1"><mx>*.mailhost.test</mx></mailsetup>`))},
		"down.xml": {Data: []byte(configXML("down.test", "imap.down.test", 993, "smtp.down.test", 465, ""))},
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

type denv struct {
	n    *mailtest.Network
	opts Options
}

func newDEnv(t *testing.T) *denv {
	t.Helper()
	n := mailtest.Start(t)
	n.AddHost("ispdb.example.test", mailtest.HTTPS)
	return &denv{n: n, opts: Options{
		Resolver:     &netx.Resolver{Server: n.ResolverAddr(), Timeout: time.Second},
		Dialer:       n,
		RootCAs:      n.CAPool(),
		ISPDB:        "https://ispdb.example.test/v1.1/",
		DB:           testDB(t),
		PhaseTimeout: 2 * time.Second,
		GuessStagger: time.Millisecond,
	}}
}

func (e *denv) discover(t *testing.T, email string, only ...account.Source) (*Result, error) {
	t.Helper()
	o := e.opts
	o.Only = only
	return Discover(context.Background(), account.MustParseAddress(email), o)
}

func xmlRoute(body string) mailtest.Route {
	return mailtest.Route{Scheme: "https", ContentType: "application/xml", Body: body}
}

// requests returns the logged requests to host.
func (e *denv) requests(host string) []mailtest.HTTPRequest {
	var out []mailtest.HTTPRequest
	for _, r := range e.n.HTTPRequests() {
		if r.Host == host {
			out = append(out, r)
		}
	}
	return out
}

func (e *denv) noCredentialsSent(t *testing.T) {
	t.Helper()
	for _, r := range e.n.HTTPRequests() {
		if r.Authorization {
			t.Errorf("request to %s%s carried an Authorization header", r.Host, r.Path)
		}
	}
}

func top(t *testing.T, res *Result, err error) *Candidate {
	t.Helper()
	if err != nil {
		t.Fatalf("Discover: %v; trail %+v", err, res.Trail)
	}
	return res.Candidates[0]
}

func TestSourceBuiltin(t *testing.T) {
	e := newDEnv(t)
	res, err := e.discover(t, "jane@builtin.test")
	c := top(t, res, err)
	if c.Account.Provenance.Source != account.SourceBuiltin || c.Trust != account.Trusted {
		t.Errorf("top candidate %+v", c)
	}
	if c.Account.Incoming.Username != "jane@builtin.test" || c.Account.Incoming.Host != "imap.example.test" {
		t.Errorf("placeholders not expanded or wrong server: %+v", c.Account.Incoming)
	}
	if len(c.Notes) != 1 || c.Notes[0].Kind != NoteAppPassword {
		t.Errorf("notes %+v", c.Notes)
	}
	if c.Verification == nil || !c.Verification.OK {
		t.Errorf("not verified: %+v", c.Verification)
	}
}

func TestSourceAutoconfig(t *testing.T) {
	e := newDEnv(t)
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", xmlRoute(configXML("example.test", "imap.example.test", 993, "smtp.example.test", 465, "")))
	res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig)
	c := top(t, res, err)
	if c.Trust != account.Trusted || c.Account.Provenance.Source != account.SourceAutoconfig {
		t.Errorf("candidate %+v", c)
	}
	reqs := e.requests("autoconfig.example.test")
	if len(reqs) != 1 || reqs[0].Scheme != "https" || !strings.Contains(reqs[0].Query, "emailaddress=jane%40example.test") {
		t.Errorf("autoconfig requests %+v", reqs)
	}
	e.noCredentialsSent(t)
}

func TestSourceWellKnownAcceptsTextPlain(t *testing.T) {
	e := newDEnv(t)
	e.n.HandleHTTP("example.test", "/.well-known/autoconfig/mail/config-v1.1.xml",
		mailtest.Route{Scheme: "https", ContentType: "text/plain", Body: configXML("example.test", "imap.example.test", 993, "smtp.example.test", 465, "")})
	res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig)
	if c := top(t, res, err); c.Account.Provenance.Detail != "https://example.test/.well-known/autoconfig/mail/config-v1.1.xml" {
		t.Errorf("detail %q", c.Account.Provenance.Detail)
	}
}

func TestSourceISPDB(t *testing.T) {
	e := newDEnv(t)
	e.n.HandleHTTP("ispdb.example.test", "/v1.1/example.test", xmlRoute(configXML("example.test", "imap.example.test", 993, "smtp.example.test", 465, "")))
	res, err := e.discover(t, "jane@example.test", account.SourceISPDB)
	c := top(t, res, err)
	if c.Trust != account.Trusted || c.Account.Provenance.Source != account.SourceISPDB {
		t.Errorf("candidate %+v", c)
	}
	for _, r := range e.requests("ispdb.example.test") {
		if strings.Contains(r.Path+r.Query, "jane") {
			t.Errorf("the address reached the ISPDB: %s?%s", r.Path, r.Query)
		}
	}
	e.opts.ISPDB = "off"
	e.n.ResetHTTPRequests()
	if _, err := e.discover(t, "jane@example.test", account.SourceISPDB); !errors.Is(err, ErrNothingFound) {
		t.Errorf("--ispdb off: %v", err)
	}
	if n := len(e.requests("ispdb.example.test")); n != 0 {
		t.Errorf("--ispdb off: %d requests", n)
	}
}

func TestSourceMXPattern(t *testing.T) {
	e := newDEnv(t)
	e.n.AddMailDomain("custom.test")
	if err := e.n.DNS().Add("custom.test. 60 IN MX 10 in1.mailhost.test.", "custom.test. 60 IN MX 5 in0.mailhost.test."); err != nil {
		t.Fatal(err)
	}
	e.n.DNS().Remove("custom.test", 15) // drop the default MX mailtest added
	if err := e.n.DNS().Add("custom.test. 60 IN MX 10 in1.mailhost.test.", "custom.test. 60 IN MX 5 in0.mailhost.test."); err != nil {
		t.Fatal(err)
	}
	res, err := e.discover(t, "jane@custom.test", account.SourceMX)
	c := top(t, res, err)
	if c.Trust != account.NeedsConfirmation || c.Account.Provenance.Detail != "MX in0.mailhost.test" {
		t.Errorf("candidate trust %s detail %q", c.Trust, c.Account.Provenance.Detail)
	}
	if strings.Join(c.Confirm, ",") != "custom.test,mailhost.test" {
		t.Errorf("confirm domains %v", c.Confirm)
	}
	// An AD bit from a resolver not trusted to validate changes nothing.
	e.n.DNS().SetADAll(true)
	res, err = e.discover(t, "jane@custom.test", account.SourceMX)
	if c := top(t, res, err); c.Trust != account.NeedsConfirmation || len(c.Confirm) != 2 {
		t.Errorf("AD MX from an untrusted resolver: trust %s confirm %v", c.Trust, c.Confirm)
	}
	if !trailHas(res, account.SourceMX, "AD bit ignored: resolver 127.0.0.1 is not marked trusted") {
		t.Errorf("the trail does not say the AD bit was ignored: %+v", res.Trail)
	}
	// DNSSEC-validated MX from a trusted resolver: trusted.
	e.opts.Resolver.TrustAD, e.opts.Resolver.ADRule = true, netx.ADRuleFlag
	res, err = e.discover(t, "jane@custom.test", account.SourceMX)
	if c := top(t, res, err); c.Trust != account.Trusted {
		t.Errorf("AD MX: trust %s", c.Trust)
	}
	if !trailHas(res, account.SourceMX, "DNSSEC-validated by a trusted resolver (--trust-ad)") {
		t.Errorf("the trail does not name the rule: %+v", res.Trail)
	}
}

// trailHas reports whether a trail step of src has detail containing s.
func trailHas(res *Result, src account.Source, s string) bool {
	for _, st := range res.Trail {
		if st.Source == src && strings.Contains(st.Detail, s) {
			return true
		}
	}
	return false
}

func TestSourceSRV(t *testing.T) {
	e := newDEnv(t)
	z := e.n.DNS()
	z.AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.example.test")
	z.AddSRV("_imap._tcp.example.test", 0, 0, 0, ".")
	z.AddSRV("_submissions._tcp.example.test", 0, 1, 465, "smtp.example.test")
	res, err := e.discover(t, "jane@example.test", account.SourceSRV)
	c := top(t, res, err)
	if c.Trust != account.Trusted || c.Account.Incoming.Address() != "imap.example.test:993" || c.Account.Outgoing.Security != account.TLS {
		t.Errorf("candidate %+v", c)
	}
	if len(res.Candidates) != 1 {
		t.Errorf(`the "." _imap record produced a candidate: %d candidates`, len(res.Candidates))
	}
	// A target outside the domain without DNSSEC needs confirmation.
	e.n.AddMailDomain("other.test")
	z.Remove("_imaps._tcp.example.test", 33)
	z.AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.other.test")
	res, err = e.discover(t, "jane@example.test", account.SourceSRV)
	c = top(t, res, err)
	if c.Trust != account.NeedsConfirmation || !strings.Contains(strings.Join(c.Confirm, ","), "other.test") {
		t.Errorf("outside target: trust %s confirm %v", c.Trust, c.Confirm)
	}
	// AD=1 from a resolver not trusted to validate: still needs confirmation.
	z.SetADAll(true)
	res, err = e.discover(t, "jane@example.test", account.SourceSRV)
	if c := top(t, res, err); c.Trust != account.NeedsConfirmation || !strings.Contains(strings.Join(c.Reasons, ";"), "AD bit ignored") {
		t.Errorf("AD outside target, untrusted resolver: trust %s reasons %v", c.Trust, c.Reasons)
	}
	if !trailHas(res, account.SourceSRV, "AD bit ignored") {
		t.Errorf("trail %+v", res.Trail)
	}
	e.opts.Resolver.TrustAD = true
	res, err = e.discover(t, "jane@example.test", account.SourceSRV)
	if c := top(t, res, err); c.Trust != account.Trusted {
		t.Errorf("DNSSEC-validated outside target: trust %s", c.Trust)
	}
	if !trailHas(res, account.SourceSRV, "DNSSEC-validated by a trusted resolver") {
		t.Errorf("trail %+v", res.Trail)
	}
}

func poxBody(imapHost, smtpHost string) string {
	return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
 <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
  <Account><AccountType>email</AccountType><Action>settings</Action>
   <Protocol><Type>IMAP</Type><Server>` + imapHost + `</Server><Port>993</Port><LoginName>jane@example.test</LoginName><SPA>off</SPA><SSL>on</SSL><Encryption>SSL</Encryption><AuthRequired>on</AuthRequired></Protocol>
   <Protocol><Type>SMTP</Type><Server>` + smtpHost + `</Server><Port>587</Port><LoginName>jane@example.test</LoginName><SPA>off</SPA><SSL>on</SSL><Encryption>TLS</Encryption><AuthRequired>on</AuthRequired></Protocol>
  </Account></Response></Autodiscover>`
}

func TestSourceAutodiscover(t *testing.T) {
	e := newDEnv(t)
	e.n.AddHost("autodiscover.example.test", mailtest.HTTPS)
	var posted atomic.Bool
	e.n.HandleHTTPFunc("autodiscover.example.test", "/autodiscover/autodiscover.xml", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posted.Store(true)
		}
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, poxBody("imap.example.test", "smtp.example.test"))
	})
	res, err := e.discover(t, "jane@example.test", account.SourceAutodiscover)
	c := top(t, res, err)
	if c.Trust != account.Trusted || c.Account.Outgoing.Security != account.STARTTLS || c.Account.Outgoing.Port != 587 || !posted.Load() {
		t.Errorf("candidate %+v (posted %v)", c.Account, posted.Load())
	}
	e.noCredentialsSent(t)
}

func TestSourceHTTP(t *testing.T) {
	e := newDEnv(t)
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml",
		mailtest.Route{Scheme: "http", Body: configXML("example.test", "imap.example.test", 993, "smtp.example.test", 465, "")})
	if _, err := e.discover(t, "jane@example.test", account.SourceHTTP); !errors.Is(err, ErrNothingFound) {
		t.Fatalf("http without --allow-http: %v", err)
	}
	if n := len(e.requests("autoconfig.example.test")); n != 0 {
		t.Fatalf("%d plain-HTTP requests without --allow-http", n)
	}
	e.opts.AllowHTTP = true
	res, err := e.discover(t, "jane@example.test", account.SourceHTTP)
	if c := top(t, res, err); c.Trust != account.Untrusted {
		t.Errorf("http candidate trust %s", c.Trust)
	}
	for _, r := range e.requests("autoconfig.example.test") {
		if strings.Contains(r.Query, "jane") {
			t.Errorf("address sent over http: %s?%s", r.Path, r.Query)
		}
	}
}

func TestSourceGuess(t *testing.T) {
	e := newDEnv(t)
	res, err := e.discover(t, "jane@example.test", account.SourceGuess)
	c := top(t, res, err)
	if c.Account.Incoming.Address() != "imap.example.test:993" || c.Account.Outgoing.Address() != "smtp.example.test:465" || c.Trust != account.Trusted {
		t.Errorf("guess %s / %s trust %s", c.Account.Incoming, c.Account.Outgoing, c.Trust)
	}
	// A wrong-name certificate is never trusted by a guess.
	e.n.SetCertKind("imap.example.test", mailtest.CertWrongName)
	res, err = e.discover(t, "jane@example.test", account.SourceGuess)
	if c := top(t, res, err); c.Account.Incoming.Host == "imap.example.test" {
		t.Errorf("guess trusted a wrong-name certificate: %s", c.Account.Incoming)
	}
}

// TestGuessDelay: with GuessDelay, a domain that publishes its settings
// is decided before any guessing connection is opened; without, guesses
// race the other sources; and a domain that publishes nothing is still
// found by guessing, once the delay has passed.
func TestGuessDelay(t *testing.T) {
	e := newDEnv(t)
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml",
		xmlRoute(configXML("example.test", "imap.example.test", 993, "smtp.example.test", 465, "")))
	guesses := func(res *Result) int {
		n := 0
		for _, st := range res.Trail {
			if st.Source == account.SourceGuess && st.Outcome != "skipped" {
				n++
			}
		}
		return n
	}
	e.opts.GuessStagger = 20 * time.Millisecond
	res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig, account.SourceGuess)
	if c := top(t, res, err); c.Account.Provenance.Source != account.SourceAutoconfig {
		t.Fatalf("winner %s, want autoconfig", c.Account.Provenance.Source)
	}
	if guesses(res) == 0 {
		t.Errorf("without a delay no guess ran before the decision: %+v", res.Trail)
	}
	e.opts.GuessDelay = 2 * time.Second
	res, err = e.discover(t, "jane@example.test", account.SourceAutoconfig, account.SourceGuess)
	if c := top(t, res, err); c.Account.Provenance.Source != account.SourceAutoconfig {
		t.Fatalf("winner %s, want autoconfig", c.Account.Provenance.Source)
	}
	if n := guesses(res); n != 0 {
		t.Errorf("%d guesses ran although autoconfig decided within the delay: %+v", n, res.Trail)
	}
	e.opts.GuessDelay = 50 * time.Millisecond
	res, err = e.discover(t, "jane@example.test", account.SourceGuess)
	if c := top(t, res, err); c.Account.Incoming.Address() != "imap.example.test:993" {
		t.Errorf("guess after the delay found %s", c.Account.Incoming)
	}
}

// slowHandler answers only when the request is cancelled, or after d.
func slowHandler(d time.Duration, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(d):
		}
		fmt.Fprint(w, body)
	}
}

func TestPriorityAndEarlyReturn(t *testing.T) {
	e := newDEnv(t)
	e.opts.NoVerify = true
	// A higher-priority source that is slower than a lower one still wins.
	e.n.HandleHTTPFunc("autoconfig.example.test", "/mail/config-v1.1.xml",
		slowHandler(300*time.Millisecond, configXML("example.test", "mail.example.test", 993, "mail.example.test", 465, "")))
	e.n.DNS().AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.example.test")
	e.n.DNS().AddSRV("_submissions._tcp.example.test", 0, 1, 465, "smtp.example.test")
	res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig, account.SourceSRV)
	if c := top(t, res, err); c.Account.Provenance.Source != account.SourceAutoconfig {
		t.Errorf("winner %s, want autoconfig", c.Account.Provenance.Source)
	}
	if len(res.Candidates) < 2 {
		t.Errorf("SRV alternative missing: %d candidates", len(res.Candidates))
	}
	// Once the built-in database answers, slower sources are cancelled.
	e.n.HandleHTTPFunc("autoconfig.builtin.test", "/mail/config-v1.1.xml", slowHandler(time.Hour, ""))
	e.n.AddHost("autoconfig.builtin.test", mailtest.HTTPS)
	// builtin.test itself resolves to loopback too, so discovery's dial
	// guard lets the slow host be reached (a lab network) and the fetch
	// is still waiting when the built-in answer cancels it.
	e.n.AddHost("builtin.test", mailtest.HTTPS)
	res, err = e.discover(t, "jane@builtin.test", account.SourceBuiltin, account.SourceAutoconfig)
	if c := top(t, res, err); c.Account.Provenance.Source != account.SourceBuiltin {
		t.Errorf("winner %s", c.Account.Provenance.Source)
	}
	var cancelled bool
	for _, s := range res.Trail {
		cancelled = cancelled || (s.Source == account.SourceAutoconfig && s.Outcome == "cancelled")
	}
	if !cancelled {
		t.Errorf("autoconfig not cancelled: trail %+v", res.Trail)
	}
}

// TestAutodiscoverLeak: nothing ever reaches autodiscover.<public suffix>
// and no request anywhere carries credentials.
func TestAutodiscoverLeak(t *testing.T) {
	e := newDEnv(t)
	e.opts.NoVerify = true
	e.opts.AllowHTTP = true
	for _, h := range []string{"autodiscover.test", "autodiscover.co.uk", "co.uk", "autoconfig.co.uk"} {
		e.n.AddHost(h, mailtest.HTTPS, mailtest.HTTP)
		e.n.HandleHTTP(h, "/", mailtest.Route{Body: poxBody("imap.example.test", "smtp.example.test")})
	}
	e.n.AddHost("autodiscover.example.test", mailtest.HTTPS)
	// The domain's own autodiscover redirects to the public-suffix host.
	e.n.HandleHTTP("autodiscover.example.test", "/autodiscover/autodiscover.xml",
		mailtest.Route{Location: "https://autodiscover.test/autodiscover/autodiscover.xml"})
	e.n.DNS().AddSRV("_autodiscover._tcp.example.test", 0, 0, 443, "autodiscover.test")
	_, _ = e.discover(t, "jane@example.test")
	_, _ = e.discover(t, "jane@co.uk")
	for _, h := range []string{"autodiscover.test", "autodiscover.co.uk", "co.uk", "autoconfig.co.uk"} {
		if n := len(e.requests(h)); n != 0 {
			t.Errorf("%s got %d request(s)", h, n)
		}
	}
	e.noCredentialsSent(t)
}

func TestFetchFailures(t *testing.T) {
	e := newDEnv(t)
	e.opts.NoVerify = true
	e.n.AddHost("evil.test", mailtest.HTTPS)
	e.n.AddHost("autodiscover.example.test", mailtest.HTTPS)
	tests := []struct {
		name  string
		route mailtest.Route
		want  string
	}{
		{"redirect loop", mailtest.Route{Location: "/mail/config-v1.1.xml"}, "more than 10 redirects"},
		{"oversized", mailtest.Route{Body: strings.Repeat("x", MaxBody+10)}, "larger than"},
		{"malformed", mailtest.Route{Body: "<clientConfig><emailProvider>"}, "malformed XML"},
		{"doctype", mailtest.Route{Body: `<!DOCTYPE x [<!ENTITY a "b">]><clientConfig/>`}, "document type"},
		{"http redirect", mailtest.Route{Location: "http://autoconfig.example.test/x"}, "non-HTTPS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", tt.route)
			res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig)
			if !errors.Is(err, ErrNothingFound) {
				t.Fatalf("err %v", err)
			}
			var found bool
			for _, s := range res.Trail {
				found = found || strings.Contains(s.Detail, tt.want)
			}
			if !found {
				t.Errorf("trail lacks %q: %+v", tt.want, res.Trail)
			}
		})
	}
	// A cross-domain Autodiscover redirect is not followed.
	e.n.HandleHTTP("autodiscover.example.test", "/autodiscover/autodiscover.xml", mailtest.Route{Location: "https://evil.test/autodiscover/autodiscover.xml"})
	e.n.HandleHTTP("evil.test", "/", mailtest.Route{Body: poxBody("imap.evil.test", "smtp.evil.test")})
	res, _ := e.discover(t, "jane@example.test", account.SourceAutodiscover)
	if n := len(e.requests("evil.test")); n != 0 {
		t.Errorf("cross-domain redirect followed: %d requests", n)
	}
	var noted bool
	for _, s := range res.Trail {
		noted = noted || strings.Contains(s.Detail, "needs confirmation")
	}
	if !noted {
		t.Errorf("trail does not say the redirect needs confirmation: %+v", res.Trail)
	}
}

func TestIDNDomain(t *testing.T) {
	e := newDEnv(t)
	e.n.AddMailDomain("xn--bcher-kva.test")
	e.n.AddHost("autoconfig.xn--bcher-kva.test", mailtest.HTTPS)
	e.n.HandleHTTP("autoconfig.xn--bcher-kva.test", "/mail/config-v1.1.xml", xmlRoute(configXML("xn--bcher-kva.test", "imap.example.test", 993, "smtp.example.test", 465, "")))
	res, err := e.discover(t, "jürgen@bücher.test", account.SourceAutoconfig)
	if c := top(t, res, err); c.Account.Incoming.Username != "jürgen@xn--bcher-kva.test" {
		t.Errorf("username %q", c.Account.Incoming.Username)
	}
}

func TestDNSFailures(t *testing.T) {
	e := newDEnv(t)
	e.opts.NoVerify = true
	e.opts.Resolver.Timeout = 200 * time.Millisecond
	z := e.n.DNS()
	z.SetNXDOMAIN("nx.test", true)
	z.SetSERVFAIL("sf.test", true)
	z.SetDelay("slow.test", time.Hour)
	for _, d := range []string{"nx.test", "sf.test", "slow.test"} {
		res, err := e.discover(t, "jane@"+d, account.SourceMX, account.SourceSRV)
		if !errors.Is(err, ErrNothingFound) || len(res.Trail) == 0 {
			t.Errorf("%s: %v, trail %+v", d, err, res.Trail)
		}
	}
	// A truncated UDP answer is retried over TCP.
	z.AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.example.test")
	z.AddSRV("_submissions._tcp.example.test", 0, 1, 465, "smtp.example.test")
	z.SetTruncate("_imaps._tcp.example.test", true)
	res, err := e.discover(t, "jane@example.test", account.SourceSRV)
	if c := top(t, res, err); c.Account.Incoming.Host != "imap.example.test" {
		t.Errorf("truncated SRV: %+v", c.Account.Incoming)
	}
}

func TestVerificationFallsBack(t *testing.T) {
	e := newDEnv(t)
	// The built-in entry's servers do not exist; the ISPDB's do.
	e.n.HandleHTTP("ispdb.example.test", "/v1.1/down.test", xmlRoute(configXML("down.test", "imap.example.test", 993, "smtp.example.test", 465, "")))
	res, err := e.discover(t, "jane@down.test", account.SourceBuiltin, account.SourceISPDB)
	c := top(t, res, err)
	if c.Account.Provenance.Source != account.SourceISPDB || res.Verified != c || !c.Verification.OK {
		t.Errorf("top %s verified %v", c.Account.Provenance.Source, c.Verification)
	}
	var failed *Candidate
	for _, o := range res.Candidates {
		if o.Account.Provenance.Source == account.SourceBuiltin {
			failed = o
		}
	}
	if failed == nil || failed.Verification == nil || failed.Verification.OK {
		t.Errorf("the failed built-in candidate's verification is not reported: %+v", failed)
	}
}

// countingDialer records every dial.
type countingDialer struct{ n atomic.Int32 }

func (d *countingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d.n.Add(1)
	return nil, errors.New("offline test: no dialing")
}

func TestOfflineOpensNoSocket(t *testing.T) {
	e := newDEnv(t)
	d := &countingDialer{}
	e.opts.Dialer = d
	e.opts.Offline = true
	e.n.DNS().ResetQueries()
	res, err := e.discover(t, "jane@builtin.test")
	c := top(t, res, err)
	if c.Verification != nil {
		t.Error("offline discovery verified live")
	}
	if d.n.Load() != 0 || len(e.n.DNS().Queries()) != 0 || len(e.n.HTTPRequests()) != 0 {
		t.Errorf("offline: %d dials, %d DNS queries, %d HTTP requests", d.n.Load(), len(e.n.DNS().Queries()), len(e.n.HTTPRequests()))
	}
	if _, err := e.discover(t, "jane@unknown.test"); !errors.Is(err, ErrNothingFound) {
		t.Errorf("offline unknown domain: %v", err)
	}
}

// TestBuiltinDatabase runs discovery offline against the embedded
// database, and by MX pattern for a custom domain hosted at Google.
func TestBuiltinDatabase(t *testing.T) {
	db, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if p, d := db.Providers(); p < 40 || d < 200 {
		t.Errorf("built-in database has %d providers, %d domains", p, d)
	}
	tests := []struct{ email, host string }{
		{"jane@gmail.com", "imap.gmail.com"},
		{"jane@googlemail.com", "imap.gmail.com"},
		{"jane@yahoo.co.uk", "imap.mail.yahoo.com"},
		{"jane@icloud.com", "imap.mail.me.com"},
		{"jane@gmx.de", "imap.gmx.net"},
		{"jane@t-online.de", "secureimap.t-online.de"},
	}
	for _, tt := range tests {
		res, err := Discover(context.Background(), account.MustParseAddress(tt.email), Options{Offline: true})
		if err != nil {
			t.Errorf("%s: %v", tt.email, err)
			continue
		}
		if c := res.Candidates[0]; c.Account.Incoming.Host != tt.host || c.Trust != account.Trusted {
			t.Errorf("%s: %s (%s)", tt.email, c.Account.Incoming, c.Trust)
		}
	}
	res, err := Discover(context.Background(), account.MustParseAddress("jane@gmail.com"), Options{Offline: true})
	if err != nil || len(res.Candidates[0].Notes) == 0 {
		t.Errorf("gmail.com has no provider notes: %v", err)
	}
	e := newDEnv(t)
	e.opts.DB = nil
	e.opts.NoVerify = true
	e.n.AddMailDomain("customer.test")
	e.n.DNS().Remove("customer.test", 15)
	if err := e.n.DNS().Add("customer.test. 60 IN MX 1 aspmx.l.google.com."); err != nil {
		t.Fatal(err)
	}
	res, err = e.discover(t, "jane@customer.test", account.SourceMX)
	c := top(t, res, err)
	if c.Account.Incoming.Host != "imap.gmail.com" || c.Trust != account.NeedsConfirmation || c.Account.Incoming.Username != "jane@customer.test" {
		t.Errorf("custom domain at Google: %s user %s trust %s", c.Account.Incoming, c.Account.Incoming.Username, c.Trust)
	}
}

// TestVerifiedKeepsSameSourceAlternatives: when the first candidate of a
// source passes the live check, the source's other candidates (POP3
// beside IMAP) stay as alternatives.
func TestVerifiedKeepsSameSourceAlternatives(t *testing.T) {
	e := newDEnv(t)
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", xmlRoute(`<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
<incomingServer type="imap"><hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<incomingServer type="pop3"><hostname>pop.example.test</hostname><port>995</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`))
	res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig)
	top(t, res, err)
	if len(res.Candidates) != 2 || res.Candidates[1].Account.Incoming.Protocol != account.POP3 {
		t.Errorf("candidates %d; want IMAP then POP3", len(res.Candidates))
	}
}

func TestGuessSkipsPublicSuffix(t *testing.T) {
	e := newDEnv(t)
	e.n.AddHost("imap.co.uk", mailtest.IMAPS)
	e.n.ResetHTTPRequests()
	res, err := e.discover(t, "jane@co.uk", account.SourceGuess)
	if !errors.Is(err, ErrNothingFound) || len(res.Trail) != 1 || res.Trail[0].Outcome != "skipped" {
		t.Errorf("guess for a public suffix: %v %+v", err, res.Trail)
	}
	if logs := e.n.ConnLogsFor("imap.co.uk:993"); len(logs) != 0 {
		t.Errorf("%d connection(s) to imap.co.uk", len(logs))
	}
}

// TestGuessOneHostNamedOnce: when the guessed incoming and outgoing
// servers are the same host, the reason names it once ("valid for
// mail.one.test", not "for mail.one.test and mail.one.test").
func TestGuessOneHostNamedOnce(t *testing.T) {
	e := newDEnv(t)
	e.n.AddHost("mail.one.test", mailtest.MailServices...)
	res, err := e.discover(t, "jane@one.test", account.SourceGuess)
	c := top(t, res, err)
	if c.Account.Incoming.Host != "mail.one.test" || c.Account.Outgoing.Host != "mail.one.test" {
		t.Fatalf("guess %s / %s", c.Account.Incoming, c.Account.Outgoing)
	}
	got := strings.Join(c.Reasons, "\n")
	if !strings.Contains(got, "a TLS certificate valid for mail.one.test") || strings.Contains(got, " and mail.one.test") {
		t.Errorf("reasons:\n%s", got)
	}
	if d := c.Account.Provenance.Detail; d != "guessed mail.one.test" {
		t.Errorf("detail %q", d)
	}
}

// TestOutgoingAlternativeAfterFailedCheck: the provider's first outgoing
// server does not answer (a network that blocks it); its other one does,
// and takes its place, the failed one kept as an alternative and named in
// the reasons.
func TestOutgoingAlternativeAfterFailedCheck(t *testing.T) {
	e := newDEnv(t)
	doc := strings.Replace(configXML("alt.test", "imap.example.test", 993, "smtp.example.test", 2465, ""),
		"</emailProvider>", `<outgoingServer type="smtp">
      <hostname>smtp.example.test</hostname><port>587</port><socketType>STARTTLS</socketType>
      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>
    </outgoingServer>
  </emailProvider>`, 1)
	e.n.HandleHTTP("ispdb.example.test", "/v1.1/alt.test", xmlRoute(doc))
	res, err := e.discover(t, "jane@alt.test", account.SourceISPDB)
	c := top(t, res, err)
	if res.Verified != c || !c.Verification.OK {
		t.Fatalf("not verified: %+v", c.Verification)
	}
	if got := c.Account.Outgoing; got.Port != 587 || got.Security != account.STARTTLS {
		t.Errorf("outgoing %s, want the alternative on 587", got)
	}
	if len(c.OutgoingAlternatives) != 1 || c.OutgoingAlternatives[0].Port != 2465 {
		t.Errorf("alternatives %+v, want the failed 2465", c.OutgoingAlternatives)
	}
	if !slices.ContainsFunc(c.Reasons, func(r string) bool {
		return strings.Contains(r, "smtp.example.test:2465") && strings.Contains(r, "587")
	}) {
		t.Errorf("reasons do not say why: %q", c.Reasons)
	}
	ro := c.ReasonsIn(i18n.New(i18n.RO))
	if !slices.ContainsFunc(ro, func(r string) bool { return strings.Contains(r, "celălalt server de ieșire") }) {
		t.Errorf("reasons in Romanian: %q", ro)
	}
}
