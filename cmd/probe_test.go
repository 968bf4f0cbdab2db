package cmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/probe"
)

// runNet runs mailsetup against the in-process network with stdin.
func runNet(t *testing.T, n *mailtest.Network, stdin string, args ...string) (int, string, string) {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	f := NewFactory(ios)
	f.Dialer = n
	f.RootCAs = n.CAPool()
	f.readPassword = func() ([]byte, error) { t.Fatal("prompted for a password"); return nil, nil }
	code := Execute(context.Background(), f, append([]string{"--resolver", n.ResolverAddr()}, args...))
	return code, out.String(), errOut.String()
}

func TestProbeCommand(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	os.Unsetenv(PasswordEnv)
	n := mailtest.Start(t)
	all := []string{"probe", "--imap", "imap.example.test", "--pop3", "pop.example.test:110", "--smtp", "smtp.example.test:587", "--user", mailtest.DefaultUser}

	code, out, errOut := runNet(t, n, mailtest.DefaultPassword+"\n", append(all, "--password-stdin", "-v")...)
	if code != ExitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"IMAP imap.example.test:993 SSL/TLS", "POP3 pop.example.test:110 STARTTLS", "SMTP smtp.example.test:587 STARTTLS", "Logged in as", "DNS for example.test", "Overall: OK"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out+errOut, mailtest.DefaultPassword) {
		t.Error("the password appears in the output or the trace")
	}
	if !strings.Contains(errOut, "C: ") {
		t.Errorf("-v trace missing from stderr: %q", errOut)
	}

	// Wrong password: exit 5, and JSON says why.
	code, out, _ = runNet(t, n, "nope\n", append(all, "--password-stdin", "--json")...)
	if code != ExitAuth {
		t.Errorf("wrong password: exit %d, want %d", code, ExitAuth)
	}
	var rep probe.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if len(rep.Endpoints) != 3 || rep.Endpoints[0].Login == nil || rep.Endpoints[0].Login.Outcome != probe.LoginWrongCredentials {
		t.Errorf("JSON report: %s", out)
	}

	// A server problem: exit 4.
	n.SetCertKind("imap.example.test", mailtest.CertExpired)
	code, out, _ = runNet(t, n, "", "probe", "--imap", "imap.example.test")
	if code != ExitServer || !strings.Contains(out, "expired") {
		t.Errorf("expired certificate: exit %d, want %d\n%s", code, ExitServer, out)
	}
}

func TestProbePasswordSources(t *testing.T) {
	n := mailtest.Start(t)
	args := []string{"probe", "--smtp", "smtp.example.test", "--user", mailtest.DefaultUser, "--json"}
	dir := t.TempDir()
	file := filepath.Join(dir, "pw")
	if err := os.WriteFile(file, []byte(mailtest.DefaultPassword+"\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runNet(t, n, "", append(args, "--password-file", file)...)
	if code != ExitOK || !strings.Contains(out, `"outcome": "ok"`) {
		t.Errorf("--password-file: exit %d\n%s", code, out)
	}
	if !strings.Contains(errOut, "readable by other users") {
		t.Errorf("no warning about a world-readable password file: %q", errOut)
	}
	t.Setenv(PasswordEnv, mailtest.DefaultPassword)
	code, out, _ = runNet(t, n, "", args...)
	if code != ExitOK || !strings.Contains(out, `"outcome": "ok"`) {
		t.Errorf("MAILSETUP_PASSWORD: exit %d\n%s", code, out)
	}
	if strings.Contains(out, mailtest.DefaultPassword) {
		t.Error("password in JSON")
	}
}

func TestProbeUsage(t *testing.T) {
	n := mailtest.Start(t)
	for _, args := range [][]string{
		{"probe"},
		{"probe", "--imap", "bad_host"},
		{"probe", "--imap", "imap.example.test:99999"},
		{"probe", "--imap-security", "tls"},
		{"probe", "--imap", "imap.example.test", "--imap-security", "ssl3"},
		{"probe", "--imap", "imap.example.test", "--password", "x"},
		{"probe", "--imap", "imap.example.test", "--password-stdin"},
	} {
		code, _, errOut := runNet(t, n, "pw\n", args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d: %s", args, code, ExitUsage, errOut)
		}
	}
}

func TestParseServer(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"imap.example.com", "IMAP imap.example.com:993 SSL/TLS"},
		{"imap.example.com:143", "IMAP imap.example.com:143 STARTTLS"},
		{"IMAP.Example.com:1143", "IMAP imap.example.com:1143 SSL/TLS"},
		{"[2001:db8::1]:993", "IMAP [2001:db8::1]:993 SSL/TLS"},
	}
	for _, tt := range tests {
		s, err := parseServer(1, tt.in, 0)
		if err != nil || s.String() != tt.want {
			t.Errorf("parseServer(%q) = %q, %v; want %q", tt.in, s.String(), err, tt.want)
		}
	}
}
