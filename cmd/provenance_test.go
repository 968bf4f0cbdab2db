package cmd

import (
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// TestProvenanceDetailGuess: guessed settings name the host names tried,
// one host once, in the run's language.
func TestProvenanceDetailGuess(t *testing.T) {
	srv := func(h string) account.Server { return account.Server{Host: h} }
	for _, tc := range []struct {
		lang    i18n.Lang
		in, out string
		want    string
	}{
		{i18n.EN, "imap.x.test", "smtp.x.test", "guessed imap.x.test and smtp.x.test"},
		{i18n.EN, "mail.x.test", "mail.x.test", "guessed mail.x.test"},
		{i18n.RO, "mail.x.test", "mail.x.test", "ghicite: mail.x.test"},
		{i18n.LT, "imap.x.test", "smtp.x.test", "atspėti imap.x.test ir smtp.x.test"},
	} {
		a := account.Account{Incoming: srv(tc.in), Outgoing: srv(tc.out), Provenance: account.Provenance{Source: account.SourceGuess}}
		if got := provenanceDetail(i18n.New(tc.lang), a); got != tc.want {
			t.Errorf("%s %s/%s: %q, want %q", tc.lang, tc.in, tc.out, got, tc.want)
		}
	}
}
