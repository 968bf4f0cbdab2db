package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// auditConfigXML is a config-v1.1.xml naming one IMAP and one SMTP
// server.
func auditConfigXML(domain, imapHost string, imapPort int, imapSocket, smtpHost string, smtpPort int, smtpSocket string) string {
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1"><emailProvider id="%[1]s"><domain>%[1]s</domain>
<incomingServer type="imap"><hostname>%[2]s</hostname><port>%[3]d</port><socketType>%[4]s</socketType><username>%%EMAILADDRESS%%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>%[5]s</hostname><port>%[6]d</port><socketType>%[7]s</socketType><username>%%EMAILADDRESS%%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`, domain, imapHost, imapPort, imapSocket, smtpHost, smtpPort, smtpSocket)
}

// auditPOX is an Autodiscover POX response naming one IMAP and one SMTP
// server, both with implicit TLS.
func auditPOX(imapHost, smtpHost string) string {
	return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"><Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"><Account><AccountType>email</AccountType><Action>settings</Action>
<Protocol><Type>IMAP</Type><Server>` + imapHost + `</Server><Port>993</Port><LoginName>postmaster</LoginName><SPA>off</SPA><SSL>on</SSL><AuthRequired>on</AuthRequired></Protocol>
<Protocol><Type>SMTP</Type><Server>` + smtpHost + `</Server><Port>465</Port><LoginName>postmaster</LoginName><SPA>off</SPA><SSL>on</SSL><AuthRequired>on</AuthRequired></Protocol>
</Account></Response></Autodiscover>`
}

func xmlAt(n *mailtest.Network, host, path, body string) {
	n.HandleHTTP(host, path, mailtest.Route{Scheme: "https", ContentType: "application/xml", Body: body})
}

