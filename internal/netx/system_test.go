package netx_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// silentUDP is a nameserver that never answers: a UDP socket that reads
// and counts queries. It returns its address and the counter.
func silentUDP(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	var seen atomic.Int32
	go func() {
		buf := make([]byte, 4096)
		for {
			if _, _, err := pc.ReadFrom(buf); err != nil {
				return
			}
			seen.Add(1)
		}
	}()
	return pc.LocalAddr().String(), &seen
}

// closedUDP is the address of a loopback UDP port nobody listens on.
func closedUDP(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	pc.Close()
	return addr
}

// goResolver is an operating-system-style resolver (Go's own) whose DNS
// queries go to the network's DNS server.
func goResolver(n *mailtest.Network) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, n.ResolverAddr())
	}}
}

func TestParseResolvConfOptions(t *testing.T) {
	for _, tt := range []struct {
		conf     string
		timeout  time.Duration
		attempts int
	}{
		{"nameserver 192.0.2.1\n", 5 * time.Second, 2},
		{"options timeout:1 attempts:4\n", time.Second, 4},
		{"options timeout:1\noptions attempts:3 rotate\n", time.Second, 3},
		{"options timeout:90 attempts:9\n", 30 * time.Second, 5},
		{"options timeout:0 attempts:0 timeout:x attempts:-1\n", 5 * time.Second, 2},
		{"# options timeout:1\n", 5 * time.Second, 2},
	} {
		c := netx.ParseResolvConf([]byte(tt.conf))
		if c.Timeout != tt.timeout || c.Attempts != tt.attempts {
			t.Errorf("%q: timeout %s attempts %d, want %s %d", tt.conf, c.Timeout, c.Attempts, tt.timeout, tt.attempts)
		}
	}
}

// TestMacOSResolvConf: macOS's generated resolv.conf gives its nameservers
// in order, a scoped (link-local) one with its interface.
func TestMacOSResolvConf(t *testing.T) {
	c, err := netx.ResolvConfFile("testdata/macos-resolv.conf").DNSConfig()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"192.168.1.1:53", "[fe80::1%en0]:53", "[2001:db8::53]:53"}
	if !slices.Equal(c.Servers, want) || c.TrustAD || c.ADRule != netx.ADRuleNoResolvConf ||
		c.Timeout != netx.DefaultSystemTimeout || c.Attempts != netx.DefaultSystemAttempts || c.Source != "testdata/macos-resolv.conf" {
		t.Fatalf("got %+v, want servers %v", c, want)
	}
	if _, err := netx.ResolvConfFile("testdata/none").DNSConfig(); err == nil {
		t.Fatal("missing file: no error")
	}
}

// TestAdapterSource: Windows' nameservers are those of the adapters that
// are up and have a gateway, in order, once each, without the fec0::
// defaults.
func TestAdapterSource(t *testing.T) {
	ip := netip.MustParseAddr
	adapters := []netx.Adapter{
		{Name: "Ethernet (down)", HasGateway: true, DNSServers: []netip.Addr{ip("192.0.2.99")}},
		{Name: "Wi-Fi", Up: true, HasGateway: true, DNSServers: []netip.Addr{
			ip("192.168.1.1"), ip("fe80::1").WithZone("12"), ip("fec0:0:0:ffff::1").WithZone("1"), ip("fec0:0:0:ffff::2"),
		}},
		{Name: "Loopback (no gateway)", Up: true, DNSServers: []netip.Addr{ip("192.0.2.98")}},
		{Name: "VPN", Up: true, HasGateway: true, DNSServers: []netip.Addr{
			ip("::ffff:10.0.0.53"), ip("192.168.1.1"), ip("0.0.0.0"), ip("2001:db8::53"),
		}},
	}
	src := netx.AdapterSource{Name: "test adapters", List: func() ([]netx.Adapter, error) { return adapters, nil }}
	c, err := src.DNSConfig()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"192.168.1.1:53", "[fe80::1%12]:53", "10.0.0.53:53", "[2001:db8::53]:53"}
	if !slices.Equal(c.Servers, want) || c.TrustAD || c.ADRule != netx.ADRuleNoSystemTrust ||
		c.Timeout != netx.DefaultSystemTimeout || c.Attempts != netx.DefaultSystemAttempts || c.Source != "test adapters" {
		t.Fatalf("got %+v, want servers %v", c, want)
	}
	for _, s := range want {
		if _, err := netip.ParseAddrPort(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}

	// Nothing usable, or no list at all: no servers, and the resolver
	// falls back to the operating system's record lookups.
	for _, list := range []func() ([]netx.Adapter, error){
		func() ([]netx.Adapter, error) { return adapters[:1], nil },
		func() ([]netx.Adapter, error) { return nil, errors.New("GetAdaptersAddresses: access denied") },
	} {
		src := netx.AdapterSource{Name: "test adapters", List: list}
		if c, err := src.DNSConfig(); err == nil || len(c.Servers) != 0 {
			t.Errorf("no usable adapter: %+v, %v", c, err)
		}
		r := netx.NewSystemResolver(src, net.DefaultResolver)
		if r.Fallback != net.DefaultResolver || r.TrustAD || r.ADRule != netx.ADRuleNoSystemTrust || !strings.Contains(r.Describe(), "test adapters") {
			t.Errorf("no usable adapter: resolver %+v, %q", r, r.Describe())
		}
	}
	r := netx.NewSystemResolver(src, net.DefaultResolver)
	if !slices.Equal(r.Servers, want) || r.Fallback != nil || r.Hosts != net.DefaultResolver {
		t.Errorf("resolver %+v", r)
	}
}

