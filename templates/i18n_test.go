package templates

import (
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/i18n/i18ntest"
)

// TestInstructionsInEveryLanguage renders every format for fixtures that
// reach every instruction (with and without the password, signed and
// not, the Outlook profile made the default or not, a login name that
// does not follow the address, settings too long for a QR code) and
// fails when a Romanian or Lithuanian instruction or warning is the
// English one or holds English from the catalogue, or when the English
// renderings miss a use.* message (a path left untested).
func TestInstructionsInEveryLanguage(t *testing.T) {
	pki := getPKI(t)
	long := fixtures()[0].acct
	long.DisplayName = strings.Repeat("Jürgen Müller ", 3000/len("Jürgen Müller "))
	other := fixtures()[0].acct
	other.Incoming.Username, other.Outgoing.Username = "jdoe", "jdoe" // the domain-wide file guesses
	ntlm := fixtures()[0].acct                                        // Android falls back from NTLM to the password
	ntlm.Incoming = withAuths(ntlm.Incoming, account.AuthNTLM, account.AuthPasswordCleartext)
	accounts := []fixture{{"long-name", long}, {"other-login", other}, {"ntlm-first", ntlm}}
	accounts = append(accounts, fixtures()...)
	variants := []Options{
		{},
		{Password: "s3cret", IncludePassword: true, Sign: &Signer{Cert: pki.ecCert, Key: pki.ecKey}, OutlookDefaultProfile: true},
	}
	english := i18ntest.English("use.")
	var all strings.Builder
	for _, f := range accounts {
		for _, o := range variants {
			for _, format := range Formats() {
				render := func(l i18n.Lang) ([]File, []Warning) {
					o := o
					o.Lang = l
					files, warnings, err := RenderWarn(format, f.acct, o)
					if err != nil {
						t.Fatalf("%s %s %s: %v", f.name, format, l, err)
					}
					return files, warnings
				}
				enFiles, enWarnings := render(i18n.EN)
				for _, fl := range enFiles {
					all.WriteString(fl.Use + "\n")
				}
				for _, w := range enWarnings {
					all.WriteString(w.Message + "\n")
				}
				for _, l := range []i18n.Lang{i18n.RO, i18n.LT} {
					files, warnings := render(l)
					var texts, enTexts []string
					for i, fl := range files {
						texts, enTexts = append(texts, fl.Use), append(enTexts, enFiles[i].Use)
					}
					for i, w := range warnings {
						if w.Code != enWarnings[i].Code {
							t.Errorf("%s %s %s: warning code %q, English has %q", f.name, format, l, w.Code, enWarnings[i].Code)
						}
						texts, enTexts = append(texts, w.Message), append(enTexts, enWarnings[i].Message)
					}
					for i, text := range texts {
						if text == "" || text == enTexts[i] {
							t.Errorf("%s %s %s: %q is not translated", f.name, format, l, text)
						}
						if leaks := i18ntest.Leaks(text, english); len(leaks) > 0 {
							t.Errorf("%s %s %s: English in %q: %v", f.name, format, l, text, leaks)
						}
					}
				}
			}
		}
	}
	// A format left out because it cannot use the servers' only method
	// (OAuth2) is a warning in the run's language.
	oauth := oauth2Only(t)
	_, enSkip, err := RenderEach([]string{"apple", "json"}, oauth, Options{})
	if err != nil || len(enSkip) != 1 {
		t.Fatalf("OAuth2 only: %v %v", enSkip, err)
	}
	all.WriteString(enSkip[0].Message + "\n")
	for _, l := range []i18n.Lang{i18n.RO, i18n.LT} {
		_, ws, _ := RenderEach([]string{"apple", "json"}, oauth, Options{Lang: l})
		if len(ws) != 1 || ws[0].Message == enSkip[0].Message || ws[0].Code != SkippedCode {
			t.Errorf("%s: skip warning %v", l, ws)
		} else if leaks := i18ntest.Leaks(ws[0].Message, english); len(leaks) > 0 {
			t.Errorf("%s: English in %q: %v", l, ws[0].Message, leaks)
		}
	}
	if missed := i18ntest.Uncovered(all.String(), english); len(missed) > 0 {
		t.Errorf("no fixture reaches %v", missed)
	}
}
