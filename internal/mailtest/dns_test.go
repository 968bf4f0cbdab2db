package mailtest

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func TestDNSDefaultZoneUDPAndTCP(t *testing.T) {
	n := Start(t)
	want := n.HostIP("imap.example.test")
	if !want.IsLoopback() || want == netip.MustParseAddr("127.0.0.1") {
		t.Fatalf("host IP %v: want a loopback address other than 127.0.0.1", want)
	}
	for _, proto := range []string{"udp", "tcp"} {
		m := new(dns.Msg)
		m.SetQuestion("imap.example.test.", dns.TypeA)
		c := &dns.Client{Net: proto, Timeout: 5 * time.Second}
		r, _, err := c.Exchange(m, n.ResolverAddr())
		if err != nil {
			t.Fatalf("%s: %v", proto, err)
		}
		if len(r.Answer) != 1 {
			t.Fatalf("%s: answer %v", proto, r.Answer)
		}
		a, ok := r.Answer[0].(*dns.A)
		if !ok || a.A.String() != want.String() {
			t.Fatalf("%s: answer %v, want A %v", proto, r.Answer[0], want)
		}
	}
	qs := n.DNS().Queries()
	if len(qs) != 2 || qs[0].Transport != "udp" || qs[1].Transport != "tcp" ||
		qs[0].Name != "imap.example.test." || qs[0].TypeString() != "A" {
		t.Fatalf("query log %+v", qs)
	}
	if c := n.DNS().QueryCount("IMAP.example.test", dns.TypeA); c != 2 {
		t.Fatalf("QueryCount = %d, want 2", c)
	}

	r := exchange(t, n, "example.test", dns.TypeMX)
	if len(r.Answer) != 1 || r.Answer[0].(*dns.MX).Mx != "mx.example.test." {
		t.Fatalf("MX answer %v", r.Answer)
	}
	if !r.Authoritative || r.AuthenticatedData {
		t.Fatalf("flags AA=%v AD=%v", r.Authoritative, r.AuthenticatedData)
	}
}

func TestDNSRecordTypes(t *testing.T) {
	n := Start(t)
	d := n.DNS()
	d.AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.example.test")
	d.AddSRV("_pop3._tcp.example.test", 0, 0, 0, ".")
	d.AddTXT("_mta-sts.example.test", "v=STSv1; id=1")
	d.AddTLSA("_25._tcp.mx.example.test", 3, 1, 1, "ABCDEF0123")
	d.AddA("v6.example.test", netip.MustParseAddr("::1"))
	d.AddCNAME("alias.example.test", "imap.example.test")
	if err := d.Add("extra.example.test. 60 IN TXT \"hello\""); err != nil {
		t.Fatal(err)
	}
	if err := d.Add("not a record"); err == nil {
		t.Fatal("bad record accepted")
	}

	srv := exchange(t, n, "_imaps._tcp.example.test", dns.TypeSRV).Answer
	if len(srv) != 1 || srv[0].(*dns.SRV).Port != 993 || srv[0].(*dns.SRV).Target != "imap.example.test." {
		t.Fatalf("SRV %v", srv)
	}
	if s := exchange(t, n, "_pop3._tcp.example.test", dns.TypeSRV).Answer; len(s) != 1 || s[0].(*dns.SRV).Target != "." {
		t.Fatalf("null SRV %v", s)
	}
	if txt := exchange(t, n, "_mta-sts.example.test", dns.TypeTXT).Answer; len(txt) != 1 || txt[0].(*dns.TXT).Txt[0] != "v=STSv1; id=1" {
		t.Fatalf("TXT %v", txt)
	}
	if tl := exchange(t, n, "_25._tcp.mx.example.test", dns.TypeTLSA).Answer; len(tl) != 1 || tl[0].(*dns.TLSA).Certificate != "abcdef0123" {
		t.Fatalf("TLSA %v", tl)
	}
	if a := exchange(t, n, "v6.example.test", dns.TypeAAAA).Answer; len(a) != 1 || a[0].(*dns.AAAA).AAAA.String() != "::1" {
		t.Fatalf("AAAA %v", a)
	}
	if x := exchange(t, n, "extra.example.test", dns.TypeTXT).Answer; len(x) != 1 || x[0].Header().Ttl != 60 {
		t.Fatalf("parsed TXT %v", x)
	}
	// CNAME is followed inside the zone.
	ans := exchange(t, n, "alias.example.test", dns.TypeA).Answer
	if len(ans) != 2 || ans[0].Header().Rrtype != dns.TypeCNAME || ans[1].(*dns.A).A.String() != n.HostIP("imap.example.test").String() {
		t.Fatalf("CNAME chase %v", ans)
	}
	// Existing name without the type: NOERROR, no answer. Empty
	// non-terminal: NOERROR too.
	for _, name := range []string{"imap.example.test", "_tcp.example.test"} {
		r := exchange(t, n, name, dns.TypeMX)
		if r.Rcode != dns.RcodeSuccess || len(r.Answer) != 0 {
			t.Fatalf("%s MX: rcode %s answer %v", name, dns.RcodeToString[r.Rcode], r.Answer)
		}
	}
	d.Remove("_mta-sts.example.test", dns.TypeTXT)
	if r := exchange(t, n, "_mta-sts.example.test", dns.TypeTXT); r.Rcode != dns.RcodeNameError {
		t.Fatalf("after Remove: %s", dns.RcodeToString[r.Rcode])
	}
	if got := d.Records("imap.example.test", dns.TypeA); len(got) != 1 {
		t.Fatalf("Records = %v", got)
	}
}