// auditCases are domains built so that each client discovers something
// different.
var auditCases = []struct {
	name   string
	domain string
	setup  func(n *mailtest.Network, d string)
	exit   int
}{
	{"all-agree", "good.test", func(n *mailtest.Network, d string) {
		n.AddMailDomain(d)
		xmlAt(n, "autoconfig."+d, "/mail/config-v1.1.xml", auditConfigXML(d, "imap."+d, 993, "SSL", "smtp."+d, 465, "SSL"))
		n.AddHost("autodiscover."+d, mailtest.HTTPS)
		xmlAt(n, "autodiscover."+d, "/autodiscover/autodiscover.xml", auditPOX("imap."+d, "smtp."+d))
		n.DNS().AddSRV("_imaps._tcp."+d, 0, 1, 993, "imap."+d)
		n.DNS().AddSRV("_submissions._tcp."+d, 0, 1, 465, "smtp."+d)
	}, ExitOK},
	{"autoconfig-only", "ac.test", func(n *mailtest.Network, d string) {
		n.AddMailDomain(d)
		xmlAt(n, "autoconfig."+d, "/mail/config-v1.1.xml", auditConfigXML(d, "imap."+d, 993, "SSL", "smtp."+d, 465, "SSL"))
	}, ExitServer},
	{"srv-only", "srv.test", func(n *mailtest.Network, d string) {
		n.AddMailDomain(d)
		n.DNS().AddSRV("_imaps._tcp."+d, 0, 1, 993, "mail."+d)
		n.DNS().AddSRV("_submissions._tcp."+d, 0, 1, 465, "mail."+d)
	}, ExitServer},
	{"autodiscover-only", "ad.test", func(n *mailtest.Network, d string) {
		n.AddMailDomain(d)
		n.AddHost("autodiscover."+d, mailtest.HTTPS)
		xmlAt(n, "autodiscover."+d, "/autodiscover/autodiscover.xml", auditPOX("mail."+d, "mail."+d))
	}, ExitServer},
	{"mx-at-hoster", "hosted.test", func(n *mailtest.Network, d string) {
		n.AddHost(d, mailtest.HTTPS)
		n.AddHost("imap.fastmail.com", mailtest.IMAPS)
		n.AddHost("smtp.fastmail.com", mailtest.Submissions)
		n.DNS().AddMX(d, 10, "in1-smtp.messagingengine.com")
	}, ExitServer},
	{"redirect-out", "redir.test", func(n *mailtest.Network, d string) {
		n.AddMailDomain(d)
		n.AddHost("elsewhere.test", mailtest.HTTPS)
		n.HandleHTTP("autoconfig."+d, "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", Location: "https://elsewhere.test/mail/config-v1.1.xml"})
		xmlAt(n, "elsewhere.test", "/mail/config-v1.1.xml", auditConfigXML(d, "imap."+d, 993, "SSL", "smtp."+d, 465, "SSL"))
		n.AddHost("autodiscover."+d, mailtest.HTTPS)
		n.HandleHTTP("autodiscover."+d, "/autodiscover/autodiscover.xml", mailtest.Route{Scheme: "https", Status: 302, Location: "https://elsewhere.test/autodiscover/autodiscover.xml"})
	}, ExitServer},
	{"stale-autoconfig", "stale.test", func(n *mailtest.Network, d string) {
		n.AddMailDomain(d)
		xmlAt(n, "autoconfig."+d, "/mail/config-v1.1.xml", auditConfigXML(d, "oldmail."+d, 993, "SSL", "oldmail."+d, 465, "SSL"))
		n.DNS().AddSRV("_imaps._tcp."+d, 0, 1, 993, "imap."+d)
		n.DNS().AddSRV("_submissions._tcp."+d, 0, 1, 465, "smtp."+d)
	}, ExitServer},
	{"text-plain-and-starttls-srv", "ct.test", func(n *mailtest.Network, d string) {
		n.AddMailDomain(d)
		n.HandleHTTP("autoconfig."+d, "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", ContentType: "text/plain",
			Body: auditConfigXML(d, "imap."+d, 993, "SSL", "smtp."+d, 465, "SSL")})
		n.DNS().AddSRV("_imap._tcp."+d, 0, 1, 143, "imap."+d)
		n.DNS().AddSRV("_submission._tcp."+d, 0, 1, 587, "smtp."+d)
	}, ExitServer},
	{"config-rules", "rules.test", func(n *mailtest.Network, d string) {
		// A stale file: no <domain>, a second IMAP server with the
		// common typo STARTSSL (clients skip it), and a fixed login name.
		body := strings.Replace(auditConfigXML(d, "imap."+d, 993, "SSL", "smtp."+d, 465, "SSL"), "<domain>"+d+"</domain>", "", 1)
		body = strings.Replace(body, "<outgoingServer", `<incomingServer type="imap"><hostname>imap.`+d+`</hostname><port>143</port><socketType>STARTSSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer`, 1)
		body = strings.Replace(body, "<username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>", "<username>mailer</username><authentication>password-cleartext</authentication></outgoingServer>", 1)
		n.AddMailDomain(d)
		xmlAt(n, "autoconfig."+d, "/mail/config-v1.1.xml", body)
	}, ExitServer},
	{"http-only", "plainhttp.test", func(n *mailtest.Network, d string) {
		n.AddMailDomain(d)
		n.HandleHTTP("autoconfig."+d, "/mail/config-v1.1.xml", mailtest.Route{Scheme: "http", ContentType: "application/xml",
			Body: auditConfigXML(d, "imap."+d, 993, "SSL", "smtp."+d, 465, "SSL")})
	}, ExitServer},
	{"needs-address", "addr.test", func(n *mailtest.Network, d string) {
		n.AddMailDomain(d)
		body := auditConfigXML(d, "imap."+d, 993, "SSL", "smtp."+d, 465, "SSL")
		n.HandleHTTPFunc("autoconfig."+d, "/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("emailaddress") == "" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprint(w, body)
		})
	}, ExitServer},
	{"bad-certificate", "badcert.test", func(n *mailtest.Network, d string) {
		n.AddMailDomain(d)
		xmlAt(n, "autoconfig."+d, "/mail/config-v1.1.xml", auditConfigXML(d, "imap."+d, 993, "SSL", "smtp."+d, 465, "SSL"))
		n.SetCertKind("autoconfig."+d, mailtest.CertWrongName)
	}, ExitServer},
	{"nothing", "empty.test", func(n *mailtest.Network, d string) {
		n.DNS().AddTXT(d, "v=spf1 -all")
	}, ExitNotFound},
}

