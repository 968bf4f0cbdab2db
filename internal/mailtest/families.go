package mailtest

import (
	"net/netip"
	"strconv"
)

// VirtualIPv6Prefix is the unique-local prefix hosts' virtual IPv6
// addresses come from. The last 32 bits of a host's IPv6 address are its
// virtual IPv4 address. Nothing is ever bound to or dialed at these
// addresses for real: only the network's dialer knows them. Read-only.
var VirtualIPv6Prefix = netip.MustParsePrefix("fd6d:6169:6c74::/48")

// virtualIPv6 returns the IPv6 address paired with a virtual IPv4 address.
func virtualIPv6(ip4 netip.Addr) netip.Addr {
	b := VirtualIPv6Prefix.Addr().As16()
	v4 := ip4.As4()
	copy(b[12:], v4[:])
	return netip.AddrFrom16(b)
}

// Family is an IP address family of a host.
type Family int

// The address families.
const (
	IPv4 Family = 4
	IPv6 Family = 6
)

// String returns "IPv4" or "IPv6".
func (f Family) String() string {
	switch f {
	case IPv4:
		return "IPv4"
	case IPv6:
		return "IPv6"
	}
	return "Family(" + strconv.Itoa(int(f)) + ")"
}

// Reachability is what happens to connections dialed to one address family
// of a host; set it with Network.SetReachability.
type Reachability int

// The reachabilities. They apply to dials through the network's dialer by
// virtual address, and by name when no other address of the name is
// reachable; dials to the real listener address (Endpoint.Addr) are not
// affected.
const (
	// Reachable is the default: dials reach the host's listeners.
	Reachable Reachability = iota
	// Unreachable fails dials at once with a *net.OpError wrapping
	// ENETUNREACH ("connect: network is unreachable"), as when the client
	// has no route to the address.
	Unreachable
	// Refused fails dials at once with a *net.OpError wrapping
	// ECONNREFUSED, as when nothing listens on the address.
	Refused
	// Blackhole makes dials hang, as when packets are silently dropped,
	// until the dial's context is done (the error then wraps ctx.Err()) or
	// the network closes (connection refused). Give such dials a deadline.
	Blackhole
)

// String returns the reachability's name ("Reachable", "Blackhole", ...).
func (r Reachability) String() string {
	switch r {
	case Reachable:
		return "Reachable"
	case Unreachable:
		return "Unreachable"
	case Refused:
		return "Refused"
	case Blackhole:
		return "Blackhole"
	}
	return "Reachability(" + strconv.Itoa(int(r)) + ")"
}

// SetAddressFamilies chooses the address families of a registered host: v4
// puts its virtual IPv4 address in an A record and makes it dialable, v6
// does the same for its virtual IPv6 address with an AAAA record. A family
// turned off loses its record and its dialer mapping (dials to that
// address are then refused). New hosts are IPv4-only; (false, true) makes
// an IPv6-only host and (true, true) a dual-stack one. The addresses
// themselves never change. Other A/AAAA records at the name, added through
// DNS(), are left alone.
// It fails the test if the host is unknown or both families are off.
func (n *Network) SetAddressFamilies(hostName string, v4, v6 bool) {
	n.tb.Helper()
	if !v4 && !v6 {
		n.tb.Fatalf("mailtest: SetAddressFamilies(%q): a host needs at least one address family", hostName)
		return
	}
	type change struct {
		ip netip.Addr
		on bool
	}
	var (
		name    string
		changes []change
	)
	n.withHost(hostName, func(h *host) {
		name = h.name
		for _, f := range []struct {
			ip   netip.Addr
			has  *bool
			want bool
		}{{h.ip4, &h.has4, v4}, {h.ip6, &h.has6, v6}} {
			if *f.has == f.want {
				continue
			}
			*f.has = f.want
			if f.want {
				n.byIP[f.ip] = h
			} else {
				delete(n.byIP, f.ip)
			}
			changes = append(changes, change{f.ip, f.want})
		}
	})
	for _, c := range changes {
		n.dns.removeAddr(name, c.ip)
		if c.on {
			n.dns.AddA(name, c.ip)
		}
	}
}

// SetReachability sets what happens to new dials to one address family of
// a registered host (see Reachability); Reachable restores normal service.
// It is independent of SetAddressFamilies: the host keeps its DNS records,
// so a dual-stack host with an unreachable IPv6 address is
//
//	n.SetAddressFamilies(host, true, true)
//	n.SetReachability(host, mailtest.IPv6, mailtest.Unreachable)
//
// It fails the test if the host is unknown or f is not IPv4 or IPv6.
func (n *Network) SetReachability(hostName string, f Family, r Reachability) {
	n.tb.Helper()
	if f != IPv4 && f != IPv6 {
		n.tb.Fatalf("mailtest: SetReachability(%q): bad family %v", hostName, f)
		return
	}
	if r < Reachable || r > Blackhole {
		n.tb.Fatalf("mailtest: SetReachability(%q): bad reachability %v", hostName, r)
		return
	}
	n.withHost(hostName, func(h *host) {
		if f == IPv4 {
			h.reach4 = r
		} else {
			h.reach6 = r
		}
	})
}

// HostIPv6 returns the virtual IPv6 address of a registered host, the one
// in its AAAA record (invalid if the host is unknown or has no IPv6; see
// SetAddressFamilies).
func (n *Network) HostIPv6(name string) netip.Addr {
	n.mu.RLock()
	defer n.mu.RUnlock()
	if h := n.hosts[normHost(name)]; h != nil && h.has6 {
		return h.ip6
	}
	return netip.Addr{}
}

// reachability returns the reachability of ip, one of h's enabled
// addresses. Callers hold n.mu.
func (h *host) reachability(ip netip.Addr) Reachability {
	if ip.Is6() {
		return h.reach6
	}
	return h.reach4
}

// primaryIP returns the address a connection to the host's real listener
// reports: its IPv4 address, or its IPv6 address when it is IPv6-only.
// Callers hold n.mu.
func (h *host) primaryIP() netip.Addr {
	if !h.has4 && h.has6 {
		return h.ip6
	}
	return h.ip4
}

// infoLocked returns the public description of ep with the host's current
// addresses. Callers hold n.mu.
func (ep *endpoint) infoLocked() Endpoint {
	e := ep.Endpoint
	if ep.h.has4 {
		e.IP = ep.h.ip4
	}
	if ep.h.has6 {
		e.IPv6 = ep.h.ip6
	}
	return e
}

// endpointInfo is infoLocked for callers that do not hold n.mu.
func (n *Network) endpointInfo(ep *endpoint) Endpoint {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return ep.infoLocked()
}
