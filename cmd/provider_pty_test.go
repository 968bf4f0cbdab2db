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
// texts before the password; the live check finds the provider's first
// outgoing server refused (port 465 here), checks its other one and
// proposes that, saying why, and the account is written with it.
func TestPTYOutgoingAlternatives(t *testing.T) {
	n := providerNet(t)
	n.SetBehavior("smtp.example.test:465", mailtest.Behavior{Handler: func(conn net.Conn, _ mailtest.Endpoint) { conn.Close() }})
	dir := filepath.Join(t.TempDir(), "out")
	// Wide enough that no line this test waits for is wrapped.
	code := ptyRunTerm(t, n, append(setupArgs, "jane@example.test", "--name", "Jane", "--incoming", "imap", "-o", dir, "--export", "json"), nil, 200, func(c *expect.Console, _ vt10x.Terminal) {
		step(t, c, "smtp.example.test:587 is used", "")
		step(t, c, "From the provider (its own words):", "")
		step(t, c, "Switch on IMAP in the webmail settings first.", "")
		step(t, c, "Use these settings?", keyEnter)
		step(t, c, "Password for", keyEnter)
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
