package mailtest

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// Query is one DNS question the test DNS server received.
type Query struct {
	Name      string // lower-case, fully qualified ("imap.example.test.")
	Type      uint16 // dns.TypeA, dns.TypeMX, ...
	Transport string // "udp" or "tcp"
}

// TypeString returns the query type's mnemonic ("A", "MX", ...).
func (q Query) TypeString() string { return dns.TypeToString[q.Type] }

// nameKnobs are the per-name behaviours of the DNS server.
type nameKnobs struct {
	rcode    int // 0 = answer from the zone
	delay    time.Duration
	truncate bool
	ad       bool
}

// DNSServer is the network's authoritative-and-recursive-looking DNS server.
// It answers every name from one programmable in-memory zone, over UDP and
// TCP on the same loopback port. Names not in the zone get NXDOMAIN; names
// that exist (or have descendants) but lack the asked type get an empty
// NOERROR answer. All methods are safe for concurrent use while the server
// runs.
type DNSServer struct {
	udp, tcp *dns.Server
	addr     string
	done     chan struct{}

	mu      sync.RWMutex
	records map[string][]dns.RR // key: lower-case FQDN
	knobs   map[string]*nameKnobs
	// delayAll delays every answer that has no delay of its own.
	delayAll time.Duration
	// adAll sets the AD bit on every answer.
	adAll bool
	// rcodeAll, when not RcodeSuccess, answers every query for a name
	// without a response code of its own with it (SetRcodeAll).
	rcodeAll int
	queries  []Query
}

func startDNS(done chan struct{}) (*DNSServer, error) {
	d := &DNSServer{
		done:    done,
		records: make(map[string][]dns.RR),
		knobs:   make(map[string]*nameKnobs),
	}
	pc, ln, err := listenUDPAndTCP()
	if err != nil {
		return nil, err
	}
	d.addr = pc.LocalAddr().String()
	var started sync.WaitGroup
	started.Add(2)
	d.udp = &dns.Server{PacketConn: pc, Handler: d, NotifyStartedFunc: started.Done}
	d.tcp = &dns.Server{Listener: ln, Handler: d, NotifyStartedFunc: started.Done}
	errc := make(chan error, 2)
	go func() { errc <- d.udp.ActivateAndServe() }()
	go func() { errc <- d.tcp.ActivateAndServe() }()
	ready := make(chan struct{})
	go func() { started.Wait(); close(ready) }()
	select {
	case <-ready:
		return d, nil
	case err := <-errc:
		pc.Close()
		ln.Close()
		return nil, fmt.Errorf("mailtest: dns serve: %w", err)
	}
}

// listenUDPAndTCP opens UDP and TCP listeners on the same random loopback
// port, retrying when the TCP side of a free UDP port is taken.
func listenUDPAndTCP() (net.PacketConn, net.Listener, error) {
	var lastErr error
	for range 50 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, fmt.Errorf("mailtest: dns udp listen: %w", err)
		}
		ln, err := net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			return pc, ln, nil
		}
		pc.Close()
		lastErr = err
	}
	return nil, nil, fmt.Errorf("mailtest: dns tcp listen: %w", lastErr)
}

func (d *DNSServer) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = d.udp.ShutdownContext(ctx)
	_ = d.tcp.ShutdownContext(ctx)
}

// Addr returns the server's "127.0.0.1:port" address, the same for UDP and
// TCP.
func (d *DNSServer) Addr() string { return d.addr }

// Add parses resource records in zone-file syntax, e.g.
// "example.test. 300 IN MX 10 mx.example.test.", and adds them to the zone.
// Relative names are not supported: write names fully qualified (the
// trailing dot may be omitted on the owner name).
func (d *DNSServer) Add(records ...string) error {
	rrs := make([]dns.RR, 0, len(records))
	for _, s := range records {
		rr, err := dns.NewRR(s)
		if err != nil {
			return fmt.Errorf("mailtest: parse record %q: %w", s, err)
		}
		if rr == nil {
			return fmt.Errorf("mailtest: parse record %q: empty", s)
		}
		rrs = append(rrs, rr)
	}
	d.AddRR(rrs...)
	return nil
}

// AddRR adds ready-made records to the zone.
func (d *DNSServer) AddRR(rrs ...dns.RR) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, rr := range rrs {
		rr = dns.Copy(rr)
		h := rr.Header()
		h.Name = fqdn(h.Name)
		if h.Class == 0 {
			h.Class = dns.ClassINET
		}
		if h.Ttl == 0 {
			h.Ttl = 300
		}
		d.records[h.Name] = append(d.records[h.Name], rr)
	}
}

