//go:build unix

package integration

import (
	"context"
	"encoding/base64"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/audit"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// Thunderbird's own lookup order, as far as it runs here. Thunderbird 153
// looks an address up in FindConfig.parallelAutoDiscovery
// (modules/accountcreation/FindConfig.sys.mjs in omni.ja): the lookups
// ["fromDisk", "fromISP", "fromDB", "forMX"] all start at once and
// AccountCreationUtils.promiseFirstSuccessful takes the first of them, in
// that order, that succeeds:
//
//   - fromDisk: a file in Thunderbird's own isp folder;
//   - fromISP: https://autoconfig.<domain>/mail/config-v1.1.xml, then
//     https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml, then
//     the same over http (mailnews.auto_config.fetchFromISP.sslOnly is
//     false by default);
//   - fromDB: its ISPDB, at the URL of the pref mailnews.auto_config_url
//     (https://live.thunderbird.net/autoconfig/v1.1/ by default) plus the
//     domain, which these tests point at an ISPDB on the test network;
//   - forMX: the domain's MX host's base domain looked up in the same two
//     places. It asks the system's DNS (DNS.mx through libresolv, not
//     through the proxy), which cannot be pointed at the test network's
//     DNS server, so it is left out here: the test domains' MX lookups
//     would leave the machine.
//
// Thunderbird has no SRV lookup (RFC 6186) anywhere in that code: SRV
// records alone give it nothing. Microsoft Autodiscover
// (fetchConfigFromExchange) runs beside the ordered lookups and counts
// only when they all fail; it is not run here either, and the hub's
// guessing (GuessConfig) comes after a failed lookup, outside it.
//
// tbFullLookupJS checks that Thunderbird's FindConfig still holds that
// lookup list (so a Thunderbird that changes its order fails the test
// instead of being described wrongly), trusts the test CA, points the
// ISPDB pref at arguments[1], and runs fromDisk, fromISP and fromDB in
// Thunderbird's order through its own promiseFirstSuccessful.
const tbFullLookupJS = `
const [caBase64, ispdbURL, domain, email] = arguments;
return (async () => {
  try {
    const src = await new Promise((resolve, reject) => {
      const req = new XMLHttpRequest();
      req.open("GET", "resource:///modules/accountcreation/FindConfig.sys.mjs");
      req.onload = () => resolve(req.responseText);
      req.onerror = () => reject(new Error("cannot read FindConfig.sys.mjs"));
      req.send();
    });
    const order = /const lookups = (\[[^\]]*\]);/.exec(src);
    const certdb = Cc["@mozilla.org/security/x509certdb;1"].getService(Ci.nsIX509CertDB);
    certdb.addCertFromBase64(caBase64, "C,,");
    Services.prefs.setCharPref("mailnews.auto_config_url", ispdbURL);
    const { FetchConfig } = ChromeUtils.importESModule("resource:///modules/accountcreation/FetchConfig.sys.mjs");
    const { AccountCreationUtils } = ChromeUtils.importESModule("resource:///modules/accountcreation/AccountCreationUtils.sys.mjs");
    const server = s => ({
      type: s.type, hostname: s.hostname, port: s.port, socketType: s.socketType,
      auth: s.auth, username: s.username,
    });
    const abortController = new AbortController();
    const signal = AbortSignal.any([AbortSignal.timeout(60000), abortController.signal]);
    const lookups = [
      FetchConfig.fromDisk(domain, signal),
      FetchConfig.fromISP(domain, email, signal),
      FetchConfig.fromDB(domain, signal),
    ];
    let r = { order: order ? order[1] : "" };
    try {
      const { value: config } = await AccountCreationUtils.promiseFirstSuccessful(lookups, abortController);
      r.found = true;
      r.source = config.subSource;
      r.incoming = [config.incoming, ...config.incomingAlternatives].map(server);
      r.outgoing = [config.outgoing, ...config.outgoingAlternatives].map(server);
    } catch (e) {
      r.found = false;
      r.error = String(e) + (e.cause ? " (" + String(e.cause) + ")" : "");
    }
    return r;
  } catch (e) {
    return { order: "", error: "harness: " + String(e) };
  }
})();
`

// tbFindConfigOrder is FindConfig's lookup list in Thunderbird 153, as
// its source writes it.
const tbFindConfigOrder = `["fromDisk", "fromISP", "fromDB", "forMX"]`

// tbFound is what Thunderbird's lookup found for one address: whether it
// found settings, from where (its subSource: "xml-from-isp-https",
// "xml-from-db", ...), the servers in its order of preference with the
// usernames as published, or the error.
type tbFound struct {
	Order    string           `json:"order"`
	Found    bool             `json:"found"`
	Source   string           `json:"source"`
	Incoming []tbLookupServer `json:"incoming"`
	Outgoing []tbLookupServer `json:"outgoing"`
	Error    string           `json:"error"`
}

// tbISPDBHost is the test network's ISPDB host; the ISPDB is served at
// https://tbISPDBHost/v1.1/<domain>, as Thunderbird's is.
const tbISPDBHost = "ispdb.tbtest.test"

// tbLookupSession is one headless Thunderbird whose connections all go
// to a mailtest network, and that network's ISPDB.
type tbLookupSession struct {
	n     *mailtest.Network
	tb    *tbInstance
	proxy *tbProxy
	mu    sync.Mutex
	ispdb map[string]string // domain -> config-v1.1.xml
}

// startTBLookupSession starts Thunderbird with every connection taken to
// n (names resolved in n's zone, at the port Thunderbird asked for;
// names n does not know are refused at once), and an ISPDB on n at
// tbISPDBHost that answers for the domains setISPDB lists. It skips the
// test when thunderbird is missing (unless MAILSETUP_REQUIRE_TOOLS).
func startTBLookupSession(t *testing.T, n *mailtest.Network) *tbLookupSession {
	t.Helper()
	bin := requireThunderbird(t)
	s := &tbLookupSession{n: n, ispdb: map[string]string{}}
	n.AddHost(tbISPDBHost, mailtest.HTTPS)
	n.HandleHTTPFunc(tbISPDBHost, "/v1.1/", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		xml, ok := s.ispdb[strings.TrimPrefix(r.URL.Path, "/v1.1/")]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(xml))
	})
	s.proxy = startTBProxy(t, func(host string) (string, bool) { return host, true })
	s.proxy.dial = n.DialContext
	s.tb = startThunderbird(t, bin, newTBProfile(t, nil), tbOptions{proxy: s.proxy})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), tbQuitTimeout)
		defer cancel()
		s.tb.quit(ctx)
	})
	return s
}

