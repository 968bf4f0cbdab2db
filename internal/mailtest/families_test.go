package mailtest

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/netip"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// answerIPs returns the A and AAAA addresses of an answer section, and
// fails on any other record type.
func answerIPs(t *testing.T, rrs []dns.RR) []netip.Addr {
	t.Helper()
	var out []netip.Addr
	for _, rr := range rrs {
		var ip net.IP
		switch r := rr.(type) {
		case *dns.A:
			ip = r.A
		case *dns.AAAA:
			ip = r.AAAA
		default:
			t.Fatalf("unexpected record %v", rr)
		}
		a, _ := netip.AddrFromSlice(ip)
		out = append(out, a)
	}
	return out
}

// dialTLSAs dials addr and completes a TLS handshake verified for host.
func dialTLSAs(t *testing.T, n *Network, addr, host string) *tls.Conn {
	t.Helper()
	tc := tls.Client(dial(t, n, addr), n.TLSClientConfig(host))
	if err := tc.Handshake(); err != nil {
		t.Fatalf("tls %s as %s: %v", addr, host, err)
	}
	return tc
}

func remoteAddrPort(t *testing.T, c net.Conn) netip.AddrPort {
	t.Helper()
	ta, ok := c.RemoteAddr().(*net.TCPAddr)
	if !ok {
		t.Fatalf("remote %T %v", c.RemoteAddr(), c.RemoteAddr())
	}
	return ta.AddrPort()
}

func TestIPv6OnlyHost(t *testing.T) {
	n := Start(t)
	const host = "imap.example.test"
	v4 := n.HostIP(host)
	if n.HostIPv6(host).IsValid() {
		t.Fatal("new host has IPv6")
	}
	n.SetAddressFamilies(host, false, true)
	v6 := n.HostIPv6(host)
	if !v6.Is6() || !VirtualIPv6Prefix.Contains(v6) || n.HostIP(host).IsValid() {
		t.Fatalf("IPv6-only host: HostIP %v, HostIPv6 %v", n.HostIP(host), v6)
	}
	if b, b4 := v6.As16(), v4.As4(); [4]byte(b[12:]) != b4 {
		t.Fatalf("IPv6 %v does not embed the IPv4 %v", v6, v4)
	}

	// The DNS server has only the AAAA record.
	if r := exchange(t, n, host, dns.TypeA); r.Rcode != dns.RcodeSuccess || len(r.Answer) != 0 {
		t.Fatalf("A: rcode %d answer %v, want an empty NOERROR", r.Rcode, r.Answer)
	}
	for _, qt := range []uint16{dns.TypeAAAA, dns.TypeANY} {
		r := exchange(t, n, host, qt)
		if ips := answerIPs(t, r.Answer); len(ips) != 1 || ips[0] != v6 {
			t.Fatalf("%s: answer %v, want only AAAA %v", dns.TypeToString[qt], r.Answer, v6)
		}
	}

	// [v6]:993 reaches the IMAPS listener.
	addr := netip.AddrPortFrom(v6, 993).String()
	if !strings.HasPrefix(addr, "[fd6d:6169:6c74::") {
		t.Fatalf("address %s", addr)
	}
	c := dial(t, n, addr)
	if got := remoteAddrPort(t, c); got.String() != addr {
		t.Fatalf("remote %v, want %s", got, addr)
	}
	tc := tls.Client(c, n.TLSClientConfig(host))
	if err := tc.Handshake(); err != nil {
		t.Fatalf("tls over IPv6: %v", err)
	}
	lc := newLineConn(t, tc)
	if s := lc.line(); !strings.HasPrefix(s, "* OK") {
		t.Fatalf("greeting %q", s)
	}

	// By name and "tcp6" the dial goes to the IPv6 address; IPv4 is gone.
	if got := remoteAddrPort(t, dial(t, n, host+":143")); got.Addr() != v6 {
		t.Fatalf("name dial went to %v", got)
	}
	ctx := context.Background()
	c6, err := n.DialContext(ctx, "tcp6", host+":993")
	if err != nil {
		t.Fatalf("tcp6: %v", err)
	}
	c6.Close()
	if _, err := n.DialContext(ctx, "tcp", netip.AddrPortFrom(v4, 993).String()); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("old IPv4 address: %v, want connection refused", err)
	}
	var ae *net.AddrError
	if _, err := n.DialContext(ctx, "tcp4", host+":993"); !errors.As(err, &ae) {
		t.Fatalf("tcp4 to an IPv6-only host: %v, want an AddrError", err)
	}
	if _, err := n.DialContext(ctx, "tcp", "["+v6.String()+"]:25"); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("unserved port: %v, want connection refused", err)
	}

	// Endpoints and real-address dials report the IPv6 address.
	ep, ok := n.Endpoint(host + ":993")
	if !ok || ep.IP.IsValid() || ep.IPv6 != v6 {
		t.Fatalf("endpoint %+v", ep)
	}
	if got := remoteAddrPort(t, dial(t, n, ep.Addr)); got.String() != addr {
		t.Fatalf("real-address dial reports %v", got)
	}
}