// TestSystemResolverDeadFirstNameserver: a first nameserver that never
// answers, or whose port is closed, is passed over for the second, which
// is asked first from then on.
func TestSystemResolverDeadFirstNameserver(t *testing.T) {
	n := mailtest.Start(t)
	silent, seen := silentUDP(t)
	for _, dead := range []string{silent, closedUDP(t)} {
		r := &netx.Resolver{Servers: []string{dead, n.ResolverAddr()}, Attempts: 2, Timeout: 200 * time.Millisecond}
		a, err := r.Lookup(context.Background(), "example.test", dns.TypeMX)
		if err != nil {
			t.Fatalf("dead %s: %v", dead, err)
		}
		if len(a.Records) == 0 || a.Server != n.ResolverAddr() {
			t.Fatalf("dead %s: answer %+v", dead, a)
		}
		before := seen.Load()
		n.DNS().ResetQueries()
		if _, _, err := r.LookupTXT(context.Background(), "example.test"); err != nil {
			t.Fatal(err)
		}
		if seen.Load() != before || n.DNS().QueryCount("example.test", dns.TypeTXT) != 1 {
			t.Fatalf("dead %s: the second lookup asked the dead server again (%d datagrams)", dead, seen.Load()-before)
		}
	}
	if seen.Load() == 0 {
		t.Fatal("the silent server was never asked")
	}
}

// TestSystemResolverFailureCodes: SERVFAIL and REFUSED from the first
// nameserver move on to the second; NXDOMAIN is an answer and does not.
func TestSystemResolverFailureCodes(t *testing.T) {
	for _, tt := range []struct {
		rcode    int
		tryNext  bool
		notFound bool
	}{
		{dns.RcodeServerFailure, true, false},
		{dns.RcodeRefused, true, false},
		{dns.RcodeNameError, false, true},
	} {
		first, second := mailtest.Start(t, mailtest.Bare()), mailtest.Start(t)
		first.DNS().SetRcode("example.test", tt.rcode)
		r := &netx.Resolver{Servers: []string{first.ResolverAddr(), second.ResolverAddr()}, Attempts: 2}
		mx, _, err := r.LookupMX(context.Background(), "example.test")
		if got := second.DNS().QueryCount("example.test", dns.TypeMX); (got > 0) != tt.tryNext {
			t.Errorf("%s: second server asked %d times", dns.RcodeToString[tt.rcode], got)
		}
		if got := first.DNS().QueryCount("example.test", dns.TypeMX); got != 1 {
			t.Errorf("%s: first server asked %d times", dns.RcodeToString[tt.rcode], got)
		}
		if tt.notFound {
			if !errors.Is(err, netx.ErrNotFound) {
				t.Errorf("%s: %v, want ErrNotFound", dns.RcodeToString[tt.rcode], err)
			}
		} else if err != nil || len(mx) == 0 {
			t.Errorf("%s: %v, %v", dns.RcodeToString[tt.rcode], mx, err)
		}
		// A failure code does not demote the first server: the next
		// lookup asks it first again.
		first.DNS().SetRcode("example.test", dns.RcodeSuccess)
		first.DNS().ResetQueries()
		r.LookupMX(context.Background(), "example.test")
		if got := first.DNS().QueryCount("example.test", dns.TypeMX); got != 1 {
			t.Errorf("%s: next lookup asked the first server %d times", dns.RcodeToString[tt.rcode], got)
		}
	}
}

