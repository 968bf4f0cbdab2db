//go:build unix

package integration

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/cmd"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/serve"
)

// Thunderbird's own account lookup (no rig needed): a headless Thunderbird
// runs the lookup its account hub runs for an address, FetchConfig.fromISP
// from its accountcreation modules (modules/accountcreation in omni.ja),
// which fetches https://autoconfig.<domain>/mail/config-v1.1.xml with the
// address in the query, parses the answer with its own readFromXML and
// fills in the address with AccountConfig.replaceVariables, as the hub
// does before it shows the settings. The test's SOCKS proxy takes
// autoconfig.<domain> to the server under test on loopback, whose
// certificate comes from a test CA that Thunderbird is told to trust
// first, as in the certificate manager.

// tbLookupJS trusts the test CA (arguments[0], DER in base64) and runs
// Thunderbird's ISP lookup for the address arguments[2] at the domain
// arguments[1]. It returns the servers Thunderbird found, in its own
// words (nsMsgSocketType, nsMsgAuthMethod numbers) and in the order of
// its preference (incoming, outgoing: the first and its alternatives)
// with the usernames as the file gives them, and the first incoming and
// outgoing server once it has filled in the address (filledIncoming,
// filledOutgoing: replaceVariables fills in those and the incoming
// alternatives, not the outgoing ones); or error.
const tbLookupJS = `
const [caBase64, domain, email] = arguments;
const certdb = Cc["@mozilla.org/security/x509certdb;1"].getService(Ci.nsIX509CertDB);
certdb.addCertFromBase64(caBase64, "C,,");
const { FetchConfig } = ChromeUtils.importESModule("resource:///modules/accountcreation/FetchConfig.sys.mjs");
const { AccountConfig } = ChromeUtils.importESModule("resource:///modules/accountcreation/AccountConfig.sys.mjs");
const server = s => ({
  type: s.type, hostname: s.hostname, port: s.port, socketType: s.socketType,
  auth: s.auth, username: s.username,
});
return (async () => {
  try {
    const config = await FetchConfig.fromISP(domain, email, AbortSignal.timeout(60000));
    const r = {
      source: config.subSource, id: config.id, domains: config.domains,
      incoming: [config.incoming, ...config.incomingAlternatives].map(server),
      outgoing: [config.outgoing, ...config.outgoingAlternatives].map(server),
    };
    AccountConfig.replaceVariables(config, "Jane Doe", email, "");
    r.filledIncoming = server(config.incoming);
    r.filledOutgoing = server(config.outgoing);
    return r;
  } catch (e) {
    return { error: String(e) + (e.cause ? " (" + String(e.cause) + ")" : "") };
  }
})();
`

// tbLookup is what tbLookupJS returns.
type tbLookup struct {
	Error    string           `json:"error"`
	Source   string           `json:"source"`
	ID       string           `json:"id"`
	Domains  []string         `json:"domains"`
	Incoming []tbLookupServer `json:"incoming"`
	Outgoing []tbLookupServer `json:"outgoing"`

	FilledIncoming tbLookupServer `json:"filledIncoming"`
	FilledOutgoing tbLookupServer `json:"filledOutgoing"`
}

type tbLookupServer struct {
	Type       string `json:"type"`
	Hostname   string `json:"hostname"`
	Port       int    `json:"port"`
	SocketType int    `json:"socketType"`
	Auth       int    `json:"auth"`
	Username   string `json:"username"`
}

// tbWantServer is s as Thunderbird's lookup must give it, in its own
// numbers; with addr, with the address filled in.
func tbWantServer(t *testing.T, s account.Server, addr *account.Address) tbLookupServer {
	t.Helper()
	if addr != nil {
		s.Host = account.Expand(s.Host, *addr, "")
		s.Username = account.Expand(s.Username, *addr, "")
	}
	return tbLookupServer{
		Type: s.Protocol.String(), Hostname: s.Host, Port: s.Port,
		SocketType: int(tbWantSocketType(t, s.Security)), Auth: int(tbWantAuthMethod(t, s.Auth)),
		Username: s.Username,
	}
}

