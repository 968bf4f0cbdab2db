package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/templates"
)

// serveAutoconfig serves the provider's own config-v1.1.xml for domain
// (added to the network), its servers accepting the given
// <authentication> values in order, with a page and a step to enable
// access, as the ISPDB's files for aol.com/compuserve.com and gmx.net
// give them.
func serveAutoconfig(n *mailtest.Network, domain string, auths ...string) {
	n.AddMailDomain(domain)
	var a strings.Builder
	for _, m := range auths {
		a.WriteString("<authentication>" + m + "</authentication>")
	}
	n.HandleHTTP("autoconfig."+domain, "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", Body: `<clientConfig version="1.1"><emailProvider id="` + domain + `"><domain>` + domain + `</domain>
<incomingServer type="imap"><hostname>imap.` + domain + `</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username>` + a.String() + `</incomingServer>
<outgoingServer type="smtp"><hostname>smtp.` + domain + `</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username>` + a.String() + `</outgoingServer>
<documentation url="https://help.` + domain + `/imap"><descr lang="en">How do I set up other email applications?</descr></documentation>
<enable visiturl="https://help.` + domain + `/enable"><instruction>You must allow access via IMAP once in the settings of your account!</instruction></enable>
</emailProvider></clientConfig>`})
}

// TestExportAuthFallback: for a compuserve.com-style provider (OAuth2
// first, then the password) discovered live, export --format all writes
// every format: Thunderbird and Android with OAuth2, Apple and Outlook
// with the password and a note saying so, and the setup sheet quotes the
// provider's step to enable access.
func TestExportAuthFallback(t *testing.T) {
	n := mailtest.Start(t)
	serveAutoconfig(n, "fallback.test", "OAuth2", "password-cleartext")
	dir := t.TempDir()
	code, out, errOut := runNet(t, n, "", "--json", "export", "jo@fallback.test", "--ispdb", "off", "--sources", "autoconfig", "--format", "all", "-o", dir)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r exportJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	formats := map[string]bool{}
	for _, f := range r.Files {
		formats[f.Format] = true
		switch f.Format {
		case "apple", "outlook":
			if !strings.Contains(f.Use, "prefers signing in through its web page (OAuth2)") {
				t.Errorf("%s: Use lacks the fallback note: %q", f.Path, f.Use)
			}
		case "android":
			if !strings.Contains(f.Use, "opens the provider's sign-in page") {
				t.Errorf("%s: Use lacks the OAuth2 note: %q", f.Path, f.Use)
			}
		}
	}
	for _, f := range templates.Formats() {
		if !formats[f] {
			t.Errorf("format %s not written", f)
		}
	}
	for _, w := range r.Warnings {
		if w.Code == templates.SkippedCode {
			t.Errorf("a format was left out: %s", w.Message)
		}
	}
	if len(r.Account.Incoming.Auths) != 2 || r.Account.Provider == nil || r.Account.Provider.Enable == nil {
		t.Errorf("the JSON account lost the methods or the provider's texts: %+v", r.Account)
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	if p := read("jo@fallback.test.mobileconfig"); strings.Count(p, "<string>EmailAuthPassword</string>") != 2 {
		t.Errorf("profile does not use the password:\n%s", p)
	}
	if k := read("jo@fallback.test.k9s"); strings.Count(k, "<authentication-type>XOAUTH2</authentication-type>") != 2 {
		t.Errorf(".k9s does not use OAuth2:\n%s", k)
	}
	if u := read("user.js"); !strings.Contains(u, `user_pref("mail.server.server1.authMethod", 10);`) {
		t.Errorf("user.js does not use OAuth2:\n%s", u)
	}
	if s := read("setup-sheet.md"); !strings.Contains(s, "“You must allow access via IMAP once in the settings of your account!”") ||
		!strings.Contains(s, "<https://help.fallback.test/enable>") {
		t.Errorf("the sheet lacks the provider's step:\n%s", s)
	}
}

// TestExportAuthUnsupported: for an OAuth2-only provider, export
// --format all leaves out Apple and Outlook with a warning and writes the
// rest (exit 0); asked for Outlook alone it fails with one line and
// writes nothing.
func TestExportAuthUnsupported(t *testing.T) {
	n := mailtest.Start(t)
	serveAutoconfig(n, "oauthonly.test", "OAuth2")
	base := []string{"export", "jo@oauthonly.test", "--ispdb", "off", "--sources", "autoconfig"}
	dir := t.TempDir()
	code, _, errOut := runNet(t, n, "", append(base, "--format", "all", "-o", dir)...)
	if code != ExitOK {
		t.Fatalf("--format all: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"warning: apple: an Apple profile cannot use any sign-in method of IMAP imap.oauthonly.test:993 SSL/TLS (oauth2)",
		"warning: outlook: Outlook's files cannot use any sign-in method of", "left out, the other formats were written"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	got := strings.Join(names, " ")
	for _, want := range []string{"jo@oauthonly.test.k9s", "user.js", "config-v1.1.xml", "setup-sheet.html", "account.json"} {
		if !strings.Contains(got, want) {
			t.Errorf("%s not written (%s)", want, got)
		}
	}
	if strings.Contains(got, ".mobileconfig") || strings.Contains(got, "outlook") {
		t.Errorf("Apple or Outlook written for an OAuth2-only account: %s", got)
	}

	// --json carries the warnings.
	code, out, _ := runNet(t, n, "", append([]string{"--json"}, append(base, "--format", "apple,android", "-o", t.TempDir())...)...)
	var r exportJSON
	if err := json.Unmarshal([]byte(out), &r); code != ExitOK || err != nil {
		t.Fatalf("--json: exit %d %v\n%s", code, err, out)
	}
	if len(r.Warnings) != 1 || r.Warnings[0].Code != templates.SkippedCode || len(r.Files) != 2 {
		t.Errorf("--json: warnings %+v, %d files", r.Warnings, len(r.Files))
	}

	// One format that cannot be written: a one-line error, nothing written.
	for _, formats := range []string{"outlook", "apple,outlook"} {
		dir := t.TempDir()
		code, out, errOut := runNet(t, n, "", append(base, "--format", formats, "-o", dir)...)
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		if code != ExitError || !strings.HasPrefix(lines[len(lines)-1], "mailsetup: ") || !strings.Contains(lines[len(lines)-1], "cannot use any sign-in method") {
			t.Errorf("--format %s: exit %d, stderr:\n%s", formats, code, errOut)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 || strings.Contains(out, "Wrote") {
			t.Errorf("--format %s wrote %d files", formats, len(entries))
		}
	}
}

// TestWizardExportSkipsFormats: the guided setup's export leaves out a
// format that cannot use the servers' only method, as export does, and
// fails when nothing could be written.
func TestWizardExportSkipsFormats(t *testing.T) {
	a := account.Account{
		Email:    account.MustParseAddress("jo@oauth.test"),
		Incoming: account.Server{Protocol: account.IMAP, Host: "imap.oauth.test", Port: 993, Security: account.TLS, Auth: account.AuthOAuth2, Username: "jo@oauth.test"},
		Outgoing: account.Server{Protocol: account.SMTP, Host: "smtp.oauth.test", Port: 465, Security: account.TLS, Auth: account.AuthOAuth2, Username: "jo@oauth.test"},
	}
	files, warnings, err := exportForWizard(context.Background(), a, []string{"apple", "thunderbird"}, t.TempDir(), "", "", false, i18n.EN)
	if err != nil || len(files) == 0 || len(warnings) != 1 || warnings[0].Code != templates.SkippedCode {
		t.Errorf("apple+thunderbird: %d files, warnings %+v, err %v", len(files), warnings, err)
	}
	dir := t.TempDir()
	if _, _, err := exportForWizard(context.Background(), a, []string{"apple"}, dir, "", "", false, i18n.EN); !errors.Is(err, templates.ErrAuthUnsupported) {
		t.Errorf("apple alone: err %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("apple alone wrote %d files", len(entries))
	}
}