// setISPDB makes the test ISPDB answer for domain with xml.
func (s *tbLookupSession) setISPDB(domain, xml string) {
	s.mu.Lock()
	s.ispdb[domain] = xml
	s.mu.Unlock()
}

// lookup runs Thunderbird's lookup for addr (see tbFullLookupJS).
func (s *tbLookupSession) lookup(t *testing.T, addr account.Address) tbFound {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), tbRunTimeout)
	defer cancel()
	var got tbFound
	err := s.tb.eval(ctx, tbFullLookupJS, &got, base64.StdEncoding.EncodeToString(s.n.CA().Certificate().Raw),
		"https://"+tbISPDBHost+"/v1.1/", addr.Domain(), addr.String())
	if err != nil {
		t.Fatalf("Thunderbird's lookup for %s: %v%s", addr, err, s.tb.logTail())
	}
	if strings.HasPrefix(got.Error, "harness: ") {
		t.Fatalf("Thunderbird's lookup for %s: %s", addr, got.Error)
	}
	if got.Order != tbFindConfigOrder {
		t.Fatalf("Thunderbird's FindConfig lookup order is %s, the harness runs %s: update tbFullLookupJS and the audit's Thunderbird rules", got.Order, tbFindConfigOrder)
	}
	return got
}

// thunderbirdLookup is what real Thunderbird finds for addr on s's
// network: whether it found settings, and the incoming and outgoing
// servers in its order of preference, as account servers would be
// written in Thunderbird's numbers (tbWantServer). Audit tests compare
// their Thunderbird prediction with it.
func (s *tbLookupSession) thunderbirdLookup(t *testing.T, addr account.Address) (found bool, incoming, outgoing []tbLookupServer) {
	t.Helper()
	got := s.lookup(t, addr)
	return got.Found, got.Incoming, got.Outgoing
}

