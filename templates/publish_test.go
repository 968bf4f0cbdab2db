package templates

import (
	"errors"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
)

// TestPublishedAutodiscoverAuth: Outlook's response keeps the servers
// whose sign-in Outlook can use, each with the first such method, and
// fails with ErrAuthUnsupported when a side has none.
func TestPublishedAutodiscoverAuth(t *testing.T) {
	oauth := account.Server{Protocol: account.IMAP, Host: "oauth.example.com", Port: 993, Security: account.TLS, Auth: account.AuthOAuth2, Username: "%EMAILADDRESS%"}
	both := account.Server{Protocol: account.IMAP, Host: "imap.example.com", Port: 993, Security: account.TLS, Auth: account.AuthOAuth2,
		Auths: []account.AuthMethod{account.AuthOAuth2, account.AuthPasswordCleartext}, Username: "%EMAILLOCALPART%"}
	smtp := account.Server{Protocol: account.SMTP, Host: "smtp.example.com", Port: 465, Security: account.TLS, Auth: account.AuthPasswordCleartext, Username: "%EMAILADDRESS%"}
	addr, _ := account.ParseAddress("jane@example.com")
	p := Published{Domains: []string{"example.com"}, Incoming: []account.Server{oauth, both}, Outgoing: []account.Server{smtp}}
	data, err := p.AutodiscoverXML(addr, "")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if strings.Contains(s, "oauth.example.com") || !strings.Contains(s, "<Server>imap.example.com</Server>") ||
		!strings.Contains(s, "<LoginName>jane</LoginName>") || !strings.Contains(s, "<LoginName>jane@example.com</LoginName>") {
		t.Errorf("response:\n%s", s)
	}
	p.Incoming = []account.Server{oauth}
	if _, err := p.AutodiscoverXML(addr, ""); !errors.Is(err, ErrAuthUnsupported) {
		t.Errorf("OAuth2 only: %v", err)
	}
	// config-v1.1.xml keeps every server and every method.
	p.Incoming = []account.Server{oauth, both}
	x, err := p.AutoconfigXML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(x), "oauth.example.com") || strings.Count(string(x), "<authentication>OAuth2</authentication>") != 2 {
		t.Errorf("config-v1.1.xml:\n%s", x)
	}
}