func hdr(name string, t uint16) dns.RR_Header {
	return dns.RR_Header{Name: fqdn(name), Rrtype: t, Class: dns.ClassINET, Ttl: 300}
}

// AddA adds an A (IPv4) or, for an IPv6 address, an AAAA record.
func (d *DNSServer) AddA(name string, ip netip.Addr) {
	if ip.Is4() || ip.Is4In6() {
		d.AddRR(&dns.A{Hdr: hdr(name, dns.TypeA), A: net.IP(ip.Unmap().AsSlice())})
		return
	}
	d.AddRR(&dns.AAAA{Hdr: hdr(name, dns.TypeAAAA), AAAA: net.IP(ip.AsSlice())})
}

// removeAddr deletes the A or AAAA records at name that hold ip.
func (d *DNSServer) removeAddr(name string, ip netip.Addr) {
	d.mu.Lock()
	defer d.mu.Unlock()
	name = fqdn(name)
	ip = ip.Unmap()
	kept := d.records[name][:0]
	for _, rr := range d.records[name] {
		var rip net.IP
		switch r := rr.(type) {
		case *dns.A:
			rip = r.A
		case *dns.AAAA:
			rip = r.AAAA
		}
		if a, ok := netip.AddrFromSlice(rip); ok && a.Unmap() == ip {
			continue
		}
		kept = append(kept, rr)
	}
	if len(kept) == 0 {
		delete(d.records, name)
	} else {
		d.records[name] = kept
	}
}

// AddMX adds an MX record.
func (d *DNSServer) AddMX(name string, pref uint16, host string) {
	d.AddRR(&dns.MX{Hdr: hdr(name, dns.TypeMX), Preference: pref, Mx: fqdn(host)})
}

// AddSRV adds an SRV record such as AddSRV("_imaps._tcp.example.test", 0, 1,
// 993, "imap.example.test"). A target of "." means "service not offered".
func (d *DNSServer) AddSRV(name string, priority, weight, port uint16, target string) {
	d.AddRR(&dns.SRV{Hdr: hdr(name, dns.TypeSRV), Priority: priority, Weight: weight, Port: port, Target: fqdn(target)})
}

// AddTXT adds one TXT record made of the given character strings.
func (d *DNSServer) AddTXT(name string, txt ...string) {
	d.AddRR(&dns.TXT{Hdr: hdr(name, dns.TypeTXT), Txt: txt})
}

// AddCNAME adds a CNAME record; the server follows CNAME chains inside the
// zone when answering other types.
func (d *DNSServer) AddCNAME(name, target string) {
	d.AddRR(&dns.CNAME{Hdr: hdr(name, dns.TypeCNAME), Target: fqdn(target)})
}

// AddTLSA adds a TLSA record, e.g. AddTLSA("_25._tcp.mx.example.test", 3, 1,
// 1, hexSHA256).
func (d *DNSServer) AddTLSA(name string, usage, selector, matchingType uint8, certHex string) {
	d.AddRR(&dns.TLSA{Hdr: hdr(name, dns.TypeTLSA), Usage: usage, Selector: selector,
		MatchingType: matchingType, Certificate: strings.ToLower(certHex)})
}

// Remove deletes the records of type t at name; t == dns.TypeANY (255)
// deletes every record at name.
func (d *DNSServer) Remove(name string, t uint16) {
	d.mu.Lock()
	defer d.mu.Unlock()
	name = fqdn(name)
	if t == dns.TypeANY {
		delete(d.records, name)
		return
	}
	kept := d.records[name][:0]
	for _, rr := range d.records[name] {
		if rr.Header().Rrtype != t {
			kept = append(kept, rr)
		}
	}
	if len(kept) == 0 {
		delete(d.records, name)
	} else {
		d.records[name] = kept
	}
}

// Records returns copies of the records of type t at name (dns.TypeANY for
// all).
func (d *DNSServer) Records(name string, t uint16) []dns.RR {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []dns.RR
	for _, rr := range d.records[fqdn(name)] {
		if t == dns.TypeANY || rr.Header().Rrtype == t {
			out = append(out, dns.Copy(rr))
		}
	}
	return out
}

