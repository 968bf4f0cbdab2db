package cmd

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/serve"
)

// serveTestConfig publishes the mail servers mailtest runs for
// example.test, and another domain.
const serveTestConfig = `providers:
  - domains: [example.test]
    display_name: Example Test Mail
    incoming:
      - protocol: imap
        host: imap.example.test
        port: 993
        security: tls
        auth: password-cleartext
    outgoing:
      - host: smtp.example.test
        port: 465
        security: tls
        username: address
  - domains: [other.test]
    incoming: [{protocol: pop3, host: pop.other.test}]
    outgoing: [{host: smtp.other.test, port: 587, security: starttls}]
`

func writeTemp(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestServeRoundTrip: mailsetup discover, through autoconfig and through
// Autodiscover, against serve's handler on the in-process network (test
// CA, HTTPS) finds exactly the configured settings, and checks them live.
func TestServeRoundTrip(t *testing.T) {
	cfg, err := serve.ParseConfig([]byte(serveTestConfig), "serve.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h := serve.New(cfg, serve.Options{}).Handler()
	n := mailtest.Start(t)
	n.AddHost("autodiscover.example.test", mailtest.WebServices...)
	for _, host := range []string{"autoconfig.example.test", "example.test", "autodiscover.example.test"} {
		for _, path := range []string{serve.PathAutoconfig, serve.PathWellKnown, serve.PathAutodiscover} {
			n.HandleHTTP(host, path, mailtest.Route{Scheme: "https", Handler: h})
		}
	}
	want := []account.Server{
		{Protocol: account.IMAP, Host: "imap.example.test", Port: 993, Security: account.TLS, Auth: account.AuthPasswordCleartext, Username: mailtest.DefaultUser},
		{Protocol: account.SMTP, Host: "smtp.example.test", Port: 465, Security: account.TLS, Auth: account.AuthPasswordCleartext, Username: mailtest.DefaultUser},
	}
	for _, source := range []string{"autoconfig", "autodiscover"} {
		code, out, errOut := runNet(t, n, "", "discover", mailtest.DefaultUser, "--ispdb", "off", "--sources", source, "--json")
		if code != ExitOK {
			t.Fatalf("%s: exit %d\n%s\n%s", source, code, out, errOut)
		}
		var res autoconfig.Result
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		if len(res.Candidates) != 1 {
			t.Fatalf("%s: %d candidates\n%s", source, len(res.Candidates), out)
		}
		c := res.Candidates[0]
		if string(c.Account.Provenance.Source) != source || c.Trust != account.Trusted {
			t.Errorf("%s: provenance %+v trust %s", source, c.Account.Provenance, c.Trust)
		}
		for i, got := range []account.Server{c.Account.Incoming, c.Account.Outgoing} {
			if !got.SameEndpoint(want[i]) {
				t.Errorf("%s: server %d %+v, want %+v", source, i, got, want[i])
			}
		}
	}
	var paths []string
	for _, r := range n.HTTPRequests() {
		paths = append(paths, r.Host+r.Path)
	}
	if s := strings.Join(paths, " "); !strings.Contains(s, "autoconfig.example.test/mail/config-v1.1.xml") || !strings.Contains(s, "autodiscover.example.test/autodiscover/autodiscover.xml") {
		t.Errorf("requests %s", s)
	}
}

func TestServeCheck(t *testing.T) {
	good := writeTemp(t, "serve.yaml", serveTestConfig)
	code, out, errOut := run(t, "serve", "--config", good, "--check")
	if code != ExitOK || !strings.Contains(out, "example.test, other.test") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = run(t, "serve", "--config", good, "--check", "--json")
	var res struct {
		Config  string   `json:"config"`
		Domains []string `json:"domains"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitOK || len(res.Domains) != 2 || res.Config != good {
		t.Errorf("--json: exit %d %v %s", code, err, out)
	}
	bad := writeTemp(t, "bad.yaml", strings.Replace(serveTestConfig, "        port: 465\n", "        port: 465\n        colour: blue\n", 1))
	code, out, errOut = run(t, "serve", "--config", bad, "--check")
	if code != ExitUsage || out != "" || !strings.Contains(errOut, bad+`:13: providers[0].outgoing[0]: unknown key "colour"`) {
		t.Errorf("bad config: exit %d\n%s\n%s", code, out, errOut[:min(len(errOut), 300)])
	}
	code, _, errOut = run(t, "serve", "--config", bad, "--check", "--lang", "ro")
	if code != ExitUsage || !strings.Contains(errOut, bad+`:13: providers[0].outgoing[0]: cheie necunoscută "colour"`) {
		t.Errorf("bad config in Romanian: exit %d\n%s", code, errOut[:min(len(errOut), 300)])
	}
	code, _, errOut = run(t, "serve", "--config", filepath.Join(t.TempDir(), "missing.yaml"), "--check")
	if code != ExitError || !strings.Contains(errOut, "missing.yaml") {
		t.Errorf("missing file: exit %d %s", code, errOut)
	}
	for _, args := range [][]string{
		{"serve"},
		{"serve", "--config", good},
		{"serve", "--config", good, "--http", "--tls-cert", "c.pem", "--tls-key", "k.pem"},
		{"serve", "--config", good, "--tls-cert", "c.pem"},
		{"serve", "--config", good, "--http", "--burst", "0"},
		{"serve", "--config", good, "--http", "--sign-cert", "c.pem"},
		{"serve", "--config", good, "--http", "extra"},
	} {
		if code, _, errOut := run(t, args...); code != ExitUsage {
			t.Errorf("%v: exit %d %s", args, code, errOut)
		}
	}
}

// lockedBuffer is a bytes.Buffer safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServe parses args as `mailsetup serve` does, lets tweak change
// the options, and runs the server until the test ends. It returns the
// address it listens on, its log and its result channel.
func startServe(t *testing.T, ctx context.Context, tweak func(*ServeOptions), args ...string) (net.Addr, *lockedBuffer, <-chan error) {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	logs := &lockedBuffer{}
	ios.ErrOut = logs
	var opts *ServeOptions
	c := NewCmdServe(NewFactory(ios), func(o *ServeOptions) error { opts = o; return nil })
	c.SetArgs(args)
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	opts.Catalog = NewFactory(ios).Catalog
	started := make(chan net.Addr, 1)
	opts.Started = func(a net.Addr) { started <- a }
	if tweak != nil {
		tweak(opts)
	}
	done := make(chan error, 1)
	go func() { done <- serveRun(ctx, opts) }()
	select {
	case a := <-started:
		return a, logs, done
	case err := <-done:
		t.Fatalf("serve ended: %v\n%s", err, logs.String())
	}
	return nil, nil, nil
}

// TestServeCommandHTTP: serve --http on 127.0.0.1:0 answers, and stops
// when its context is cancelled (SIGTERM in cmd/mailsetup's main).
func TestServeCommandHTTP(t *testing.T) {
	cfgFile := writeTemp(t, "serve.yaml", serveTestConfig)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, logs, done := startServe(t, ctx, nil, "--config", cfgFile, "--http", "--listen", "127.0.0.1:0")
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr.String())
	}}}
	resp, err := client.Get("http://autoconfig.example.test/mail/config-v1.1.xml?emailaddress=jane@example.test")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<hostname>imap.example.test</hostname>") {
		t.Errorf("%d\n%s", resp.StatusCode, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve returned %v", err)
	}
	if l := logs.String(); !strings.Contains(l, "domain=example.test") || strings.Contains(l, "jane") || !strings.Contains(l, "shutting down") {
		t.Errorf("log:\n%s", l)
	}
	if _, err := net.Dial("tcp", addr.String()); err == nil {
		t.Error("still listening after shutdown")
	}
}

// TestServeCommandTLS: with --tls-cert and --tls-key the server speaks
// TLS 1.2 or newer only, and cuts off a client that sends its headers
// too slowly.
func TestServeCommandTLS(t *testing.T) {
	n := mailtest.Start(t)
	cert, err := n.CA().Issue(mailtest.CertValid, "autoconfig.example.test", "autodiscover.example.test")
	if err != nil {
		t.Fatal(err)
	}
	var certPEM []byte
	for _, der := range cert.Certificate {
		certPEM = append(certPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certFile := writeTemp(t, "cert.pem", string(certPEM))
	keyFile := writeTemp(t, "key.pem", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})))
	cfgFile := writeTemp(t, "serve.yaml", serveTestConfig)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, _, done := startServe(t, ctx, func(o *ServeOptions) { o.Timeouts.ReadHeader = 300 * time.Millisecond },
		"--config", cfgFile, "--tls-cert", certFile, "--tls-key", keyFile, "--listen", "127.0.0.1:0")

	tc := &tls.Config{RootCAs: n.CAPool(), ServerName: "autodiscover.example.test"}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tc, DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr.String())
	}}}
	req := `<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>jane@example.test</EMailAddress></Request></Autodiscover>`
	resp, err := client.Post("https://autodiscover.example.test/autodiscover/autodiscover.xml", "text/xml; charset=utf-8", strings.NewReader(req))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<LoginName>jane@example.test</LoginName>") || resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
		t.Errorf("%d %s", resp.StatusCode, body)
	}

	old := &tls.Config{RootCAs: n.CAPool(), ServerName: "autoconfig.example.test", MaxVersion: tls.VersionTLS11, MinVersion: tls.VersionTLS10}
	if c, err := tls.Dial("tcp", addr.String(), old); err == nil {
		c.Close()
		t.Error("a TLS 1.1 handshake succeeded")
	}

	// A slow client: the TLS handshake, then half a request line, then
	// nothing. The server must close the connection by itself; the
	// deadline below only keeps a broken server from hanging the test.
	conn, err := tls.Dial("tcp", addr.String(), &tls.Config{RootCAs: n.CAPool(), ServerName: "autoconfig.example.test"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHo"); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(bufio.NewReader(conn))
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server kept a slow client's connection open: %v", err)
	}
	if len(rest) > 0 && !strings.HasPrefix(string(rest), "HTTP/1.1 4") {
		t.Errorf("answer to a slow client: %q", rest)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve returned %v", err)
	}
}

// TestServeReload: a reload reads the configuration again; a bad file
// keeps the one in use.
func TestServeReload(t *testing.T) {
	cfgFile := writeTemp(t, "serve.yaml", serveTestConfig)
	reloads := make(chan os.Signal)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, logs, done := startServe(t, ctx, func(o *ServeOptions) {
		o.Reloads = func() (<-chan os.Signal, func()) { return reloads, func() {} }
	}, "--config", cfgFile, "--http", "--listen", "127.0.0.1:0")
	status := func(host string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+addr.String()+"/mail/config-v1.1.xml", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	reload := func() {
		// The loop takes one reload at a time: the second send returns
		// once the first is done.
		reloads <- os.Interrupt
		reloads <- os.Interrupt
	}
	if status("autoconfig.new.test") != 404 {
		t.Fatal("new.test served before the reload")
	}
	os.WriteFile(cfgFile, []byte(strings.Replace(serveTestConfig, "[other.test]", "[new.test]", 1)), 0o600)
	reload()
	if status("autoconfig.new.test") != 200 || status("autoconfig.other.test") != 404 {
		t.Error("the reload did not take the new file")
	}
	os.WriteFile(cfgFile, []byte("providers: [{domains: [x.test]}]\n"), 0o600)
	reload()
	if status("autoconfig.new.test") != 200 || !strings.Contains(logs.String(), "reload failed") {
		t.Errorf("a bad file replaced the configuration in use\n%s", logs.String())
	}
	cancel()
	<-done
}

// TestServeSlowHeaders: a client that sends its headers a byte at a time,
// for ever, is cut off: the header timeout counts from the first byte,
// not from the last.
func TestServeSlowHeaders(t *testing.T) {
	cfgFile := writeTemp(t, "serve.yaml", serveTestConfig)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, _, done := startServe(t, ctx, func(o *ServeOptions) {
		// Only the header timeout can end this connection in time.
		o.Timeouts.ReadHeader, o.Timeouts.Read, o.Timeouts.Idle = 300*time.Millisecond, time.Hour, time.Hour
	}, "--config", cfgFile, "--http", "--listen", "127.0.0.1:0")
	conn, err := net.Dial("tcp", addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The deadline only keeps a broken server from hanging the test.
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	closed := make(chan error, 1)
	go func() {
		_, err := io.ReadAll(conn)
		closed <- err
	}()
	io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: autoconfig.example.test\r\nX-Slow: ")
	tick := time.NewTicker(20 * time.Millisecond) // pacing, not a measurement
	defer tick.Stop()
	for {
		select {
		case err := <-closed:
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("the server kept the connection of a client dribbling its headers")
			}
			cancel()
			<-done
			return
		case <-tick.C:
			conn.Write([]byte("a"))
		}
	}
}

// TestServeStartErrors: the start-up errors' exit codes.
func TestServeStartErrors(t *testing.T) {
	cfgFile := writeTemp(t, "serve.yaml", serveTestConfig)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	code, _, errOut := run(t, "serve", "--config", cfgFile, "--http", "--listen", busy.Addr().String())
	if code != ExitServer || !strings.Contains(errOut, "cannot listen on "+busy.Addr().String()) {
		t.Errorf("address in use: exit %d %s", code, errOut)
	}
	notPEM := writeTemp(t, "cert.pem", "not a certificate")
	code, _, errOut = run(t, "serve", "--config", cfgFile, "--tls-cert", notPEM, "--tls-key", notPEM, "--listen", "127.0.0.1:0")
	if code != ExitError || !strings.Contains(errOut, "cannot load the TLS certificate") {
		t.Errorf("bad certificate: exit %d %s", code, errOut)
	}
	code, _, errOut = run(t, "serve", "--config", cfgFile, "--http", "--listen", "127.0.0.1:0", "--sign-cert", notPEM, "--sign-key", notPEM)
	if code != ExitError || errOut == "" {
		t.Errorf("bad signing certificate: exit %d %s", code, errOut)
	}
}
