package autoconfig

import (
	"context"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// recordingDialer dials through the test network and records every
// address it was asked to dial.
type recordingDialer struct {
	n     *mailtest.Network
	mu    sync.Mutex
	addrs []string
}

func (d *recordingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	d.addrs = append(d.addrs, addr)
	d.mu.Unlock()
	return d.n.DialContext(ctx, network, addr)
}

func (d *recordingDialer) dialled(prefix string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.ContainsFunc(d.addrs, func(a string) bool { return strings.HasPrefix(a, prefix) })
}

func TestAddrKind(t *testing.T) {
	for ip, want := range map[string]string{
		"127.0.0.1": "loopback", "::1": "loopback", "::ffff:127.0.0.1": "loopback",
		"169.254.169.254": "link-local", "fe80::1": "link-local",
		"10.1.2.3": "private", "172.16.0.1": "private", "192.168.0.1": "private", "fd00::1": "private", "100.64.0.1": "private",
		"0.0.0.0": "unspecified", "::": "unspecified", "0.1.2.3": "unspecified",
		"224.0.0.1": "link-local", "239.1.2.3": "multicast", "ff05::1": "multicast", "255.255.255.255": "multicast",
		"192.0.2.1": "", "2001:db8::1": "", "8.8.8.8": "",
	} {
		if got := addrKind(netip.MustParseAddr(ip)); got != want {
			t.Errorf("addrKind(%s) = %q, want %q", ip, got, want)
		}
	}
}

// TestRedirectToIPLiteral: a redirect to an IP address is not followed,
// and the address is never dialled.
func TestRedirectToIPLiteral(t *testing.T) {
	e := newDEnv(t)
	e.opts.NoVerify = true
	d := &recordingDialer{n: e.n}
	e.opts.Dialer = d
	for _, target := range []string{"169.254.169.254", "127.0.0.1", "[::1]"} {
		e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Location: "https://" + target + "/latest/meta-data/"})
		res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig)
		if err == nil {
			t.Fatalf("redirect to %s gave candidates", target)
		}
		if !trailHas(res, account.SourceAutoconfig, "to the IP address "+strings.Trim(target, "[]")+": not followed") {
			t.Errorf("%s: trail %+v", target, res.Trail)
		}
		if d.dialled(strings.Trim(target, "[]")) || d.dialled(target) {
			t.Errorf("%s was dialled", target)
		}
	}
}

// TestRedirectToSpecialAddress: a redirect to a name that resolves to a
// link-local address (a cloud metadata service) is refused at dial time,
// since the address's domain resolves to loopback addresses, not
// link-local ones; the domain's own loopback servers are reached, and the
// trail names the rule for both.
func TestRedirectToSpecialAddress(t *testing.T) {
	e := newDEnv(t)
	e.opts.NoVerify = true
	d := &recordingDialer{n: e.n}
	e.opts.Dialer = d
	e.n.DNS().AddA("metadata.example.test", netip.MustParseAddr("169.254.169.254"))
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Location: "https://metadata.example.test/latest/meta-data/"})
	res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig)
	if err == nil {
		t.Fatal("the redirect to a link-local address gave candidates")
	}
	if d.dialled("169.254.169.254") {
		t.Error("169.254.169.254 was dialled")
	}
	if !trailHas(res, account.SourceAutoconfig, "refused to connect to metadata.example.test at 169.254.169.254 (link-local)") {
		t.Errorf("trail does not say why: %+v", res.Trail)
	}
	if !trailHas(res, account.SourceAutoconfig, "a loopback address of autoconfig.example.test: example.test itself resolves to loopback addresses") {
		t.Errorf("trail does not name the lab-network rule: %+v", res.Trail)
	}

	// The same name resolving to a loopback address, like example.test
	// itself, is reached.
	e.n.DNS().Remove("metadata.example.test", 1)
	e.n.AddHost("metadata.example.test", mailtest.HTTPS)
	e.n.HandleHTTP("metadata.example.test", "/latest/meta-data/", xmlRoute(configXML("example.test", "imap.example.test", 993, "smtp.example.test", 465, "")))
	res, err = e.discover(t, "jane@example.test", account.SourceAutoconfig)
	top(t, res, err)
}

