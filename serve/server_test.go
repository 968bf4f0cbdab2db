package serve

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"encoding/xml"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"
	"howett.net/plist"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n/i18ntest"
	"github.com/mailsetup/mailsetup/templates"
)

func testServer(t *testing.T, opts Options) *Server {
	t.Helper()
	cfg, err := ParseConfig([]byte(multiYAML), "serve.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return New(cfg, opts)
}

// do sends one request to h and returns the response.
func do(h http.Handler, method, target, host, body string, header ...string) *http.Response {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, "http://placeholder/", rd)
	// Set the target as a client would send it, unparsed tricks included.
	r.RequestURI = target
	u, err := url.ParseRequestURI(target) // as net/http's server does: no dot-segment removal
	if err != nil {
		panic(err)
	}
	r.URL = u
	r.Host = host
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func poxRequestBody(addr string) string {
	return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request><EMailAddress>` + addr + `</EMailAddress>
  <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request>
</Autodiscover>`
}

func TestAutoconfigEndpoints(t *testing.T) {
	h := testServer(t, Options{}).Handler()
	want := string(mustParse(t).byDomain["example.com"].autoconfig)
	for _, tc := range []struct{ target, host string }{
		{"/mail/config-v1.1.xml?emailaddress=jane%40example.com", "autoconfig.example.com"},
		{"/mail/config-v1.1.xml?emailaddress=jane@example.org", "anything.test"},
		{"/mail/config-v1.1.xml", "autoconfig.example.org"},
		{"/mail/config-v1.1.xml", "AUTOCONFIG.Example.COM.:443"},
		{"/.well-known/autoconfig/mail/config-v1.1.xml", "example.com"},
	} {
		resp := do(h, "GET", tc.target, tc.host, "")
		body := readBody(t, resp)
		if resp.StatusCode != 200 || body != want || resp.Header.Get("Content-Type") != "text/xml; charset=utf-8" {
			t.Errorf("%s %s: %d %q\n%s", tc.host, tc.target, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
	shop := do(h, "GET", "/mail/config-v1.1.xml?emailaddress=bob@shop.test", "autoconfig.example.com", "")
	if b := readBody(t, shop); !strings.Contains(b, "<domain>shop.test</domain>") {
		t.Errorf("the address's domain does not win over the host's:\n%s", b)
	}
	if resp := do(h, "HEAD", "/mail/config-v1.1.xml", "autoconfig.example.com", ""); resp.StatusCode != 200 {
		t.Errorf("HEAD: %d", resp.StatusCode)
	}
}

func mustParse(t *testing.T) *Config {
	t.Helper()
	cfg, err := ParseConfig([]byte(multiYAML), "serve.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// poxSchema checks a POX response against the rules of Microsoft's
// Outlook response schema (formats.md §3a): the namespaces, the element
// order inside each Protocol, the values allowed, and SPA and SSL
// always written.
func poxSchema(t *testing.T, data []byte) {
	t.Helper()
	order := []string{"Type", "TTL", "Server", "Port", "LoginName", "DomainRequired", "DomainName", "SPA", "SSL", "Encryption", "AuthRequired", "UsePOPAuth", "SMTPLast"}
	allowed := map[string][]string{
		"Type": {"IMAP", "POP3", "SMTP"}, "SPA": {"on", "off"}, "SSL": {"on", "off"}, "DomainRequired": {"on", "off"},
		"AuthRequired": {"on", "off"}, "UsePOPAuth": {"on", "off"}, "SMTPLast": {"on", "off"}, "Encryption": {"None", "SSL", "TLS", "Auto"},
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var path []string
	var proto []string
	values := map[string]string{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			path = append(path, x.Name.Local)
			switch strings.Join(path, "/") {
			case "Autodiscover":
				if x.Name.Space != "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006" {
					t.Errorf("Autodiscover namespace %q", x.Name.Space)
				}
			case "Autodiscover/Response":
				if x.Name.Space != outlookResponseSchema {
					t.Errorf("Response namespace %q", x.Name.Space)
				}
			case "Autodiscover/Response/Account/Protocol":
				proto, values = nil, map[string]string{}
			}
		case xml.CharData:
			if len(path) == 5 && path[3] == "Protocol" {
				values[path[4]] += string(x)
			}
			if len(path) == 4 && path[2] == "Account" && path[3] == "AccountType" && string(x) != "email" {
				t.Errorf("AccountType %q", x)
			}
			if len(path) == 4 && path[2] == "Account" && path[3] == "Action" && string(x) != "settings" {
				t.Errorf("Action %q", x)
			}
		case xml.EndElement:
			if len(path) == 5 && path[3] == "Protocol" {
				proto = append(proto, path[4])
			}
			if strings.Join(path, "/") == "Autodiscover/Response/Account/Protocol" {
				last := -1
				for _, el := range proto {
					i := indexOf(order, el)
					if i <= last {
						t.Errorf("Protocol element %s out of order or unknown: %v", el, proto)
					}
					last = i
					if vs, ok := allowed[el]; ok && indexOf(vs, values[el]) < 0 {
						t.Errorf("%s = %q, want one of %v", el, values[el], vs)
					}
				}
				for _, must := range []string{"Type", "Server", "Port", "SPA", "SSL", "Encryption", "AuthRequired"} {
					if indexOf(proto, must) < 0 {
						t.Errorf("Protocol without %s: %v", must, proto)
					}
				}
				enc, ssl := values["Encryption"], values["SSL"]
				if (enc == "None") != (ssl == "off") {
					t.Errorf("SSL %s with Encryption %s", ssl, enc)
				}
			}
			path = path[:len(path)-1]
		}
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func TestAutodiscover(t *testing.T) {
	h := testServer(t, Options{}).Handler()
	for _, path := range []string{PathAutodiscover, PathAutodiscoverAlt} {
		resp := do(h, "POST", path, "autodiscover.example.com", poxRequestBody("jane@example.org"), "Content-Type", "text/xml; charset=utf-8")
		body := readBody(t, resp)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/xml; charset=utf-8" {
			t.Fatalf("%s: %d %s\n%s", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		poxSchema(t, []byte(body))
		pox, err := autoconfig.ParsePOX([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		// Every server in the configured order, with this user's login.
		want := []account.Server{
			{Protocol: account.IMAP, Host: "imap.example.com", Port: 993, Security: account.TLS, Username: "jane@example.org"},
			{Protocol: account.POP3, Host: "pop.example.com", Port: 110, Security: account.STARTTLS, Username: "jane@example.org"},
			{Protocol: account.SMTP, Host: "smtp.example.com", Port: 465, Security: account.TLS, Username: "jane@example.org"},
			{Protocol: account.SMTP, Host: "smtp.example.com", Port: 587, Security: account.STARTTLS, Username: "jane"},
		}
		got := append(append([]account.Server{}, pox.Incoming...), pox.Outgoing...)
		if len(got) != len(want) {
			t.Fatalf("servers %+v", got)
		}
		for i, w := range want {
			g := got[i]
			if g.Protocol != w.Protocol || g.Host != w.Host || g.Port != w.Port || g.Security != w.Security || g.Username != w.Username {
				t.Errorf("server %d: %+v, want %+v", i, g, w)
			}
		}
	}
	// The template's own single-account response passes the same checks.
	a := mustParse(t)
	pub, _ := a.Published("shop.test")
	addr, _ := account.ParseAddress("bob@shop.test")
	files, err := templates.Render("outlook", pub.Account(addr, "Bob"), templates.Options{})
	if err != nil {
		t.Fatal(err)
	}
	poxSchema(t, files[0].Data)
}

func TestPOXRequestParser(t *testing.T) {
	addr, err := ParsePOXRequest([]byte(poxRequestBody("Jane@Example.COM")))
	if err != nil || addr.String() != "Jane@example.com" {
		t.Errorf("%v %v", addr, err)
	}
	for name, body := range map[string]string{
		"doctype":   `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx"><!ENTITY y "&x;&x;&x;&x;">]><Autodiscover><Request><EMailAddress>&y;@a.test</EMailAddress></Request></Autodiscover>`,
		"entity":    `<Autodiscover><!ENTITY x "y"><Request><EMailAddress>a@a.test</EMailAddress></Request></Autodiscover>`,
		"charset":   `<?xml version="1.0" encoding="utf-16"?><Autodiscover><Request><EMailAddress>a@a.test</EMailAddress></Request></Autodiscover>`,
		"no addr":   `<Autodiscover><Request></Request></Autodiscover>`,
		"bad addr":  `<Autodiscover><Request><EMailAddress>not an address</EMailAddress></Request></Autodiscover>`,
		"control":   "<Autodiscover><Request><EMailAddress>a&#10;b@a.test</EMailAddress></Request></Autodiscover>",
		"huge addr": `<Autodiscover><Request><EMailAddress>` + strings.Repeat("a", 400) + `@a.test</EMailAddress></Request></Autodiscover>`,
		"mobile":    `<Autodiscover><Request><EMailAddress>a@a.test</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006</AcceptableResponseSchema></Request></Autodiscover>`,
		"not xml":   `{"email": "a@a.test"}`,
		"truncated": `<Autodiscover><Request><EMailAddress>a@a.test`,
		"too big":   strings.Repeat(" ", MaxRequestBody+1),
	} {
		if _, err := ParsePOXRequest([]byte(body)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzParsePOXRequest(f *testing.F) {
	f.Add([]byte(poxRequestBody("jane@example.com")))
	f.Add([]byte(`<!DOCTYPE a><Autodiscover/>`))
	f.Add([]byte(`<Autodiscover><Request><EMailAddress>&lt;a@b&gt;</EMailAddress></Request></Autodiscover>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		addr, err := ParsePOXRequest(data)
		if err != nil {
			return
		}
		if addr.IsZero() || strings.ContainsFunc(addr.String(), isControl) {
			t.Fatalf("accepted %q", addr.String())
		}
	})
}

func TestMobileconfig(t *testing.T) {
	// A signing certificate, self-signed, as an admin might use for tests.
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "mailsetup serve test signer"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	signer, err := templates.ParseSigner(certPEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		t.Fatal(err)
	}

	for _, signed := range []bool{false, true} {
		opts := Options{OrgID: "com.example"}
		if signed {
			opts.Signer = signer
		}
		h := testServer(t, opts).Handler()
		resp := do(h, "GET", "/apple/mobileconfig?emailaddress=jane@example.org", "autoconfig.example.org", "")
		body := []byte(readBody(t, resp))
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-apple-aspen-config" ||
			resp.Header.Get("Content-Disposition") != `attachment; filename="jane@example.org.mobileconfig"` {
			t.Fatalf("signed %v: %d %v", signed, resp.StatusCode, resp.Header)
		}
		content := body
		if signed {
			p7, err := pkcs7.Parse(body)
			if err != nil {
				t.Fatal(err)
			}
			pool := x509.NewCertPool()
			pool.AddCert(signer.Cert)
			if err := p7.VerifyWithChain(pool); err != nil {
				t.Errorf("pkcs7 verify: %v", err)
			}
			content = p7.Content
			if openssl, err := exec.LookPath("openssl"); err == nil {
				dir := t.TempDir()
				in, ca, out := filepath.Join(dir, "p.mobileconfig"), filepath.Join(dir, "ca.pem"), filepath.Join(dir, "p.plist")
				os.WriteFile(in, body, 0o600)
				os.WriteFile(ca, certPEM, 0o600)
				if msg, err := exec.Command(openssl, "cms", "-verify", "-inform", "DER", "-in", in, "-CAfile", ca, "-out", out).CombinedOutput(); err != nil {
					t.Errorf("openssl cms -verify: %v\n%s", err, msg)
				}
			} else if os.Getenv("MAILSETUP_REQUIRE_TOOLS") != "" {
				t.Error("openssl is not on PATH but MAILSETUP_REQUIRE_TOOLS is set")
			}
		}
		checkProfile(t, content)
	}
	h := testServer(t, Options{}).Handler()
	for target, code := range map[string]int{
		"/apple/mobileconfig":                                400,
		"/apple/mobileconfig?emailaddress=jane@nowhere.test": 404,
		"/apple/mobileconfig?emailaddress=jane":              400,
	} {
		if resp := do(h, "GET", target, "autoconfig.example.org", ""); resp.StatusCode != code {
			t.Errorf("%s: %d, want %d", target, resp.StatusCode, code)
		}
	}
}

// checkProfile parses a profile back and checks the values and types
// formats.md §1 asks for, and that it holds no password.
func checkProfile(t *testing.T, data []byte) {
	t.Helper()
	var p struct {
		PayloadType       string
		PayloadVersion    int
		PayloadIdentifier string
		PayloadUUID       string
		PayloadContent    []map[string]any
	}
	if _, err := plist.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	if p.PayloadType != "Configuration" || p.PayloadVersion != 1 || !strings.HasPrefix(p.PayloadIdentifier, "com.example.") || p.PayloadUUID == "" || len(p.PayloadContent) != 1 {
		t.Fatalf("profile %+v", p)
	}
	m := p.PayloadContent[0]
	want := map[string]any{
		"PayloadType": "com.apple.mail.managed", "EmailAccountType": "EmailTypeIMAP", "EmailAddress": "jane@example.org",
		"IncomingMailServerHostName": "imap.example.com", "IncomingMailServerPortNumber": uint64(993), "IncomingMailServerUseSSL": true,
		"IncomingMailServerUsername": "jane@example.org", "IncomingMailServerAuthentication": "EmailAuthPassword",
		"OutgoingMailServerHostName": "smtp.example.com", "OutgoingMailServerPortNumber": uint64(465), "OutgoingMailServerUseSSL": true,
		"OutgoingMailServerUsername": "jane@example.org", "OutgoingMailServerAuthentication": "EmailAuthPassword",
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %#v, want %#v", k, m[k], v)
		}
	}
	for k := range m {
		if strings.Contains(k, "Password") && k != "OutgoingPasswordSameAsIncomingPassword" {
			t.Errorf("the profile holds %s", k)
		}
	}
}

func TestPageAndQR(t *testing.T) {
	h := testServer(t, Options{}).Handler()
	for lang, want := range map[string]string{"": "Set up your e-mail", "ro-RO,ro;q=0.9,en;q=0.5": "Configurați-vă e-mailul", "lt": "El. pašto nustatymas", "de-DE": "Set up your e-mail"} {
		resp := do(h, "GET", "/", "mail.example.com", "", "Accept-Language", lang)
		body := readBody(t, resp)
		if resp.StatusCode != 200 || !strings.Contains(body, want) || !strings.Contains(body, `name="emailaddress"`) || strings.Contains(body, "<script") {
			t.Errorf("%q: %d\n%s", lang, resp.StatusCode, body)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || resp.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("headers %v", resp.Header)
		}
	}
	resp := do(h, "GET", "/?emailaddress=jane%40example.org", "mail.example.com", "", "Accept-Language", "ro")
	body := readBody(t, resp)
	for _, want := range []string{`<html lang="ro">`, "imap.example.com", `href="/apple/mobileconfig?emailaddress=jane%40example.org"`, `href="/android/qr.png?emailaddress=jane%40example.org"`, "profil pentru iPhone"} {
		if !strings.Contains(body, want) {
			t.Errorf("the sheet lacks %q", want)
		}
	}
	if resp.StatusCode != 200 {
		t.Errorf("sheet: %d", resp.StatusCode)
	}
	for target, code := range map[string]int{
		"/?emailaddress=jane%40nowhere.test":                           404,
		"/?emailaddress=%3Cscript%3E":                                  400,
		"/?emailaddress=a%0d%0aSet-Cookie:x@example.com":               400,
		"/?emailaddress=" + strings.Repeat("a", 5000) + "@example.com": 400,
	} {
		resp := do(h, "GET", target, "mail.example.com", "")
		body := readBody(t, resp)
		if resp.StatusCode != code || strings.Contains(body, "<script>") || strings.Contains(body, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") {
			t.Errorf("%.60s: %d, want %d\n%.300s", target, resp.StatusCode, code, body)
		}
	}

	resp = do(h, "GET", "/android/qr.png?emailaddress=jane@example.org", "x", "")
	png := readBody(t, resp)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(png, "\x89PNG") {
		t.Errorf("qr: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestHostileRequests(t *testing.T) {
	var logs bytes.Buffer
	h := testServer(t, Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))}).Handler()
	for _, tc := range []struct {
		name, method, target, host, body string
		code                             int
	}{
		{"unknown host", "GET", "/mail/config-v1.1.xml", "autoconfig.nowhere.test", "", 404},
		{"unknown address domain", "GET", "/mail/config-v1.1.xml?emailaddress=a@nowhere.test", "autoconfig.example.com", "", 404},
		{"public suffix host", "GET", "/mail/config-v1.1.xml", "autoconfig.com", "", 404},
		{"dot dot", "GET", "/mail/../mail/config-v1.1.xml", "autoconfig.example.com", "", 404},
		{"dot dot 2", "GET", "/apple/../mail/config-v1.1.xml", "autoconfig.example.com", "", 404},
		{"encoded slash", "GET", "/mail%2Fconfig-v1.1.xml", "autoconfig.example.com", "", 404},
		{"encoded dot", "GET", "/mail/%2e%2e/mail/config-v1.1.xml", "autoconfig.example.com", "", 404},
		{"double slash", "GET", "//mail/config-v1.1.xml", "autoconfig.example.com", "", 404},
		{"double slash 2", "GET", "/mail//config-v1.1.xml", "autoconfig.example.com", "", 404},
		{"trailing slash", "GET", "/mail/config-v1.1.xml/", "autoconfig.example.com", "", 404},
		{"case", "GET", "/MAIL/config-v1.1.xml", "autoconfig.example.com", "", 404},
		{"other path", "GET", "/etc/passwd", "autoconfig.example.com", "", 404},
		{"post autoconfig", "POST", "/mail/config-v1.1.xml", "autoconfig.example.com", "x", 405},
		{"get autodiscover", "GET", "/autodiscover/autodiscover.xml", "autodiscover.example.com", "", 405},
		{"delete", "DELETE", "/", "x", "", 405},
		{"control in address", "GET", "/mail/config-v1.1.xml?emailaddress=a%00b@example.com", "autoconfig.example.com", "", 400},
		{"huge address", "GET", "/mail/config-v1.1.xml?emailaddress=" + strings.Repeat("a", 100000) + "@example.com", "autoconfig.example.com", "", 400},
		{"two addresses", "GET", "/mail/config-v1.1.xml?emailaddress=a@example.com&emailaddress=b@shop.test", "autoconfig.example.com", "", 400},
		{"bad query", "GET", "/mail/config-v1.1.xml?emailaddress=%zz", "autoconfig.example.com", "", 400},
		{"display name", "GET", "/mail/config-v1.1.xml?emailaddress=Jane%20%3Cjane@example.com%3E", "autoconfig.example.com", "", 400},
		{"oversized body", "POST", "/autodiscover/autodiscover.xml", "autodiscover.example.com", poxRequestBody("jane@example.com") + strings.Repeat(" ", 70000), 400},
		{"huge body", "POST", "/autodiscover/autodiscover.xml", "autodiscover.example.com", strings.Repeat("<a>", 1<<20), 400},
		{"billion laughs", "POST", "/autodiscover/autodiscover.xml", "autodiscover.example.com", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><Autodiscover><Request><EMailAddress>&lol3;@example.com</EMailAddress></Request></Autodiscover>`, 400},
		{"external entity", "POST", "/autodiscover/autodiscover.xml", "autodiscover.example.com", `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><Autodiscover><Request><EMailAddress>&x;</EMailAddress></Request></Autodiscover>`, 400},
		{"undeclared entity", "POST", "/autodiscover/autodiscover.xml", "autodiscover.example.com", `<Autodiscover><Request><EMailAddress>&x;@example.com</EMailAddress></Request></Autodiscover>`, 400},
		{"empty body", "POST", "/autodiscover/autodiscover.xml", "autodiscover.example.com", "", 400},
		{"unknown domain pox", "POST", "/autodiscover/autodiscover.xml", "autodiscover.example.com", poxRequestBody("a@nowhere.test"), 404},
	} {
		resp := do(h, tc.method, tc.target, tc.host, tc.body)
		body := readBody(t, resp)
		if resp.StatusCode != tc.code {
			t.Errorf("%s: %d, want %d: %.200s", tc.name, resp.StatusCode, tc.code, body)
		}
		if len(body) > 4096 {
			t.Errorf("%s: %d bytes of answer", tc.name, len(body))
		}
	}
	if strings.Contains(logs.String(), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") {
		t.Error("the log holds the whole huge address")
	}
}

func TestLogsNameTheDomain(t *testing.T) {
	for _, full := range []bool{false, true} {
		var logs bytes.Buffer
		h := testServer(t, Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil)), LogAddresses: full}).Handler()
		do(h, "GET", "/mail/config-v1.1.xml?emailaddress=jane@example.org", "autoconfig.example.org", "")
		do(h, "POST", PathAutodiscover, "autodiscover.example.org", poxRequestBody("jane@example.org"))
		do(h, "GET", "/apple/mobileconfig?emailaddress=jane@example.org", "autoconfig.example.org", "")
		lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
		if len(lines) != 3 {
			t.Fatalf("%d log lines:\n%s", len(lines), logs.String())
		}
		for _, l := range lines {
			if !strings.Contains(l, `"domain":"example.org"`) || !strings.Contains(l, `"status":200`) {
				t.Errorf("log line %s", l)
			}
			if got := strings.Contains(strings.ReplaceAll(l, "emailaddress=jane@example.org", ""), "jane"); got != full {
				t.Errorf("LogAddresses %v: address logged %v: %s", full, got, l)
			}
			if strings.Contains(l, "emailaddress=") {
				t.Errorf("the query is logged: %s", l)
			}
		}
	}
}

