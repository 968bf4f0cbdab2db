package cmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/termtext"
)

// scriptedSetup are the flags of a setup that needs neither a prompt
// nor the network.
var scriptedSetup = []string{"setup", "--email", "jane@example.com", "--name", "Jane", "--imap", "imap.example.com", "--smtp", "smtp.example.com", "--no-verify"}

// TestJSONSchemaField: setup, discover and probe JSON name their shape
// as bulk's report does, besides their other fields.
func TestJSONSchemaField(t *testing.T) {
	n := mailtest.Start(t)
	for _, tc := range []struct {
		schema, field string
		args          []string
	}{
		{"mailsetup-setup/1", "account", append(scriptedSetup, "--export", "none", "--json")},
		{"mailsetup-discover/1", "candidates", []string{"discover", "jane@gmail.com", "--offline", "--json"}},
		{"mailsetup-probe/1", "endpoints", []string{"probe", "--imap", "imap.example.test", "--json"}},
	} {
		code, out, errOut := runNet(t, n, "", tc.args...)
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", tc.args[0], code, errOut)
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%s: %v\n%s", tc.args[0], err, out)
		}
		if string(doc["schema"]) != `"`+tc.schema+`"` || doc[tc.field] == nil {
			t.Errorf("%s: schema %s, %s %s", tc.args[0], doc["schema"], tc.field, doc[tc.field])
		}
		if !strings.HasPrefix(out, "{\n  \"schema\"") {
			t.Errorf("%s: schema is not the first field:\n%.80s", tc.args[0], out)
		}
	}
}

// TestQuiet: --quiet drops the progress text on stderr (setup's messages
// next to --json, probe's "probing" line) and keeps stdout.
func TestQuiet(t *testing.T) {
	n := mailtest.Start(t)
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", ContentType: "text/xml", Body: bulkAutoconfig("example.test")})
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"setup", append(scriptedSetup, "--export", "none", "--json")},
		{"probe", []string{"probe", mailtest.DefaultUser, "--ispdb", "off", "--sources", "autoconfig"}},
	} {
		code, out, errOut := runNet(t, n, "", tc.args...)
		if code != ExitOK || errOut == "" {
			t.Fatalf("%s: exit %d, stderr %q: nothing to suppress", tc.name, code, errOut)
		}
		qcode, qout, qerrOut := runNet(t, n, "", append([]string{"--quiet"}, tc.args...)...)
		if qcode != ExitOK || qerrOut != "" {
			t.Errorf("%s --quiet: exit %d, stderr %q", tc.name, qcode, qerrOut)
		}
		if strings.Count(qout, "\n") != strings.Count(out, "\n") || qout == "" {
			t.Errorf("%s --quiet changed stdout:\n%s\n----\n%s", tc.name, out, qout)
		}
	}
	// Errors still show.
	if code, _, errOut := runNet(t, n, "", "--quiet", "setup", "--email", "jane@", "--yes"); code != ExitUsage || errOut == "" {
		t.Errorf("--quiet error: exit %d, stderr %q", code, errOut)
	}
}

// TestSetupAdminFilesOnlyWhenAsked: the domain-wide autoconfig copy and
// the Outlook .prf are written only for --export admin, not with the
// formats they come from nor with all.
func TestSetupAdminFilesOnlyWhenAsked(t *testing.T) {
	admin := []string{"config-v1.1-domain.xml", "outlook.prf"}
	for _, tc := range []struct {
		export        string
		want, without []string
	}{
		{"thunderbird,outlook", []string{"config-v1.1.xml", "user.js", "outlook-autodiscover.reg"}, admin},
		{"all", []string{"config-v1.1.xml", "outlook-autodiscover.reg", "setup-sheet.html"}, admin},
		{"admin", admin, []string{"config-v1.1.xml", "user.js", "outlook-autodiscover.reg"}},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		code, _, errOut := run(t, append(scriptedSetup, "--export", tc.export, "-o", dir)...)
		if code != ExitOK {
			t.Fatalf("--export %s: exit %d: %s", tc.export, code, errOut)
		}
		for _, name := range tc.want {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				t.Errorf("--export %s: %v", tc.export, err)
			}
		}
		for _, name := range tc.without {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				t.Errorf("--export %s wrote %s", tc.export, name)
			}
		}
	}
}