// TestSystemResolverAllFail: when every nameserver fails, each is asked
// Attempts times and the error reports each one, with the failure code.
func TestSystemResolverAllFail(t *testing.T) {
	first, second := mailtest.Start(t, mailtest.Bare()), mailtest.Start(t, mailtest.Bare())
	first.DNS().SetSERVFAIL("example.test", true)
	second.DNS().SetRcode("example.test", dns.RcodeRefused)
	r := &netx.Resolver{Servers: []string{first.ResolverAddr(), second.ResolverAddr()}, Attempts: 2}
	_, err := r.Lookup(context.Background(), "example.test", dns.TypeMX)
	de := dnsError(t, err)
	if de.Rcode != dns.RcodeRefused || !strings.Contains(err.Error(), "SERVFAIL") || !strings.Contains(err.Error(), "REFUSED") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("error %v (rcode %d)", err, de.Rcode)
	}
	for _, n := range []*mailtest.Network{first, second} {
		if got := n.DNS().QueryCount("example.test", dns.TypeMX); got != 2 {
			t.Errorf("%s asked %d times, want 2", n.ResolverAddr(), got)
		}
	}
}

// TestSystemResolverTimeoutTriesNext: a nameserver that answers too late
// is passed over for the next; a deadline on the context still ends the
// whole lookup.
func TestSystemResolverTimeoutTriesNext(t *testing.T) {
	slow, fast := mailtest.Start(t), mailtest.Start(t)
	slow.DNS().SetDelayAll(time.Hour) // abandoned when the network closes
	fast.DNS().AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.example.test")
	r := &netx.Resolver{Servers: []string{slow.ResolverAddr(), fast.ResolverAddr()}, Timeout: 100 * time.Millisecond}
	srv, _, err := r.LookupSRV(context.Background(), "imaps", "tcp", "example.test")
	if err != nil || len(srv) == 0 {
		t.Fatalf("slow first server: %v, %v", srv, err)
	}
	if slow.DNS().QueryCount("_imaps._tcp.example.test", dns.TypeSRV) == 0 {
		t.Fatal("the slow server was not asked first")
	}

	fast.DNS().SetDelayAll(time.Hour)
	r = &netx.Resolver{Servers: []string{slow.ResolverAddr(), fast.ResolverAddr()}, Timeout: time.Hour, Attempts: 5}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err = mustReturn(t, "lookup bounded by the context", func() error {
		_, err := r.Lookup(ctx, "example.test", dns.TypeMX)
		return err
	})
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("context deadline: %v, want a timeout", err)
	}
	if fast.DNS().QueryCount("example.test", dns.TypeMX) != 0 {
		t.Fatal("asked the next server after the context ended")
	}
}

// TestSystemResolverHostAddresses: in system mode host addresses come
// from the operating system's resolver (here Go's, pointed at the test
// network), not from the nameservers record lookups use; --resolver mode
// asks its one server.
func TestSystemResolverHostAddresses(t *testing.T) {
	n := mailtest.Start(t)
	silent, seen := silentUDP(t)
	want := n.DNS().Records("imap.example.test", dns.TypeA)
	if len(want) == 0 {
		t.Fatal("the test network has no address for imap.example.test")
	}
	r := &netx.Resolver{Servers: []string{silent}, Timeout: time.Hour, Hosts: goResolver(n)}
	addrs, err := r.LookupHost(context.Background(), "imap.example.test")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(addrs, netip.MustParseAddr(want[0].(*dns.A).A.String())) {
		t.Fatalf("addresses %v, want %v among them", addrs, want[0])
	}
	if seen.Load() != 0 {
		t.Fatal("host addresses were asked of the record nameserver")
	}
	_, err = r.LookupHost(context.Background(), "nowhere.example.test")
	if !errors.Is(err, netx.ErrNotFound) {
		t.Fatalf("unknown host: %v, want ErrNotFound", err)
	}
	dnsError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.LookupHost(ctx, "imap.example.test"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v, want context.Canceled", err)
	}

	// --resolver: Hosts is not consulted, the one server is.
	one := &netx.Resolver{Server: n.ResolverAddr(), Hosts: goResolver(mailtest.Start(t, mailtest.Bare()))}
	if _, err := one.LookupHost(context.Background(), "imap.example.test"); err != nil {
		t.Fatalf("--resolver: %v", err)
	}
}

