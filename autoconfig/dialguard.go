package autoconfig

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"sync"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// addrKind names the special range ip is in: "loopback", "link-local",
// "private" (RFC 1918, unique-local IPv6 and the shared 100.64.0.0/10),
// "unspecified" or "multicast"; "" for an ordinary public address.
func addrKind(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case ip.IsLoopback():
		return "loopback"
	case ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast():
		return "link-local"
	case ip.IsPrivate() || ip.Is4() && cgnat.Contains(ip):
		return "private"
	case ip.IsUnspecified() || ip.Is4() && ip.As4()[0] == 0:
		return "unspecified"
	case ip.IsMulticast() || ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "multicast"
	}
	return ""
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// dialGuard is the DialContext of discovery's HTTP client. Discovery
// follows hosts and redirects that DNS and web servers chose, so it must
// not become a way to reach the user's own machine or network (a cloud
// metadata service at 169.254.169.254, a router at 192.168.0.1): it
// resolves each host itself and connects only to addresses it allows,
// so the address checked is the address dialled and DNS rebinding cannot
// slip in between. It refuses IP-literal hosts, and addresses in a special
// range (addrKind) unless the address's own domain resolves into the same
// kind of range — a lab or company network where mail lives on private
// addresses. The one host exempt is an ISPDB the user named (--ispdb).
type dialGuard struct {
	resolver *netx.Resolver
	// dialer connects to one address ("ip:port").
	dialer netx.Dialer
	// domain is the address's domain (ASCII).
	domain string
	// exempt is a host the user named, reached wherever it is; "" for none.
	exempt string
	// note records in the trail which rule let a special address through.
	note func(ctx context.Context, target string, detail i18n.Msg)

	mu    sync.Mutex
	kinds map[string]bool // addrKind of the domain's addresses; nil until known
	noted sync.Map        // host -> struct{}: rule already in the trail
}

// errRefusedAddress is returned when every address of a host is refused.
type errRefusedAddress struct{ reason i18n.Msg }

func (e *errRefusedAddress) Error() string { return i18n.New(i18n.EN).Render(e.reason) }

// RenderIn implements i18n.Renderer.
func (e *errRefusedAddress) RenderIn(c *i18n.Catalog) string { return c.Render(e.reason) }

// DialContext resolves address's host and connects to its allowed
// addresses in turn.
func (g *dialGuard) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, i18n.Error("discover.err.dial", address, err)
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	exempt := g.exempt != "" && host == g.exempt
	if _, err := netip.ParseAddr(host); err == nil && !exempt {
		return nil, &errRefusedAddress{i18n.M("discover.err.refused-ip", host)}
	}
	addrs, err := g.resolver.LookupHost(ctx, host)
	if err != nil {
		return nil, i18n.Error("discover.err.dial", address, err)
	}
	var allowed []netip.Addr
	var refused []i18n.Msg
	for _, ip := range addrs {
		kind := addrKind(ip)
		switch {
		case kind == "":
			allowed = append(allowed, ip)
		case exempt:
			allowed = append(allowed, ip)
			g.noteOnce(ctx, host, i18n.M("discover.detail.guard-ispdb", ip.String(), kindMsg(kind), host))
		case g.domainKinds(ctx)[kind]:
			allowed = append(allowed, ip)
			g.noteOnce(ctx, host, i18n.M("discover.detail.guard-lab", ip.String(), kindMsg(kind), host, g.domain, kindMsg(kind)))
		default:
			refused = append(refused, i18n.M("discover.detail.guard-addr", ip.String(), kindMsg(kind)))
		}
	}
	if len(allowed) == 0 {
		return nil, &errRefusedAddress{i18n.M("discover.err.refused", host, commaList(refused), g.domain)}
	}
	var errs []error
	for _, ip := range allowed {
		c, err := g.dialer.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, errors.Join(errs...)
}

func (g *dialGuard) noteOnce(ctx context.Context, host string, detail i18n.Msg) {
	if _, dup := g.noted.LoadOrStore(host, struct{}{}); !dup && g.note != nil {
		g.note(ctx, host, detail)
	}
}

// domainKinds returns the special ranges the address's domain resolves
// into, asking once (a lookup cut short by ctx is asked again later).
func (g *dialGuard) domainKinds(ctx context.Context) map[string]bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.kinds != nil {
		return g.kinds
	}
	kinds := map[string]bool{}
	addrs, err := g.resolver.LookupHost(ctx, g.domain)
	for _, ip := range addrs {
		if k := addrKind(ip); k != "" {
			kinds[k] = true
		}
	}
	if err == nil || ctx.Err() == nil {
		g.kinds = kinds
	}
	return kinds
}

// sourceKey carries the source a fetch is made for, for the trail.
type sourceKey struct{}

func withSource(ctx context.Context, src account.Source) context.Context {
	return context.WithValue(ctx, sourceKey{}, src)
}

func sourceOf(ctx context.Context) account.Source {
	if s, ok := ctx.Value(sourceKey{}).(account.Source); ok {
		return s
	}
	return account.SourceAutoconfig
}
