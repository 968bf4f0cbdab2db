package autoconfig

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

var (
	jane = account.MustParseAddress("jane@example.com")
	john = account.MustParseAddress("john@example.com")
)

func chooseServer(p account.Protocol, host string, sec account.Security) account.Server {
	return account.Server{Protocol: p, Host: host, Port: account.DefaultPort(p, sec), Security: sec,
		Auth: account.AuthPasswordCleartext, Username: "%EMAILADDRESS%"}
}

// chooseCand is a candidate for jane@example.com as discovery makes one:
// usernames expanded, POP3 options set for POP3, the Confirm entries of
// a candidate that needs confirmation (its other domains, then one per
// server without encryption, as markCleartext adds them).
func chooseCand(in account.Server, trust account.Trust, domains ...string) *Candidate {
	a := account.Account{Email: jane, Incoming: in, Outgoing: chooseServer(account.SMTP, "smtp.example.com", account.TLS),
		Provenance: account.Provenance{Source: account.SourceAutoconfig, Trust: trust, Detail: "https://autoconfig.example.com/mail/config-v1.1.xml?emailaddress=jane%40example.com"}}
	if in.Protocol == account.POP3 {
		a.POP3 = &account.POP3Options{LeaveOnServer: true}
	}
	a = a.Expand()
	c := &Candidate{Account: a, Trust: trust, Confirm: slices.Clone(domains)}
	for _, s := range []account.Server{a.Incoming, a.Outgoing} {
		if s.Security == account.None {
			c.Confirm = append(c.Confirm, CleartextConfirm(s))
		}
	}
	return c
}

