// Package mailtest runs a complete, realistic mail network inside a test
// process: a programmable DNS server, a test certificate authority, HTTPS
// and HTTP virtual hosts, IMAP, SMTP submission and POP3 servers, and a
// dialer that maps "host:standard-port" to the right loopback listener.
//
// Typical use:
//
//	n := mailtest.Start(t)
//	conn, err := n.DialContext(ctx, "tcp", "imap.example.test:993")
//	... tls.Client(conn, n.TLSClientConfig("imap.example.test")) ...
//
// # Addresses
//
// Every host gets its own virtual IPv4 address from 127.0.0.0/8 (starting at
// 127.0.0.2) and an A record for it in the test DNS zone. It also owns a
// virtual IPv6 address in the unique-local prefix fd6d:6169:6c74::/48
// (VirtualIPv6Prefix), whose last 32 bits repeat the IPv4 address
// (127.0.0.2 pairs with fd6d:6169:6c74::7f00:2), but that one is off until
// SetAddressFamilies turns it on: a host can be IPv4-only (the default),
// dual-stack (A and AAAA records), or IPv6-only (an AAAA record and no A
// record; its IPv4 address is then not dialable either).
//
// Those addresses are never bound or dialed for real: each (host, port)
// endpoint listens on 127.0.0.1 at a random port, and the dialer maps
// "name:port", "virtual-IPv4:port" and "[virtual-IPv6]:port" to that
// listener. Names are resolved by the dialer from the zone in memory (so
// zone edits and the NXDOMAIN/SERVFAIL knobs affect dialing too, but such
// look-ups are not in the query log); a name is dialed at the first of its
// addresses (IPv4 before IPv6) that is reachable. Connections returned by
// the dialer report the virtual address dialed as RemoteAddr. A dial to
// anything unknown fails at once with a "connection refused" error
// (errors.Is ECONNREFUSED).
//
// SetReachability breaks one address family of a host at dial time, to
// model a dual-stack host whose IPv6 address is unreachable: dials to it
// fail at once with ENETUNREACH (Unreachable) or ECONNREFUSED (Refused), or
// hang until the dial's context ends (Blackhole), while the other family
// keeps working.
//
// # Mail servers and logs
//
// IMAP (go-imap v2 imapserver with imapmemserver), submission (go-smtp) and
// POP3 (this package) run on internal listeners. Each public mail endpoint
// terminates TLS itself (implicit TLS, or after a positive STARTTLS/STLS
// reply) with the certificate chosen for the host, and relays the cleartext
// to the library server over an internal TLS hop, so the libraries' own TLS
// rules apply (LOGINDISABLED and no AUTH before TLS) while every line a
// client sends is recorded, passwords redacted, in a ConnLog.
//
// SetIMAPLogin, SetSMTPLogin and SetPOP3Login choose the login mechanisms
// and capabilities the servers offer (SASL-IR, LITERAL+/-, AUTH LOGIN,
// USER...) and can refuse every login with a chosen response code;
// LoginAttempts lists every login the servers received, as decoded.
//
// Everything stops when the test ends (testing.TB.Cleanup), and Close
// waits for every goroutine the package started.
package mailtest

import (
	"crypto/x509"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/internal/netx"
)

// Defaults of the network built by Start without the Bare option.
const (
	DefaultDomain   = "example.test"
	DefaultUser     = "jane@example.test"
	DefaultPassword = "hunter2-Mailtest"
)

var _ netx.Dialer = (*Network)(nil)

// Service is a kind of endpoint a host can offer. Each has a standard port.
type Service int

// The services. The comment gives the standard port and the TLS mode.
const (
	IMAPS       Service = iota + 1 // 993, implicit TLS
	IMAP                           // 143, STARTTLS (LOGINDISABLED before TLS)
	Submissions                    // 465, implicit TLS
	Submission                     // 587, STARTTLS (no AUTH before TLS)
	SMTP                           // 25, STARTTLS (MX / inbound)
	POP3S                          // 995, implicit TLS
	POP3                           // 110, STLS (no USER/PASS/AUTH before TLS)
	HTTPS                          // 443
	HTTP                           // 80
)

type proto int

const (
	protoIMAP proto = iota + 1
	protoSMTP
	protoPOP3
	protoHTTP
)

