package mailtest

import (
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestHTTPSAndRequestLog(t *testing.T) {
	n := Start(t)
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", Route{
		ContentType: "application/xml", Body: "<clientConfig/>", Scheme: "https",
	})
	n.HandleHTTP("example.test", "/.well-known/autoconfig/mail/config-v1.1.xml", Route{
		Scheme: "http", Status: http.StatusMovedPermanently,
		Location: "https://autoconfig.example.test/mail/config-v1.1.xml",
	})
	n.HandleHTTPFunc("example.test", "/api/", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		_, _ = io.WriteString(w, r.URL.Path)
	})
	c := n.HTTPClient()

	resp, err := c.Get("http://example.test/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=jane%40example.test")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "<clientConfig/>" || resp.Header.Get("Content-Type") != "application/xml" {
		t.Fatalf("got %d %q %q", resp.StatusCode, body, resp.Header.Get("Content-Type"))
	}
	if resp.TLS == nil {
		t.Fatal("final response not over TLS")
	}

	req, _ := http.NewRequest("GET", "https://example.test/api/x/y", nil)
	req.SetBasicAuth("jane", "secret")
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusTeapot || string(body) != "/api/x/y" {
		t.Fatalf("handler route: %d %q", resp.StatusCode, body)
	}
	resp, err = c.Get("https://example.test/nothing")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("unknown path: %d", resp.StatusCode)
	}
	// The https-only route is not served over http.
	resp, err = c.Get("http://autoconfig.example.test/mail/config-v1.1.xml")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("scheme filter: %d", resp.StatusCode)
	}

	log := n.HTTPRequests()
	if len(log) != 5 {
		t.Fatalf("request log %+v", log)
	}
	first, second, third := log[0], log[1], log[2]
	if first.Scheme != "http" || first.Host != "example.test" || first.Query != "emailaddress=jane%40example.test" ||
		first.Method != "GET" || first.Authorization || first.Endpoint.Port != 80 {
		t.Fatalf("first %+v", first)
	}
	if second.Scheme != "https" || second.Host != "autoconfig.example.test" || second.Path != "/mail/config-v1.1.xml" ||
		second.SNI != "autoconfig.example.test" || second.Endpoint.Port != 443 {
		t.Fatalf("second %+v", second)
	}
	if !third.Authorization || third.Path != "/api/x/y" {
		t.Fatalf("third %+v", third)
	}
	n.ResetHTTPRequests()
	if len(n.HTTPRequests()) != 0 {
		t.Fatal("reset")
	}
}

func TestHTTPSCertificateKinds(t *testing.T) {
	n := Start(t)
	n.HandleHTTP("autoconfig.example.test", "/", Route{Body: "ok"})
	n.HandleHTTP("example.test", "/", Route{Body: "ok"})
	c := n.HTTPClient()
	get := func(url string) error {
		resp, err := c.Get(url)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := get("https://autoconfig.example.test/"); err != nil {
		t.Fatalf("valid: %v", err)
	}
	cases := []struct {
		kind  CertKind
		check func(error) bool
	}{
		{CertWrongName, func(err error) bool { var e x509.HostnameError; return errors.As(err, &e) }},
		{CertExpired, func(err error) bool {
			var e x509.CertificateInvalidError
			return errors.As(err, &e) && e.Reason == x509.Expired
		}},
		{CertNotYetValid, func(err error) bool {
			var e x509.CertificateInvalidError
			return errors.As(err, &e) && e.Reason == x509.Expired
		}},
		{CertSelfSigned, func(err error) bool { var e x509.UnknownAuthorityError; return errors.As(err, &e) }},
	}
	for _, tc := range cases {
		n.SetCertKind("autoconfig.example.test", tc.kind)
		err := get("https://autoconfig.example.test/")
		if err == nil || !tc.check(err) {
			t.Fatalf("%s: got %v", tc.kind, err)
		}
		// Per-host choice by SNI: the apex keeps its valid certificate.
		if err := get("https://example.test/"); err != nil {
			t.Fatalf("%s leaked to another host: %v", tc.kind, err)
		}
	}
	eventually(t, "failed handshake logged", func() bool {
		for _, l := range n.ConnLogsFor("autoconfig.example.test:443") {
			if ev := l.Events(); len(ev) > 0 && strings.HasPrefix(ev[0], "tls handshake failed") {
				return true
			}
		}
		return false
	})
}

func TestCAExports(t *testing.T) {
	n := Start(t)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(n.CAPEM()) {
		t.Fatal("CA PEM does not parse")
	}
	cert, err := n.CA().Issue(CertValid, "imap.example.test", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, roots := range []*x509.CertPool{pool, n.CAPool()} {
		if _, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: "imap.example.test"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := cert.Leaf.VerifyHostname("127.0.0.1"); err != nil {
		t.Fatalf("IP SAN: %v", err)
	}
	again, _ := n.CA().Issue(CertValid, "imap.example.test", "127.0.0.1")
	if again != cert {
		t.Fatal("not cached")
	}
	if _, err := n.CA().ServerTLSConfig(CertSelfSigned, "x.test"); err != nil {
		t.Fatal(err)
	}
	if _, err := n.CA().Issue(CertValid); err == nil {
		t.Fatal("issued without names")
	}
}

// TestHTTPCustomReason: a route can send any reason phrase, control
// characters included, over HTTP and HTTPS.
func TestHTTPCustomReason(t *testing.T) {
	n := Start(t)
	reason := "Not\x1b[2J\x1b]0;owned\x07 Found"
	n.HandleHTTP("example.test", "/x", Route{Status: http.StatusNotFound, Reason: reason, Body: "gone", Header: http.Header{"X-Test": {"1"}}})
	c := n.HTTPClient()
	for _, scheme := range []string{"http", "https"} {
		resp, err := c.Get(scheme + "://example.test/x")
		if err != nil {
			t.Fatalf("%s: %v", scheme, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusNotFound || resp.Status != "404 "+reason || string(body) != "gone" || resp.Header.Get("X-Test") != "1" {
			t.Errorf("%s: status %q, body %q, %v, header %v", scheme, resp.Status, body, err, resp.Header)
		}
	}
}