// tbPrediction is what Thunderbird is expected to find for a domain: the
// audit package's Thunderbird prediction for the domain must equal it.
type tbPrediction struct {
	Found    bool
	Source   string // Thunderbird's subSource, when found
	Incoming []account.Server
	Outgoing []account.Server
}

// checkTBPrediction compares Thunderbird's answer with want.
func checkTBPrediction(t *testing.T, addr account.Address, got tbFound, want tbPrediction) {
	t.Helper()
	if got.Found != want.Found {
		t.Fatalf("Thunderbird for %s: found %v (source %q, error %q), predicted found %v", addr, got.Found, got.Source, got.Error, want.Found)
	}
	if !want.Found {
		return
	}
	if got.Source != want.Source {
		t.Errorf("Thunderbird for %s: source %q, predicted %q", addr, got.Source, want.Source)
	}
	conv := func(list []account.Server) []tbLookupServer {
		var out []tbLookupServer
		for _, s := range list {
			out = append(out, tbWantServer(t, s, nil))
		}
		return out
	}
	if w := conv(want.Incoming); !slices.Equal(got.Incoming, w) {
		t.Errorf("Thunderbird's incoming servers for %s:\n got %+v\nwant %+v", addr, got.Incoming, w)
	}
	if w := conv(want.Outgoing); !slices.Equal(got.Outgoing, w) {
		t.Errorf("Thunderbird's outgoing servers for %s:\n got %+v\nwant %+v", addr, got.Outgoing, w)
	}
}

// tbAuditServers are a domain's settings in the audit cases' shape:
// IMAP on imap.<host> and submission on smtp.<host>, usernames the
// address.
func tbAuditServers(host string, imapPort, smtpPort int, imapSec, smtpSec account.Security) account.Account {
	return account.Account{
		Incoming: account.Server{Protocol: account.IMAP, Host: "imap." + host, Port: imapPort, Security: imapSec,
			Auth: account.AuthPasswordCleartext, Username: account.PlaceholderAddress},
		Outgoing: account.Server{Protocol: account.SMTP, Host: "smtp." + host, Port: smtpPort, Security: smtpSec,
			Auth: account.AuthPasswordCleartext, Username: account.PlaceholderAddress},
	}
}

// publishOn publishes a's records for domain (audit.Publish, the files
// `mailsetup audit -o` writes) on n: the config-v1.1.xml at
// autoconfig.<domain> when autoconfig, at <domain>'s .well-known path
// when wellKnown, and the SRV records in n's zone when srv.
func publishOn(t *testing.T, n *mailtest.Network, domain string, a account.Account, autoconfig, wellKnown, srv bool) {
	t.Helper()
	r, err := audit.Publish(domain, a)
	if err != nil {
		t.Fatal(err)
	}
	n.AddHost(a.Incoming.Host, mailtest.IMAPS, mailtest.IMAP)
	n.AddHost(a.Outgoing.Host, mailtest.Submissions, mailtest.Submission)
	route := mailtest.Route{ContentType: "text/xml", Body: string(r.Autoconfig)}
	if autoconfig {
		n.AddHost("autoconfig."+domain, mailtest.HTTPS)
		n.HandleHTTP("autoconfig."+domain, "/mail/config-v1.1.xml", route)
	}
	if wellKnown {
		n.AddHost(domain, mailtest.HTTPS)
		n.HandleHTTP(domain, "/.well-known/autoconfig/mail/config-v1.1.xml", route)
	}
	if srv {
		for _, rr := range r.SRV {
			n.DNS().AddSRV(strings.TrimSuffix(rr.Name, "."), rr.Priority, rr.Weight, rr.Port, rr.Target)
		}
	}
}

