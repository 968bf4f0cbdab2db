package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/bulk"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/templates"
	"github.com/mailsetup/mailsetup/wizard"
)

// plainNet serves an autoconfig file that lists IMAP 143 and SMTP 587
// without encryption. The in-process servers offer STARTTLS on both
// ports; with noIMAPSTARTTLS the IMAP server stops offering it.
func plainNet(t *testing.T, noIMAPSTARTTLS bool) *mailtest.Network {
	t.Helper()
	n := mailtest.Start(t)
	n.ServePlainAutoconfig(noIMAPSTARTTLS)
	return n
}

var plainSources = []string{"--ispdb", "off", "--sources", "autoconfig"}

func TestDiscoverCleartext(t *testing.T) {
	// Without STARTTLS on the IMAP port: a warning, confirmation, and a
	// verified line that does not speak of TLS for port 143.
	n := plainNet(t, true)
	code, out, errOut := runNet(t, n, "", append([]string{"discover", mailtest.DefaultUser}, plainSources...)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"imap.example.test port 143, None", "smtp.example.test port 587, STARTTLS",
		"needs-confirmation", "Warning          imap.example.test:143 is not encrypted", "imap.example.test:143 does not offer STARTTLS",
		"Verified         yes: imap.example.test:143 answers, without encryption; smtp.example.test:587 answers with valid TLS (STARTTLS)",
		"STARTTLS         smtp.example.test:587 offers STARTTLS and it passed the check"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "servers answer with valid TLS") || strings.Contains(out, "143 answers with valid TLS") {
		t.Errorf("output claims TLS for a cleartext connection:\n%s", out)
	}

	// With STARTTLS everywhere: switched, trusted, and said so.
	n = plainNet(t, false)
	code, out, errOut = runNet(t, n, "", append([]string{"discover", mailtest.DefaultUser}, plainSources...)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"imap.example.test port 143, STARTTLS", "smtp.example.test port 587, STARTTLS", "Trust            trusted",
		"STARTTLS         imap.example.test:143 offers STARTTLS and it passed the check: it is used instead of the unencrypted connection autoconfig gave"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "None") || strings.Contains(out, "Warning") {
		t.Errorf("output still shows no encryption:\n%s", out)
	}
}

