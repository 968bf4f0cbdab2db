package probe

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/mailsetup/mailsetup/internal/netx"
)

// srvServices are the RFC 6186/8314 client services, most preferred first.
var srvServices = []string{"submissions", "submission", "imaps", "imap", "pop3s", "pop3"}

// SRVSet holds one service's SRV records.
type SRVSet struct {
	Service string     `json:"service"` // e.g. "_imaps._tcp"
	Records []netx.SRV `json:"records"`
	// NotOffered: the domain says it does not offer the service (target ".").
	NotOffered    bool   `json:"not_offered,omitempty"`
	Authenticated bool   `json:"dnssec,omitempty"`
	Error         string `json:"error,omitempty"`
}

// DNSReport is the DNS section of a report.
type DNSReport struct {
	Domain          string    `json:"domain"`
	MX              []netx.MX `json:"mx"`
	MXAuthenticated bool      `json:"mx_dnssec,omitempty"`
	MXError         string    `json:"mx_error,omitempty"`
	SRV             []SRVSet  `json:"srv"`
	// Inbound is about mail delivery to the domain (port 25), reported
	// for information only: it never affects a client's settings.
	Inbound Inbound `json:"inbound"`
}

// Inbound lists MTA-STS, TLS-RPT and DANE records for delivery to the MX.
type Inbound struct {
	MTASTS []string `json:"mta_sts,omitempty"`
	TLSRPT []string `json:"tls_rpt,omitempty"`
	// TLSA maps an MX host to its _25._tcp TLSA records.
	TLSA map[string][]string `json:"tlsa,omitempty"`
}

// lookupDNS gathers MX (sorted numerically), the client SRV records
// (sorted by priority, then weight) and the inbound records, concurrently.
func lookupDNS(ctx context.Context, r *netx.Resolver, domain string) *DNSReport {
	rep := &DNSReport{Domain: domain, MX: []netx.MX{}, SRV: make([]SRVSet, len(srvServices))}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wg.Go(func() {
		mx, ad, err := r.LookupMX(ctx, domain)
		if err != nil {
			rep.MXError = err.Error()
			return
		}
		rep.MX, rep.MXAuthenticated = mx, ad
		var inner sync.WaitGroup
		for _, m := range mx {
			inner.Go(func() {
				a, err := r.Lookup(ctx, "_25._tcp."+m.Host, dns.TypeTLSA)
				if err != nil || len(a.Records) == 0 {
					return
				}
				var recs []string
				for _, rr := range a.Records {
					if t, ok := rr.(*dns.TLSA); ok {
						recs = append(recs, fmt.Sprintf("%d %d %d %s", t.Usage, t.Selector, t.MatchingType, t.Certificate))
					}
				}
				mu.Lock()
				if rep.Inbound.TLSA == nil {
					rep.Inbound.TLSA = map[string][]string{}
				}
				rep.Inbound.TLSA[m.Host] = recs
				mu.Unlock()
			})
		}
		inner.Wait()
	})
	for i, svc := range srvServices {
		wg.Go(func() {
			set := SRVSet{Service: "_" + svc + "._tcp", Records: []netx.SRV{}}
			recs, ad, err := r.LookupSRV(ctx, svc, "tcp", domain)
			switch {
			case errors.Is(err, netx.ErrNotFound):
			case err != nil:
				set.Error = err.Error()
			default:
				set.Records, set.Authenticated = recs, ad
				set.NotOffered = len(recs) == 1 && recs[0].NotOffered()
			}
			rep.SRV[i] = set
		})
	}
	wg.Go(func() { rep.Inbound.MTASTS = txtWithPrefix(ctx, r, "_mta-sts."+domain, "v=STSv1") })
	wg.Go(func() { rep.Inbound.TLSRPT = txtWithPrefix(ctx, r, "_smtp._tls."+domain, "v=TLSRPTv1") })
	wg.Wait()
	return rep
}

func txtWithPrefix(ctx context.Context, r *netx.Resolver, name, prefix string) []string {
	txts, _, err := r.LookupTXT(ctx, name)
	if err != nil {
		return nil
	}
	var out []string
	for _, t := range txts {
		if strings.HasPrefix(strings.ToLower(t), strings.ToLower(prefix)) {
			out = append(out, t)
		}
	}
	return out
}