// TestThunderbirdLookupOrder runs real Thunderbird's lookup for test
// domains built like the audit's cases and compares what it finds with
// the prediction written for each. The audit package's Thunderbird
// prediction for each of these domains must equal the case's want.
func TestThunderbirdLookupOrder(t *testing.T) {
	requireThunderbird(t)
	n := mailtest.Start(t, mailtest.Bare())

	current := tbAuditServers("mail-new.tbtest.test", 993, 465, account.TLS, account.TLS)
	stale := tbAuditServers("mail-old.tbtest.test", 143, 587, account.STARTTLS, account.STARTTLS)
	ispdbServers := tbAuditServers("hoster.tbtest.test", 993, 465, account.TLS, account.TLS)

	// autoconfig only: the provider's autoconfig host.
	publishOn(t, n, "ac-only.tbtest.test", current, true, false, false)
	// .well-known only: no autoconfig host, the file on the domain's own
	// web server.
	publishOn(t, n, "wk-only.tbtest.test", current, false, true, false)
	// SRV only: RFC 6186/8314 records and live servers, no autoconfig.
	publishOn(t, n, "srv-only.tbtest.test", current, false, false, true)
	// A stale autoconfig that disagrees with SRV: the SRV records name the
	// current servers, autoconfig the old ones.
	publishOn(t, n, "stale.tbtest.test", current, false, false, true)
	publishOn(t, n, "stale.tbtest.test", stale, true, false, false)
	// Nothing published at all.
	n.AddHost("nothing.tbtest.test", mailtest.HTTPS)
	// The domains' own names resolve too, as a real domain's do:
	// mailsetup's dial guard lets discovery reach the test network's
	// loopback addresses only for a domain that itself resolves there.
	for _, d := range []string{"ac-only.tbtest.test", "srv-only.tbtest.test", "stale.tbtest.test", "both.tbtest.test", "hosted.tbtest.test"} {
		n.AddHost(d, mailtest.HTTPS)
	}

	s := startTBLookupSession(t, n)
	// ISPDB only, and an ISPDB entry that disagrees with the provider's
	// own autoconfig (which comes first).
	dbRecords, err := audit.Publish("hosted.tbtest.test", ispdbServers)
	if err != nil {
		t.Fatal(err)
	}
	s.setISPDB("hosted.tbtest.test", string(dbRecords.Autoconfig))
	publishOn(t, n, "both.tbtest.test", current, true, false, false)
	bothDB, err := audit.Publish("both.tbtest.test", ispdbServers)
	if err != nil {
		t.Fatal(err)
	}
	s.setISPDB("both.tbtest.test", string(bothDB.Autoconfig))

	from := func(src string, a account.Account) tbPrediction {
		return tbPrediction{Found: true, Source: src, Incoming: []account.Server{a.Incoming}, Outgoing: []account.Server{a.Outgoing}}
	}
	const (
		acURL    = "https://autoconfig.DOMAIN/mail/config-v1.1.xml"
		wkURL    = "https://DOMAIN/.well-known/autoconfig/mail/config-v1.1.xml"
		ispdbURL = "https://" + tbISPDBHost + "/v1.1/DOMAIN"
	)
	cases := []struct {
		domain string
		want   tbPrediction
		asked  []string // HTTP requests Thunderbird must have made (DOMAIN: the case's)
	}{
		{"ac-only.tbtest.test", from("xml-from-isp-https", current), []string{acURL}},
		{"wk-only.tbtest.test", from("xml-from-isp-https", current), []string{wkURL}},
		{"srv-only.tbtest.test", tbPrediction{Found: false}, []string{ispdbURL}},
		{"stale.tbtest.test", from("xml-from-isp-https", stale), []string{acURL}},
		{"hosted.tbtest.test", from("xml-from-db", ispdbServers), []string{ispdbURL}},
		{"both.tbtest.test", from("xml-from-isp-https", current), []string{acURL}},
		{"nothing.tbtest.test", tbPrediction{Found: false}, []string{wkURL, ispdbURL}},
	}
	for _, c := range cases {
		t.Run(c.domain, func(t *testing.T) {
			addr := account.MustParseAddress("jane@" + c.domain)
			n.ResetHTTPRequests()
			got := s.lookup(t, addr)
			t.Logf("Thunderbird for %s: found %v from %q %s", addr, got.Found, got.Source, got.Error)
			checkTBPrediction(t, addr, got, c.want)
			checkAuditPrediction(t, n, addr, got)
			found, in, out := s.thunderbirdLookup(t, addr)
			if found != got.Found || !slices.Equal(in, got.Incoming) || !slices.Equal(out, got.Outgoing) {
				t.Errorf("a second lookup for %s differs: %v %+v %+v", addr, found, in, out)
			}
			// The requests that decided the answer reached the test
			// network: the provider's own places, then the ISPDB.
			var asked []string
			for _, r := range n.HTTPRequests() {
				asked = append(asked, r.Scheme+"://"+r.Host+r.Path)
			}
			for _, want := range c.asked {
				want = strings.ReplaceAll(want, "DOMAIN", c.domain)
				if !slices.Contains(asked, want) {
					t.Errorf("Thunderbird's requests %q lack %s", asked, want)
				}
			}
		})
	}
	conns := s.proxy.requests()
	t.Logf("Thunderbird's connections: %q", conns)
	for _, c := range conns {
		host, _, _ := net.SplitHostPort(c)
		if strings.HasPrefix(host, "_") {
			t.Errorf("Thunderbird connected to %s, an SRV name", c)
		}
	}
}

