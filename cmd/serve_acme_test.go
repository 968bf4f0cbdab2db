package cmd

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	pebbleca "github.com/letsencrypt/pebble/v2/ca"
	pebbledb "github.com/letsencrypt/pebble/v2/db"
	pebbleva "github.com/letsencrypt/pebble/v2/va"
	pebblewfe "github.com/letsencrypt/pebble/v2/wfe"

	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// testPebble is Let's Encrypt's test CA, pebble, run in-process from its
// own packages (ca, db, va, wfe) as its main program wires them: its ACME
// directory is served over HTTPS on loopback with a certificate of the
// in-process network's CA (n), and its validation authority really
// validates: it resolves each name through n's DNS server and connects to
// that address on the port of the server under test for TLS-ALPN-01.
type testPebble struct {
	// Directory is the ACME directory URL.
	Directory string
	// Roots holds pebble's root certificate, which issues (through an
	// intermediate) every certificate it signs.
	Roots *x509.CertPool
	// Root is that root certificate.
	Root *x509.Certificate
	// Log is pebble's log so far.
	log *lockedBuffer
	// Stop stops serving the ACME directory.
	Stop func()
}

// listenPebble reserves pebble's HTTPS listener, so that its directory
// URL is known before the server under test starts; startPebble serves on
// it once that server's TLS port is known.
func listenPebble(t *testing.T) (net.Listener, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln, "https://" + ln.Addr().String() + pebblewfe.DirectoryPath
}

// startPebble serves pebble on ln, validating TLS-ALPN-01 challenges on
// tlsPort of whatever address n's DNS gives a name. It sets pebble's
// environment knobs for the test: no random sleep before validating and
// no nonces rejected at random (pebble's default rejects 5 % to test
// clients' retries, which would only slow the test down).
func startPebble(t *testing.T, n *mailtest.Network, ln net.Listener, tlsPort int) *testPebble {
	t.Helper()
	t.Setenv("PEBBLE_VA_NOSLEEP", "1")
	t.Setenv("PEBBLE_WFE_NONCEREJECT", "0")
	p := &testPebble{Directory: "https://" + ln.Addr().String() + pebblewfe.DirectoryPath, log: &lockedBuffer{}}
	logger := log.New(p.log, "pebble ", log.Lmicroseconds)
	db := pebbledb.NewMemoryStore()
	ca := pebbleca.New(logger, db, "", "ecdsa", 0, 1, map[string]pebbleca.Profile{
		"default": {Description: "the test's profile"},
	})
	// The HTTP-01 port is never used: autocert is only offered
	// TLS-ALPN-01 by serve.
	va := pebbleva.New(logger, 0, tlsPort, false, n.DNS().Addr(), db)
	wfe := pebblewfe.New(logger, db, va, ca, []string{"pebble.letsencrypt.org"}, false, false, 0, 0)
	cert, err := n.CA().Issue(mailtest.CertValid, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{
		Handler:   wfe.Handler(),
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{*cert}},
		ErrorLog:  logger,
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.ServeTLS(ln, "", ""); !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("pebble: %v", err)
		}
	}()
	p.Stop = func() {
		srv.Close()
		<-done
	}
	t.Cleanup(func() {
		p.Stop()
		if t.Failed() {
			t.Logf("pebble's log:\n%s", p.log)
		}
	})
	p.Root = ca.GetRootCert(0).Cert
	p.Roots = x509.NewCertPool()
	p.Roots.AddCert(p.Root)
	return p
}

// pointNames gives each name an A record for 127.0.0.1 in n's DNS, which
// is where pebble's validation authority connects.
func pointNames(n *mailtest.Network, names ...string) {
	for _, name := range names {
		n.DNS().AddA(name, netip.MustParseAddr("127.0.0.1"))
	}
}

// acmeHandshake connects to addr with TLS for serverName and returns the
// certificate chain the server sent, verified against roots for that
// name.
func acmeHandshake(ctx context.Context, addr, serverName string, roots *x509.CertPool) ([]*x509.Certificate, error) {
	d := tls.Dialer{Config: &tls.Config{ServerName: serverName, RootCAs: roots, MinVersion: tls.VersionTLS12}}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.(*tls.Conn).ConnectionState().PeerCertificates, nil
}

