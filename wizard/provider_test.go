package wizard

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/probe"
	"github.com/mailsetup/mailsetup/templates"
)

// providerCand is a trusted candidate whose provider signs in with OAuth2
// or a password, lists two more outgoing servers (one without
// encryption) and says to enable IMAP first, in English and Romanian.
func providerCand() *autoconfig.Candidate {
	in := srv(account.IMAP, "imap.example.com", account.TLS)
	in.Auth, in.Auths = account.AuthOAuth2, []account.AuthMethod{account.AuthOAuth2, account.AuthPasswordCleartext}
	c := cand(in, account.Trusted, account.SourceISPDB)
	c.Account.Provider = &account.ProviderInfo{
		Enable: &account.Enable{URL: "https://example.com/settings", Instructions: []account.Text{
			{Text: "Switch on IMAP in the webmail\u202e first."}, {Lang: "ro", Text: "Porniți IMAP în webmail mai întâi."}}},
		Documentation: []account.Link{{URL: "https://example.com/help", Descr: []account.Text{{Text: "Mail settings"}}}},
	}
	c.OutgoingAlternatives = []account.Server{srv(account.SMTP, "smtp.example.com", account.STARTTLS), srv(account.SMTP, "mail.example.com", account.None)}
	return c
}

// passwordWatch records what the wizard had printed when it asked for
// the password.
type passwordWatch struct {
	*stub
	h      *harness
	before string
}

func (p *passwordWatch) Password(key, message, help string) (string, error) {
	p.before = p.h.out.String()
	return p.stub.Password(key, message, help)
}

// TestProviderTextsShown: the found settings show every sign-in method,
// the other outgoing servers and the provider's texts under their label,
// escaped, before the password is asked (enabling IMAP matters for the
// live check); the review shows the texts again.
func TestProviderTextsShown(t *testing.T) {
	h := newHarness(providerCand())
	p := &passwordWatch{stub: newStub(t, reviewAnswers(nil)), h: h}
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Sign-in: OAuth2 (web sign-in), or password",
		"Other outgoing servers: smtp.example.com:587 STARTTLS; mail.example.com:587 None",
		"From the provider (its own words):",
		`Enable first   Switch on IMAP in the webmail\u202e first. <https://example.com/settings>`,
		"Documentation  Mail settings <https://example.com/help>"} {
		if !strings.Contains(p.before, want) {
			t.Errorf("before the password, output lacks %q:\n%s", want, p.before)
		}
	}
	out := h.out.String()
	if strings.Contains(out, "\u202e") {
		t.Error("the provider's bidi override reached the terminal")
	}
	review := out[strings.Index(out, "Check the settings before the files are written:"):]
	if !strings.Contains(review, "Enable first") || !strings.Contains(review, "https://example.com/help") {
		t.Errorf("the review lacks the provider's texts:\n%s", review)
	}
	if res.Account.Provider == nil || res.Account.Provider.Enable == nil {
		t.Errorf("the result lost the provider's texts: %+v", res.Account.Provider)
	}

	// In Romanian: the Romanian instruction, the labels from the catalogue.
	h = newHarness(providerCand())
	h.deps.Catalog = i18n.New(i18n.RO)
	if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com", Yes: true, ExportSet: true}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"De la furnizor (cuvintele sale):", "Activați întâi", "Porniți IMAP în webmail mai întâi.", "Autentificare: OAuth2 (autentificare în pagina web a furnizorului) sau parolă"} {
		if !strings.Contains(h.out.String(), want) {
			t.Errorf("ro output lacks %q:\n%s", want, h.out.String())
		}
	}
	if leaks := i18n.EnglishLeaks(i18n.RO, h.out.String(), "wizard.", "discover."); len(leaks) > 0 {
		t.Errorf("English in the Romanian output: %q\n%s", leaks, h.out.String())
	}
}

