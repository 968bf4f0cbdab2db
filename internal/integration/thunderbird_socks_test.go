//go:build unix

package integration

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// tbProxy is the SOCKS5 proxy that every connection of a test's
// Thunderbird goes through (the profile's network.proxy prefs, with remote
// DNS, so Thunderbird resolves no names itself). It records each CONNECT
// request as "host:port" and either forwards it, when forward names an
// address for the host (an IP, dialled at the requested port, or an
// "ip:port", dialled as it is), or holds it: it never answers, so Thunderbird
// waits (no error dialog) and nothing leaves the machine.
type tbProxy struct {
	ln      net.Listener
	forward func(host string) (ip string, ok bool)
	// dial, when set, connects to the "host:port" Thunderbird asked for
	// (for a host forward accepts) instead of the address forward names:
	// a mailtest network's dialer (startTBNetworkProxy).
	dial func(ctx context.Context, network, address string) (net.Conn, error)

	mu     sync.Mutex
	seen   []string
	conns  map[net.Conn]bool
	closed bool
	wg     sync.WaitGroup
}

// startTBProxy starts a proxy on 127.0.0.1; forward may be nil (hold
// everything). It is closed when the test ends.
func startTBProxy(t *testing.T, forward func(host string) (string, bool)) *tbProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if forward == nil {
		forward = func(string) (string, bool) { return "", false }
	}
	p := &tbProxy{ln: ln, forward: forward, conns: make(map[net.Conn]bool)}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(p.close)
	return p
}

func (p *tbProxy) port() int { return p.ln.Addr().(*net.TCPAddr).Port }

func (p *tbProxy) close() {
	p.mu.Lock()
	p.closed = true
	_ = p.ln.Close()
	for c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// track registers c to be closed with the proxy; false if it is closed.
func (p *tbProxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		_ = c.Close()
		return false
	}
	p.conns[c] = true
	return true
}

func (p *tbProxy) untrack(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, c)
	_ = c.Close()
}

func (p *tbProxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer p.untrack(c)
			p.handle(c)
		}()
	}
}

// requests returns the CONNECT requests so far, in order.
func (p *tbProxy) requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.seen)
}

// waitFor waits until Thunderbird has asked to connect to hostPort.
func (p *tbProxy) waitFor(ctx context.Context, hostPort string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for !slices.Contains(p.requests(), hostPort) {
		select {
		case <-ctx.Done():
			return fmt.Errorf("got connections to %q after %v, want one to %s", p.requests(), timeout, hostPort)
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}

// handle serves one SOCKS5 client (RFC 1928, no authentication, CONNECT).
func (p *tbProxy) handle(c net.Conn) {
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	var head [2]byte
	if _, err := io.ReadFull(c, head[:]); err != nil || head[0] != 5 {
		return
	}
	if _, err := io.ReadFull(c, make([]byte, head[1])); err != nil {
		return
	}
	if _, err := c.Write([]byte{5, 0}); err != nil { // no authentication
		return
	}
	host, port, err := readSOCKSRequest(c)
	if err != nil {
		_, _ = c.Write([]byte{5, 7, 0, 1, 0, 0, 0, 0, 0, 0}) // command not supported
		return
	}
	hostPort := net.JoinHostPort(host, strconv.Itoa(port))
	p.mu.Lock()
	p.seen = append(p.seen, hostPort)
	p.mu.Unlock()

	ip, ok := p.forward(host)
	if !ok {
		// Hold: no answer until Thunderbird or the proxy closes.
		_ = c.SetDeadline(time.Time{})
		_, _ = io.Copy(io.Discard, c)
		return
	}
	target := net.JoinHostPort(ip, strconv.Itoa(port))
	if _, _, err := net.SplitHostPort(ip); err == nil {
		target = ip // the forward chose the port too
	}
	dial := (&net.Dialer{}).DialContext
	if p.dial != nil {
		dial, target = p.dial, hostPort
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	up, err := dial(ctx, "tcp", target)
	cancel()
	if err != nil {
		_, _ = c.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0}) // connection refused
		return
	}
	if !p.track(up) {
		return
	}
	defer p.untrack(up)
	if _, err := c.Write([]byte{5, 0, 0, 1, 0, 0, 0, 0, 0, 0}); err != nil {
		return
	}
	_ = c.SetDeadline(time.Time{})
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(up, c)
		if tc, ok := up.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
		close(done)
	}()
	_, _ = io.Copy(c, up)
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	<-done
}

func readSOCKSRequest(c net.Conn) (string, int, error) {
	var req [4]byte
	if _, err := io.ReadFull(c, req[:]); err != nil {
		return "", 0, err
	}
	if req[0] != 5 || req[1] != 1 { // CONNECT only
		return "", 0, fmt.Errorf("SOCKS request %v: want CONNECT", req)
	}
	var host string
	switch req[3] {
	case 1, 4: // IPv4, IPv6
		ip := make(net.IP, map[byte]int{1: 4, 4: 16}[req[3]])
		if _, err := io.ReadFull(c, ip); err != nil {
			return "", 0, err
		}
		host = ip.String()
	case 3: // domain name
		var n [1]byte
		if _, err := io.ReadFull(c, n[:]); err != nil {
			return "", 0, err
		}
		name := make([]byte, n[0])
		if _, err := io.ReadFull(c, name); err != nil {
			return "", 0, err
		}
		host = string(name)
	default:
		return "", 0, errors.New("unknown SOCKS address type")
	}
	var port [2]byte
	if _, err := io.ReadFull(c, port[:]); err != nil {
		return "", 0, err
	}
	return host, int(binary.BigEndian.Uint16(port[:])), nil
}