// checkAuditPrediction runs mailsetup's audit of addr's domain on the same
// network and compares its Thunderbird prediction with what the real
// Thunderbird found. The harness runs Thunderbird's first three lookups
// (fromDisk, fromISP with the plain-HTTP tries, fromDB); its MX lookup,
// Autodiscover and guessing use the system's DNS and are not run. So when
// the audit predicts settings from the provider's autoconfig (HTTPS or
// HTTP) or the ISPDB, Thunderbird must have found exactly those; when it
// predicts a later source or nothing, Thunderbird's first three lookups
// must have found nothing.
func checkAuditPrediction(t *testing.T, n *mailtest.Network, addr account.Address, got tbFound) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := audit.Run(ctx, addr, audit.Options{Discovery: autoconfig.Options{
		Resolver: &netx.Resolver{Server: n.ResolverAddr(), Timeout: 2 * time.Second},
		Dialer:   n, RootCAs: n.CAPool(), ISPDB: "https://" + tbISPDBHost + "/v1.1/",
		PhaseTimeout: 3 * time.Second, GuessStagger: time.Millisecond,
	}})
	if err != nil && rep == nil {
		t.Fatalf("audit %s: %v", addr, err)
	}
	var p *audit.Prediction
	for i := range rep.Clients {
		if rep.Clients[i].Client == audit.Thunderbird {
			p = &rep.Clients[i]
		}
	}
	if p == nil {
		t.Fatalf("audit %s: no Thunderbird prediction", addr)
	}
	early := p.Settings != nil && (p.Source == account.SourceAutoconfig || p.Source == account.SourceHTTP || p.Source == account.SourceISPDB)
	t.Logf("audit's Thunderbird prediction for %s: source %q, settings %v", addr, p.Source, p.Settings)
	if !early {
		if got.Found {
			t.Errorf("audit predicts Thunderbird gets %q %v for %s, but Thunderbird's own lookup found settings (%s)", p.Source, p.Settings, addr, got.Source)
		}
		return
	}
	if !got.Found {
		t.Fatalf("audit predicts Thunderbird finds %v from %s for %s; Thunderbird found nothing (%s)", p.Settings, p.Source, addr, got.Error)
	}
	// Thunderbird reports the file's usernames unexpanded.
	want := tbPrediction{Found: true, Source: got.Source,
		Incoming: []account.Server{audit.WithPlaceholders(p.Settings.Incoming, addr)},
		Outgoing: []account.Server{audit.WithPlaceholders(p.Settings.Outgoing, addr)}}
	checkTBPrediction(t, addr, tbFound{Found: got.Found, Source: got.Source, Incoming: got.Incoming[:min(1, len(got.Incoming))], Outgoing: got.Outgoing[:min(1, len(got.Outgoing))]}, want)
}
