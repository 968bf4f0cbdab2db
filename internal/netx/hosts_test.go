package netx_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// hostsName is a name TestMain maps to 127.0.0.1 in /etc/hosts when the
// tests run as root (as in CI), "" otherwise. It is written before any
// test runs because Go's resolver caches /etc/hosts for a few seconds.
var hostsName string

func TestMain(m *testing.M) {
	flag.Parse()
	// Fuzzing runs workers that are killed, not ended: they add no entry.
	if f := flag.Lookup("test.fuzz"); f != nil && f.Value.String() != "" || flag.Lookup("test.fuzzworker").Value.String() == "true" {
		os.Exit(m.Run())
	}
	os.Exit(withHostsEntry(m.Run))
}

const (
	hostsPath   = "/etc/hosts"
	hostsPrefix = "127.0.0.1 mailsetup-hosts-test-"
	hostsSuffix = ".invalid"
)

// withHostsEntry adds hostsName to /etc/hosts around run, and removes
// exactly that line afterwards. It first removes the entries of earlier
// test processes that no longer run (killed before their clean-up).
func withHostsEntry(run func() int) int {
	const path = hostsPath
	if os.Geteuid() != 0 {
		return run()
	}
	sweepHostsEntries()
	name := fmt.Sprintf("mailsetup-hosts-test-%d.invalid", os.Getpid())
	line := "127.0.0.1 " + name + "\n"
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return run()
	}
	_, err = f.WriteString("\n" + line)
	f.Close()
	if err != nil {
		return run()
	}
	defer func() {
		data, err := os.ReadFile(path)
		if err != nil {
			return
		}
		data = bytes.Replace(data, []byte("\n"+line), nil, 1)
		os.WriteFile(path, data, 0o644)
	}()
	hostsName = name
	return run()
}

// sweepHostsEntries removes the /etc/hosts entries of test processes
// that are gone, where /proc tells which run.
func sweepHostsEntries() {
	if _, err := os.Stat("/proc/self"); err != nil {
		return
	}
	data, err := os.ReadFile(hostsPath)
	if err != nil {
		return
	}
	out := data
	for line := range strings.Lines(string(data)) {
		pid, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), hostsPrefix)
		if !ok {
			continue
		}
		if pid, ok = strings.CutSuffix(pid, hostsSuffix); !ok {
			continue
		}
		if _, err := strconv.Atoi(pid); err != nil {
			continue
		}
		if _, err := os.Stat("/proc/" + pid); err == nil {
			continue
		}
		out = bytes.Replace(out, []byte("\n"+line), nil, 1)
	}
	if !bytes.Equal(out, data) {
		os.WriteFile(hostsPath, out, 0o644)
	}
}

// TestSystemResolverHonoursEtcHosts: without --resolver, a host mapped in
// /etc/hosts resolves and is dialled there, while record lookups pass a
// dead first nameserver for the second. Needs root to edit /etc/hosts.
func TestSystemResolverHonoursEtcHosts(t *testing.T) {
	if hostsName == "" {
		t.Skip("not root: cannot add an /etc/hosts entry")
	}
	n := mailtest.Start(t)
	old := netx.ResolvConfPath
	t.Cleanup(func() { netx.ResolvConfPath = old })
	netx.ResolvConfPath = t.TempDir() + "/resolv.conf"
	dead := closedUDP(t)
	ap := netip.MustParseAddrPort(n.ResolverAddr())
	conf := fmt.Sprintf("nameserver %s\nnameserver %s\noptions timeout:1\n", netip.MustParseAddrPort(dead).Addr(), ap.Addr())
	if err := os.WriteFile(netx.ResolvConfPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := netx.NewResolver("")
	if err != nil {
		t.Fatal(err)
	}
	// resolv.conf has no ports: point its entries at the test ports.
	r.Servers = []string{dead, n.ResolverAddr()}

	addrs, err := r.LookupHost(context.Background(), hostsName)
	if err != nil || !slices.Equal(addrs, []netip.Addr{netip.MustParseAddr("127.0.0.1")}) {
		t.Fatalf("%s: %v, %v", hostsName, addrs, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	c, err := (&netx.ResolvingDialer{Resolver: r}).DialContext(context.Background(), "tcp", net.JoinHostPort(hostsName, port))
	if err != nil {
		t.Fatalf("dial %s: %v", hostsName, err)
	}
	c.Close()

	if a, err := r.Lookup(context.Background(), "example.test", dns.TypeMX); err != nil || a.Server != n.ResolverAddr() {
		t.Fatalf("MX past a dead first nameserver: %+v, %v", a, err)
	}
}
