package cmd

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// fixedDNS is a system DNS configuration given in the test, where
// resolv.conf could not name the test servers' ports.
type fixedDNS netx.SystemConfig

func (c fixedDNS) DNSConfig() (netx.SystemConfig, error) { return netx.SystemConfig(c), nil }

// runSystemDNS runs mailsetup without --resolver: record lookups go to
// the nameservers of conf, host addresses to Go's resolver asking the
// network's DNS server (standing in for the operating system's).
func runSystemDNS(t *testing.T, n *mailtest.Network, conf netx.SystemConfig, stdin string, args ...string) (int, string, string) {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	f := NewFactory(ios)
	f.Dialer = n
	f.RootCAs = n.CAPool()
	f.SystemDNS = fixedDNS(conf)
	f.HostResolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, n.ResolverAddr())
	}}
	f.readPassword = func() ([]byte, error) { t.Fatal("prompted for a password"); return nil, nil }
	code := Execute(context.Background(), f, args)
	return code, out.String(), errOut.String()
}

// TestSystemDNSDeadFirstNameserver: without --resolver, discovery and the
// probe work when the system's first nameserver is dead, and -v says how
// lookups are made.
func TestSystemDNSDeadFirstNameserver(t *testing.T) {
	n := mailtest.Start(t)
	n.DNS().AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.example.test")
	n.DNS().AddSRV("_submissions._tcp.example.test", 0, 1, 465, "smtp.example.test")
	pc, err := net.ListenPacket("udp", "127.0.0.1:0") // never answers
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	dead := pc.LocalAddr().String()
	conf := netx.SystemConfig{Servers: []string{dead, n.ResolverAddr()}, Timeout: 200 * time.Millisecond, Attempts: 2, Source: "test resolv.conf", ADRule: netx.ADRuleNoResolvConf}

	code, out, errOut := runSystemDNS(t, n, conf, "", "discover", "jane@example.test", "--ispdb", "off", "--sources", "srv", "-v")
	if code != ExitOK || !strings.Contains(out, "imap.example.test port 993") {
		t.Fatalf("discover: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"record lookups to " + dead + ", " + n.ResolverAddr() + " (from test resolv.conf",
		"dns SRV _imaps._tcp.example.test via " + n.ResolverAddr(),
		"via the system resolver",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("-v lacks %q:\n%s", want, errOut)
		}
	}

	// Autoconfig over HTTPS dials through discovery's guard, which checks
	// the addresses the operating system's resolver gave.
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", Body: `<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
<incomingServer type="imap"><hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`})
	code, out, errOut = runSystemDNS(t, n, conf, "", "discover", "jane@example.test", "--ispdb", "off", "--sources", "autoconfig", "-v")
	if code != ExitOK || !strings.Contains(out, "Source           autoconfig") || !strings.Contains(errOut, "dns A/AAAA autoconfig.example.test via the system resolver: ") {
		t.Fatalf("discover via autoconfig: exit %d\n%s\n%s", code, out, errOut)
	}

	code, out, errOut = runSystemDNS(t, n, conf, mailtest.DefaultPassword+"\n", "probe", "--imap", "imap.example.test", "--user", mailtest.DefaultUser, "--password-stdin")
	if code != ExitOK || !strings.Contains(out, "Logged in as") || !strings.Contains(out, "DNS for example.test") {
		t.Fatalf("probe: exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestSystemDNSNoNameserver: with no nameserver in the system's
// configuration, discovery falls back to the operating system's record
// lookups and -v says that they carry no AD bit.
func TestSystemDNSNoNameserver(t *testing.T) {
	n := mailtest.Start(t)
	n.DNS().AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.example.test")
	n.DNS().AddSRV("_submissions._tcp.example.test", 0, 1, 465, "smtp.example.test")
	conf := netx.SystemConfig{Source: "test resolv.conf without nameservers"}
	code, out, errOut := runSystemDNS(t, n, conf, "", "discover", "jane@example.test", "--ispdb", "off", "--sources", "srv", "-v")
	if code != ExitOK || !strings.Contains(out, "imap.example.test port 993") {
		t.Fatalf("discover: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"no nameserver found", "reports no DNSSEC (AD bit)", "dns SRV _imaps._tcp.example.test via the system resolver (no DNSSEC)"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("-v lacks %q:\n%s", want, errOut)
		}
	}
}
