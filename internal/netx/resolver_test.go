package netx_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// newResolver returns a Resolver for the network's DNS server.
func newResolver(t *testing.T, n *mailtest.Network) *netx.Resolver {
	t.Helper()
	r, err := netx.NewResolver(n.ResolverAddr())
	if err != nil {
		t.Fatal(err)
	}
	if r.Server != n.ResolverAddr() {
		t.Fatalf("NewResolver(%q).Server = %q", n.ResolverAddr(), r.Server)
	}
	return r
}

// transports lists, in order, the transports of logged queries for name and
// type t.
func transports(n *mailtest.Network, name string, t uint16) []string {
	var out []string
	for _, q := range n.DNS().Queries() {
		if q.Name == dns.Fqdn(name) && q.Type == t {
			out = append(out, q.Transport)
		}
	}
	return out
}

// dnsError returns err's *netx.DNSError, failing the test if it has none.
func dnsError(t *testing.T, err error) *netx.DNSError {
	t.Helper()
	var de *netx.DNSError
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T) does not wrap a *netx.DNSError", err, err)
	}
	return de
}

func addrsOf(t *testing.T, rrs []dns.RR) []netip.Addr {
	t.Helper()
	var out []netip.Addr
	for _, rr := range rrs {
		switch v := rr.(type) {
		case *dns.A:
			a, _ := netip.AddrFromSlice(v.A.To4())
			out = append(out, a)
		case *dns.AAAA:
			a, _ := netip.AddrFromSlice(v.AAAA)
			out = append(out, a)
		default:
			t.Fatalf("unexpected record %v", rr)
		}
	}
	return out
}