type serviceInfo struct {
	name     string
	port     int
	proto    proto
	implicit bool
}

var serviceTable = map[Service]serviceInfo{
	IMAPS:       {"imaps", 993, protoIMAP, true},
	IMAP:        {"imap", 143, protoIMAP, false},
	Submissions: {"submissions", 465, protoSMTP, true},
	Submission:  {"submission", 587, protoSMTP, false},
	SMTP:        {"smtp", 25, protoSMTP, false},
	POP3S:       {"pop3s", 995, protoPOP3, true},
	POP3:        {"pop3", 110, protoPOP3, false},
	HTTPS:       {"https", 443, protoHTTP, true},
	HTTP:        {"http", 80, protoHTTP, false},
}

// MailServices are the six client-facing mail services.
var MailServices = []Service{IMAPS, IMAP, Submissions, Submission, POP3S, POP3}

// WebServices are HTTPS and HTTP.
var WebServices = []Service{HTTPS, HTTP}

// String returns the service's lower-case name ("imaps", "submission", ...).
func (s Service) String() string {
	if i, ok := serviceTable[s]; ok {
		return i.name
	}
	return "Service(" + strconv.Itoa(int(s)) + ")"
}

// Port returns the service's standard port.
func (s Service) Port() int { return serviceTable[s].port }

// ImplicitTLS reports whether the service starts with a TLS handshake.
func (s Service) ImplicitTLS() bool { return serviceTable[s].implicit }

func (s Service) proto() proto { return serviceTable[s].proto }

// Endpoint describes one (host, port) a network serves.
type Endpoint struct {
	Host    string     // lower-case host name, no trailing dot
	Port    int        // the port clients dial, usually Service.Port()
	Service Service    // what is served there
	IP      netip.Addr // the host's virtual IPv4 address; invalid if it has none
	IPv6    netip.Addr // the host's virtual IPv6 address; invalid if it has none
	Addr    string     // the real loopback listener, "127.0.0.1:port"
}

// String returns "host:port".
func (e Endpoint) String() string { return net.JoinHostPort(e.Host, strconv.Itoa(e.Port)) }

// endpoint is a listening endpoint. Its Endpoint's IP fields are left
// zero: the host's addresses can change, so public copies are made by
// Network.endpointInfo.
type endpoint struct {
	Endpoint
	ln net.Listener
	h  *host
}

// TLSSettings choose what a host's TLS servers (mail and HTTPS) present.
type TLSSettings struct {
	Kind CertKind // certificate variant; CertValid by default
	// Names are the certificate's names (DNS names or IPs); default: the
	// host name.
	Names []string
	// MinVersion and MaxVersion bound the TLS versions the server accepts
	// (tls.VersionTLS10 ...); 0 means the crypto/tls default.
	MinVersion, MaxVersion uint16
}

// host is a registered host. All fields but name, ip4 and ip6 are guarded
// by Network.mu.
type host struct {
	name      string
	ip4, ip6  netip.Addr // virtual addresses, fixed at registration
	has4      bool       // ip4 is in the zone and dialable
	has6      bool       // ip6 is in the zone and dialable
	reach4    Reachability
	reach6    Reachability
	tls       TLSSettings
	endpoints map[int]*endpoint
}

// Behavior changes how an endpoint treats new connections; set it with
// Network.SetBehavior. Zero fields mean "normal".
type Behavior struct {
	// Latency is added to every round trip of connections dialed through
	// the network's dialer: once at dial time and then to all data received
	// (one-way delay on the server-to-client direction).
	Latency time.Duration
	// Tarpit accepts connections and never answers (input is discarded).
	Tarpit bool
	// StallAfterGreeting sends the greeting (after the TLS handshake on
	// implicit-TLS ports) and then never answers; client input is still
	// read and logged.
	StallAfterGreeting bool
	// Flood sends an endless greeting line: a protocol prefix ("* OK ",
	// "220 ", "+OK " or an HTTP status line) followed by endless bytes and
	// no line end (after the TLS handshake on implicit-TLS ports).
	Flood bool
	// STARTTLSInjection is written in cleartext right after a positive
	// STARTTLS/STLS reply and before the TLS handshake (the "response
	// injection" attack). A correct client discards or refuses it.
	STARTTLSInjection []byte
	// RewriteServerLine, if set, replaces each line a mail server sends
	// (line includes its line ending; afterTLS tells whether TLS is up).
	// Return the bytes to send: "" drops the line, several lines may be
	// returned. Use it to strip STARTTLS from capabilities, fake a PREAUTH
	// greeting, and so on. It may be called from several goroutines.
	RewriteServerLine func(line string, afterTLS bool) string
	// Handler, if set, takes over every accepted connection (raw TCP, before
	// any TLS); the connection is closed when it returns and when the
	// network closes. It runs in its own goroutine and must return once the
	// connection is closed.
	Handler func(conn net.Conn, ep Endpoint)
}

