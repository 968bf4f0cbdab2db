package cmd

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/wizard"
)

// adNetwork is a network whose DNS server sets the AD bit on every answer
// and whose example.test SRV records point to another domain.
func adNetwork(t *testing.T) *mailtest.Network {
	t.Helper()
	n := mailtest.Start(t)
	n.AddMailDomain("other.test")
	n.DNS().AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.other.test")
	n.DNS().AddSRV("_submissions._tcp.example.test", 0, 1, 465, "smtp.other.test")
	n.DNS().SetADAll(true)
	return n
}

// TestTrustADExport: an AD bit from a --resolver not marked trusted does
// not make other-domain SRV results trusted: export refuses them without
// --yes, as for any unauthenticated answer; with --trust-ad they are
// trusted.
func TestTrustADExport(t *testing.T) {
	n := adNetwork(t)
	dir := t.TempDir()
	args := []string{"export", mailtest.DefaultUser, "--ispdb", "off", "--sources", "srv", "--no-verify", "--format", "json"}
	code, _, errOut := runNet(t, n, "", append(args, "-o", filepath.Join(dir, "a"))...)
	if code != ExitUsage || !strings.Contains(errOut, "need confirmation") || !strings.Contains(errOut, "other.test") {
		t.Fatalf("AD=1 from an untrusted resolver: exit %d %s", code, errOut)
	}
	code, _, errOut = runNet(t, n, "", append([]string{"--trust-ad"}, append(args, "-o", filepath.Join(dir, "b"))...)...)
	if code != ExitOK {
		t.Fatalf("--trust-ad: exit %d %s", code, errOut)
	}
	// Without the AD bit, --trust-ad changes nothing.
	n.DNS().SetADAll(false)
	code, _, errOut = runNet(t, n, "", append([]string{"--trust-ad"}, append(args, "-o", filepath.Join(dir, "c"))...)...)
	if code != ExitUsage || !strings.Contains(errOut, "need confirmation") {
		t.Fatalf("--trust-ad without AD: exit %d %s", code, errOut)
	}
}

// TestTrustADSetup: scripted setup treats the untrusted AD bit like no AD
// bit: the settings need confirmation (--yes), and are recorded so.
func TestTrustADSetup(t *testing.T) {
	n := adNetwork(t)
	dir := t.TempDir()
	args := []string{"setup", mailtest.DefaultUser, "--ispdb", "off", "--sources", "srv", "--no-verify", "--export", "json"}
	code, _, errOut := runNet(t, n, "", append(args, "-o", filepath.Join(dir, "a"))...)
	if code != ExitUsage || !strings.Contains(errOut, "involve") || !strings.Contains(errOut, "--yes") {
		t.Fatalf("without --yes: exit %d %s", code, errOut)
	}
	code, out, errOut := runNet(t, n, "", append([]string{"--json"}, append(args, "--yes", "-o", filepath.Join(dir, "b"))...)...)
	var res wizard.Result
	if code != ExitOK || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("--yes: exit %d %s\n%s", code, errOut, out)
	}
	if res.Account.Provenance.Trust != account.NeedsConfirmation || res.Account.Incoming.Host != "imap.other.test" {
		t.Errorf("untrusted AD: provenance %+v", res.Account.Provenance)
	}
	code, out, errOut = runNet(t, n, "", append([]string{"--json", "--trust-ad"}, append(args, "--yes", "-o", filepath.Join(dir, "c"))...)...)
	res = wizard.Result{}
	if code != ExitOK || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("--trust-ad --yes: exit %d %s\n%s", code, errOut, out)
	}
	if res.Account.Provenance.Trust != account.Trusted {
		t.Errorf("--trust-ad: provenance %+v", res.Account.Provenance)
	}
	// Without --yes, a trusted result still needs --yes to be used, but
	// no longer asks to confirm the other domain.
	code, _, errOut = runNet(t, n, "", append([]string{"--trust-ad"}, append(args, "-o", filepath.Join(dir, "d"))...)...)
	if code != ExitUsage || strings.Contains(errOut, "involve") {
		t.Errorf("--trust-ad without --yes: exit %d %s", code, errOut)
	}
}

// TestTrustADTrail: the discover trail (JSON and -v) names the rule that
// applied to the AD bit.
func TestTrustADTrail(t *testing.T) {
	n := adNetwork(t)
	args := []string{"discover", mailtest.DefaultUser, "--ispdb", "off", "--sources", "srv", "--no-verify"}
	code, out, errOut := runNet(t, n, "", append([]string{"--json"}, args...)...)
	var res autoconfig.Result
	if code != ExitOK || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("exit %d %s\n%s", code, errOut, out)
	}
	host := strings.Split(n.ResolverAddr(), ":")[0]
	want := "AD bit ignored: resolver " + host + " is not marked trusted (--resolver without --trust-ad)"
	found := false
	for _, s := range res.Trail {
		found = found || strings.Contains(s.Detail, want)
	}
	if !found || res.Candidates[0].Trust != account.NeedsConfirmation {
		t.Errorf("trail lacks %q or trust %s: %+v", want, res.Candidates[0].Trust, res.Trail)
	}
	code, out, errOut = runNet(t, n, "", append([]string{"--trust-ad", "-v"}, args...)...)
	if code != ExitOK || !strings.Contains(errOut, "DNSSEC-validated by a trusted resolver (--trust-ad)") || !strings.Contains(out, "trusted") {
		t.Errorf("--trust-ad -v: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestTrustADHelp(t *testing.T) {
	code, out, _ := run(t, "--help")
	if code != ExitOK || !strings.Contains(out, "--trust-ad") || !strings.Contains(out, "options trust-ad") {
		t.Errorf("--help lacks --trust-ad:\n%s", out)
	}
}
