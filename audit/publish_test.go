package audit

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/fsutil"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/serve"
	"github.com/mailsetup/mailsetup/templates"
)

// The -update flag rewrites the golden files. It is registered here
// only when no other test file of the package registers it (package
// variables are set before init runs), so the package's tests can share
// one -update.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata/")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// goldenPublish compares got with testdata/publish/<name>, or rewrites it with -update.
func goldenPublish(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "publish", name)
	if updating() {
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
		t.Fatalf("%v (run go test ./audit -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (run with -update if the change is intended)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}

// tlsAccount uses implicit TLS on both sides (RFC 8314's preference).
func tlsAccount() account.Account {
	return account.Account{
		Incoming: account.Server{Protocol: account.IMAP, Host: "imap.example.com", Port: 993, Security: account.TLS,
			Auth: account.AuthPasswordCleartext, Username: account.PlaceholderAddress},
		Outgoing: account.Server{Protocol: account.SMTP, Host: "smtp.example.com", Port: 465, Security: account.TLS,
			Auth: account.AuthPasswordCleartext, Username: account.PlaceholderAddress},
	}
}

// starttlsAccount uses POP3 and submission with STARTTLS, usernames as
// local parts.
func starttlsAccount() account.Account {
	return account.Account{
		Incoming: account.Server{Protocol: account.POP3, Host: "pop.example.org", Port: 110, Security: account.STARTTLS,
			Auth: account.AuthPasswordEncrypted, Username: account.PlaceholderLocalPart},
		Outgoing: account.Server{Protocol: account.SMTP, Host: "mail.example.org", Port: 587, Security: account.STARTTLS,
			Auth: account.AuthPasswordEncrypted, Username: account.PlaceholderLocalPart},
		POP3: &account.POP3Options{LeaveOnServer: true, DaysOnServer: 14},
	}
}

var publishCases = []struct {
	name, domain string
	acc          account.Account
	// srv maps each SRV owner's service to "target:port" ("." not offered).
	srv map[string]string
}{
	{"tls", "example.com", tlsAccount(), map[string]string{
		"_imaps": "imap.example.com.:993", "_imap": ".:0",
		"_pop3s": ".:0", "_pop3": ".:0",
		"_submissions": "smtp.example.com.:465", "_submission": ".:0",
		"_autodiscover": "autodiscover.example.com.:443",
	}},
	{"starttls", "example.org", starttlsAccount(), map[string]string{
		"_imaps": ".:0", "_imap": ".:0",
		"_pop3s": ".:0", "_pop3": "pop.example.org.:110",
		"_submissions": ".:0", "_submission": "mail.example.org.:587",
		"_autodiscover": "autodiscover.example.org.:443",
	}},
}

func TestPublishGolden(t *testing.T) {
	for _, c := range publishCases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Publish(c.domain, c.acc)
			if err != nil {
				t.Fatal(err)
			}
			goldenPublish(t, c.name+"/"+AutoconfigFile, r.Autoconfig)
			goldenPublish(t, c.name+"/"+AutodiscoverFile, r.Autodiscover)
			goldenPublish(t, c.name+"/"+r.ZoneFileName(), r.ZoneFile())
			goldenPublish(t, c.name+"/"+ServeFile, r.Serve)
			goldenPublish(t, c.name+"/"+ReadmeFile, r.Readme())
			goldenPublish(t, c.name+"/text.en.txt", []byte(r.Text(i18n.New(i18n.EN))))
			again, err := Publish(c.domain, c.acc)
			if err != nil {
				t.Fatal(err)
			}
			if again.Text(i18n.New(i18n.EN)) != r.Text(i18n.New(i18n.EN)) || string(again.Serve) != string(r.Serve) {
				t.Error("two runs differ")
			}
		})
	}
}