// TestAuditGolden runs `mailsetup audit --json` for each case against
// the in-process network and compares the report with
// testdata/audit/<case>.json (go test ./cmd -run TestAuditGolden -update
// rewrites them), and the exit code with the case's.
func TestAuditGolden(t *testing.T) {
	for _, tc := range auditCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n := mailtest.Start(t)
			n.AddHost("ispdb.example.test", mailtest.HTTPS)
			tc.setup(n, tc.domain)
			code, out, errOut := runNet(t, n, "", "audit", tc.domain, "--json", "--ispdb", "https://ispdb.example.test/v1.1/")
			if code != tc.exit {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.exit, errOut)
			}
			var v map[string]any
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			if v["schema"] != AuditSchema {
				t.Errorf("schema %v", v["schema"])
			}
			got := normalizeAuditJSON(t, out)
			file := filepath.Join("testdata", "audit", tc.name+".json")
			if updateGolden() {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the report (run with -update to accept): %s", file, firstDiff(want, got))
			}
		})
	}
}

// normalizeAuditJSON re-indents a report and replaces what changes from
// run to run (loopback ports in quoted errors) with fixed text.
func normalizeAuditJSON(t *testing.T, out string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(out), "", "  "); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return []byte(s)
}

func TestAuditHuman(t *testing.T) {
	n := mailtest.Start(t)
	n.AddHost("ispdb.example.test", mailtest.HTTPS)
	auditCases[6].setup(n, "stale.test")
	code, out, _ := runNet(t, n, "", "audit", "jane@stale.test", "--ispdb", "https://ispdb.example.test/v1.1/")
	if code != ExitServer {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{"Mail client audit for stale.test", "Thunderbird", "imap oldmail.stale.test:993 tls", "SRV-aware clients", "imap imap.stale.test:993 tls",
		"[error] disagree:", "[error] server-failed:", "fix: ",
		"https://autodiscover.stale.test/autodiscover/autodiscover.xml", "_imaps._tcp.stale.test"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runNet(t, n, "", "--lang", "ro", "audit", "stale.test", "--ispdb", "https://ispdb.example.test/v1.1/")
	if code != ExitServer || !strings.Contains(out, "Audit al clienților de e-mail pentru stale.test") || !strings.Contains(out, "remediere: ") {
		t.Errorf("--lang ro: exit %d\n%s", code, out)
	}
}

// firstDiff shows the first lines where got and want differ.
func firstDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant %s\ngot  %s", i+1, wl, gl)
		}
	}
	return ""
}

// TestAuditPublishFlags: --imap/--smtp name the settings to publish and
// -o writes the records as files; without them the majority's working
// answer is published.
func TestAuditPublishFlags(t *testing.T) {
	n := mailtest.Start(t)
	n.AddHost("ispdb.example.test", mailtest.HTTPS)
	auditCases[6].setup(n, "stale.test")
	dir := t.TempDir()
	code, out, errOut := runNet(t, n, "", "audit", "stale.test", "--ispdb", "https://ispdb.example.test/v1.1/",
		"--imap", "mail.stale.test", "--smtp", "mail.stale.test:465", "-o", dir)
	if code != ExitServer {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "What to publish so that every client finds imap mail.stale.test:993 tls / smtp mail.stale.test:465 tls") {
		t.Errorf("no records for the given servers:\n%s", out)
	}
	zone, err := os.ReadFile(filepath.Join(dir, "stale.test.zone"))
	if err != nil || !strings.Contains(string(zone), "_imaps._tcp.stale.test.") || !strings.Contains(string(zone), "mail.stale.test.") {
		t.Errorf("zone file %v:\n%s", err, zone)
	}
	conf, err := os.ReadFile(filepath.Join(dir, "config-v1.1.xml"))
	if err != nil || !strings.Contains(string(conf), "<hostname>mail.stale.test</hostname>") || !strings.Contains(string(conf), "%EMAILADDRESS%") {
		t.Errorf("config-v1.1.xml %v:\n%s", err, conf)
	}
	// Again without --force: the files are kept.
	if code, _, errOut := runNet(t, n, "", "audit", "stale.test", "--ispdb", "off", "--imap", "mail.stale.test", "--smtp", "mail.stale.test:465", "-o", dir); code == ExitOK || !strings.Contains(errOut, "--force") {
		t.Errorf("existing files: exit %d: %s", code, errOut)
	}
	// Only --smtp, and no client gets working settings: a usage error.
	m := mailtest.Start(t)
	m.DNS().AddTXT("empty.test", "v=spf1 -all")
	if code, _, errOut := runNet(t, m, "", "audit", "empty.test", "--ispdb", "off", "--smtp", "smtp.empty.test"); code != ExitUsage {
		t.Errorf("partial flags: exit %d: %s", code, errOut)
	}
}