func TestDualStackHostWithUnreachableIPv6(t *testing.T) {
	n := Start(t)
	const host = "mail.example.test"
	n.SetAddressFamilies(host, true, true)
	v4, v6 := n.HostIP(host), n.HostIPv6(host)
	if !v4.Is4() || !v6.Is6() {
		t.Fatalf("dual-stack addresses %v %v", v4, v6)
	}
	if a := answerIPs(t, exchange(t, n, host, dns.TypeA).Answer); len(a) != 1 || a[0] != v4 {
		t.Fatalf("A %v", a)
	}
	if a := answerIPs(t, exchange(t, n, host, dns.TypeAAAA).Answer); len(a) != 1 || a[0] != v6 {
		t.Fatalf("AAAA %v", a)
	}
	if ep, _ := n.Endpoint(host + ":587"); ep.IP != v4 || ep.IPv6 != v6 {
		t.Fatalf("endpoint %+v", ep)
	}
	addr4 := netip.AddrPortFrom(v4, 993).String()
	addr6 := netip.AddrPortFrom(v6, 993).String()
	dialTLSAs(t, n, addr6, host) // reachable until told otherwise

	ctx := context.Background()
	n.SetReachability(host, IPv6, Unreachable)
	_, err := n.DialContext(ctx, "tcp", addr6)
	var oe *net.OpError
	if !errors.Is(err, syscall.ENETUNREACH) || !errors.As(err, &oe) || oe.Addr.String() != addr6 {
		t.Fatalf("dial %s: %v, want network unreachable", addr6, err)
	}
	if _, err := n.DialContext(ctx, "tcp6", host+":993"); !errors.Is(err, syscall.ENETUNREACH) {
		t.Fatalf("tcp6 by name: %v, want network unreachable", err)
	}
	dialTLSAs(t, n, addr4, host) // IPv4 still works
	if got := remoteAddrPort(t, dial(t, n, host+":993")); got.Addr() != v4 {
		t.Fatalf("name dial went to %v", got)
	}

	n.SetReachability(host, IPv6, Refused)
	if _, err := n.DialContext(ctx, "tcp", addr6); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("Refused: %v", err)
	}

	n.SetReachability(host, IPv6, Blackhole)
	dctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = n.DialContext(dctx, "tcp", addr6)
	var ne net.Error
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("Blackhole with deadline: %v", err)
	}
	cctx, ccancel := context.WithCancel(ctx)
	go ccancel()
	if _, err := n.DialContext(cctx, "tcp", addr6); !errors.Is(err, context.Canceled) {
		t.Fatalf("Blackhole cancelled: %v", err)
	}
	dial(t, n, addr4).Close()

	// With IPv4 broken instead, a name dial falls over to IPv6.
	n.SetReachability(host, IPv6, Reachable)
	n.SetReachability(host, IPv4, Unreachable)
	if got := remoteAddrPort(t, dial(t, n, host+":993")); got.Addr() != v6 {
		t.Fatalf("name dial went to %v", got)
	}
	// Both broken: the name dial fails like the first (IPv4) address.
	n.SetReachability(host, IPv6, Refused)
	if _, err := n.DialContext(ctx, "tcp", host+":993"); !errors.Is(err, syscall.ENETUNREACH) {
		t.Fatalf("both broken: %v", err)
	}
	// Real listener addresses are not affected.
	ep, _ := n.Endpoint(host + ":993")
	dial(t, n, ep.Addr).Close()
}

func TestBlackholeReleasedByClose(t *testing.T) {
	n := Start(t)
	const host = "pop.example.test"
	n.SetAddressFamilies(host, true, true)
	n.SetReachability(host, IPv6, Blackhole)
	errc := make(chan error, 1)
	go func() {
		_, err := n.DialContext(context.Background(), "tcp", netip.AddrPortFrom(n.HostIPv6(host), 995).String())
		errc <- err
	}()
	// Wait until the dial is parked in the blackhole (if Close came first,
	// the dial would be refused as well, but for another reason).
	eventually(t, "the dial to block", func() bool {
		buf := make([]byte, 1<<20)
		return strings.Contains(string(buf[:runtime.Stack(buf, true)]), "mailtest.(*Network).DialContext")
	})
	n.Close()
	if err := <-errc; !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("blackholed dial after Close: %v", err)
	}
}

func TestSetAddressFamiliesKeepsOtherRecords(t *testing.T) {
	n := Start(t)
	const host = "smtp.example.test"
	v4 := n.HostIP(host)
	extra := netip.MustParseAddr("192.0.2.7")
	n.DNS().AddA(host, extra)

	n.SetAddressFamilies(host, false, true)
	n.SetAddressFamilies(host, false, true) // idempotent
	v6 := n.HostIPv6(host)
	if got := answerIPs(t, exchange(t, n, host, dns.TypeANY).Answer); len(got) != 2 || got[0] != extra || got[1] != v6 {
		t.Fatalf("IPv6-only with an extra A: %v", got)
	}
	n.SetAddressFamilies(host, true, false)
	if got := answerIPs(t, exchange(t, n, host, dns.TypeANY).Answer); len(got) != 2 || got[0] != extra || got[1] != v4 {
		t.Fatalf("back to IPv4: %v", got)
	}
	if n.HostIP(host) != v4 || n.HostIPv6(host).IsValid() {
		t.Fatalf("HostIP %v HostIPv6 %v", n.HostIP(host), n.HostIPv6(host))
	}
	if _, err := n.DialContext(context.Background(), "tcp", netip.AddrPortFrom(v6, 465).String()); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("disabled IPv6: %v", err)
	}
	dialTLSAs(t, n, netip.AddrPortFrom(v4, 465).String(), host)
	if Blackhole.String() != "Blackhole" || IPv6.String() != "IPv6" {
		t.Fatal("String methods")
	}
}