// runTBLookup starts Thunderbird with its connections to
// autoconfig.<domain>:443 of every address's domain taken to target (an
// "ip:port" serving HTTPS with a certificate of ca), runs its ISP lookup
// for each address in turn and returns what it found for each and the
// connections it asked the proxy for.
func runTBLookup(t *testing.T, ca *mailtest.CA, target string, addrs ...account.Address) ([]tbLookup, []string) {
	t.Helper()
	bin := requireThunderbird(t)
	hosts := map[string]bool{}
	for _, a := range addrs {
		hosts["autoconfig."+a.Domain()] = true
	}
	proxy := startTBProxy(t, func(h string) (string, bool) { return target, hosts[h] })
	profile := newTBProfile(t, nil)
	ctx, cancel := context.WithTimeout(t.Context(), tbRunTimeout)
	defer cancel()
	tb := startThunderbird(t, bin, profile, tbOptions{proxy: proxy})
	var found []tbLookup
	for _, a := range addrs {
		var got tbLookup
		err := tb.eval(ctx, tbLookupJS, &got, base64.StdEncoding.EncodeToString(ca.Certificate().Raw), a.Domain(), a.String())
		if err != nil {
			t.Fatalf("Thunderbird's account lookup for %s: %v%s", a, err, tb.logTail())
		}
		found = append(found, got)
	}
	tb.quit(ctx)
	return found, proxy.requests()
}

// checkTBLookup compares what Thunderbird's lookup found for addr with
// the servers configured, in order.
func checkTBLookup(t *testing.T, got tbLookup, addr account.Address, in, out []account.Server) {
	t.Helper()
	if got.Error != "" {
		t.Fatalf("Thunderbird's account lookup for %s: got error %q, want the configured settings", addr, got.Error)
	}
	if got.Source != "xml-from-isp-https" {
		t.Errorf("Thunderbird's lookup source: got %q, want xml-from-isp-https (the provider's autoconfig over HTTPS)", got.Source)
	}
	if !slices.Contains(got.Domains, addr.Domain()) {
		t.Errorf("Thunderbird's lookup domains: got %q, want %q among them", got.Domains, addr.Domain())
	}
	check := func(what string, got []tbLookupServer, servers []account.Server) {
		t.Helper()
		var want []tbLookupServer
		for _, s := range servers {
			want = append(want, tbWantServer(t, s, nil))
		}
		if !slices.Equal(got, want) {
			t.Errorf("Thunderbird's %s servers for %s:\n got %+v\nwant %+v", what, addr, got, want)
		}
	}
	check("incoming", got.Incoming, in)
	check("outgoing", got.Outgoing, out)
	if want := tbWantServer(t, in[0], &addr); got.FilledIncoming != want {
		t.Errorf("Thunderbird's incoming server for %s, address filled in:\n got %+v\nwant %+v", addr, got.FilledIncoming, want)
	}
	if want := tbWantServer(t, out[0], &addr); got.FilledOutgoing != want {
		t.Errorf("Thunderbird's outgoing server for %s, address filled in:\n got %+v\nwant %+v", addr, got.FilledOutgoing, want)
	}
}

