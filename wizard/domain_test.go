package wizard

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// checkedHarness is a harness whose address check asks the in-process
// network's DNS, and which records the addresses discovery was asked for.
func checkedHarness(t *testing.T, n *mailtest.Network, cands ...*autoconfig.Candidate) (*harness, *[]string) {
	h := newHarness(cands...)
	opts := autoconfig.Options{Resolver: &netx.Resolver{Server: n.ResolverAddr(), Timeout: 300 * time.Millisecond}, PhaseTimeout: time.Second}
	h.deps.CheckDomain = func(ctx context.Context, addr account.Address) error {
		return autoconfig.CheckDomain(ctx, addr, opts)
	}
	var asked []string
	discover := h.deps.Discover
	h.deps.Discover = func(ctx context.Context, addr account.Address) (*autoconfig.Result, error) {
		asked = append(asked, addr.String())
		return discover(ctx, addr)
	}
	return h, &asked
}

// TestTypoRetyped: a domain that does not exist is caught before any
// server question; the address question comes back with the suggestion
// as its default, and discovery runs for the corrected address only.
func TestTypoRetyped(t *testing.T) {
	n := mailtest.Start(t)
	h, asked := checkedHarness(t, n, cand(srv(account.IMAP, "imap.gmail.com", account.TLS), account.Trusted, account.SourceBuiltin))
	p := newStub(t, map[string][]any{
		"email": {"jane@gmial.com", nil}, // the second time: Enter takes the default
		"name":  {"Jane"}, "use-discovered": {0}, "multi-device": {true}, "protocol": {nil},
		"password": {""}, "export": {[]int{}},
	})
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Account.Email.String() != "jane@gmail.com" || p.defs["email"] != "jane@gmail.com" {
		t.Errorf("address %s, default offered %v", res.Account.Email, p.defs["email"])
	}
	if len(*asked) != 1 || (*asked)[0] != "jane@gmail.com" {
		t.Errorf("discovery asked for %v", *asked)
	}
	out := h.out.String()
	for _, want := range []string{"The domain gmial.com does not exist", "Did you mean jane@gmail.com?", "Enter takes jane@gmail.com"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if got := strings.Join(p.asked, ","); !strings.HasPrefix(got, "email,email,name,") {
		t.Errorf("questions %s: want the address twice, before anything else", got)
	}
}

// TestTypoScripted: without a terminal the check's error is returned at
// once (cmd turns it into exit 3), before discovery; with both servers
// given there is nothing to check.
func TestTypoScripted(t *testing.T) {
	n := mailtest.Start(t)
	h, asked := checkedHarness(t, n)
	_, err := Run(context.Background(), h.deps, Answers{Email: "jane@gmial.com", Yes: true})
	var de *autoconfig.DomainError
	if !errors.As(err, &de) || de.Code != autoconfig.CodeDomainNotFound || de.Suggestion != "jane@gmail.com" {
		t.Fatalf("err %#v", err)
	}
	if len(*asked) != 0 {
		t.Errorf("discovery ran for %v", *asked)
	}
	ans := Answers{Email: "jane@gmial.com", Yes: true, NoVerify: true, ExportSet: true,
		IncomingServer: srv(account.IMAP, "imap.example.test", account.TLS), OutgoingServer: srv(account.SMTP, "smtp.example.test", account.TLS)}
	if _, err := Run(context.Background(), h.deps, ans); err != nil {
		t.Errorf("both servers given: %v", err)
	}
}

// TestDNSFailedRetryThenByHand: a refusing DNS server is a network
// problem with its own fix, never a typo; the user checks again, and
// then goes on by hand, which asks for the servers without discovery.
func TestDNSFailedRetryThenByHand(t *testing.T) {
	n := mailtest.Start(t)
	n.DNS().SetRcodeAll(dns.RcodeRefused)
	h, asked := checkedHarness(t, n, cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin))
	p := newStub(t, map[string][]any{
		"dns-failed":   {0, 1}, // check again, then by hand
		"name":         {"Jane"},
		"multi-device": {true}, "protocol": {nil},
		"incoming-host": {"imap.example.test"}, "incoming-security": {nil}, "incoming-port": {nil}, "incoming-username": {nil},
		"outgoing-host": {"smtp.example.test"}, "outgoing-security": {nil}, "outgoing-port": {nil}, "outgoing-username": {nil},
		"password": {""}, "export": {[]int{}},
	})
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(*asked) != 0 || res.Account.Incoming.Host != "imap.example.test" {
		t.Errorf("discovery asked for %v; incoming %+v", *asked, res.Account.Incoming)
	}
	out := h.out.String()
	if strings.Count(out, "could not be checked: the DNS server refused to answer (REFUSED)") != 2 || !strings.Contains(out, "not a spelling mistake") {
		t.Errorf("output:\n%s", out)
	}
	for _, typo := range []string{"does not exist", "Did you mean", "spelling of"} {
		if strings.Contains(out, typo) {
			t.Errorf("a DNS failure reported as a typo (%q):\n%s", typo, out)
		}
	}

	// Scripted: the error, no questions.
	h, _ = checkedHarness(t, n)
	_, err = Run(context.Background(), h.deps, Answers{Email: "jane@example.test", Yes: true})
	var de *autoconfig.DomainError
	if !errors.As(err, &de) || de.Code != autoconfig.CodeDNSFailed {
		t.Errorf("scripted: %#v", err)
	}
}

