package cmd

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/bulk"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// catalogPrefix returns the catalogue text of key in l up to its first
// verb, to compare a message that quotes found values with.
func catalogPrefix(l i18n.Lang, key string) string {
	s := i18n.New(l).T(key)
	if i := strings.IndexByte(s, '%'); i >= 0 {
		s = s[:i]
	}
	return s
}

// TestBulkLangColumn: `mailsetup --lang lt bulk` with a CSV lang column
// reports each row's own messages in the row's language, rows without
// one in Lithuanian (--lang), and an unknown language as an input.value
// error on the lang column with its line and column; the other rows are
// still processed and the codes stay English.
func TestBulkLangColumn(t *testing.T) {
	n := bulkNetwork(t)
	// autoconfig.second.test redirects outside the domain: its rows need
	// --yes.
	n.AddMailDomain("elsewhere.test")
	n.HandleHTTP("autoconfig.elsewhere.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", ContentType: "text/xml", Body: bulkAutoconfig("elsewhere.test")})
	n.HandleHTTP("autoconfig.second.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", Status: http.StatusFound, Location: "https://autoconfig.elsewhere.test/mail/config-v1.1.xml"})
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.csv")
	rows := "email,password,lang\n" +
		"jane@example.test,,ro\n" +
		"amy@second.test,,\n" +
		"bob@example.test,,xx\n" +
		"zed@example.test,,EN\n" +
		"ana@second.test,,ro_RO.UTF-8\n"
	if err := os.WriteFile(input, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "out")
	code, stdout, stderr := runBulk(t, context.Background(), n, false, "", "--lang", "lt", "bulk", input,
		"--ispdb", "off", "--sources", "autoconfig", "--format", "json", "--include-password", "-o", out, "--json")
	if code != ExitError {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	rep := readReport(t, []byte(stdout))
	if len(rep.Rows) != 5 {
		t.Fatalf("rows %+v", rep.Rows)
	}
	byEmail := map[string]bulk.RowResult{}
	for _, r := range rep.Rows {
		byEmail[r.Email] = r
	}
	for email, l := range map[string]i18n.Lang{"jane@example.test": i18n.RO, "zed@example.test": i18n.EN} {
		r := byEmail[email]
		want := i18n.New(l).T("bulkrow.password-missing")
		if r.Status != bulk.StatusWarning || len(r.Warnings) != 1 || r.Warnings[0].Code != "password.missing" || r.Warnings[0].Message != want {
			t.Errorf("%s: %+v, want password.missing %q", email, r, want)
		}
		if len(r.Files) == 0 {
			t.Errorf("%s: no files", email)
		}
	}
	for email, l := range map[string]i18n.Lang{"amy@second.test": i18n.LT, "ana@second.test": i18n.RO} {
		r := byEmail[email]
		want := catalogPrefix(l, "bulkrow.needs-confirmation")
		if r.Status != bulk.StatusFailed || len(r.Errors) != 1 || r.Errors[0].Code != "discovery.needs-confirmation" || !strings.HasPrefix(r.Errors[0].Message, want) {
			t.Errorf("%s: %+v, want discovery.needs-confirmation starting %q", email, r, want)
		}
	}
	bob := byEmail["bob@example.test"]
	wantCol := len("bob@example.test,,") + 1
	if bob.Status != bulk.StatusFailed || bob.Line != 4 || len(bob.Errors) != 1 || len(bob.Files) != 0 {
		t.Fatalf("bob: %+v", bob)
	}
	if is := bob.Errors[0]; is.Code != "input.value" || is.Field != "lang" || is.Column != wantCol || is.Message != i18n.New(i18n.LT).T("bulkrow.input.lang", "xx") {
		t.Errorf("bob's error %+v, want input.value on lang, column %d, in Lithuanian", is, wantCol)
	}
	if _, err := os.Stat(filepath.Join(out, "bob@example.test")); !os.IsNotExist(err) {
		t.Errorf("bob's row was processed: %v", err)
	}
}

// TestBulkLangColumnFindings: a login finding (the wrong password) comes
// in the row's language, message and fix, though both rows share one
// server: the probe's findings are rendered per row.
func TestBulkLangColumnFindings(t *testing.T) {
	n := bulkNetwork(t)
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.csv")
	csv := "email,password,lang\n" +
		"nobody@example.test,wrong-password,ro\n" +
		"other@example.test,wrong-password-2,lt\n"
	if err := os.WriteFile(input, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runBulk(t, context.Background(), n, false, "", "bulk", input, "--ispdb", "off", "--format", "json",
		"-o", filepath.Join(tmp, "out"), "--login", "--login-rate", "50", "--json")
	if code != ExitError {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	rep := readReport(t, []byte(stdout))
	if len(rep.Rows) != 2 {
		t.Fatalf("rows %+v", rep.Rows)
	}
	for i, l := range []i18n.Lang{i18n.RO, i18n.LT} {
		r := rep.Rows[i]
		c := i18n.New(l)
		fix := c.T("bulkrow.fix", c.T("probe.auth.failed.fix"))
		start := catalogPrefix(l, "probe.auth.failed.message")
		if len(r.Errors) != 1 || r.Errors[0].Code != "auth.failed" || !strings.Contains(r.Errors[0].Message, ": "+start) || !strings.HasSuffix(r.Errors[0].Message, " "+fix) {
			t.Errorf("%s row: %+v, want auth.failed with %q and %q", l, r.Errors, start, fix)
		}
	}
}
