package cmd

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/internal/mailtest"
)

var digitRun = regexp.MustCompile(`[0-9][0-9.]*(ns|µs|ms|s)?`)

// normaliseOutput masks what differs between two runs of one command
// (timings, the output folder) and sorts the lines (concurrent probes
// interleave in the trace).
func normaliseOutput(out, dir string) []string {
	if dir != "" {
		out = strings.ReplaceAll(out, dir, "<dir>")
	}
	lines := strings.Split(digitRun.ReplaceAllString(out, "0"), "\n")
	slices.Sort(lines)
	return lines
}

// TestCommandsNeverPrintCredentials runs probe (human, --json, -v) and
// setup against good.test with passwords that occur in its host names and
// user name, right and wrong: host names and the user name come out
// intact, and the output depends on the password in no way (compared with
// the same run using a password of tildes), so no form of it, plain,
// base64 or base64 of the SASL PLAIN response, reaches stdout or stderr.
func TestCommandsNeverPrintCredentials(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	os.Unsetenv(PasswordEnv)
	const user = "alice@good.test"
	probeArgs := []string{"probe", "--imap", "imap.good.test", "--smtp", "mail.good.test:587", "--pop3", "pop.good.test", "--user", user, "--password-stdin", "-v"}
	scenarios := []struct {
		name string
		args func(dir string) []string
	}{
		{"probe", func(string) []string { return probeArgs }},
		{"probe --json", func(string) []string { return append([]string{"--json"}, probeArgs...) }},
		{"setup", func(dir string) []string {
			return []string{"-v", "setup", user, "--imap", "imap.good.test", "--smtp", "mail.good.test:587", "--password-stdin", "--yes", "-o", dir}
		}},
		{"setup --json", func(dir string) []string {
			return []string{"--json", "-v", "setup", user, "--imap", "imap.good.test", "--smtp", "mail.good.test:587", "--password-stdin", "--yes", "-o", dir}
		}},
	}
	for _, pw := range []string{"good", "test", "a", "x", "mail"} {
		for _, right := range []bool{true, false} {
			n := mailtest.Start(t, mailtest.Bare())
			n.AddMailDomain("good.test")
			for _, sc := range scenarios {
				name := sc.name + "/" + pw
				if !right {
					name += "/wrong"
				}
				t.Run(name, func(t *testing.T) {
					run := func(password string) (int, string, string) {
						n.AddUser(user, "Srv-only-9")
						if right {
							n.AddUser(user, password)
						}
						dir := filepath.Join(t.TempDir(), "out")
						code, out, errOut := runNet(t, n, password+"\n", sc.args(dir)...)
						return code, strings.Join(normaliseOutput(out+"\n"+errOut, dir), "\n"), out + errOut
					}
					code, out, raw := run(pw)
					wantCode := ExitOK
					if !right {
						wantCode = ExitAuth
					}
					if code != wantCode {
						t.Fatalf("exit %d, want %d\n%s", code, wantCode, raw)
					}
					for _, intact := range []string{"imap.good.test", "mail.good.test", user, "[credentials]"} {
						if !strings.Contains(raw, intact) {
							t.Errorf("output lacks %q:\n%s", intact, raw)
						}
					}
					for _, form := range []string{base64.StdEncoding.EncodeToString([]byte(pw)),
						base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pw))} {
						if strings.Contains(raw, form) {
							t.Errorf("the password appears encoded as %q:\n%s", form, raw)
						}
					}
					control := strings.Repeat("~", len(pw))
					_, cout, craw := run(control)
					if strings.Contains(craw, control) {
						t.Fatalf("the control password appears in the output:\n%s", craw)
					}
					if out != cout {
						a, b := strings.Split(out, "\n"), strings.Split(cout, "\n")
						for i := range min(len(a), len(b)) {
							if a[i] != b[i] {
								t.Errorf("output depends on the password:\n  with it: %s\n  control: %s", a[i], b[i])
								break
							}
						}
						if len(a) != len(b) {
							t.Errorf("output depends on the password: %d lines, control %d", len(a), len(b))
						}
					}
				})
			}
		}
	}
}
