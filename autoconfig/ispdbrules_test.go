package autoconfig

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mailsetup/mailsetup/account"
)

// teolDoc is Thunderbird's ISPDB file for teol.net (MPL-2.0), trimmed,
// with the rest of what the ISPDB writes beside the servers: an outgoing
// server without <username>, several outgoing servers, a display name
// with a placeholder, and provider texts in several places.
const teolDoc = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="teol.net">
    <domain>teol.net</domain>
    <domain>mtel.tel</domain>
    <displayName>%EMAILDOMAIN% Mail</displayName>
    <incomingServer type="imap">
      <hostname>imap.teol.net</hostname><port>993</port><socketType>SSL</socketType>
      <authentication>OAuth2</authentication>
      <authentication>password-cleartext</authentication>
      <authentication>some-future-method</authentication>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.teol.net</hostname><port>465</port><socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.teol.net</hostname><port>587</port><socketType>STARTTLS</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.teol.net</hostname><port>465</port><socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
    <documentation url="https://hostingpodrska.teol.net/faq">
      <descr lang="sr">Koje parametre da koristim?</descr>
      <descr>Which settings   do I use?</descr>
    </documentation>
    <documentation url="javascript:alert(1)"><descr>dropped</descr></documentation>
    <instruction url="https://help.teol.net/thunderbird"><descr lang="en">Using Thunderbird</descr></instruction>
  </emailProvider>
  <oAuth2>
    <issuer>login.teol.net</issuer>
    <scope>mail</scope>
    <authURL>https://login.teol.net/auth</authURL>
    <tokenURL>https://login.teol.net/token</tokenURL>
  </oAuth2>
  <enable visiturl="https://mail.teol.net/settings">
    <instruction>You need to enable IMAP access</instruction>
    <instruction lang="lt">Įjunkite IMAP prieigą</instruction>
  </enable>
</clientConfig>`

func TestISPDBTextsAndAuthList(t *testing.T) {
	c, err := ParseConfig([]byte(teolDoc))
	if err != nil {
		t.Fatal(err)
	}
	in := c.Incoming[0]
	if in.Auth != account.AuthOAuth2 || !reflect.DeepEqual(in.Auths, []account.AuthMethod{account.AuthOAuth2, account.AuthPasswordCleartext}) {
		t.Errorf("incoming auth %v, list %v", in.Auth, in.Auths)
	}
	want := account.ProviderInfo{
		Documentation: []account.Link{
			{URL: "https://hostingpodrska.teol.net/faq", Descr: []account.Text{{Lang: "sr", Text: "Koje parametre da koristim?"}, {Text: "Which settings do I use?"}}},
			{URL: "https://help.teol.net/thunderbird", Descr: []account.Text{{Lang: "en", Text: "Using Thunderbird"}}},
		},
		Enable: &account.Enable{URL: "https://mail.teol.net/settings", Instructions: []account.Text{{Text: "You need to enable IMAP access"}, {Lang: "lt", Text: "Įjunkite IMAP prieigą"}}},
		OAuth2: &account.OAuth2Info{Issuer: "login.teol.net", Scope: "mail", AuthURL: "https://login.teol.net/auth", TokenURL: "https://login.teol.net/token"},
	}
	if !reflect.DeepEqual(c.Info, want) {
		t.Errorf("info:\n got %+v\nwant %+v", c.Info, want)
	}
}

// A document's single unknown method still fails the server, as before.
func TestUnknownOnlyAuthFails(t *testing.T) {
	doc := strings.Replace(teolDoc, "<authentication>OAuth2</authentication>\n      <authentication>password-cleartext</authentication>", "", 1)
	c, err := ParseConfig([]byte(doc))
	if err == nil {
		t.Fatalf("parsed %+v", c.Incoming)
	}
}

func TestCandidatesFollowThunderbirdRules(t *testing.T) {
	db, err := LoadDB(fstest.MapFS{"teol.xml": {Data: []byte(teolDoc)}})
	if err != nil {
		t.Fatal(err)
	}
	addr, _ := account.ParseAddress("ana@mtel.tel")
	res, err := Discover(context.Background(), addr, Options{DB: db, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Candidates) != 1 {
		t.Fatalf("candidates %d", len(res.Candidates))
	}
	c := res.Candidates[0]
	if c.Provider != "mtel.tel Mail" {
		t.Errorf("provider name %q", c.Provider)
	}
	// No <username>: the incoming username, expanded.
	out := c.Account.Outgoing
	if out.Username != "ana" || out.Port != 465 {
		t.Errorf("outgoing %+v", out)
	}
	// The other outgoing servers, document order, the duplicate once.
	if len(c.OutgoingAlternatives) != 1 || c.OutgoingAlternatives[0].Port != 587 || c.OutgoingAlternatives[0].Username != "ana@mtel.tel" {
		t.Errorf("alternatives %+v", c.OutgoingAlternatives)
	}
	if c.Account.Provider == nil || c.Account.Provider.Enable == nil || len(c.Account.Provider.Documentation) != 2 {
		t.Errorf("provider info %+v", c.Account.Provider)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"auth_methods":["oauth2","password-cleartext"]`, `"outgoing_alternatives":[`, `"provider_info":{"documentation":[`, `"enable":{"url":"https://mail.teol.net/settings"`, `"oauth2":{"issuer":"login.teol.net"`} {
		if !strings.Contains(string(b), w) {
			t.Errorf("JSON lacks %s", w)
		}
	}
}

// Without a username on either side, the outgoing server logs in with
// the address.
func TestOutgoingUserFallsBackToAddress(t *testing.T) {
	o := outgoingUser(account.Server{Protocol: account.SMTP, Auth: account.AuthPasswordCleartext}, account.Server{})
	if o.Username != account.PlaceholderAddress {
		t.Errorf("username %q", o.Username)
	}
	o = outgoingUser(account.Server{Protocol: account.SMTP, Auth: account.AuthNone}, account.Server{Username: "x"})
	if o.Username != "" {
		t.Errorf("no-login server got username %q", o.Username)
	}
}

// TestDocumentRules: the config-v1.1 rules audit reports for a published
// file; a login name that is the asked address (a server that fills it
// in) is not a fixed one.
func TestDocumentRules(t *testing.T) {
	addr := account.MustParseAddress("ana@teol.net")
	c, err := ParseConfig([]byte(teolDoc))
	if err != nil {
		t.Fatal(err)
	}
	if rules, _ := documentRules(c, addr); len(rules) != 0 {
		t.Errorf("teol.net's file breaks %v", rules)
	}
	doc := strings.Replace(teolDoc, "<domain>teol.net</domain>\n    <domain>mtel.tel</domain>", "", 1)
	doc = strings.Replace(doc, "<username>%EMAILADDRESS%</username>", "<username>ana@teol.net</username>", 1)
	doc = strings.Replace(doc, "<socketType>STARTTLS</socketType>", "<socketType>STARTSSL</socketType>", 1)
	c, err = ParseConfig([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	rules, skipped := documentRules(c, addr)
	if !reflect.DeepEqual(rules, []string{RuleNoDomain, RuleSkippedServer}) || len(skipped) != 1 || !strings.Contains(skipped[0], "STARTSSL") {
		t.Errorf("rules %v, skipped %q", rules, skipped)
	}
	doc = strings.Replace(doc, "<username>%EMAILLOCALPART%</username>", "<username>admin</username>", 1)
	c, _ = ParseConfig([]byte(doc))
	if rules, _ := documentRules(c, addr); !slices.Contains(rules, RuleFixedUsername) {
		t.Errorf("a fixed login name is not reported: %v", rules)
	}
}
