package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/mailsetup/mailsetup/internal/fsutil"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/bulk"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

func init() {
	// Registered in init, after every package-level flag, so another
	// test file's own -update flag is shared rather than redefined.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata/")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// bulkRun runs mailsetup against the in-process network (n may be nil),
// with stderr a terminal when tty is set.
func runBulk(t *testing.T, ctx context.Context, n *mailtest.Network, tty bool, stdin string, args ...string) (int, string, string) {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	ios.SetTTY(false, false, tty)
	in.WriteString(stdin)
	f := NewFactory(ios)
	f.readPassword = func() ([]byte, error) { t.Fatal("prompted for a password"); return nil, nil }
	if n != nil {
		f.Dialer = n
		f.RootCAs = n.CAPool()
		args = append([]string{"--resolver", n.ResolverAddr()}, args...)
	}
	code := Execute(ctx, f, args)
	return code, out.String(), errOut.String()
}

// bulkNetwork serves example.test, second.test and bücher.test with
// autoconfig files offering IMAP and POP3, and manual.test without one.
func bulkNetwork(t *testing.T) *mailtest.Network {
	n := mailtest.Start(t)
	for _, d := range []string{"second.test", "xn--bcher-kva.test", "manual.test"} {
		n.AddMailDomain(d)
	}
	for _, d := range []string{"example.test", "second.test", "xn--bcher-kva.test"} {
		n.HandleHTTP("autoconfig."+d, "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", ContentType: "text/xml", Body: bulkAutoconfig(d)})
	}
	n.DNS().AddTXT("nowhere.test", "v=spf1 -all") // a domain that exists but publishes no mail settings
	return n
}

func bulkAutoconfig(d string) string {
	return `<clientConfig version="1.1"><emailProvider id="` + d + `"><domain>` + d + `</domain>
<incomingServer type="imap"><hostname>imap.` + d + `</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<incomingServer type="pop3"><hostname>pop.` + d + `</hostname><port>995</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.` + d + `</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`
}

// autoconfigFetches counts the requests for each domain's autoconfig file.
func autoconfigFetches(n *mailtest.Network) map[string]int {
	got := map[string]int{}
	for _, r := range n.HTTPRequests() {
		if strings.HasPrefix(r.Host, "autoconfig.") && r.Path == "/mail/config-v1.1.xml" {
			got[strings.TrimPrefix(r.Host, "autoconfig.")]++
		}
	}
	return got
}

const bulkCSV = "\ufeffemail,name,password,incoming,imap,smtp\r\n" +
	"jane@example.test,\"Doe, Jane\",S3cret-One,,,\r\n" + // 2 ok
	"john@example.test,John,S3cret-Two,pop3,,\r\n" + // 3 ok, POP3
	"not-an-address,Nobody,,,,\r\n" + // 4 failed: address
	"bob@nowhere.test,Bob,,,,\r\n" + // 5 failed: unknown domain
	"jane@example.test,\"Doe, Jane\",S3cret-One,,,\r\n" + // 6 skipped: duplicate
	"john@example.test,Johnny,,,,\r\n" + // 7 failed: conflicting duplicate
	"anna@bücher.test,Anna,,,,\r\n" + // 8 ok, IDN
	"max@manual.test,Max,,,imap.manual.test,smtp.manual.test:587\r\n" + // 9 ok, no discovery
	"amy@second.test,\"Amy \"\"AJ\"\" Lee\",,,,\r\n" + // 10 ok
	"ben@second.test,Ben,,,,\r\n" // 11 ok

var bulkJSONL = strings.Join([]string{
	`{"email":"jane@example.test","name":"Doe, Jane","password":"S3cret-One"}`,
	`{"email":"john@example.test","name":"John","password":"S3cret-Two","incoming":"pop3"}`,
	`{"email":"not-an-address","name":"Nobody"}`,
	`{"email":"bob@nowhere.test","name":"Bob"}`,
	`{"email":"jane@example.test","name":"Doe, Jane","password":"S3cret-One"}`,
	`{"email":"john@example.test","name":"Johnny"}`,
	`{"email":"anna@bücher.test","name":"Anna"}`,
	`{"email":"max@manual.test","name":"Max","imap":"imap.manual.test","smtp":"smtp.manual.test:587"}`,
	`{"email":"amy@second.test","name":"Amy \"AJ\" Lee"}`,
	`{"email":"ben@second.test","name":"Ben"}`,
}, "\r\n") + "\r\n"

var bulkWant = []struct {
	status bulk.Status
	code   string
}{
	{bulk.StatusOK, ""}, {bulk.StatusOK, ""}, {bulk.StatusFailed, "input.email"}, {bulk.StatusFailed, "discovery.not-found"},
	{bulk.StatusSkipped, ""}, {bulk.StatusFailed, "input.duplicate"}, {bulk.StatusOK, ""}, {bulk.StatusOK, ""},
	{bulk.StatusOK, ""}, {bulk.StatusOK, ""},
}