// TestPublishParsesBack reads every published file back with the parser
// the clients' side of mailsetup uses.
func TestPublishParsesBack(t *testing.T) {
	for _, c := range publishCases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Publish(c.domain, c.acc)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := autoconfig.ParseConfig(r.Autoconfig)
			if err != nil {
				t.Fatalf("config-v1.1.xml: %v", err)
			}
			if len(cfg.Incoming) != 1 || !cfg.Incoming[0].SameEndpoint(c.acc.Incoming) {
				t.Errorf("config-v1.1.xml incoming = %+v, want %+v", cfg.Incoming, c.acc.Incoming)
			}
			if len(cfg.Outgoing) != 1 || !cfg.Outgoing[0].SameEndpoint(c.acc.Outgoing) {
				t.Errorf("config-v1.1.xml outgoing = %+v, want %+v", cfg.Outgoing, c.acc.Outgoing)
			}
			if len(cfg.Domains) != 1 || cfg.Domains[0] != c.domain {
				t.Errorf("config-v1.1.xml domains = %v", cfg.Domains)
			}

			pox, err := autoconfig.ParsePOX(r.Autodiscover)
			if err != nil {
				t.Fatalf("autodiscover.xml: %v", err)
			}
			wantIn := withAddress(c.acc, r.Address).Expand()
			if len(pox.Incoming) != 1 || pox.Incoming[0].Host != wantIn.Incoming.Host || pox.Incoming[0].Port != wantIn.Incoming.Port ||
				pox.Incoming[0].Security != wantIn.Incoming.Security || pox.Incoming[0].Username != wantIn.Incoming.Username {
				t.Errorf("autodiscover.xml incoming = %+v, want %+v", pox.Incoming, wantIn.Incoming)
			}
			if len(pox.Outgoing) != 1 || pox.Outgoing[0].Host != wantIn.Outgoing.Host || pox.Outgoing[0].Port != wantIn.Outgoing.Port {
				t.Errorf("autodiscover.xml outgoing = %+v, want %+v", pox.Outgoing, wantIn.Outgoing)
			}

			got := map[string]string{}
			zp := dns.NewZoneParser(strings.NewReader(string(r.ZoneFile())), "", r.ZoneFileName())
			for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
				srv, isSRV := rr.(*dns.SRV)
				if !isSRV {
					t.Errorf("zone record %v is not SRV", rr)
					continue
				}
				service, rest, _ := strings.Cut(srv.Hdr.Name, ".")
				if rest != "_tcp."+c.domain+"." {
					t.Errorf("SRV owner %q not under _tcp.%s.", srv.Hdr.Name, c.domain)
				}
				if _, dup := got[service]; dup {
					t.Errorf("SRV %s twice", service)
				}
				got[service] = srv.Target + ":" + strconv.Itoa(int(srv.Port))
				if srv.Target == "." && (srv.Port != 0 || srv.Weight != 0) {
					t.Errorf("%s: not offered, but port %d weight %d", service, srv.Port, srv.Weight)
				}
			}
			if err := zp.Err(); err != nil {
				t.Fatalf("zone file: %v", err)
			}
			if len(got) != len(c.srv) {
				t.Errorf("SRV records = %v, want %v", got, c.srv)
			}
			for service, want := range c.srv {
				if got[service] != want {
					t.Errorf("SRV %s = %q, want %q", service, got[service], want)
				}
			}

			sc, err := serve.ParseConfig(r.Serve, ServeFile)
			if err != nil {
				t.Fatalf("serve.yaml: %v", err)
			}
			pub, ok := sc.Published(c.domain)
			if !ok {
				t.Fatalf("serve.yaml does not serve %s (it serves %v)", c.domain, sc.Domains())
			}
			if len(pub.Incoming) != 1 || !pub.Incoming[0].SameEndpoint(c.acc.Incoming) {
				t.Errorf("serve.yaml incoming = %+v, want %+v", pub.Incoming, c.acc.Incoming)
			}
			if len(pub.Outgoing) != 1 || !pub.Outgoing[0].SameEndpoint(c.acc.Outgoing) {
				t.Errorf("serve.yaml outgoing = %+v, want %+v", pub.Outgoing, c.acc.Outgoing)
			}
			if (c.acc.POP3 == nil) != (pub.POP3 == nil) || (pub.POP3 != nil && *pub.POP3 != *c.acc.POP3) {
				t.Errorf("serve.yaml pop3 = %+v, want %+v", pub.POP3, c.acc.POP3)
			}
			// What serve renders from serve.yaml is the file published.
			served, err := pub.AutoconfigXML()
			if err != nil {
				t.Fatal(err)
			}
			if string(served) != string(r.Autoconfig) {
				t.Errorf("serve renders a different config-v1.1.xml:\n%s\nwant:\n%s", served, r.Autoconfig)
			}
		})
	}
}