// TestAddressCheckLang: the typo and DNS-failure screens in Romanian and
// Lithuanian, the DNS reason included, with no English from the
// catalogue.
func TestAddressCheckLang(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.RO, i18n.LT} {
		cat := i18n.New(lang)
		n := mailtest.Start(t)
		h, _ := checkedHarness(t, n, cand(srv(account.IMAP, "imap.example.test", account.TLS), account.Trusted, account.SourceAutoconfig))
		h.deps.Catalog = cat
		h.deps.Prompter = newStub(t, map[string][]any{"email": {"jane@gmial.com", "jane@example.test"}})
		if _, err := Run(context.Background(), h.deps, Answers{NameSet: true, NoVerify: true, ExportSet: true, Yes: true}); err != nil {
			t.Fatalf("%s typo: %v", lang, err)
		}
		typo := h.out.String()
		n.DNS().SetRcodeAll(dns.RcodeRefused)
		h, _ = checkedHarness(t, n)
		h.deps.Catalog = cat
		h.deps.Prompter = newStub(t, map[string][]any{"dns-failed": {2}})
		if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.test"}); !errors.Is(err, ErrQuit) {
			t.Fatalf("%s DNS failure, quit: %v", lang, err)
		}
		out := typo + h.out.String()
		for _, want := range []string{
			cat.T("wizard.domain-not-found", "gmial.com", "jane@gmial.com"), cat.T("wizard.did-you-mean", "jane@gmail.com"),
			cat.T("wizard.dns-failed", "example.test", cat.T("err.dns-reason.refused")), cat.T("wizard.dns-failed-fix"),
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q:\n%s", lang, want, out)
			}
		}
		if leaks := i18n.EnglishLeaks(lang, out, "wizard.", "err."); len(leaks) > 0 {
			t.Errorf("%s: English in the output: %q\n%s", lang, leaks, out)
		}
	}
}

// TestReviewAddressChecked: an address changed at the review is checked
// like the first one: a mistyped domain gets the suggestion, the question
// comes back with it as the default, and the corrected address is kept.
func TestReviewAddressChecked(t *testing.T) {
	n := mailtest.Start(t)
	h, _ := checkedHarness(t, n, cand(srv(account.IMAP, "imap.gmail.com", account.TLS), account.Trusted, account.SourceBuiltin))
	p := newStub(t, map[string][]any{
		"name": {"Jane"}, "use-discovered": {0}, "multi-device": {true}, "protocol": {nil},
		"password": {""}, "export": {[]int{4}}, "output": {nil}, "include-password": {false},
		"review": {reviewChange, reviewWrite}, "review-field": {pickEmail},
		"email": {"joe@gmial.com", nil}, // the second time: Enter takes the suggestion
	})
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@gmail.com"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Account.Email.String() != "joe@gmail.com" || p.defs["email"] != "joe@gmail.com" {
		t.Errorf("address %s, default offered %v", res.Account.Email, p.defs["email"])
	}
	if !strings.Contains(h.out.String(), "The domain gmial.com does not exist") {
		t.Errorf("output:\n%s", h.out.String())
	}
}