func readReport(t *testing.T, data []byte) bulk.Report {
	t.Helper()
	var rep bulk.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, data)
	}
	return rep
}

func checkBulkRows(t *testing.T, rep bulk.Report, firstLine int) {
	t.Helper()
	if len(rep.Rows) != len(bulkWant) {
		t.Fatalf("%d rows in the report, want %d", len(rep.Rows), len(bulkWant))
	}
	for i, w := range bulkWant {
		r := rep.Rows[i]
		code := ""
		if len(r.Errors) > 0 {
			code = r.Errors[0].Code
		}
		if r.Line != firstLine+i || r.Status != w.status || code != w.code {
			t.Errorf("row %d: line %d %s %s %v, want line %d %s %s", i, r.Line, r.Status, code, r.Errors, firstLine+i, w.status, w.code)
		}
	}
}

// noPassword fails if a password of the inputs appears in text or under dir.
func noPassword(t *testing.T, dir string, texts ...string) {
	t.Helper()
	for _, pw := range []string{"S3cret-One", "S3cret-Two"} {
		for _, s := range texts {
			if strings.Contains(s, pw) {
				t.Errorf("the password %s is in the output", pw)
			}
		}
		filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() {
				if data, _ := os.ReadFile(p); bytes.Contains(data, []byte(pw)) {
					t.Errorf("%s holds a password without --include-password", p)
				}
			}
			return err
		})
	}
}