// merge overlays the non-zero fields of o on b.
func (b Behavior) merge(o Behavior) Behavior {
	if o.Latency != 0 {
		b.Latency = o.Latency
	}
	b.Tarpit = b.Tarpit || o.Tarpit
	b.StallAfterGreeting = b.StallAfterGreeting || o.StallAfterGreeting
	b.Flood = b.Flood || o.Flood
	if o.STARTTLSInjection != nil {
		b.STARTTLSInjection = o.STARTTLSInjection
	}
	if o.RewriteServerLine != nil {
		b.RewriteServerLine = o.RewriteServerLine
	}
	if o.Handler != nil {
		b.Handler = o.Handler
	}
	return b
}

// Credentials are a mail user's login name and password.
type Credentials struct {
	Username string
	Password string
}

// Option configures Start.
type Option func(*config)

type config struct {
	bare    bool
	latency time.Duration
	user    *Credentials
}

// Bare starts an empty network: no hosts, no records, no users. Build it
// with AddMailDomain, AddHost, AddUser and DNS().
func Bare() Option { return func(c *config) { c.bare = true } }

// WithLatency sets the global per-round-trip latency (see Behavior.Latency).
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = d } }

// WithUser replaces the default user of the default network.
func WithUser(username, password string) Option {
	return func(c *config) { c.user = &Credentials{username, password} }
}

// Network is a running in-process mail network. All methods are safe for
// concurrent use; those that fail the test on error (AddHost, AddEndpoint,
// AddMailDomain, SetTLS, SetCertKind) belong on the test goroutine.
type Network struct {
	tb   testing.TB
	ca   *CA
	dns  *DNSServer
	done chan struct{}
	wg   sync.WaitGroup

	closeOnce sync.Once

	internalTLS *tlsPair

	imap *imapBackend
	smtp *smtpBackend
	pop3 *pop3Server
	web  *webServer

	login loginKnobs

	mu          sync.RWMutex
	closed      bool
	hosts       map[string]*host
	byIP        map[netip.Addr]*host // enabled virtual addresses only
	byReal      map[string]*endpoint
	ipCounter   uint32
	users       map[string]string
	defaultUser Credentials
	latency     time.Duration
	hostBehav   map[string]Behavior
	epBehav     map[string]Behavior
	conns       map[net.Conn]struct{}
	connLogs    []*ConnLog
	httpLog     []HTTPRequest
	routes      map[string]map[string]Route // host -> path -> scheme("" any) stored as path+"\x00"+scheme
	clients     []closeIdler
}

type closeIdler interface{ CloseIdleConnections() }

// Start builds and starts a network and registers its Close with
// tb.Cleanup. Without options it serves the default network: domain
// example.test (see AddMailDomain) and the user jane@example.test with
// DefaultPassword. It fails the test if anything cannot start.
func Start(tb testing.TB, opts ...Option) *Network {
	tb.Helper()
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	n, err := start(tb, cfg)
	if err != nil {
		tb.Fatalf("%v", err)
	}
	tb.Cleanup(n.Close)
	return n
}

