package netx

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"github.com/mailsetup/mailsetup/internal/i18n"
)

// DefaultQueryTimeout bounds one DNS exchange (one server, one transport).
const DefaultQueryTimeout = 3 * time.Second

// maxUDPSize is the EDNS0 buffer size we advertise.
const maxUDPSize = 1232

// ErrNotFound is wrapped by lookups of names that do not exist (NXDOMAIN).
var ErrNotFound error = i18n.Error("err.dns.not-found")

// DNSError describes a failed lookup.
type DNSError struct {
	Name  string // the queried name
	Type  string // the record type, e.g. "MX"
	Rcode int    // the DNS response code, or -1 when no answer arrived
	Err   error  // the cause
}

func (e *DNSError) Error() string {
	return fmt.Sprintf("dns lookup %s %s: %v", e.Type, trimDot(e.Name), e.Err)
}

func trimDot(name string) string { return strings.TrimSuffix(name, ".") }

func (e *DNSError) Unwrap() error { return e.Err }

// Resolver makes mailsetup's DNS lookups. It asks over UDP with EDNS0 and
// the AD bit set, retries over TCP when an answer is truncated, and
// reports whether the server vouched for the answer with the AD
// (authenticated data) bit — but only when the resolver is trusted to
// validate (TrustAD). It is safe for concurrent use.
//
// It works in one of two modes:
//   - one server (Server set: --resolver, and tests): every query, host
//     addresses included, goes to that server;
//   - the system's (NewSystemResolver, mailsetup's default): host
//     addresses come from the operating system's resolver (Hosts), so
//     /etc/hosts, nsswitch, search domains and VPN split DNS apply, and
//     record lookups go to the system's nameservers (Servers), each tried
//     in turn on a timeout, SERVFAIL or refusal; with no nameserver they
//     fall back to the operating system's record lookups (Fallback).
type Resolver struct {
	// Server is host:port of the one DNS server every query goes to.
	// When set, Servers, Hosts and Fallback are not used.
	Server string
	// Servers are the nameservers record lookups try, in order, when
	// Server is empty. An answer (records, no records or NXDOMAIN) ends
	// a lookup; no answer in time, a network error, SERVFAIL, REFUSED
	// and other failure codes move on to the next server.
	Servers []string
	// Attempts is how many rounds over Servers a lookup makes; 1 when
	// zero.
	Attempts int
	// Timeout bounds each exchange; DefaultQueryTimeout when zero.
	Timeout time.Duration
	// Hosts, when set and Server is empty, gives host addresses
	// (LookupHost) instead of A and AAAA queries: the system resolver
	// sets it to net.DefaultResolver.
	Hosts HostResolver
	// Fallback, when set and Server and Servers are empty, answers record
	// lookups: the operating system's resolver, where no nameserver could
	// be found. It cannot report the AD bit or look up TLSA records.
	Fallback RecordResolver
	// Source names where the system configuration came from, for -v.
	Source string
	// Trace, when set, receives a line per query and answer.
	Trace *Tracer
	// TrustAD believes the AD bit of this server's answers. Like glibc,
	// mailsetup believes it only where the user said the server validates
	// DNSSEC: resolv.conf's "options trust-ad" for the system resolver, or
	// --trust-ad. Without it every answer is unauthenticated, whatever
	// its AD bit says: anyone on the path can set the bit of a plain UDP
	// answer.
	TrustAD bool
	// ADRule says in words why TrustAD is set or not, for the discovery
	// trail and -v, e.g. "--trust-ad" or "resolv.conf has no 'options
	// trust-ad'; pass --trust-ad". Empty for a resolver built in code.
	ADRule string

	// preferred is the index in Servers a lookup starts at: after a
	// server gave no answer and a later one did, the later one, so a
	// dead nameserver costs its timeout once per run, not per lookup.
	preferred atomic.Int32
}

// Rules for the AD bit, as ADRule states them.
const (
	ADRuleFlag           = "--trust-ad"
	ADRuleResolvConf     = "resolv.conf has 'options trust-ad'"
	ADRuleNoResolvConf   = "resolv.conf has no 'options trust-ad'; pass --trust-ad"
	ADRuleResolverNoFlag = "--resolver without --trust-ad"
)