// TestThunderbirdLookupStaticAutoconfig checks the lookup harness itself
// against a plain HTTPS server that serves a fixed config-v1.1.xml for
// autoconfig.example.test, written by hand as a provider would.
func TestThunderbirdLookupStaticAutoconfig(t *testing.T) {
	ca, err := mailtest.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	const xml = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.test">
    <domain>example.test</domain>
    <displayName>Example</displayName>
    <incomingServer type="imap">
      <hostname>imap.example.test</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>pop.example.test</hostname>
      <port>110</port>
      <socketType>STARTTLS</socketType>
      <authentication>password-encrypted</authentication>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.test</hostname>
      <port>587</port>
      <socketType>STARTTLS</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
`
	var mu sync.Mutex
	var queries []string
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.Host+" "+r.URL.Path+" "+r.URL.Query().Get("emailaddress"))
		mu.Unlock()
		if r.Host != "autoconfig.example.test" || r.URL.Path != "/mail/config-v1.1.xml" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, xml)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // Thunderbird tries http:// on port 80 too, which the proxy sends here
	if srv.TLS, err = ca.ServerTLSConfig(mailtest.CertValid, "autoconfig.example.test"); err != nil {
		t.Fatal(err)
	}
	srv.StartTLS()
	defer srv.Close()

	addr := account.MustParseAddress("jane@example.test")
	found, conns := runTBLookup(t, ca, srv.Listener.Addr().(*net.TCPAddr).String(), addr)
	got := found[0]
	srv.CloseClientConnections()
	mu.Lock()
	defer mu.Unlock()
	if !slices.Contains(queries, "autoconfig.example.test /mail/config-v1.1.xml jane@example.test") {
		t.Errorf("requests the server got: %q, want Thunderbird's for /mail/config-v1.1.xml?emailaddress=jane@example.test", queries)
	}
	t.Logf("Thunderbird's connections: %q", conns)
	server := func(p account.Protocol, host string, port int, s account.Security, auth account.AuthMethod, user string) account.Server {
		return account.Server{Protocol: p, Host: host, Port: port, Security: s, Auth: auth, Username: user}
	}
	checkTBLookup(t, got, addr,
		[]account.Server{
			server(account.IMAP, "imap.example.test", 993, account.TLS, account.AuthPasswordCleartext, "%EMAILADDRESS%"),
			server(account.POP3, "pop.example.test", 110, account.STARTTLS, account.AuthPasswordEncrypted, "%EMAILLOCALPART%"),
		},
		[]account.Server{server(account.SMTP, "smtp.example.test", 587, account.STARTTLS, account.AuthPasswordCleartext, "%EMAILADDRESS%")})
}

// serveYAML is the configuration TestThunderbirdLooksUpServe serves: two
// providers, one with two incoming and two outgoing servers and usernames
// in two forms.
const serveYAML = `providers:
  - domains: [example.test, example.org]
    display_name: Example Mail
    username: address
    incoming:
      - {protocol: imap, host: imap.example.test, port: 993, security: tls, auth: [password-cleartext, password-encrypted]}
      - {protocol: pop3, host: pop.example.test, port: 110, security: starttls, auth: password-encrypted}
    outgoing:
      - {host: smtp.example.test, port: 465, security: tls}
      - {host: smtp.example.test, port: 587, security: starttls, username: localpart}
  - domains: [shop.test]
    username: localpart
    incoming:
      - {protocol: imap, host: mail.shop.test, port: 143, security: starttls}
    outgoing:
      - {host: mail.shop.test, port: 587, security: starttls, auth: password-encrypted}
`

// TestThunderbirdLooksUpServe: a real Thunderbird runs its own account
// lookup against `mailsetup serve` (the real command, HTTPS with
// --tls-cert and --tls-key) for addresses of configured domains and gets
// the configured servers, in order, with the usernames it fills in; for a
// domain that is not configured, serve answers (the proxy takes that
// name to serve too) and Thunderbird finds nothing.
func TestThunderbirdLooksUpServe(t *testing.T) {
	cfgFile := filepath.Join(t.TempDir(), "serve.yaml")
	if err := os.WriteFile(cfgFile, []byte(serveYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := serve.LoadConfig(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := mailtest.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := writeCertFiles(t, ca, "autoconfig.example.test", "autoconfig.example.org", "autoconfig.shop.test", "autoconfig.unknown.test")
	addr, logs, stop := startServeCommand(t, "--config", cfgFile, "--tls-cert", certFile, "--tls-key", keyFile, "--listen", "127.0.0.1:0")

	addrs := []account.Address{
		account.MustParseAddress("jane@example.test"),
		account.MustParseAddress("o.brien@example.org"),
		account.MustParseAddress("bob@shop.test"),
		account.MustParseAddress("nobody@unknown.test"),
	}
	found, conns := runTBLookup(t, ca, addr, addrs...)
	stop()
	t.Logf("Thunderbird's connections: %q", conns)
	for i, a := range addrs[:3] {
		pub, ok := cfg.Published(a.Domain())
		if !ok {
			t.Fatalf("the configuration has no %s", a.Domain())
		}
		checkTBLookup(t, found[i], a, pub.Incoming, pub.Outgoing)
	}
	// The same, in Thunderbird's numbers written out from serveYAML.
	wantIn := tbLookupServer{Type: "imap", Hostname: "imap.example.test", Port: 993, SocketType: 3, Auth: 3, Username: "jane@example.test"}
	wantOut := tbLookupServer{Type: "smtp", Hostname: "smtp.example.test", Port: 465, SocketType: 3, Auth: 3, Username: "jane@example.test"}
	if got := found[0]; got.FilledIncoming != wantIn || got.FilledOutgoing != wantOut {
		t.Errorf("Thunderbird's servers for jane@example.test: got %+v and %+v, want %+v and %+v", got.FilledIncoming, got.FilledOutgoing, wantIn, wantOut)
	}
	wantIn = tbLookupServer{Type: "imap", Hostname: "mail.shop.test", Port: 143, SocketType: 2, Auth: 3, Username: "bob"}
	if got := found[2]; got.FilledIncoming != wantIn {
		t.Errorf("Thunderbird's incoming server for bob@shop.test: got %+v, want %+v", got.FilledIncoming, wantIn)
	}
	if got := found[3]; got.Error == "" {
		t.Errorf("Thunderbird's lookup for nobody@unknown.test (not configured): got %+v, want nothing found", got)
	}

	// serve's log (JSON lines with --json): Thunderbird's requests, by
	// domain.
	type record struct {
		Msg    string `json:"msg"`
		Path   string `json:"path"`
		Status int    `json:"status"`
		Domain string `json:"domain"`
	}
	var records []record
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var r record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("serve's log line %q: %v", line, err)
		}
		if r.Msg == "request" && r.Path == serve.PathAutoconfig {
			records = append(records, r)
		}
	}
	for _, want := range []record{
		{"request", serve.PathAutoconfig, 200, "example.test"},
		{"request", serve.PathAutoconfig, 200, "example.org"},
		{"request", serve.PathAutoconfig, 200, "shop.test"},
	} {
		if !slices.Contains(records, want) {
			t.Errorf("serve's log: got %+v, want %+v among its requests", records, want)
		}
	}
	if !slices.ContainsFunc(records, func(r record) bool { return r.Status == 404 }) {
		t.Errorf("serve's log: got %+v, want a 404 for unknown.test's lookup", records)
	}
}

// writeCertFiles writes a certificate of ca for names and its key to PEM
// files, as --tls-cert and --tls-key read them.
func writeCertFiles(t *testing.T, ca *mailtest.CA, names ...string) (certFile, keyFile string) {
	t.Helper()
	cert, err := ca.Issue(mailtest.CertValid, names...)
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
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// startServeCommand runs `mailsetup --json serve args...` and returns the
// address it listens on (from its start-up line on stdout), its log and
// a function that stops it (as SIGTERM does: its context ends) and checks
// that it exited cleanly. It is stopped when the test ends too.
func startServeCommand(t *testing.T, args ...string) (string, *syncLines, func()) {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	pr, pw := io.Pipe()
	logs := &syncLines{}
	ios.Out, ios.ErrOut = pw, logs
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- cmd.Execute(ctx, cmd.NewFactory(ios), append([]string{"--json", "serve"}, args...))
		pw.Close()
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if code := <-done; code != cmd.ExitOK {
				t.Errorf("mailsetup serve exited with %d\n%s", code, logs.String())
			}
		})
	}
	t.Cleanup(stop)
	var started struct {
		Listen string `json:"listen"`
		Scheme string `json:"scheme"`
	}
	if err := json.NewDecoder(pr).Decode(&started); err != nil || started.Listen == "" || started.Scheme != "https" {
		cancel()
		t.Fatalf("mailsetup serve's start-up line: got %+v (%v), want where it listens for https\n%s", started, err, logs.String())
	}
	go io.Copy(io.Discard, pr) // nothing more is expected; never block serve
	return started.Listen, logs, stop
}

// syncLines is an io.Writer safe for serve's goroutines.
type syncLines struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncLines) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncLines) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
