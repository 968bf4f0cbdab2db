package integration

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// The environment printed by scripts/realservers.sh.
const (
	envHost     = "MAILSETUP_IT_HOST"
	envAddr     = "MAILSETUP_IT_ADDR"
	envUser     = "MAILSETUP_IT_USER"
	envPassword = "MAILSETUP_IT_PASSWORD"
	envCA       = "MAILSETUP_IT_CA"
	// envRequired makes a missing environment a failure instead of a skip.
	envRequired = "MAILSETUP_IT_REQUIRED"
)

// opTimeout bounds each network operation: a dial, a TLS handshake, or one
// command and its reply. It is generous because Dovecot answers a failed
// login only after auth_failure_delay plus a per-IP penalty that grows
// with repeated failures (up to 15 s).
const opTimeout = 30 * time.Second

// wrongPassword is the same for every negative test: Dovecot does not grow
// its per-IP auth penalty for a password it has just seen fail.
const wrongPassword = "not-the-rig-password"

// rig is the running server set the tests talk to.
type rig struct {
	host     string // TLS server name
	addr     string // IP address to dial
	user     string
	password string
	roots    *x509.CertPool // the rig's CA only
}

// requireRig returns the rig described by the environment. It skips the
// test when no rig is configured (unless MAILSETUP_IT_REQUIRED is set), and
// fails it when the configuration is partial or unusable.
func requireRig(t *testing.T) *rig {
	t.Helper()
	names := []string{envHost, envAddr, envUser, envPassword, envCA}
	vals := make(map[string]string, len(names))
	var missing []string
	for _, n := range names {
		vals[n] = os.Getenv(n)
		if vals[n] == "" {
			missing = append(missing, n)
		}
	}
	switch {
	case len(missing) == len(names) && os.Getenv(envRequired) == "":
		t.Skip(`real servers not running: eval "$(scripts/realservers.sh up)" to enable`)
	case len(missing) == len(names):
		t.Fatalf("%s is set but the rig environment is not: missing %s; run eval \"$(scripts/realservers.sh up)\"",
			envRequired, strings.Join(missing, ", "))
	case len(missing) > 0:
		t.Fatalf("rig environment is incomplete: missing %s; got only part of the output of scripts/realservers.sh up",
			strings.Join(missing, ", "))
	}
	if net.ParseIP(vals[envAddr]) == nil {
		t.Fatalf("%s = %q: got a non-IP value, want an IP address", envAddr, vals[envAddr])
	}
	pem, err := os.ReadFile(vals[envCA])
	if err != nil {
		t.Fatalf("reading %s: %v", envCA, err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("%s = %s: got no PEM certificate, want the rig's CA", envCA, vals[envCA])
	}
	return &rig{
		host:     vals[envHost],
		addr:     vals[envAddr],
		user:     vals[envUser],
		password: vals[envPassword],
		roots:    roots,
	}
}

func (r *rig) hostPort(port string) string { return net.JoinHostPort(r.addr, port) }

// tlsConfig verifies against the rig's CA with the rig's server name, and
// records the negotiated connection state in seen (client libraries that
// do STARTTLS themselves do not expose it).
func (r *rig) tlsConfig(seen *tlsSeen) *tls.Config {
	return &tls.Config{
		RootCAs:    r.roots,
		ServerName: r.host,
		MinVersion: tls.VersionTLS12,
		VerifyConnection: func(cs tls.ConnectionState) error {
			seen.set(cs)
			return nil
		},
	}
}

// tlsSeen holds the state of a verified TLS handshake.
type tlsSeen struct {
	mu    sync.Mutex
	state *tls.ConnectionState
}

func (s *tlsSeen) set(cs tls.ConnectionState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = &cs
}

// get returns the recorded state, or an error when no verified handshake
// happened on the connection.
func (s *tlsSeen) get() (tls.ConnectionState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == nil {
		return tls.ConnectionState{}, errors.New("got no verified TLS handshake, want one")
	}
	return *s.state, nil
}

// within runs fn, one network operation, under its own deadline of
// opTimeout derived from ctx. The client libraries set and clear conn
// deadlines themselves, so the deadline is enforced by closing conn, which
// makes a blocked read or write fail.
func within(ctx context.Context, conn net.Conn, what string, fn func() error) error {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	err := fn()
	if !stop() {
		return fmt.Errorf("%s: %w (connection closed; operation error: %v)", what, context.Cause(ctx), err)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func dial(ctx context.Context, addr string) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	return conn, nil
}

// handshake starts implicit TLS on raw.
func handshake(ctx context.Context, raw net.Conn, cfg *tls.Config) (*tls.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	tc := tls.Client(raw, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, fmt.Errorf("TLS handshake with %s: %w", raw.RemoteAddr(), err)
	}
	return tc, nil
}

// rejectedError is a login that the server answered with a refusal, as
// opposed to a connection, TLS or protocol failure.
type rejectedError struct{ err error }

func (e *rejectedError) Error() string { return "login refused: " + e.err.Error() }
func (e *rejectedError) Unwrap() error { return e.err }

// endpoint is one port of the rig and how to log in there.
type endpoint struct {
	name        string
	port        string
	implicitTLS bool // false: STARTTLS/STLS on a plaintext connection
	// login connects, secures the connection, authenticates with the
	// rig's user and password, and says goodbye. It returns the verified
	// TLS state, and a *rejectedError when the server refused the login.
	login func(ctx context.Context, r *rig, ep endpoint, password string) (tls.ConnectionState, error)
}

var endpoints = []endpoint{
	{name: "IMAP/993 implicit TLS", port: "993", implicitTLS: true, login: imapLogin},
	{name: "IMAP/143 STARTTLS", port: "143", login: imapLogin},
	{name: "POP3/995 implicit TLS", port: "995", implicitTLS: true, login: pop3Login},
	{name: "POP3/110 STLS", port: "110", login: pop3Login},
	{name: "SMTP/465 implicit TLS", port: "465", implicitTLS: true, login: smtpLogin},
	{name: "SMTP/587 STARTTLS", port: "587", login: smtpLogin},
}

func TestLogin(t *testing.T) {
	r := requireRig(t)
	for _, ep := range endpoints {
		t.Run(ep.name, func(t *testing.T) {
			t.Parallel()
			t.Run("right password", func(t *testing.T) {
				t.Parallel()
				state, err := ep.login(t.Context(), r, ep, r.password)
				if err != nil {
					t.Fatalf("login as %s: got error %v, want success", r.user, err)
				}
				checkTLS(t, r, state)
			})
			t.Run("wrong password", func(t *testing.T) {
				t.Parallel()
				_, err := ep.login(t.Context(), r, ep, wrongPassword)
				var rejected *rejectedError
				switch {
				case err == nil:
					t.Fatalf("login as %s with a wrong password: got success, want refusal", r.user)
				case !errors.As(err, &rejected):
					t.Fatalf("login as %s with a wrong password: got error %v, want the server's refusal", r.user, err)
				}
				t.Logf("refused as expected: %v", err)
			})
		})
	}
}

func checkTLS(t *testing.T, r *rig, cs tls.ConnectionState) {
	t.Helper()
	if cs.Version < tls.VersionTLS12 {
		t.Errorf("TLS version: got %s, want TLS 1.2 or later", tls.VersionName(cs.Version))
	}
	if len(cs.VerifiedChains) == 0 {
		t.Errorf("verified chains: got none, want a chain to the rig's CA")
	}
	if len(cs.PeerCertificates) == 0 {
		t.Fatalf("peer certificates: got none, want the server certificate")
	}
	if err := cs.PeerCertificates[0].VerifyHostname(r.host); err != nil {
		t.Errorf("server certificate for %s: got %v, want it valid", r.host, err)
	}
}

// ---- IMAP

func imapLogin(ctx context.Context, r *rig, ep endpoint, password string) (tls.ConnectionState, error) {
	var seen tlsSeen
	cfg := r.tlsConfig(&seen)
	raw, err := dial(ctx, r.hostPort(ep.port))
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer raw.Close()

	opts := &imapclient.Options{TLSConfig: cfg}
	var c *imapclient.Client
	if ep.implicitTLS {
		tc, err := handshake(ctx, raw, cfg)
		if err != nil {
			return tls.ConnectionState{}, err
		}
		c = imapclient.New(tc, opts)
	} else {
		err := within(ctx, raw, "STARTTLS", func() error {
			var err error
			c, err = imapclient.NewStartTLS(raw, opts)
			return err
		})
		if err != nil {
			return tls.ConnectionState{}, err
		}
	}
	defer c.Close()

	if err := within(ctx, raw, "greeting", c.WaitGreeting); err != nil {
		return tls.ConnectionState{}, err
	}
	var caps imap.CapSet
	if err := within(ctx, raw, "CAPABILITY", func() error {
		var err error
		caps, err = c.Capability().Wait()
		return err
	}); err != nil {
		return tls.ConnectionState{}, err
	}
	if caps.Has(imap.CapLoginDisabled) {
		return tls.ConnectionState{}, fmt.Errorf("capabilities over TLS: got %s, want no LOGINDISABLED", capList(caps))
	}
	err = within(ctx, raw, "LOGIN", func() error { return c.Login(r.user, password).Wait() })
	if err != nil {
		var ie *imap.Error
		if errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeNo {
			return tls.ConnectionState{}, &rejectedError{err}
		}
		return tls.ConnectionState{}, err
	}
	if err := within(ctx, raw, "LOGOUT", func() error { return c.Logout().Wait() }); err != nil {
		return tls.ConnectionState{}, err
	}
	return seen.get()
}

func capList(caps imap.CapSet) string {
	var names []string
	for c := range caps {
		names = append(names, string(c))
	}
	slices.Sort(names)
	return "[" + strings.Join(names, " ") + "]"
}

// sameAddrHint explains a failure that happens when the client's address
// equals the server's: Dovecot then treats the connection as secure and
// allows plaintext login.
func sameAddrHint(conn net.Conn) string {
	l, lok := conn.LocalAddr().(*net.TCPAddr)
	rm, rok := conn.RemoteAddr().(*net.TCPAddr)
	if lok && rok && l.IP.Equal(rm.IP) {
		return fmt.Sprintf(" (client and server share address %s, which Dovecot treats as secure; run the rig on another loopback address such as 127.0.0.2)", l.IP)
	}
	return ""
}

func TestIMAPBeforeSTARTTLS(t *testing.T) {
	r := requireRig(t)
	ctx := t.Context()
	raw, err := dial(ctx, r.hostPort("143"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	c := imapclient.New(raw, nil)
	defer c.Close()

	if err := within(ctx, raw, "greeting", c.WaitGreeting); err != nil {
		t.Fatal(err)
	}
	var caps imap.CapSet
	if err := within(ctx, raw, "CAPABILITY", func() error {
		var err error
		caps, err = c.Capability().Wait()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []imap.Cap{imap.CapStartTLS, imap.CapLoginDisabled} {
		if !caps.Has(want) {
			t.Errorf("capabilities before STARTTLS: got %s, want %s among them%s", capList(caps), want, sameAddrHint(raw))
		}
	}
	if mechs := caps.AuthMechanisms(); len(mechs) > 0 {
		t.Errorf("AUTH= mechanisms before STARTTLS: got %v, want none", mechs)
	}

	// The server must refuse the right credentials in the clear, not
	// merely not advertise them.
	err = within(ctx, raw, "LOGIN", func() error { return c.Login(r.user, r.password).Wait() })
	var ie *imap.Error
	switch {
	case err == nil:
		t.Errorf("LOGIN before STARTTLS: got success, want NO%s", sameAddrHint(raw))
	case !errors.As(err, &ie) || ie.Type != imap.StatusResponseTypeNo:
		t.Errorf("LOGIN before STARTTLS: got %v, want a NO response", err)
	default:
		t.Logf("LOGIN before STARTTLS refused as expected: %v", err)
	}
	if err := within(ctx, raw, "LOGOUT", func() error { return c.Logout().Wait() }); err != nil {
		t.Errorf("LOGOUT: got %v, want success", err)
	}
}

// ---- POP3 (RFC 1939, CAPA and STLS from RFC 2449 and RFC 2595), by hand.

// pop3Conn is a minimal POP3 client: enough for greeting, CAPA, STLS,
// USER/PASS and QUIT. It never issues DELE.
type pop3Conn struct {
	raw net.Conn // the TCP connection, closed to enforce deadlines
	tp  *textproto.Conn
}

// pop3Error is a -ERR reply.
type pop3Error struct{ line string }

func (e *pop3Error) Error() string { return "pop3: " + e.line }

func newPOP3(raw, conn net.Conn) *pop3Conn {
	return &pop3Conn{raw: raw, tp: textproto.NewConn(conn)}
}

// status reads one status line: the text after +OK, a *pop3Error for -ERR.
func (p *pop3Conn) status() (string, error) {
	line, err := p.tp.ReadLine()
	if err != nil {
		return "", err
	}
	switch {
	case line == "+OK" || strings.HasPrefix(line, "+OK "):
		return strings.TrimPrefix(strings.TrimPrefix(line, "+OK"), " "), nil
	case strings.HasPrefix(line, "-ERR"):
		return "", &pop3Error{line}
	default:
		return "", fmt.Errorf("pop3: got reply %q, want +OK or -ERR", line)
	}
}

func (p *pop3Conn) greeting(ctx context.Context) error {
	return within(ctx, p.raw, "greeting", func() error {
		_, err := p.status()
		return err
	})
}

// cmd sends one command line and reads its status. what names the command
// in errors, so that the arguments (a password) never appear there.
func (p *pop3Conn) cmd(ctx context.Context, what, format string, args ...any) (string, error) {
	var text string
	err := within(ctx, p.raw, what, func() error {
		if err := p.tp.PrintfLine(format, args...); err != nil {
			return err
		}
		var err error
		text, err = p.status()
		return err
	})
	return text, err
}

// capa returns the CAPA list, upper-cased.
func (p *pop3Conn) capa(ctx context.Context) ([]string, error) {
	var lines []string
	err := within(ctx, p.raw, "CAPA", func() error {
		if err := p.tp.PrintfLine("CAPA"); err != nil {
			return err
		}
		if _, err := p.status(); err != nil {
			return err
		}
		var err error
		lines, err = p.tp.ReadDotLines()
		return err
	})
	for i := range lines {
		lines[i] = strings.ToUpper(strings.TrimSpace(lines[i]))
	}
	return lines, err
}

func hasCapa(capa []string, name string) bool {
	for _, c := range capa {
		if c == name || strings.HasPrefix(c, name+" ") {
			return true
		}
	}
	return false
}

// stls upgrades the connection; the server must say +OK first.
func (p *pop3Conn) stls(ctx context.Context, cfg *tls.Config) error {
	if _, err := p.cmd(ctx, "STLS", "STLS"); err != nil {
		return err
	}
	tc, err := handshake(ctx, p.raw, cfg)
	if err != nil {
		return err
	}
	p.tp = textproto.NewConn(tc)
	return nil
}

func pop3Login(ctx context.Context, r *rig, ep endpoint, password string) (tls.ConnectionState, error) {
	var seen tlsSeen
	cfg := r.tlsConfig(&seen)
	raw, err := dial(ctx, r.hostPort(ep.port))
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer raw.Close()

	var p *pop3Conn
	if ep.implicitTLS {
		tc, err := handshake(ctx, raw, cfg)
		if err != nil {
			return tls.ConnectionState{}, err
		}
		p = newPOP3(raw, tc)
		if err := p.greeting(ctx); err != nil {
			return tls.ConnectionState{}, err
		}
	} else {
		p = newPOP3(raw, raw)
		if err := p.greeting(ctx); err != nil {
			return tls.ConnectionState{}, err
		}
		if err := p.stls(ctx, cfg); err != nil {
			return tls.ConnectionState{}, err
		}
	}

	capa, err := p.capa(ctx)
	if err != nil {
		return tls.ConnectionState{}, err
	}
	if !hasCapa(capa, "USER") {
		return tls.ConnectionState{}, fmt.Errorf("CAPA over TLS: got %q, want USER among them", capa)
	}
	var perr *pop3Error
	if _, err := p.cmd(ctx, "USER", "USER %s", r.user); err != nil {
		if errors.As(err, &perr) {
			return tls.ConnectionState{}, &rejectedError{err}
		}
		return tls.ConnectionState{}, err
	}
	if _, err := p.cmd(ctx, "PASS", "PASS %s", password); err != nil {
		if errors.As(err, &perr) {
			return tls.ConnectionState{}, &rejectedError{err}
		}
		return tls.ConnectionState{}, err
	}
	if _, err := p.cmd(ctx, "QUIT", "QUIT"); err != nil {
		return tls.ConnectionState{}, err
	}
	return seen.get()
}

func TestPOP3BeforeSTLS(t *testing.T) {
	r := requireRig(t)
	ctx := t.Context()
	raw, err := dial(ctx, r.hostPort("110"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	p := newPOP3(raw, raw)
	if err := p.greeting(ctx); err != nil {
		t.Fatal(err)
	}
	capa, err := p.capa(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !hasCapa(capa, "STLS") {
		t.Errorf("CAPA before STLS: got %q, want STLS among them", capa)
	}
	if hasCapa(capa, "USER") {
		t.Errorf("CAPA before STLS: got %q, want no USER%s", capa, sameAddrHint(raw))
	}

	// USER/PASS in the clear must be refused at USER or at PASS.
	var perr *pop3Error
	_, err = p.cmd(ctx, "USER", "USER %s", r.user)
	if err == nil {
		_, err = p.cmd(ctx, "PASS", "PASS %s", r.password)
	}
	switch {
	case err == nil:
		t.Errorf("USER/PASS before STLS: got success, want -ERR%s", sameAddrHint(raw))
	case !errors.As(err, &perr):
		t.Errorf("USER/PASS before STLS: got %v, want -ERR", err)
	default:
		t.Logf("USER/PASS before STLS refused as expected: %v", err)
	}
	if _, err := p.cmd(ctx, "QUIT", "QUIT"); err != nil {
		t.Errorf("QUIT: got %v, want +OK", err)
	}
}

// ---- SMTP submission

func smtpLogin(ctx context.Context, r *rig, ep endpoint, password string) (tls.ConnectionState, error) {
	var seen tlsSeen
	cfg := r.tlsConfig(&seen)
	raw, err := dial(ctx, r.hostPort(ep.port))
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer raw.Close()

	var c *smtp.Client
	if ep.implicitTLS {
		tc, err := handshake(ctx, raw, cfg)
		if err != nil {
			return tls.ConnectionState{}, err
		}
		c = smtp.NewClient(tc)
		c.CommandTimeout = opTimeout
	} else {
		err := within(ctx, raw, "EHLO and STARTTLS", func() error {
			var err error
			c, err = smtp.NewClientStartTLS(raw, cfg)
			return err
		})
		if err != nil {
			return tls.ConnectionState{}, err
		}
		c.CommandTimeout = opTimeout
	}
	defer c.Close()

	// The first command after STARTTLS also runs the handshake.
	if err := within(ctx, raw, "EHLO", func() error { return c.Hello("mailsetup-it.localhost") }); err != nil {
		return tls.ConnectionState{}, err
	}
	if !c.SupportsAuth(sasl.Plain) {
		_, mechs := c.Extension("AUTH")
		return tls.ConnectionState{}, fmt.Errorf("AUTH over TLS: got mechanisms %q, want PLAIN among them", mechs)
	}
	err = within(ctx, raw, "AUTH PLAIN", func() error { return c.Auth(sasl.NewPlainClient("", r.user, password)) })
	if err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) && se.Code == 535 {
			return tls.ConnectionState{}, &rejectedError{err}
		}
		return tls.ConnectionState{}, err
	}
	if err := within(ctx, raw, "QUIT", c.Quit); err != nil {
		return tls.ConnectionState{}, err
	}
	return seen.get()
}

func TestSMTPBeforeSTARTTLS(t *testing.T) {
	r := requireRig(t)
	ctx := t.Context()
	raw, err := dial(ctx, r.hostPort("587"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	c := smtp.NewClient(raw)
	c.CommandTimeout = opTimeout
	defer c.Close()

	if err := within(ctx, raw, "EHLO", func() error { return c.Hello("mailsetup-it.localhost") }); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		t.Errorf("EHLO before STARTTLS: got no STARTTLS, want it advertised")
	}
	if ok, mechs := c.Extension("AUTH"); ok {
		t.Errorf("EHLO before STARTTLS: got AUTH %q, want no AUTH", mechs)
	}

	// The server must refuse the right credentials in the clear, not
	// merely not advertise AUTH.
	err = within(ctx, raw, "AUTH PLAIN", func() error { return c.Auth(sasl.NewPlainClient("", r.user, r.password)) })
	var se *smtp.SMTPError
	switch {
	case err == nil:
		t.Errorf("AUTH before STARTTLS: got success, want a 5xx refusal")
	case !errors.As(err, &se) || se.Code/100 != 5:
		t.Errorf("AUTH before STARTTLS: got %v, want a 5xx refusal", err)
	default:
		t.Logf("AUTH before STARTTLS refused as expected: %v", err)
	}
	// No QUIT: after a failed AUTH, go-smtp sends "*" to cancel the
	// exchange, which Postfix takes for a non-SMTP command and hangs up.
}

// ---- TLS itself

// TestTLS checks, on the implicit-TLS ports, that the certificate verifies
// only against the rig's CA and only for the rig's names, and that the
// servers refuse TLS before 1.2.
func TestTLS(t *testing.T) {
	r := requireRig(t)
	cases := []struct {
		name    string
		cfg     func() *tls.Config
		wantErr func(error) bool // nil: the handshake must succeed
		want    string
	}{
		{
			name: "rig CA and host name",
			cfg:  func() *tls.Config { return &tls.Config{RootCAs: r.roots, ServerName: r.host} },
			want: "success",
		},
		{
			name: "rig CA and IP address",
			cfg:  func() *tls.Config { return &tls.Config{RootCAs: r.roots, ServerName: r.addr} },
			want: "success",
		},
		{
			name: "other CA",
			cfg:  func() *tls.Config { return &tls.Config{RootCAs: x509.NewCertPool(), ServerName: r.host} },
			wantErr: func(err error) bool {
				var ua x509.UnknownAuthorityError
				return errors.As(err, &ua)
			},
			want: "an unknown-authority error",
		},
		{
			name: "other host name",
			cfg: func() *tls.Config {
				return &tls.Config{RootCAs: r.roots, ServerName: "wrong." + r.host}
			},
			wantErr: func(err error) bool {
				var he x509.HostnameError
				return errors.As(err, &he)
			},
			want: "a host-name mismatch error",
		},
		{
			name: "TLS 1.1",
			cfg: func() *tls.Config {
				return &tls.Config{
					RootCAs: r.roots, ServerName: r.host,
					MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11,
				}
			},
			wantErr: func(err error) bool { return err != nil },
			want:    "a failed handshake",
		},
	}
	for _, port := range []string{"993", "995", "465"} {
		for _, tc := range cases {
			t.Run(port+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				ctx := t.Context()
				raw, err := dial(ctx, r.hostPort(port))
				if err != nil {
					t.Fatal(err)
				}
				defer raw.Close()
				conn, err := handshake(ctx, raw, tc.cfg())
				switch {
				case tc.wantErr == nil && err != nil:
					t.Fatalf("handshake: got %v, want %s", err, tc.want)
				case tc.wantErr == nil:
					if v := conn.ConnectionState().Version; v < tls.VersionTLS12 {
						t.Errorf("TLS version: got %s, want TLS 1.2 or later", tls.VersionName(v))
					}
				case err == nil:
					t.Fatalf("handshake: got success (%s), want %s",
						tls.VersionName(conn.ConnectionState().Version), tc.want)
				case !tc.wantErr(err):
					t.Fatalf("handshake: got %v, want %s", err, tc.want)
				default:
					t.Logf("handshake failed as expected: %v", err)
				}
			})
		}
	}
}
