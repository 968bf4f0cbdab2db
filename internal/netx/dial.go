package netx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"
)

// DefaultConnectTimeout bounds one TCP connect attempt to one address.
const DefaultConnectTimeout = 5 * time.Second

// ResolvingDialer resolves host names through Resolver.LookupHost, then
// connects to each address in turn until one answers. It is how production
// code reaches servers, so that --resolver covers host addresses as well as
// MX, SRV and TXT lookups, and without it the operating system's resolver
// (/etc/hosts, search domains, split DNS) gives them.
type ResolvingDialer struct {
	Resolver *Resolver
	// Dialer makes the TCP connections; a *net.Dialer when nil.
	Dialer Dialer
	// ConnectTimeout bounds each address's attempt; DefaultConnectTimeout when zero.
	ConnectTimeout time.Duration
	// Trace, when set, receives a line per attempt.
	Trace *Tracer
}

// DialContext implements Dialer.
func (d *ResolvingDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, portStr, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("dial %s: bad port %q", address, portStr)
	}
	addrs, err := d.Resolver.LookupHost(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	var errs []error
	for _, ip := range addrs {
		c, err := d.dialOne(ctx, network, netip.AddrPortFrom(ip, uint16(port)))
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("dial %s: %w", address, errors.Join(errs...))
}

func (d *ResolvingDialer) dialOne(ctx context.Context, network string, ap netip.AddrPort) (net.Conn, error) {
	timeout := d.ConnectTimeout
	if timeout <= 0 {
		timeout = DefaultConnectTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var dialer Dialer = &net.Dialer{}
	if d.Dialer != nil {
		dialer = d.Dialer
	}
	start := time.Now()
	c, err := dialer.DialContext(ctx, network, ap.String())
	if err != nil {
		d.Trace.Say("trace.connect.error", ap, err)
		return nil, err
	}
	d.Trace.Say("trace.connect.ok", ap, time.Since(start).Round(time.Millisecond))
	return c, nil
}
