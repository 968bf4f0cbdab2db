package netx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"time"

	"github.com/miekg/dns"

	"github.com/mailsetup/mailsetup/internal/i18n"
)

// HostResolver gives a host's addresses: the operating system's resolver,
// *net.Resolver (net.DefaultResolver reads /etc/hosts and follows
// nsswitch, search domains and the system's DNS configuration, VPN split
// DNS included).
type HostResolver interface {
	// LookupNetIP is (*net.Resolver).LookupNetIP.
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// RecordResolver is the operating system's record lookups, the system
// resolver's fallback when no nameserver can be found. *net.Resolver
// satisfies it.
type RecordResolver interface {
	HostResolver
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupSRV(ctx context.Context, service, proto, name string) (string, []*net.SRV, error)
	LookupTXT(ctx context.Context, name string) ([]string, error)
}

// ErrNoNameserver is wrapped by lookups the operating system's resolver
// cannot make (TLSA and other types than A, AAAA, MX, SRV and TXT), which
// are all that is left when no nameserver could be found.
var ErrNoNameserver error = i18n.Error("err.dns.no-nameserver")

// systemLookupHost asks r.Hosts for host's addresses.
func (r *Resolver) systemLookupHost(ctx context.Context, host string) ([]netip.Addr, error) {
	start := time.Now()
	// net.Resolver may still return a lookup it shares with another
	// caller after ctx ended; a cancelled run starts none.
	err := ctx.Err()
	var addrs []netip.Addr
	if err == nil {
		addrs, err = r.Hosts.LookupNetIP(ctx, "ip", host)
	}
	if err != nil {
		err = systemError(host, "A/AAAA", err)
		r.Trace.Say("trace.dns.hosts-error", host, err)
		return nil, err
	}
	var out []netip.Addr
	for _, a := range addrs {
		if a = a.Unmap(); a.IsValid() && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	r.Trace.Say("trace.dns.hosts", host, len(out), time.Since(start).Round(time.Millisecond))
	if len(out) == 0 {
		return nil, &DNSError{Name: dns.Fqdn(host), Type: "A/AAAA", Rcode: dns.RcodeSuccess, Err: i18n.Error("err.dns.no-addresses")}
	}
	return out, nil
}

// systemError converts an error of the operating system's resolver to a
// *DNSError: a name that does not exist wraps ErrNotFound; a cancelled
// or expired context stays visible to errors.Is.
func systemError(name, qtype string, err error) error {
	var de *net.DNSError
	if errors.As(err, &de) && de.IsNotFound {
		return &DNSError{Name: dns.Fqdn(name), Type: qtype, Rcode: dns.RcodeNameError, Err: ErrNotFound}
	}
	return &DNSError{Name: dns.Fqdn(name), Type: qtype, Rcode: -1, Err: fmt.Errorf("system resolver: %w", err)}
}

// fallbackLookup answers Lookup through r.Fallback, converting its
// answers to records. Its answers carry no AD bit.
func (r *Resolver) fallbackLookup(ctx context.Context, fqdn string, qtype uint16) (*Answer, error) {
	tname := dns.TypeToString[qtype]
	name := fqdn[:len(fqdn)-1]
	hdr := dns.RR_Header{Name: fqdn, Rrtype: qtype, Class: dns.ClassINET}
	start := time.Now()
	var (
		recs []dns.RR
		err  error
	)
	switch {
	case ctx.Err() != nil:
		err = ctx.Err()
	case qtype == dns.TypeA || qtype == dns.TypeAAAA:
		network := "ip4"
		if qtype == dns.TypeAAAA {
			network = "ip6"
		}
		var addrs []netip.Addr
		addrs, err = r.Fallback.LookupNetIP(ctx, network, name)
		for _, a := range addrs {
			if a = a.Unmap(); qtype == dns.TypeA && a.Is4() {
				recs = append(recs, &dns.A{Hdr: hdr, A: a.AsSlice()})
			} else if qtype == dns.TypeAAAA && a.Is6() {
				recs = append(recs, &dns.AAAA{Hdr: hdr, AAAA: a.AsSlice()})
			}
		}
	case qtype == dns.TypeMX:
		var mxs []*net.MX
		mxs, err = r.Fallback.LookupMX(ctx, name)
		for _, m := range mxs {
			recs = append(recs, &dns.MX{Hdr: hdr, Preference: m.Pref, Mx: dns.Fqdn(m.Host)})
		}
	case qtype == dns.TypeSRV:
		var srvs []*net.SRV
		_, srvs, err = r.Fallback.LookupSRV(ctx, "", "", name)
		for _, s := range srvs {
			recs = append(recs, &dns.SRV{Hdr: hdr, Priority: s.Priority, Weight: s.Weight, Port: s.Port, Target: dns.Fqdn(s.Target)})
		}
	case qtype == dns.TypeTXT:
		var txts []string
		txts, err = r.Fallback.LookupTXT(ctx, name)
		for _, t := range txts {
			recs = append(recs, &dns.TXT{Hdr: hdr, Txt: []string{t}})
		}
	default:
		err = &DNSError{Name: fqdn, Type: tname, Rcode: -1, Err: ErrNoNameserver}
		r.Trace.Say("trace.dns.error", tname, name, err)
		return nil, err
	}
	if err != nil {
		err = systemError(name, tname, err)
		r.Trace.Say("trace.dns.system-error", tname, name, err)
		return nil, err
	}
	r.Trace.Say("trace.dns.system-records", tname, name, len(recs), time.Since(start).Round(time.Millisecond))
	return &Answer{Records: recs}, nil
}
