package cmd

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/termtext"
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
	if code != ExitUsage || !strings.Contains(errOut, "--days-on-server must be between 0 and 3650") {
		t.Errorf("bulk --days-on-server 99999999999: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "d")); err == nil {
		t.Error("bulk with days out of range created its output folder")
	}
}

// TestErrorEchoesClipped: a huge flag value or argument is echoed in the
// error clipped to 200 bytes, whichever code (ours, pflag's, cobra's, the
// address parser's) wrote the message.
func TestErrorEchoesClipped(t *testing.T) {
	big := strings.Repeat("a", 100000)
	spaced := strings.Repeat("a ", 50000)
	dir := t.TempDir()
	for _, args := range [][]string{
		{"probe", "--imap", big},
		{"probe", "--imap", "imap.example.com:" + big},
		{"probe", "--imap", "imap.example.com", "--imap-security", big},
		{"probe", big + "@example.com"},
		{"discover", "jane@" + big},
		{"export", "jane@example.com", "--format", spaced},
		{"export", "jane@example.com", "--pop3", "pop.example.com", "--smtp", "smtp.example.com", "--days-on-server", big, "-o", filepath.Join(dir, "a")},
		{"setup", big + "@example.com", "--yes"},
		{"discover", "jane@example.com", "--sources", big},
		{"--lang", big, "version"},
		{"--timeout", big, "version"},
		{"explain", big},
		{"version", "--" + big},
		{big},
	} {
		code, out, errOut := run(t, args...)
		msg, _, _ := strings.Cut(errOut, "\n\nUsage:")
		if code == ExitOK || out != "" || !strings.HasPrefix(msg, "mailsetup: ") || len(msg) > 2*termtext.MaxEcho+300 ||
			!(strings.Contains(msg, strings.Repeat("a", 190)) || strings.Contains(msg, spaced[:190])) || !strings.Contains(msg, " bytes more)") {
			t.Errorf("%.60q: exit %d, %d bytes:\n%.600s", args, code, len(msg), msg)
		}
	}
}

// TestDiscoverTrailClipsServerText: a 60 KB HTTP reason phrase, XML
// element name and port value reach the trail (human, -v and --json)
// clipped to 200 bytes each.
func TestDiscoverTrailClipsServerText(t *testing.T) {
	n := mailtest.Start(t)
	big := strings.Repeat("R", 60000)
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", ContentType: "text/xml", Body: "<clientConfig><" + big + "></b></clientConfig>"})
	n.HandleHTTP("example.test", "/.well-known/autoconfig/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", ContentType: "text/xml",
		Body: strings.ReplaceAll(bulkAutoconfig("example.test"), "<port>", "<port>"+big)})
	n.HandleHTTP("example.test", "/autodiscover/autodiscover.xml", mailtest.Route{Status: http.StatusNotFound, Reason: big, Body: "no"})
	args := []string{"discover", mailtest.DefaultUser, "--ispdb", "off", "--sources", "autoconfig,autodiscover"}
	code, out, errOut := runNet(t, n, "", append(args, "-v")...)
	if code != ExitNotFound {
		t.Fatalf("exit %d\n%.2000s", code, out)
	}
	for _, want := range []string{"element <RRRR", `bad port "RRRR`, "HTTP 404 RRRR"} {
		if !strings.Contains(out, want) {
			t.Errorf("trail lacks %q:\n%.3000s", want, out)
		}
	}
	for name, s := range map[string]string{"stdout": out, "stderr": errOut} {
		for _, l := range strings.Split(s, "\n") {
			if len(l) > 4*termtext.MaxEcho+200 {
				t.Errorf("%s line of %d bytes: %.300s", name, len(l), l)
			}
		}
	}
	code, out, _ = runNet(t, n, "", append(args, "--json")...)
	var res autoconfig.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitNotFound {
		t.Fatalf("--json: exit %d, %v", code, err)
	}
	for _, s := range res.Trail {
		if len(s.Detail) > 4*termtext.MaxEcho+200 || strings.Contains(s.Detail, strings.Repeat("R", termtext.MaxEcho+1)) {
			t.Errorf("--json trail detail of %d bytes: %.300s", len(s.Detail), s.Detail)
		}
	}
}

// TestProbeClipsServerText: server replies quoted in the report (a 60 KB
// greeting, STARTTLS refusal and login refusal) are clipped to 200 bytes
// on a character boundary, in human output and --json.
func TestProbeClipsServerText(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	os.Unsetenv(PasswordEnv)
	n := mailtest.Start(t)
	n.AddUser(mailtest.DefaultUser, mailtest.DefaultPassword)
	umlauts := strings.Repeat("ü", 30000)
	words := strings.Repeat("no tls ", 9000)
	n.SetBehavior("imap.example.test:993", mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		if strings.HasPrefix(line, "* OK ") && strings.HasSuffix(strings.TrimSpace(line), "ready") {
			return "* BYE " + umlauts + "\r\n"
		}
		return line
	}})
	n.SetBehavior("pop.example.test:110", mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		if strings.HasPrefix(line, "+OK Begin TLS") {
			return "-ERR " + words + "\r\n"
		}
		return line
	}})
	n.SetSMTPLogin(mailtest.SMTPLogin{RefuseCode: 535, RefuseEnhanced: "5.7.8", RefuseText: "x" + umlauts})
	args := []string{"probe", "--imap", "imap.example.test", "--smtp", "smtp.example.test", "--pop3", "pop.example.test:110",
		"--user", mailtest.DefaultUser, "--password-stdin"}
	_, out, errOut := runNet(t, n, mailtest.DefaultPassword+"\n", args...)
	for _, want := range []string{`The server refused the session: server said "* BYE üüü`, "The server refused STARTTLS: server answered -ERR no tls no tls",
		"SMTP rejected the login for jane@example.test: 535 5.7.8 xüü", " bytes more)"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	assertTerminalSafe(t, "stdout", out)
	if strings.Contains(out, `\xc3`) {
		t.Errorf("a clip split a character: %.3000s", out)
	}
	for _, l := range strings.Split(out+errOut, "\n") {
		if len(l) > 2*termtext.MaxEcho+200 {
			t.Errorf("line of %d bytes: %.300s", len(l), l)
		}
	}
	_, out, _ = runNet(t, n, mailtest.DefaultPassword+"\n", append([]string{"--json"}, args...)...)
	if !utf8.ValidString(out) || strings.Contains(out, `\ufffd`) || len(out) > 20000 {
		t.Errorf("--json: %d bytes, valid UTF-8 %v:\n%.3000s", len(out), utf8.ValidString(out), out)
	}
}