// TestSystemResolverDialsOSAddresses: the resolving dialer connects to
// the addresses the operating system's resolver gives.
func TestSystemResolverDialsOSAddresses(t *testing.T) {
	n := mailtest.Start(t)
	silent, _ := silentUDP(t)
	r := &netx.Resolver{Servers: []string{silent}, Timeout: time.Hour, Hosts: goResolver(n)}
	d := &netx.ResolvingDialer{Resolver: r, Dialer: n}
	c, err := d.DialContext(context.Background(), "tcp", "imap.example.test:993")
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// TestSystemFallbackRecordLookups: without a nameserver, MX, SRV, TXT and
// A lookups go to the operating system's resolver, which reports no AD
// bit; TLSA cannot be looked up and says so.
func TestSystemFallbackRecordLookups(t *testing.T) {
	n := mailtest.Start(t)
	n.DNS().SetADAll(true)
	var trace strings.Builder
	r := &netx.Resolver{Fallback: goResolver(n), TrustAD: true, Trace: netx.NewTracer(&trace)}
	ctx := context.Background()
	mx, ad, err := r.LookupMX(ctx, "example.test")
	if err != nil || len(mx) == 0 || ad {
		t.Fatalf("MX: %v, AD %v, %v", mx, ad, err)
	}
	want, _, err := (&netx.Resolver{Server: n.ResolverAddr()}).LookupMX(ctx, "example.test")
	if err != nil || !slices.Equal(mx, want) {
		t.Fatalf("MX via the system %v, via DNS %v (%v)", mx, want, err)
	}
	n.DNS().AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.example.test")
	srv, _, err := r.LookupSRV(ctx, "imaps", "tcp", "example.test")
	if err != nil || !slices.Equal(srv, []netx.SRV{{Target: "imap.example.test", Port: 993, Weight: 1}}) {
		t.Fatalf("SRV: %v, %v", srv, err)
	}
	n.DNS().AddTXT("txt.example.test", "v=STSv1; ", "id=1")
	txt, _, err := r.LookupTXT(ctx, "txt.example.test")
	if err != nil || !slices.Equal(txt, []string{"v=STSv1; id=1"}) {
		t.Fatalf("TXT: %q, %v", txt, err)
	}
	a, err := r.Lookup(ctx, "imap.example.test", dns.TypeA)
	if err != nil || len(a.Records) == 0 {
		t.Fatalf("A: %v, %v", a, err)
	}
	if _, _, err := r.LookupMX(ctx, "nowhere.example.test"); !errors.Is(err, netx.ErrNotFound) {
		t.Fatalf("unknown domain: %v, want ErrNotFound", err)
	}
	_, err = r.Lookup(ctx, "_25._tcp.mx.example.test", dns.TypeTLSA)
	if !errors.Is(err, netx.ErrNoNameserver) {
		t.Fatalf("TLSA: %v, want ErrNoNameserver", err)
	}
	if !strings.Contains(trace.String(), "via the system resolver (no DNSSEC)") || !strings.Contains(trace.String(), "TLSA") {
		t.Fatalf("trace:\n%s", trace.String())
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := r.LookupMX(cctx, "example.test"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v, want context.Canceled", err)
	}
	if _, err := (&netx.Resolver{}).Lookup(ctx, "example.test", dns.TypeMX); err == nil {
		t.Fatal("no server and no fallback: no error")
	}
}

// FuzzNameserversFromAdapters: whatever the adapters hold, the servers
// are valid host:port strings, once each, never fec0::/10 or unspecified.
func FuzzNameserversFromAdapters(f *testing.F) {
	f.Add([]byte{0xfe, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 1, 192, 168, 1, 1}, uint8(3))
	f.Add([]byte{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}, uint8(1))
	f.Fuzz(func(t *testing.T, raw []byte, flags uint8) {
		var adapters []netx.Adapter
		for i := 0; len(raw) > 0; i++ {
			a := netx.Adapter{Up: flags>>(i%4)&1 == 0 || i%3 == 0, HasGateway: flags>>(i%8)&1 == 0 || i%2 == 0}
			for range 3 {
				var ip netip.Addr
				if len(raw) >= 16 && raw[0]%2 == 0 {
					ip = netip.AddrFrom16([16]byte(raw[:16])).WithZone(string(rune('a' + len(raw)%3)))
					raw = raw[16:]
				} else if len(raw) >= 4 {
					ip = netip.AddrFrom4([4]byte(raw[:4]))
					raw = raw[4:]
				} else {
					raw = nil
					break
				}
				a.DNSServers = append(a.DNSServers, ip)
			}
			adapters = append(adapters, a)
		}
		out := netx.NameserversFromAdapters(adapters)
		for i, s := range out {
			ap, err := netip.ParseAddrPort(s)
			if err != nil || ap.Port() != 53 {
				t.Fatalf("%q: %v", s, err)
			}
			if b := ap.Addr().As16(); ap.Addr().Is6() && b[0] == 0xfe && b[1]&0xc0 == 0xc0 || ap.Addr().IsUnspecified() {
				t.Fatalf("%q kept", s)
			}
			if slices.Contains(out[:i], s) {
				t.Fatalf("%q twice in %v", s, out)
			}
		}
	})
}