// TestSetupJSONAbsolutePaths: a relative -o gives absolute paths, in the
// JSON and on the end screen.
func TestSetupJSONAbsolutePaths(t *testing.T) {
	tmp := t.TempDir()
	t.Chdir(tmp)
	code, out, errOut := run(t, append(scriptedSetup, "--export", "json", "-o", "out", "--json")...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Files []struct{ Path string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Files) != 1 {
		t.Fatalf("%v\n%s", err, out)
	}
	p := res.Files[0].Path
	if !filepath.IsAbs(p) || !strings.HasSuffix(p, filepath.Join("out", "account.json")) {
		t.Errorf("path %q is not absolute", p)
	}
	if !strings.Contains(errOut, p) {
		t.Errorf("the end screen lacks %q:\n%s", p, errOut)
	}
}

// runTerminal runs mailsetup with stdout a terminal of width columns and
// colour on, as iostreams.System would set it on a colour terminal.
func runTerminal(t *testing.T, width int, getenv func(string) string, args ...string) (int, string) {
	t.Helper()
	ios, _, out, _ := iostreams.Test()
	ios.SetTTY(false, true, false)
	ios.SetColorEnabled(true)
	ios.SetTerminalWidth(width)
	f := NewFactory(ios)
	f.Getenv = getenv
	code := Execute(context.Background(), f, args)
	return code, out.String()
}

// TestDiscoverWrapsOnTerminal: discover's human output is wrapped at
// spaces to a terminal's width, and not when stdout is not a terminal.
func TestDiscoverWrapsOnTerminal(t *testing.T) {
	args := []string{"--lang", "ro", "discover", "jane@gmail.com", "--offline", "--no-color"}
	code, raw, _ := run(t, args...)
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	wide := false
	for _, l := range strings.Split(raw, "\n") {
		wide = wide || termtext.Width(l) > 50
	}
	if !wide {
		t.Fatal("no line wider than 50 columns to wrap")
	}
	code, out := runTerminal(t, 50, func(string) string { return "" }, args...)
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, l := range strings.Split(out, "\n") {
		if termtext.Width(l) > 50 && len(strings.Fields(l)) > 1 {
			t.Errorf("line of %d columns: %q", termtext.Width(l), l)
		}
	}
	if strings.Join(strings.Fields(raw), " ") != strings.Join(strings.Fields(out), " ") {
		t.Errorf("wrapping changed the words:\n%s\n----\n%s", raw, out)
	}
}

// TestNoColorEnvironment: NO_COLOR, read through the Factory's Getenv,
// turns colour off on a terminal.
func TestNoColorEnvironment(t *testing.T) {
	args := []string{"discover", "jane@gmail.com", "--offline"}
	_, coloured := runTerminal(t, 200, func(string) string { return "" }, args...)
	if !strings.Contains(coloured, "\x1b[") {
		t.Fatalf("no colour on a colour terminal:\n%s", coloured)
	}
	_, plain := runTerminal(t, 200, func(k string) string {
		if k == "NO_COLOR" {
			return "1"
		}
		return ""
	}, args...)
	if strings.Contains(plain, "\x1b") {
		t.Errorf("colour with NO_COLOR set:\n%q", plain)
	}
	if !strings.Contains(plain, i18n.New(i18n.EN).T("discover.recommended")) {
		t.Errorf("no report:\n%s", plain)
	}
}

// TestExportWrapsOnTerminal: export's list of files and instructions is
// wrapped at spaces to a terminal's width.
func TestExportWrapsOnTerminal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, out := runTerminal(t, 50, func(string) string { return "" }, "--lang", "lt", "export", "jane@gmx.net", "--offline", "--format", "apple,thunderbird", "-o", dir)
	if code != ExitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	use := i18n.New(i18n.LT).T("use.thunderbird.userjs")
	if termtext.Width(use) <= 50 {
		t.Fatalf("%q fits in 50 columns: nothing to wrap", use)
	}
	for _, l := range strings.Split(out, "\n") {
		if termtext.Width(l) > 50 && len(strings.Fields(l)) > 1 {
			t.Errorf("line of %d columns: %q", termtext.Width(l), l)
		}
	}
	if !strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(strings.Fields(use), " ")) {
		t.Errorf("the instructions are missing or changed:\n%s", out)
	}
}

// TestDiscoverShowsUnicodeDomain: servers under an international domain
// are shown in Unicode, and the JSON keeps the ASCII form DNS and the
// servers get.
func TestDiscoverShowsUnicodeDomain(t *testing.T) {
	n := mailtest.Start(t)
	n.AddMailDomain("xn--bcher-kva.test")
	n.HandleHTTP("autoconfig.xn--bcher-kva.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", ContentType: "text/xml",
		Body: bulkAutoconfig("xn--bcher-kva.test")})
	args := []string{"discover", "jane@bücher.test", "--ispdb", "off", "--sources", "autoconfig", "--no-verify"}
	code, out, errOut := runNet(t, n, "", args...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "imap.") || strings.Contains(l, "smtp.") {
			if strings.Contains(l, "xn--") || !strings.Contains(l, "bücher.test") {
				t.Errorf("server line not in Unicode: %q", l)
			}
		}
	}
	if !strings.Contains(out, "imap.bücher.test") {
		t.Errorf("no imap.bücher.test in:\n%s", out)
	}
	_, js, _ := runNet(t, n, "", append(args, "--json")...)
	if !strings.Contains(js, `"host": "imap.xn--bcher-kva.test"`) {
		t.Errorf("the JSON does not keep the ASCII host:\n%s", js)
	}
}
