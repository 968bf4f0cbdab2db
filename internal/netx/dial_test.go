package netx_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// newDialer returns a ResolvingDialer that resolves through the network's
// DNS server and connects through its dialer, both tracing to the
// returned buffer.
func newDialer(t *testing.T, n *mailtest.Network) (*netx.ResolvingDialer, *bytes.Buffer) {
	t.Helper()
	trace := new(bytes.Buffer)
	tr := netx.NewTracer(trace)
	r := newResolver(t, n)
	r.Trace = tr
	return &netx.ResolvingDialer{Resolver: r, Dialer: n, Trace: tr}, trace
}

// dialIMAPS dials host:993 with d and checks the TLS handshake and the
// IMAP greeting. It returns the address the connection went to.
func dialIMAPS(t *testing.T, n *mailtest.Network, d *netx.ResolvingDialer, host string) netip.AddrPort {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, "993"))
	if err != nil {
		t.Fatalf("dial %s: %v", host, err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	tc := tls.Client(c, n.TLSClientConfig(host))
	if err := tc.Handshake(); err != nil {
		t.Fatalf("tls %s: %v", host, err)
	}
	line, err := bufio.NewReader(tc).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "* OK") {
		t.Fatalf("greeting %q, %v", line, err)
	}
	ta, ok := c.RemoteAddr().(*net.TCPAddr)
	if !ok {
		t.Fatalf("remote %T", c.RemoteAddr())
	}
	return ta.AddrPort()
}

func TestResolvingDialerByName(t *testing.T) {
	n := mailtest.Start(t)
	d, trace := newDialer(t, n)
	const host = "imap.example.test"

	got := dialIMAPS(t, n, d, host)
	want := netip.AddrPortFrom(n.HostIP(host), 993)
	if got != want {
		t.Fatalf("connected to %v, want %v", got, want)
	}
	for _, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
		if c := n.DNS().QueryCount(host, qt); c != 1 {
			t.Fatalf("%d %s queries for %s, want 1", c, dns.TypeToString[qt], host)
		}
	}
	out := trace.String()
	for _, s := range []string{
		"dns A " + host + " via " + n.ResolverAddr() + "/udp: 1 record(s)",
		"dns AAAA " + host + " via " + n.ResolverAddr() + "/udp: 0 record(s)",
		"connect " + want.String() + ": ok in ",
	} {
		if !strings.Contains(out, s) {
			t.Fatalf("trace lacks %q:\n%s", s, out)
		}
	}
	if lines := strings.Count(out, "\n"); lines != 3 {
		t.Fatalf("%d trace lines, want 3:\n%s", lines, out)
	}

	// An IP literal is dialed without a look-up.
	n.DNS().ResetQueries()
	ctx := context.Background()
	c, err := d.DialContext(ctx, "tcp", want.String())
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if q := n.DNS().Queries(); len(q) != 0 {
		t.Fatalf("queries for a literal: %v", q)
	}
}

func TestResolvingDialerIPv6(t *testing.T) {
	n := mailtest.Start(t)
	d, trace := newDialer(t, n)

	// Dual-stack: IPv6 is tried first and works.
	n.SetAddressFamilies("imap.example.test", true, true)
	v6 := netip.AddrPortFrom(n.HostIPv6("imap.example.test"), 993)
	if got := dialIMAPS(t, n, d, "imap.example.test"); got != v6 {
		t.Fatalf("dual-stack: connected to %v, want %v", got, v6)
	}
	// IPv6-only.
	n.SetAddressFamilies("mail.example.test", false, true)
	v6 = netip.AddrPortFrom(n.HostIPv6("mail.example.test"), 993)
	if got := dialIMAPS(t, n, d, "mail.example.test"); got != v6 {
		t.Fatalf("IPv6-only: connected to %v, want %v", got, v6)
	}
	if c := n.DNS().QueryCount("mail.example.test", dns.TypeAAAA); c != 1 {
		t.Fatalf("%d AAAA queries", c)
	}
	if !strings.Contains(trace.String(), "connect "+v6.String()+": ok") {
		t.Fatalf("trace:\n%s", trace.String())
	}
}

