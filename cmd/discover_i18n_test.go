package cmd

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// TestDiscoverLangRO runs discover with --lang ro against the in-process
// network: found by autoconfig, found by SRV outside the domain (needs
// confirmation), nothing found (the trail) and the offline database with
// provider notes. Labels, source names, trust words and reasons, the
// Verified line, the trail's outcomes and mailsetup's own details and notes
// are Romanian, and no English text of the catalogue shows.
func TestDiscoverLangRO(t *testing.T) {
	n := mailtest.Start(t)
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", Body: `<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
<incomingServer type="imap"><hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`})
	ro := i18n.New(i18n.RO)
	var all strings.Builder
	check := func(name string, code, wantCode int, out, errOut string, wants ...string) {
		t.Helper()
		all.WriteString(out + errOut)
		if code != wantCode {
			t.Errorf("%s: exit %d, want %d\n%s\n%s", name, code, wantCode, out, errOut)
		}
		for _, w := range wants {
			if !strings.Contains(out+errOut, w) {
				t.Errorf("%s: output lacks %q:\n%s\n%s", name, w, out, errOut)
			}
		}
	}

	code, out, errOut := runNet(t, n, "", "discover", "jane@example.test", "--ispdb", "off", "--lang", "ro")
	check("autoconfig", code, ExitOK, out, errOut,
		"Setări recomandate pentru jane@example.test",
		"Server de intrare (IMAP)", "imap.example.test portul 993, SSL/TLS, nume de utilizator jane@example.test",
		"Server de ieșire (SMTP)",
		"Sursa", ro.T("discover.source.autoconfig"),
		"Încredere", "de încredere: fișierul autoconfig al furnizorului, prin HTTPS (autoconfig.example.test)",
		"Verificat", "da: imap.example.test:993 răspunde cu TLS valid; smtp.example.test:465 răspunde cu TLS valid")

	// SRV records pointing outside the domain: needs confirmation.
	n.AddMailDomain("other.test")
	n.AddHost("imap.other.test", mailtest.IMAPS)
	n.AddHost("smtp.other.test", mailtest.Submissions)
	n.DNS().AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.other.test")
	n.DNS().AddSRV("_submissions._tcp.example.test", 0, 1, 465, "smtp.other.test")
	code, out, errOut = runNet(t, n, "", "discover", "jane@example.test", "--ispdb", "off", "--sources", "srv", "--lang", "ro")
	check("srv", code, ExitOK, out, errOut,
		"necesită confirmare", "ținta SRV imap.other.test se află în afara domeniului example.test, iar răspunsul nu este validat prin DNSSEC",
		"Confirmare", "aceste setări implică", ro.T("discover.source.srv"))

	// Nothing found: the trail's outcomes and details, and the error.
	n.DNS().AddTXT("nowhere.test", "v=spf1 -all") // the domain exists, but serves no mail settings
	code, out, errOut = runNet(t, n, "", "discover", "jane@nowhere.test", "--ispdb", "off", "--sources", "builtin,autoconfig,mx,srv", "--lang", "ro")
	check("nothing", code, ExitNotFound, out, errOut,
		"Nu s-au găsit setări pentru jane@nowhere.test. Căutări încercate:",
		ro.T("discover.source.builtin"), "nimic", "nu se află în baza de date integrată",
		"mailsetup: eroare: nu s-au găsit setări pentru jane@nowhere.test")

	// The built-in database: provider notes, sign-in and the source detail.
	code, out, errOut = runNet(t, n, "", "discover", "jane@gmail.com", "--offline", "--lang", "ro")
	check("offline", code, ExitOK, out, errOut, "Notă:", "(furnizorul gmail.com)", "neverificat")

	text := all.String()
	if leaks := i18n.EnglishLeaks(i18n.RO, text, "discover.", "probe."); len(leaks) > 0 {
		t.Errorf("English in the Romanian output: %q\n%s", leaks, text)
	}
	for _, english := range []string{"Recommended", "Incoming", "Outgoing", "Source ", "Trust", "Verified", "Note:", "trusted", "needs-confirmation", " user ", "found", "skipped", "Lookups", "provider"} {
		if strings.Contains(text, english) {
			t.Errorf("English word %q in the Romanian output:\n%s", english, text)
		}
	}
}

// TestDiscoverJSONLang: with --json, field names, sources, trust levels
// and outcomes are the same in every language; the reasons and the
// details mailsetup wrote follow --lang.
func TestDiscoverJSONLang(t *testing.T) {
	n := mailtest.Start(t)
	results := map[string]autoconfig.Result{}
	for _, lang := range []string{"en", "lt"} {
		code, out, errOut := runNet(t, n, "", "discover", "jane@example.test", "--ispdb", "off", "--sources", "builtin,guess", "--json", "--lang", lang)
		var res autoconfig.Result
		if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitOK {
			t.Fatalf("--lang %s: exit %d, %v\n%s\n%s", lang, code, err, out, errOut)
		}
		if !strings.Contains(out, `"reasons"`) || !strings.Contains(out, `"trail"`) {
			t.Errorf("--lang %s: field names changed:\n%s", lang, out)
		}
		results[lang] = res
	}
	en, lt := results["en"], results["lt"]
	if len(en.Candidates) == 0 || len(lt.Candidates) != len(en.Candidates) {
		t.Fatalf("candidates: %d in en, %d in lt", len(en.Candidates), len(lt.Candidates))
	}
	c, d := en.Candidates[0], lt.Candidates[0]
	if c.Trust != d.Trust || c.Account.Provenance.Source != d.Account.Provenance.Source {
		t.Errorf("trust or source differ: %s/%s, %s/%s", c.Trust, c.Account.Provenance.Source, d.Trust, d.Account.Provenance.Source)
	}
	if len(d.Reasons) == 0 || d.Reasons[0] == c.Reasons[0] || !strings.Contains(d.Reasons[0], "atspėti serverių vardai") {
		t.Errorf("lt reasons %q, en %q", d.Reasons, c.Reasons)
	}
	var builtinEN, builtinLT autoconfig.Step
	for i, s := range en.Trail {
		if s.Source == "builtin" {
			builtinEN = s
		}
		if lt.Trail[i].Source == "builtin" {
			builtinLT = lt.Trail[i]
		}
	}
	if builtinEN.Outcome != "none" || builtinLT.Outcome != "none" || builtinEN.Detail != "not in the built-in provider database" || builtinLT.Detail != i18n.New(i18n.LT).T("discover.detail.builtin-none") {
		t.Errorf("builtin step: en %+v, lt %+v", builtinEN, builtinLT)
	}
}
