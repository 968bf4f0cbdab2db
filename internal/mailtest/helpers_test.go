package mailtest

import (
	"bufio"
	"context"
	"crypto/tls"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// dial connects through the network's dialer with a generous timeout.
func dial(t *testing.T, n *Network, addr string) net.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := n.DialContext(ctx, "tcp", addr)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}

// dialTLS dials addr and completes a verified TLS handshake for its host.
func dialTLS(t *testing.T, n *Network, addr string) *tls.Conn {
	t.Helper()
	host, _, _ := net.SplitHostPort(addr)
	tc := tls.Client(dial(t, n, addr), n.TLSClientConfig(host))
	if err := tc.Handshake(); err != nil {
		t.Fatalf("tls %s: %v", addr, err)
	}
	return tc
}

// lineConn is a tiny line-oriented client for raw protocol tests.
type lineConn struct {
	t  *testing.T
	c  net.Conn
	br *bufio.Reader
}

func newLineConn(t *testing.T, c net.Conn) *lineConn {
	return &lineConn{t: t, c: c, br: bufio.NewReader(c)}
}

func (l *lineConn) send(s string) {
	l.t.Helper()
	if _, err := l.c.Write([]byte(s + "\r\n")); err != nil {
		l.t.Fatalf("send %q: %v", s, err)
	}
}

func (l *lineConn) line() string {
	l.t.Helper()
	s, err := l.br.ReadString('\n')
	if err != nil {
		l.t.Fatalf("read line: %v (got %q)", err, s)
	}
	return strings.TrimRight(s, "\r\n")
}

// multi reads a POP3 multi-line body up to the lone ".".
func (l *lineConn) multi() []string {
	l.t.Helper()
	var out []string
	for {
		s := l.line()
		if s == "." {
			return out
		}
		out = append(out, s)
	}
}

// upgrade switches the connection to verified TLS for host.
func (l *lineConn) upgrade(n *Network, host string) {
	l.t.Helper()
	if k := l.br.Buffered(); k != 0 {
		l.t.Fatalf("%d bytes buffered before TLS", k)
	}
	tc := tls.Client(l.c, n.TLSClientConfig(host))
	if err := tc.Handshake(); err != nil {
		l.t.Fatalf("starttls handshake: %v", err)
	}
	l.c, l.br = tc, bufio.NewReader(tc)
}

// exchange asks the test server, over UDP, retrying over TCP when the
// answer is truncated (miekg/dns does not do that itself).
func exchange(t *testing.T, n *Network, name string, qtype uint16) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	c := &dns.Client{Net: "udp", Timeout: 5 * time.Second}
	r, _, err := c.Exchange(m, n.ResolverAddr())
	if err != nil {
		t.Fatalf("udp query %s: %v", name, err)
	}
	if r.Truncated {
		c.Net = "tcp"
		r, _, err = c.Exchange(m, n.ResolverAddr())
		if err != nil {
			t.Fatalf("tcp query %s: %v", name, err)
		}
	}
	return r
}

func lastLog(t *testing.T, n *Network, target string) *ConnLog {
	t.Helper()
	logs := n.ConnLogsFor(target)
	if len(logs) == 0 {
		t.Fatalf("no connection logged for %s", target)
	}
	return logs[len(logs)-1]
}

// eventually polls cond (the servers log asynchronously to the client).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