// NewResolver returns a Resolver for server ("host" or "host:port", port 53
// by default), whose AD bit is not trusted (set TrustAD for --trust-ad).
// An empty server means the system's resolver:
// NewSystemResolver(SystemSource(), net.DefaultResolver).
func NewResolver(server string) (*Resolver, error) {
	if server == "" {
		return NewSystemResolver(SystemSource(), net.DefaultResolver), nil
	}
	addr, err := ParseServerAddr(server, 53)
	if err != nil {
		return nil, fmt.Errorf("resolver: %w", err)
	}
	return &Resolver{Server: addr, ADRule: ADRuleResolverNoFlag}, nil
}

// ParseServerAddr accepts "host", "host:port", "[v6]:port" or a bare IPv6
// address and returns host:port with defaultPort filled in.
func ParseServerAddr(s string, defaultPort int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", &AddrError{Code: "empty"}
	}
	if ip, err := netip.ParseAddr(s); err == nil {
		return netip.AddrPortFrom(ip, uint16(defaultPort)).String(), nil
	}
	host, port := s, fmt.Sprint(defaultPort)
	if h, p, err := net.SplitHostPort(s); err == nil {
		host, port = h, p
	} else if strings.Contains(s, ":") && !strings.HasPrefix(s, "[") {
		return "", &AddrError{Code: "syntax", Input: s, Err: err}
	}
	if host == "" {
		return "", &AddrError{Code: "host", Input: s}
	}
	var n int
	if _, err := fmt.Sscanf(port, "%d", &n); err != nil || n < 1 || n > 65535 || fmt.Sprint(n) != port {
		return "", &AddrError{Code: "port", Input: s, Port: port}
	}
	return net.JoinHostPort(host, port), nil
}

// AddrError is ParseServerAddr's error: what is wrong with the input.
// Its code names the catalogue message ("err.resolver." + Code), so
// cmd shows it in the user's language (i18n.Coded).
type AddrError struct {
	// Code is "empty", "syntax" (Err says more), "host" or "port".
	Code  string
	Input string
	Port  string
	Err   error
}

func (e *AddrError) Error() string {
	switch e.Code {
	case "empty":
		return "empty address"
	case "syntax":
		return fmt.Sprintf("%q: %v", e.Input, e.Err)
	case "host":
		return fmt.Sprintf("%q: missing host", e.Input)
	}
	return fmt.Sprintf("%q: bad port %q", e.Input, e.Port)
}

func (e *AddrError) Unwrap() error { return e.Err }

// ErrorCode implements i18n.Coded.
func (e *AddrError) ErrorCode() string { return "resolver." + e.Code }

// ErrorArgs implements i18n.Coded.
func (e *AddrError) ErrorArgs() []any {
	switch e.Code {
	case "empty":
		return nil
	case "port":
		return []any{e.Input, e.Port}
	}
	return []any{e.Input}
}

// NewSystemResolver returns the system's resolver: host addresses from
// hosts (the operating system's resolver), record lookups to the
// nameservers src names with its timeout and attempts, trusted for the
// AD bit when src says so ("options trust-ad"). When src names no
// nameserver, record lookups go to hosts's own record lookups if it has
// them (*net.Resolver does).
func NewSystemResolver(src ConfigSource, hosts HostResolver) *Resolver {
	sys, err := src.DNSConfig()
	r := &Resolver{
		Servers: sys.Servers, Timeout: sys.Timeout, Attempts: sys.Attempts, Hosts: hosts,
		TrustAD: sys.TrustAD, ADRule: sys.ADRule, Source: sys.Source,
	}
	if r.ADRule == "" {
		r.ADRule = ADRuleNoSystemTrust
	}
	if len(sys.Servers) == 0 {
		if rr, ok := hosts.(RecordResolver); ok {
			r.Fallback = rr
		}
		if err != nil {
			r.Source = err.Error()
		}
	}
	return r
}

// Describe says in one line where this resolver sends its queries, for
// the -v trace.
func (r *Resolver) Describe() string { return i18n.New(i18n.EN).Render(r.DescribeMsg()) }