func TestExportCleartext(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	n := plainNet(t, true)
	dir := filepath.Join(t.TempDir(), "out")
	args := append([]string{"export", mailtest.DefaultUser, "--format", "apple,json", "-o", dir}, plainSources...)
	code, _, errOut := runNet(t, n, "", args...)
	if code != ExitUsage || !strings.Contains(errOut, "need confirmation: they involve an unencrypted connection to imap.example.test:143") || !strings.Contains(errOut, "--yes") {
		t.Fatalf("without --yes: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("files written without --yes")
	}
	code, out, errOut := runNet(t, n, "", append(args, "--yes", "--json")...)
	if code != ExitOK {
		t.Fatalf("--yes: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "warning: imap.example.test:143 is not encrypted") {
		t.Errorf("no warning on stderr: %s", errOut)
	}
	var rep exportJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Account.Incoming.Security != account.None || !hasWarning(rep.Warnings, "security.none") || !hasWarning(rep.Warnings, "security.starttls-upgraded") {
		t.Errorf("account %v, warnings %+v", rep.Account.Incoming, rep.Warnings)
	}

	// STARTTLS offered on both ports: exported with STARTTLS, no --yes
	// needed, and a note says so.
	n = plainNet(t, false)
	dir = filepath.Join(t.TempDir(), "out")
	code, _, errOut = runNet(t, n, "", append([]string{"export", mailtest.DefaultUser, "--format", "apple,json", "-o", dir}, plainSources...)...)
	if code != ExitOK {
		t.Fatalf("STARTTLS: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "note: imap.example.test:143 offers STARTTLS and it passed the check") {
		t.Errorf("no STARTTLS note: %s", errOut)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "account.json"))
	var a account.Account
	if err := json.Unmarshal(data, &a); err != nil || a.Incoming.Security != account.STARTTLS || a.Outgoing.Security != account.STARTTLS {
		t.Errorf("account.json %v: %s", err, data)
	}
	profile, _ := os.ReadFile(filepath.Join(dir, mailtest.DefaultUser+".mobileconfig"))
	if !strings.Contains(string(profile), "<key>IncomingMailServerUseSSL</key>\n\t\t\t<true/>") && !strings.Contains(strings.Join(strings.Fields(string(profile)), ""), "<key>IncomingMailServerUseSSL</key><true/>") {
		t.Errorf("the profile does not use SSL for incoming mail")
	}

	// No encryption asked for explicitly: no confirmation, but the warning.
	dir = filepath.Join(t.TempDir(), "out")
	code, _, errOut = runNet(t, n, "", "export", mailtest.DefaultUser, "--imap", "imap.example.test:143", "--imap-security", "none",
		"--smtp", "smtp.example.test:587", "--format", "json", "-o", dir)
	if code != ExitOK || !strings.Contains(errOut, "warning: imap.example.test:143 is not encrypted") {
		t.Errorf("explicit none: exit %d: %s", code, errOut)
	}
}

func hasWarning(ws []templates.Warning, code string) bool {
	for _, w := range ws {
		if w.Code == code {
			return true
		}
	}
	return false
}

func TestSetupCleartext(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	n := plainNet(t, true)
	dir := t.TempDir()
	base := append([]string{"setup", mailtest.DefaultUser, "--export", "json"}, plainSources...)
	code, _, errOut := runNet(t, n, "", append(base, "-o", filepath.Join(dir, "a"))...)
	if code != ExitUsage || !strings.Contains(errOut, "imap.example.test:143 is not encrypted") || !strings.Contains(errOut, "--yes") {
		t.Fatalf("without --yes: exit %d: %s", code, errOut)
	}
	code, out, errOut := runNet(t, n, "", append(base, "-o", filepath.Join(dir, "b"), "--yes")...)
	if code != ExitOK {
		t.Fatalf("--yes: exit %d: %s\n%s", code, errOut, out)
	}
	summary := out[strings.Index(out, "Done."):]
	if !strings.Contains(summary, "Warning: imap.example.test:143 is not encrypted") || !strings.Contains(summary, "smtp.example.test:587 offers STARTTLS") {
		t.Errorf("summary lacks the warnings:\n%s", summary)
	}
	if !strings.Contains(out, "Checked: imap.example.test:143 answers, without encryption.") || strings.Contains(out, "valid TLS certificates.") {
		t.Errorf("what was checked is not said exactly:\n%s", out)
	}
	code, out, errOut = runNet(t, n, "", append(base, "-o", filepath.Join(dir, "c"), "--yes", "--json")...)
	var res wizard.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitOK {
		t.Fatalf("--json: exit %d, %v: %s", code, err, errOut)
	}
	if !hasWarning(res.Warnings, "security.none") || res.Account.Incoming.Security != account.None || res.Account.Outgoing.Security != account.STARTTLS {
		t.Errorf("result %+v", res)
	}
}

// TestExportQRTooLong: a 3 KB display name leaves out only the QR code:
// every other file of --format all is written, with a warning.
func TestExportQRTooLong(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	dir := t.TempDir()
	name := strings.Repeat("Jürgen Müller ", 3072/len("Jürgen Müller "))
	args := []string{"export", "jane@example.com", "--imap", "imap.example.com", "--smtp", "smtp.example.com:587", "--name", name, "--format", "all"}
	code, out, errOut := run(t, append(args, "-o", filepath.Join(dir, "a"))...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "warning: jane@example.com-qr.png was not written") || !strings.Contains(errOut, "warning: the setup sheet's QR code was not written") {
		t.Errorf("stderr lacks the warnings: %s", errOut)
	}
	for _, f := range []string{"jane@example.com.mobileconfig", "jane@example.com.k9s", "setup-sheet.html", "setup-sheet.md", "config-v1.1.xml", "user.js", "account.json"} {
		if _, err := os.Stat(filepath.Join(dir, "a", f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "a", "jane@example.com-qr.png")); err == nil || strings.Contains(out, "qr.png") {
		t.Error("a QR code file was written")
	}
	code, out, _ = run(t, append(args, "-o", filepath.Join(dir, "b"), "--json")...)
	var rep exportJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != ExitOK || !hasWarning(rep.Warnings, "qr.too-long") {
		t.Errorf("--json: exit %d, %v, warnings %+v", code, err, rep.Warnings)
	}
}

// TestBulkCleartextAndLongName: bulk uses discovered settings without
// encryption only with --yes, and then warns on the row; a row whose
// display name is too long for a QR code gets every file but the QR
// code, with a qr.too-long warning.
func TestBulkCleartextAndLongName(t *testing.T) {
	n := plainNet(t, true)
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.csv")
	long := strings.Repeat("Jürgen Müller ", 3072/len("Jürgen Müller "))
	csv := "email,name,imap,smtp\n" + mailtest.DefaultUser + ",Jane,,\nlong@example.com," + long + ",imap.example.com,smtp.example.com:587\n"
	if err := os.WriteFile(input, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"bulk", input, "--ispdb", "off", "--sources", "autoconfig", "--format", "android,json"}
	for _, yes := range []bool{false, true} {
		out, report := filepath.Join(tmp, fmt.Sprint("out", yes)), filepath.Join(tmp, fmt.Sprint("report", yes))
		a := append(args, "-o", out, "--report", report)
		if yes {
			a = append(a, "--yes")
		}
		runBulk(t, context.Background(), n, false, "", a...)
		data, err := os.ReadFile(report)
		if err != nil {
			t.Fatal(err)
		}
		rep := readReport(t, data)
		if len(rep.Rows) != 2 {
			t.Fatalf("%d rows", len(rep.Rows))
		}
		jane, longRow := rep.Rows[0], rep.Rows[1]
		if !yes {
			if len(jane.Errors) == 0 || jane.Errors[0].Code != "discovery.needs-confirmation" || !strings.Contains(jane.Errors[0].Message, "an unencrypted connection to imap.example.test:143") {
				t.Errorf("without --yes: %+v", jane)
			}
		} else if !slices.ContainsFunc(jane.Warnings, func(is bulk.Issue) bool {
			return is.Code == "security.none" && strings.Contains(is.Message, "imap.example.test:143")
		}) {
			t.Errorf("with --yes: %+v", jane)
		}
		if !slices.ContainsFunc(longRow.Warnings, func(is bulk.Issue) bool { return is.Code == "qr.too-long" }) || len(longRow.Errors) != 0 {
			t.Errorf("long name: %+v", longRow)
		}
		for _, f := range longRow.Files {
			if strings.HasSuffix(f, "-qr.png") {
				t.Errorf("long name: QR code written: %v", longRow.Files)
			}
		}
		if len(longRow.Files) < 2 {
			t.Errorf("long name: files %v", longRow.Files)
		}
	}
}

// TestSetupQRTooLong: the guided setup with a 3 KB name writes every file
// but the QR code and says so in the summary, once, and in JSON.
func TestSetupQRTooLong(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	n := mailtest.Start(t)
	dir := t.TempDir()
	name := strings.Repeat("Jürgen Müller ", 3072/len("Jürgen Müller "))
	args := []string{"setup", mailtest.DefaultUser, "--name", name, "--imap", "imap.example.test", "--smtp", "smtp.example.test:587",
		"--export", "android,sheet", "--yes", "--no-verify"}
	code, out, errOut := runNet(t, n, "", append(args, "-o", filepath.Join(dir, "a"))...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Count(out, "The QR code was left out") != 1 || !strings.Contains(out, "setup-sheet.html") || !strings.Contains(out, ".k9s") || strings.Contains(out, "qr.png") {
		t.Errorf("summary:\n%s", out)
	}
	code, out, errOut = runNet(t, n, "", append(args, "-o", filepath.Join(dir, "b"), "--json")...)
	var res wizard.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitOK || !hasWarning(res.Warnings, "qr.too-long") {
		t.Errorf("--json: exit %d, %v: %s", code, err, errOut)
	}
}

// TestProbeEmailCleartext: probe EMAIL with the autoconfig file of item 4
// (IMAP 143 and SMTP 587 without encryption): the report says which
// server offers STARTTLS and proposes it, and the password is not sent
// without --yes.
func TestProbeEmailCleartext(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	n := plainNet(t, true)
	args := append([]string{"probe", mailtest.DefaultUser}, plainSources...)
	code, out, errOut := runNet(t, n, "", args...)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"The connection to imap.example.test:143 is not encrypted: the password and mail travel in the clear.\n         fix: Use port 993 with SSL/TLS instead.",
		"The connection to smtp.example.test:587 is not encrypted: the password and mail travel in the clear, although the server offers STARTTLS on this port.\n         fix: Use STARTTLS on port 587 (--smtp-security starttls), or port 465 with SSL/TLS.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	code, _, errOut = runNet(t, n, mailtest.DefaultPassword+"\n", append(args, "--password-stdin")...)
	if code != ExitUsage || !strings.Contains(errOut, "an unencrypted connection to imap.example.test:143") {
		t.Errorf("with a password and without --yes: exit %d %s", code, errOut)
	}
	for _, l := range n.LoginAttempts() {
		t.Errorf("login sent: %+v", l)
	}
}

// TestBulkLoginNotCountedWithoutTLS: with --login on a server without
// encryption, the probe refuses to send the password, and the summary does
// not count that as a login tested.
func TestBulkLoginNotCountedWithoutTLS(t *testing.T) {
	n := plainNet(t, true)
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.csv")
	if err := os.WriteFile(input, []byte("email,password\n"+mailtest.DefaultUser+","+mailtest.DefaultPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(tmp, "report.json")
	runBulk(t, context.Background(), n, false, "", "bulk", input, "--ispdb", "off", "--sources", "autoconfig", "--format", "json",
		"--yes", "--login", "-o", filepath.Join(tmp, "out"), "--report", report)
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	rep := readReport(t, data)
	if rep.Summary.Logins != 0 {
		t.Errorf("summary counts %d logins, but no password was sent", rep.Summary.Logins)
	}
	if len(rep.Rows) != 1 || !slices.ContainsFunc(rep.Rows[0].Warnings, func(is bulk.Issue) bool { return is.Code == "auth.skipped-insecure" }) {
		t.Errorf("rows: %+v", rep.Rows)
	}
}

// TestConfirmCleartextFollowsLang: what needs confirming names an
// unencrypted connection in the run's language in probe, export and bulk
// (Confirm keeps the English entry for JSON).
func TestConfirmCleartextFollowsLang(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	n := plainNet(t, true)
	want := i18n.New(i18n.RO).T("err.confirm-cleartext", "imap.example.test:143")
	_, _, errOut := runNet(t, n, mailtest.DefaultPassword+"\n", append([]string{"--lang", "ro", "probe", mailtest.DefaultUser, "--password-stdin"}, plainSources...)...)
	if !strings.Contains(errOut, want) || strings.Contains(errOut, "an unencrypted connection") {
		t.Errorf("probe: want %q:\n%s", want, errOut)
	}
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.csv")
	if err := os.WriteFile(input, []byte("email\n"+mailtest.DefaultUser+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(tmp, "report.json")
	runBulk(t, context.Background(), n, false, "", append([]string{"--lang", "ro", "bulk", input, "--format", "json", "-o", filepath.Join(tmp, "out"), "--report", report}, plainSources...)...)
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if rep := readReport(t, data); len(rep.Rows) != 1 || len(rep.Rows[0].Errors) == 0 || !strings.Contains(rep.Rows[0].Errors[0].Message, want) {
		t.Errorf("bulk: want %q in %+v", want, rep.Rows)
	}
}

// TestExportUsingFollowsLang: export names the source and trust of the
// settings it uses in the run's language, and setup's advice on an address
// given with a name does too.
func TestExportUsingFollowsLang(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	n := plainNet(t, true)
	ro := i18n.New(i18n.RO)
	args := append([]string{"--lang", "ro", "export", mailtest.DefaultUser, "--format", "json", "--yes", "-o", filepath.Join(t.TempDir(), "out")}, plainSources...)
	code, _, errOut := runNet(t, n, "", args...)
	want := "(" + autoconfig.TrustName(ro, account.NeedsConfirmation) + ")"
	if code != ExitOK || !strings.Contains(errOut, want) || strings.Contains(errOut, "needs-confirmation") {
		t.Errorf("export: exit %d, want %q:\n%s", code, want, errOut)
	}
	_, _, errOut = run(t, "--lang", "ro", "setup", "--email", "Jane <jane@example.com>", "--offline", "--yes")
	if strings.Contains(errOut, "use --name") || !strings.Contains(errOut, "--name") {
		t.Errorf("setup: the --name advice is not in Romanian:\n%s", errOut)
	}
}
