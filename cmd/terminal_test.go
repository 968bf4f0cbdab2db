package cmd

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/bulk"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/termtext"
	"github.com/mailsetup/mailsetup/probe"
	"github.com/mailsetup/mailsetup/wizard"
)

// Hostile text as servers and input send it, and how human output shows it.
const (
	// An HTTP reason phrase that clears the screen, sets the window title
	// and rings the bell.
	evilReason      = "Not\x1b[2J\x1b]0;owned\x07 Found"
	evilReasonShown = `Not\x1b[2J\x1b]0;owned\x07 Found`
	// An OSC 52 clipboard write, a one-character CSI (C1), a right-to-left
	// override and a byte that is not UTF-8.
	evilText      = "\x1b]52;c;cm0gLXJmIH4K\x07 \u009b31m \u202egnp.exe \xff"
	evilTextShown = `\x1b]52;c;cm0gLXJmIH4K\x07 \u009b31m \u202egnp.exe \xff`
)

// assertTerminalSafe fails when human output holds a character a
// terminal acts on (only the newline is allowed) or lacks the escaped
// forms in want.
func assertTerminalSafe(t *testing.T, where, s string, want ...string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s is not valid UTF-8: %q", where, s)
	}
	for _, r := range s {
		if r != '\n' && termtext.Forbidden(r) {
			t.Errorf("%s holds %U: %q", where, r, s)
			break
		}
	}
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("%s lacks %q:\n%s", where, w, s)
		}
	}
}

// TestDiscoverTrailEscapesControls: an HTTP reason phrase with escape
// sequences reaches the terminal escaped, in the trail and in the -v
// trace; --json keeps it exact.
func TestDiscoverTrailEscapesControls(t *testing.T) {
	n := mailtest.Start(t)
	for _, h := range []string{"autoconfig.example.test", "example.test"} {
		n.HandleHTTP(h, "/", mailtest.Route{Status: http.StatusNotFound, Reason: evilReason, Body: "no"})
	}
	args := []string{"discover", "jane@example.test", "--ispdb", "off", "--sources", "autoconfig"}
	code, out, errOut := runNet(t, n, "", append(args, "-v")...)
	if code != ExitNotFound {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	assertTerminalSafe(t, "stdout", out, "No settings found", "HTTP 404 "+evilReasonShown)
	assertTerminalSafe(t, "stderr", errOut, "404 "+evilReasonShown)

	code, out, _ = runNet(t, n, "", append(args, "--json")...)
	var res autoconfig.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitNotFound {
		t.Fatalf("--json: exit %d, %v\n%s", code, err, out)
	}
	found := false
	for _, s := range res.Trail {
		found = found || strings.Contains(s.Detail, "HTTP 404 "+evilReason)
	}
	if !found {
		t.Errorf("--json trail lost the exact reason: %+v", res.Trail)
	}
}

// TestDiscoverProviderNameEscapesControls: a provider's displayName with
// a C1 CSI and a right-to-left override is shown escaped.
func TestDiscoverProviderNameEscapesControls(t *testing.T) {
	n := mailtest.Start(t)
	name := "Mail\u009b2JCorp \u202eexe.gnp"
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", ContentType: "text/xml",
		Body: strings.Replace(bulkAutoconfig("example.test"), "<domain>", "<displayName>"+name+"</displayName><domain>", 1)})
	args := []string{"discover", "jane@example.test", "--ispdb", "off", "--sources", "autoconfig", "--no-verify"}
	code, out, errOut := runNet(t, n, "", args...)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	assertTerminalSafe(t, "stdout", out, `Mail\u009b2JCorp \u202eexe.gnp`)
	assertTerminalSafe(t, "stderr", errOut)

	code, out, _ = runNet(t, n, "", append(args, "--json")...)
	var res autoconfig.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitOK {
		t.Fatalf("--json: exit %d, %v\n%s", code, err, out)
	}
	if res.Candidates[0].Provider != name {
		t.Errorf("--json provider %q, want %q", res.Candidates[0].Provider, name)
	}
}

