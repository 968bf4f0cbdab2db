package mailtest

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// DialContext connects to address ("host:port", "ipv4:port" or
// "[ipv6]:port") inside the network; it implements netx.Dialer. Names are
// resolved from the zone; each address is mapped to its endpoint by
// (virtual IP, port), subject to the host's Reachability for that address
// family. A name is dialed at the first of its addresses (A records before
// AAAA) that is reachable and serves the port; when none is, the dial fails
// the way the first address does. "tcp4" and "tcp6" restrict the dial to
// that family. The real listener addresses (Endpoint.Addr, ResolverAddr)
// may also be dialed directly, and "udp" is allowed only to ResolverAddr.
// Anything else fails at once with a connection-refused *net.OpError. The
// dial honours ctx, including during injected latency and Blackhole.
func (n *Network) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Addr: strAddr{network, address}, Err: err}
	}
	select {
	case <-n.done:
		return nil, refused(network, address)
	default:
	}
	switch network {
	case "udp", "udp4", "udp6":
		if address != n.dns.Addr() {
			return nil, refused(network, address)
		}
		var d net.Dialer
		return d.DialContext(ctx, network, address)
	case "tcp", "tcp4", "tcp6":
	default:
		return nil, &net.OpError{Op: "dial", Net: network, Addr: strAddr{network, address},
			Err: fmt.Errorf("mailtest: unsupported network %q", network)}
	}
	if address == n.dns.Addr() {
		var d net.Dialer
		return d.DialContext(ctx, network, address)
	}
	n.mu.RLock()
	ep := n.byReal[address]
	var primary netip.Addr
	if ep != nil {
		primary = ep.h.primaryIP()
	}
	n.mu.RUnlock()
	if ep != nil {
		return n.dialEndpoint(ctx, ep, netip.AddrPortFrom(primary, uint16(ep.Port)))
	}

	h, p, err := net.SplitHostPort(address)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Addr: strAddr{network, address}, Err: err}
	}
	port, err := strconv.ParseUint(p, 10, 16)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Addr: strAddr{network, address},
			Err: fmt.Errorf("mailtest: bad port %q: %w", p, err)}
	}
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(h); err == nil {
		ips = []netip.Addr{ip.Unmap().WithZone("")}
	} else {
		ips, err = n.dns.lookupIP(h)
		if err != nil {
			return nil, &net.OpError{Op: "dial", Net: network, Addr: strAddr{network, address}, Err: err}
		}
	}
	if network != "tcp" {
		kept := ips[:0:0]
		for _, ip := range ips {
			if ip.Is4() == (network == "tcp4") {
				kept = append(kept, ip)
			}
		}
		if ips = kept; len(ips) == 0 {
			return nil, &net.OpError{Op: "dial", Net: network, Addr: strAddr{network, address},
				Err: &net.AddrError{Err: "no suitable address found", Addr: h}}
		}
	}
	var (
		firstAP    netip.AddrPort
		firstReach = Refused
	)
	for i, ip := range ips {
		ap := netip.AddrPortFrom(ip, uint16(port))
		reach := Refused
		var ep *endpoint
		n.mu.RLock()
		if hst := n.byIP[ip]; hst != nil {
			reach, ep = hst.reachability(ip), hst.endpoints[int(port)]
		}
		n.mu.RUnlock()
		if reach == Reachable && ep != nil {
			return n.dialEndpoint(ctx, ep, ap)
		}
		if reach == Reachable {
			reach = Refused
		}
		if i == 0 {
			firstAP, firstReach = ap, reach
		}
	}
	switch firstReach {
	case Unreachable:
		return nil, &net.OpError{Op: "dial", Net: network, Addr: net.TCPAddrFromAddrPort(firstAP),
			Err: os.NewSyscallError("connect", syscall.ENETUNREACH)}
	case Blackhole:
		select {
		case <-ctx.Done():
			return nil, &net.OpError{Op: "dial", Net: network, Addr: net.TCPAddrFromAddrPort(firstAP), Err: ctx.Err()}
		case <-n.done:
		}
	}
	return nil, refused(network, address)
}

// Dial is DialContext with context.Background().
func (n *Network) Dial(network, address string) (net.Conn, error) {
	return n.DialContext(context.Background(), network, address)
}

func (n *Network) dialEndpoint(ctx context.Context, ep *endpoint, virtual netip.AddrPort) (net.Conn, error) {
	lat := n.behaviorFor(ep).Latency
	if lat > 0 {
		t := time.NewTimer(lat)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, &net.OpError{Op: "dial", Net: "tcp", Addr: net.TCPAddrFromAddrPort(virtual), Err: ctx.Err()}
		}
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", ep.Addr)
	if err != nil {
		return nil, fmt.Errorf("mailtest: dial %s (%s): %w", ep, ep.Addr, err)
	}
	remote := net.TCPAddrFromAddrPort(virtual)
	if lat <= 0 {
		return &addrConn{Conn: c, remote: remote}, nil
	}
	lc := &latencyConn{Conn: c, remote: remote, latency: lat, wake: make(chan struct{}, 1), closed: make(chan struct{})}
	go lc.pump()
	return lc, nil
}

