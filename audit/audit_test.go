package audit

import (
	"os"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// TestClientsDocumented: CLIENTS.md has a section for every modelled
// client, naming the version its rule set describes.
func TestClientsDocumented(t *testing.T) {
	doc, err := os.ReadFile("CLIENTS.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules {
		if !strings.Contains(string(doc), "## "+string(r.Client)+":") {
			t.Errorf("CLIENTS.md has no section \"## %s: ...\"", r.Client)
		}
		if r.Version == "" {
			t.Errorf("%s: no version", r.Client)
		}
	}
}

// TestCatalogue: every code and client has its words in every language.
func TestCatalogue(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.EN, i18n.RO, i18n.LT} {
		c := i18n.New(lang)
		var keys []string
		for _, code := range Catalogue {
			keys = append(keys, "audit."+string(code)+".message", "audit."+string(code)+".fix")
		}
		for _, r := range Rules {
			keys = append(keys, "audit.client."+string(r.Client))
			if !r.Informational {
				keys = append(keys, "audit.fix-for."+string(r.Client))
			}
		}
		for _, k := range keys {
			if _, ok := c.Lookup(k); !ok {
				t.Errorf("%s: no %s", lang, k)
			}
		}
	}
}

func cand(src account.Source, trust account.Trust, in, out account.Server) *autoconfig.Candidate {
	return &autoconfig.Candidate{Trust: trust, Account: account.Account{Incoming: in, Outgoing: out,
		Provenance: account.Provenance{Source: src, Trust: trust, Detail: string(src)}},
		Verification: &autoconfig.Verification{OK: true}}
}

var (
	imapTLS   = account.Server{Protocol: account.IMAP, Host: "imap.d.test", Port: 993, Security: account.TLS}
	imapPlain = account.Server{Protocol: account.IMAP, Host: "imap.d.test", Port: 143, Security: account.None}
	smtpTLS   = account.Server{Protocol: account.SMTP, Host: "smtp.d.test", Port: 465, Security: account.TLS}
)

func survey(ss ...autoconfig.SourceSurvey) *autoconfig.SurveyResult {
	return &autoconfig.SurveyResult{Email: "postmaster@d.test", Sources: ss}
}

// TestAndroidRefusesPlainAndUnsignedMX: K-9's rules; Thunderbird takes
// the same answers.
func TestAndroidRefusesPlainAndUnsignedMX(t *testing.T) {
	addr := account.MustParseAddress("postmaster@d.test")
	// A document with one unencrypted server is refused whole.
	rep := Analyze(addr, survey(autoconfig.SourceSurvey{Source: account.SourceAutoconfig, Tried: true,
		Candidates: []*autoconfig.Candidate{cand(account.SourceAutoconfig, account.Trusted, imapTLS, smtpTLS), cand(account.SourceAutoconfig, account.Trusted, imapPlain, smtpTLS)}}))
	tb, k9 := rep.Clients[0], rep.Clients[1]
	if tb.Settings == nil || !tb.Settings.Incoming.SameEndpoint(imapTLS) {
		t.Errorf("thunderbird: %+v", tb)
	}
	if k9.Settings != nil || k9.Nothing != NothingRefused {
		t.Errorf("android took a document with a plain server: %+v", k9)
	}
	// MX-derived without DNSSEC: refused; with it: taken.
	for _, trust := range []account.Trust{account.NeedsConfirmation, account.Trusted} {
		rep = Analyze(addr, survey(autoconfig.SourceSurvey{Source: account.SourceMX, Tried: true,
			Candidates: []*autoconfig.Candidate{cand(account.SourceMX, trust, imapTLS, smtpTLS)}}))
		k9 = rep.Clients[1]
		if got := k9.Settings != nil; got != (trust == account.Trusted) {
			t.Errorf("MX %s: android settings %v", trust, k9.Settings)
		}
	}
}

// TestStatus: the exit rule. Cleartext is an error even when every
// client agrees; Apple Mail's lack of discovery is not.
func TestStatus(t *testing.T) {
	addr := account.MustParseAddress("postmaster@d.test")
	all := func(in account.Server) *autoconfig.SurveyResult {
		var ss []autoconfig.SourceSurvey
		for _, s := range []account.Source{account.SourceAutoconfig, account.SourceAutodiscover, account.SourceSRV} {
			ss = append(ss, autoconfig.SourceSurvey{Source: s, Tried: true, Candidates: []*autoconfig.Candidate{cand(s, account.Trusted, in, smtpTLS)}})
		}
		return survey(ss...)
	}
	if rep := Analyze(addr, all(imapTLS)); rep.Status != StatusOK {
		t.Errorf("all agree: %s %+v", rep.Status, rep.Findings)
	}
	rep := Analyze(addr, all(imapPlain))
	if rep.Status != StatusBroken || !hasCode(rep, CodeCleartext) {
		t.Errorf("cleartext: %s %+v", rep.Status, rep.Findings)
	}
	if rep := Analyze(addr, survey()); rep.Status != StatusNothing || !hasCode(rep, CodeNothingPublished) {
		t.Errorf("nothing: %s", rep.Status)
	}
}

func hasCode(r *Report, c Code) bool {
	for _, f := range r.Findings {
		if f.Code == c {
			return true
		}
	}
	return false
}