func start(tb testing.TB, cfg config) (_ *Network, err error) {
	n := &Network{
		tb:        tb,
		done:      make(chan struct{}),
		hosts:     make(map[string]*host),
		byIP:      make(map[netip.Addr]*host),
		byReal:    make(map[string]*endpoint),
		ipCounter: 1,
		users:     make(map[string]string),
		latency:   cfg.latency,
		hostBehav: make(map[string]Behavior),
		epBehav:   make(map[string]Behavior),
		conns:     make(map[net.Conn]struct{}),
		routes:    make(map[string]map[string]Route),
	}
	defer func() {
		if err != nil {
			n.Close()
		}
	}()
	if n.ca, err = NewCA(); err != nil {
		return nil, err
	}
	if n.internalTLS, err = newTLSPair(n.ca); err != nil {
		return nil, err
	}
	if n.dns, err = startDNS(n.done); err != nil {
		return nil, err
	}
	if err = n.startIMAP(); err != nil {
		return nil, err
	}
	if err = n.startSMTP(); err != nil {
		return nil, err
	}
	if err = n.startPOP3(); err != nil {
		return nil, err
	}
	if err = n.startWeb(); err != nil {
		return nil, err
	}
	if cfg.bare {
		return n, nil
	}
	if err = n.addMailDomain(DefaultDomain); err != nil {
		return nil, err
	}
	u := Credentials{DefaultUser, DefaultPassword}
	if cfg.user != nil {
		u = *cfg.user
	}
	n.AddUser(u.Username, u.Password)
	return n, nil
}

// Close stops every server, closes every connection the network accepted or
// made, and waits for the package's goroutines. It is idempotent and is
// called automatically at the end of the test.
func (n *Network) Close() {
	n.closeOnce.Do(func() {
		n.mu.Lock()
		n.closed = true
		close(n.done)
		var eps []*endpoint
		for _, h := range n.hosts {
			for _, ep := range h.endpoints {
				eps = append(eps, ep)
			}
		}
		conns := make([]net.Conn, 0, len(n.conns))
		for c := range n.conns {
			conns = append(conns, c)
		}
		clients := n.clients
		n.mu.Unlock()

		for _, ep := range eps {
			ep.ln.Close()
		}
		for _, c := range conns {
			c.Close()
		}
		if n.imap != nil {
			n.imap.close()
		}
		if n.smtp != nil {
			n.smtp.close()
		}
		if n.pop3 != nil {
			n.pop3.close()
		}
		if n.web != nil {
			n.web.close()
		}
		if n.dns != nil {
			n.dns.shutdown()
		}
		n.wg.Wait()
		for _, c := range clients {
			c.CloseIdleConnections()
		}
	})
}

// goTracked runs f in a goroutine Close waits for. It reports false (and
// does not run f) once the network is closed.
func (n *Network) goTracked(f func()) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return false
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		f()
	}()
	return true
}

// track registers c to be closed by Close; false means the network is
// already closed (c is then closed).
func (n *Network) track(c net.Conn) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		c.Close()
		return false
	}
	n.conns[c] = struct{}{}
	return true
}

func (n *Network) untrackClose(c net.Conn) {
	n.mu.Lock()
	delete(n.conns, c)
	n.mu.Unlock()
	c.Close()
}

// Done is closed when the network closes.
func (n *Network) Done() <-chan struct{} { return n.done }

// CA returns the network's certificate authority.
func (n *Network) CA() *CA { return n.ca }

// CAPool returns a certificate pool trusting only the network's CA.
func (n *Network) CAPool() *x509.CertPool { return n.ca.Pool() }

// CAPEM returns the network's CA certificate in PEM form.
func (n *Network) CAPEM() []byte { return n.ca.PEM() }

// DNS returns the network's DNS server, to edit the zone, set knobs and read
// the query log.
func (n *Network) DNS() *DNSServer { return n.dns }

// ResolverAddr returns the DNS server's "127.0.0.1:port" (UDP and TCP).
func (n *Network) ResolverAddr() string { return n.dns.Addr() }

// AddMailDomain registers a complete mail domain, all certificates valid:
//
//	imap.D        IMAPS, IMAP
//	smtp.D        Submissions, Submission
//	pop.D         POP3S, POP3
//	mail.D        all six mail services
//	autoconfig.D  HTTPS, HTTP
//	D             HTTPS, HTTP
//	mx.D          SMTP (25), and "D MX 10 mx.D"
//
// No SRV, TXT or TLSA records are added: tests add what they need.
func (n *Network) AddMailDomain(domain string) {
	n.tb.Helper()
	if err := n.addMailDomain(domain); err != nil {
		n.tb.Fatalf("%v", err)
	}
}

