package cmd

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/wizard"
)

// TestSetupScripted runs the guided setup without a terminal: every
// answer from flags, or a missing one naming its flag.
func TestSetupScripted(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	n := mailtest.Start(t)
	n.DNS().AddTXT("nothing.test", "v=spf1 -all") // the domain exists, but serves no mail settings
	dir := t.TempDir()
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string // in stderr for failures
		files []string
	}{
		{"all flags", mailtest.DefaultPassword + "\n", []string{"setup", "--email", mailtest.DefaultUser, "--name", "Jane", "--imap", "imap.example.test",
			"--smtp", "smtp.example.test:587", "--password-stdin", "--export", "apple,json", "-o", filepath.Join(dir, "a")},
			ExitOK, "", []string{"jane@example.test.mobileconfig", "account.json"}},
		{"missing email", "", []string{"setup", "--imap", "imap.example.test", "--smtp", "smtp.example.test"}, ExitUsage, "pass --email or the EMAIL argument", nil},
		{"missing export", "", []string{"setup", mailtest.DefaultUser, "--imap", "imap.example.test", "--smtp", "smtp.example.test"}, ExitUsage, "pass --export or --yes", nil},
		{"missing output", "", []string{"setup", mailtest.DefaultUser, "--imap", "imap.example.test", "--smtp", "smtp.example.test", "--export", "json"}, ExitUsage, "pass -o DIR or --yes", nil},
		{"nothing found", "", []string{"setup", "jane@nothing.test", "--ispdb", "off", "--sources", "srv", "--yes"}, ExitUsage, "pass both an incoming server (--imap or --pop3) and --smtp", nil},
		{"no such domain", "", []string{"setup", "--email", "jane@gmial.com", "--ispdb", "off", "--yes"}, ExitNotFound, "mailsetup: jane@gmial.com: the domain gmial.com does not exist (the DNS has no such name); did you mean jane@gmail.com?", nil},
		{"discovered needs --yes", "", []string{"setup", mailtest.DefaultUser, "--ispdb", "off", "--sources", "guess", "--export", "json", "-o", filepath.Join(dir, "b")}, ExitUsage, "--yes", nil},
		{"--yes", "", []string{"setup", mailtest.DefaultUser, "--ispdb", "off", "--sources", "guess", "--yes", "-o", filepath.Join(dir, "c")},
			ExitOK, "", []string{"setup-sheet.html", "user.js", "jane@example.test.k9s"}},
		{"wrong password", "nope\n", []string{"setup", mailtest.DefaultUser, "--imap", "imap.example.test", "--smtp", "smtp.example.test", "--password-stdin", "--yes", "-o", filepath.Join(dir, "d")},
			ExitAuth, "verification failed", nil},
		{"bad incoming", "", []string{"setup", mailtest.DefaultUser, "--incoming", "smtp"}, ExitUsage, "--incoming", nil},
		{"bad email", "", []string{"setup", "--email", "jane@", "--yes"}, ExitUsage, "--email: invalid e-mail address", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runNet(t, n, tt.stdin, append([]string{"--json"}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", code, tt.code, out, errOut)
			}
			if tt.want != "" && !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q lacks %q", errOut, tt.want)
			}
			if code != ExitOK {
				return
			}
			var res wizard.Result
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("--json: %v\n%s", err, out)
			}
			for _, f := range tt.files {
				found := false
				for _, w := range res.Files {
					found = found || filepath.Base(w.Path) == f
				}
				if !found {
					t.Errorf("%s not in %+v", f, res.Files)
				}
			}
			if strings.Contains(out, mailtest.DefaultPassword) {
				t.Error("password in JSON")
			}
		})
	}
}

// TestNameInAddressAdvice: an address given with a display name is
// refused; the commands that take --name point to it, the others do not
// (the account package names no flags).
func TestNameInAddressAdvice(t *testing.T) {
	const in = "Jane <jane@example.com>"
	tests := []struct {
		args     []string
		wantName bool
	}{
		{[]string{"setup", "--email", in, "--yes"}, true},
		{[]string{"export", in, "--imap", "imap.example.com", "--smtp", "smtp.example.com", "--format", "json", "-o", t.TempDir()}, true},
		{[]string{"discover", in, "--offline"}, false},
		{[]string{"probe", in, "--offline"}, false},
	}
	for _, tt := range tests {
		code, _, errOut := run(t, tt.args...)
		if code != ExitUsage || !strings.Contains(errOut, "without a name or angle brackets") {
			t.Errorf("%s: exit %d, %q; want a usage error about the name", tt.args[0], code, errOut)
			continue
		}
		first, _, _ := strings.Cut(errOut, "\n")
		if got := strings.Contains(first, "use --name for the name"); got != tt.wantName {
			t.Errorf("%s: %q; advice for --name: %v, want %v", tt.args[0], first, got, tt.wantName)
		}
	}
}

// TestAnswerFlags: every answer the wizard can name has its flags here,
// so a missing or bad answer always tells the script what to pass.
func TestAnswerFlags(t *testing.T) {
	for _, a := range []wizard.Answer{wizard.AnswerEmail, wizard.AnswerIncoming, wizard.AnswerServers,
		wizard.AnswerExport, wizard.AnswerOutputDir, wizard.AnswerYes} {
		if len(answerFlags[a]) == 0 || !strings.HasPrefix(answerFlags[a][0], "-") {
			t.Errorf("%s: flags %q", a, answerFlags[a])
		}
	}
	err := setupError(i18n.New(i18n.EN), &wizard.MissingError{Question: "Which protocol?", Answers: []wizard.Answer{wizard.AnswerIncoming, wizard.AnswerYes}})
	if want := `cannot ask "Which protocol?" when not running interactively: pass --incoming imap|pop3 or --yes`; err.Error() != want || ExitCodeFor(err) != ExitUsage {
		t.Errorf("got %q (exit %d), want %q", err, ExitCodeFor(err), want)
	}
	var me *wizard.MissingError
	if !errors.As(err, &me) {
		t.Error("the reworded error does not unwrap to the MissingError")
	}
}