func withAddress(a account.Account, addr account.Address) account.Account {
	a.Email = addr
	return a
}

func TestPublishAddressGivesAutodiscoverLogin(t *testing.T) {
	a := tlsAccount()
	a.Email = account.MustParseAddress("ana@example.com")
	r, err := Publish("example.com", a)
	if err != nil {
		t.Fatal(err)
	}
	pox, err := autoconfig.ParsePOX(r.Autodiscover)
	if err != nil {
		t.Fatal(err)
	}
	if pox.Incoming[0].Username != "ana@example.com" {
		t.Errorf("POX login = %q, want ana@example.com", pox.Incoming[0].Username)
	}
	// the published config keeps the placeholder for every user
	if !strings.Contains(string(r.Autoconfig), "%EMAILADDRESS%") {
		t.Errorf("config-v1.1.xml lost the placeholder:\n%s", r.Autoconfig)
	}
}

func TestPublishBadInput(t *testing.T) {
	noHost := tlsAccount()
	noHost.Incoming.Host = ""
	smtpIn := tlsAccount()
	smtpIn.Incoming.Protocol = account.SMTP
	other := tlsAccount()
	other.Email = account.MustParseAddress("ana@example.net")
	for _, c := range []struct {
		name, domain string
		acc          account.Account
		want         string
	}{
		{"no domain", "", tlsAccount(), "no domain"},
		{"blank domain", "  ", tlsAccount(), "no domain"},
		{"bad domain", "exa mple.com", tlsAccount(), "exa mple.com"},
		{"single label", "localhost", tlsAccount(), "needs a dot"},
		{"no incoming host", "example.com", noHost, "incoming.host"},
		{"smtp incoming", "example.com", smtpIn, "incoming.protocol"},
		{"address elsewhere", "example.com", other, "ana@example.net is not in example.com"},
		{"empty account", "example.com", account.Account{}, "incoming"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Publish(c.domain, c.acc)
			if err == nil {
				t.Fatalf("no error; records %+v", r)
			}
			if !errors.Is(err, ErrPublishInput) {
				t.Errorf("error %v does not wrap ErrPublishInput", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
		})
	}
}

func TestWriteDir(t *testing.T) {
	r, err := Publish("example.com", tlsAccount())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if err := r.WriteDir(dir, false); err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{AutoconfigFile: r.Autoconfig, AutodiscoverFile: r.Autodiscover,
		"example.com.zone": r.ZoneFile(), ServeFile: r.Serve, ReadmeFile: r.Readme()}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(want) {
		t.Errorf("%d files written, want %d: %v", len(entries), len(want), entries)
	}
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(data) {
			t.Errorf("%s differs", name)
		}
	}
	// A second write without force leaves every file alone.
	if err := os.WriteFile(filepath.Join(dir, ServeFile), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteDir(dir, false); !errors.Is(err, fsutil.ErrExists) {
		t.Fatalf("second write: %v, want ErrExists", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, ServeFile)); string(got) != "mine" {
		t.Errorf("serve.yaml overwritten without force")
	}
	if err := r.WriteDir(dir, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, ServeFile)); string(got) != string(r.Serve) {
		t.Errorf("serve.yaml not replaced with force")
	}
}