// DescribeMsg is Describe as a catalogue message, for the trace in the
// run's language.
func (r *Resolver) DescribeMsg() i18n.Msg {
	switch {
	case r.Server != "":
		return i18n.M("trace.dns.server", r.Server)
	case len(r.Servers) > 0:
		return i18n.M("trace.dns.system", strings.Join(r.Servers, ", "), r.Source, r.timeout(), r.attempts())
	case r.Fallback != nil:
		return i18n.M("trace.dns.fallback", r.Source)
	}
	return i18n.M("trace.dns.none")
}

func (r *Resolver) attempts() int { return max(r.Attempts, 1) }

func (r *Resolver) timeout() time.Duration {
	if r.Timeout > 0 {
		return r.Timeout
	}
	return DefaultQueryTimeout
}

// Answer is a DNS response with the part callers need.
type Answer struct {
	// Records are the answer-section records of the queried type, with
	// CNAMEs followed within the answer.
	Records []dns.RR
	// Authenticated is the AD bit of an answer from a resolver trusted to
	// validate (Resolver.TrustAD): the answer is DNSSEC-validated.
	Authenticated bool
	// ADIgnored reports an AD bit that was set by a resolver not trusted
	// to validate, and therefore ignored.
	ADIgnored bool
	// Server is host:port of the nameserver that answered; "" for an
	// answer of the operating system's resolver (Resolver.Fallback).
	Server string
}

// DNSSEC returns what the answer says about DNSSEC validation.
func (a *Answer) DNSSEC() DNSSEC {
	return DNSSEC{Authenticated: a.Authenticated, ADIgnored: a.ADIgnored, Server: a.Server}
}

// DNSSEC is what one lookup learned about DNSSEC validation.
type DNSSEC struct {
	// Authenticated: a trusted resolver set the AD bit.
	Authenticated bool
	// ADIgnored: the AD bit was set, but the resolver is not trusted to
	// validate, so the answer counts as unauthenticated.
	ADIgnored bool
	// Server is host:port of the nameserver that answered, when known.
	Server string
}

// ADNote says in words which rule applied to an answer's AD bit, for the
// discovery trail: "" when the bit was not set, "DNSSEC-validated by a
// trusted resolver (--trust-ad)", or "AD bit ignored: resolver 192.0.2.1
// is not marked trusted (...)".
func (r *Resolver) ADNote(s DNSSEC) string { return i18n.New(i18n.EN).Render(r.ADNoteMsg(s)) }

// ADNoteMsg is ADNote as a catalogue message, to be shown in any
// language; the zero Msg when the AD bit was not set.
func (r *Resolver) ADNoteMsg(s DNSSEC) i18n.Msg {
	rule := any("")
	if r.ADRule != "" {
		rule = i18n.M("discover.adrule.paren", ADRuleMsg(r.ADRule))
	}
	switch {
	case s.Authenticated:
		return i18n.M("discover.ad.validated", rule)
	case s.ADIgnored:
		host := cmp.Or(s.Server, r.Server)
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		return i18n.M("discover.ad.ignored", host, rule)
	}
	return i18n.Msg{}
}

// ADRuleMsg names one of the AD rules (ADRuleFlag, ...) through the
// catalogue; another rule is returned as it is.
func ADRuleMsg(rule string) any {
	switch rule {
	case ADRuleFlag:
		return i18n.M("discover.adrule.flag")
	case ADRuleResolvConf:
		return i18n.M("discover.adrule.resolvconf")
	case ADRuleNoResolvConf:
		return i18n.M("discover.adrule.no-resolvconf")
	case ADRuleResolverNoFlag:
		return i18n.M("discover.adrule.resolver-no-flag")
	case ADRuleNoSystemTrust:
		return i18n.M("discover.adrule.no-system-trust")
	}
	return rule
}