func TestDNSRcodesAndAD(t *testing.T) {
	n := Start(t)
	d := n.DNS()
	if r := exchange(t, n, "nowhere.example.test", dns.TypeA); r.Rcode != dns.RcodeNameError {
		t.Fatalf("unknown name: %s", dns.RcodeToString[r.Rcode])
	}
	d.SetNXDOMAIN("imap.example.test", true)
	if r := exchange(t, n, "imap.example.test", dns.TypeA); r.Rcode != dns.RcodeNameError || len(r.Answer) != 0 {
		t.Fatalf("NXDOMAIN knob: %s %v", dns.RcodeToString[r.Rcode], r.Answer)
	}
	d.SetNXDOMAIN("imap.example.test", false)
	d.SetSERVFAIL("example.test", true)
	if r := exchange(t, n, "example.test", dns.TypeMX); r.Rcode != dns.RcodeServerFailure {
		t.Fatalf("SERVFAIL knob: %s", dns.RcodeToString[r.Rcode])
	}
	if r := exchange(t, n, "imap.example.test", dns.TypeA); r.Rcode != dns.RcodeSuccess || len(r.Answer) != 1 {
		t.Fatalf("knob leaked to another name: %v", r)
	}
	d.SetAD("mx.example.test", true)
	if r := exchange(t, n, "mx.example.test", dns.TypeA); !r.AuthenticatedData {
		t.Fatal("AD bit not set")
	}
	if r := exchange(t, n, "imap.example.test", dns.TypeA); r.AuthenticatedData {
		t.Fatal("AD bit set for another name")
	}
	d.SetADAll(true)
	if r := exchange(t, n, "imap.example.test", dns.TypeA); !r.AuthenticatedData {
		t.Fatal("SetADAll: AD bit not set")
	}
	if r := exchange(t, n, "nothing-here.test", dns.TypeA); !r.AuthenticatedData || r.Rcode != dns.RcodeNameError {
		t.Fatalf("SetADAll: NXDOMAIN answer %v", r)
	}
	d.SetADAll(false)
	if r := exchange(t, n, "imap.example.test", dns.TypeA); r.AuthenticatedData {
		t.Fatal("SetADAll off: AD bit still set")
	}
}

func TestDNSTruncation(t *testing.T) {
	n := Start(t)
	d := n.DNS()
	d.SetTruncate("example.test", true)
	m := new(dns.Msg)
	m.SetQuestion("example.test.", dns.TypeMX)
	r, _, err := (&dns.Client{Net: "udp", Timeout: 5 * time.Second}).Exchange(m, n.ResolverAddr())
	if err != nil {
		t.Fatal(err)
	}
	if !r.Truncated || len(r.Answer) != 0 {
		t.Fatalf("UDP answer not truncated: TC=%v %v", r.Truncated, r.Answer)
	}
	d.ResetQueries()
	if r := exchange(t, n, "example.test", dns.TypeMX); r.Truncated || len(r.Answer) != 1 {
		t.Fatalf("after TCP retry: TC=%v %v", r.Truncated, r.Answer)
	}
	qs := d.Queries()
	if len(qs) != 2 || qs[0].Transport != "udp" || qs[1].Transport != "tcp" {
		t.Fatalf("query log %+v, want udp then tcp", qs)
	}

	// A big answer is truncated the standard way when it exceeds 512 bytes.
	for i := 0; i < 30; i++ {
		d.AddTXT("big.example.test", strings.Repeat("x", 60))
	}
	m.SetQuestion("big.example.test.", dns.TypeTXT)
	r, _, err = (&dns.Client{Net: "udp", Timeout: 5 * time.Second}).Exchange(m, n.ResolverAddr())
	if err != nil {
		t.Fatal(err)
	}
	if !r.Truncated {
		t.Fatal("oversized UDP answer without TC")
	}
	if r := exchange(t, n, "big.example.test", dns.TypeTXT); len(r.Answer) != 30 {
		t.Fatalf("TCP answer has %d records", len(r.Answer))
	}
}