func (n *Network) addMailDomain(domain string) error {
	d := normHost(domain)
	plan := []struct {
		name string
		svcs []Service
	}{
		{"imap." + d, []Service{IMAPS, IMAP}},
		{"smtp." + d, []Service{Submissions, Submission}},
		{"pop." + d, []Service{POP3S, POP3}},
		{"mail." + d, MailServices},
		{"autoconfig." + d, WebServices},
		{d, WebServices},
		{"mx." + d, []Service{SMTP}},
	}
	for _, p := range plan {
		if err := n.addHost(p.name, p.svcs...); err != nil {
			return err
		}
	}
	n.dns.AddMX(d, 10, "mx."+d)
	return nil
}

// AddHost registers host (if new: a virtual IPv4 address and an A record;
// see SetAddressFamilies for IPv6) and opens an endpoint for each service on
// its standard port. Adding a service the
// host already has is a no-op. It fails the test on error.
func (n *Network) AddHost(name string, services ...Service) {
	n.tb.Helper()
	if err := n.addHost(name, services...); err != nil {
		n.tb.Fatalf("%v", err)
	}
}

// AddEndpoint opens service on a non-standard port of host (registering the
// host if new), e.g. IMAP STARTTLS on 1143. It fails the test on error.
func (n *Network) AddEndpoint(hostName string, svc Service, port int) {
	n.tb.Helper()
	h, err := n.ensureHost(hostName)
	if err == nil {
		err = n.addEndpoint(h, svc, port)
	}
	if err != nil {
		n.tb.Fatalf("%v", err)
	}
}

func (n *Network) addHost(name string, services ...Service) error {
	h, err := n.ensureHost(name)
	if err != nil {
		return err
	}
	for _, s := range services {
		if err := n.addEndpoint(h, s, s.Port()); err != nil {
			return err
		}
	}
	return nil
}

func (n *Network) ensureHost(name string) (*host, error) {
	name = normHost(name)
	if name == "" {
		return nil, fmt.Errorf("mailtest: add host: empty name")
	}
	n.mu.Lock()
	h := n.hosts[name]
	if h == nil {
		n.ipCounter++
		for c := n.ipCounter; c&0xff == 0 || c&0xff == 0xff; c = n.ipCounter {
			n.ipCounter++
		}
		c := n.ipCounter
		ip := netip.AddrFrom4([4]byte{127, byte(c >> 16), byte(c >> 8), byte(c)})
		h = &host{name: name, ip4: ip, ip6: virtualIPv6(ip), has4: true, endpoints: make(map[int]*endpoint)}
		n.hosts[name] = h
		n.byIP[ip] = h
		n.mu.Unlock()
		n.dns.AddA(name, ip)
		return h, nil
	}
	n.mu.Unlock()
	return h, nil
}

func (n *Network) addEndpoint(h *host, svc Service, port int) error {
	if _, ok := serviceTable[svc]; !ok {
		return fmt.Errorf("mailtest: add endpoint %s:%d: unknown service %d", h.name, port, int(svc))
	}
	n.mu.RLock()
	old := h.endpoints[port]
	n.mu.RUnlock()
	if old != nil {
		if old.Service == svc {
			return nil
		}
		return fmt.Errorf("mailtest: add endpoint %s:%d: port already serves %s", h.name, port, old.Service)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("mailtest: listen for %s:%d: %w", h.name, port, err)
	}
	ep := &endpoint{Endpoint: Endpoint{Host: h.name, Port: port, Service: svc, Addr: ln.Addr().String()}, ln: ln, h: h}
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		ln.Close()
		return fmt.Errorf("mailtest: add endpoint %s: network closed", ep)
	}
	h.endpoints[port] = ep
	n.byReal[ep.Addr] = ep
	n.wg.Add(1)
	n.mu.Unlock()
	go func() {
		defer n.wg.Done()
		n.serveEndpoint(ep)
	}()
	return nil
}

// Endpoint returns the endpoint at "host:port", if any.
func (n *Network) Endpoint(hostport string) (Endpoint, bool) {
	h, p, err := net.SplitHostPort(hostport)
	if err != nil {
		return Endpoint{}, false
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return Endpoint{}, false
	}
	n.mu.RLock()
	defer n.mu.RUnlock()
	if hh := n.hosts[normHost(h)]; hh != nil {
		if ep := hh.endpoints[port]; ep != nil {
			return ep.infoLocked(), true
		}
	}
	return Endpoint{}, false
}

