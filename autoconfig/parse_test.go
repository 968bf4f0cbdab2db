package autoconfig

import (
	"reflect"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
)

func TestParseConfigV12IgnoresUnknown(t *testing.T) {
	doc := `<?xml version="1.0"?>
<clientConfig version="1.2">
  <emailProvider id="example.com">
    <domain>Example.COM</domain>
    <displayName>Example</displayName>
    <incomingServer type="jmap"><url>https://jmap.example.com</url></incomingServer>
    <incomingServer type="imap">
      <hostname>IMAP.example.com</hostname><port>143</port><socketType>STARTTLS</socketType>
      <username>%EMAILLOCALPART%</username><authentication>OAuth2</authentication><authentication>password-cleartext</authentication>
      <futureElement a="b"><nested/></futureElement>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>pop.example.com</hostname><port>995</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username><authentication>password-encrypted</authentication>
      <pop3><leaveMessagesOnServer>true</leaveMessagesOnServer><daysToLeaveMessagesOnServer>7</daysToLeaveMessagesOnServer></pop3>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.com</hostname><port>587</port><socketType>STARTTLS</socketType>
      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>
    </outgoingServer>
    <oAuth2><issuer>x</issuer></oAuth2>
  </emailProvider>
  <clientConfigUpdate url="https://example.com/new"/>
</clientConfig>`
	c, err := ParseConfig([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := account.Server{Protocol: account.IMAP, Host: "imap.example.com", Port: 143, Security: account.STARTTLS, Auth: account.AuthOAuth2,
		Auths: []account.AuthMethod{account.AuthOAuth2, account.AuthPasswordCleartext}, Username: "%EMAILLOCALPART%"}
	if len(c.Incoming) != 2 || !reflect.DeepEqual(c.Incoming[0], want) || c.Domains[0] != "example.com" {
		t.Errorf("parsed %+v", c)
	}
	if c.POP3 == nil || !c.POP3.LeaveOnServer || c.POP3.DaysOnServer != 7 || c.Incoming[1].Auth != account.AuthPasswordEncrypted {
		t.Errorf("pop3 %+v %+v", c.POP3, c.Incoming[1])
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, doc := range []string{
		"",
		"not xml",
		`<clientConfig><emailProvider id="x"><domain>x</domain></emailProvider></clientConfig>`,
		`<clientConfig><emailProvider><incomingServer type="imap"><hostname>a.b</hostname><port>99999</port><socketType>SSL</socketType></incomingServer><outgoingServer type="smtp"><hostname>a.b</hostname><port>465</port><socketType>SSL</socketType></outgoingServer></emailProvider></clientConfig>`,
		`<clientConfig><emailProvider><incomingServer type="imap"><hostname>a.b</hostname><port>993</port><socketType>STARTSSL</socketType></incomingServer><outgoingServer type="smtp"><hostname>a.b</hostname><port>465</port><socketType>SSL</socketType></outgoingServer></emailProvider></clientConfig>`,
		`<?xml version="1.0" encoding="ISO-2022-JP"?><clientConfig/>`,
		`<!DOCTYPE lolz [<!ENTITY lol "lol">]><clientConfig>&lol;</clientConfig>`,
	} {
		if c, err := ParseConfig([]byte(doc)); err == nil {
			t.Errorf("ParseConfig(%.60q) = %+v, want error", doc, c)
		} else if strings.Contains(err.Error(), "\n") {
			t.Errorf("multi-line error %q", err)
		}
	}
}

func TestParsePOX(t *testing.T) {
	p, err := ParsePOX([]byte(poxBody("imap.example.test", "smtp.example.test")))
	if err != nil {
		t.Fatal(err)
	}
	if p.Incoming[0].Security != account.TLS || p.Outgoing[0].Security != account.STARTTLS || p.Incoming[0].Username != "jane@example.test" {
		t.Errorf("parsed %+v", p)
	}
	auto := `<Autodiscover><Response><Account><Action>settings</Action>
<Protocol><Type>POP3</Type><Server>pop.x.com</Server><Port>995</Port><SPA>on</SPA></Protocol>
<Protocol><Type>SMTP</Type><Server>smtp.x.com</Server><Port>25</Port><SSL>off</SSL><AuthRequired>off</AuthRequired></Protocol>
<Protocol><Type>EXCH</Type><Server>ex.x.com</Server></Protocol>
</Account></Response></Autodiscover>`
	p, err = ParsePOX([]byte(auto))
	if err != nil {
		t.Fatal(err)
	}
	if in := p.Incoming[0]; in.Security != account.TLS || in.Auth != account.AuthNTLM || in.Username != account.PlaceholderAddress {
		t.Errorf("defaults: %+v", in)
	}
	if out := p.Outgoing[0]; out.Security != account.None || out.Auth != account.AuthNone {
		t.Errorf("SSL off, no auth: %+v", out)
	}
	for _, doc := range []string{
		`<Autodiscover><Response><Error><ErrorCode>600</ErrorCode><Message>Invalid Request</Message></Error></Response></Autodiscover>`,
		`<Autodiscover><Response><Account><Action>redirectUrl</Action><RedirectUrl>http://x.com/</RedirectUrl></Account></Response></Autodiscover>`,
		`<Autodiscover><Response><Account><Action>settings</Action></Account></Response></Autodiscover>`,
		`<Autodiscover>`,
	} {
		if _, err := ParsePOX([]byte(doc)); err == nil {
			t.Errorf("ParsePOX(%.60q) succeeded", doc)
		}
	}
	req := string(POXRequest(account.MustParseAddress("jane@bücher.example")))
	if !strings.Contains(req, "<EMailAddress>jane@xn--bcher-kva.example</EMailAddress>") || !strings.Contains(req, "requestschema/2006") {
		t.Errorf("request %s", req)
	}
}

// TestParseProtocolNames: both formats name protocols the way
// account.ParseProtocol reads them, in any case and with surrounding
// space, "pop" and "submission" included; other types (JMAP, Exchange)
// are skipped.
func TestParseProtocolNames(t *testing.T) {
	for _, tc := range []struct {
		in, out string
		want    account.Protocol
	}{
		{"imap", "smtp", account.IMAP},
		{" IMAP ", "SMTP", account.IMAP},
		{"Pop3", "Smtp", account.POP3},
		{"pop", "submission", account.POP3},
	} {
		doc := `<clientConfig><emailProvider id="x.example">
<incomingServer type="jmap"><url>https://jmap.x.example</url></incomingServer>
<incomingServer type="` + tc.in + `"><hostname>in.x.example</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="` + tc.out + `"><hostname>out.x.example</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`
		c, err := ParseConfig([]byte(doc))
		if err != nil {
			t.Fatalf("config types %q, %q: %v", tc.in, tc.out, err)
		}
		if len(c.Incoming) != 1 || c.Incoming[0].Protocol != tc.want || len(c.Outgoing) != 1 || c.Outgoing[0].Protocol != account.SMTP {
			t.Errorf("config types %q, %q: incoming %+v, outgoing %+v", tc.in, tc.out, c.Incoming, c.Outgoing)
		}

		pox := `<Autodiscover><Response><Account><Action>settings</Action>
<Protocol><Type>EXCH</Type><Server>ex.x.example</Server></Protocol>
<Protocol><Type>` + tc.in + `</Type><Server>in.x.example</Server><Port>993</Port></Protocol>
<Protocol><Type>` + tc.out + `</Type><Server>out.x.example</Server><Port>465</Port></Protocol>
</Account></Response></Autodiscover>`
		p, err := ParsePOX([]byte(pox))
		if err != nil {
			t.Fatalf("POX types %q, %q: %v", tc.in, tc.out, err)
		}
		if len(p.Incoming) != 1 || p.Incoming[0].Protocol != tc.want || len(p.Outgoing) != 1 || p.Outgoing[0].Protocol != account.SMTP {
			t.Errorf("POX types %q, %q: incoming %+v, outgoing %+v", tc.in, tc.out, p.Incoming, p.Outgoing)
		}
	}
	// An unknown type is skipped with ParseProtocol's reason.
	_, err := ParseConfig([]byte(`<clientConfig><emailProvider><incomingServer type="ews"><hostname>a.example</hostname></incomingServer></emailProvider></clientConfig>`))
	if err == nil || !strings.Contains(err.Error(), `server type: unknown protocol "ews"`) {
		t.Errorf("err = %v, want the unknown server type named", err)
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(configXML("example.com", "imap.example.com", 993, "smtp.example.com", 465, "")))
	f.Add([]byte(configXML("example.com", "imap.example.com", 993, "smtp.example.com", 465, `<mailsetup xmlns="urn:mailsetup:provider:1"><note url="javascript:x">n</note><mx>*.a.b</mx></mailsetup>`)))
	f.Add([]byte(`<clientConfig><emailProvider><incomingServer type="pop3"><hostname>%EMAILDOMAIN%</hostname><port>1</port><socketType>plain</socketType></incomingServer></emailProvider></clientConfig>`))
	f.Add([]byte(teolDoc))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data)
		if err != nil {
			return
		}
		if len(c.Incoming) == 0 || len(c.Outgoing) == 0 {
			t.Fatalf("accepted a config without servers: %+v", c)
		}
		if c.POP3 != nil && (c.POP3.DaysOnServer < 0 || c.POP3.DaysOnServer > account.MaxDaysOnServer) {
			t.Fatalf("POP3 days out of range: %+v", c.POP3)
		}
		if len(c.Notes) != 0 || len(c.MX) != 0 {
			t.Fatalf("a document from the network added mailsetup notes or MX patterns: %+v", c)
		}
		for _, s := range append(c.Incoming, c.Outgoing...) {
			if s.Port < 1 || s.Port > 65535 || s.Security == account.SecurityUnset || s.Auth == account.AuthUnset {
				t.Fatalf("accepted a bad server %+v", s)
			}
			if len(s.Auths) > 0 && (s.Auths[0] != s.Auth || len(s.Auths) < 2) {
				t.Fatalf("method list %v does not start with %v", s.Auths, s.Auth)
			}
		}
		// Provider texts are bounded and their links are web links.
		in := c.Info
		texts := []account.Text{}
		links := []string{}
		for _, d := range in.Documentation {
			texts = append(texts, d.Descr...)
			links = append(links, d.URL)
		}
		if e := in.Enable; e != nil {
			texts = append(texts, e.Instructions...)
			if e.URL != "" {
				links = append(links, e.URL)
			}
		}
		if len(in.Documentation) > MaxInfoTexts {
			t.Fatalf("%d documentation links", len(in.Documentation))
		}
		for _, x := range texts {
			if len(x.Text) > MaxInfoText || x.Text == "" {
				t.Fatalf("text of %d bytes kept", len(x.Text))
			}
		}
		for _, u := range links {
			if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
				t.Fatalf("link %q kept", u)
			}
		}
	})
}

func FuzzParsePOX(f *testing.F) {
	f.Add([]byte(poxBody("imap.example.com", "smtp.example.com")))
	f.Add([]byte(`<Autodiscover><Response><Account><Action>redirectAddr</Action><RedirectAddr>a@b.c</RedirectAddr></Account></Response></Autodiscover>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePOX(data)
		if err != nil {
			return
		}
		if p.Action == "settings" && (len(p.Incoming) == 0 || len(p.Outgoing) == 0) {
			t.Fatalf("settings without servers: %+v", p)
		}
	})
}