// TestProbeGreetingEscapesControls: IMAP and SMTP greetings with an OSC 52
// clipboard write, C1 and bidi controls are shown escaped in the report
// and the -v trace; --json keeps them exact.
func TestProbeGreetingEscapesControls(t *testing.T) {
	n := mailtest.Start(t)
	// Replace the greetings ("* OK ... IMAP server ready", "220 ... Service Ready").
	rewrite := func(prefix string) func(string, bool) string {
		return func(line string, afterTLS bool) string {
			if strings.HasPrefix(line, prefix) && strings.HasSuffix(strings.TrimSpace(strings.ToLower(line)), " ready") {
				return prefix + evilText + "\r\n"
			}
			return line
		}
	}
	n.SetBehavior("imap.example.test:993", mailtest.Behavior{RewriteServerLine: rewrite("* OK ")})
	n.SetBehavior("smtp.example.test:465", mailtest.Behavior{RewriteServerLine: rewrite("220 ")})
	args := []string{"probe", "--imap", "imap.example.test", "--smtp", "smtp.example.test"}
	_, out, errOut := runNet(t, n, "", append(args, "-v")...)
	assertTerminalSafe(t, "stdout", out, "greeting: * OK "+evilTextShown, "greeting: 220 "+evilTextShown)
	assertTerminalSafe(t, "stderr", errOut, "S: * OK "+evilTextShown)

	// With colour on, mailsetup's own colour sequences stay and the
	// greeting inside them is escaped.
	ios, _, cout, _ := iostreams.Test()
	ios.SetColorEnabled(true)
	f := NewFactory(ios)
	f.Dialer, f.RootCAs = n, n.CAPool()
	Execute(context.Background(), f, append([]string{"--resolver", n.ResolverAddr()}, args...))
	colored := cout.String()
	if !strings.Contains(colored, "\x1b[") || !strings.Contains(colored, "greeting: \x1b[") || !strings.Contains(colored, evilTextShown) ||
		strings.Contains(colored, "\x1b]") || strings.ContainsAny(colored, "\a\u009b\u202e") || !utf8.ValidString(colored) {
		t.Errorf("coloured report:\n%q", colored)
	}

	_, out, _ = runNet(t, n, "", append(args, "--json")...)
	var rep probe.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	// encoding/json turns the invalid byte into U+FFFD; the rest is exact.
	exact := strings.ToValidUTF8(evilText, "\uFFFD")
	if len(rep.Endpoints) != 2 || rep.Endpoints[0].Greeting != "* OK "+exact || rep.Endpoints[1].Greeting != "220 "+exact {
		t.Errorf("--json greetings: %q", out)
	}
}

// TestFlagErrorEscapesControls: a flag value echoed in an error is shown
// escaped, whichever error quotes it.
func TestFlagErrorEscapesControls(t *testing.T) {
	n := mailtest.Start(t)
	for _, args := range [][]string{
		{"probe", "--imap", "[evil\x1b]52;c;cm0gLXJmIH4K\x07x:1"},
		{"probe", "--imap", "imap.example.test", "--ca-file", "/nonexistent/\x1b]52;c;cm0gLXJmIH4K\x07"},
		{"--resolver", "ev\x1b]52;c;cm0gLXJmIH4K\x07:1:2", "version"},
	} {
		code, out, errOut := runNet(t, n, "", args...)
		if code == ExitOK {
			t.Errorf("%q: exit 0", args)
		}
		assertTerminalSafe(t, "stdout", out)
		assertTerminalSafe(t, "stderr", errOut, `\x1b]52;c;cm0gLXJmIH4K\x07`)
	}
}

