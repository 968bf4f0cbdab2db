package templates

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/i18n/i18ntest"
)

// sheetLangFixtures are the accounts that together reach every sheet.*
// message: the golden fixtures (IMAP, POP3 keeping mail 14 days, IDN,
// special characters, STARTTLS, POP3 without encryption deleting mail),
// and POP3 with the default and the plural forms of the days, OAuth2,
// every authentication method, no user name, a name too long for a QR
// code and one without a name.
func sheetLangFixtures() []fixture {
	out := fixtures()
	imap, pop := fixtures()[0].acct, fixtures()[1].acct
	add := func(name string, base account.Account, mod func(a *account.Account)) {
		a := base
		mod(&a)
		out = append(out, fixture{name, a})
	}
	add("pop3-default", pop, func(a *account.Account) { a.POP3 = nil })
	add("pop3-keep", pop, func(a *account.Account) { a.POP3 = &account.POP3Options{LeaveOnServer: true} })
	for _, days := range []int{1, 2, 21, 30} {
		add("pop3-days", pop, func(a *account.Account) { a.POP3 = &account.POP3Options{LeaveOnServer: true, DaysOnServer: days} })
	}
	add("oauth2", imap, func(a *account.Account) { a.Incoming.Auth, a.Outgoing.Auth = account.AuthOAuth2, account.AuthOAuth2 })
	add("ntlm", imap, func(a *account.Account) { a.Incoming.Auth = account.AuthNTLM })
	add("gssapi", imap, func(a *account.Account) { a.Outgoing.Auth = account.AuthGSSAPI })
	add("encrypted", imap, func(a *account.Account) {
		a.Incoming.Auth, a.Outgoing.Auth = account.AuthPasswordEncrypted, account.AuthPasswordEncrypted
	})
	add("client-cert", imap, func(a *account.Account) { a.Incoming.Auth = account.AuthTLSClientCert })
	add("no-auth", imap, func(a *account.Account) { a.Outgoing.Auth, a.Outgoing.Username = account.AuthNone, "" })
	add("client-ip", imap, func(a *account.Account) { a.Outgoing.Auth, a.Outgoing.Username = account.AuthClientIP, "" })
	add("none-out", imap, func(a *account.Account) { a.Outgoing.Security = account.None })
	add("gssapi-first", imap, func(a *account.Account) {
		a.Incoming = withAuths(a.Incoming, account.AuthGSSAPI, account.AuthPasswordCleartext)
	})
	add("no-name", imap, func(a *account.Account) { a.DisplayName = "" })
	add("long-name", imap, func(a *account.Account) { a.DisplayName = strings.Repeat("Jürgen Müller ", 250) })
	return out
}

// sheetText returns what a person reads in an HTML sheet: its text and
// its attributes' text (the QR code's alt text).
func sheetReadable(t *testing.T, page []byte) (string, *html.Node) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(nodeText(doc))
	for _, n := range findAll(doc, func(*html.Node) bool { return true }) {
		if alt, ok := attr(n, "alt"); ok {
			b.WriteString("\n" + alt)
		}
	}
	return b.String(), doc
}

// TestSheetInEveryLanguage renders the sheet in Romanian and Lithuanian
// for fixtures that reach every sheet.* message and fails when English
// from the catalogue is left in it (menu names kept in English are in
// quotes, which the check allows), when the page does not say its
// language, or when a message is never shown (in any language: then a
// code path is untested or prints its own words).
func TestSheetInEveryLanguage(t *testing.T) {
	english := i18ntest.English("sheet.")
	if len(english) < 200 {
		t.Fatalf("only %d sheet.* messages", len(english))
	}
	seen := map[i18n.Lang]*strings.Builder{}
	for _, l := range i18n.Supported {
		seen[l] = &strings.Builder{}
	}
	for _, f := range sheetLangFixtures() {
		for _, l := range i18n.Supported {
			h, m := sheetFiles(t, f.acct, Options{Lang: l})
			text, doc := sheetReadable(t, h.Data)
			seen[l].WriteString(text + "\n" + string(m.Data) + "\n")
			root := findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Html })
			if lang, _ := attr(root[0], "lang"); lang != string(l) {
				t.Errorf("%s %s: <html lang=%q>", f.name, l, lang)
			}
			if l == i18n.EN {
				continue
			}
			for name, out := range map[string]string{"html": text, "md": string(m.Data)} {
				if leaks := i18ntest.Leaks(out, english); len(leaks) > 0 {
					t.Errorf("%s %s %s: English left: %v", f.name, l, name, leaks)
				}
			}
		}
	}
	// Settings that failed the live check get a warning naming why.
	for _, l := range i18n.Supported {
		h, m := sheetFiles(t, fixtures()[0].acct, Options{Lang: l, CheckFailed: "imap.example.com:993"})
		text, _ := sheetReadable(t, h.Data)
		seen[l].WriteString(text + "\n" + string(m.Data) + "\n")
		for name, out := range map[string]string{"html": text, "md": string(m.Data)} {
			if leaks := i18ntest.Leaks(out, english); l != i18n.EN && len(leaks) > 0 {
				t.Errorf("check failed %s %s: English left: %v", l, name, leaks)
			}
		}
	}
	// A user name with a control character (which Validate refuses, so
	// only newSheetData sees it) gets the last QR note.
	bad := fixtures()[0].acct.Expand()
	bad.Incoming.Username = "jane\tdoe"
	for _, l := range i18n.Supported {
		seen[l].WriteString(string(newSheetData(bad, l).QRNote.MD))
	}
	for _, l := range i18n.Supported {
		if missed := i18ntest.Uncovered(seen[l].String(), i18ntest.Messages(l, "sheet.")); len(missed) > 0 {
			t.Errorf("%s: no fixture shows %v", l, missed)
		}
	}
}

