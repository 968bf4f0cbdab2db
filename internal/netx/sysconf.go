package netx

// The system's DNS configuration: which nameservers mailsetup's record
// lookups (MX, SRV, TXT, TLSA) ask when --resolver is not given. Each
// operating system keeps it somewhere else, so the source sits behind
// ConfigSource: /etc/resolv.conf on Linux, the BSDs and macOS (where
// configd generates it from the primary resolver), the network adapters'
// configuration on Windows (sysconf_windows.go). The parsing and the
// adapter rules are portable code here, so that the Windows and macOS
// paths are tested on any system with fixtures.
//
// resolv.conf is parsed by hand because miekg/dns's parser drops the
// options it does not use, trust-ad among them.

import (
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Defaults of resolv.conf(5) for "options timeout:N attempts:N", used by
// every system source.
const (
	DefaultSystemTimeout  = 5 * time.Second
	DefaultSystemAttempts = 2
	// maxSystemTimeout and maxSystemAttempts are glibc's caps.
	maxSystemTimeout  = 30 * time.Second
	maxSystemAttempts = 5
)

// ADRuleNoSystemTrust is the AD-bit rule where the system configuration
// has no way to mark a resolver as validating (Windows).
const ADRuleNoSystemTrust = "the system's DNS configuration cannot mark a resolver as validating; pass --trust-ad"

// SystemConfig is the system's DNS configuration as mailsetup uses it.
type SystemConfig struct {
	// Servers are the nameservers as host:port, in the order to try them.
	Servers []string
	// TrustAD is glibc's "options trust-ad": the nameservers validate
	// DNSSEC and the path to them is trusted, so their AD bit counts.
	TrustAD bool
	// ADRule says why TrustAD is set or not (see Resolver.ADRule).
	ADRule string
	// Timeout bounds one try of one nameserver: "options timeout:N",
	// DefaultSystemTimeout when not given.
	Timeout time.Duration
	// Attempts is how many rounds over the nameservers a lookup makes:
	// "options attempts:N", DefaultSystemAttempts when not given.
	Attempts int
	// Source names where the configuration came from, for -v.
	Source string
}

// A ConfigSource reads the system's DNS configuration. A source that
// finds nothing returns a configuration without Servers and the reason
// as error; the resolver then falls back to the operating system's own
// record lookups.
type ConfigSource interface {
	DNSConfig() (SystemConfig, error)
}

// ResolvConfPath is the resolv.conf the default source reads on systems
// other than Windows.
var ResolvConfPath = "/etc/resolv.conf"

// systemSource is this system's configuration source; the Windows build
// replaces it with the adapter configuration.
var systemSource ConfigSource = resolvConfAtPath{}

// resolvConfAtPath reads ResolvConfPath when asked, so that tests may
// point it elsewhere.
type resolvConfAtPath struct{}

func (resolvConfAtPath) DNSConfig() (SystemConfig, error) {
	return ResolvConfFile(ResolvConfPath).DNSConfig()
}

// SystemSource returns this system's configuration source: the
// adapters' configuration on Windows, ResolvConfPath elsewhere.
func SystemSource() ConfigSource { return systemSource }

// ResolvConfFile is a resolv.conf(5) file read as a ConfigSource: Linux's
// and the BSDs', and macOS's, which configd writes from the primary
// resolver of "scutil --dns" (its scoped and per-domain resolvers are not
// in it; the operating system's resolver, which mailsetup asks for host
// addresses, applies them).
type ResolvConfFile string

// DNSConfig implements ConfigSource.
func (f ResolvConfFile) DNSConfig() (SystemConfig, error) {
	data, err := os.ReadFile(string(f))
	if err != nil {
		c := ParseResolvConf(nil)
		c.Source = string(f)
		return c, fmt.Errorf("system DNS configuration: %w", err)
	}
	c := ParseResolvConf(data)
	c.Source = string(f)
	if len(c.Servers) == 0 {
		return c, fmt.Errorf("system DNS configuration: no nameserver in %s", f)
	}
	return c, nil
}

// ParseResolvConf parses resolv.conf(5) text: "nameserver ADDR" lines and
// the "trust-ad", "timeout:N" and "attempts:N" options of "options" lines
// (later lines add to earlier ones, as in glibc; the values are capped as
// glibc caps them). Lines starting with '#' or ';' are comments, and so
// is the rest of a line after one. Nameservers keep their order and an
// IPv6 zone ("fe80::1%en0"); host names, which resolv.conf does not
// allow, are skipped.
func ParseResolvConf(data []byte) SystemConfig {
	c := SystemConfig{Timeout: DefaultSystemTimeout, Attempts: DefaultSystemAttempts}
	for line := range strings.Lines(string(data)) {
		if i := strings.IndexAny(line, "#;"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "nameserver":
			if ip, err := netip.ParseAddr(f[1]); err == nil {
				c.Servers = append(c.Servers, netip.AddrPortFrom(ip, 53).String())
			}
		case "options":
			for _, o := range f[1:] {
				name, val, _ := strings.Cut(o, ":")
				n, err := strconv.Atoi(val)
				switch {
				case o == "trust-ad":
					c.TrustAD = true
				case name == "timeout" && err == nil && n >= 1:
					c.Timeout = min(time.Duration(n)*time.Second, maxSystemTimeout)
				case name == "attempts" && err == nil && n >= 1:
					c.Attempts = min(n, maxSystemAttempts)
				}
			}
		}
	}
	c.ADRule = ADRuleNoResolvConf
	if c.TrustAD {
		c.ADRule = ADRuleResolvConf
	}
	return c
}

// Adapter is what mailsetup uses of one Windows network adapter's
// configuration (GetAdaptersAddresses).
type Adapter struct {
	// Name is the adapter's friendly name, for -v.
	Name string
	// Up: the adapter's operational status is up.
	Up bool
	// HasGateway: the adapter has at least one gateway.
	HasGateway bool
	// DNSServers are the adapter's DNS servers in order; an IPv6
	// link-local address carries its zone (the scope id).
	DNSServers []netip.Addr
}

// AdapterSource reads nameservers from a list of network adapters, the
// way Windows configures DNS. List gives the adapters: on Windows the
// system's, converted from GetAdaptersAddresses; in tests a fixture.
type AdapterSource struct {
	// Name describes the source, for -v.
	Name string
	// List returns the adapters in the system's order.
	List func() ([]Adapter, error)
}

// DNSConfig implements ConfigSource. The nameservers are those of
// NameserversFromAdapters; Windows has no equivalent of "options
// trust-ad", so the AD bit is believed only with --trust-ad.
func (s AdapterSource) DNSConfig() (SystemConfig, error) {
	c := SystemConfig{Timeout: DefaultSystemTimeout, Attempts: DefaultSystemAttempts, ADRule: ADRuleNoSystemTrust, Source: s.Name}
	list, err := s.List()
	if err != nil {
		return c, fmt.Errorf("system DNS configuration: %s: %w", s.Name, err)
	}
	c.Servers = NameserversFromAdapters(list)
	if len(c.Servers) == 0 {
		return c, fmt.Errorf("system DNS configuration: no DNS server in %s", s.Name)
	}
	return c, nil
}

// NameserversFromAdapters returns the DNS servers of the adapters that
// are up and have a gateway, in order and without repeats, as host:port.
// It skips the fec0::/10 site-local addresses Windows sets by default when
// no IPv6 DNS server is configured (deprecated by RFC 3879, they answer
// nowhere) and unspecified addresses. These are the rules of Go's own
// resolver on Windows.
func NameserversFromAdapters(adapters []Adapter) []string {
	var out []string
	for _, a := range adapters {
		if !a.Up || !a.HasGateway {
			continue
		}
		for _, ip := range a.DNSServers {
			zone := ip.Zone()
			ip = ip.WithZone("").Unmap() // netip compares zones: "::%1" is not IsUnspecified
			if !ip.IsValid() || ip.IsUnspecified() {
				continue
			}
			if b := ip.As16(); ip.Is6() && b[0] == 0xfe && b[1]&0xc0 == 0xc0 {
				continue
			}
			if ip.Is6() && ip.IsLinkLocalUnicast() {
				ip = ip.WithZone(zone)
			}
			s := netip.AddrPortFrom(ip, 53).String()
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}