// Lookup asks for records of qtype at name. NXDOMAIN returns an error
// wrapping ErrNotFound; an existing name without such records returns an
// empty Answer and no error.
func (r *Resolver) Lookup(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	fqdn := dns.Fqdn(name)
	tname := dns.TypeToString[qtype]
	fail := func(rcode int, err error) (*Answer, error) {
		r.Trace.Say("trace.dns.error", tname, name, err)
		return nil, &DNSError{Name: fqdn, Type: tname, Rcode: rcode, Err: err}
	}
	if _, ok := dns.IsDomainName(fqdn); !ok {
		return fail(-1, i18n.Error("err.dns.not-domain"))
	}
	if r.Server == "" && len(r.Servers) == 0 {
		if r.Fallback == nil {
			return fail(-1, i18n.Error("err.dns.no-server"))
		}
		return r.fallbackLookup(ctx, fqdn, qtype)
	}
	q := new(dns.Msg)
	q.SetQuestion(fqdn, qtype)
	q.RecursionDesired = true
	q.AuthenticatedData = true
	q.SetEdns0(maxUDPSize, false)

	start := time.Now()
	resp, server, transport, err := r.query(ctx, q)
	if err != nil {
		rcode := -1
		if resp != nil {
			rcode = resp.Rcode
		}
		return fail(rcode, err)
	}
	if resp.Rcode == dns.RcodeNameError {
		return fail(resp.Rcode, ErrNotFound)
	}
	ans := &Answer{
		Authenticated: resp.AuthenticatedData && r.TrustAD,
		ADIgnored:     resp.AuthenticatedData && !r.TrustAD,
		Records:       follow(resp.Answer, fqdn, qtype),
		Server:        server,
	}
	if note := r.ADNoteMsg(ans.DNSSEC()); !note.IsZero() {
		r.Trace.Say("trace.dns.records-note", tname, name, server, transport, len(ans.Records), note, time.Since(start).Round(time.Millisecond))
	} else {
		r.Trace.Say("trace.dns.records", tname, name, server, transport, len(ans.Records), time.Since(start).Round(time.Millisecond))
	}
	return ans, nil
}

