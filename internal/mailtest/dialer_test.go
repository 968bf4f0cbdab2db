package mailtest

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func TestDialerRefusesUnknown(t *testing.T) {
	n := Start(t)
	ctx := context.Background()
	for _, addr := range []string{"imap.example.test:25", "127.0.0.1:1", "10.0.0.1:993", "[::1]:993"} {
		_, err := n.DialContext(ctx, "tcp", addr)
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("%s: %v, want connection refused", addr, err)
		}
	}
	_, err := n.DialContext(ctx, "tcp", "nowhere.example.test:993")
	var de *net.DNSError
	if !errors.As(err, &de) || !de.IsNotFound {
		t.Fatalf("unknown name: %v", err)
	}
	n.DNS().SetSERVFAIL("imap.example.test", true)
	if _, err := n.DialContext(ctx, "tcp", "imap.example.test:993"); !errors.As(err, &de) || !de.IsTemporary {
		t.Fatalf("SERVFAIL name: %v", err)
	}
	if _, err := n.DialContext(ctx, "udp", "imap.example.test:993"); err == nil {
		t.Fatal("udp to a mail host")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := n.DialContext(cctx, "tcp", "mail.example.test:993"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ctx: %v", err)
	}
}

func TestDialerMapsNamesIPsAndRealAddrs(t *testing.T) {
	n := Start(t)
	eps := n.Endpoints()
	if len(eps) != 2+2+2+6+2+2+1 {
		t.Fatalf("%d endpoints: %v", len(eps), eps)
	}
	for _, addr := range []string{"imap.example.test:993", "mail.example.test:587", "pop.example.test:110",
		"smtp.example.test:465", "autoconfig.example.test:443", "example.test:80", "MX.example.test.:25"} {
		c := dial(t, n, addr)
		if _, ok := c.RemoteAddr().(*net.TCPAddr); !ok {
			t.Fatalf("%s: remote %T", addr, c.RemoteAddr())
		}
		c.Close()
	}
	// Resolve through the DNS server, then dial the IP.
	r := exchange(t, n, "imap.example.test", dns.TypeA)
	ip := r.Answer[0].(*dns.A).A.String()
	c := dial(t, n, net.JoinHostPort(ip, "993"))
	if c.RemoteAddr().String() != ip+":993" {
		t.Fatalf("remote %v", c.RemoteAddr())
	}
	tc := tls.Client(c, n.TLSClientConfig("imap.example.test"))
	if err := tc.Handshake(); err != nil {
		t.Fatal(err)
	}
	// The real listener address and the resolver work too.
	ep, ok := n.Endpoint("imap.example.test:143")
	if !ok {
		t.Fatal("no endpoint")
	}
	lc := newLineConn(t, dial(t, n, ep.Addr))
	if s := lc.line(); !strings.HasPrefix(s, "* OK") {
		t.Fatalf("greeting %q", s)
	}
	uc, err := n.DialContext(context.Background(), "udp", n.ResolverAddr())
	if err != nil {
		t.Fatal(err)
	}
	uc.Close()
	// Zone edits move hosts: point a new name at imap's address.
	n.DNS().AddCNAME("imap.other.test", "imap.example.test")
	dial(t, n, "imap.other.test:993").Close()
}

func TestAddHostsAndDomains(t *testing.T) {
	n := Start(t, Bare())
	if len(n.Endpoints()) != 0 || n.User().Username != "" {
		t.Fatal("bare network not empty")
	}
	n.AddMailDomain("corp.test")
	n.AddUser("bob@corp.test", "pw-bob")
	n.AddEndpoint("imap.corp.test", IMAP, 1143)
	n.AddHost("web.corp.test", HTTPS)
	n.SetTLS("web.corp.test", TLSSettings{Names: []string{"web.corp.test", "alt.corp.test"}})
	if n.User().Username != "bob@corp.test" {
		t.Fatalf("default user %v", n.User())
	}
	c := newLineConn(t, dial(t, n, "imap.corp.test:1143"))
	if s := c.line(); !strings.HasPrefix(s, "* OK") {
		t.Fatalf("greeting %q", s)
	}
	tc := dialTLS(t, n, "web.corp.test:443")
	if names := tc.ConnectionState().PeerCertificates[0].DNSNames; len(names) != 2 {
		t.Fatalf("names %v", names)
	}
	if r := exchange(t, n, "corp.test", dns.TypeMX); len(r.Answer) != 1 {
		t.Fatalf("MX %v", r.Answer)
	}
	if n.HostIP("imap.corp.test") == n.HostIP("smtp.corp.test") {
		t.Fatal("hosts share an address")
	}
}

func TestTLSSettingsOnMailEndpoints(t *testing.T) {
	n := Start(t)
	n.SetCertKind("imap.example.test", CertExpired)
	tc := tls.Client(dial(t, n, "imap.example.test:993"), n.TLSClientConfig("imap.example.test"))
	var ce x509.CertificateInvalidError
	if err := tc.Handshake(); !errors.As(err, &ce) || ce.Reason != x509.Expired {
		t.Fatalf("expired: %v", err)
	}
	n.SetTLS("smtp.example.test", TLSSettings{MaxVersion: tls.VersionTLS12})
	tc = dialTLS(t, n, "smtp.example.test:465")
	if v := tc.ConnectionState().Version; v != tls.VersionTLS12 {
		t.Fatalf("version %x", v)
	}
}