func TestBulkCSV(t *testing.T) {
	n := bulkNetwork(t)
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.csv")
	if err := os.WriteFile(input, []byte(bulkCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	out, report := filepath.Join(tmp, "out"), filepath.Join(tmp, "report.json")
	// No guessing: it spaces its attempts, which takes 2 s for nowhere.test.
	args := []string{"bulk", input, "--ispdb", "off", "--sources", "builtin,autoconfig,mx,srv", "--format", "apple,thunderbird,json", "-o", out, "--report", report}
	code, stdout, stderr := runBulk(t, context.Background(), n, false, "", args...)
	if code != ExitError {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, ExitError, stdout, stderr)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	rep := readReport(t, data)
	checkBulkRows(t, rep, 2)

	// Discovery ran once per domain that needed it: the in-process
	// network's request log has one autoconfig fetch per domain (the POP3
	// row of example.test uses the POP3 alternative of that discovery).
	if got := autoconfigFetches(n); got["example.test"] != 1 || got["second.test"] != 1 || got["xn--bcher-kva.test"] != 1 || got["manual.test"] != 0 {
		t.Errorf("autoconfig fetches per domain: %v", got)
	}
	if s := rep.Summary; s.Rows != 10 || s.OK != 6 || s.Failed != 3 || s.Skipped != 1 || s.Discoveries != 4 || s.Domains != 5 {
		t.Errorf("summary %+v", s)
	}

	// Files: the chosen formats per address, the domain file once per domain.
	for _, p := range []string{
		"jane@example.test/jane@example.test.mobileconfig", "jane@example.test/config-v1.1.xml", "jane@example.test/user.js",
		"jane@example.test/account.json", "anna@xn--bcher-kva.test/account.json", "max@manual.test/account.json",
		"_domains/example.test/config-v1.1.xml", "_domains/second.test/config-v1.1.xml",
		"_domains/xn--bcher-kva.test/config-v1.1.xml", "_domains/manual.test/config-v1.1.xml",
	} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Error(err)
		}
	}
	matches, _ := filepath.Glob(filepath.Join(out, "*", "config-v1.1-domain.xml"))
	if len(matches) > 0 {
		t.Errorf("domain files in the users' folders: %v", matches)
	}
	domainFile, _ := os.ReadFile(filepath.Join(out, "_domains/second.test/config-v1.1.xml"))
	if !bytes.Contains(domainFile, []byte("<username>%EMAILADDRESS%</username>")) || bytes.Contains(domainFile, []byte("amy@")) {
		t.Errorf("the domain file is not the placeholder version:\n%s", domainFile)
	}
	var acct struct {
		Email    string `json:"email"`
		Name     string `json:"name"`
		Incoming struct {
			Protocol string `json:"protocol"`
			Username string `json:"username"`
		} `json:"incoming"`
	}
	for _, tc := range []struct{ dir, proto, user, name string }{
		{"john@example.test", "pop3", "john@example.test", "John"},
		{"ben@second.test", "imap", "ben@second.test", "Ben"},
		{"amy@second.test", "imap", "amy@second.test", `Amy "AJ" Lee`},
		{"max@manual.test", "imap", "max@manual.test", "Max"},
	} {
		data, _ := os.ReadFile(filepath.Join(out, tc.dir, "account.json"))
		if err := json.Unmarshal(data, &acct); err != nil || acct.Incoming.Protocol != tc.proto || acct.Incoming.Username != tc.user || acct.Name != tc.name {
			t.Errorf("%s: %v %+v", tc.dir, err, acct)
		}
	}

	// Errors go to stderr with line and column; so does the warning about
	// a password file others can read. No progress bar off a terminal.
	for _, want := range []string{"users.csv holds passwords and is readable by other users", "users.csv:4:1: not-an-address: email: invalid e-mail address",
		"users.csv:5: bob@nowhere.test: discovery for nowhere.test", "[discovery.not-found]", "users.csv:7: john@example.test:", "[input.duplicate]", "3 of 10 row(s) failed"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "rows/s") || strings.Contains(stderr, "\r") {
		t.Errorf("progress on a stderr that is not a terminal:\n%s", stderr)
	}
	if !regexp.MustCompile(`(?m)^  failed\s+3$`).MatchString(stdout) || !strings.Contains(stdout, "Report: "+report) {
		t.Errorf("summary:\n%s", stdout)
	}
	noPassword(t, out, stdout, stderr)

	// Re-running resumes: rows with files are skipped without discovery.
	n.ResetHTTPRequests()
	code, _, stderr = runBulk(t, context.Background(), n, false, "", args...)
	rep = readReport(t, mustRead(t, report))
	if s := rep.Summary; code != ExitError || s.OK != 0 || s.Skipped != 7 || s.Failed != 3 || s.Discoveries != 1 {
		t.Errorf("re-run: exit %d, summary %+v\n%s", code, s, stderr)
	}
	if got := autoconfigFetches(n); len(got) != 0 {
		t.Errorf("re-run fetched autoconfig again: %v", got)
	}
	// A row with a missing file gets just that file back.
	os.Remove(filepath.Join(out, "ben@second.test/user.js"))
	before, _ := os.Stat(filepath.Join(out, "ben@second.test/account.json"))
	runBulk(t, context.Background(), n, false, "", args...)
	rep = readReport(t, mustRead(t, report))
	after, _ := os.Stat(filepath.Join(out, "ben@second.test/account.json"))
	if rep.Rows[9].Status != bulk.StatusOK || len(rep.Rows[9].Files) != 4 || !before.ModTime().Equal(after.ModTime()) {
		t.Errorf("partial row: %+v", rep.Rows[9])
	}
	if _, err := os.Stat(filepath.Join(out, "ben@second.test/user.js")); err != nil {
		t.Error(err)
	}
	// --force writes everything again.
	code, _, _ = runBulk(t, context.Background(), n, false, "", append(args, "--force")...)
	rep = readReport(t, mustRead(t, report))
	if rep.Summary.OK != 6 || code != ExitError {
		t.Errorf("--force: exit %d %+v", code, rep.Summary)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestBulkJSONLFromStdin(t *testing.T) {
	n := bulkNetwork(t)
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runBulk(t, context.Background(), n, false, bulkJSONL, "bulk", "-", "--ispdb", "off", "--sources", "builtin,autoconfig,mx,srv", "--format", "json", "-o", out, "--json")
	if code != ExitError {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	rep := readReport(t, []byte(stdout))
	checkBulkRows(t, rep, 1)
	if rep.Input != "stdin" || strings.Contains(stderr, "readable by other users") {
		t.Errorf("input %q, stderr:\n%s", rep.Input, stderr)
	}
	if got := autoconfigFetches(n); got["example.test"] != 1 || got["second.test"] != 1 || got["xn--bcher-kva.test"] != 1 {
		t.Errorf("autoconfig fetches per domain: %v", got)
	}
	if !strings.Contains(stderr, "stdin:3:10: not-an-address: email:") {
		t.Errorf("stderr:\n%s", stderr)
	}
	noPassword(t, out, stdout, stderr)
}

func TestBulkIncludePassword(t *testing.T) {
	n := bulkNetwork(t)
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.jsonl")
	rows := `{"email":"jane@example.test","password":"S3cret-One"}` + "\n" + `{"email":"amy@second.test"}` + "\n"
	if err := os.WriteFile(input, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "out")
	code, stdout, stderr := runBulk(t, context.Background(), n, false, "", "bulk", input, "--ispdb", "off", "--format", "apple,android,json", "--include-password", "-o", out, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if strings.Contains(stderr, "readable by other users") || !strings.Contains(stderr, "mode 0600") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if strings.Contains(stdout+stderr, "S3cret-One") {
		t.Error("the password is in the output")
	}
	rep := readReport(t, []byte(stdout))
	if rep.Rows[0].Status != bulk.StatusOK || rep.Rows[1].Status != bulk.StatusWarning || rep.Rows[1].Warnings[0].Code != "password.missing" {
		t.Errorf("rows %+v", rep.Rows)
	}
	profile := filepath.Join(out, "jane@example.test/jane@example.test.mobileconfig")
	data, _ := os.ReadFile(profile)
	st, _ := os.Stat(profile)
	if !bytes.Contains(data, []byte("S3cret-One")) || st.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %o, password included: %v", profile, st.Mode().Perm(), bytes.Contains(data, []byte("S3cret-One")))
	}
	js, _ := os.ReadFile(filepath.Join(out, "jane@example.test/account.json"))
	if bytes.Contains(js, []byte("S3cret-One")) {
		t.Error("account.json holds the password")
	}
}

func TestBulkProbeAndLogin(t *testing.T) {
	n := bulkNetwork(t)
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.csv")
	csv := "email,password\n" +
		mailtest.DefaultUser + "," + mailtest.DefaultPassword + "\n" +
		"nobody@example.test,wrong-password\n" +
		mailtest.DefaultUser + "," + mailtest.DefaultPassword + "\n" + // exact duplicate: no second login
		"max@example.test,\n"
	if err := os.WriteFile(input, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runBulk(t, context.Background(), n, false, "", "bulk", input, "--ispdb", "off", "--format", "json",
		"-o", filepath.Join(tmp, "out"), "--probe", "--login", "--login-rate", "50", "--json")
	if code != ExitError {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	rep := readReport(t, []byte(stdout))
	got := []string{}
	for _, r := range rep.Rows {
		c := string(r.Status)
		for _, is := range append(r.Errors, r.Warnings...) {
			c += " " + is.Code
		}
		got = append(got, c)
	}
	want := []string{"ok", "failed auth.failed", "skipped input.duplicate", "warning auth.skipped-no-password"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("rows: %q, want %q", got, want)
	}
	// Two endpoints probed once each, two logins (one per distinct row).
	if s := rep.Summary; s.Probes != 2 || s.Logins != 2 {
		t.Errorf("summary %+v", s)
	}
	logins := 0
	for _, l := range n.ConnLogsFor("imap.example.test") {
		if l.Sent("LOGIN") || l.Sent("AUTHENTICATE") {
			logins++
		}
	}
	if logins != 2 {
		t.Errorf("%d IMAP logins, want 2", logins)
	}
	if strings.Contains(stdout+stderr, mailtest.DefaultPassword) || strings.Contains(stdout+stderr, "wrong-password") {
		t.Error("a password is in the output")
	}
}

func TestBulkNeedsConfirmation(t *testing.T) {
	n := bulkNetwork(t)
	// autoconfig.second.test redirects outside the domain.
	n.AddMailDomain("elsewhere.test")
	n.HandleHTTP("autoconfig.elsewhere.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", ContentType: "text/xml", Body: bulkAutoconfig("elsewhere.test")})
	n.HandleHTTP("autoconfig.second.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", Status: http.StatusFound, Location: "https://autoconfig.elsewhere.test/mail/config-v1.1.xml"})
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"bulk", "-", "--input-format", "csv", "--ispdb", "off", "--sources", "autoconfig", "--format", "json", "-o", out, "--json"}
	code, stdout, stderr := runBulk(t, context.Background(), n, false, "email\namy@second.test\n", args...)
	rep := readReport(t, []byte(stdout))
	if code != ExitError || rep.Rows[0].Errors[0].Code != "discovery.needs-confirmation" || !strings.Contains(stderr, "--yes") {
		t.Fatalf("exit %d %+v\n%s", code, rep.Rows, stderr)
	}
	code, stdout, _ = runBulk(t, context.Background(), n, false, "email\namy@second.test\n", append(args, "--yes")...)
	if rep := readReport(t, []byte(stdout)); code != ExitOK || rep.Rows[0].Status != bulk.StatusOK {
		t.Errorf("--yes: exit %d %+v", code, rep.Rows)
	}
}

func TestBulkProgressOnlyOnTTY(t *testing.T) {
	n := bulkNetwork(t)
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.csv")
	os.WriteFile(input, []byte("email\njane@example.test\namy@second.test\n"), 0o600)
	code, _, stderr := runBulk(t, context.Background(), n, true, "", "bulk", input, "--ispdb", "off", "--format", "json", "-o", filepath.Join(tmp, "tty"))
	if code != ExitOK || !strings.Contains(stderr, "ok 2  warn 0  failed 0") || !strings.Contains(stderr, "2/2") || !strings.Contains(stderr, "rows/s") {
		t.Errorf("terminal: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runBulk(t, context.Background(), n, false, "", "bulk", input, "--ispdb", "off", "--format", "json", "-o", filepath.Join(tmp, "pipe"))
	if code != ExitOK || stderr != "" {
		t.Errorf("not a terminal: exit %d, stderr %q", code, stderr)
	}
}

func TestBulkInterruptedRunResumes(t *testing.T) {
	n := bulkNetwork(t)
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.csv")
	var b strings.Builder
	b.WriteString("email\n")
	for i := range 40 {
		b.WriteString("user" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "@example.test\n")
	}
	b.WriteString("last@second.test\n")
	os.WriteFile(input, []byte(b.String()), 0o600)
	out, report := filepath.Join(tmp, "out"), filepath.Join(tmp, "report.json")
	args := []string{"bulk", input, "--ispdb", "off", "--sources", "autoconfig", "--format", "apple,json", "-o", out, "--report", report, "--jobs", "2"}

	// The run is interrupted (Ctrl-C) when discovery reaches second.test.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n.HandleHTTP("autoconfig.second.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
	})})
	code, _, stderr := runBulk(t, ctx, n, false, "", args...)
	if code != ExitCancelled {
		t.Fatalf("interrupted: exit %d\n%s\n%s\n%+v", code, stderr, mustRead(t, report), n.HTTPRequests())
	}
	rep := readReport(t, mustRead(t, report))
	if rep.Summary.OK+rep.Summary.Failed != rep.Summary.Rows || rep.Rows[len(rep.Rows)-1].Status == bulk.StatusOK {
		t.Errorf("interrupted report: %+v", rep.Summary)
	}
	done := rep.Summary.OK

	n.HandleHTTP("autoconfig.second.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", ContentType: "text/xml", Body: bulkAutoconfig("second.test")})
	code, _, stderr = runBulk(t, context.Background(), n, false, "", args...)
	rep = readReport(t, mustRead(t, report))
	if s := rep.Summary; code != ExitOK || s.Rows != 41 || s.Skipped != done || s.OK != 41-done {
		t.Errorf("resumed: exit %d %+v\n%s", code, s, stderr)
	}
	for _, r := range rep.Rows {
		if len(r.Files) != 2 {
			t.Errorf("line %d: files %v", r.Line, r.Files)
		}
	}
}