// sameInEveryLanguage are the sheet.* messages a language may keep as in
// English because the word is the same (in the language, or in the app's
// own translation).
var sameInEveryLanguage = map[i18n.Lang][]string{
	i18n.RO: {"sheet.row.protocol", "sheet.row.server", "sheet.row.port", "sheet.val.k9.starttls"},
	i18n.LT: {"sheet.val.k9.starttls"},
}

var nonLetterRE = regexp.MustCompile(`[^\pL]+`)

// TestSheetMessagesTranslated fails when a Romanian or Lithuanian sheet.*
// message is its English text, unless it is only names, format verbs and
// punctuation, a word the language shares, or a menu name kept in English
// in the language's quotes.
func TestSheetMessagesTranslated(t *testing.T) {
	english := i18ntest.English("sheet.")
	for _, l := range []i18n.Lang{i18n.RO, i18n.LT} {
		own := i18ntest.Messages(l, "sheet.")
		for k, en := range english {
			v := own[k]
			if v != en {
				continue
			}
			rest := i18n.VerbRE.ReplaceAllString(v, " ")
			for _, n := range i18ntest.Names {
				rest = strings.ReplaceAll(rest, n, " ")
			}
			if nonLetterRE.ReplaceAllString(rest, "") == "" || contains(sameInEveryLanguage[l], k) {
				continue
			}
			t.Errorf("%s %s is the English %q", l, k, v)
		}
	}
	// Every menu, button and field name is in the language's quotes, and
	// so is a value the app shows in English.
	quotes := map[i18n.Lang][2]string{i18n.RO: {"„", "”"}, i18n.LT: {"„", "“"}}
	for _, l := range []i18n.Lang{i18n.RO, i18n.LT} {
		for k, v := range i18ntest.Messages(l, "sheet.ui.", "sheet.val.") {
			quoted := strings.HasPrefix(v, quotes[l][0]) && strings.HasSuffix(v, quotes[l][1]) && !strings.Contains(v[len(quotes[l][0]):len(v)-len(quotes[l][1])], quotes[l][1])
			if strings.HasPrefix(k, "sheet.ui.") && !quoted || v == english[k] && !contains(sameInEveryLanguage[l], k) ||
				strings.ContainsAny(v, `"“”„`) && !quoted {
				t.Errorf("%s %s = %q: want the app's name in %s…%s", l, k, v, quotes[l][0], quotes[l][1])
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestSheetRomanianReads spot-checks a Romanian and a Lithuanian sheet:
// the words around the values are the catalogue's, and the values (host,
// port, user name, address) stay as they are.
func TestSheetRomanianReads(t *testing.T) {
	a := fixtures()[1].acct // POP3, 14 days
	for l, want := range map[i18n.Lang][]string{
		i18n.RO: {"Configurarea e-mailului pentru max@example.org", "Ștergeți-le de pe server după 14 zile.", "Server de ieșire (SMTP)", "Intrare", "Ieșire", "Pas cu pas",
			"<code>pop.example.org</code>", "<code>995</code>", "<strong>„Settings”</strong>"},
		i18n.LT: {"El. pašto nustatymas adresui max@example.org", "Ištrinti juos iš serverio po 14 dienų.", "Gaunamieji", "Siunčiamieji", "Žingsnis po žingsnio",
			"<code>pop.example.org</code>", "<code>995</code>", "<strong>„Settings“</strong>"},
	} {
		h, m := sheetFiles(t, a, Options{Lang: l})
		page := string(h.Data) + string(m.Data)
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s sheet lacks %q", l, w)
			}
		}
	}
}

// TestSheetLanguageFallback renders an unsupported language as English.
func TestSheetLanguageFallback(t *testing.T) {
	h, _ := sheetFiles(t, fixtures()[0].acct, Options{Lang: "de"})
	en, _ := sheetFiles(t, fixtures()[0].acct, Options{})
	if !bytes.Equal(h.Data, en.Data) || !bytes.Contains(h.Data, []byte(`<html lang="en">`)) {
		t.Error("an unsupported language does not give the English sheet")
	}
}

// TestSheetConcurrentLanguages renders every language from many
// goroutines at once, as bulk does (go test -race checks the lazy
// per-language set-up), and compares with a render made alone.
func TestSheetConcurrentLanguages(t *testing.T) {
	a := fixtures()[1].acct
	want := map[i18n.Lang][]byte{}
	for _, l := range i18n.Supported {
		h, _ := sheetFiles(t, a, Options{Lang: l})
		want[l] = h.Data
	}
	sheetLangs.Clear() // so the goroutines race to set the languages up
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := i18n.Supported[i%len(i18n.Supported)]
			files, err := Render("sheet", a, Options{Lang: l})
			if err != nil || !bytes.Equal(files[0].Data, want[l]) {
				errs <- fmt.Sprintf("%s: %v or a different page", l, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestSheetGoldenLang keeps the Romanian and Lithuanian Markdown sheets of
// two fixtures (POP3 keeping mail 14 days, POP3 without encryption
// deleting mail) as golden files, so a change of wording shows in review.
func TestSheetGoldenLang(t *testing.T) {
	for _, l := range []i18n.Lang{i18n.RO, i18n.LT} {
		for _, f := range []fixture{fixtures()[1], fixtures()[5]} {
			_, m := sheetFiles(t, f.acct, Options{Lang: l})
			golden(t, "sheet/"+string(l)+"-"+f.name+"/setup-sheet.md", m.Data)
		}
	}
}
