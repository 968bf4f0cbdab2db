package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

func TestExportFromFlags(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	dir := t.TempDir()
	args := []string{"export", "jane@example.com", "--imap", "imap.example.com", "--smtp", "smtp.example.com:587", "--name", "Jane Doe", "--format", "apple,json,sheet", "-o", dir}
	code, out, errOut := run(t, args...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, name := range []string{"jane@example.com.mobileconfig", "account.json", "setup-sheet.html", "setup-sheet.md"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if st.Mode().Perm() != 0o644 {
			t.Errorf("%s mode %o", name, st.Mode().Perm())
		}
		if !strings.Contains(out, name) {
			t.Errorf("the list of files lacks %s", name)
		}
	}
	var a account.Account
	data, _ := os.ReadFile(filepath.Join(dir, "account.json"))
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	if a.Outgoing.Security != account.STARTTLS || a.Incoming.Port != 993 || a.DisplayName != "Jane Doe" || a.Incoming.Username != "jane@example.com" {
		t.Errorf("account %+v", a)
	}
	// Nothing is overwritten without --force; with it the bytes are the same.
	before, _ := os.ReadFile(filepath.Join(dir, "jane@example.com.mobileconfig"))
	if code, _, errOut := run(t, args...); code != ExitError || !strings.Contains(errOut, "already exists; use --force to replace it") {
		t.Errorf("second export: exit %d %s; want a refusal naming --force", code, errOut)
	}
	if code, _, _ := run(t, append(args, "--force")...); code != ExitOK {
		t.Errorf("--force: exit %d", code)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "jane@example.com.mobileconfig"))
	if !bytes.Equal(before, after) {
		t.Error("export is not deterministic")
	}
	// --from reads the JSON back and gives the same profile.
	dir2 := t.TempDir()
	if code, _, errOut := run(t, "export", "--from", filepath.Join(dir, "account.json"), "--format", "apple", "-o", dir2); code != ExitOK {
		t.Fatalf("--from: exit %d %s", code, errOut)
	}
	fromFile, _ := os.ReadFile(filepath.Join(dir2, "jane@example.com.mobileconfig"))
	if !bytes.Equal(before, fromFile) {
		t.Error("--from account.json gives a different profile")
	}
}