// TestBulkResumesAfterCrash is a run killed with the power: its files
// were never fsynced one by one, so some can be empty, some missing, and a
// row's folder can be left half-written in its hidden temporary folder.
// The next run writes exactly those again and cleans up.
func TestBulkResumesAfterCrash(t *testing.T) {
	n := bulkNetwork(t)
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.csv")
	os.WriteFile(input, []byte("email\nann@example.test\nbob@example.test\ncid@example.test\n"), 0o600)
	out, report := filepath.Join(tmp, "out"), filepath.Join(tmp, "report.json")
	args := []string{"bulk", input, "--ispdb", "off", "--sources", "autoconfig", "--format", "apple,json", "-o", out, "--report", report}
	if code, _, stderr := runBulk(t, context.Background(), n, false, "", args...); code != ExitOK {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 4 { // three rows and _domains: no temporary folder left
		t.Fatalf("output holds %v", entries)
	}
	annJSON := filepath.Join(out, "ann@example.test", "account.json")
	want := mustRead(t, annJSON)
	os.Truncate(annJSON, 0)
	os.Remove(filepath.Join(out, "bob@example.test", "bob@example.test.mobileconfig"))
	stale := filepath.Join(out, ".dan@example.test.tmp-4711")
	os.Mkdir(stale, 0o700)
	os.WriteFile(filepath.Join(stale, "account.json"), []byte("{"), 0o644)

	code, _, stderr := runBulk(t, context.Background(), n, false, "", args...)
	rep := readReport(t, mustRead(t, report))
	if s := rep.Summary; code != ExitOK || s.OK != 2 || s.Skipped != 1 {
		t.Fatalf("resumed: exit %d %+v\n%s", code, s, stderr)
	}
	if got := mustRead(t, annJSON); string(got) != string(want) {
		t.Errorf("the emptied file was not written again: %q", got)
	}
	if st, err := os.Stat(filepath.Join(out, "bob@example.test", "bob@example.test.mobileconfig")); err != nil || st.Size() == 0 {
		t.Errorf("the missing file was not written again: %v", err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale temporary folder is still there: %v", err)
	}
}

// TestBulkSlowDomainDoesNotHoldOthers: while one domain's discovery
// hangs, the rows of another domain, before and after it in the input,
// are written; more rows than have goroutines wait for the slow domain
// and are all written once it answers.
func TestBulkSlowDomainDoesNotHoldOthers(t *testing.T) {
	n := bulkNetwork(t)
	var mu sync.Mutex
	release := make(chan struct{})
	current := func() chan struct{} {
		mu.Lock()
		defer mu.Unlock()
		return release
	}
	n.HandleHTTP("autoconfig.second.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-current():
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, bulkAutoconfig("second.test"))
	})})
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.csv")
	var b strings.Builder
	b.WriteString("email\n")
	slow := bulk.Running + 10
	for i := range slow {
		fmt.Fprintf(&b, "slow%d@second.test\nfast%d@example.test\n", i, i)
	}
	os.WriteFile(input, []byte(b.String()), 0o600)
	out := filepath.Join(tmp, "out")
	last := filepath.Join(out, fmt.Sprintf("fast%d@example.test", slow-1), "account.json")
	first := filepath.Join(out, "slow0@second.test", "account.json")
	// The second pass rewrites existing folders with --force: its rows
	// park as well.
	for _, force := range []bool{false, true} {
		args := []string{"bulk", input, "--ispdb", "off", "--sources", "autoconfig", "--no-verify",
			"--format", "json", "-o", out, "--report", filepath.Join(tmp, "report.json")}
		if force {
			args = append(args, "--force")
			os.Remove(last)
			os.Remove(first)
			mu.Lock()
			release = make(chan struct{})
			mu.Unlock()
		}
		type result struct {
			code   int
			stderr string
		}
		done := make(chan result, 1)
		go func() {
			code, _, stderr := runBulk(t, context.Background(), n, false, "", args...)
			done <- result{code, stderr}
		}()
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			if _, err := os.Stat(last); err == nil {
				break
			}
			if time.Now().After(deadline) {
				close(current())
				<-done
				t.Fatalf("force %v: the last example.test row was not written while second.test was being discovered", force)
			}
		}
		if _, err := os.Stat(first); err == nil {
			t.Fatalf("force %v: a second.test row was written before its discovery finished", force)
		}
		close(current())
		r := <-done
		rep := readReport(t, mustRead(t, filepath.Join(tmp, "report.json")))
		if r.code != ExitOK || rep.Summary.OK != 2*slow || rep.Summary.Discoveries != 2 {
			t.Fatalf("force %v: exit %d, %+v\n%s", force, r.code, rep.Summary, r.stderr)
		}
		for i, row := range rep.Rows {
			if row.Line != i+2 {
				t.Fatalf("report row %d is line %d: not in input order", i, row.Line)
			}
		}
	}
}

