package serve

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/templates"
)

// multiYAML is the multi-domain example README.md shows.
const multiYAML = `# mailsetup serve configuration
providers:
  - domains: [example.com, example.org]
    display_name: Example Mail
    short_name: Example
    username: address
    incoming:
      - protocol: imap
        host: imap.example.com
        port: 993
        security: tls
        auth: [password-cleartext, password-encrypted]
      - protocol: pop3
        host: pop.example.com
        security: starttls
    outgoing:
      - host: smtp.example.com
        port: 465
        security: tls
      - host: smtp.example.com
        port: 587
        security: starttls
        username: localpart
    pop3:
      leave_on_server: true
      days_on_server: 14
    provider_info:
      documentation:
        - url: https://help.example.com/mail
          descriptions:
            - {lang: en, text: Mail settings}
            - {lang: ro, text: Setări de e-mail}
      enable:
        url: https://webmail.example.com/settings
        instructions:
          - {text: Turn on IMAP access in the webmail first.}
  - domains: [shop.test]
    incoming:
      - {protocol: imap, host: mail.shop.test}
    outgoing:
      - {host: mail.shop.test, port: 587, security: starttls, auth: password-encrypted}
`

func TestParseConfigMulti(t *testing.T) {
	cfg, err := ParseConfig([]byte(multiYAML), "serve.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.Domains(), " "); got != "example.com example.org shop.test" {
		t.Errorf("domains %q", got)
	}
	pub, ok := cfg.Published("example.org")
	if !ok || len(pub.Incoming) != 2 || len(pub.Outgoing) != 2 {
		t.Fatalf("example.org: %+v %v", pub, ok)
	}
	// The rendered config-v1.1.xml says exactly what the file says, read
	// back by discovery's own parser.
	x, err := autoconfig.ParseConfig(cfg.byDomain["example.com"].autoconfig)
	if err != nil {
		t.Fatal(err)
	}
	want := []account.Server{
		{Protocol: account.IMAP, Host: "imap.example.com", Port: 993, Security: account.TLS, Auth: account.AuthPasswordCleartext,
			Auths: []account.AuthMethod{account.AuthPasswordCleartext, account.AuthPasswordEncrypted}, Username: "%EMAILADDRESS%"},
		{Protocol: account.POP3, Host: "pop.example.com", Port: 110, Security: account.STARTTLS, Auth: account.AuthPasswordCleartext, Username: "%EMAILADDRESS%"},
		{Protocol: account.SMTP, Host: "smtp.example.com", Port: 465, Security: account.TLS, Auth: account.AuthPasswordCleartext, Username: "%EMAILADDRESS%"},
		{Protocol: account.SMTP, Host: "smtp.example.com", Port: 587, Security: account.STARTTLS, Auth: account.AuthPasswordCleartext, Username: "%EMAILLOCALPART%"},
	}
	got := append(append([]account.Server{}, x.Incoming...), x.Outgoing...)
	if len(got) != len(want) {
		t.Fatalf("servers %+v", got)
	}
	for i := range want {
		if !got[i].SameEndpoint(want[i]) || len(got[i].Auths) != len(want[i].Auths) {
			t.Errorf("server %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if strings.Join(x.Domains, " ") != "example.com example.org" || x.DisplayName != "Example Mail" || x.ShortName != "Example" {
		t.Errorf("provider %q %q %q", x.Domains, x.DisplayName, x.ShortName)
	}
	if x.POP3 == nil || !x.POP3.LeaveOnServer || x.POP3.DaysOnServer != 14 {
		t.Errorf("pop3 %+v", x.POP3)
	}
	if len(x.Info.Documentation) != 1 || x.Info.Documentation[0].URL != "https://help.example.com/mail" ||
		x.Info.Enable == nil || x.Info.Enable.URL != "https://webmail.example.com/settings" ||
		account.PickText(x.Info.Documentation[0].Descr, "ro") != "Setări de e-mail" {
		t.Errorf("provider texts %+v", x.Info)
	}
	shop, _ := cfg.Published("shop.test")
	if s := shop.Incoming[0]; s.Port != 993 || s.Security != account.TLS || s.Auth != account.AuthPasswordCleartext {
		t.Errorf("defaults %+v", s)
	}
}

// TestParseConfigExportJSON: the JSON export writes is a one-domain
// configuration; usernames equal to the address or its local part become
// placeholders.
func TestParseConfigExportJSON(t *testing.T) {
	for _, tc := range []struct{ user, want string }{
		{"jane@example.com", "%EMAILADDRESS%"},
		{"jane", "%EMAILLOCALPART%"},
		{"", "%EMAILADDRESS%"},
	} {
		addr, _ := account.ParseAddress("jane@example.com")
		a := account.Account{Email: addr, DisplayName: "Jane Doe",
			Incoming:   account.Server{Protocol: account.IMAP, Host: "imap.example.com", Port: 993, Security: account.TLS, Auth: account.AuthPasswordCleartext, Username: tc.user},
			Outgoing:   account.Server{Protocol: account.SMTP, Host: "smtp.example.com", Port: 587, Security: account.STARTTLS, Auth: account.AuthPasswordCleartext, Username: tc.user},
			Provenance: account.Provenance{Source: account.SourceManual}}
		if tc.user == "" {
			a.Incoming.Auth, a.Outgoing.Auth = account.AuthNone, account.AuthNone
		}
		files, err := templates.Render("json", a, templates.Options{})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "account.json")
		if err := os.WriteFile(path, files[0].Data, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadConfig(path)
		if err != nil {
			t.Fatalf("%q: %v\n%s", tc.user, err, files[0].Data)
		}
		pub, ok := cfg.Published("example.com")
		if !ok || len(cfg.Domains()) != 1 {
			t.Fatalf("domains %v", cfg.Domains())
		}
		want := tc.want
		if tc.user == "" {
			want = ""
		}
		if pub.Incoming[0].Username != want || pub.Outgoing[0].Username != want || pub.Outgoing[0].Port != 587 {
			t.Errorf("%q: %+v %+v", tc.user, pub.Incoming[0], pub.Outgoing[0])
		}
		if strings.Contains(string(cfg.byDomain["example.com"].autoconfig), "Jane") {
			t.Error("the person's name is published")
		}
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		line       int
		want       string
	}{
		{"unknown key", "providers:\n  - domains: [a.test]\n    incoming: [{protocol: imap, host: imap.a.test}]\n    outgoing: [{host: smtp.a.test}]\n    colour: blue\n", 5, `unknown key "colour"`},
		{"unknown server key", "providers:\n  - domains: [a.test]\n    incoming:\n      - protocol: imap\n        hots: imap.a.test\n    outgoing: [{host: smtp.a.test}]\n", 5, `unknown key "hots"`},
		{"bad port", "providers:\n  - domains: [a.test]\n    incoming:\n      - protocol: imap\n        host: imap.a.test\n        port: 99999\n    outgoing: [{host: smtp.a.test}]\n", 6, "not between 1 and 65535"},
		{"port string", "providers:\n  - domains: [a.test]\n    incoming:\n      - protocol: imap\n        host: imap.a.test\n        port: \"993\"\n    outgoing: [{host: smtp.a.test}]\n", 6, "whole number"},
		{"smtp incoming", "providers:\n  - domains: [a.test]\n    incoming:\n      - protocol: smtp\n        host: imap.a.test\n    outgoing: [{host: smtp.a.test}]\n", 4, "cannot receive mail"},
		{"bad security", "providers:\n  - domains: [a.test]\n    incoming:\n      - protocol: imap\n        host: imap.a.test\n        security: ssl3\n    outgoing: [{host: smtp.a.test}]\n", 6, "security"},
		{"bad auth", "providers:\n  - domains: [a.test]\n    incoming:\n      - protocol: imap\n        host: imap.a.test\n        auth: [password-cleartext, kerberos9]\n    outgoing: [{host: smtp.a.test}]\n", 6, "kerberos9"},
		{"no outgoing", "providers:\n  - domains: [a.test]\n    incoming: [{protocol: imap, host: imap.a.test}]\n", 2, `"outgoing" is missing`},
		{"empty incoming", "providers:\n  - domains: [a.test]\n    incoming: []\n    outgoing: [{host: smtp.a.test}]\n", 3, "empty"},
		{"bad domain", "providers:\n  - domains: [\"a b.test\"]\n    incoming: [{protocol: imap, host: imap.a.test}]\n    outgoing: [{host: smtp.a.test}]\n", 2, "domain"},
		{"bad host", "providers:\n  - domains: [a.test]\n    incoming:\n      - protocol: imap\n        host: \"imap..a.test\"\n    outgoing: [{host: smtp.a.test}]\n", 5, "host"},
		{"twice", "providers:\n  - domains: [a.test]\n    incoming: [{protocol: imap, host: imap.a.test}]\n    outgoing: [{host: smtp.a.test}]\n  - domains: [A.test]\n    incoming: [{protocol: imap, host: imap.a.test}]\n    outgoing: [{host: smtp.a.test}]\n", 5, "configured twice"},
		{"pop3 without pop3", "providers:\n  - domains: [a.test]\n    incoming: [{protocol: imap, host: imap.a.test}]\n    outgoing: [{host: smtp.a.test}]\n    pop3: {leave_on_server: true}\n", 5, "no incoming server is pop3"},
		{"days without leave", "providers:\n  - domains: [a.test]\n    incoming: [{protocol: pop3, host: pop.a.test}]\n    outgoing: [{host: smtp.a.test}]\n    pop3:\n      leave_on_server: false\n      days_on_server: 3\n", 7, "leave_on_server is off"},
		{"doc url", "providers:\n  - domains: [a.test]\n    incoming: [{protocol: imap, host: imap.a.test}]\n    outgoing: [{host: smtp.a.test}]\n    provider_info:\n      documentation:\n        - url: javascript:alert(1)\n", 7, "not an http or https URL"},
		{"syntax", "providers:\n  - domains: [a.test\n", -1, "not YAML or JSON"},
		{"json syntax", "{\"providers\": [\n{\"domains\": [\"a.test\"],,}]}\n", -1, "not YAML or JSON"},
		{"json unknown", "{\n  \"email\": \"jane@a.test\",\n  \"incoming\": {\"protocol\": \"imap\", \"host\": \"imap.a.test\", \"port\": 993, \"security\": \"tls\", \"auth\": \"password-cleartext\"},\n  \"outgoing\": {\"protocol\": \"smtp\", \"host\": \"smtp.a.test\", \"port\": 465, \"security\": \"tls\", \"auth\": \"password-cleartext\"},\n  \"password\": \"x\"\n}\n", 5, `unknown key "password"`},
		{"json fixed user", "{\n  \"email\": \"jane@a.test\",\n  \"incoming\": {\"protocol\": \"imap\", \"host\": \"imap.a.test\", \"port\": 993, \"security\": \"tls\", \"auth\": \"password-cleartext\",\n    \"username\": \"u12345\"},\n  \"outgoing\": {\"protocol\": \"smtp\", \"host\": \"smtp.a.test\", \"port\": 465, \"security\": \"tls\", \"auth\": \"password-cleartext\"}\n}\n", 4, "cannot be published"},
		{"not a mapping", "- a\n- b\n", 1, "mapping"},
		{"empty", "", 0, "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.data), "c.yaml")
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v, want a ConfigError", err)
			}
			if tc.line < 0 && ce.Line > 0 { // a syntax error: the line yaml names
				tc.line = ce.Line
			}
			if ce.Line != tc.line || !strings.Contains(err.Error(), tc.want) || ce.File != "c.yaml" {
				t.Errorf("error %q (line %d), want line %d and %q", err, ce.Line, tc.line, tc.want)
			}
			if tc.line > 0 && !strings.HasPrefix(err.Error(), "c.yaml:") {
				t.Errorf("error %q does not start with file:line", err)
			}
		})
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(multiYAML))
	f.Add([]byte(`{"email":"a@b.test","incoming":{"protocol":"imap","host":"i.b.test","port":993,"security":"tls","auth":"password-cleartext","username":"a"},"outgoing":{"protocol":"smtp","host":"s.b.test","port":465,"security":"tls","auth":"password-cleartext"}}`))
	f.Add([]byte("a: &x [*x]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(data, "f")
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %T %v is not a ConfigError", err, err)
			}
			return
		}
		if len(cfg.Domains()) == 0 {
			t.Fatal("a valid configuration without domains")
		}
		for _, d := range cfg.Domains() {
			if _, err := autoconfig.ParseConfig(cfg.byDomain[d].autoconfig); err != nil {
				t.Fatalf("%s: the rendered config-v1.1.xml does not parse: %v", d, err)
			}
		}
	})
}

// TestREADMEExample keeps README.md's example configuration the one the
// tests load.
func TestREADMEExample(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```\n")
	if !ok || !ok2 || example != multiYAML {
		t.Errorf("README.md's serve example differs from multiYAML:\n%s", example)
	}
}
