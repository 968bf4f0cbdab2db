package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPOP3DaysLimit: POP3 days above 3650 are refused from every source a
// command reads: flags, an account file, bulk.
func TestPOP3DaysLimit(t *testing.T) {
	dir := t.TempDir()
	servers := []string{"--pop3", "pop.example.com", "--smtp", "smtp.example.com", "--format", "thunderbird"}
	code, _, errOut := run(t, append([]string{"export", "jane@example.com", "--days-on-server", "99999999999", "-o", filepath.Join(dir, "a")}, servers...)...)
	if code != ExitUsage || !strings.Contains(errOut, "pop3.days_on_server: 99999999999 is more than 3650") {
		t.Errorf("--days-on-server 99999999999: exit %d %s", code, errOut)
	}
	if code, _, errOut := run(t, append([]string{"export", "jane@example.com", "--days-on-server", "3650", "-o", filepath.Join(dir, "b")}, servers...)...); code != ExitOK {
		t.Errorf("--days-on-server 3650: exit %d %s", code, errOut)
	}

	file := filepath.Join(dir, "account.json")
	acct := `{"email":"jane@example.com","incoming":{"protocol":"pop3","host":"pop.example.com","port":995,"security":"tls","auth":"password-cleartext","username":"jane@example.com"},
"outgoing":{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls","auth":"password-cleartext","username":"jane@example.com"},
"pop3":{"leave_on_server":true,"days_on_server":4294967296},"provenance":{"source":"file"}}`
	if err := os.WriteFile(file, []byte(acct), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "export", "--from", file, "--format", "thunderbird", "-o", filepath.Join(dir, "c"))
	if code == ExitOK || !strings.Contains(errOut, "days_on_server") {
		t.Errorf("--from with 4294967296 days: exit %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "c", "user.js")); err == nil {
		t.Error("user.js written with days out of range")
	}

	csv := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(csv, []byte("email,pop3,smtp\njane@example.com,pop.example.com,smtp.example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "bulk", csv, "--offline", "--days-on-server", "99999999999", "--format", "thunderbird", "--json", "-o", filepath.Join(dir, "d"))
	if code == ExitOK || !strings.Contains(out, "pop3.days_on_server") {
		t.Errorf("bulk --days-on-server 99999999999: exit %d\n%s\n%s", code, out, errOut)
	}
}
