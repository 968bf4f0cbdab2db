package cmd

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/probe"
)

// flagRE finds the long flags a text names.
var flagRE = regexp.MustCompile(`--([a-z][a-z0-9-]*)`)

// accepts reports whether command c accepts --name, from its real flag
// set: its own flags and those it inherits from its parents.
func accepts(c *cobra.Command, name string) bool {
	return c.Flags().Lookup(name) != nil || c.InheritedFlags().Lookup(name) != nil
}

// adviceCommand is a command whose runs show the probe's fixes, with the
// Advice it gives the probe.
type adviceCommand struct {
	name   string
	cmd    *cobra.Command
	advice probe.Advice
}

// adviceCommands returns the commands of the real command tree that show
// fixes (probe, setup and the root command's guided setup, export, bulk,
// discover), each with the Advice its run builds.
func adviceCommands(t *testing.T) []adviceCommand {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	f := NewFactory(ios)
	root := NewCmdRoot(f)
	out := []adviceCommand{{"mailsetup (guided setup)", root, setupAdvice(NewCmdSetup(f, nil))}}
	for _, name := range []string{"probe", "setup", "export", "bulk", "discover"} {
		c, _, err := root.Find([]string{name})
		if err != nil || c.Name() != name {
			t.Fatalf("no %s command: %v", name, err)
		}
		a := probeAdvice(c)
		if name == "setup" {
			a = setupAdvice(c)
		}
		out = append(out, adviceCommand{name, c, a})
	}
	return out
}

// rejectedFlags lists the flags that fix, rendered in every language,
// names and c rejects.
func rejectedFlags(c *cobra.Command, fix i18n.Msg) []string {
	var bad []string
	for _, l := range i18n.Supported {
		for _, m := range flagRE.FindAllStringSubmatch(i18n.New(l).Render(fix), -1) {
			if !accepts(c, m[1]) {
				bad = append(bad, string(l)+": --"+m[1])
			}
		}
	}
	return bad
}

// TestFixesNameOnlyAcceptedFlags renders, for each finding code, every fix
// the probe can give under each command's Advice (over every situation:
// protocol, port, security, ports that answer, ...) and fails when a fix
// names a flag that command does not accept.
func TestFixesNameOnlyAcceptedFlags(t *testing.T) {
	cmds := adviceCommands(t)
	fixes := make([]map[probe.Code][]i18n.Msg, len(cmds))
	for i, c := range cmds {
		fixes[i] = probe.Fixes(c.advice)
	}
	for _, info := range probe.Codes {
		t.Run(string(info.Code), func(t *testing.T) {
			for i, c := range cmds {
				got := fixes[i][info.Code]
				if len(got) == 0 && info.Severity >= probe.SevWarn {
					t.Errorf("%s: no fix", c.name)
				}
				for _, fix := range got {
					if bad := rejectedFlags(c.cmd, fix); len(bad) > 0 {
						t.Errorf("%s: the fix %q names %v, which it rejects", c.name, i18n.New(i18n.EN).Render(fix), bad)
					}
				}
			}
		})
	}
}

// TestRejectedFlagCheckCanFail makes sure the check above finds a flag a
// command rejects: with an Advice that accepts every flag, setup's fixes
// name --allow-insecure-auth, which setup rejects.
func TestRejectedFlagCheckCanFail(t *testing.T) {
	for _, c := range adviceCommands(t) {
		if c.name != "setup" {
			continue
		}
		var bad []string
		for _, fixes := range probe.Fixes(probe.Advice{Flag: func(string) bool { return true }}) {
			for _, fix := range fixes {
				bad = append(bad, rejectedFlags(c.cmd, fix)...)
			}
		}
		if !strings.Contains(strings.Join(bad, " "), "--allow-insecure-auth") {
			t.Errorf("the check found %v; want --allow-insecure-auth among them", bad)
		}
		return
	}
	t.Fatal("no setup command")
}

// TestProbeAppPasswordProvider: a rejected login at the server of a
// provider the built-in database knows to need app passwords (Fastmail's
// IMAP server, served by the in-process network) says so and points to
// `mailsetup explain app-passwords`; the same rejection elsewhere does not.
func TestProbeAppPasswordProvider(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	n := mailtest.Start(t)
	n.AddHost("imap.fastmail.com", mailtest.IMAPS)
	for _, tt := range []struct {
		host string
		hint bool
	}{{"imap.fastmail.com", true}, {"imap.example.test", false}} {
		code, out, errOut := runNet(t, n, "normal-password\n", "probe", "--imap", tt.host, "--user", mailtest.DefaultUser, "--password-stdin")
		if code != ExitAuth {
			t.Fatalf("%s: exit %d, want %d\n%s\n%s", tt.host, code, ExitAuth, out, errOut)
		}
		if got := strings.Contains(out, "app password") && strings.Contains(out, "mailsetup explain app-passwords"); got != tt.hint {
			t.Errorf("%s: app-password hint shown %v, want %v:\n%s", tt.host, got, tt.hint, out)
		}
	}
	// The explain topic it points to exists.
	if code, out, errOut := runNet(t, n, "", "explain", "app-passwords"); code != ExitOK || out == "" {
		t.Errorf("explain app-passwords: exit %d\n%s", code, errOut)
	}
}

// TestSetupCleartextAdvice: the live check of `setup` on a cleartext-only
// IMAP server (no STARTTLS, port 993 closed) suggests neither port 993
// nor --allow-insecure-auth, which setup rejects; on a host where 993
// answers and 143 offers STARTTLS it suggests both, with setup's own
// --imap-security flag.
func TestSetupCleartextAdvice(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	n := mailtest.Start(t)
	n.AddHost("plain.example.test", mailtest.IMAP)
	n.SetBehavior("plain.example.test:143", mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		return strings.Replace(line, " STARTTLS", "", 1)
	}})
	setup := func(imap string) string {
		t.Helper()
		code, out, errOut := runNet(t, n, mailtest.DefaultPassword+"\n", "setup", mailtest.DefaultUser, "--name", "Jane",
			"--imap", imap, "--imap-security", "none", "--smtp", "smtp.example.test:587", "--password-stdin", "--yes",
			"--export", "sheet", "-o", filepath.Join(t.TempDir(), "out"))
		if code != ExitOK {
			t.Fatalf("%s: exit %d\n%s\n%s", imap, code, out, errOut)
		}
		return out
	}
	out := setup("plain.example.test:143")
	if !strings.Contains(out, "fix: Ask the provider for settings with encryption (SSL/TLS or STARTTLS).") ||
		strings.Contains(out, "993") || strings.Contains(out, "--allow-insecure-auth") {
		t.Errorf("cleartext-only server, 993 closed:\n%s", out)
	}
	out = setup("imap.example.test:143")
	if !strings.Contains(out, "fix: Use STARTTLS on port 143 (--imap-security starttls), or port 993 with SSL/TLS.") ||
		strings.Contains(out, "--allow-insecure-auth") {
		t.Errorf("server with STARTTLS on 143 and SSL/TLS on 993:\n%s", out)
	}
}