// TestSpecialAddressNeedsLabDomain: when the address's domain does not
// resolve into the range itself, discovery does not connect to a loopback
// autoconfig server at all (the DNS answer could be anyone's).
func TestSpecialAddressNeedsLabDomain(t *testing.T) {
	e := newDEnv(t)
	e.opts.NoVerify = true
	d := &recordingDialer{n: e.n}
	e.opts.Dialer = d
	e.n.AddHost("autoconfig.nolab.test", mailtest.HTTPS)
	e.n.HandleHTTP("autoconfig.nolab.test", "/mail/config-v1.1.xml", xmlRoute(configXML("nolab.test", "imap.example.test", 993, "smtp.example.test", 465, "")))
	res, err := e.discover(t, "jane@nolab.test", account.SourceAutoconfig)
	if err == nil {
		t.Fatalf("a loopback autoconfig server was used for a domain that does not resolve there: %+v", res.Candidates[0])
	}
	ip := e.n.HostIP("autoconfig.nolab.test").String()
	if d.dialled(ip) {
		t.Errorf("%s was dialled", ip)
	}
	if !trailHas(res, account.SourceAutoconfig, "refused to connect to autoconfig.nolab.test at "+ip+" (loopback)") {
		t.Errorf("trail %+v", res.Trail)
	}
	// Once nolab.test resolves to loopback addresses too, it is a lab network.
	e.n.AddHost("nolab.test", mailtest.HTTPS)
	res, err = e.discover(t, "jane@nolab.test", account.SourceAutoconfig)
	top(t, res, err)
	if !trailHas(res, account.SourceAutoconfig, "nolab.test itself resolves to loopback addresses") {
		t.Errorf("trail %+v", res.Trail)
	}
}

// TestISPDBGivenIsExempt: an ISPDB the user named is reached wherever it
// is; the trail says so.
func TestISPDBGivenIsExempt(t *testing.T) {
	e := newDEnv(t)
	e.opts.NoVerify = true
	e.n.HandleHTTP("ispdb.example.test", "/v1.1/nolab.test", xmlRoute(configXML("nolab.test", "imap.example.test", 993, "smtp.example.test", 465, "")))
	res, err := e.discover(t, "jane@nolab.test", account.SourceISPDB)
	top(t, res, err)
	if !trailHas(res, account.SourceISPDB, "an ISPDB the user named is reached wherever it is") {
		t.Errorf("trail %+v", res.Trail)
	}
}

// TestDialGuardRebinding: the guard checks the addresses it resolves at
// dial time, so a name that was harmless when a redirect was checked but
// resolves to a special address when dialled is refused.
func TestDialGuardRebinding(t *testing.T) {
	n := mailtest.Start(t)
	r := &netx.Resolver{Server: n.ResolverAddr()}
	d := &recordingDialer{n: n}
	g := &dialGuard{resolver: r, dialer: d, domain: "public.test"}
	n.DNS().AddA("public.test", netip.MustParseAddr("192.0.2.10"))
	n.DNS().AddA("www.public.test", netip.MustParseAddr("192.0.2.11"))
	ctx := context.Background()
	if _, err := g.DialContext(ctx, "tcp", "www.public.test:443"); err == nil || !d.dialled("192.0.2.11:443") {
		t.Fatalf("public address: %v, dialled %v", err, d.addrs)
	}
	n.DNS().Remove("www.public.test", 1)
	n.DNS().AddA("www.public.test", netip.MustParseAddr("10.0.0.1"))
	_, err := g.DialContext(ctx, "tcp", "www.public.test:443")
	if err == nil || !strings.Contains(err.Error(), "10.0.0.1 (private)") || d.dialled("10.0.0.1") {
		t.Errorf("rebound to a private address: %v, dialled %v", err, d.addrs)
	}
	if _, err := g.DialContext(ctx, "tcp", "10.0.0.1:443"); err == nil || d.dialled("10.0.0.1") {
		t.Errorf("IP literal: %v", err)
	}
}

// TestISPDBAtIPAddress: an ISPDB the user gave as an IP address is
// connected to (the test CA's certificates name hosts, not addresses, so
// the TLS handshake then fails, as it should).
func TestISPDBAtIPAddress(t *testing.T) {
	e := newDEnv(t)
	e.opts.NoVerify = true
	d := &recordingDialer{n: e.n}
	e.opts.Dialer = d
	ip := e.n.HostIP("ispdb.example.test").String()
	e.opts.ISPDB = "https://" + ip + "/v1.1/"
	res, _ := e.discover(t, "jane@example.test", account.SourceISPDB)
	if !d.dialled(ip+":443") || !trailHas(res, account.SourceISPDB, "an ISPDB the user named is reached wherever it is") {
		t.Errorf("the ISPDB at %s was not reached: %+v", ip, res.Trail)
	}
}