// TestBulkRowErrorEscapesControls: an address field with escape
// sequences is echoed escaped in the row error; the JSON report keeps it.
func TestBulkRowErrorEscapesControls(t *testing.T) {
	n := bulkNetwork(t)
	out := filepath.Join(t.TempDir(), "out")
	email := "x\x1b]0;owned\x07\u202e@example.test"
	args := []string{"bulk", "-", "--input-format", "jsonl", "--offline", "--format", "json", "-o", out}
	stdin := `{"email":"` + jsonEscape(email) + `"}` + "\n"
	code, stdout, stderr := runBulk(t, context.Background(), n, false, stdin, args...)
	if code != ExitError {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	assertTerminalSafe(t, "stdout", stdout)
	assertTerminalSafe(t, "stderr", stderr, `x\x1b]0;owned\x07\u202e@example.test`)

	code, stdout, _ = runBulk(t, context.Background(), n, false, stdin, append(args, "--json")...)
	rep := readReport(t, []byte(stdout))
	if code != ExitError || len(rep.Rows) != 1 || rep.Rows[0].Email != email || rep.Rows[0].Status != bulk.StatusFailed {
		t.Errorf("--json: exit %d, rows %+v", code, rep.Rows)
	}
}

func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// TestSetupEscapesControls: the guided setup shows discovered settings
// (here a username with a right-to-left override and an isolate; C0 and
// C1 controls are refused in usernames) escaped.
func TestSetupEscapesControls(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	n := mailtest.Start(t)
	user := "jane\u202eexe.\u2066@example.test"
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", ContentType: "text/xml",
		Body: strings.ReplaceAll(bulkAutoconfig("example.test"), "%EMAILADDRESS%", user)})
	dir := filepath.Join(t.TempDir(), "out")
	args := []string{"setup", mailtest.DefaultUser, "--ispdb", "off", "--sources", "autoconfig", "--no-verify", "--yes", "--export", "json", "-o", dir}
	code, out, errOut := runNet(t, n, "", args...)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	assertTerminalSafe(t, "stdout", out, `jane\u202eexe.\u2066@example.test`)
	assertTerminalSafe(t, "stderr", errOut)

	code, out, errOut = runNet(t, n, "", append(args, "--json", "--force")...)
	var res wizard.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitOK {
		t.Fatalf("--json: exit %d, %v\n%s", code, err, out)
	}
	if res.Account.Incoming.Username != user {
		t.Errorf("--json username %q, want %q", res.Account.Incoming.Username, user)
	}
	assertTerminalSafe(t, "stderr with --json", errOut, `jane\u202eexe.\u2066@example.test`)
}

// TestExportFileListEscapesControls: the folder from -o and the Outlook
// folder from --outlook-xml-path (which refuses controls, but not a
// right-to-left override) are echoed escaped in the list of written
// files; --json keeps the exact paths.
func TestExportFileListEscapesControls(t *testing.T) {
	n := mailtest.Start(t)
	tmp := t.TempDir()
	osc := "\x1b]0;owned\x07"
	args := []string{"export", mailtest.DefaultUser, "--imap", "imap.example.test", "--smtp", "smtp.example.test", "--format", "outlook,json",
		"--outlook-xml-path", "C:\\mail\u202e\\"}
	code, out, errOut := runNet(t, n, "", append(args, "-o", filepath.Join(tmp, "a"+osc))...)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	assertTerminalSafe(t, "stdout", out, filepath.Join(tmp, `a\x1b]0;owned\x07`, "account.json"), `C:\mail\u202e\`)
	assertTerminalSafe(t, "stderr", errOut)

	dir := filepath.Join(tmp, "b"+osc)
	code, out, _ = runNet(t, n, "", append(args, "--json", "-o", dir)...)
	var rep exportJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != ExitOK {
		t.Fatalf("--json: exit %d, %v\n%s", code, err, out)
	}
	found := false
	for _, f := range rep.Files {
		found = found || f.Path == filepath.Join(dir, "account.json")
	}
	if !found {
		t.Errorf("--json lost the exact path: %+v", rep.Files)
	}
}

// TestFileNamesEscapeControls: file names from flags are echoed escaped
// in warnings and reports.
func TestFileNamesEscapeControls(t *testing.T) {
	n := mailtest.Start(t)
	tmp := t.TempDir()
	osc := "\x1b]0;owned\x07"
	pw := filepath.Join(tmp, "pw"+osc)
	if err := os.WriteFile(pw, []byte(mailtest.DefaultPassword+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runNet(t, n, "", "probe", "--smtp", "smtp.example.test", "--user", mailtest.DefaultUser, "--password-file", pw)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	assertTerminalSafe(t, "probe stdout", out)
	assertTerminalSafe(t, "probe stderr", errOut, `pw\x1b]0;owned\x07 is readable by other users`)

	t.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	code, out, errOut = run(t, "docs", "--markdown", filepath.Join(tmp, "docs"+osc))
	if code != ExitOK {
		t.Fatalf("docs: exit %d\n%s\n%s", code, out, errOut)
	}
	assertTerminalSafe(t, "docs stdout", out, `docs\x1b]0;owned\x07`)
}
