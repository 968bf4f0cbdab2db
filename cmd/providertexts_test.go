package cmd

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// providerDoc is an autoconfig file for example.test written the way
// Thunderbird's ISPDB writes its files: OAuth2 with a password fallback,
// several outgoing servers (one without encryption), an <enable> step with
// a Romanian translation, and documentation, one of whose descriptions
// carries a terminal control sequence and a bidi override.
const providerDoc = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.test">
    <domain>example.test</domain>
    <displayName>%EMAILDOMAIN% Mail</displayName>
    <incomingServer type="imap">
      <hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType>
      <authentication>OAuth2</authentication>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.test</hostname><port>587</port><socketType>STARTTLS</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>mail.example.test</hostname><port>25</port><socketType>plain</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
    <documentation url="https://example.test/help/mail">
      <descr>Mail settings &#x9b;31m&#x202e;explained</descr>
      <descr lang="ro">Setările de e-mail explicate</descr>
    </documentation>
  </emailProvider>
  <enable visiturl="https://example.test/webmail/settings">
    <instruction>Switch on IMAP in the webmail settings first.</instruction>
    <instruction lang="ro">Porniți IMAP în setările webmail mai întâi.</instruction>
  </enable>
</clientConfig>`

func providerNet(t *testing.T) *mailtest.Network {
	t.Helper()
	n := mailtest.Start(t)
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", Body: providerDoc})
	return n
}

func TestDiscoverShowsProviderTexts(t *testing.T) {
	n := providerNet(t)
	args := []string{"discover", mailtest.DefaultUser, "--ispdb", "off", "--sources", "autoconfig", "--no-verify"}
	code, out, errOut := runNet(t, n, "", args...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Sign-in          OAuth2 (web sign-in), or password",
		"Other outgoing   smtp.example.test port 587, STARTTLS, user jane@example.test",
		"                 mail.example.test port 25, None, user jane@example.test",
		"From the provider (its own words):",
		"Enable first   Switch on IMAP in the webmail settings first. <https://example.test/webmail/settings>",
		`Documentation  Mail settings \u009b31m\u202eexplained <https://example.test/help/mail>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "\u009b\u202e") {
		t.Errorf("the provider's escape sequence reached the terminal:\n%q", out)
	}
	// The provider's words come after mailsetup's own, under their label.
	if i, j := strings.Index(out, "From the provider"), strings.Index(out, "Switch on IMAP"); i < 0 || j < i {
		t.Errorf("the provider's text is not under its label:\n%s", out)
	}

	// In Romanian: the labels from the catalogue, the provider's texts in
	// Romanian where the file has them.
	code, out, errOut = runNet(t, n, "", append(args, "--lang", "ro")...)
	if code != ExitOK {
		t.Fatalf("ro: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"OAuth2 (autentificare în pagina web a furnizorului) sau parolă", "Alte servere de ieșire", "De la furnizor (cuvintele sale):",
		"Activați întâi", "Porniți IMAP în setările webmail mai întâi. <https://example.test/webmail/settings>", "Setările de e-mail explicate <https://example.test/help/mail>"} {
		if !strings.Contains(out, want) {
			t.Errorf("ro output lacks %q:\n%s", want, out)
		}
	}

	if leaks := i18n.EnglishLeaks(i18n.RO, out, "discover."); len(leaks) > 0 {
		t.Errorf("English in the Romanian output: %q\n%s", leaks, out)
	}
	// In Lithuanian: the labels from the catalogue; the file has no
	// Lithuanian texts, so the provider's English ones.
	code, out, errOut = runNet(t, n, "", append(args, "--lang", "lt")...)
	if code != ExitOK {
		t.Fatalf("lt: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"OAuth2 (prisijungimas teikėjo tinklalapyje) arba slaptažodis", "Kiti siunčiamieji", "Iš paslaugų teikėjo (jo paties žodžiais):",
		"Pirmiausia įjunkite", "Switch on IMAP in the webmail settings first.", "Dokumentacija"} {
		if !strings.Contains(out, want) {
			t.Errorf("lt output lacks %q:\n%s", want, out)
		}
	}
	if leaks := i18n.EnglishLeaks(i18n.LT, out, "discover."); len(leaks) > 0 {
		t.Errorf("English in the Lithuanian output: %q\n%s", leaks, out)
	}

	// JSON carries the provider's texts, every method and the other
	// outgoing servers, under the same schema.
	code, out, errOut = runNet(t, n, "", append(args, "--json")...)
	if code != ExitOK {
		t.Fatalf("json: exit %d: %s", code, errOut)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["schema"] != DiscoverSchema || DiscoverSchema != "mailsetup-discover/1" {
		t.Errorf("schema %v", doc["schema"])
	}
	for _, want := range []string{`"auth_methods": [`, `"oauth2",`, `"outgoing_alternatives": [`, `"port": 587`, `"provider_info": {`,
		`"url": "https://example.test/webmail/settings"`, `"lang": "ro"`, `"url": "https://example.test/help/mail"`} {
		if !strings.Contains(out, want) {
			t.Errorf("JSON lacks %s:\n%s", want, out)
		}
	}
}

// TestDiscoverAlternativeProviderTexts: an alternative found in another
// document whose texts differ has them under its line; the same texts
// are not repeated.
func TestDiscoverAlternativeProviderTexts(t *testing.T) {
	info := func(text string) *account.ProviderInfo {
		return &account.ProviderInfo{Enable: &account.Enable{URL: "https://example.test/on", Instructions: []account.Text{{Text: text}}}}
	}
	mk := func(host string, src account.Source, pi *account.ProviderInfo) *autoconfig.Candidate {
		a := account.Account{Email: account.MustParseAddress("jane@example.test"),
			Incoming:   account.Server{Protocol: account.IMAP, Host: host, Port: 993, Security: account.TLS, Auth: account.AuthPasswordCleartext, Username: "jane"},
			Outgoing:   account.Server{Protocol: account.SMTP, Host: "smtp.example.test", Port: 465, Security: account.TLS, Auth: account.AuthPasswordCleartext, Username: "jane"},
			Provenance: account.Provenance{Source: src, Trust: account.Trusted}, Provider: pi}
		return &autoconfig.Candidate{Account: a, Trust: account.Trusted}
	}
	res := &autoconfig.Result{Candidates: []*autoconfig.Candidate{
		mk("imap.example.test", account.SourceAutoconfig, info("Turn IMAP on")),
		mk("mail.example.test", account.SourceAutoconfig, info("Turn IMAP on")),
		mk("imap2.example.test", account.SourceISPDB, info("Allow mail apps")),
	}}
	var b strings.Builder
	printDiscovery(&b, &iostreams.ColorScheme{}, i18n.New(i18n.EN), res)
	out := b.String()
	if strings.Count(out, "Turn IMAP on") != 1 {
		t.Errorf("the same texts repeated:\n%s", out)
	}
	alt := out[strings.Index(out, "imap2.example.test"):]
	if !strings.Contains(alt, "    From the provider (its own words):") || !strings.Contains(alt, "      Enable first  Allow mail apps <https://example.test/on>") {
		t.Errorf("the alternative's own texts are not under it:\n%s", out)
	}
}