func TestExportStdoutAndUsage(t *testing.T) {
	code, out, _ := run(t, "export", "jane@gmail.com", "--offline", "--format", "json", "-o", "-")
	var a account.Account
	if code != ExitOK || json.Unmarshal([]byte(out), &a) != nil || a.Incoming.Host != "imap.gmail.com" {
		t.Errorf("-o -: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{
		{"export", "jane@gmail.com", "--offline"},
		{"export", "jane@gmail.com", "--offline", "--format", "fax"},
		{"export", "jane@gmail.com", "--offline", "--format", "thunderbird", "-o", "-"},
		{"export", "jane@gmail.com", "--offline", "--format", "apple", "--device", "watch"},
		{"export", "jane@gmail.com", "--offline", "--format", "apple", "--sign-cert", "x.pem"},
		{"export", "jane@example.com", "--imap", "imap.example.com", "--format", "json"},
		{"export", "jane@example.com", "--imap", "a.example.com", "--pop3", "b.example.com", "--smtp", "c.example.com", "--format", "json"},
		{"export", "--format", "json"},
		{"export", "bad@", "--format", "json"},
		{"export", "jane@gmail.com", "--offline", "--format", "json", "--include-password"},
	} {
		if code, _, errOut := run(t, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d: %s", args, code, ExitUsage, errOut)
		}
	}
}

func TestExportPassword(t *testing.T) {
	n := mailtest.Start(t)
	dir := t.TempDir()
	const pw = "s3cret-Passw0rd"
	code, out, errOut := runNet(t, n, "", "export", "jane@gmail.com", "--offline", "--format", "all", "-o", dir)
	if code != ExitOK {
		t.Fatalf("exit %d %s", code, errOut)
	}
	code, _, errOut = runNet(t, n, pw+"\n", "export", "jane@gmail.com", "--offline", "--format", "apple,android,json", "--include-password", "--password-stdin", "-o", filepath.Join(dir, "pw"))
	if code != ExitOK || !strings.Contains(errOut, "warning: the password is inside") {
		t.Fatalf("exit %d %s", code, errOut)
	}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		has := bytes.Contains(data, []byte(pw))
		inPwDir := filepath.Base(filepath.Dir(p)) == "pw"
		switch {
		case has && !inPwDir:
			t.Errorf("%s holds the password without --include-password", p)
		case has && info.Mode().Perm() != 0o600:
			t.Errorf("%s holds the password with mode %o", p, info.Mode().Perm())
		case strings.HasSuffix(p, ".mobileconfig") && inPwDir && !has:
			t.Errorf("%s lacks the included password", p)
		case strings.HasSuffix(p, ".json") && has:
			t.Errorf("%s: JSON must never hold the password", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, pw) {
		t.Error("password printed")
	}
}

func TestExportDiscoveryConfirmation(t *testing.T) {
	n := mailtest.Start(t)
	n.AddMailDomain("custom.test")
	n.DNS().Remove("custom.test", 15)
	if err := n.DNS().Add("custom.test. 60 IN MX 1 aspmx.l.google.com."); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	args := []string{"export", "jane@custom.test", "--ispdb", "off", "--sources", "mx", "--no-verify", "--format", "json", "-o", dir}
	code, _, errOut := runNet(t, n, "", args...)
	if code != ExitUsage || !strings.Contains(errOut, "need confirmation") || !strings.Contains(errOut, "google.com") {
		t.Fatalf("needs confirmation: exit %d %s", code, errOut)
	}
	if code, _, errOut := runNet(t, n, "", append(args, "--yes")...); code != ExitOK {
		t.Fatalf("--yes: exit %d %s", code, errOut)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "account.json"))
	if !strings.Contains(string(data), "imap.gmail.com") {
		t.Errorf("account.json %s", data)
	}
}

// TestExportQROnTerminal: with the android format, the QR code is drawn
// on stdout when it is a terminal, and not otherwise.
func TestExportQROnTerminal(t *testing.T) {
	for _, tty := range []bool{true, false} {
		ios, _, out, _ := iostreams.Test()
		ios.SetTTY(false, tty, false)
		code := Execute(context.Background(), NewFactory(ios), []string{"export", "jane@gmail.com", "--offline", "--format", "android", "-o", t.TempDir()})
		if code != ExitOK {
			t.Fatalf("exit %d", code)
		}
		if got := strings.Contains(out.String(), "Scan with Thunderbird for Android") && strings.ContainsAny(out.String(), "▀▄█"); got != tty {
			t.Errorf("stdout a terminal: %v; QR drawn: %v", tty, got)
		}
	}
}

// TestExportOutlookPRF: --days-on-server reaches the .prf as Outlook's
// documented LeaveOnServer value (LEAVE_ON_SERVER|REMOVE_AFTER with the
// days in the high word), SMTPAuthMethod says the outgoing server uses the
// incoming login, and the profile becomes Outlook's default only with
// --outlook-default-profile.
func TestExportOutlookPRF(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	base := []string{"export", "jane@example.com", "--pop3", "pop.example.com", "--smtp", "smtp.example.com:587",
		"--days-on-server", "30", "--format", "outlook"}
	for _, c := range []struct {
		extra       []string
		wantDefault string
	}{
		{nil, "DefaultProfile=No"},
		{[]string{"--outlook-default-profile"}, "DefaultProfile=Yes"},
	} {
		dir := t.TempDir()
		code, _, errOut := run(t, append(append(base, c.extra...), "-o", dir)...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d: %s", c.extra, code, errOut)
		}
		data, err := os.ReadFile(filepath.Join(dir, "outlook.prf"))
		if err != nil {
			t.Fatal(err)
		}
		if len(data) < 2 || data[0] != 0xFF || data[1] != 0xFE || len(data)%2 != 0 {
			t.Fatalf("outlook.prf is not UTF-16LE with a byte order mark")
		}
		u := make([]uint16, 0, len(data)/2-1)
		for i := 2; i < len(data); i += 2 {
			u = append(u, uint16(data[i])|uint16(data[i+1])<<8)
		}
		lines := strings.Split(string(utf16.Decode(u)), "\r\n")
		for _, want := range []string{c.wantDefault, "LeaveOnServer=0x1E0003", "SMTPAuthMethod=0", "SMTPAuthMethod=PT_LONG,0x0208", "LeaveOnServer=PT_LONG,0x1000"} {
			if !slices.Contains(lines, want) {
				t.Errorf("%v: outlook.prf lacks the line %s", c.extra, want)
			}
		}
	}
}
