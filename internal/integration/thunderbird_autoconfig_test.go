//go:build unix

package integration

import (
	"context"
	"encoding/base64"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
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
// words (nsMsgSocketType, nsMsgAuthMethod numbers), or error.
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
    AccountConfig.replaceVariables(config, "Jane Doe", email, "");
    return {
      source: config.subSource, id: config.id, domains: config.domains,
      incoming: [config.incoming, ...config.incomingAlternatives].map(server),
      outgoing: [config.outgoing, ...config.outgoingAlternatives].map(server),
    };
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
}

type tbLookupServer struct {
	Type       string `json:"type"`
	Hostname   string `json:"hostname"`
	Port       int    `json:"port"`
	SocketType int    `json:"socketType"`
	Auth       int    `json:"auth"`
	Username   string `json:"username"`
}

// tbWantServer is s as Thunderbird's lookup must give it for addr.
func tbWantServer(t *testing.T, s account.Server, addr account.Address) tbLookupServer {
	t.Helper()
	s.Host = account.Expand(s.Host, addr, "")
	s.Username = account.Expand(s.Username, addr, "")
	return tbLookupServer{
		Type: s.Protocol.String(), Hostname: s.Host, Port: s.Port,
		SocketType: int(tbWantSocketType(t, s.Security)), Auth: int(tbWantAuthMethod(t, s.Auth)),
		Username: s.Username,
	}
}

// runTBLookup starts Thunderbird with its connections to
// autoconfig.<domain>:443 taken to target (an "ip:port" serving HTTPS
// with a certificate of ca), runs its ISP lookup for addr and returns what
// it found and the connections it asked the proxy for.
func runTBLookup(t *testing.T, ca *mailtest.CA, target string, addr account.Address) (tbLookup, []string) {
	t.Helper()
	bin := requireThunderbird(t)
	host := "autoconfig." + addr.Domain()
	proxy := startTBProxy(t, func(h string) (string, bool) { return target, h == host })
	profile := newTBProfile(t, nil)
	ctx, cancel := context.WithTimeout(t.Context(), tbRunTimeout)
	defer cancel()
	tb := startThunderbird(t, bin, profile, tbOptions{proxy: proxy})
	var got tbLookup
	err := tb.eval(ctx, tbLookupJS, &got, base64.StdEncoding.EncodeToString(ca.Certificate().Raw), addr.Domain(), addr.String())
	if err != nil {
		t.Fatalf("Thunderbird's account lookup: %v%s", err, tb.logTail())
	}
	tb.quit(ctx)
	return got, proxy.requests()
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
			want = append(want, tbWantServer(t, s, addr))
		}
		if !slices.Equal(got, want) {
			t.Errorf("Thunderbird's %s servers for %s:\n got %+v\nwant %+v", what, addr, got, want)
		}
	}
	check("incoming", got.Incoming, in)
	check("outgoing", got.Outgoing, out)
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
	got, conns := runTBLookup(t, ca, srv.Listener.Addr().(*net.TCPAddr).String(), addr)
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
