//go:build !windows

package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	expect "github.com/Netflix/go-expect"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// TestPTYDiscoveredDefaultEscaped: a discovered username offered as the
// default of a question is shown escaped on the terminal, and taking the
// default keeps the exact username.
func TestPTYDiscoveredDefaultEscaped(t *testing.T) {
	user := "jane\u202eexe.@example.test"
	n := autoconfigNet(t, "imap.example.test")
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", ContentType: "text/xml",
		Body: strings.ReplaceAll(bulkAutoconfig("example.test"), "%EMAILADDRESS%", user)})
	dir := filepath.Join(t.TempDir(), "out")
	args := append(setupArgs, "jane@example.test", "--name", "Jane", "--incoming", "imap", "--no-verify", "-o", dir, "--export", "json")
	code := ptyRun(t, n, args, func(c *expect.Console) {
		step(t, c, "Use these settings?", keyDown+keyEnter) // Edit them: one field at a time
		for i, p := range []string{"IMAP", "SMTP"} {
			step(t, c, "Which setting?", strings.Repeat(keyDown, 5+4*i)+keyEnter) // the username
			step(t, c, p+" username", "")
			// The default, raw or escaped: only the escaped form may show.
			shown, err := c.Expect(expect.Regexp(regexp.MustCompile(`\(jane.*@example\.test\)`)))
			if err != nil || !strings.Contains(shown, `(jane\u202eexe.@example.test)`) || strings.Contains(shown, "\u202e") {
				t.Errorf("%s username default shown as %q, %v", p, shown, err)
			}
			if _, err := c.Send(keyEnter); err != nil {
				t.Error(err)
			}
		}
		step(t, c, "Which setting?", strings.Repeat(keyDown, 10)+keyEnter) // Done (no password field: --no-verify)
		step(t, c, "Write the files", keyEnter)                            // the review
		step(t, c, "Done.", "")
	})
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	data, err := os.ReadFile(filepath.Join(dir, "account.json"))
	if err != nil {
		t.Fatal(err)
	}
	var a account.Account
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	if a.Incoming.Username != user || a.Outgoing.Username != user {
		t.Errorf("usernames %q and %q, want %q", a.Incoming.Username, a.Outgoing.Username, user)
	}
}