func TestResolvingDialerFallsBackToIPv4(t *testing.T) {
	for _, tt := range []struct {
		reach mailtest.Reachability
		want  string // in the failed attempt's trace line
	}{
		{mailtest.Unreachable, "network is unreachable"},
		{mailtest.Refused, "connection refused"},
		{mailtest.Blackhole, "context deadline exceeded"},
	} {
		t.Run(tt.reach.String(), func(t *testing.T) {
			n := mailtest.Start(t)
			const host = "imap.example.test"
			n.SetAddressFamilies(host, true, true)
			n.SetReachability(host, mailtest.IPv6, tt.reach)
			d, trace := newDialer(t, n)
			d.ConnectTimeout = 50 * time.Millisecond // bounds the blackholed attempt

			v4 := netip.AddrPortFrom(n.HostIP(host), 993)
			v6 := netip.AddrPortFrom(n.HostIPv6(host), 993)
			if got := dialIMAPS(t, n, d, host); got != v4 {
				t.Fatalf("connected to %v, want %v", got, v4)
			}
			out := trace.String()
			failed := strings.Index(out, "connect "+v6.String()+": ")
			ok := strings.Index(out, "connect "+v4.String()+": ok")
			if failed < 0 || ok < failed {
				t.Fatalf("trace does not show the IPv6 attempt, then IPv4:\n%s", out)
			}
			if line, _, _ := strings.Cut(out[failed:], "\n"); !strings.Contains(line, tt.want) {
				t.Fatalf("failed attempt %q, want %q", line, tt.want)
			}
		})
	}
}

func TestResolvingDialerFailures(t *testing.T) {
	n := mailtest.Start(t)
	d, trace := newDialer(t, n)
	ctx := context.Background()

	// A name that does not exist: no connection attempt.
	_, err := d.DialContext(ctx, "tcp", "nowhere.example.test:993")
	if !errors.Is(err, netx.ErrNotFound) || !strings.Contains(err.Error(), "nowhere.example.test:993") {
		t.Fatalf("unknown host: %v", err)
	}
	if strings.Contains(trace.String(), "connect ") {
		t.Fatalf("connected to an unknown host:\n%s", trace.String())
	}
	// Bad addresses.
	for _, addr := range []string{"imap.example.test", "imap.example.test:imaps", "imap.example.test:70000"} {
		if _, err := d.DialContext(ctx, "tcp", addr); err == nil {
			t.Fatalf("%q: no error", addr)
		}
	}

	// Every address fails: each attempt is reported.
	const host = "mail.example.test"
	n.SetAddressFamilies(host, true, true)
	n.SetReachability(host, mailtest.IPv6, mailtest.Unreachable)
	n.SetReachability(host, mailtest.IPv4, mailtest.Refused)
	_, err = d.DialContext(ctx, "tcp", host+":993")
	if !errors.Is(err, syscall.ENETUNREACH) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("all addresses failing: %v", err)
	}

	// The context's deadline ends the whole dial: no further addresses are
	// tried once it has passed.
	n.SetReachability(host, mailtest.IPv6, mailtest.Blackhole)
	n.SetReachability(host, mailtest.IPv4, mailtest.Blackhole)
	d.ConnectTimeout = time.Hour
	trace.Reset()
	dctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = d.DialContext(dctx, "tcp", host+":993")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("blackholed host with a deadline: %v", err)
	}
	if c := strings.Count(trace.String(), "connect "); c != 1 {
		t.Fatalf("%d connect attempts after the deadline, want 1:\n%s", c, trace.String())
	}
}

// ResolvingDialer resolves through the DNS server, not the network's
// in-memory zone: a name is not dialed when the server fails.
func TestResolvingDialerUsesResolver(t *testing.T) {
	n := mailtest.Start(t)
	d, _ := newDialer(t, n)
	n.DNS().SetTruncate("imap.example.test", true)
	want := netip.AddrPortFrom(n.HostIP("imap.example.test"), 993)
	if got := dialIMAPS(t, n, d, "imap.example.test"); got != want {
		t.Fatalf("connected to %v, want %v", got, want)
	}
	var tcp int
	for _, q := range n.DNS().Queries() {
		if q.Transport == "tcp" {
			tcp++
		}
	}
	if tcp != 2 {
		t.Fatalf("%d TCP queries, want A and AAAA: %v", tcp, n.DNS().Queries())
	}
	d.Resolver.Server = "127.0.0.1:1" // nothing there
	d.Resolver.Timeout = 50 * time.Millisecond
	if _, err := d.DialContext(context.Background(), "tcp", "imap.example.test:993"); err == nil {
		t.Fatal("dialed without a resolver")
	}
}
