//go:build !windows

package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	expect "github.com/Netflix/go-expect"

	"github.com/mailsetup/mailsetup/internal/mailtest"
)

var guessSetupArgs = []string{"setup", "--ispdb", "off", "--sources", "guess"}

// TestPTYFoundBrokenCertificate: in a terminal, servers that answer with
// an expired certificate are listed with their reason and are the
// defaults the user corrects; the corrected settings pass the check.
func TestPTYFoundBrokenCertificate(t *testing.T) {
	n := brokenNet(t)
	dir := filepath.Join(t.TempDir(), "out")
	erase := strings.Repeat("\b", 40)
	code := ptyRun(t, n, append(guessSetupArgs, "jane@badcert.test", "--name", "Jane", "--incoming", "imap", "-o", dir, "--export", "json"), func(c *expect.Console) {
		step(t, c, "none passed the live check", "")
		step(t, c, "imap.badcert.test:993", "")
		step(t, c, "expired", "")
		step(t, c, "Correct the settings below", "")
		step(t, c, "IMAP server name", "") // prefilled with the server found
		step(t, c, "imap.badcert.test", erase+"imap.example.test"+keyEnter)
		step(t, c, "IMAP connection security", keyEnter)
		step(t, c, "IMAP port", keyEnter)
		step(t, c, "IMAP username", erase+mailtest.DefaultUser+keyEnter)
		step(t, c, "SMTP server name", "")
		step(t, c, "smtp.badcert.test", erase+"smtp.example.test"+keyEnter)
		step(t, c, "SMTP connection security", keyEnter)
		step(t, c, "SMTP port", keyEnter)
		step(t, c, "SMTP username", erase+mailtest.DefaultUser+keyEnter)
		step(t, c, "Password for", keyEnter)
		step(t, c, "Write the files", keyEnter) // the review
		step(t, c, "Done.", "")
	})
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "account.json"))
	if !strings.Contains(string(data), `"host": "imap.example.test"`) || !strings.Contains(string(data), `"host": "smtp.example.test"`) {
		t.Errorf("account:\n%s", data)
	}
}

// TestPTYOutgoingFollowsTypedIncoming: with nothing found, the SMTP
// default follows the IMAP host the user typed, so Enter takes it.
func TestPTYOutgoingFollowsTypedIncoming(t *testing.T) {
	n := mailtest.Start(t)
	n.DNS().AddTXT("lost.test", "v=spf1 -all") // the domain exists, but nothing serves its settings
	dir := filepath.Join(t.TempDir(), "out")
	erase := strings.Repeat("\b", 40)
	code := ptyRun(t, n, append(guessSetupArgs, "jane@lost.test", "--name", "Jane", "--incoming", "imap", "-o", dir, "--export", "json"), func(c *expect.Console) {
		step(t, c, "IMAP server name", erase+"imap.example.test"+keyEnter)
		step(t, c, "IMAP connection security", keyEnter)
		step(t, c, "IMAP port", keyEnter)
		step(t, c, "IMAP username", keyEnter)
		step(t, c, "SMTP server name", "")
		step(t, c, "smtp.example.test", keyEnter)
		step(t, c, "SMTP connection security", keyEnter)
		step(t, c, "SMTP port", keyEnter)
		step(t, c, "SMTP username", keyEnter)
		step(t, c, "Password for", keyEnter)
		step(t, c, "Write the files", keyEnter) // the review
		step(t, c, "Done.", "")
	})
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "account.json"))
	if !strings.Contains(string(data), `"host": "smtp.example.test"`) {
		t.Errorf("account:\n%s", data)
	}
}