// TestPublishTextLocalized: labels in the run's language, values as
// published.
func TestPublishTextLocalized(t *testing.T) {
	r, err := Publish("example.com", tlsAccount())
	if err != nil {
		t.Fatal(err)
	}
	en := r.Text(i18n.New(i18n.EN))
	for _, l := range []i18n.Lang{i18n.RO, i18n.LT} {
		cat := i18n.New(l)
		got := r.Text(cat)
		if got == en {
			t.Errorf("%s: text is the English one", l)
		}
		for _, key := range []string{"audit.publish.autoconfig", "audit.publish.dns"} {
			if tr, ok := cat.Lookup(key); !ok || tr == "" {
				t.Errorf("%s: no %s", l, key)
			}
		}
		for _, v := range []string{string(r.Autoconfig), string(r.ZoneFile()), string(r.Serve)} {
			if !strings.Contains(got, v) {
				t.Errorf("%s: text lacks a published value", l)
			}
		}
	}
}

// TestPublishOAuth2Only: Outlook's POX response cannot name OAuth2, so
// there is no Autodiscover file, and the rest is still published.
func TestPublishOAuth2Only(t *testing.T) {
	a := tlsAccount()
	a.Incoming.Auth, a.Outgoing.Auth = account.AuthOAuth2, account.AuthOAuth2
	r, err := Publish("example.com", a)
	if err != nil {
		t.Fatal(err)
	}
	if r.Autodiscover != nil || !errors.Is(r.AutodiscoverErr, templates.ErrAuthUnsupported) {
		t.Fatalf("Autodiscover = %q, err %v; want none, ErrAuthUnsupported", r.Autodiscover, r.AutodiscoverErr)
	}
	cfg, err := autoconfig.ParseConfig(r.Autoconfig)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Incoming[0].Auth != account.AuthOAuth2 {
		t.Errorf("config-v1.1.xml incoming auth = %v, want oauth2", cfg.Incoming[0].Auth)
	}
	dir := t.TempDir()
	if err := r.WriteDir(dir, false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, AutodiscoverFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s written: %v", AutodiscoverFile, err)
	}
	for _, l := range []i18n.Lang{i18n.EN, i18n.RO, i18n.LT} {
		cat := i18n.New(l)
		want := cat.T("audit.publish.no-autodiscover", cat.ErrorText(r.AutodiscoverErr))
		if got := r.Text(cat); !strings.Contains(got, want) {
			t.Errorf("%s: text lacks %q:\n%s", l, want, got)
		}
	}
	if !strings.Contains(string(r.Readme()), "Not written: ") {
		t.Errorf("README.txt does not say the Autodiscover file is not written:\n%s", r.Readme())
	}
}

// TestPublishNormalizesDomain: the domain as the admin types it.
func TestPublishNormalizesDomain(t *testing.T) {
	r, err := Publish("Example.COM.", tlsAccount())
	if err != nil {
		t.Fatal(err)
	}
	if r.Domain != "example.com" || r.ZoneFileName() != "example.com.zone" {
		t.Errorf("domain %q, zone file %q", r.Domain, r.ZoneFileName())
	}
	if r.SRV[0].Name != "_imaps._tcp.example.com." {
		t.Errorf("first SRV owner %q", r.SRV[0].Name)
	}
	idn, err := Publish("bücher.example", tlsAccount())
	if err != nil {
		t.Fatal(err)
	}
	if idn.Domain != "xn--bcher-kva.example" || !strings.Contains(string(idn.ZoneFile()), "_imaps._tcp.xn--bcher-kva.example. ") {
		t.Errorf("IDN domain %q, zone:\n%s", idn.Domain, idn.ZoneFile())
	}
}
