package wizard

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/mailsetup/mailsetup/account"
)

// The wizard takes its settings from autoconfig.Result.Choose, the policy
// export and bulk use too. These tests cover where the wizard's own copy
// used to differ.

// TestIncomingProtocolPicksItsCandidate: the protocol asked for takes the
// best candidate offering it, trusted or not, with that candidate's
// confirmation; the wizard used to skip candidates that need confirming
// and guess pop.<host> instead.
func TestIncomingProtocolPicksItsCandidate(t *testing.T) {
	imap := cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin)
	pop := cand(srv(account.POP3, "pop3.provider.test", account.TLS), account.NeedsConfirmation, account.SourceMX)

	// In the terminal: chosen by the IMAP-or-POP3 question, confirmed.
	h := newHarness(imap, pop)
	p := newStub(t, map[string][]any{
		"name": {""}, "use-discovered": {0}, "multi-device": {false}, "tight-quota": {true}, "protocol": {1},
		"confirm-source": {true}, "leave-on-server": {nil}, "days-on-server": {nil}, "password": {""}, "export": {[]int{}},
	})
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Account; a.Incoming.Host != "pop3.provider.test" || a.POP3 == nil || !a.POP3.LeaveOnServer || a.Provenance.Source != account.SourceMX {
		t.Errorf("account %+v %+v", a.Incoming, a.Provenance)
	}
	if !slices.Contains(p.asked, "confirm-source") {
		t.Errorf("the POP3 candidate was not confirmed: asked %v", p.asked)
	}

	// Scripted: --incoming pop3 needs --yes for it, and takes it with --yes.
	h = newHarness(imap, pop)
	var me *MissingError
	_, err = Run(context.Background(), h.deps, Answers{Email: "jane@example.com", Incoming: account.POP3, ExportSet: true})
	if !errors.As(err, &me) || !slices.Contains(me.Answers, AnswerYes) {
		t.Fatalf("untrusted POP3 without --yes: %v", err)
	}
	h = newHarness(imap, pop)
	res, err = Run(context.Background(), h.deps, Answers{Email: "jane@example.com", Incoming: account.POP3, ExportSet: true, Yes: true})
	if err != nil || res.Account.Incoming.Host != "pop3.provider.test" {
		t.Fatalf("untrusted POP3 with --yes: %v %+v", err, res)
	}
}

// TestScriptedProtocolNotFound: a script asking for POP3 where discovery
// found only IMAP gets no guessed server (bulk fails such a row too): it
// is asked for the servers. In the terminal the guess stays a starting
// point the user edits.
func TestScriptedProtocolNotFound(t *testing.T) {
	imap := cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin)
	h := newHarness(imap)
	var me *MissingError
	_, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com", Incoming: account.POP3, Yes: true})
	if !errors.As(err, &me) || !slices.Contains(me.Answers, AnswerServers) || h.exported != nil {
		t.Fatalf("scripted POP3 not found: %v, exported %v", err, h.exported)
	}

	h = newHarness(imap)
	p := newStub(t, map[string][]any{
		"name": {""}, "use-discovered": {0}, "leave-on-server": {nil}, "days-on-server": {nil},
		"incoming-host": {nil}, "incoming-security": {nil}, "incoming-port": {nil}, "incoming-username": {nil},
		"outgoing-host": {nil}, "outgoing-security": {nil}, "outgoing-port": {nil}, "outgoing-username": {nil},
		"password": {""}, "export": {[]int{}},
	})
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com", Incoming: account.POP3})
	if err != nil {
		t.Fatal(err)
	}
	if p.defs["incoming-host"] != "pop.example.com" || res.Account.Incoming.Protocol != account.POP3 || res.Account.Incoming.Port != 995 {
		t.Errorf("terminal: host offered %v, account %+v", p.defs["incoming-host"], res.Account.Incoming)
	}
}