// query asks the servers in turn (the one Server, or Servers for
// Attempts rounds, starting at the preferred one) until one answers with
// NOERROR or NXDOMAIN. On failure the response is the last one that
// arrived with a failure code, if any, and err says what each server did.
func (r *Resolver) query(ctx context.Context, q *dns.Msg) (resp *dns.Msg, server, transport string, err error) {
	servers := r.Servers
	if r.Server != "" {
		servers = []string{r.Server}
	}
	first := 0
	if r.Server == "" {
		first = int(r.preferred.Load()) % len(servers)
	}
	tries := r.attempts() * len(servers)
	var (
		errs    []error
		failed  *dns.Msg
		silence bool // a server gave no answer
	)
	for try := range tries {
		i := (first + try) % len(servers)
		server = servers[i]
		resp, transport, err = r.exchange(ctx, server, q)
		if err == nil && (resp.Rcode == dns.RcodeSuccess || resp.Rcode == dns.RcodeNameError) {
			if silence && r.Server == "" && i != first {
				r.preferred.Store(int32(i))
			}
			return resp, server, transport, nil
		}
		if err == nil {
			failed = resp
			err = i18n.Error("err.dns.answered", server, dns.RcodeToString[resp.Rcode])
		} else {
			silence = true
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
		if try+1 < tries {
			r.Trace.Say("trace.dns.retry", dns.TypeToString[q.Question[0].Qtype], q.Question[0].Name, err, servers[(i+1)%len(servers)])
		}
	}
	if len(errs) == 1 {
		return failed, server, transport, errs[0]
	}
	// One line, each cause still visible to errors.Is and errors.As.
	return failed, server, transport, i18n.Errors(errs)
}

// exchange sends q to server over UDP, then over TCP if the answer was
// truncated.
func (r *Resolver) exchange(ctx context.Context, server string, q *dns.Msg) (*dns.Msg, string, error) {
	resp, err := r.exchangeOver(ctx, server, "udp", q)
	if err != nil {
		return nil, "udp", err
	}
	if !resp.Truncated {
		return resp, "udp", nil
	}
	r.Trace.Say("trace.dns.truncated", q.Question[0].Name)
	resp, err = r.exchangeOver(ctx, server, "tcp", q)
	return resp, "tcp", err
}

func (r *Resolver) exchangeOver(ctx context.Context, server, network string, q *dns.Msg) (*dns.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	c := &dns.Client{Net: network, UDPSize: maxUDPSize, Timeout: r.timeout()}
	resp, err := func() (*dns.Msg, error) {
		conn, err := c.DialContext(ctx, server)
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		// miekg/dns applies only the context's deadline; closing the
		// connection aborts a pending read when ctx is cancelled.
		stop := context.AfterFunc(ctx, func() { conn.Close() })
		defer stop()
		if network != "udp" {
			resp, _, err := c.ExchangeWithConnContext(ctx, q, conn)
			return resp, err
		}
		return r.udpExchange(ctx, conn, q)
	}()
	if err != nil {
		switch ctxErr := ctx.Err(); {
		case errors.Is(ctxErr, context.Canceled):
			return nil, fmt.Errorf("asking %s over %s: %w", server, network, ctxErr)
		case ctxErr != nil || errors.Is(err, os.ErrDeadlineExceeded):
			return nil, fmt.Errorf("no answer from %s over %s within %s: %w", server, network, r.timeout(), context.DeadlineExceeded)
		}
		return nil, fmt.Errorf("asking %s over %s: %w", server, network, err)
	}
	if resp.Id != q.Id {
		return nil, fmt.Errorf("answer from %s has the wrong id", server)
	}
	return resp, nil
}

// udpRetransmit is how long a UDP query waits before it is sent again.
// Lost datagrams are normal (busy resolvers drop them); like the C
// library's resolver, mailsetup repeats the question on the same socket
// rather than failing, and still accepts a late answer to an earlier copy.
func (r *Resolver) udpRetransmit() time.Duration {
	return max(r.timeout()/3, 50*time.Millisecond)
}

// udpExchange sends q and waits for its answer until ctx ends, sending q
// again every udpRetransmit. Answers with another id are ignored.
func (r *Resolver) udpExchange(ctx context.Context, conn *dns.Conn, q *dns.Msg) (*dns.Msg, error) {
	deadline, _ := ctx.Deadline()
	for {
		if err := conn.WriteMsg(q); err != nil {
			return nil, err
		}
		wait := time.Now().Add(r.udpRetransmit())
		if wait.After(deadline) {
			wait = deadline
		}
		for {
			if err := conn.SetReadDeadline(wait); err != nil {
				return nil, err
			}
			resp, err := conn.ReadMsg()
			if err != nil {
				if errors.Is(err, os.ErrDeadlineExceeded) && time.Now().Before(deadline) && ctx.Err() == nil {
					break // send again
				}
				return nil, err
			}
			if resp.Id == q.Id {
				return resp, nil
			}
		}
	}
}

// follow returns the records of qtype for name, following CNAME chains
// present in the answer section (at most 8 deep).
func follow(rrs []dns.RR, name string, qtype uint16) []dns.RR {
	var out []dns.RR
	for range 8 {
		var next string
		for _, rr := range rrs {
			h := rr.Header()
			if !strings.EqualFold(h.Name, name) {
				continue
			}
			if h.Rrtype == qtype {
				out = append(out, rr)
			} else if c, ok := rr.(*dns.CNAME); ok && qtype != dns.TypeCNAME {
				next = c.Target
			}
		}
		if len(out) > 0 || next == "" {
			return out
		}
		name = next
	}
	return out
}

// LookupHost returns the IPv4 and IPv6 addresses of host. The system
// resolver asks the operating system (Hosts), in its order of preference;
// one server is asked for A and AAAA at the same time, and IPv6 addresses
// come first, as a dual-stack client would try them. An IP literal is
// returned as is. A name that does not exist gives an error wrapping
// ErrNotFound.
func (r *Resolver) LookupHost(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	if r.Server == "" && r.Hosts != nil {
		return r.systemLookupHost(ctx, host)
	}
	var (
		wg   sync.WaitGroup
		res  [2]*Answer
		errs [2]error
	)
	for i, t := range []uint16{dns.TypeAAAA, dns.TypeA} {
		wg.Go(func() { res[i], errs[i] = r.Lookup(ctx, host, t) })
	}
	wg.Wait()
	var addrs []netip.Addr
	for _, a := range res {
		if a == nil {
			continue
		}
		for _, rr := range a.Records {
			switch v := rr.(type) {
			case *dns.A:
				if ip, ok := netip.AddrFromSlice(v.A.To4()); ok {
					addrs = append(addrs, ip)
				}
			case *dns.AAAA:
				if ip, ok := netip.AddrFromSlice(v.AAAA); ok {
					addrs = append(addrs, ip)
				}
			}
		}
	}
	if len(addrs) > 0 {
		return addrs, nil
	}
	if err := errors.Join(errs[0], errs[1]); err != nil {
		if errors.Is(errs[0], ErrNotFound) && errors.Is(errs[1], ErrNotFound) {
			return nil, errs[1]
		}
		return nil, err
	}
	return nil, &DNSError{Name: dns.Fqdn(host), Type: "A/AAAA", Rcode: dns.RcodeSuccess, Err: i18n.Error("err.dns.no-addresses")}
}

// MX is one mail exchanger.
type MX struct {
	Host string `json:"host"` // without the trailing dot
	Pref uint16 `json:"preference"`
}

// LookupMX returns the domain's MX records sorted numerically by
// preference, lowest first, then by host name so the order is stable, and
// whether a trusted resolver authenticated them (see MXRecords).
func (r *Resolver) LookupMX(ctx context.Context, domain string) ([]MX, bool, error) {
	mx, sec, err := r.MXRecords(ctx, domain)
	return mx, sec.Authenticated, err
}

// MXRecords is LookupMX reporting the DNSSEC outcome in full.
func (r *Resolver) MXRecords(ctx context.Context, domain string) ([]MX, DNSSEC, error) {
	a, err := r.Lookup(ctx, domain, dns.TypeMX)
	if err != nil {
		return nil, DNSSEC{}, err
	}
	var out []MX
	for _, rr := range a.Records {
		if mx, ok := rr.(*dns.MX); ok {
			out = append(out, MX{Host: strings.TrimSuffix(strings.ToLower(mx.Mx), "."), Pref: mx.Preference})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Pref != out[j].Pref {
			return out[i].Pref < out[j].Pref
		}
		return out[i].Host < out[j].Host
	})
	return out, a.DNSSEC(), nil
}

// SRV is one service record. A Target of "." means the service is
// explicitly not offered (RFC 2782); NotOffered reports that.
type SRV struct {
	Target   string `json:"target"` // without the trailing dot; "." kept as is
	Port     uint16 `json:"port"`
	Priority uint16 `json:"priority"`
	Weight   uint16 `json:"weight"`
}

// NotOffered reports whether the record says the service is not offered.
func (s SRV) NotOffered() bool { return s.Target == "." }

// LookupSRV returns _service._proto.domain SRV records sorted by priority
// (lowest first), then by weight (highest first), then by target, and
// whether a trusted resolver authenticated them (see SRVRecords).
func (r *Resolver) LookupSRV(ctx context.Context, service, proto, domain string) ([]SRV, bool, error) {
	srv, sec, err := r.SRVRecords(ctx, service, proto, domain)
	return srv, sec.Authenticated, err
}

// SRVRecords is LookupSRV reporting the DNSSEC outcome in full.
func (r *Resolver) SRVRecords(ctx context.Context, service, proto, domain string) ([]SRV, DNSSEC, error) {
	name := "_" + service + "._" + proto + "." + domain
	a, err := r.Lookup(ctx, name, dns.TypeSRV)
	if err != nil {
		return nil, DNSSEC{}, err
	}
	var out []SRV
	for _, rr := range a.Records {
		if s, ok := rr.(*dns.SRV); ok {
			t := strings.ToLower(s.Target)
			if t != "." {
				t = strings.TrimSuffix(t, ".")
			}
			out = append(out, SRV{Target: t, Port: s.Port, Priority: s.Priority, Weight: s.Weight})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Priority != b.Priority {
			return a.Priority < b.Priority
		}
		if a.Weight != b.Weight {
			return a.Weight > b.Weight
		}
		return a.Target < b.Target
	})
	return out, a.DNSSEC(), nil
}

// LookupTXT returns the TXT records at name, each one's strings joined.
func (r *Resolver) LookupTXT(ctx context.Context, name string) ([]string, bool, error) {
	a, err := r.Lookup(ctx, name, dns.TypeTXT)
	if err != nil {
		return nil, false, err
	}
	var out []string
	for _, rr := range a.Records {
		if t, ok := rr.(*dns.TXT); ok {
			out = append(out, strings.Join(t.Txt, ""))
		}
	}
	return out, a.Authenticated, nil
}