func TestRateLimit(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	s := testServer(t, Options{RateLimit: RateLimit{PerSecond: 1, Burst: 3, MaxClients: 2}, Now: func() time.Time { return now }})
	h := s.Handler()
	get := func(ip string) int {
		r := httptest.NewRequest("GET", "/healthz", nil)
		r.RemoteAddr = ip + ":5555"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	for i := range 3 {
		if c := get("192.0.2.1"); c != 200 {
			t.Fatalf("request %d: %d", i, c)
		}
	}
	if c := get("192.0.2.1"); c != 429 {
		t.Errorf("over the burst: %d", c)
	}
	if c := get("192.0.2.2"); c != 200 {
		t.Errorf("another client: %d", c)
	}
	now = now.Add(time.Second)
	if c := get("192.0.2.1"); c != 200 {
		t.Errorf("a second later: %d", c)
	}
	// More clients than MaxClients share one bucket: memory stays bounded.
	for i := range 10 {
		get("198.51.100." + string(rune('0'+i)))
	}
	if n := len(s.limit.clients); n > 2 {
		t.Errorf("%d clients tracked, want at most 2", n)
	}
}

func TestReload(t *testing.T) {
	s := testServer(t, Options{})
	h := s.Handler()
	if resp := do(h, "GET", "/mail/config-v1.1.xml", "autoconfig.new.test", ""); resp.StatusCode != 404 {
		t.Fatalf("before: %d", resp.StatusCode)
	}
	cfg, err := ParseConfig([]byte("providers:\n  - domains: [new.test]\n    incoming: [{protocol: imap, host: imap.new.test}]\n    outgoing: [{host: smtp.new.test}]\n"), "new.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s.Reload(cfg)
	if resp := do(h, "GET", "/mail/config-v1.1.xml", "autoconfig.new.test", ""); resp.StatusCode != 200 {
		t.Errorf("after: %d", resp.StatusCode)
	}
	if resp := do(h, "GET", "/mail/config-v1.1.xml", "autoconfig.example.com", ""); resp.StatusCode != 404 {
		t.Errorf("old domain after: %d", resp.StatusCode)
	}
}

// endless is a request body that never ends and counts what was read.
type endless struct{ n int }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.n += len(p)
	return len(p), nil
}

// TestBodyReadIsBounded: an endless Autodiscover body is read only up
// to the limit, then refused: memory stays bounded and nothing hangs.
func TestBodyReadIsBounded(t *testing.T) {
	h := testServer(t, Options{}).Handler()
	body := &endless{}
	r := httptest.NewRequest("POST", PathAutodiscover, body)
	r.Host = "autodiscover.example.com"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 400 || body.n > MaxRequestBody+64<<10 {
		t.Errorf("status %d after reading %d bytes", w.Code, body.n)
	}
}

// TestPageNoEnglish: the Romanian and Lithuanian pages hold no English
// catalogue text: the form, the error and the sheet with its links.
func TestPageNoEnglish(t *testing.T) {
	h := testServer(t, Options{}).Handler()
	english := i18ntest.English("serve.")
	for k, v := range i18ntest.English("sheet.") {
		english[k] = v
	}
	for _, lang := range []string{"ro", "lt"} {
		for _, target := range []string{"/", "/?emailaddress=jane%40example.org", "/?emailaddress=jane%40nowhere.test", "/?emailaddress=bad"} {
			resp := do(h, "GET", target, "x", "", "Accept-Language", lang)
			body := readBody(t, resp)
			if !strings.Contains(body, `lang="`+lang+`"`) {
				t.Errorf("%s %s: not in %s", lang, target, lang)
			}
			if leaks := i18ntest.Leaks(body, english); len(leaks) > 0 {
				t.Errorf("%s %s: English text %v", lang, target, leaks)
			}
		}
	}
}