func (d *DNSServer) knob(name string, f func(k *nameKnobs)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	name = fqdn(name)
	k := d.knobs[name]
	if k == nil {
		k = &nameKnobs{}
		d.knobs[name] = k
	}
	f(k)
}

// SetNXDOMAIN makes every query for name answer NXDOMAIN (on) or restores
// normal answers (off).
func (d *DNSServer) SetNXDOMAIN(name string, on bool) {
	if on {
		d.SetRcode(name, dns.RcodeNameError)
	} else {
		d.SetRcode(name, dns.RcodeSuccess)
	}
}

// SetSERVFAIL makes every query for name answer SERVFAIL (on) or restores
// normal answers (off).
func (d *DNSServer) SetSERVFAIL(name string, on bool) {
	if on {
		d.SetRcode(name, dns.RcodeServerFailure)
	} else {
		d.SetRcode(name, dns.RcodeSuccess)
	}
}

// SetRcode forces the response code for every query for name, e.g.
// dns.RcodeRefused; dns.RcodeSuccess restores normal answers.
func (d *DNSServer) SetRcode(name string, rcode int) {
	d.knob(name, func(k *nameKnobs) { k.rcode = rcode })
}

// SetRcodeAll makes the server answer every query with rcode, e.g.
// dns.RcodeRefused or dns.RcodeServerFailure, as a resolver that refuses
// or fails everything does (an offline laptop's, a captive portal's);
// names with a response code of their own (SetRcode) keep it.
// dns.RcodeSuccess restores normal answers. The dialer's own lookups
// (Network.DialContext by name) fail the same way.
func (d *DNSServer) SetRcodeAll(rcode int) {
	d.mu.Lock()
	d.rcodeAll = rcode
	d.mu.Unlock()
}

// SetDelayAll delays every answer by delay, except for names with a
// delay of their own (0 = answer at once). It models a slow resolver.
func (d *DNSServer) SetDelayAll(delay time.Duration) {
	d.mu.Lock()
	d.delayAll = delay
	d.mu.Unlock()
}

// SetDelay delays every answer for name by delay (0 = answer at once). A
// delayed answer is abandoned when the network closes.
func (d *DNSServer) SetDelay(name string, delay time.Duration) {
	d.knob(name, func(k *nameKnobs) { k.delay = delay })
}

// SetTruncate makes UDP answers for name empty with the TC bit set, so a
// correct client retries over TCP, where the full answer is given.
// (Independently, any UDP answer larger than the client's advertised size,
// 512 bytes without EDNS0, is truncated the standard way.)
func (d *DNSServer) SetTruncate(name string, on bool) {
	d.knob(name, func(k *nameKnobs) { k.truncate = on })
}

// SetAD sets (on) or clears the AD (authenticated data) bit in answers to
// questions for name, as a validating resolver would for signed data.
func (d *DNSServer) SetAD(name string, on bool) {
	d.knob(name, func(k *nameKnobs) { k.ad = on })
}

// SetADAll sets (on) or stops setting the AD bit on every answer, as a
// resolver that claims to validate everything would (or an attacker
// forging plain-UDP answers). Per-name SetAD still applies when off.
func (d *DNSServer) SetADAll(on bool) {
	d.mu.Lock()
	d.adAll = on
	d.mu.Unlock()
}

// Queries returns a copy of the query log, oldest first.
func (d *DNSServer) Queries() []Query {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return append([]Query(nil), d.queries...)
}

// QueryCount counts logged queries for name and type t (dns.TypeANY counts
// every type). Transport is not distinguished.
func (d *DNSServer) QueryCount(name string, t uint16) int {
	name = fqdn(name)
	n := 0
	for _, q := range d.Queries() {
		if q.Name == name && (t == dns.TypeANY || q.Type == t) {
			n++
		}
	}
	return n
}

// ResetQueries empties the query log.
func (d *DNSServer) ResetQueries() {
	d.mu.Lock()
	d.queries = nil
	d.mu.Unlock()
}