func TestLookupOverUDP(t *testing.T) {
	n := mailtest.Start(t)
	var trace bytes.Buffer
	r := newResolver(t, n)
	r.Trace = netx.NewTracer(&trace)
	ctx := context.Background()

	a, err := r.Lookup(ctx, "imap.example.test", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	if got := addrsOf(t, a.Records); len(got) != 1 || got[0] != n.HostIP("imap.example.test") || a.Authenticated {
		t.Fatalf("answer %v AD=%v", a.Records, a.Authenticated)
	}
	if tr := transports(n, "imap.example.test", dns.TypeA); !slices.Equal(tr, []string{"udp"}) {
		t.Fatalf("transports %v, want one udp query", tr)
	}
	if !strings.Contains(trace.String(), "dns A imap.example.test via "+n.ResolverAddr()+"/udp: 1 record(s)") {
		t.Fatalf("trace:\n%s", trace.String())
	}

	// An existing name without records of the type: empty, no error.
	a, err = r.Lookup(ctx, "imap.example.test.", dns.TypeMX)
	if err != nil || len(a.Records) != 0 {
		t.Fatalf("MX of a host: %v, %v", a, err)
	}
	// A malformed name is refused before any query.
	n.DNS().ResetQueries()
	if _, err := r.Lookup(ctx, "bad..name", dns.TypeA); err == nil || dnsError(t, err).Rcode != -1 {
		t.Fatalf("bad name: %v", err)
	}
	if q := n.DNS().Queries(); len(q) != 0 {
		t.Fatalf("queries for a bad name: %v", q)
	}
}

func TestLookupTruncatedRetriesOverTCP(t *testing.T) {
	n := mailtest.Start(t)
	n.DNS().SetTruncate("example.test", true)
	var trace bytes.Buffer
	r := newResolver(t, n)
	r.Trace = netx.NewTracer(&trace)

	mx, _, err := r.LookupMX(context.Background(), "example.test")
	if err != nil {
		t.Fatal(err)
	}
	if len(mx) != 1 || mx[0] != (netx.MX{Host: "mx.example.test", Pref: 10}) {
		t.Fatalf("MX %v", mx)
	}
	if tr := transports(n, "example.test", dns.TypeMX); !slices.Equal(tr, []string{"udp", "tcp"}) {
		t.Fatalf("transports %v, want udp then tcp", tr)
	}
	out := trace.String()
	if !strings.Contains(out, "truncated over udp, retrying over tcp") || !strings.Contains(out, "/tcp: 1 record(s)") {
		t.Fatalf("trace:\n%s", out)
	}
}

func TestLookupNXDOMAIN(t *testing.T) {
	n := mailtest.Start(t)
	r := newResolver(t, n)
	ctx := context.Background()

	_, err := r.Lookup(ctx, "nowhere.example.test", dns.TypeA)
	if !errors.Is(err, netx.ErrNotFound) {
		t.Fatalf("error %v does not wrap ErrNotFound", err)
	}
	de := dnsError(t, err)
	if de.Rcode != dns.RcodeNameError || de.Type != "A" || de.Name != "nowhere.example.test." {
		t.Fatalf("DNSError %+v", de)
	}
	if !strings.Contains(err.Error(), "nowhere.example.test") {
		t.Fatalf("message %q does not name the domain", err)
	}

	// The NXDOMAIN knob on an existing name, through each helper.
	n.DNS().SetNXDOMAIN("example.test", true)
	if _, _, err := r.LookupMX(ctx, "example.test"); !errors.Is(err, netx.ErrNotFound) {
		t.Fatalf("LookupMX: %v", err)
	}
	if _, _, err := r.LookupTXT(ctx, "example.test"); !errors.Is(err, netx.ErrNotFound) {
		t.Fatalf("LookupTXT: %v", err)
	}
	if _, err := r.LookupHost(ctx, "example.test"); !errors.Is(err, netx.ErrNotFound) {
		t.Fatalf("LookupHost: %v", err)
	}
	n.DNS().SetNXDOMAIN("_imaps._tcp.example.test", true)
	if _, _, err := r.LookupSRV(ctx, "imaps", "tcp", "example.test"); !errors.Is(err, netx.ErrNotFound) {
		t.Fatalf("LookupSRV: %v", err)
	}
}

func TestLookupSERVFAIL(t *testing.T) {
	n := mailtest.Start(t)
	r := newResolver(t, n)
	ctx := context.Background()
	n.DNS().SetSERVFAIL("example.test", true)

	_, err := r.Lookup(ctx, "example.test", dns.TypeMX)
	if err == nil || errors.Is(err, netx.ErrNotFound) {
		t.Fatalf("SERVFAIL: %v, want an error that is not ErrNotFound", err)
	}
	if de := dnsError(t, err); de.Rcode != dns.RcodeServerFailure || de.Type != "MX" {
		t.Fatalf("DNSError %+v", de)
	}
	if !strings.Contains(err.Error(), "SERVFAIL") {
		t.Fatalf("message %q does not say SERVFAIL", err)
	}
	if _, err := r.LookupHost(ctx, "example.test"); err == nil || errors.Is(err, netx.ErrNotFound) {
		t.Fatalf("LookupHost: %v", err)
	}
	// Another rcode is reported the same way.
	n.DNS().SetRcode("imap.example.test", dns.RcodeRefused)
	if _, err := r.Lookup(ctx, "imap.example.test", dns.TypeA); err == nil || errors.Is(err, netx.ErrNotFound) ||
		dnsError(t, err).Rcode != dns.RcodeRefused {
		t.Fatalf("REFUSED: %v", err)
	}
}

// TestLookupAuthenticatedData: the AD bit counts only from a resolver
// trusted to validate; from any other it is reported as ignored.
func TestLookupAuthenticatedData(t *testing.T) {
	n := mailtest.Start(t)
	r := newResolver(t, n)
	ctx := context.Background()
	n.DNS().AddTXT("_mta-sts.example.test", "v=STSv1; id=1")
	n.DNS().SetAD("example.test", true)
	n.DNS().SetAD("_mta-sts.example.test", true)

	// --resolver without --trust-ad: the bit is ignored.
	if r.TrustAD || r.ADRule != netx.ADRuleResolverNoFlag {
		t.Fatalf("NewResolver(%q): TrustAD %v, rule %q", n.ResolverAddr(), r.TrustAD, r.ADRule)
	}
	a, err := r.Lookup(ctx, "example.test", dns.TypeMX)
	if err != nil || a.Authenticated || !a.ADIgnored {
		t.Fatalf("AD answer from an untrusted resolver: %+v, %v", a, err)
	}
	if _, ad, err := r.LookupMX(ctx, "example.test"); err != nil || ad {
		t.Fatalf("untrusted LookupMX AD=%v, %v", ad, err)
	}
	host, _, _ := net.SplitHostPort(n.ResolverAddr())
	want := "AD bit ignored: resolver " + host + " is not marked trusted (--resolver without --trust-ad)"
	if _, sec, err := r.MXRecords(ctx, "example.test"); err != nil || r.ADNote(sec) != want {
		t.Fatalf("untrusted MXRecords: %+v %q, %v; want %q", sec, r.ADNote(sec), err, want)
	}

	r.TrustAD, r.ADRule = true, netx.ADRuleFlag
	a, err = r.Lookup(ctx, "example.test", dns.TypeMX)
	if err != nil || !a.Authenticated || a.ADIgnored {
		t.Fatalf("AD answer: %+v, %v", a, err)
	}
	if _, ad, err := r.LookupMX(ctx, "example.test"); err != nil || !ad {
		t.Fatalf("LookupMX AD=%v, %v", ad, err)
	}
	if _, sec, err := r.MXRecords(ctx, "example.test"); err != nil || r.ADNote(sec) != "DNSSEC-validated by a trusted resolver (--trust-ad)" {
		t.Fatalf("trusted MXRecords: %+v %q, %v", sec, r.ADNote(sec), err)
	}
	if _, ad, err := r.LookupTXT(ctx, "_mta-sts.example.test"); err != nil || !ad {
		t.Fatalf("LookupTXT AD=%v, %v", ad, err)
	}
	a, err = r.Lookup(ctx, "imap.example.test", dns.TypeA)
	if err != nil || a.Authenticated || a.ADIgnored || r.ADNote(a.DNSSEC()) != "" {
		t.Fatalf("answer without AD: %+v, %v", a, err)
	}
	n.DNS().SetAD("example.test", false)
	if _, ad, err := r.LookupMX(ctx, "example.test"); err != nil || ad {
		t.Fatalf("AD cleared: AD=%v, %v", ad, err)
	}
}

// TestADAll: with the server's AD bit on every answer, SRV answers follow
// the same rule.
func TestADAll(t *testing.T) {
	n := mailtest.Start(t)
	n.DNS().SetADAll(true)
	n.DNS().AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.other.test")
	r := newResolver(t, n)
	ctx := context.Background()
	if _, sec, err := r.SRVRecords(ctx, "imaps", "tcp", "example.test"); err != nil || sec.Authenticated || !sec.ADIgnored {
		t.Fatalf("untrusted SRV: %+v, %v", sec, err)
	}
	r.TrustAD = true
	if _, ad, err := r.LookupSRV(ctx, "imaps", "tcp", "example.test"); err != nil || !ad {
		t.Fatalf("trusted SRV: AD=%v, %v", ad, err)
	}
	n.DNS().SetADAll(false)
	if _, ad, err := r.LookupSRV(ctx, "imaps", "tcp", "example.test"); err != nil || ad {
		t.Fatalf("AD off: AD=%v, %v", ad, err)
	}
}

func TestParseResolvConf(t *testing.T) {
	tests := []struct {
		name, conf string
		servers    []string
		trustAD    bool
	}{
		{"empty", "", nil, false},
		{"plain", "nameserver 192.0.2.1\nnameserver 2001:db8::53\nsearch example.com\n", []string{"192.0.2.1:53", "[2001:db8::53]:53"}, false},
		{"trust-ad", "nameserver 127.0.0.53\noptions edns0 trust-ad\n", []string{"127.0.0.53:53"}, true},
		{"trust-ad first, more options later", "options trust-ad\noptions ndots:2\nnameserver 192.0.2.1", []string{"192.0.2.1:53"}, true},
		{"other options only", "nameserver 192.0.2.1\noptions edns0 ndots:1 rotate\n", []string{"192.0.2.1:53"}, false},
		{"commented out", "nameserver 192.0.2.1\n# options trust-ad\n;options trust-ad\n", []string{"192.0.2.1:53"}, false},
		{"trailing comment", "nameserver 192.0.2.1 # the router\noptions edns0 # trust-ad\n", []string{"192.0.2.1:53"}, false},
		{"not at line start", "nameserver 192.0.2.1\nsearch options trust-ad\n", []string{"192.0.2.1:53"}, false},
		{"similar word", "options trust-ad:1 no-trust-ad\n", nil, false},
		{"CRLF and tabs", "nameserver\t192.0.2.1\r\noptions\ttrust-ad\r\n", []string{"192.0.2.1:53"}, true},
		{"host name is no nameserver", "nameserver dns.example.com\nnameserver fe80::1%eth0\n", []string{"[fe80::1%eth0]:53"}, false},
	}
	for _, tt := range tests {
		c := netx.ParseResolvConf([]byte(tt.conf))
		if !slices.Equal(c.Servers, tt.servers) || c.TrustAD != tt.trustAD {
			t.Errorf("%s: got %+v, want servers %v trust-ad %v", tt.name, c, tt.servers, tt.trustAD)
		}
	}
}

// TestNewResolverSystem: the system resolver is trusted for the AD bit
// exactly when resolv.conf says trust-ad, asks every nameserver in order
// with the file's timeout and attempts, and without one falls back to
// the operating system's resolver.
func TestNewResolverSystem(t *testing.T) {
	dir := t.TempDir()
	old := netx.ResolvConfPath
	t.Cleanup(func() { netx.ResolvConfPath = old })
	for _, tt := range []struct {
		conf     string
		servers  []string
		trust    bool
		rule     string
		timeout  time.Duration
		attempts int
	}{
		{"nameserver 192.0.2.1\n", []string{"192.0.2.1:53"}, false, netx.ADRuleNoResolvConf, 5 * time.Second, 2},
		{"nameserver 192.0.2.1\nnameserver 192.0.2.2\noptions trust-ad timeout:1 attempts:3\n", []string{"192.0.2.1:53", "192.0.2.2:53"}, true, netx.ADRuleResolvConf, time.Second, 3},
		{"", nil, false, netx.ADRuleNoResolvConf, 5 * time.Second, 2},
	} {
		netx.ResolvConfPath = dir + "/resolv.conf"
		if err := os.WriteFile(netx.ResolvConfPath, []byte(tt.conf), 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := netx.NewResolver("")
		if err != nil || r.Server != "" || !slices.Equal(r.Servers, tt.servers) || r.TrustAD != tt.trust || r.ADRule != tt.rule ||
			r.Timeout != tt.timeout || r.Attempts != tt.attempts || r.Hosts != net.DefaultResolver {
			t.Errorf("resolv.conf %q: %+v, %v", tt.conf, r, err)
		}
		if (r.Fallback != nil) != (len(tt.servers) == 0) {
			t.Errorf("resolv.conf %q: fallback %v", tt.conf, r.Fallback)
		}
	}
	netx.ResolvConfPath = dir + "/missing"
	r, err := netx.NewResolver("")
	if err != nil || r.TrustAD || len(r.Servers) != 0 || r.Fallback != net.DefaultResolver || r.Hosts != net.DefaultResolver {
		t.Errorf("no resolv.conf: %+v, %v", r, err)
	}
	if d := r.Describe(); !strings.Contains(d, "no nameserver found") || !strings.Contains(d, "missing") || !strings.Contains(d, "TLSA") {
		t.Errorf("no resolv.conf: Describe() = %q", d)
	}
	// --resolver: one server for everything, host addresses included.
	if r, err := netx.NewResolver("192.0.2.9"); err != nil || r.Server != "192.0.2.9:53" || r.Hosts != nil || r.Fallback != nil {
		t.Errorf("--resolver: %+v, %v", r, err)
	}
	want := "AD bit ignored: resolver 192.0.2.1 is not marked trusted (resolv.conf has no 'options trust-ad'; pass --trust-ad)"
	r = &netx.Resolver{Server: "192.0.2.1:53", ADRule: netx.ADRuleNoResolvConf}
	if got := r.ADNote(netx.DNSSEC{ADIgnored: true}); got != want {
		t.Errorf("ADNote = %q, want %q", got, want)
	}
	r = &netx.Resolver{Servers: []string{"192.0.2.7:53", "192.0.2.1:53"}, ADRule: netx.ADRuleNoResolvConf}
	if got := r.ADNote(netx.DNSSEC{ADIgnored: true, Server: "192.0.2.1:53"}); got != want {
		t.Errorf("ADNote naming the answering server = %q, want %q", got, want)
	}
}

func TestLookupMXSortedNumerically(t *testing.T) {
	n := mailtest.Start(t, mailtest.Bare())
	d := n.DNS()
	// A string sort would give 10, 100, 20, 5.
	d.AddMX("sort.test", 20, "mx20.sort.test")
	d.AddMX("sort.test", 5, "MX5.sort.test.")
	d.AddMX("sort.test", 100, "mx100.sort.test")
	d.AddMX("sort.test", 10, "mx10b.sort.test")
	d.AddMX("sort.test", 10, "mx10a.sort.test")

	mx, ad, err := newResolver(t, n).LookupMX(context.Background(), "sort.test")
	if err != nil || ad {
		t.Fatalf("LookupMX: AD=%v, %v", ad, err)
	}
	want := []netx.MX{
		{Host: "mx5.sort.test", Pref: 5},
		{Host: "mx10a.sort.test", Pref: 10},
		{Host: "mx10b.sort.test", Pref: 10},
		{Host: "mx20.sort.test", Pref: 20},
		{Host: "mx100.sort.test", Pref: 100},
	}
	if !slices.Equal(mx, want) {
		t.Fatalf("MX\n got %v\nwant %v", mx, want)
	}
}

func TestLookupSRVSortedAndNotOffered(t *testing.T) {
	n := mailtest.Start(t)
	d := n.DNS()
	const name = "_imaps._tcp.example.test"
	d.AddSRV(name, 10, 5, 993, "backup.example.test")
	d.AddSRV(name, 0, 20, 993, "light.example.test")
	d.AddSRV(name, 10, 50, 993, "Backup2.example.test.")
	d.AddSRV(name, 0, 100, 9993, "heavy.example.test")
	d.AddSRV(name, 0, 20, 993, "alpha.example.test")
	d.AddSRV("_pop3._tcp.example.test", 0, 0, 0, ".")
	r := newResolver(t, n)
	ctx := context.Background()

	srv, _, err := r.LookupSRV(ctx, "imaps", "tcp", "example.test")
	if err != nil {
		t.Fatal(err)
	}
	// Priority ascending, then weight descending (100 before 20: a string
	// sort would disagree), then target.
	want := []netx.SRV{
		{Target: "heavy.example.test", Port: 9993, Priority: 0, Weight: 100},
		{Target: "alpha.example.test", Port: 993, Priority: 0, Weight: 20},
		{Target: "light.example.test", Port: 993, Priority: 0, Weight: 20},
		{Target: "backup2.example.test", Port: 993, Priority: 10, Weight: 50},
		{Target: "backup.example.test", Port: 993, Priority: 10, Weight: 5},
	}
	if !slices.Equal(srv, want) {
		t.Fatalf("SRV\n got %v\nwant %v", srv, want)
	}
	for _, s := range srv {
		if s.NotOffered() {
			t.Fatalf("%v reported not offered", s)
		}
	}

	srv, _, err = r.LookupSRV(ctx, "pop3", "tcp", "example.test")
	if err != nil || len(srv) != 1 || srv[0].Target != "." || !srv[0].NotOffered() {
		t.Fatalf("null SRV: %v, %v", srv, err)
	}
	// No SRV: a missing name is "not found", an existing one just empty.
	if srv, _, err = r.LookupSRV(ctx, "submissions", "tcp", "example.test"); !errors.Is(err, netx.ErrNotFound) {
		t.Fatalf("missing SRV: %v, %v", srv, err)
	}
	d.AddTXT("_submission._tcp.example.test", "not an SRV")
	if srv, _, err = r.LookupSRV(ctx, "submission", "tcp", "example.test"); err != nil || len(srv) != 0 {
		t.Fatalf("name without SRV: %v, %v", srv, err)
	}
}

func TestLookupTXTJoinsStrings(t *testing.T) {
	n := mailtest.Start(t)
	d := n.DNS()
	d.AddTXT("example.test", "v=spf1 ", "include:_spf.example.test", " -all")
	d.AddTXT("example.test", "google-site-verification=abc")
	txt, _, err := newResolver(t, n).LookupTXT(context.Background(), "example.test")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(txt)
	want := []string{"google-site-verification=abc", "v=spf1 include:_spf.example.test -all"}
	if !slices.Equal(txt, want) {
		t.Fatalf("TXT %q, want %q", txt, want)
	}
}

func TestLookupHostFamilies(t *testing.T) {
	n := mailtest.Start(t)
	r := newResolver(t, n)
	ctx := context.Background()

	// IPv4-only (the default).
	if got, err := r.LookupHost(ctx, "imap.example.test"); err != nil || !slices.Equal(got, []netip.Addr{n.HostIP("imap.example.test")}) {
		t.Fatalf("IPv4-only: %v, %v", got, err)
	}
	// Dual-stack: IPv6 first.
	n.SetAddressFamilies("mail.example.test", true, true)
	want := []netip.Addr{n.HostIPv6("mail.example.test"), n.HostIP("mail.example.test")}
	if got, err := r.LookupHost(ctx, "mail.example.test"); err != nil || !slices.Equal(got, want) {
		t.Fatalf("dual-stack: %v, %v; want %v", got, err, want)
	}
	if c := n.DNS().QueryCount("mail.example.test", dns.TypeA) + n.DNS().QueryCount("mail.example.test", dns.TypeAAAA); c != 2 {
		t.Fatalf("%d queries for mail.example.test, want A and AAAA", c)
	}
	// IPv6-only.
	n.SetAddressFamilies("smtp.example.test", false, true)
	v6 := n.HostIPv6("smtp.example.test")
	if got, err := r.LookupHost(ctx, "smtp.example.test"); err != nil || !slices.Equal(got, []netip.Addr{v6}) {
		t.Fatalf("IPv6-only: %v, %v; want %v", got, err, v6)
	}
	// IP literals are returned without a query.
	n.DNS().ResetQueries()
	for _, lit := range []string{"192.0.2.1", v6.String()} {
		if got, err := r.LookupHost(ctx, lit); err != nil || len(got) != 1 || got[0] != netip.MustParseAddr(lit) {
			t.Fatalf("literal %s: %v, %v", lit, got, err)
		}
	}
	if q := n.DNS().Queries(); len(q) != 0 {
		t.Fatalf("queries for literals: %v", q)
	}
	// A name without addresses is an error, but not "not found".
	n.DNS().AddTXT("_dmarc.example.test", "v=DMARC1; p=none")
	_, err := r.LookupHost(ctx, "_dmarc.example.test")
	if err == nil || errors.Is(err, netx.ErrNotFound) || dnsError(t, err).Type != "A/AAAA" {
		t.Fatalf("no addresses: %v", err)
	}
	// Truncated answers: both families are retried over TCP.
	n.DNS().SetTruncate("mail.example.test", true)
	n.DNS().ResetQueries()
	if got, err := r.LookupHost(ctx, "mail.example.test"); err != nil || !slices.Equal(got, want) {
		t.Fatalf("dual-stack over TCP: %v, %v; want %v", got, err, want)
	}
	for _, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
		if tr := transports(n, "mail.example.test", qt); !slices.Equal(tr, []string{"udp", "tcp"}) {
			t.Fatalf("%s transports %v", dns.TypeToString[qt], tr)
		}
	}
}

func TestLookupFollowsCNAME(t *testing.T) {
	n := mailtest.Start(t)
	d := n.DNS()
	n.SetAddressFamilies("imap.example.test", true, true)
	d.AddCNAME("alias.example.test", "imap.example.test")
	d.AddCNAME("alias2.other.test", "ALIAS.example.test.")
	r := newResolver(t, n)
	ctx := context.Background()

	a, err := r.Lookup(ctx, "alias2.other.test", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	if got := addrsOf(t, a.Records); len(got) != 1 || got[0] != n.HostIP("imap.example.test") {
		t.Fatalf("A via CNAME chain: %v", a.Records)
	}
	want := []netip.Addr{n.HostIPv6("imap.example.test"), n.HostIP("imap.example.test")}
	if got, err := r.LookupHost(ctx, "alias.example.test"); err != nil || !slices.Equal(got, want) {
		t.Fatalf("LookupHost via CNAME: %v, %v; want %v", got, err, want)
	}
	// Asking for the CNAME itself returns it, not the target's records.
	a, err = r.Lookup(ctx, "alias.example.test", dns.TypeCNAME)
	if err != nil || len(a.Records) != 1 || a.Records[0].(*dns.CNAME).Target != "imap.example.test." {
		t.Fatalf("CNAME: %v, %v", a, err)
	}
	// MX through a CNAME.
	d.AddCNAME("mailalias.test", "example.test")
	if mx, _, err := r.LookupMX(ctx, "mailalias.test"); err != nil || len(mx) != 1 || mx[0].Host != "mx.example.test" {
		t.Fatalf("MX via CNAME: %v, %v", mx, err)
	}
}

// waitQuery waits until the DNS server has logged a query for name or the
// network closes. It may run on any goroutine.
func waitQuery(n *mailtest.Network, name string) {
	for n.DNS().QueryCount(name, dns.TypeANY) == 0 {
		select {
		case <-time.After(2 * time.Millisecond):
		case <-n.Done():
			return
		}
	}
}

// mustReturn runs f in a goroutine and returns its error. It fails the test
// if f has not returned after a generous grace period: that only catches a
// hang (the Resolver.Timeout in these tests is far longer), it is no timing
// assertion.
func mustReturn(t *testing.T, what string, f func() error) error {
	t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- f() }()
	select {
	case err := <-errc:
		return err
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not return", what)
		return nil
	}
}

func TestLookupSlowAnswerTimesOut(t *testing.T) {
	n := mailtest.Start(t)
	n.DNS().SetDelay("slow.example.test", time.Hour) // abandoned when the network closes
	var trace bytes.Buffer
	r := newResolver(t, n)
	r.Timeout = 50 * time.Millisecond
	r.Trace = netx.NewTracer(&trace)

	_, err := r.Lookup(context.Background(), "slow.example.test", dns.TypeA)
	if err == nil {
		t.Fatal("slow answer: no error")
	}
	if de := dnsError(t, err); de.Rcode != -1 {
		t.Fatalf("DNSError %+v, want Rcode -1 (no answer)", de)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("slow answer: %v, want a timeout error", err)
	}
	if tr := transports(n, "slow.example.test", dns.TypeA); !slices.Equal(tr, []string{"udp"}) {
		t.Fatalf("transports %v", tr)
	}
	if !strings.Contains(trace.String(), "dns A slow.example.test: ") {
		t.Fatalf("failure not traced:\n%s", trace.String())
	}
	// The other names still answer.
	if _, err := r.LookupHost(context.Background(), "imap.example.test"); err != nil {
		t.Fatal(err)
	}
}

func TestLookupCancelledContext(t *testing.T) {
	n := mailtest.Start(t)
	r := newResolver(t, n)
	r.Timeout = time.Hour // only the context can end these look-ups

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := mustReturn(t, "Lookup with a cancelled context", func() error {
		_, err := r.Lookup(ctx, "imap.example.test", dns.TypeA)
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v, want context.Canceled", err)
	}
	dnsError(t, err)
	err = mustReturn(t, "LookupHost with a cancelled context", func() error {
		_, err := r.LookupHost(ctx, "imap.example.test")
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("LookupHost: %v, want context.Canceled", err)
	}

	// A deadline on the context bounds the look-up like Resolver.Timeout.
	n.DNS().SetDelay("slow.example.test", time.Hour)
	dctx, dcancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer dcancel()
	err = mustReturn(t, "Lookup with a context deadline", func() error {
		_, err := r.Lookup(dctx, "slow.example.test", dns.TypeMX)
		return err
	})
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("context deadline: %v, want a timeout", err)
	}
}

// A look-up waiting for a slow answer stops when its context is cancelled.
func TestLookupCancelledWhileWaiting(t *testing.T) {
	n := mailtest.Start(t)
	n.DNS().SetDelay("slow.example.test", time.Hour)
	r := newResolver(t, n)
	r.Timeout = time.Hour // only the cancellation can end the look-up

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		waitQuery(n, "slow.example.test")
		cancel()
	}()
	err := mustReturn(t, "Lookup cancelled while waiting", func() error {
		_, err := r.Lookup(ctx, "slow.example.test", dns.TypeA)
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled while waiting: %v, want context.Canceled", err)
	}
	if de := dnsError(t, err); de.Rcode != -1 {
		t.Fatalf("DNSError %+v", de)
	}
}

func FuzzParseResolvConf(f *testing.F) {
	f.Add([]byte("nameserver 192.0.2.1\noptions edns0 trust-ad\n"))
	f.Add([]byte("# c\nnameserver fe80::1%eth0 ; x\r\noptions trust-ad:1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := netx.ParseResolvConf(data)
		for _, s := range c.Servers {
			if _, err := netip.ParseAddrPort(s); err != nil {
				t.Fatalf("server %q: %v", s, err)
			}
		}
		if c.TrustAD && !bytes.Contains(data, []byte("trust-ad")) {
			t.Fatalf("trust-ad without the word in %q", data)
		}
		if c.Timeout < time.Second || c.Timeout > 30*time.Second || c.Attempts < 1 || c.Attempts > 5 {
			t.Fatalf("timeout %s attempts %d from %q", c.Timeout, c.Attempts, data)
		}
	})
}