func TestDNSDelay(t *testing.T) {
	n := Start(t)
	d := n.DNS()
	d.SetDelay("slow.example.test", time.Hour)
	d.AddTXT("slow.example.test", "x")
	m := new(dns.Msg)
	m.SetQuestion("slow.example.test.", dns.TypeTXT)
	_, _, err := (&dns.Client{Net: "udp", Timeout: 100 * time.Millisecond}).Exchange(m, n.ResolverAddr())
	if err == nil {
		t.Fatal("slow answer arrived")
	}
	d.SetDelay("slow.example.test", 30*time.Millisecond)
	start := time.Now()
	if r := exchange(t, n, "slow.example.test", dns.TypeTXT); len(r.Answer) != 1 {
		t.Fatalf("answer %v", r.Answer)
	}
	if el := time.Since(start); el < 30*time.Millisecond {
		t.Fatalf("answer after %v, before the delay", el)
	}
	if c := d.QueryCount("slow.example.test", dns.TypeANY); c != 2 {
		t.Fatalf("QueryCount = %d", c)
	}
}

// Zone edits while the server answers must be race-free.
func TestDNSConcurrentEdits(t *testing.T) {
	n := Start(t)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < 50; i++ {
			n.DNS().AddTXT("busy.example.test", "v")
			n.DNS().SetAD("busy.example.test", i%2 == 0)
			n.DNS().Remove("busy.example.test", dns.TypeTXT)
		}
	}()
	go func() {
		defer wg.Done()
		c := &dns.Client{Net: "udp", Timeout: 5 * time.Second}
		for i := 0; i < 50; i++ {
			m := new(dns.Msg)
			m.SetQuestion("busy.example.test.", dns.TypeTXT)
			if _, _, err := c.Exchange(m, n.ResolverAddr()); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	wg.Wait()
}

func TestDNSDelayAll(t *testing.T) {
	n := Start(t)
	n.DNS().SetDelayAll(50 * time.Millisecond)
	c := &dns.Client{Net: "udp", Timeout: 5 * time.Second}
	m := new(dns.Msg)
	m.SetQuestion("imap.example.test.", dns.TypeA)
	start := time.Now()
	r, _, err := c.Exchange(m, n.ResolverAddr())
	if err != nil || len(r.Answer) != 1 {
		t.Fatalf("exchange: %v %v", r, err)
	}
	if time.Since(start) < 50*time.Millisecond {
		t.Errorf("answer was not delayed")
	}
}

// TestDNSRcodeAll: SetRcodeAll makes the server refuse or fail every
// question, over the wire and for the dialer's own lookups; a name's own
// response code still wins, and RcodeSuccess restores normal answers.
func TestDNSRcodeAll(t *testing.T) {
	n := Start(t)
	d := n.DNS()
	d.SetNXDOMAIN("gone.example.test", true)
	for _, rc := range []int{dns.RcodeRefused, dns.RcodeServerFailure} {
		d.SetRcodeAll(rc)
		for _, q := range []struct {
			name string
			t    uint16
		}{{"example.test", dns.TypeMX}, {"imap.example.test", dns.TypeA}, {"nowhere.test", dns.TypeAAAA}} {
			if r := exchange(t, n, q.name, q.t); r.Rcode != rc || len(r.Answer) != 0 {
				t.Errorf("%s %s with SetRcodeAll(%s): %s %v", q.name, dns.TypeToString[q.t], dns.RcodeToString[rc], dns.RcodeToString[r.Rcode], r.Answer)
			}
		}
		if r := exchange(t, n, "gone.example.test", dns.TypeA); r.Rcode != dns.RcodeNameError {
			t.Errorf("a name's own NXDOMAIN: %s", dns.RcodeToString[r.Rcode])
		}
		_, err := n.DialContext(context.Background(), "tcp", "imap.example.test:993")
		var de *net.DNSError
		if !errors.As(err, &de) || de.IsNotFound || de.Err != dns.RcodeToString[rc] {
			t.Errorf("dialer with SetRcodeAll(%s): %v", dns.RcodeToString[rc], err)
		}
	}
	d.SetRcodeAll(dns.RcodeSuccess)
	if r := exchange(t, n, "example.test", dns.TypeMX); r.Rcode != dns.RcodeSuccess || len(r.Answer) != 1 {
		t.Fatalf("after SetRcodeAll(RcodeSuccess): %s %v", dns.RcodeToString[r.Rcode], r.Answer)
	}
	c, err := n.DialContext(context.Background(), "tcp", "imap.example.test:993")
	if err != nil {
		t.Fatalf("dialer after SetRcodeAll(RcodeSuccess): %v", err)
	}
	c.Close()
}
