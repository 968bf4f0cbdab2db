package templates

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mailsetup/mailsetup/account"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/<name>, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./templates -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update if the change is intended)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}

// fixture is a named test account.
type fixture struct {
	name string
	acct account.Account
}

func server(p account.Protocol, host string, sec account.Security, user string) account.Server {
	return account.Server{Protocol: p, Host: host, Port: account.DefaultPort(p, sec), Security: sec,
		Auth: account.AuthPasswordCleartext, Username: user}
}

// withAuths returns s with the methods ms, the first as Auth.
func withAuths(s account.Server, ms ...account.AuthMethod) account.Server {
	s.Auth, s.Auths = ms[0], ms
	return s
}

// providerInfo is what an ISPDB file says beyond the servers: a page with
// descriptions in English and German, a step to enable access with its
// page and instructions, and OAuth2 endpoints.
func providerInfo() *account.ProviderInfo {
	return &account.ProviderInfo{
		Documentation: []account.Link{
			{URL: "https://help.oauth.example/imap", Descr: []account.Text{
				{Lang: "en", Text: "How do I set up other email applications to send and receive my mail?"},
				{Lang: "de", Text: "Wie richte ich andere E-Mail-Programme ein?"},
			}},
			{URL: "https://help.oauth.example/servers"},
		},
		Enable: &account.Enable{URL: "https://help.oauth.example/enable?step=1&lang=en", Instructions: []account.Text{
			{Text: "You must allow access via POP3 & IMAP once in the e-mail settings of your account!"},
			{Lang: "de", Text: "Sie müssen einmalig den Zugriff über POP3 & IMAP in den E-Mail-Einstellungen Ihres Kontos erlauben!"},
		}},
		OAuth2: &account.OAuth2Info{Issuer: "login.oauth.example", Scope: "mail-w",
			AuthURL: "https://api.login.oauth.example/oauth2/request_auth", TokenURL: "https://api.login.oauth.example/oauth2/get_token"},
	}
}

// fixtures are the accounts every format's golden files cover: IMAP, POP3,
// an IDN domain, a name with XML-special and non-ASCII characters, and
// STARTTLS and plain variants.
func fixtures() []fixture {
	return []fixture{
		{"imap", account.Account{
			Email: account.MustParseAddress("jane@example.com"), DisplayName: "Jane Doe",
			Incoming:   server(account.IMAP, "imap.example.com", account.TLS, "%EMAILADDRESS%"),
			Outgoing:   server(account.SMTP, "smtp.example.com", account.TLS, "%EMAILADDRESS%"),
			Provenance: account.Provenance{Source: account.SourceManual},
		}},
		{"pop3", account.Account{
			Email: account.MustParseAddress("max@example.org"), DisplayName: "Max Mustermann",
			Incoming:   server(account.POP3, "pop.example.org", account.TLS, "max"),
			Outgoing:   server(account.SMTP, "smtp.example.org", account.STARTTLS, "max"),
			POP3:       &account.POP3Options{LeaveOnServer: true, DaysOnServer: 14},
			Provenance: account.Provenance{Source: account.SourceManual},
		}},
		{"idn", account.Account{
			Email: account.MustParseAddress("jürgen@bücher.example"), DisplayName: "Jürgen Müller",
			Incoming:   server(account.IMAP, "imap.xn--bcher-kva.example", account.TLS, "%EMAILADDRESS%"),
			Outgoing:   server(account.SMTP, "mail.xn--bcher-kva.example", account.TLS, "%EMAILADDRESS%"),
			Provenance: account.Provenance{Source: account.SourceManual},
		}},
		{"special", account.Account{
			Email: account.MustParseAddress("o'brien+news@example.com"), DisplayName: `Zoë "Z" <O'Brien> & Co — 日本`,
			Incoming:   server(account.IMAP, "mail.example.com", account.TLS, "%EMAILLOCALPART%"),
			Outgoing:   server(account.SMTP, "mail.example.com", account.TLS, "%EMAILLOCALPART%"),
			Provenance: account.Provenance{Source: account.SourceManual},
		}},
		{"starttls", account.Account{
			Email: account.MustParseAddress("sam@example.net"), DisplayName: "Sam",
			Incoming:   server(account.IMAP, "mail.example.net", account.STARTTLS, "sam@example.net"),
			Outgoing:   server(account.SMTP, "mail.example.net", account.STARTTLS, "sam@example.net"),
			Provenance: account.Provenance{Source: account.SourceManual},
		}},
		{"plain", account.Account{
			Email: account.MustParseAddress("lab@lab.example"), DisplayName: "Lab User",
			Incoming:   server(account.POP3, "mail.lab.example", account.None, "lab"),
			Outgoing:   server(account.SMTP, "mail.lab.example", account.None, "lab"),
			POP3:       &account.POP3Options{},
			Provenance: account.Provenance{Source: account.SourceManual},
		}},
		// A compuserve.com-style provider (the ISPDB's aol.com file):
		// OAuth2 first and the password second on both servers, with the
		// provider's pages, a step to enable access and its OAuth2
		// endpoints.
		{"oauth2", account.Account{
			Email: account.MustParseAddress("jo@oauth.example"), DisplayName: "Jo Example",
			Incoming:   withAuths(server(account.IMAP, "imap.oauth.example", account.TLS, "%EMAILADDRESS%"), account.AuthOAuth2, account.AuthPasswordCleartext),
			Outgoing:   withAuths(server(account.SMTP, "smtp.oauth.example", account.TLS, "%EMAILADDRESS%"), account.AuthOAuth2, account.AuthPasswordCleartext),
			Provenance: account.Provenance{Source: account.SourceISPDB},
			Provider:   providerInfo(),
		}},
	}
}

// requireTool returns the path of an external program a test drives. It
// skips the test when the program is missing, unless MAILSETUP_REQUIRE_TOOLS
// is set (as .ci/run does after installing it), in which case it fails.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("MAILSETUP_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s is not on PATH but MAILSETUP_REQUIRE_TOOLS is set", name)
		}
		t.Skipf("%s is not on PATH (.ci/run installs it)", name)
	}
	return p
}