// Endpoints lists every endpoint, sorted by host and port.
func (n *Network) Endpoints() []Endpoint {
	n.mu.RLock()
	var out []Endpoint
	for _, h := range n.hosts {
		for _, ep := range h.endpoints {
			out = append(out, ep.infoLocked())
		}
	}
	n.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Host != out[j].Host {
			return out[i].Host < out[j].Host
		}
		return out[i].Port < out[j].Port
	})
	return out
}

// HostIP returns the virtual IPv4 address of a registered host, the one in
// its A record (invalid if the host is unknown or IPv6-only). See HostIPv6.
func (n *Network) HostIP(name string) netip.Addr {
	n.mu.RLock()
	defer n.mu.RUnlock()
	if h := n.hosts[normHost(name)]; h != nil && h.has4 {
		return h.ip4
	}
	return netip.Addr{}
}

// SetTLS sets what the host's TLS servers present (certificate kind and
// names, TLS versions). It applies to new handshakes; the certificate is
// chosen by SNI, falling back to the dialed host when SNI names no
// registered host.
// It fails the test if the host is unknown.
func (n *Network) SetTLS(hostName string, s TLSSettings) {
	n.tb.Helper()
	n.withHost(hostName, func(h *host) { h.tls = s })
}

// SetCertKind changes only the certificate kind of a host (see SetTLS).
func (n *Network) SetCertKind(hostName string, kind CertKind) {
	n.tb.Helper()
	n.withHost(hostName, func(h *host) { h.tls.Kind = kind })
}

func (n *Network) withHost(name string, f func(*host)) {
	n.tb.Helper()
	n.mu.Lock()
	h := n.hosts[normHost(name)]
	if h != nil {
		f(h)
	}
	n.mu.Unlock()
	if h == nil {
		n.tb.Fatalf("mailtest: unknown host %q", name)
	}
}

// SetLatency sets the global per-round-trip latency for new connections
// (overridden by a host's or endpoint's Behavior.Latency).
func (n *Network) SetLatency(d time.Duration) {
	n.mu.Lock()
	n.latency = d
	n.mu.Unlock()
}

// SetBehavior sets the behaviour of new connections to target: "host" for
// every port of a host, or "host:port" for one endpoint. The endpoint's
// non-zero fields override the host's. A zero Behavior restores normal
// service.
func (n *Network) SetBehavior(target string, b Behavior) {
	n.mu.Lock()
	defer n.mu.Unlock()
	key, isEndpoint := normTarget(target)
	m := n.hostBehav
	if isEndpoint {
		m = n.epBehav
	}
	if b.isZero() {
		delete(m, key)
	} else {
		m[key] = b
	}
}

func (b Behavior) isZero() bool {
	return b.Latency == 0 && !b.Tarpit && !b.StallAfterGreeting && !b.Flood &&
		b.STARTTLSInjection == nil && b.RewriteServerLine == nil && b.Handler == nil
}

func normTarget(t string) (string, bool) {
	if h, p, err := net.SplitHostPort(t); err == nil {
		return net.JoinHostPort(normHost(h), p), true
	}
	return normHost(t), false
}

func (n *Network) behaviorFor(ep *endpoint) Behavior {
	n.mu.RLock()
	defer n.mu.RUnlock()
	b := Behavior{Latency: n.latency}
	b = b.merge(n.hostBehav[ep.Host])
	b = b.merge(n.epBehav[ep.String()])
	return b
}

// AddUser adds (or changes the password of) a mail user known to the IMAP,
// SMTP and POP3 servers. The first user added is the default User.
func (n *Network) AddUser(username, password string) {
	n.mu.Lock()
	n.users[username] = password
	if n.defaultUser.Username == "" {
		n.defaultUser = Credentials{username, password}
	}
	n.mu.Unlock()
	n.imap.addUser(username, password)
}

// User returns the default user's credentials.
func (n *Network) User() Credentials {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.defaultUser
}

func (n *Network) checkPassword(username, password string) bool {
	n.mu.RLock()
	defer n.mu.RUnlock()
	p, ok := n.users[username]
	return ok && p == password
}

func normHost(h string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
}
