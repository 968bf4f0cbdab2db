package cmd

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/probe"
)

// brokenNet serves badcert.test, whose IMAP and SMTP servers answer with
// an expired certificate and publish no settings: only guessing finds
// them.
func brokenNet(t *testing.T) *mailtest.Network {
	t.Helper()
	n := mailtest.Start(t)
	n.AddHost("imap.badcert.test", mailtest.IMAPS)
	n.AddHost("smtp.badcert.test", mailtest.Submissions)
	n.SetCertKind("imap.badcert.test", mailtest.CertExpired)
	n.SetCertKind("smtp.badcert.test", mailtest.CertExpired)
	return n
}

var guessOnly = []string{"--ispdb", "off", "--sources", "guess"}

// TestDiscoverFoundBroken: servers that answer but fail the check are a
// result, not "nothing found": discover names each with its source and
// reason and exits 4, in the run's language and in JSON; a domain where
// nothing answers still exits 3.
func TestDiscoverFoundBroken(t *testing.T) {
	n := brokenNet(t)
	code, out, errOut := runNet(t, n, "", append([]string{"discover", "jane@badcert.test"}, guessOnly...)...)
	if code != ExitServer {
		t.Fatalf("exit %d, want %d: %s", code, ExitServer, errOut)
	}
	for _, want := range []string{"Servers were found for jane@badcert.test, but none passed the live check:",
		"IMAP imap.badcert.test:993 SSL/TLS (guess): ", "SMTP smtp.badcert.test:465 SSL/TLS (guess): ", "expired", "mailsetup probe"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "No settings found") || !strings.Contains(errOut, "none passed the live check") {
		t.Errorf("reported as nothing found:\n%s\n%s", out, errOut)
	}

	code, out, _ = runNet(t, n, "", append([]string{"discover", "jane@badcert.test", "--json", "--lang", "ro"}, guessOnly...)...)
	var res autoconfig.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitServer {
		t.Fatalf("--json: exit %d, %v:\n%s", code, err, out)
	}
	if len(res.Broken) != 2 || res.Broken[0].Finding.Code != probe.CodeTLSCertExpired || !strings.Contains(out, `"broken"`) {
		t.Errorf("JSON broken: %+v", res.Broken)
	}
	if en := "certificate"; strings.Contains(res.Broken[0].Finding.Message, en) {
		t.Errorf("--lang ro: reason in English: %q", res.Broken[0].Finding.Message)
	}

	code, _, _ = runNet(t, n, "", append([]string{"discover", "jane@nothing-here.test"}, guessOnly...)...)
	if code != ExitNotFound {
		t.Errorf("nothing answering: exit %d, want %d", code, ExitNotFound)
	}
}

// TestDiscoverVerificationFailed: settings found by a source but failing
// the live check are shown, and discover exits 4.
func TestDiscoverVerificationFailed(t *testing.T) {
	n := mailtest.Start(t)
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", ContentType: "text/xml", Body: bulkAutoconfig("example.test")})
	n.SetCertKind("imap.example.test", mailtest.CertExpired)
	n.SetCertKind("pop.example.test", mailtest.CertExpired)
	code, out, errOut := runNet(t, n, "", "discover", mailtest.DefaultUser, "--ispdb", "off", "--sources", "autoconfig")
	if code != ExitServer {
		t.Fatalf("exit %d, want %d: %s\n%s", code, ExitServer, errOut, out)
	}
	if !strings.Contains(out, "imap.example.test") || !strings.Contains(out, "did not pass the live check") {
		t.Errorf("output:\n%s", out)
	}
}

// TestSetupFoundBroken: a script set up against servers that answer but
// fail the check ends with exit 4, the servers listed with their
// reasons and the flags that give working ones, not "nothing found".
func TestSetupFoundBroken(t *testing.T) {
	n := brokenNet(t)
	args := append([]string{"setup", "jane@badcert.test", "--yes", "--export", "json", "-o", t.TempDir()}, guessOnly...)
	code, out, errOut := runNet(t, n, "", args...)
	if code != ExitServer {
		t.Fatalf("exit %d, want %d:\n%s\n%s", code, ExitServer, out, errOut)
	}
	for _, want := range []string{"IMAP imap.badcert.test:993 SSL/TLS (guess): ", "SMTP smtp.badcert.test:465 SSL/TLS (guess): "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "none passed the live check") || !strings.Contains(errOut, "(--imap or --pop3) and --smtp") || strings.Contains(out, "No settings were found") {
		t.Errorf("error:\n%s\noutput:\n%s", errOut, out)
	}
}
