package cmd

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/templates"
)

// TestFlagErrorsLang runs each invalid command line with --lang ro and
// --lang lt: the exit code is the English run's (2 for usage errors), the
// error is the catalogue's message in that language, and no English text
// of the err.* messages reaches stderr. Flag names and values stay as
// they are.
func TestFlagErrorsLang(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	withCR := filepath.Join(dir, "cr")
	if err := os.WriteFile(withCR, []byte("a\rb\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	full, linked := filepath.Join(dir, "full"), filepath.Join(dir, "linked")
	for _, d := range []string{full, linked} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(full, "account.json"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(empty, filepath.Join(linked, "account.json")); err != nil {
		t.Fatal(err)
	}
	formats := strings.Join(templates.Formats(), ", ")
	servers := []string{"--imap", "imap.example.test", "--smtp", "smtp.example.test"}
	tests := []struct {
		args []string
		code int
		key  string
		vals []any
	}{
		{[]string{"--timeout", "0", "version"}, ExitUsage, "err.timeout", []any{"0s"}},
		{[]string{"discover", "--sources", "bogus", "jane@example.test"}, ExitUsage, "err.sources-unknown", []any{"bogus", sourceNames()}},
		{[]string{"discover", "--ispdb", "http://ispdb.example.test", "jane@example.test"}, ExitUsage, "err.ispdb", nil},
		{[]string{"docs"}, ExitUsage, "err.docs-one", nil},
		{[]string{"explain", "bogus"}, ExitUsage, "err.explain-topic", []any{"bogus", strings.Join(i18n.ExplainTopics, ", ")}},
		{append([]string{"export", "jane@example.test", "-o", dir}, servers...), ExitUsage, "err.format-required", []any{formats}},
		{append([]string{"export", "jane@example.test", "--format", "bogus"}, servers...), ExitUsage, "err.format-unknown", []any{"bogus", formats}},
		{append([]string{"export", "--format", "json"}, servers...), ExitUsage, "err.need-address", nil},
		{append([]string{"export", "jane@example.test", "--format", "apple", "--device", "tv"}, servers...), ExitUsage, "err.device", nil},
		{append([]string{"export", "jane@example.test", "--format", "apple", "--sign-cert", empty}, servers...), ExitUsage, "err.sign-pair", nil},
		{append([]string{"export", "jane@example.test", "--format", "json", "--pop3", "pop.example.test"}, servers...), ExitUsage, "err.imap-or-pop3", nil},
		{[]string{"export", "jane@example.test", "--format", "json", "--imap", "imap.example.test"}, ExitUsage, "err.need-servers", nil},
		{append([]string{"export", "jane@example.test", "--format", "json", "-o", dir, "--password-file", empty}, servers...), ExitUsage, "err.password-unused", nil},
		{append([]string{"export", "jane@example.test", "--format", "json", "-o", dir, "--include-password"}, servers...), ExitUsage, "err.include-password-none", []any{PasswordEnv}},
		{append([]string{"export", "jane@example.test", "--format", "json", "-o", dir, "--include-password", "--password-stdin", "--password-file", empty}, servers...), ExitUsage, "err.password-stdin-or-file", nil},
		{append([]string{"export", "jane@example.test", "--format", "json", "-o", dir, "--include-password", "--password-file", empty}, servers...), ExitError, "err.password-empty", []any{empty}},
		{append([]string{"export", "jane@example.test", "--format", "json", "-o", dir, "--include-password", "--password-file", withCR}, servers...), ExitError, "err.password-cr", []any{withCR}},
		{append([]string{"export", "jane@example.test", "--format", "json", "-o", dir, "--include-password", "--password-file", filepath.Join(dir, "none")}, servers...), ExitError, "err.password-file", nil},
		{[]string{"probe", "--imap-security", "tls", "--smtp", "smtp.example.test"}, ExitUsage, "err.security-without-server", []any{"imap", "imap"}},
		{[]string{"probe", "--imap", "imap.example.test:99999"}, ExitUsage, "err.flag-value", []any{"imap", i18n.M("err.bad-port", "99999")}},
		{[]string{"setup", "jane@example.test", "--email", "joe@example.test"}, ExitUsage, "err.address-once", nil},
		{[]string{"setup", "jane@example.test", "--incoming", "mapi"}, ExitUsage, "err.incoming", nil},
		{[]string{"setup", "jane@example.test", "--incoming", "pop3", "--imap", "imap.example.test"}, ExitUsage, "err.incoming-contradicts", []any{"pop3", "imap"}},
		{[]string{"setup", "jane@example.test", "--export", "fax"}, ExitUsage, "err.export-target", nil},
		{append([]string{"export", "jane@example.test", "--format", "json", "-o", full}, servers...), ExitError, "err.file-exists", []any{filepath.Join(full, "account.json")}},
		{append([]string{"export", "jane@example.test", "--format", "json", "-o", linked}, servers...), ExitError, "err.file-symlink", []any{filepath.Join(linked, "account.json")}},
		{[]string{"export", "jane@nowhere.example.test", "--format", "json", "--offline"}, ExitNotFound, "discover.err-nothing", []any{"jane@nowhere.example.test"}},
		{[]string{"export", "jane@gmial.com", "--format", "json", "--offline"}, ExitNotFound, "err.domain-typo-offline", []any{"jane@gmial.com", "gmial.com", "jane@gmail.com"}},
	}
	for _, tt := range tests {
		name := strings.Join(tt.args, " ")
		enCode, _, enErr := run(t, append([]string{"--lang", "en"}, tt.args...)...)
		if enCode != tt.code || !strings.Contains(enErr, longestPiece(i18n.New(i18n.EN).T(tt.key))) {
			t.Errorf("%s: en: exit %d, want %d: %q", name, enCode, tt.code, enErr)
		}
		for _, lang := range []i18n.Lang{i18n.RO, i18n.LT} {
			cat := i18n.New(lang)
			code, _, errOut := run(t, append([]string{"--lang", string(lang)}, tt.args...)...)
			if code != tt.code {
				t.Errorf("%s: %s: exit %d, want %d: %q", name, lang, code, tt.code, errOut)
			}
			firstLine, _, _ := strings.Cut(errOut, "\n")
			want := cat.T(tt.key)
			if tt.vals != nil {
				want = cat.Render(i18n.M(tt.key, tt.vals...))
			} else if strings.Contains(want, "%") {
				want = longestPiece(want)
			}
			if !strings.Contains(firstLine, want) {
				t.Errorf("%s: %s: error line %q lacks %q", name, lang, firstLine, want)
			}
			if leaks := i18n.EnglishLeaks(lang, firstLine, "err.", "probe.address."); len(leaks) > 0 {
				t.Errorf("%s: %s: English in %q: %q", name, lang, firstLine, leaks)
			}
		}
	}
}

// TestPasswordFileWarningLang exports with a password file other users
// can read, in Romanian and Lithuanian: the export works and the warning
// is in the run's language, the file name and mode as they are.
func TestPasswordFileWarningLang(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("Secret-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(pwFile, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []i18n.Lang{i18n.RO, i18n.LT} {
		cat := i18n.New(lang)
		code, _, errOut := run(t, "--lang", string(lang), "export", "jane@example.test", "--format", "json", "-o", t.TempDir(),
			"--imap", "imap.example.test", "--smtp", "smtp.example.test", "--include-password", "--password-file", pwFile)
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %q", lang, code, errOut)
		}
		if want := cat.T("err.password-file-readable", pwFile, os.FileMode(0o644)); !strings.Contains(errOut, want) {
			t.Errorf("%s: stderr %q lacks %q", lang, errOut, want)
		}
		if leaks := i18n.EnglishLeaks(lang, errOut, "err."); len(leaks) > 0 {
			t.Errorf("%s: English in %q: %q", lang, errOut, leaks)
		}
	}
}

// longestPiece returns the longest text of msg between its format verbs.
func longestPiece(msg string) string {
	longest := ""
	for _, p := range regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`).Split(msg, -1) {
		if len(p) > len(longest) {
			longest = p
		}
	}
	return longest
}

// TestProbeAddressNoAnswerLang probes a server whose IPv6 address never
// answers with --lang ro and lt: the report quotes that address's error
// in the run's language, the network's own words as they are.
func TestProbeAddressNoAnswerLang(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	n := mailtest.Start(t)
	n.SetAddressFamilies("imap.example.test", true, true)
	n.SetReachability("imap.example.test", mailtest.IPv6, mailtest.Blackhole)
	// The address waits probe.DefaultPhaseTimeout; the languages run side
	// by side.
	for _, lang := range []i18n.Lang{i18n.RO, i18n.LT} {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			cat := i18n.New(lang)
			code, out, errOut := runNet(t, n, "", "--lang", string(lang), "probe", "--imap", "imap.example.test")
			if code != ExitOK {
				t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
			}
			if want := longestPiece(cat.T("probe.address.no-answer")); !strings.Contains(out, want) || !strings.Contains(out, "context deadline exceeded") {
				t.Errorf("report lacks %q:\n%s", want, out)
			}
			if leaks := i18n.EnglishLeaks(lang, out+errOut, "probe.", "err."); len(leaks) > 0 {
				t.Errorf("English in the report: %q\n%s%s", leaks, out, errOut)
			}
		})
	}
}
