//go:build !windows

package cmd

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	expect "github.com/Netflix/go-expect"
	"github.com/hinshun/vt10x"

	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// TestPTYOutgoingAlternatives: the guided setup shows the provider's
// texts before the password; when the live check fails at the outgoing
// server (port 465 refused here), it names the provider's other outgoing
// servers and offers them, and the one picked is checked and written.
func TestPTYOutgoingAlternatives(t *testing.T) {
	n := providerNet(t)
	n.SetBehavior("smtp.example.test:465", mailtest.Behavior{Handler: func(conn net.Conn, _ mailtest.Endpoint) { conn.Close() }})
	dir := filepath.Join(t.TempDir(), "out")
	// Wide enough that no line this test waits for is wrapped.
	code := ptyRunTerm(t, n, append(setupArgs, "jane@example.test", "--name", "Jane", "--incoming", "imap", "-o", dir, "--export", "json"), nil, 200, func(c *expect.Console, _ vt10x.Terminal) {
		step(t, c, "From the provider (its own words):", "")
		step(t, c, "Switch on IMAP in the webmail settings first.", "")
		step(t, c, "Use these settings?", keyEnter)
		step(t, c, "Password for", keyEnter)
		step(t, c, "the provider lists others: smtp.example.test:587 STARTTLS", "")
		step(t, c, "The check failed", keyDown+keyDown+keyDown+keyEnter) // Use another outgoing server
		step(t, c, "Which outgoing server?", keyEnter)                   // the first: 587 STARTTLS
		step(t, c, "SMTP smtp.example.test:587 STARTTLS (jane@example.test)", "")
		step(t, c, "Write the files", keyEnter)
		step(t, c, "Done.", "")
	})
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "account.json"))
	if !strings.Contains(string(data), `"port": 587`) || !strings.Contains(string(data), `"security": "starttls"`) || !strings.Contains(string(data), `"provider_info"`) {
		t.Errorf("account:\n%s", data)
	}
}