// TestBulkOutputNotAFolder: an output path that cannot be a folder stops
// the run with one clear error, and a second run cannot write into a
// folder a first run holds.
func TestBulkOutputNotAFolder(t *testing.T) {
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.csv")
	os.WriteFile(input, []byte("email\njane@gmail.com\n"), 0o600)
	file := filepath.Join(tmp, "file")
	os.WriteFile(file, nil, 0o644)
	code, _, stderr := runBulk(t, context.Background(), nil, false, "", "bulk", input, "--offline", "--format", "json", "-o", file)
	if code != ExitError || !strings.Contains(stderr, "output folder") || strings.Contains(stderr, "panic") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	out := filepath.Join(tmp, "out")
	held, err := fsutil.OpenOutputDir(out)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	code, _, stderr = runBulk(t, context.Background(), nil, false, "", "bulk", input, "--offline", "--format", "json", "-o", out)
	if code != ExitError || !strings.Contains(stderr, "another mailsetup run") {
		t.Errorf("second run: exit %d\n%s", code, stderr)
	}
}

func TestBulkUsage(t *testing.T) {
	tmp := t.TempDir()
	good := filepath.Join(tmp, "good.csv")
	os.WriteFile(good, []byte("email\njane@gmail.com\n"), 0o600)
	bad := filepath.Join(tmp, "bad.csv")
	os.WriteFile(bad, []byte("email,phone\njane@gmail.com,1\n"), 0o600)
	for _, args := range [][]string{
		{"bulk"},
		{"bulk", good, "--offline"},
		{"bulk", good, "--offline", "--format", "fax"},
		{"bulk", good, "--offline", "--format", "json", "-o", "-"},
		{"bulk", good, "--offline", "--format", "json", "--input-format", "xml"},
		{"bulk", good, "--offline", "--format", "json", "--probe"},
		{"bulk", good, "--offline", "--format", "json", "--login-rate", "0"},
		{"bulk", good, "--offline", "--format", "apple", "--sign-cert", "x.pem"},
		{"bulk", filepath.Join(tmp, "missing.csv"), "--offline", "--format", "json"},
		{"bulk", bad, "--offline", "--format", "json", "-o", filepath.Join(tmp, "out")},
	} {
		if code, _, stderr := runBulk(t, context.Background(), nil, false, "", args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d: %s", args, code, ExitUsage, stderr)
		}
	}
	code, _, stderr := runBulk(t, context.Background(), nil, false, "", "bulk", bad, "--offline", "--format", "json", "-o", filepath.Join(tmp, "out"))
	if code != ExitUsage || !strings.Contains(stderr, `column 2: unknown column "phone"`) {
		t.Errorf("unknown column: %s", stderr)
	}
}

