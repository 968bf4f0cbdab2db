package wizard

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/probe"
)

// brokenHarness discovers nothing usable but the given broken servers.
func brokenHarness(broken ...autoconfig.Broken) *harness {
	h := newHarness()
	h.deps.Discover = func(ctx context.Context, addr account.Address) (*autoconfig.Result, error) {
		if len(broken) == 0 {
			return &autoconfig.Result{}, autoconfig.ErrNothingFound
		}
		return &autoconfig.Result{Broken: broken}, autoconfig.ErrFoundBroken
	}
	return h
}

func brokenAt(p account.Protocol, host string, port int) autoconfig.Broken {
	s := account.Server{Protocol: p, Host: host, Port: port, Security: account.TLS, Auth: account.AuthPasswordCleartext, Username: "jane@example.com"}
	return autoconfig.Broken{Source: account.SourceGuess, Server: s,
		Finding: probe.Finding{Severity: probe.SevError, Code: probe.CodeTLSCertExpired, Message: "the certificate expired on 2020-01-01"}}
}

// TestFoundBrokenIsAStartingPoint: servers discovery reached that failed
// the check are listed with source and reason (not "no settings were
// found") and are the defaults the user edits; in a script they are a
// FoundBrokenError.
func TestFoundBrokenIsAStartingPoint(t *testing.T) {
	broken := []autoconfig.Broken{brokenAt(account.IMAP, "imap.example.com", 993), brokenAt(account.SMTP, "mail.example.com", 465)}
	h := brokenHarness(broken...)
	p := newStub(t, map[string][]any{
		"name": {""}, "multi-device": {true}, "protocol": {0},
		"incoming-host": {nil}, "incoming-security": {nil}, "incoming-port": {nil}, "incoming-username": {nil},
		"outgoing-host": {nil}, "outgoing-security": {nil}, "outgoing-port": {nil}, "outgoing-username": {nil},
		"password": {""}, "export": {[]int{}},
	})
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	out := h.out.String()
	for _, want := range []string{"Servers were found for jane@example.com, but none passed the live check:",
		"IMAP imap.example.com:993 SSL/TLS (guess): the certificate expired on 2020-01-01", "SMTP mail.example.com:465 SSL/TLS (guess)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "No settings were found") {
		t.Errorf("reported as nothing found:\n%s", out)
	}
	if p.defs["incoming-host"] != "imap.example.com" || p.defs["outgoing-host"] != "mail.example.com" || p.defs["outgoing-port"] != "465" {
		t.Errorf("defaults %v", p.defs)
	}
	if res.Account.Outgoing.Host != "mail.example.com" {
		t.Errorf("account %+v", res.Account.Outgoing)
	}

	h = brokenHarness(broken...)
	var be *FoundBrokenError
	if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com", Yes: true}); !errors.As(err, &be) || len(be.Broken) != 2 {
		t.Errorf("scripted: %v", err)
	}
}

// TestOutgoingDefaultFollowsTypedIncoming: with nothing found, the
// outgoing default follows the incoming host the user typed (it was
// smtp.<domain>, which had just failed); an outgoing server that was found
// stays the default.
func TestOutgoingDefaultFollowsTypedIncoming(t *testing.T) {
	for _, tt := range []struct {
		broken  []autoconfig.Broken
		typed   string
		wantOut string
	}{
		{nil, "imap.mailhost.example", "smtp.mailhost.example"},
		{nil, "pop.mailhost.example", "smtp.mailhost.example"},
		{nil, "mx1.example.com", "mx1.example.com"},
		{[]autoconfig.Broken{brokenAt(account.SMTP, "out.example.com", 465)}, "imap.mailhost.example", "out.example.com"},
	} {
		h := brokenHarness(tt.broken...)
		p := newStub(t, map[string][]any{
			"name": {""}, "multi-device": {true}, "protocol": {0},
			"incoming-host": {tt.typed}, "incoming-security": {nil}, "incoming-port": {nil}, "incoming-username": {nil},
			"outgoing-host": {nil}, "outgoing-security": {nil}, "outgoing-port": {nil}, "outgoing-username": {nil},
			"password": {""}, "export": {[]int{}},
		})
		h.deps.Prompter = p
		if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"}); err != nil {
			t.Fatal(err)
		}
		if p.defs["outgoing-host"] != tt.wantOut {
			t.Errorf("typed %s: outgoing default %v, want %s", tt.typed, p.defs["outgoing-host"], tt.wantOut)
		}
	}
}