// ServeDNS answers one query; it implements dns.Handler.
func (d *DNSServer) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	transport := "udp"
	if _, ok := w.RemoteAddr().(*net.TCPAddr); ok {
		transport = "tcp"
	}
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	m.RecursionAvailable = true
	if req.Opcode != dns.OpcodeQuery || len(req.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		_ = w.WriteMsg(m)
		return
	}
	q := req.Question[0]
	name := strings.ToLower(q.Name)

	d.mu.Lock()
	d.queries = append(d.queries, Query{Name: name, Type: q.Qtype, Transport: transport})
	var k nameKnobs
	if kp := d.knobs[name]; kp != nil {
		k = *kp
	}
	if k.delay == 0 {
		k.delay = d.delayAll
	}
	k.ad = k.ad || d.adAll
	if k.rcode == dns.RcodeSuccess {
		k.rcode = d.rcodeAll
	}
	d.mu.Unlock()

	if k.delay > 0 {
		t := time.NewTimer(k.delay)
		select {
		case <-t.C:
		case <-d.done:
			t.Stop()
			return
		}
	}

	if k.rcode != dns.RcodeSuccess {
		m.Rcode = k.rcode
	} else {
		d.mu.RLock()
		m.Answer, m.Rcode = d.answer(name, q.Qtype)
		d.mu.RUnlock()
	}
	m.AuthenticatedData = k.ad
	size := dns.MinMsgSize
	if opt := req.IsEdns0(); opt != nil {
		m.SetEdns0(max(opt.UDPSize(), dns.MinMsgSize), opt.Do())
		size = int(max(opt.UDPSize(), dns.MinMsgSize))
	}
	if transport == "udp" {
		if k.truncate {
			m.Answer, m.Ns = nil, nil
			m.Truncated = true
		} else if m.Len() > size {
			m.Truncate(size)
		}
	}
	_ = w.WriteMsg(m)
}

// answer looks name/qtype up in the zone, following CNAMEs. Callers hold
// d.mu.
func (d *DNSServer) answer(name string, qtype uint16) ([]dns.RR, int) {
	var ans []dns.RR
	for hops := 0; hops < 8; hops++ {
		rrs, exists := d.records[name], d.exists(name)
		if !exists {
			if len(ans) > 0 {
				return ans, dns.RcodeSuccess // dangling CNAME: NOERROR with the chain
			}
			return nil, dns.RcodeNameError
		}
		var cname *dns.CNAME
		for _, rr := range rrs {
			if qtype == dns.TypeANY || rr.Header().Rrtype == qtype {
				ans = append(ans, dns.Copy(rr))
			} else if c, ok := rr.(*dns.CNAME); ok {
				cname = c
			}
		}
		if len(ans) > 0 && (cname == nil || qtype == dns.TypeCNAME || qtype == dns.TypeANY) {
			return ans, dns.RcodeSuccess
		}
		if cname == nil {
			return ans, dns.RcodeSuccess
		}
		ans = append(ans, dns.Copy(cname))
		name = strings.ToLower(cname.Target)
	}
	return ans, dns.RcodeServerFailure // CNAME loop
}

// exists reports whether name has records or descendants (an empty
// non-terminal). Callers hold d.mu.
func (d *DNSServer) exists(name string) bool {
	if len(d.records[name]) > 0 {
		return true
	}
	suffix := "." + name
	for n, rrs := range d.records {
		if len(rrs) > 0 && strings.HasSuffix(n, suffix) {
			return true
		}
	}
	return false
}

// lookupIP resolves host to addresses from the zone without going through
// the wire (for the dialer). It honours the NXDOMAIN/SERVFAIL knobs.
func (d *DNSServer) lookupIP(host string) ([]netip.Addr, error) {
	name := fqdn(host)
	d.mu.RLock()
	defer d.mu.RUnlock()
	rcode := d.rcodeAll
	if k := d.knobs[name]; k != nil && k.rcode != dns.RcodeSuccess {
		rcode = k.rcode
	}
	if rcode != dns.RcodeSuccess {
		return nil, &net.DNSError{Err: dns.RcodeToString[rcode], Name: host,
			IsNotFound: rcode == dns.RcodeNameError, IsTemporary: rcode == dns.RcodeServerFailure}
	}
	var out []netip.Addr
	for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
		ans, rc := d.answer(name, t)
		if rc == dns.RcodeNameError {
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}
		for _, rr := range ans {
			var ip net.IP
			switch r := rr.(type) {
			case *dns.A:
				ip = r.A
			case *dns.AAAA:
				ip = r.AAAA
			}
			if a, ok := netip.AddrFromSlice(ip); ok {
				out = append(out, a.Unmap())
			}
		}
	}
	if len(out) == 0 {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return out, nil
}

func fqdn(name string) string { return dns.Fqdn(strings.ToLower(name)) }
