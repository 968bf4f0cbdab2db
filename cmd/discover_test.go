package cmd

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/probe"
)

func TestDiscoverCommand(t *testing.T) {
	n := mailtest.Start(t)
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", Body: `<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
<incomingServer type="imap"><hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`})
	code, out, errOut := runNet(t, n, "", "discover", "jane@example.test", "--ispdb", "off", "-v")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"imap.example.test port 993, SSL/TLS, user jane@example.test", "smtp.example.test port 465", "Source           autoconfig", "trusted", "yes: imap.example.test:993 answers with valid TLS; smtp.example.test:465 answers with valid TLS"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "discover autoconfig https://autoconfig.example.test/") {
		t.Errorf("-v shows no trail:\n%s", errOut)
	}

	code, out, _ = runNet(t, n, "", "discover", "jane@example.test", "--ispdb", "off", "--json", "--sources", "autoconfig")
	var res autoconfig.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitOK {
		t.Fatalf("--json: exit %d, %v\n%s", code, err, out)
	}
	if len(res.Candidates) != 1 || len(res.Trail) == 0 || res.Candidates[0].Account.Incoming.Host != "imap.example.test" {
		t.Errorf("json result %+v", res)
	}

	n.DNS().AddTXT("nowhere.test", "v=spf1 -all") // the domain exists, but serves no mail settings
	code, out, _ = runNet(t, n, "", "discover", "jane@nowhere.test", "--ispdb", "off", "--sources", "autoconfig,mx,srv")
	if code != ExitNotFound || !strings.Contains(out, "No settings found") {
		t.Errorf("nothing found: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{{"discover"}, {"discover", "not-an-address"}, {"discover", "a@b.test", "--sources", "carrier-pigeon"}, {"discover", "a@b.test", "--ispdb", "http://x"}} {
		if code, _, errOut := runNet(t, n, "", args...); code != ExitUsage {
			t.Errorf("%v: exit %d: %s", args, code, errOut)
		}
	}
}

func TestDiscoverOffline(t *testing.T) {
	code, out, _ := run(t, "discover", "jane@gmail.com", "--offline")
	if code != ExitOK || !strings.Contains(out, "imap.gmail.com") || !strings.Contains(out, "Note:") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestProbeEmail(t *testing.T) {
	n := mailtest.Start(t)
	code, out, errOut := runNet(t, n, mailtest.DefaultPassword+"\n", "probe", mailtest.DefaultUser, "--ispdb", "off", "--sources", "guess", "--password-stdin", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	var rep probe.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Endpoints) != 2 || rep.Endpoints[0].Login.Outcome != probe.LoginOK || rep.Endpoints[1].Login.Outcome != probe.LoginOK || rep.DNS == nil {
		t.Errorf("report %s", out)
	}
}

// TestProbeEmailUnconfirmed: probe EMAIL never sends the password to
// discovered servers that need confirmation, unless --yes.
func TestProbeEmailUnconfirmed(t *testing.T) {
	n := mailtest.Start(t)
	n.AddMailDomain("other.test")
	n.AddHost("imap.other.test", mailtest.IMAPS)
	n.AddHost("smtp.other.test", mailtest.Submissions)
	n.DNS().AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.other.test")
	n.DNS().AddSRV("_submissions._tcp.example.test", 0, 1, 465, "smtp.other.test")
	args := []string{"probe", mailtest.DefaultUser, "--ispdb", "off", "--sources", "srv", "--password-stdin"}
	code, _, errOut := runNet(t, n, mailtest.DefaultPassword+"\n", args...)
	if code != ExitUsage || !strings.Contains(errOut, "need confirmation") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	for _, l := range n.ConnLogsFor("imap.other.test:993") {
		if l.Sent("AUTHENTICATE") || l.Sent("LOGIN") {
			t.Errorf("credentials sent to an unconfirmed server:\n%s", l)
		}
	}
	if code, _, errOut := runNet(t, n, mailtest.DefaultPassword+"\n", append(args, "--yes")...); code != ExitOK {
		t.Errorf("--yes: exit %d: %s", code, errOut)
	}
}

// TestDiscoverServerWithoutSignIn: a server that takes no sign-in (the
// ISPDB's kokuyou.ne.jp sends through port 25 with authentication none)
// is described so, not as "user " followed by nothing.
func TestDiscoverServerWithoutSignIn(t *testing.T) {
	for lang, want := range map[string]string{"en": "smtp.kokuyou.ne.jp port 25, None, no sign-in", "ro": "portul 25, fără criptare, fără autentificare", "lt": "be prisijungimo"} {
		code, out, errOut := run(t, "discover", "a@kokuyou.ne.jp", "--offline", "--lang", lang)
		if code != ExitOK || !strings.Contains(out, want) {
			t.Errorf("%s: exit %d, want %q in\n%s%s", lang, code, want, out, errOut)
		}
		if strings.Contains(out, "kokuyou.ne.jp port 25, None, user") {
			t.Errorf("%s: an empty user name is shown:\n%s", lang, out)
		}
	}
}
