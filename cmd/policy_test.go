package cmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/wizard"
)

// The settings policy (autoconfig.Result.Choose) is the same for setup,
// export and bulk; these tests drive the rules where the three used to
// disagree through the commands, against the in-process network.

// TestReplacedCleartextServerNeedsNoConfirmation: discovery finds IMAP
// without encryption (no STARTTLS on port 143); a user who gives their
// own encrypted IMAP server is not asked to confirm the unencrypted
// connection they replaced, in setup and in bulk alike.
func TestReplacedCleartextServerNeedsNoConfirmation(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	n := plainNet(t, true)
	tmp := t.TempDir()

	out := filepath.Join(tmp, "setup")
	args := append([]string{"setup", mailtest.DefaultUser, "--imap", "imap.example.test:993", "--export", "json", "-o", out, "--json"}, plainSources...)
	code, stdout, errOut := runNet(t, n, "", args...)
	if code != ExitOK {
		t.Fatalf("setup: exit %d: %s", code, errOut)
	}
	var res wizard.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	if in, o := res.Account.Incoming, res.Account.Outgoing; in.Host != "imap.example.test" || in.Port != 993 || in.Security != account.TLS ||
		o.Host != "smtp.example.test" || o.Port != 587 || o.Security != account.STARTTLS {
		t.Errorf("setup account: %+v", res.Account)
	}

	input := filepath.Join(tmp, "users.csv")
	if err := os.WriteFile(input, []byte("email,imap\n"+mailtest.DefaultUser+",imap.example.test:993\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(tmp, "report.json")
	runBulk(t, context.Background(), n, false, "", "bulk", input, "--ispdb", "off", "--sources", "autoconfig", "--format", "json",
		"-o", filepath.Join(tmp, "bulk"), "--report", report)
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	rep := readReport(t, data)
	if len(rep.Rows) != 1 || len(rep.Rows[0].Errors) != 0 || rep.Rows[0].Status != "ok" {
		t.Fatalf("bulk row: %+v", rep.Rows)
	}

	// The server kept without encryption still needs --yes.
	args = append([]string{"setup", mailtest.DefaultUser, "--smtp", "smtp.example.test:587", "--export", "json", "-o", filepath.Join(tmp, "kept")}, plainSources...)
	if code, _, errOut := runNet(t, n, "", args...); code != ExitUsage || !strings.Contains(errOut, "imap.example.test:143 is not encrypted") {
		t.Errorf("kept cleartext server: exit %d: %s", code, errOut)
	}
}

// TestExportFromIMAPDropsPOP3Options: a --from file for an IMAP account
// that still carries POP3 options (left from a hand edit) is exported
// without them, as setup and bulk treat IMAP accounts; export used to
// refuse it.
func TestExportFromIMAPDropsPOP3Options(t *testing.T) {
	tmp := t.TempDir()
	from := filepath.Join(tmp, "account.json")
	acct := `{"email":"jane@example.com","incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","auth":"password-cleartext","username":"jane@example.com"},
"outgoing":{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls","auth":"password-cleartext","username":"jane@example.com"},
"pop3":{"leave_on_server":false},"provenance":{"source":"file"}}`
	if err := os.WriteFile(from, []byte(acct), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runNet(t, mailtest.Start(t), "", "export", "--from", from, "--format", "json", "-o", "-")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var a account.Account
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if a.POP3 != nil || a.Incoming.Protocol != account.IMAP || a.Provenance.Source != account.SourceFile {
		t.Errorf("exported %+v", a)
	}
}
