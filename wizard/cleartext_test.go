package wizard

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
	"github.com/mailsetup/mailsetup/templates"
)

// plainAutoconfig serves an autoconfig file listing IMAP 143 and SMTP 587
// without encryption; unless withSTARTTLS, the IMAP server also stops
// offering STARTTLS.
func plainAutoconfig(t *testing.T, withSTARTTLS bool) *mailtest.Network {
	t.Helper()
	n := mailtest.Start(t)
	n.ServePlainAutoconfig(!withSTARTTLS)
	return n
}

// realDiscovery makes the harness discover through autoconfig against n.
func (h *harness) realDiscovery(n *mailtest.Network) {
	h.deps.Discover = func(ctx context.Context, addr account.Address) (*autoconfig.Result, error) {
		return autoconfig.Discover(ctx, addr, autoconfig.Options{
			Resolver: &netx.Resolver{Server: n.ResolverAddr(), Timeout: time.Second}, Dialer: n, RootCAs: n.CAPool(),
			ISPDB: "off", Only: []account.Source{account.SourceAutoconfig}, PhaseTimeout: 2 * time.Second,
		})
	}
}

// TestCleartextNeedsExplicitChoice: discovered settings without
// encryption are used only after an explicit yes (default no); a no with
// no alternative goes to editing; scripts need --yes; the summary and the
// result warn.
func TestCleartextNeedsExplicitChoice(t *testing.T) {
	n := plainAutoconfig(t, false)
	h := newHarness()
	h.realDiscovery(n)
	p := newStub(t, map[string][]any{
		"name": {""}, "confirm-cleartext": {true}, "outgoing-starttls": {nil}, "use-discovered": {0}, "multi-device": {true}, "protocol": {0},
		"password": {""}, "export": {[]int{}},
	})
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: mailtest.DefaultUser})
	if err != nil {
		t.Fatal(err)
	}
	if p.defs["confirm-cleartext"] != false || slices.Contains(p.asked, "confirm-source") {
		t.Errorf("questions %v, cleartext default %v: want only the cleartext confirmation, default no", p.asked, p.defs["confirm-cleartext"])
	}
	if res.Account.Incoming.Security != account.None || res.Account.Outgoing.Security != account.STARTTLS {
		t.Errorf("account %v + %v", res.Account.Incoming, res.Account.Outgoing)
	}
	out := h.out.String()
	for _, want := range []string{"Checked: imap.example.test:143 answers, without encryption.", "Checked: smtp.example.test:587 answers with a valid TLS certificate.",
		"Warning: imap.example.test:143 is not encrypted"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "The servers answered with valid TLS certificates.") {
		t.Errorf("output claims valid TLS for a cleartext connection:\n%s", out)
	}
	if summary := out[strings.Index(out, "Done."):]; !strings.Contains(summary, "Warning: imap.example.test:143 is not encrypted") {
		t.Errorf("summary lacks the warning:\n%s", summary)
	}
	if !slices.ContainsFunc(res.Warnings, func(w templates.Warning) bool { return w.Code == "security.none" }) {
		t.Errorf("result warnings %v", res.Warnings)
	}

	// No: with only this candidate, the servers are edited.
	h = newHarness()
	h.realDiscovery(n)
	h.deps.Prompter = newStub(t, map[string][]any{
		"name": {""}, "confirm-cleartext": {nil}, "outgoing-starttls": {nil}, "use-discovered": {0}, "multi-device": {true}, "protocol": {0},
		"incoming-host": {nil}, "incoming-security": {0}, "incoming-port": {nil}, "incoming-username": {nil},
		"outgoing-host": {nil}, "outgoing-security": {nil}, "outgoing-port": {nil}, "outgoing-username": {nil},
		"password": {""}, "export": {[]int{}},
	})
	res, err = Run(context.Background(), h.deps, Answers{Email: mailtest.DefaultUser})
	if err != nil || res.Account.Incoming.Security != account.TLS || res.Account.Incoming.Port != 993 {
		t.Errorf("refused cleartext: %v, %+v", err, res)
	}

	// Scripts: a MissingError naming Yes and the connection; Yes takes it.
	h = newHarness()
	h.realDiscovery(n)
	_, err = Run(context.Background(), h.deps, Answers{Email: mailtest.DefaultUser, NoVerify: true, ExportSet: true})
	var me *MissingError
	if !errors.As(err, &me) || !slices.Contains(me.Answers, AnswerYes) || !strings.Contains(me.Question, "imap.example.test:143 is not encrypted") {
		t.Errorf("scripted without --yes: %v", err)
	}
	if _, err := Run(context.Background(), h.deps, Answers{Email: mailtest.DefaultUser, NoVerify: true, Yes: true, ExportSet: true}); err != nil {
		t.Errorf("scripted --yes: %v", err)
	}
}

// TestCleartextSTARTTLSProposed: when the servers offer STARTTLS the
// wizard proposes it (default yes); keeping it needs no cleartext
// confirmation; refusing it takes a second explicit answer.
func TestCleartextSTARTTLSProposed(t *testing.T) {
	n := plainAutoconfig(t, true)
	h := newHarness()
	h.realDiscovery(n)
	p := newStub(t, map[string][]any{
		"name": {""}, "incoming-starttls": {nil}, "outgoing-starttls": {nil}, "use-discovered": {0}, "multi-device": {true}, "protocol": {0},
		"password": {""}, "export": {[]int{}},
	})
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: mailtest.DefaultUser})
	if err != nil {
		t.Fatal(err)
	}
	if p.defs["incoming-starttls"] != true || p.defs["outgoing-starttls"] != true {
		t.Errorf("STARTTLS proposals default to %v, %v; want yes", p.defs["incoming-starttls"], p.defs["outgoing-starttls"])
	}
	if res.Account.Incoming.Security != account.STARTTLS || res.Account.Outgoing.Security != account.STARTTLS {
		t.Errorf("account %v + %v", res.Account.Incoming, res.Account.Outgoing)
	}
	if out := h.out.String(); !strings.Contains(out, "imap.example.test:143 offers STARTTLS and it passed the check") {
		t.Errorf("output lacks the STARTTLS note:\n%s", out)
	}
	if len(res.Warnings) != 2 || res.Warnings[0].Code != "security.starttls-upgraded" {
		t.Errorf("warnings %v", res.Warnings)
	}

	// Refusing STARTTLS for the outgoing server and confirming no encryption.
	h = newHarness()
	h.realDiscovery(n)
	p = newStub(t, map[string][]any{
		"name": {""}, "incoming-starttls": {true}, "outgoing-starttls": {false}, "outgoing-security-none": {true},
		"use-discovered": {0}, "multi-device": {true}, "protocol": {0}, "password": {""}, "export": {[]int{}},
	})
	h.deps.Prompter = p
	res, err = Run(context.Background(), h.deps, Answers{Email: mailtest.DefaultUser})
	if err != nil {
		t.Fatal(err)
	}
	if p.defs["outgoing-security-none"] != false || res.Account.Outgoing.Security != account.None || res.Account.Incoming.Security != account.STARTTLS {
		t.Errorf("default %v, account %v + %v", p.defs["outgoing-security-none"], res.Account.Incoming, res.Account.Outgoing)
	}
	if !strings.Contains(h.out.String(), "Warning: smtp.example.test:587 is not encrypted") {
		t.Errorf("summary lacks the warning:\n%s", h.out.String())
	}
}
