package autoconfig

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
)

// The provider's texts survive Choose, and a method the user changed
// leaves no stale list of methods behind (issue 16).
func TestChooseKeepsProviderAndMethods(t *testing.T) {
	in := chooseServer(account.IMAP, "imap.example.com", account.TLS)
	in.Auth, in.Auths = account.AuthOAuth2, []account.AuthMethod{account.AuthOAuth2, account.AuthPasswordCleartext}
	c := chooseCand(in, account.Trusted)
	info := &account.ProviderInfo{Enable: &account.Enable{URL: "https://example.com/settings", Instructions: []account.Text{{Text: "Switch on IMAP"}}}}
	c.Account.Provider = info
	res := &Result{Candidates: []*Candidate{c}}

	a, _, err := res.Choose(Preferences{Email: jane}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Provider, info) {
		t.Errorf("provider info lost: %+v", a.Provider)
	}
	if !reflect.DeepEqual(a.Incoming.Auths, in.Auths) {
		t.Errorf("discovered methods changed: %v", a.Incoming.Auths)
	}
	// For another address of the domain (bulk), too.
	a, _, _ = res.Choose(Preferences{Email: john}, false)
	if !reflect.DeepEqual(a.Provider, info) {
		t.Errorf("provider info lost for another address: %+v", a.Provider)
	}

	// The user changed the method (an edited account file read back as
	// the candidate): the provider's list no longer describes the server
	// (Server.Methods ignores it) and is not written either.
	for _, m := range []account.AuthMethod{account.AuthPasswordCleartext, account.AuthNTLM} {
		edited := *c
		edited.Account.Incoming.Auth = m
		a, _, err = (&Result{Candidates: []*Candidate{&edited}}).Choose(Preferences{Email: jane, Pick: &edited}, false)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(a)
		if a.Incoming.Auth != m || a.Incoming.Auths != nil || strings.Contains(string(b), `"oauth2"`) {
			t.Errorf("%s: stale methods in JSON: %s", m, b)
		}
	}
	// A server the user gives replaces the discovered one with its list.
	given := chooseServer(account.IMAP, "imap.other.example", account.TLS)
	a, _, _ = res.Choose(Preferences{Email: jane, IncomingServer: given}, false)
	if a.Incoming.Auths != nil || a.Incoming.Auth != account.AuthPasswordCleartext || !reflect.DeepEqual(a.Provider, info) {
		t.Errorf("given server: %+v, provider %+v", a.Incoming, a.Provider)
	}
}

// An account that keeps a server without encryption is never labelled
// trusted, whoever chose the server: discovery, the user's flags, or a
// discovered candidate with a server the user replaced.
func TestChooseNeverLabelsCleartextTrusted(t *testing.T) {
	tlsIn := chooseServer(account.IMAP, "imap.example.com", account.TLS)
	plainOut := chooseServer(account.SMTP, "smtp.example.com", account.None)
	plainOut.Port = 25
	for name, tc := range map[string]struct {
		res *Result
		p   Preferences
	}{
		"both servers given": {nil, Preferences{Email: jane, IncomingServer: tlsIn, OutgoingServer: plainOut}},
		"outgoing replaced":  {&Result{Candidates: []*Candidate{chooseCand(tlsIn, account.Trusted)}}, Preferences{Email: jane, OutgoingServer: plainOut}},
	} {
		a, ch, err := tc.res.Choose(tc.p, false)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if a.Provenance.Trust == account.Trusted {
			t.Errorf("%s: labelled trusted with %s", name, a.Outgoing)
		}
		if ch.NeedsConfirmation {
			t.Errorf("%s: the user's own server needs confirming", name)
		}
	}
	// Encrypted on both sides: trusted as before.
	a, _, _ := (*Result)(nil).Choose(Preferences{Email: jane, IncomingServer: tlsIn, OutgoingServer: chooseServer(account.SMTP, "smtp.example.com", account.TLS)}, false)
	if a.Provenance.Trust != account.Trusted {
		t.Errorf("encrypted account labelled %s", a.Provenance.Trust)
	}
}
