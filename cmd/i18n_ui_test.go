package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/bulk"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/i18n/i18ntest"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// uiOutput runs export and bulk with --lang l through every path of their
// human output that mailsetup words itself, and returns what a person
// reads: stdout and stderr of each run, the instructions in export
// --json, and the first line of an error (the usage after it is --help
// text, which stays English).
func uiOutput(t *testing.T, l i18n.Lang) string {
	t.Helper()
	lang := []string{"--lang", string(l)}
	var all strings.Builder
	add := func(s ...string) {
		for _, x := range s {
			all.WriteString(x + "\n")
		}
	}

	// export: discovered settings without encryption (the note about
	// STARTTLS, the warning, "using settings from"), the password prompt,
	// every format, the QR code on a terminal.
	n := plainNet(t, true)
	ios, _, out, errOut := iostreams.Test()
	ios.SetTTY(true, true, true)
	f := NewFactory(ios)
	f.Dialer, f.RootCAs = n, n.CAPool()
	f.Getenv = func(string) string { return "" }
	f.readPassword = func() ([]byte, error) { return []byte("s3cret-Passw0rd"), nil }
	args := append(append([]string{"--resolver", n.ResolverAddr()}, lang...), "export", mailtest.DefaultUser, "--yes", "--format", "all",
		"--include-password", "-o", filepath.Join(t.TempDir(), "out"))
	if code := Execute(context.Background(), f, append(args, plainSources...)); code != ExitOK {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	add(out.String(), errOut.String())

	// export --json: the instructions and warnings in the JSON follow --lang.
	code, stdout, stderr := runNet(t, n, "", append(append(lang, "export", mailtest.DefaultUser, "--yes", "--format", "all", "--json",
		"-o", filepath.Join(t.TempDir(), "json")), plainSources...)...)
	if code != ExitOK {
		t.Fatalf("export --json: exit %d: %s", code, stderr)
	}
	var rep exportJSON
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	for _, fl := range rep.Files {
		add(fl.Use)
	}
	for _, w := range rep.Warnings {
		add(w.Message)
	}
	add(stderr)

	// A long name leaves out the QR code (a warning from templates).
	code, stdout, stderr = run(t, append(lang, "export", "jane@example.com", "--imap", "imap.example.com", "--smtp", "smtp.example.com",
		"--name", strings.Repeat("Ion Popescu ", 250), "--format", "android", "-o", filepath.Join(t.TempDir(), "qr"))...)
	if code != ExitOK {
		t.Fatalf("export long name: exit %d: %s", code, stderr)
	}
	add(stdout, stderr)

	// Errors: the prefix, and the cancelled line.
	_, _, stderr = run(t, append(lang, "export")...)
	add(strings.SplitN(stderr, "\n", 2)[0])
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, stderr = runCtx(t, ctx, append(lang, "export", "jane@example.com", "--format", "json", "-o", filepath.Join(t.TempDir(), "c"))...)
	add(stderr)

	// bulk: a row with a password in a file others can read, a row
	// without an address, a domain whose discovery fails, probes and
	// logins, the progress bar, the summary and the report.
	bn := bulkNetwork(t)
	tmp := t.TempDir()
	input := filepath.Join(tmp, "users.csv")
	rows := "email,password\n" + mailtest.DefaultUser + "," + mailtest.DefaultPassword + "\n,x\nann@manual.test,\nbob@nowhere.test,\n"
	if err := os.WriteFile(input, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runBulk(t, context.Background(), bn, true, "", append(lang, "bulk", input, "--ispdb", "off", "--format", "all",
		"--include-password", "--probe", "--login", "-o", filepath.Join(tmp, "out"), "--report", filepath.Join(tmp, "report.jsonl"))...)
	if code != ExitError {
		t.Fatalf("bulk: exit %d\n%s\n%s", code, stdout, stderr)
	}
	add(stdout, stderr)
	add(rowErrorLine(i18n.New(l), "staff.csv", &bulk.RowResult{Line: 3, Email: "jane@example.com"}, bulk.Issue{Code: "write.exists", Message: "x"}))

	// A broken input (a read error) after its first rows.
	add(bulkError(i18n.New(l), "staff.csv", bulk.Summary{}, &bulk.InputError{Line: 3, Err: errors.New("x")}).Error())

	// setup without a terminal, missing answers: the flags that give them.
	for _, args := range [][]string{
		{"setup", "--imap", "imap.example.test", "--smtp", "smtp.example.test"},
		{"setup", "jane@example.test", "--imap", "imap.example.test", "--smtp", "smtp.example.test"},
		{"setup", "jane@example.com", "--offline", "--yes"}, // nothing found: both servers
		{"setup", "jane@gmial.com", "--offline", "--yes"},   // a typo of gmail.com
	} {
		_, _, stderr = run(t, append(lang, args...)...)
		add(strings.SplitN(stderr, "\n", 2)[0])
	}
	// setup in a script against servers that answer but fail the check.
	_, _, stderr = runNet(t, brokenNet(t), "", append(append(lang, "setup", "jane@badcert.test", "--yes", "--export", "json",
		"-o", filepath.Join(t.TempDir(), "broken")), guessOnly...)...)
	add(strings.SplitN(stderr, "\n", 2)[0])
	return all.String()
}

// TestUIOutputInEveryLanguage fails when the Romanian or Lithuanian human
// output of export and bulk holds English from the catalogue (a message
// left out of the catalogue, or a missing key falling back to English),
// and when the English run misses one of their messages: the runs above
// must reach every path.
func TestUIOutputInEveryLanguage(t *testing.T) {
	english := i18ntest.English("export.", "bulk.", "cli.", "setup.", "use.")
	enOut := uiOutput(t, i18n.EN)
	ours := i18ntest.English("export.", "bulk.", "cli.", "setup.")
	if missed := i18ntest.Uncovered(enOut, ours); len(missed) > 0 {
		t.Errorf("the English runs do not reach %v", missed)
	}
	if !strings.Contains(enOut, "  domain nowhere.test: ") {
		t.Error("the English run lacks the failed domain's line")
	}
	for _, l := range []i18n.Lang{i18n.RO, i18n.LT} {
		got := uiOutput(t, l)
		if leaks := i18ntest.Leaks(got, english); len(leaks) > 0 {
			t.Errorf("%s: English in the output: %v\n%s", l, leaks, got)
		}
		if missed := i18ntest.Uncovered(got, i18ntest.Messages(l, "export.", "bulk.", "cli.", "setup.")); len(missed) > 0 {
			t.Errorf("%s: the output lacks %v", l, missed)
		}
		if want := "  " + i18n.New(l).T("bulk.domain") + " nowhere.test: "; !strings.Contains(got, want) {
			t.Errorf("%s: the output lacks %q", l, want)
		}
	}
}

// TestSetupEndScreenFollowsLang: the wizard's end screen names each
// device in the run's language, one line each; the per-file instructions
// are in the setup sheet and in --json's "use", not repeated there.
func TestSetupEndScreenFollowsLang(t *testing.T) {
	n := mailtest.Start(t)
	for _, l := range []i18n.Lang{i18n.EN, i18n.RO, i18n.LT} {
		code, out, errOut := runNet(t, n, mailtest.DefaultPassword+"\n", "--lang", string(l), "setup", "--email", mailtest.DefaultUser, "--name", "Jane",
			"--imap", "imap.example.test", "--smtp", "smtp.example.test:587", "--password-stdin", "--export", "apple,json", "-o", filepath.Join(t.TempDir(), "out"))
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", l, code, errOut)
		}
		cat := i18n.New(l)
		for _, k := range []string{"wizard.device.apple", "wizard.device.json", "wizard.next-steps"} {
			if !strings.Contains(out, cat.T(k)) {
				t.Errorf("%s: the end screen lacks %s:\n%s", l, k, out)
			}
		}
		if strings.Contains(out, cat.T("use.apple.unsigned")) {
			t.Errorf("%s: the end screen repeats the instructions:\n%s", l, out)
		}
	}
}

// TestSetupFoundSettingsFollowLang: the wizard names the source and trust
// of the settings it found, and the provider's notes, in the run's
// language (they were printed as "builtin, trusted" and English notes).
func TestSetupFoundSettingsFollowLang(t *testing.T) {
	for _, l := range []i18n.Lang{i18n.RO, i18n.LT} {
		cat := i18n.New(l)
		code, out, errOut := run(t, "--lang", string(l), "setup", "--email", "jane@gmail.com", "--name", "Jane", "--offline", "--yes",
			"--incoming", "imap", "--export", "json", "-o", filepath.Join(t.TempDir(), "out"))
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", l, code, errOut)
		}
		all := out + errOut
		for _, want := range []string{cat.T("discover.source.builtin"), cat.T("discover.trust.trusted"), cat.T("discover.note.app-password")} {
			if !strings.Contains(all, want) {
				t.Errorf("%s: output lacks %q:\n%s", l, want, all)
			}
		}
		for _, english := range []string{"builtin, trusted", "app password", "Gmail only accepts"} {
			if strings.Contains(all, english) {
				t.Errorf("%s: output has English %q:\n%s", l, english, all)
			}
		}
	}
}