func TestChoose(t *testing.T) {
	imapTLS := chooseServer(account.IMAP, "imap.example.com", account.TLS)
	trusted := chooseCand(imapTLS, account.Trusted)
	pop := chooseCand(chooseServer(account.POP3, "pop.example.com", account.TLS), account.Trusted)
	popDays := chooseCand(chooseServer(account.POP3, "pop.example.com", account.TLS), account.Trusted)
	popDays.Account.POP3 = &account.POP3Options{LeaveOnServer: true, DaysOnServer: 14}
	otherDomain := chooseCand(chooseServer(account.IMAP, "imap.provider.test", account.TLS), account.NeedsConfirmation, "provider.test")
	plainIn := chooseCand(chooseServer(account.IMAP, "imap.example.com", account.None), account.NeedsConfirmation)
	plainBoth := chooseCand(chooseServer(account.IMAP, "imap.example.com", account.None), account.NeedsConfirmation)
	plainBoth.Account.Outgoing.Security, plainBoth.Account.Outgoing.Port = account.None, 25
	plainBoth.Confirm = []string{CleartextConfirm(plainBoth.Account.Incoming), CleartextConfirm(plainBoth.Account.Outgoing)}
	otherPlain := chooseCand(chooseServer(account.IMAP, "imap.provider.test", account.None), account.NeedsConfirmation, "provider.test")
	httpSource := chooseCand(imapTLS, account.Untrusted) // nothing listed: the source itself needs confirming
	upgraded := chooseCand(chooseServer(account.IMAP, "imap.example.com", account.STARTTLS), account.Trusted)
	upgraded.Upgraded = []string{RoleIncoming}
	// A candidate read for another address of the domain (bulk reuses one
	// discovery per domain).
	forJohn := &Candidate{Trust: account.Trusted, Account: func() account.Account {
		a := trusted.Account
		a.Incoming.Username, a.Outgoing.Username = "jane", "jane@example.com"
		return a
	}()}

	// A source that names no login (some Autodiscover answers) nor an
	// authentication method.
	noLogin := chooseCand(imapTLS, account.Trusted)
	noLogin.Account.Incoming.Username, noLogin.Account.Incoming.Auth = "", account.AuthUnset

	myIMAP := account.Server{Protocol: account.IMAP, Host: "mail.example.org", Port: 143, Security: account.STARTTLS, Auth: account.AuthPasswordCleartext}
	mySMTP := account.Server{Protocol: account.SMTP, Host: "out.example.org", Port: 587, Security: account.STARTTLS, Auth: account.AuthPasswordCleartext}
	myPOP := account.Server{Protocol: account.POP3, Host: "pop.example.org", Port: 995, Security: account.TLS, Auth: account.AuthPasswordCleartext}

	res := func(cs ...*Candidate) *Result { return &Result{Email: jane.String(), Candidates: cs} }
	type want struct {
		err       string // "confirm", "nothing", "protocol", "invalid" or ""
		cand      *Candidate
		in, out   string // Server.String of the account's servers
		inUser    string
		outUser   string
		name      string
		pop3      *account.POP3Options
		domains   []string
		cleartext []string
		upgraded  []string
		source    account.Source
	}
	inOf := func(c *Candidate) string { return c.Account.Incoming.String() }
	smtp := trusted.Account.Outgoing.String()
	tests := []struct {
		name string
		res  *Result
		p    Preferences
		yes  bool
		want want
	}{
		{"trusted candidate", res(trusted), Preferences{Email: jane}, false,
			want{cand: trusted, in: inOf(trusted), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", source: account.SourceAutoconfig}},
		{"other domain needs yes", res(otherDomain), Preferences{Email: jane}, false,
			want{err: "confirm", cand: otherDomain, in: inOf(otherDomain), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", domains: []string{"provider.test"}, source: account.SourceAutoconfig}},
		{"other domain with yes", res(otherDomain), Preferences{Email: jane}, true,
			want{cand: otherDomain, in: inOf(otherDomain), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", domains: []string{"provider.test"}, source: account.SourceAutoconfig}},
		{"source with nothing listed needs yes", res(httpSource), Preferences{Email: jane}, false,
			want{err: "confirm", cand: httpSource, in: inOf(httpSource), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", source: account.SourceAutoconfig}},
		{"cleartext needs confirmation", res(plainIn), Preferences{Email: jane}, false,
			want{err: "confirm", cand: plainIn, in: inOf(plainIn), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", cleartext: []string{"imap.example.com:143"}, source: account.SourceAutoconfig}},
		{"cleartext both servers", res(plainBoth), Preferences{Email: jane}, false,
			want{err: "confirm", cand: plainBoth, in: inOf(plainBoth), out: plainBoth.Account.Outgoing.String(), inUser: "jane@example.com", outUser: "jane@example.com", cleartext: []string{"imap.example.com:143", "smtp.example.com:25"}, source: account.SourceAutoconfig}},
		{"cleartext server replaced: nothing to confirm", res(plainIn), Preferences{Email: jane, IncomingServer: myIMAP}, false,
			want{cand: plainIn, in: myIMAP.String(), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", source: account.SourceAutoconfig}},
		{"cleartext outgoing kept after replacing incoming", res(plainBoth), Preferences{Email: jane, IncomingServer: myIMAP}, false,
			want{err: "confirm", cand: plainBoth, in: myIMAP.String(), out: plainBoth.Account.Outgoing.String(), inUser: "jane@example.com", outUser: "jane@example.com", cleartext: []string{"smtp.example.com:25"}, source: account.SourceAutoconfig}},
		{"other domain still confirmed after replacing its cleartext server", res(otherPlain), Preferences{Email: jane, IncomingServer: myIMAP}, false,
			want{err: "confirm", cand: otherPlain, in: myIMAP.String(), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", domains: []string{"provider.test"}, source: account.SourceAutoconfig}},
		{"override host, port and security", res(trusted), Preferences{Email: jane, IncomingServer: myIMAP}, false,
			want{cand: trusted, in: "IMAP mail.example.org:143 STARTTLS", out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", source: account.SourceAutoconfig}},
		{"override outgoing only", res(trusted), Preferences{Email: jane, OutgoingServer: mySMTP}, false,
			want{cand: trusted, in: inOf(trusted), out: "SMTP out.example.org:587 STARTTLS", inUser: "jane@example.com", outUser: "jane@example.com", source: account.SourceAutoconfig}},
		{"both servers: no discovery needed", nil, Preferences{Email: jane, IncomingServer: myIMAP, OutgoingServer: mySMTP}, false,
			want{in: myIMAP.String(), out: mySMTP.String(), inUser: "jane@example.com", outUser: "jane@example.com", source: account.SourceManual}},
		{"user replaces both usernames", res(trusted), Preferences{Email: jane, User: "j.doe"}, false,
			want{cand: trusted, in: inOf(trusted), out: smtp, inUser: "j.doe", outUser: "j.doe", source: account.SourceAutoconfig}},
		{"given server's username kept", res(trusted), Preferences{Email: jane, IncomingServer: func() account.Server { s := myIMAP; s.Username = "janed"; return s }()}, false,
			want{cand: trusted, in: myIMAP.String(), out: smtp, inUser: "janed", outUser: "jane@example.com", source: account.SourceAutoconfig}},
		{"no login named: the address", res(noLogin), Preferences{Email: jane}, false,
			want{cand: noLogin, in: inOf(noLogin), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", source: account.SourceAutoconfig}},
		{"no login named: the user given", res(noLogin), Preferences{Email: jane, User: "jd"}, false,
			want{cand: noLogin, in: inOf(noLogin), out: smtp, inUser: "jd", outUser: "jd", source: account.SourceAutoconfig}},
		{"name replaces", res(trusted), Preferences{Email: jane, Name: "Jane Doe", NameSet: true}, false,
			want{cand: trusted, in: inOf(trusted), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", name: "Jane Doe", source: account.SourceAutoconfig}},
		{"POP3 default: leave on server", res(pop), Preferences{Email: jane}, false,
			want{cand: pop, in: inOf(pop), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", pop3: &account.POP3Options{LeaveOnServer: true}, source: account.SourceAutoconfig}},
		{"POP3 candidate's days kept", res(popDays), Preferences{Email: jane}, false,
			want{cand: popDays, in: inOf(popDays), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", pop3: &account.POP3Options{LeaveOnServer: true, DaysOnServer: 14}, source: account.SourceAutoconfig}},
		{"POP3 days given", res(popDays), Preferences{Email: jane, POP3: &account.POP3Options{LeaveOnServer: true, DaysOnServer: 7}}, false,
			want{cand: popDays, in: inOf(popDays), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", pop3: &account.POP3Options{LeaveOnServer: true, DaysOnServer: 7}, source: account.SourceAutoconfig}},
		{"POP3 not left on server: no days", res(pop), Preferences{Email: jane, POP3: &account.POP3Options{DaysOnServer: 7}}, false,
			want{cand: pop, in: inOf(pop), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", pop3: &account.POP3Options{}, source: account.SourceAutoconfig}},
		{"POP3 server given: defaults", res(trusted), Preferences{Email: jane, IncomingServer: myPOP}, false,
			want{cand: trusted, in: myPOP.String(), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", pop3: &account.POP3Options{LeaveOnServer: true}, source: account.SourceAutoconfig}},
		{"IMAP has no POP3 options", res(trusted), Preferences{Email: jane, POP3: &account.POP3Options{LeaveOnServer: true, DaysOnServer: 7}}, false,
			want{cand: trusted, in: inOf(trusted), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", source: account.SourceAutoconfig}},
		{"POP3 days over the limit", res(pop), Preferences{Email: jane, POP3: &account.POP3Options{LeaveOnServer: true, DaysOnServer: 99999}}, false,
			want{err: "invalid", cand: pop, in: inOf(pop), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", pop3: &account.POP3Options{LeaveOnServer: true, DaysOnServer: 99999}, source: account.SourceAutoconfig}},
		{"wanted protocol picks its candidate", res(trusted, pop), Preferences{Email: jane, Incoming: account.POP3}, false,
			want{cand: pop, in: inOf(pop), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", pop3: &account.POP3Options{LeaveOnServer: true}, source: account.SourceAutoconfig}},
		{"picked candidate", res(trusted, pop), Preferences{Email: jane, Pick: pop}, false,
			want{cand: pop, in: inOf(pop), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", pop3: &account.POP3Options{LeaveOnServer: true}, source: account.SourceAutoconfig}},
		{"given incoming server: any candidate", res(trusted), Preferences{Email: jane, Incoming: account.POP3, IncomingServer: myPOP}, false,
			want{cand: trusted, in: myPOP.String(), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", pop3: &account.POP3Options{LeaveOnServer: true}, source: account.SourceAutoconfig}},
		{"upgraded kept", res(upgraded), Preferences{Email: jane}, false,
			want{cand: upgraded, in: inOf(upgraded), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", upgraded: []string{RoleIncoming}, source: account.SourceAutoconfig}},
		{"upgraded server replaced", res(upgraded), Preferences{Email: jane, IncomingServer: myIMAP}, false,
			want{cand: upgraded, in: myIMAP.String(), out: smtp, inUser: "jane@example.com", outUser: "jane@example.com", source: account.SourceAutoconfig}},
		{"settings of another address follow this one", res(forJohn), Preferences{Email: john}, false,
			want{cand: forJohn, in: inOf(forJohn), out: smtp, inUser: "john", outUser: "john@example.com", source: account.SourceAutoconfig}},
		{"no candidate", res(), Preferences{Email: jane}, true, want{err: "nothing"}},
		{"no result", nil, Preferences{Email: jane, IncomingServer: myIMAP}, true, want{err: "nothing"}},
		{"no candidate with the protocol", res(trusted), Preferences{Email: jane, Incoming: account.POP3}, true, want{err: "protocol"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ch, err := tt.res.Choose(tt.p, tt.yes)
			var ce *ConfirmError
			var nc *NoCandidateError
			switch w := tt.want.err; {
			case w == "" && err != nil:
				t.Fatalf("err %v", err)
			case w == "confirm" && !errors.As(err, &ce):
				t.Fatalf("err %v, want a ConfirmError", err)
			case w == "nothing" && !errors.Is(err, ErrNothingFound):
				t.Fatalf("err %v, want ErrNothingFound", err)
			case w == "protocol" && (!errors.As(err, &nc) || nc.Protocol != tt.p.Incoming):
				t.Fatalf("err %v, want a NoCandidateError for %s", err, tt.p.Incoming)
			case w == "invalid" && !account.IsFieldError(err):
				t.Fatalf("err %v, want a validation error", err)
			}
			if tt.want.err == "nothing" || tt.want.err == "protocol" {
				return
			}
			if ce != nil && !reflect.DeepEqual(ce.Choice, ch) {
				t.Errorf("ConfirmError's choice %+v, returned %+v", ce.Choice, ch)
			}
			w := tt.want
			if ch.Candidate != w.cand {
				t.Errorf("candidate %v, want %v", ch.Candidate, w.cand)
			}
			if got := a.Incoming.String(); got != w.in {
				t.Errorf("incoming %s, want %s", got, w.in)
			}
			if got := a.Outgoing.String(); got != w.out {
				t.Errorf("outgoing %s, want %s", got, w.out)
			}
			if a.Incoming.Auth == account.AuthUnset || a.Outgoing.Auth == account.AuthUnset {
				t.Errorf("authentication unset: %s, %s", a.Incoming.Auth, a.Outgoing.Auth)
			}
			if a.Incoming.Username != w.inUser || a.Outgoing.Username != w.outUser {
				t.Errorf("usernames %q, %q, want %q, %q", a.Incoming.Username, a.Outgoing.Username, w.inUser, w.outUser)
			}
			if a.Email != tt.p.Email || a.DisplayName != w.name || a.Provenance.Source != w.source {
				t.Errorf("email %s, name %q, source %s", a.Email, a.DisplayName, a.Provenance.Source)
			}
			if !reflect.DeepEqual(a.POP3, w.pop3) {
				t.Errorf("POP3 %+v, want %+v", a.POP3, w.pop3)
			}
			if ch.NeedsConfirmation != (len(w.domains)+len(w.cleartext) > 0 || w.err == "confirm") {
				t.Errorf("needs confirmation %v", ch.NeedsConfirmation)
			}
			if !slices.Equal(ch.Domains, w.domains) || !slices.Equal(ch.Cleartext, w.cleartext) || !slices.Equal(ch.Upgraded, w.upgraded) {
				t.Errorf("domains %q, cleartext %q, upgraded %q; want %q, %q, %q", ch.Domains, ch.Cleartext, ch.Upgraded, w.domains, w.cleartext, w.upgraded)
			}
			if a.POP3 != nil && w.cand != nil && a.POP3 == w.cand.Account.POP3 {
				t.Error("the account shares its POP3 options with the candidate")
			}
			if err == nil {
				if err := a.Validate(); err != nil {
					t.Errorf("chosen account invalid: %v", err)
				}
			}
		})
	}
}

// TestChooseRetargetDetail: settings discovered for one address, used for
// another, name the other address in their provenance, and the
// candidate is left as it was.
func TestChooseRetargetDetail(t *testing.T) {
	c := chooseCand(chooseServer(account.IMAP, "imap.example.com", account.TLS), account.Trusted)
	before := c.Account
	a, _, err := (&Result{Candidates: []*Candidate{c}}).Choose(Preferences{Email: john}, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://autoconfig.example.com/mail/config-v1.1.xml?emailaddress=john%40example.com"; a.Provenance.Detail != want {
		t.Errorf("detail %q, want %q", a.Provenance.Detail, want)
	}
	if !reflect.DeepEqual(c.Account, before) {
		t.Errorf("candidate changed: %+v", c.Account)
	}
}

// TestChoiceConfirmIn: what needs confirming is listed in the run's
// language, domains first, then the unencrypted connections.
func TestChoiceConfirmIn(t *testing.T) {
	ch := Choice{Domains: []string{"provider.test"}, Cleartext: []string{"imap.example.com:143"}}
	for _, lang := range []i18n.Lang{i18n.EN, i18n.RO, i18n.LT} {
		cat := i18n.New(lang)
		got := ch.ConfirmIn(cat)
		want := []string{"provider.test", cat.T("err.confirm-cleartext", "imap.example.com:143")}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
}

// TestChooseNoUserForNoSignIn: a server that takes no sign-in (the ISPDB
// lists port-25 relays with authentication none) gets no user name, not
// the address nor --user; a server that signs in gets them as before.
func TestChooseNoUserForNoSignIn(t *testing.T) {
	c := chooseCand(chooseServer(account.IMAP, "imap.example.com", account.TLS), account.Trusted)
	c.Account.Outgoing = account.Server{Protocol: account.SMTP, Host: "smtp.example.com", Port: 25, Security: account.STARTTLS, Auth: account.AuthNone}
	res := &Result{Candidates: []*Candidate{c}}
	for _, user := range []string{"", "jdoe"} {
		a, _, err := res.Choose(Preferences{Email: jane, User: user}, true)
		if err != nil {
			t.Fatal(err)
		}
		if a.Outgoing.Username != "" {
			t.Errorf("user %q: the no-sign-in server got user name %q", user, a.Outgoing.Username)
		}
		want := user
		if want == "" {
			want = jane.String()
		}
		if a.Incoming.Username != want {
			t.Errorf("user %q: incoming user name %q, want %q", user, a.Incoming.Username, want)
		}
	}
}