func TestTarpitTimesOut(t *testing.T) {
	n := Start(t)
	n.SetBehavior("imap.example.test:993", Behavior{Tarpit: true})
	c := dial(t, n, "imap.example.test:993")
	_ = c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	_, err := c.Read(make([]byte, 1))
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("read from tarpit: %v", err)
	}
	// Other ports of the host are unaffected.
	lc := newLineConn(t, dial(t, n, "imap.example.test:143"))
	lc.line()
	// A zero Behavior restores service.
	n.SetBehavior("imap.example.test:993", Behavior{})
	dialTLS(t, n, "imap.example.test:993")
}

func TestStallAfterGreeting(t *testing.T) {
	n := Start(t)
	n.SetBehavior("smtp.example.test", Behavior{StallAfterGreeting: true})
	c := newLineConn(t, dial(t, n, "smtp.example.test:587"))
	if s := c.line(); !strings.HasPrefix(s, "220 ") {
		t.Fatalf("greeting %q", s)
	}
	c.send("EHLO client.test")
	_ = c.c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if _, err := c.br.ReadString('\n'); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("stalled server answered: %v", err)
	}
	l := lastLog(t, n, "smtp.example.test:587")
	eventually(t, "EHLO logged", func() bool { return l.Sent("EHLO") })
}

func TestFlood(t *testing.T) {
	n := Start(t)
	n.SetBehavior("pop.example.test:995", Behavior{Flood: true})
	c := dialTLS(t, n, "pop.example.test:995")
	br := bufio.NewReaderSize(c, 64<<10)
	buf, err := br.Peek(64 << 10)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(buf), "+OK ") || strings.Contains(string(buf), "\n") {
		t.Fatalf("flood %q...", buf[:16])
	}
}

func TestCustomHandlerAndRewrite(t *testing.T) {
	n := Start(t)
	n.SetBehavior("pop.example.test:110", Behavior{Handler: func(c net.Conn, ep Endpoint) {
		_, _ = io.WriteString(c, "+OK hello from "+ep.String()+"\r\n")
	}})
	c := newLineConn(t, dial(t, n, "pop.example.test:110"))
	if s := c.line(); s != "+OK hello from pop.example.test:110" {
		t.Fatalf("handler %q", s)
	}
	// STARTTLS stripping via RewriteServerLine.
	n.SetBehavior("imap.example.test", Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		return strings.ReplaceAll(line, " STARTTLS", "")
	}})
	c = newLineConn(t, dial(t, n, "imap.example.test:143"))
	c.line()
	c.send("a CAPABILITY")
	if s := c.line(); strings.Contains(s, "STARTTLS") || !strings.HasPrefix(s, "* CAPABILITY") {
		t.Fatalf("caps %q", s)
	}
}

func TestLatency(t *testing.T) {
	n := Start(t, WithLatency(20*time.Millisecond))
	start := time.Now()
	c := newLineConn(t, dial(t, n, "imap.example.test:143"))
	c.line()
	c.send("a NOOP")
	c.line()
	if el := time.Since(start); el < 60*time.Millisecond {
		t.Fatalf("three latencies took only %v", el)
	}
	// A deadline still interrupts a delayed read.
	n.SetBehavior("pop.example.test", Behavior{Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := n.DialContext(ctx, "tcp", "pop.example.test:110"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("dial under latency: %v", err)
	}
	n.SetBehavior("pop.example.test", Behavior{Latency: 10 * time.Millisecond})
	pc := dial(t, n, "pop.example.test:995")
	_ = pc.SetReadDeadline(time.Now().Add(-time.Second))
	if _, err := pc.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("past deadline: %v", err)
	}
	_ = pc.SetReadDeadline(time.Time{})
	tc := tls.Client(pc, n.TLSClientConfig("pop.example.test"))
	lc := newLineConn(t, tc)
	if s := lc.line(); !strings.HasPrefix(s, "+OK") {
		t.Fatalf("greeting over latency: %q", s)
	}
}

// Everything started by a network stops with Close.
func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		n := Start(t, WithLatency(time.Millisecond))
		n.SetBehavior("imap.example.test:993", Behavior{Tarpit: true})
		n.HandleHTTP("example.test", "/", Route{Body: "x"})
		u := n.User()
		ctx := context.Background()
		var conns []net.Conn
		for _, addr := range []string{"imap.example.test:993", "imap.example.test:143", "smtp.example.test:587", "pop.example.test:995"} {
			c, err := n.DialContext(ctx, "tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		lc := newLineConn(t, dialTLS(t, n, "mail.example.test:995"))
		lc.line()
		lc.send("USER " + u.Username)
		lc.line()
		resp, err := n.HTTPClient().Get("https://example.test/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		n.DNS().SetDelay("slow.example.test", time.Hour)
		m := new(dns.Msg)
		m.SetQuestion("slow.example.test.", dns.TypeA)
		_, _, _ = (&dns.Client{Timeout: 20 * time.Millisecond}).Exchange(m, n.ResolverAddr())
		n.Close()
		for _, c := range conns {
			c.Close()
		}
		lc.c.Close()
	}()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines before, %d after Close:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