// checkIssued checks that chain is a certificate for exactly name that
// pebble issued.
func checkIssued(t *testing.T, chain []*x509.Certificate, name string, p *testPebble) {
	t.Helper()
	if len(chain) < 2 {
		t.Fatalf("certificate chain for %s: got %d certificates, want the leaf and pebble's intermediate", name, len(chain))
	}
	leaf := chain[0]
	if len(leaf.DNSNames) != 1 || leaf.DNSNames[0] != name {
		t.Errorf("certificate for %s: got names %q, want exactly %q", name, leaf.DNSNames, name)
	}
	if !strings.HasPrefix(leaf.Issuer.CommonName, "Pebble Intermediate CA") {
		t.Errorf("certificate for %s: got issuer %q, want pebble's intermediate", name, leaf.Issuer)
	}
	if chain[len(chain)-1].CheckSignatureFrom(p.Root) != nil {
		t.Errorf("certificate chain for %s: its last certificate (%s) is not signed by pebble's root", name, chain[len(chain)-1].Subject)
	}
}

// TestACMEManagerIssuesFromPebble runs the certificate manager that serve
// builds for --acme-email on a TLS listener and asks pebble for real
// certificates: the names of the configured domains get one issued by
// pebble after pebble's own TLS-ALPN-01 check of that listener, other
// names none, and a domain added later (a reload) gets one too.
func TestACMEManagerIssuesFromPebble(t *testing.T) {
	n := mailtest.Start(t, mailtest.Bare())
	pebbleLn, directory := listenPebble(t)

	var mu sync.Mutex
	domains := []string{"example.test"}
	current := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), domains...)
	}
	cache := filepath.Join(t.TempDir(), "acme")
	m, err := newACMEManager(acmeConfig{Email: "admin@example.test", Directory: directory, CacheDir: cache}, n.CAPool(), current)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(cache); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("ACME cache folder %s: got %v (%v), want a folder with mode 0700", cache, fi, err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", acmeTLSConfig(m))
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello "+r.Host)
	}), ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	addr := ln.Addr().String()

	p := startPebble(t, n, pebbleLn, ln.Addr().(*net.TCPAddr).Port)
	pointNames(n, "autoconfig.example.test", "autodiscover.example.test", "www.example.test",
		"autoconfig.example.org", "autoconfig.other.test")

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	for _, name := range []string{"autoconfig.example.test", "autodiscover.example.test"} {
		chain, err := acmeHandshake(ctx, addr, name, p.Roots)
		if err != nil {
			t.Fatalf("TLS to %s: %v", name, err)
		}
		checkIssued(t, chain, name, p)
	}
	// Outside the policy: no certificate, so no handshake.
	for _, name := range []string{"www.example.test", "example.test", "autoconfig.example.org", "autoconfig.other.test"} {
		if _, err := acmeHandshake(ctx, addr, name, p.Roots); err == nil {
			t.Errorf("TLS to %s: got a certificate, want none (not a name of a configured domain)", name)
		}
	}
	// A reload adds example.org: its name gets a certificate now.
	mu.Lock()
	domains = append(domains, "example.org")
	mu.Unlock()
	chain, err := acmeHandshake(ctx, addr, "autoconfig.example.org", p.Roots)
	if err != nil {
		t.Fatalf("TLS to autoconfig.example.org after the domain was added: %v", err)
	}
	checkIssued(t, chain, "autoconfig.example.org", p)

	// The certificates and the account key are in the cache folder.
	entries, err := os.ReadDir(cache)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	for _, want := range []string{"acme_account+key", "autoconfig.example.test", "autodiscover.example.test", "autoconfig.example.org"} {
		found := false
		for _, got := range names {
			found = found || got == want
		}
		if !found {
			t.Errorf("ACME cache %s: got %q, want %q among them", cache, names, want)
		}
	}
	// TLS 1.1 is refused.
	d := tls.Dialer{Config: &tls.Config{ServerName: "autoconfig.example.test", RootCAs: p.Roots, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}}
	if c, err := d.DialContext(ctx, "tcp", addr); err == nil {
		c.Close()
		t.Errorf("TLS 1.1 to autoconfig.example.test: got a connection, want TLS 1.2 at least")
	}
}