// TestBulkReportGolden keeps the report's JSON shape stable. Run with
// -update to rewrite testdata/bulk-report.json after an intended change.
func TestBulkReportGolden(t *testing.T) {
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.csv")
	csv := "email,name,username,password,incoming,imap,imap_security,pop3,pop3_security,smtp,smtp_security\n" +
		"jane@gmail.com,Jane,,,,,,,,,\n" +
		"joe@gmail.com,Joe,,,pop3,,,,,,\n" +
		"max@example.com,Max,max,,,mail.example.com:143,,,,mail.example.com,starttls\n" +
		"bad@,,,,,,,,,,\n" +
		"sam@example.com,,,,,,,,pop3,,\n" +
		"jane@gmail.com,Jane,,,,,,,,,\n"
	os.WriteFile(input, []byte(csv), 0o600)
	out := filepath.Join(tmp, "out")
	code, stdout, stderr := runBulk(t, context.Background(), nil, false, "", "bulk", input, "--offline", "--format", "json,thunderbird", "-o", out, "--json", "--jobs", "3")
	if code != ExitError {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	got := strings.ReplaceAll(stdout, tmp, "TMP")
	got = regexp.MustCompile(`"duration_ms": [0-9.e+-]+`).ReplaceAllString(got, `"duration_ms": 0`)
	path := filepath.Join("testdata", "bulk-report.json")
	if updateGolden() {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd -run TestBulkReportGolden -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("the report differs from %s (run with -update if the change is intended)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}

func TestTuneGCForBulk(t *testing.T) {
	limit0, percent0 := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
	debug.SetGCPercent(percent0)
	restore := tuneGCForBulk(func(string) string { return "" }, 2)
	if got := debug.SetMemoryLimit(-1); got != bulkMemoryBase+2*bulkMemoryPerJob {
		t.Errorf("memory limit %d during the run", got)
	}
	if got := debug.SetGCPercent(bulkGCPercent); got != bulkGCPercent {
		t.Errorf("GC percent %d during the run", got)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != limit0 {
		t.Errorf("memory limit %d after the run, want %d", got, limit0)
	}
	if got := debug.SetGCPercent(percent0); got != percent0 {
		t.Errorf("GC percent %d after the run, want %d", got, percent0)
	}
	// The environment wins.
	restore = tuneGCForBulk(func(k string) string { return map[string]string{"GOGC": "50"}[k] }, 2)
	if got := debug.SetMemoryLimit(-1); got != limit0 {
		t.Errorf("memory limit %d with GOGC set", got)
	}
	restore()
}

func TestBulkGuessDelayFor(t *testing.T) {
	for _, tc := range []struct{ timeout, want time.Duration }{
		{20 * time.Second, time.Second},
		{4 * time.Second, time.Second},
		{2 * time.Second, 500 * time.Millisecond},
		{400 * time.Millisecond, 100 * time.Millisecond},
	} {
		if got := bulkGuessDelayFor(tc.timeout); got != tc.want {
			t.Errorf("--timeout %s: guess delay %s, want %s", tc.timeout, got, tc.want)
		}
	}
}

// TestBulkFoldersUniquePerAddress: addresses that differ only in
// characters a file name cannot hold each get their own folder, so with
// --include-password each folder holds its own row's password, and a
// re-run does not take one address's files for another's.
func TestBulkFoldersUniquePerAddress(t *testing.T) {
	tmp := t.TempDir()
	out := filepath.Join(tmp, "out")
	servers := ",imap.manual.test,smtp.manual.test:587\n"
	rows := []struct{ email, pw string }{
		{"o_brien@manual.test", "Pw-Olga-1"}, {"o'brien@manual.test", "Pw-Oscar-2"},
		{"a_b@manual.test", "Pw-Ab-3"}, {"a'b@manual.test", "Pw-Ab-4"}, {"a/b@manual.test", "Pw-Ab-5"},
	}
	input := func(n int) string {
		path := filepath.Join(tmp, fmt.Sprintf("users%d.csv", n))
		csv := "email,password,imap,smtp\n"
		for _, r := range rows[:n] {
			csv += r.email + "," + r.pw + servers
		}
		os.WriteFile(path, []byte(csv), 0o600)
		return path
	}
	runIn := func(in string) bulk.Report {
		t.Helper()
		code, stdout, stderr := runBulk(t, context.Background(), nil, false, "", "bulk", in, "--offline", "--format", "apple,json", "--include-password", "-o", out, "--json")
		if code != ExitOK {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		return readReport(t, []byte(stdout))
	}
	statuses := func(rep bulk.Report) string {
		var s []string
		for _, r := range rep.Rows {
			s = append(s, string(r.Status))
		}
		return strings.Join(s, " ")
	}
	// First only Olga; then everybody: Olga's files are there, Oscar's
	// are not, so Oscar's row is written, not skipped.
	if got := statuses(runIn(input(1))); got != "ok" {
		t.Fatalf("first run: %s", got)
	}
	if got := statuses(runIn(input(len(rows)))); got != "skipped ok ok ok ok" {
		t.Fatalf("second run: %s, want skipped ok ok ok ok", got)
	}
	rep := runIn(input(len(rows)))
	if got := statuses(rep); got != "skipped skipped skipped skipped skipped" {
		t.Fatalf("third run: %s", got)
	}
	folders := map[string]bool{}
	for i, r := range rep.Rows {
		dir := filepath.Dir(r.Files[0])
		if folders[strings.ToLower(dir)] {
			t.Errorf("%s shares the folder %s", r.Email, dir)
		}
		folders[strings.ToLower(dir)] = true
		var profile []byte
		for _, f := range r.Files {
			if strings.HasSuffix(f, ".mobileconfig") {
				profile = mustRead(t, f)
			}
		}
		for j, other := range rows {
			if has := bytes.Contains(profile, []byte(other.pw)); has != (i == j) {
				t.Errorf("%s's profile in %s holds %s's password: %v", r.Email, dir, other.email, has)
			}
		}
	}
	if !folders[strings.ToLower(filepath.Join(out, "o_brien@manual.test"))] {
		t.Errorf("o_brien@manual.test is not in its own readable folder: %v", folders)
	}
}

// TestRowErrorLineForceAdvice: a row refused because its file appeared
// meanwhile (the engine's error names no flag) is printed with the flag
// that replaces it; other errors get no advice.
func TestRowErrorLineForceAdvice(t *testing.T) {
	r := &bulk.RowResult{Line: 3, Email: "jane@example.com"}
	got := rowErrorLine(i18n.New(i18n.EN), "staff.csv", r, bulk.Issue{Code: "write.exists", Message: "out/jane@example.com/account.json already exists"})
	want := "staff.csv:3: jane@example.com: out/jane@example.com/account.json already exists; use --force to replace it [write.exists]"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := rowErrorLine(i18n.New(i18n.EN), "staff.csv", r, bulk.Issue{Code: "write.failed", Message: "disk full"}); strings.Contains(got, "--force") {
		t.Errorf("write.failed line names --force: %q", got)
	}
}

// TestBulkReportWrittenSafely: --report is written beside the target and
// moved over it only when complete; a run that ends before (an error
// while writing, a panic) leaves the previous report whole and no
// temporary file behind.
func TestBulkReportWrittenSafely(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	ios, _, _, _ := iostreams.Test()
	opts := &BulkOptions{IO: ios, Report: path, Output: "out"}
	row := &bulk.RowResult{Line: 2, Email: "jane@example.com", Status: bulk.StatusOK}

	r, err := newBulkReport(opts, "staff.csv", []string{"json"})
	if err != nil {
		t.Fatal(err)
	}
	r.row(row)
	r.discard()
	if got := string(mustRead(t, path)); got != "previous" {
		t.Errorf("a report not committed replaced the previous one: %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}

	r, err = newBulkReport(opts, "staff.csv", []string{"json"})
	if err != nil {
		t.Fatal(err)
	}
	r.row(row)
	if err := r.commit(&bulk.Outcome{Summary: bulk.Summary{Rows: 1, OK: 1}}); err != nil {
		t.Fatal(err)
	}
	r.discard()
	rep := readReport(t, mustRead(t, path))
	if rep.Summary.Rows != 1 || len(rep.Rows) != 1 || rep.Rows[0].Email != "jane@example.com" {
		t.Errorf("committed report: %+v", rep)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}

	// Neither --report nor --json: no report, and its methods do nothing.
	if r, err := newBulkReport(&BulkOptions{IO: ios}, "staff.csv", nil); r != nil || err != nil {
		t.Errorf("no report asked for: %v, %v", r, err)
	} else if err := r.commit(&bulk.Outcome{}); err != nil {
		t.Error(err)
	}
}

// TestBulkTypoDomain: a row whose domain does not exist fails with
// domain.not-found and the "did you mean" suggestion from the provider
// database, as setup gives it, in the row's language; a domain that
// exists but publishes nothing stays discovery.not-found.
func TestBulkTypoDomain(t *testing.T) {
	n := bulkNetwork(t)
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.csv")
	rows := "email,lang\njoe@gmial.com,\nana@gmial.com,ro\nbob@nowhere.test,\n"
	if err := os.WriteFile(input, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(tmp, "report.json")
	code, stdout, stderr := runBulk(t, context.Background(), n, false, "", "bulk", input, "--ispdb", "off", "--format", "json",
		"-o", filepath.Join(tmp, "out"), "--report", report)
	if code != ExitError {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	var rep bulk.Report
	data, _ := os.ReadFile(report)
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	want := []struct{ code, text string }{
		{"domain.not-found", "did you mean joe@gmail.com?"},
		{"domain.not-found", i18n.New(i18n.RO).T("err.domain-not-found-suggest", "ana@gmial.com", "gmial.com", "ana@gmail.com")},
		{"discovery.not-found", ""},
	}
	if len(rep.Rows) != len(want) {
		t.Fatalf("%d rows: %+v", len(rep.Rows), rep.Rows)
	}
	for i, w := range want {
		r := rep.Rows[i]
		if len(r.Errors) == 0 || r.Errors[0].Code != w.code || !strings.Contains(r.Errors[0].Message, w.text) {
			t.Errorf("row %d: %+v, want %s with %q", i, r.Errors, w.code, w.text)
		}
	}
}