// HTTPClient returns a new *http.Client that dials through the network and
// trusts only its CA (HTTP/1.1, no proxy). Its idle connections are closed
// when the network closes.
func (n *Network) HTTPClient() *http.Client {
	tr := &http.Transport{
		DialContext:     n.DialContext,
		TLSClientConfig: &tls.Config{RootCAs: n.ca.Pool()},
		MaxIdleConns:    10,
		IdleConnTimeout: 30 * time.Second,
	}
	n.mu.Lock()
	n.clients = append(n.clients, tr)
	n.mu.Unlock()
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// TLSClientConfig returns a client TLS configuration that trusts only the
// network's CA and verifies serverName.
func (n *Network) TLSClientConfig(serverName string) *tls.Config {
	return n.ca.ClientTLSConfig(serverName)
}

func refused(network, address string) error {
	return &net.OpError{Op: "dial", Net: network, Addr: strAddr{network, address},
		Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
}

// strAddr is a net.Addr for addresses that are not resolved.
type strAddr struct{ net, addr string }

func (a strAddr) Network() string { return a.net }
func (a strAddr) String() string  { return a.addr }

// addrConn reports the virtual remote address.
type addrConn struct {
	net.Conn
	remote net.Addr
}

func (c *addrConn) RemoteAddr() net.Addr { return c.remote }

// latencyConn delays everything it receives by latency. A pump goroutine
// reads the real connection and time-stamps chunks; Read hands a chunk out
// only once latency has passed since it arrived, honouring the read
// deadline and Close.
type latencyConn struct {
	net.Conn
	remote  net.Addr
	latency time.Duration
	wake    chan struct{}
	closed  chan struct{}
	once    sync.Once

	mu       sync.Mutex
	queue    []chunk
	err      error
	deadline time.Time
}

type chunk struct {
	b  []byte
	at time.Time
}

func (c *latencyConn) RemoteAddr() net.Addr { return c.remote }

func (c *latencyConn) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *latencyConn) pump() {
	for {
		buf := make([]byte, 32<<10)
		k, err := c.Conn.Read(buf)
		c.mu.Lock()
		if k > 0 {
			c.queue = append(c.queue, chunk{buf[:k], time.Now()})
		}
		if err != nil {
			c.err = err
		}
		c.mu.Unlock()
		c.signal()
		if err != nil {
			return
		}
	}
}

func (c *latencyConn) opErr(err error) error {
	return &net.OpError{Op: "read", Net: "tcp", Source: c.LocalAddr(), Addr: c.remote, Err: err}
}

// Read implements net.Conn.
func (c *latencyConn) Read(b []byte) (int, error) {
	for {
		select {
		case <-c.closed:
			return 0, c.opErr(net.ErrClosed)
		default:
		}
		c.mu.Lock()
		now := time.Now()
		if !c.deadline.IsZero() && !now.Before(c.deadline) {
			c.mu.Unlock()
			return 0, c.opErr(os.ErrDeadlineExceeded)
		}
		wait := time.Duration(-1)
		if len(c.queue) > 0 {
			ready := c.queue[0].at.Add(c.latency)
			if !now.Before(ready) {
				k := copy(b, c.queue[0].b)
				if k == len(c.queue[0].b) {
					c.queue = c.queue[1:]
				} else {
					c.queue[0].b = c.queue[0].b[k:]
				}
				c.mu.Unlock()
				return k, nil
			}
			wait = ready.Sub(now)
		} else if c.err != nil {
			err := c.err
			c.mu.Unlock()
			return 0, err
		}
		if !c.deadline.IsZero() {
			if d := c.deadline.Sub(now); wait < 0 || d < wait {
				wait = d
			}
		}
		c.mu.Unlock()
		var timer *time.Timer
		var tc <-chan time.Time
		if wait >= 0 {
			timer = time.NewTimer(wait)
			tc = timer.C
		}
		select {
		case <-c.wake:
		case <-tc:
		case <-c.closed:
		}
		if timer != nil {
			timer.Stop()
		}
	}
}

// SetDeadline implements net.Conn.
func (c *latencyConn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.Conn.SetWriteDeadline(t)
}

// SetReadDeadline implements net.Conn.
func (c *latencyConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	c.signal()
	return nil
}

// Close implements net.Conn.
func (c *latencyConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return c.Conn.Close()
}
