package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// An unencrypted server is never labelled plainly "trusted" (issue 16):
// not when discovery is not verified (--no-verify), whose candidates get
// the warning and need confirmation, and not when the user gives the
// server, whose account file says needs-confirmation beside the
// security.none warning.
func TestCleartextNeverLabelledTrusted(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	n := mailtest.Start(t)
	n.AddHost("ispdb.example.test", mailtest.HTTPS)
	// Thunderbird's ISPDB file for goo.jp (MPL-2.0), hosts renamed: both
	// servers without encryption.
	n.HandleHTTP("ispdb.example.test", "/example.test", mailtest.Route{Scheme: "https", Body: `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain><displayName>goo</displayName>
<incomingServer type="pop3"><hostname>pop.example.test</hostname><port>110</port><socketType>plain</socketType><username>%EMAILLOCALPART%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>587</port><socketType>plain</socketType><username>%EMAILLOCALPART%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`})
	args := []string{"discover", mailtest.DefaultUser, "--ispdb", "https://ispdb.example.test/", "--sources", "ispdb", "--no-verify"}
	code, out, errOut := runNet(t, n, "", args...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Trust            needs-confirmation", "Warning          pop.example.test:110 is not encrypted", "Warning          smtp.example.test:587 is not encrypted"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = runNet(t, n, "", append(args, "--json")...)
	var res autoconfig.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Candidates) == 0 {
		t.Fatalf("%v\n%s", err, out)
	}
	if c := res.Candidates[0]; c.Trust == account.Trusted || c.Account.Provenance.Trust == account.Trusted || len(c.Confirm) != 2 {
		t.Errorf("JSON candidate %+v", c)
	}

	// Servers the user gives: the files say what they are.
	dir := filepath.Join(t.TempDir(), "out")
	code, _, errOut = runNet(t, n, "", "export", mailtest.DefaultUser, "--imap", "imap.example.test:143", "--imap-security", "none",
		"--smtp", "smtp.example.test:465", "--format", "json", "-o", dir)
	if code != ExitOK || !strings.Contains(errOut, "warning: imap.example.test:143 is not encrypted") {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "account.json"))
	var a account.Account
	if err := json.Unmarshal(data, &a); err != nil || a.Provenance.Trust == account.Trusted {
		t.Errorf("account.json %v: %s", err, data)
	}
}
