package autoconfig

import (
	"slices"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// plainConfigXML lists IMAP 143 and SMTP 587 with socketType plain.
const plainConfigXML = `<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
<incomingServer type="imap"><hostname>imap.example.test</hostname><port>143</port><socketType>plain</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>587</port><socketType>plain</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`

// stripSTARTTLS makes target stop announcing STARTTLS.
func stripSTARTTLS(n *mailtest.Network, target string) {
	n.SetBehavior(target, mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		if strings.Contains(strings.ToUpper(line), "STARTTLS") && strings.HasPrefix(line, "250") {
			if strings.HasPrefix(line, "250 ") {
				return "250 HELP\r\n"
			}
			return ""
		}
		return strings.Replace(line, " STARTTLS", "", 1)
	}})
}

// TestCleartextUpgradedToSTARTTLS: autoconfig lists plain IMAP 143 and
// SMTP 587; both servers offer STARTTLS, so the verified candidate uses
// STARTTLS, is trusted, says so, and the trail describes the TLS it saw.
func TestCleartextUpgradedToSTARTTLS(t *testing.T) {
	e := newDEnv(t)
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", xmlRoute(plainConfigXML))
	res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Candidates[0]
	if res.Verified != c || c.Account.Incoming.Security != account.STARTTLS || c.Account.Outgoing.Security != account.STARTTLS {
		t.Fatalf("candidate %v + %v, verified %v", c.Account.Incoming, c.Account.Outgoing, res.Verified != nil)
	}
	if c.Trust != account.Trusted || len(c.Confirm) != 0 || !slices.Equal(c.Upgraded, []string{RoleIncoming, RoleOutgoing}) {
		t.Errorf("trust %s, confirm %v, upgraded %v", c.Trust, c.Confirm, c.Upgraded)
	}
	if d := c.Verification.Describe(); d != "imap.example.test:143 answers with valid TLS (STARTTLS); smtp.example.test:587 answers with valid TLS (STARTTLS)" {
		t.Errorf("Describe() = %q", d)
	}
}

// TestCleartextNeedsConfirmation: without STARTTLS on the IMAP port the
// candidate keeps no encryption there, needs confirmation naming the
// connection, and neither the trail nor Describe speak of TLS for it.
func TestCleartextNeedsConfirmation(t *testing.T) {
	e := newDEnv(t)
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", xmlRoute(plainConfigXML))
	stripSTARTTLS(e.n, "imap.example.test:143")
	res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Candidates[0]
	if c.Account.Incoming.Security != account.None || c.Account.Outgoing.Security != account.STARTTLS {
		t.Fatalf("candidate %v + %v", c.Account.Incoming, c.Account.Outgoing)
	}
	if c.Trust != account.NeedsConfirmation || c.Account.Provenance.Trust != account.NeedsConfirmation ||
		!slices.Equal(c.Confirm, []string{"an unencrypted connection to imap.example.test:143"}) || len(c.ConfirmDomains()) != 0 {
		t.Errorf("trust %s/%s, confirm %v", c.Trust, c.Account.Provenance.Trust, c.Confirm)
	}
	if !slices.Equal(c.Cleartext(), []string{"imap.example.test:143"}) || !slices.Equal(c.Upgraded, []string{RoleOutgoing}) {
		t.Errorf("cleartext %v, upgraded %v", c.Cleartext(), c.Upgraded)
	}
	if r := strings.Join(c.Reasons, "; "); !strings.Contains(r, "imap.example.test:143 does not offer STARTTLS, so that connection cannot be encrypted") {
		t.Errorf("reasons %v", c.Reasons)
	}
	want := "imap.example.test:143 answers, without encryption; smtp.example.test:587 answers with valid TLS (STARTTLS)"
	if d := c.Verification.Describe(); d != want {
		t.Errorf("Describe() = %q, want %q", d, want)
	}
	for _, s := range res.Trail {
		if s.Source == SourceVerify && s.Detail != want {
			t.Errorf("trail: %q", s.Detail)
		}
	}
	// Offline, nothing is checked: the candidate needs confirmation too.
	e.opts.NoVerify = true
	res, err = e.discover(t, "jane@example.test", account.SourceAutoconfig)
	if err != nil {
		t.Fatal(err)
	}
	c = res.Candidates[0]
	if c.Trust != account.NeedsConfirmation || len(c.Confirm) != 2 || len(c.Upgraded) != 0 || !strings.Contains(strings.Join(c.Reasons, "; "), "imap.example.test:143 is not encrypted") {
		t.Errorf("unverified: trust %s, confirm %v, upgraded %v", c.Trust, c.Confirm, c.Upgraded)
	}
}

// TestCleartextPOP3UpgradedToSTLS: a plain POP3 server that offers STLS
// is switched to STARTTLS like IMAP.
func TestCleartextPOP3UpgradedToSTLS(t *testing.T) {
	e := newDEnv(t)
	pop := strings.NewReplacer(`type="imap"><hostname>imap.example.test</hostname><port>143</port>`, `type="pop3"><hostname>pop.example.test</hostname><port>110</port>`).Replace(plainConfigXML)
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", xmlRoute(pop))
	res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Candidates[0]
	if c.Account.Incoming.Protocol != account.POP3 || c.Account.Incoming.Security != account.STARTTLS || c.Trust != account.Trusted || !slices.Contains(c.Upgraded, RoleIncoming) {
		t.Errorf("candidate %v, trust %s, upgraded %v", c.Account.Incoming, c.Trust, c.Upgraded)
	}
	if d := c.Verification.Describe(); !strings.HasPrefix(d, "pop.example.test:110 answers with valid TLS (STARTTLS)") {
		t.Errorf("Describe() = %q", d)
	}
}

// TestCleartextSTARTTLSFailing: a server that offers STARTTLS with an
// expired certificate stays without encryption, needs confirmation, and
// the reason says why it was not switched.
func TestCleartextSTARTTLSFailing(t *testing.T) {
	e := newDEnv(t)
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", xmlRoute(plainConfigXML))
	e.n.SetCertKind("imap.example.test", mailtest.CertExpired)
	res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Candidates[0]
	if c.Account.Incoming.Security != account.None || c.Trust != account.NeedsConfirmation || slices.Contains(c.Upgraded, RoleIncoming) {
		t.Errorf("candidate %v, trust %s, upgraded %v", c.Account.Incoming, c.Trust, c.Upgraded)
	}
	if r := strings.Join(c.Reasons, "; "); !strings.Contains(r, "imap.example.test:143 offers STARTTLS, but STARTTLS failed the check") {
		t.Errorf("reasons %v", c.Reasons)
	}
}

// TestCleartextListedFirst: a file that lists its unencrypted servers
// before its encrypted ones gives the encrypted ones first.
func TestCleartextListedFirst(t *testing.T) {
	e := newDEnv(t)
	body := `<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
<incomingServer type="imap"><hostname>imap.example.test</hostname><port>143</port><socketType>plain</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<incomingServer type="imap"><hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>587</port><socketType>plain</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", xmlRoute(body))
	e.opts.NoVerify = true
	res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Candidates[0]
	if c.Account.Incoming.Port != 993 || c.Account.Outgoing.Port != 465 || c.Trust != account.Trusted {
		t.Errorf("first candidate %v + %v (%s)", c.Account.Incoming, c.Account.Outgoing, c.Trust)
	}
}
