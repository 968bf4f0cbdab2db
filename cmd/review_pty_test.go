//go:build !windows

package cmd

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	expect "github.com/Netflix/go-expect"

	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// TestPTYReviewEditOneField: the review before writing lists every
// setting; changing one field there asks only its question (the IMAP
// security, whose port follows), checks again and comes back to the
// review, which then writes.
func TestPTYReviewEditOneField(t *testing.T) {
	n := autoconfigNet(t, "imap.example.test")
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRun(t, n, append(setupArgs, "jane@example.test", "--name", "Jane", "--incoming", "imap", "-o", dir, "--export", "json"), func(c *expect.Console) {
		step(t, c, "Use these settings?", keyEnter)
		step(t, c, "Password for", keyEnter)
		step(t, c, "Check the settings before the files are written", "")
		step(t, c, "IMAP imap.example.test:993 SSL/TLS (jane@example.test)", "")
		step(t, c, "SMTP smtp.example.test:465 SSL/TLS (jane@example.test)", "")
		step(t, c, "Live check", "")
		step(t, c, "Write the files", keyDown+keyEnter)                           // Change one setting
		step(t, c, "Which setting?", keyDown+keyDown+keyDown+keyEnter)            // IMAP connection security
		step(t, c, "IMAP connection security", "")                                // the picker's answer
		step(t, c, "STARTTLS (starts plain", keyDown+keyEnter)                    // the question itself: STARTTLS
		step(t, c, "IMAP imap.example.test:143 STARTTLS (jane@example.test)", "") // the review again, port followed
		step(t, c, "Write the files", keyEnter)
		step(t, c, "Done.", "")
	})
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "account.json"))
	if !strings.Contains(string(data), `"port": 143`) || !strings.Contains(string(data), `"security": "starttls"`) || !strings.Contains(string(data), `"host": "smtp.example.test"`) {
		t.Errorf("account after one change:\n%s", data)
	}
}

// TestPTYReviewQuit: quitting at the review writes nothing and exits
// 130, like Ctrl-C.
func TestPTYReviewQuit(t *testing.T) {
	n := autoconfigNet(t, "imap.example.test")
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRun(t, n, append(setupArgs, "jane@example.test", "--name", "Jane", "--incoming", "imap", "-o", dir, "--export", "json"), func(c *expect.Console) {
		step(t, c, "Use these settings?", keyEnter)
		step(t, c, "Password for", keyEnter)
		step(t, c, "Write the files", keyDown+keyDown+keyDown+keyEnter) // Quit
	})
	if code != ExitCancelled {
		t.Errorf("exit %d, want %d", code, ExitCancelled)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("quitting at the review left an output folder behind")
	}
}

// TestPTYContinuePastFailedCheck: continuing past a failed live check is
// allowed, and the review, the summary, the --json result (verification
// with the failure, a warning) and the written setup sheet say so.
func TestPTYContinuePastFailedCheck(t *testing.T) {
	n := autoconfigNet(t, "mail.example.test")
	n.SetCertKind("mail.example.test", mailtest.CertWrongName)
	dir := filepath.Join(t.TempDir(), "out")
	var stdout bytes.Buffer
	code := ptyRunOut(t, n, append(setupArgs, "--json", "jane@example.test", "--name", "Jane", "--incoming", "imap", "-o", dir, "--export", "json,sheet"), &stdout, func(c *expect.Console) {
		step(t, c, "Use these settings?", keyEnter)
		step(t, c, "Password for", keyEnter)
		step(t, c, "certificate is for", "")
		step(t, c, "The check failed", keyDown+keyDown+keyEnter) // Continue anyway
		step(t, c, "Live check", "")
		step(t, c, "FAILED: IMAP mail.example.test:993", "")
		step(t, c, "the setup sheet will say", "")
		step(t, c, "Write the files", keyEnter)
		step(t, c, "Done.", "")
		step(t, c, "Warning: these settings failed the live check (IMAP mail.example.test:993", "")
	})
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	var res struct {
		Verification struct {
			Verdict   string `json:"verdict"`
			Endpoints []any  `json:"endpoints"`
			Continued bool   `json:"continued_after_failure"`
			Failure   string `json:"failure"`
		} `json:"verification"`
		Warnings []struct{ Code, Message string } `json:"warnings"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("JSON: %v\n%s", err, stdout.String())
	}
	v := res.Verification
	if v.Verdict != "fail" || len(v.Endpoints) != 2 || !v.Continued || !strings.Contains(v.Failure, "mail.example.test") {
		t.Errorf("verification %+v", v)
	}
	if len(res.Warnings) == 0 || res.Warnings[0].Code != "verification.failed" {
		t.Errorf("warnings %+v", res.Warnings)
	}
	html, _ := os.ReadFile(filepath.Join(dir, "setup-sheet.html"))
	md, _ := os.ReadFile(filepath.Join(dir, "setup-sheet.md"))
	if !strings.Contains(string(html), `<p class="warn"><strong>Warning:</strong> These settings failed the live check when this sheet was made (IMAP mail.example.test:993`) {
		t.Errorf("HTML sheet has no warning box")
	}
	if !strings.Contains(string(md), "> **Warning:** These settings failed the live check when this sheet was made (IMAP mail.example.test:993") {
		t.Errorf("Markdown sheet has no warning:\n%s", md)
	}
}