// TestReviewOffersOutgoingAlternatives: changing the outgoing server at
// the review offers the provider's other outgoing servers first; one
// without encryption takes an explicit yes; "type another" asks the
// question as before.
func TestReviewOffersOutgoingAlternatives(t *testing.T) {
	h := newHarness(providerCand())
	p := newStub(t, reviewAnswers(map[string][]any{
		"review": {reviewChange, reviewWrite}, "review-field": {pickOutHost}, "outgoing-server": {0},
	}))
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if o := res.Account.Outgoing; o.Host != "smtp.example.com" || o.Port != 587 || o.Security != account.STARTTLS {
		t.Errorf("outgoing %+v", o)
	}
	if slices.Contains(p.asked, "outgoing-host") || len(h.verified) != 2 || h.verified[1].Outgoing.Port != 587 {
		t.Errorf("asked %v, checked %d times", p.asked, len(h.verified))
	}

	// The unencrypted one: refused, then "type another".
	h = newHarness(providerCand())
	p = newStub(t, reviewAnswers(map[string][]any{
		"review": {reviewChange, reviewWrite}, "review-field": {pickOutHost}, "outgoing-server": {1, 2},
		"outgoing-security-none": {nil}, "outgoing-host": {"smtp2.example.com"},
	}))
	h.deps.Prompter = p
	if res, err = Run(context.Background(), h.deps, Answers{Email: "jane@example.com"}); err != nil {
		t.Fatal(err)
	}
	if p.defs["outgoing-security-none"] != false || res.Account.Outgoing.Host != "smtp2.example.com" || res.Account.Outgoing.Security != account.TLS {
		t.Errorf("default %v, outgoing %+v", p.defs["outgoing-security-none"], res.Account.Outgoing)
	}

	// Accepted: the account is not labelled trusted, and warns.
	h = newHarness(providerCand())
	p = newStub(t, reviewAnswers(map[string][]any{
		"review": {reviewChange, reviewWrite}, "review-field": {pickOutHost}, "outgoing-server": {1}, "outgoing-security-none": {true},
	}))
	h.deps.Prompter = p
	if res, err = Run(context.Background(), h.deps, Answers{Email: "jane@example.com"}); err != nil {
		t.Fatal(err)
	}
	if res.Account.Outgoing.Security != account.None || res.Account.Provenance.Trust == account.Trusted || !hasCode(res, string(probe.CodeSecurityNone)) {
		t.Errorf("outgoing %+v, provenance %+v, warnings %+v", res.Account.Outgoing, res.Account.Provenance, res.Warnings)
	}
}

func hasCode(res *Result, code string) bool {
	return slices.ContainsFunc(res.Warnings, func(w templates.Warning) bool { return w.Code == code })
}

// TestOutgoingFailureOffersAlternatives: when the live check fails at the
// outgoing server and the provider lists others, the wizard says so and
// offers them; the one picked is checked.
func TestOutgoingFailureOffersAlternatives(t *testing.T) {
	h := newHarness(providerCand())
	h.deps.Verify = func(ctx context.Context, a account.Account, password string) *probe.Report {
		h.verified = append(h.verified, a)
		out := &probe.Endpoint{Server: a.Outgoing, Verdict: probe.VerdictOK}
		if a.Outgoing.Port == 465 {
			out.Verdict = probe.VerdictFail
			out.Findings = []probe.Finding{{Severity: probe.SevError, Code: probe.CodeTCPTimeout, Message: "port 465 timed out"}}
		}
		return &probe.Report{Endpoints: []*probe.Endpoint{{Server: a.Incoming, Verdict: probe.VerdictOK}, out}, Verdict: out.Verdict}
	}
	p := newStub(t, reviewAnswers(map[string][]any{"verify-failed": {3}, "outgoing-server": {nil}}))
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.out.String(), "The outgoing server failed the check; the provider lists others: smtp.example.com:587 STARTTLS; mail.example.com:587 None.") {
		t.Errorf("the alternatives were not named:\n%s", h.out.String())
	}
	if o := res.Account.Outgoing; o.Port != 587 || o.Security != account.STARTTLS || len(h.verified) != 2 || res.Verification.Continued {
		t.Errorf("outgoing %+v after %d checks, continued %v", o, len(h.verified), res.Verification.Continued)
	}

	// Without alternatives the choices are as before (3 is quit).
	c := providerCand()
	c.OutgoingAlternatives = nil
	h2 := newHarness(c)
	h2.deps.Verify = h.deps.Verify
	h2.deps.Prompter = newStub(t, reviewAnswers(map[string][]any{"verify-failed": {3}}))
	if _, err := Run(context.Background(), h2.deps, Answers{Email: "jane@example.com"}); err != ErrQuit {
		t.Errorf("without alternatives, 3: %v", err)
	}
}

// TestServerQuestionsOfferOutgoingAlternatives: when the server questions
// are asked (here after the user refused settings that needed
// confirming), the outgoing server's start with the provider's others.
func TestServerQuestionsOfferOutgoingAlternatives(t *testing.T) {
	c := providerCand()
	c.Trust, c.Confirm = account.NeedsConfirmation, []string{"provider.test"}
	h := newHarness(c)
	p := newStub(t, map[string][]any{
		"name": {""}, "confirm-source": {false}, "use-discovered": {nil}, "multi-device": {true}, "protocol": {0},
		"incoming-host": {nil}, "incoming-security": {nil}, "incoming-port": {nil}, "incoming-username": {nil},
		"outgoing-server": {0}, "password": {""}, "export": {[]int{}},
	})
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if o := res.Account.Outgoing; o.Port != 587 || o.Security != account.STARTTLS || slices.Contains(p.asked, "outgoing-host") {
		t.Errorf("outgoing %+v, asked %v", o, p.asked)
	}
}