func TestACMEHostPolicy(t *testing.T) {
	policy := acmeHostPolicy(func() []string { return []string{"example.test", "xn--bcher-kva.example"} })
	for _, ok := range []string{"autoconfig.example.test", "AUTODISCOVER.Example.Test", "autoconfig.example.test.", "autoconfig.xn--bcher-kva.example"} {
		if err := policy(t.Context(), ok); err != nil {
			t.Errorf("policy(%q): got %v, want nil", ok, err)
		}
	}
	for _, no := range []string{"example.test", "www.example.test", "autoconfig.example.test.evil", "x.autoconfig.example.test", "autoconfig.example", "mail.example.test", ""} {
		if err := policy(t.Context(), no); err == nil {
			t.Errorf("policy(%q): got nil, want an error", no)
		}
	}
}

// TestServeCommandACME runs `mailsetup serve --acme-email ...
// --acme-directory <pebble>` and connects to it as mail clients do: the
// names autoconfig.<domain> and autodiscover.<domain> of the configured
// domains get certificates that pebble issued (after checking serve
// itself with TLS-ALPN-01) and serve answers over them; other names get
// none; after a reload that replaces a domain, the new domain's names
// get certificates and the old one's no longer do. A serve started again
// on the same cache folder, with the CA gone, serves the certificate it
// already has.
func TestServeCommandACME(t *testing.T) {
	n := mailtest.Start(t, mailtest.Bare())
	pebbleLn, directory := listenPebble(t)
	cfgFile := writeTemp(t, "serve.yaml", serveTestConfig)
	cache := filepath.Join(t.TempDir(), "acme")
	reloads := make(chan os.Signal)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	args := []string{"--config", cfgFile, "--acme-email", "postmaster@example.test", "--acme-directory", directory,
		"--acme-cache", cache, "--listen", "127.0.0.1:0"}
	tweak := func(o *ServeOptions) {
		// The test CA's pool verifies pebble's HTTPS server.
		o.CertPool = func(string) (*x509.CertPool, error) { return n.CAPool(), nil }
		o.Reloads = func() (<-chan os.Signal, func()) { return reloads, func() {} }
	}
	addr, logs, done := startServe(t, ctx, tweak, args...)
	p := startPebble(t, n, pebbleLn, addr.(*net.TCPAddr).Port)
	pointNames(n, "autoconfig.example.test", "autodiscover.example.test", "autoconfig.other.test",
		"autodiscover.other.test", "www.example.test", "autoconfig.new.test", "autoconfig.unknown.test")

	ctx2, cancel2 := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel2()
	var first *x509.Certificate
	for _, name := range []string{"autoconfig.example.test", "autodiscover.other.test"} {
		chain, err := acmeHandshake(ctx2, addr.String(), name, p.Roots)
		if err != nil {
			t.Fatalf("TLS to serve as %s: %v\n%s", name, err, logs)
		}
		checkIssued(t, chain, name, p)
		if first == nil {
			first = chain[0]
		}
	}
	// serve answers over the certificate it got.
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: p.Roots, ServerName: "autoconfig.example.test"},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr.String())
		},
	}}
	resp, err := client.Get("https://autoconfig.example.test/mail/config-v1.1.xml?emailaddress=jane@example.test")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<hostname>imap.example.test</hostname>") {
		t.Errorf("autoconfig over the ACME certificate: got %d\n%s", resp.StatusCode, body)
	}
	client.CloseIdleConnections()
	for _, name := range []string{"www.example.test", "autoconfig.unknown.test", "autoconfig.new.test"} {
		if _, err := acmeHandshake(ctx2, addr.String(), name, p.Roots); err == nil {
			t.Errorf("TLS to serve as %s: got a certificate, want none (not a name of a configured domain)", name)
		}
	}

	// Reload with new.test in other.test's place.
	if err := os.WriteFile(cfgFile, []byte(strings.Replace(serveTestConfig, "[other.test]", "[new.test]", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	reloads <- os.Interrupt
	reloads <- os.Interrupt // taken once the first reload is done
	chain, err := acmeHandshake(ctx2, addr.String(), "autoconfig.new.test", p.Roots)
	if err != nil {
		t.Fatalf("TLS to serve as autoconfig.new.test after the reload: %v\n%s", err, logs)
	}
	checkIssued(t, chain, "autoconfig.new.test", p)
	if _, err := acmeHandshake(ctx2, addr.String(), "autodiscover.other.test", p.Roots); err == nil {
		t.Errorf("TLS to serve as autodiscover.other.test after other.test left the configuration: got a certificate, want none")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve returned %v", err)
	}

	// Restarted with the CA gone: the certificate comes from the cache.
	p.Stop()
	ctx3, cancel3 := context.WithCancel(context.Background())
	defer cancel3()
	addr, logs, done = startServe(t, ctx3, tweak, args...)
	chain, err = acmeHandshake(ctx2, addr.String(), "autoconfig.example.test", p.Roots)
	if err != nil {
		t.Fatalf("TLS to the restarted serve as autoconfig.example.test: %v\n%s", err, logs)
	}
	if chain[0].SerialNumber.Cmp(first.SerialNumber) != 0 {
		t.Errorf("certificate after the restart: got serial %x, want the cached one, %x", chain[0].SerialNumber, first.SerialNumber)
	}
	cancel3()
	if err := <-done; err != nil {
		t.Errorf("the restarted serve returned %v", err)
	}
}

// TestServeACMEFlags: ACME is one way to get certificates, not to be
// mixed with the others, and its other flags need --acme-email.
func TestServeACMEFlags(t *testing.T) {
	good := writeTemp(t, "serve.yaml", serveTestConfig)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--acme-email", "a@example.test", "--tls-cert", "c.pem", "--tls-key", "k.pem"}, "--acme-email gets the certificates by itself: leave out --tls-cert and --tls-key"},
		{[]string{"--acme-email", "a@example.test", "--tls-cert", "c.pem"}, "leave out --tls-cert and --tls-key"},
		{[]string{"--acme-email", "a@example.test", "--http"}, "--acme-email serves HTTPS: leave out --http"},
		{[]string{"--acme-cache", t.TempDir(), "--http"}, "--acme-directory and --acme-cache go with --acme-email"},
		{[]string{"--acme-directory", "https://ca.example.test/dir", "--tls-cert", "c.pem", "--tls-key", "k.pem"}, "--acme-directory and --acme-cache go with --acme-email"},
		{nil, "--tls-cert and --tls-key or --acme-email for HTTPS"},
	} {
		code, out, errOut := run(t, append([]string{"serve", "--config", good}, tc.args...)...)
		// The error's one line, then the usage.
		first, _, _ := strings.Cut(errOut, "\n")
		if code != ExitUsage || out != "" || !strings.HasPrefix(first, "mailsetup: ") || !strings.Contains(first, tc.want) {
			t.Errorf("serve %v: got exit %d, first line of stderr %q; want exit %d and a line saying %q", tc.args, code, first, ExitUsage, tc.want)
		}
	}
}

func TestServeACMECacheUnwritable(t *testing.T) {
	// A folder inside a file cannot be made, not even by root.
	file := writeTemp(t, "not-a-folder", "")
	_, err := newACMEManager(acmeConfig{Email: "a@example.test", CacheDir: filepath.Join(file, "acme")}, nil, func() []string { return nil })
	if err == nil || !strings.Contains(err.Error(), "ACME cache folder") {
		t.Fatalf("newACMEManager with a cache folder that cannot be made: got %v, want an error about the ACME cache folder", err)
	}
}
