// Package probe verifies IMAP, POP3 and SMTP submission servers live and
// explains what it found. For each endpoint it resolves the host through
// the shared resolver, connects to every address, reads the greeting,
// brings up TLS (implicit, or STARTTLS really upgraded), records the
// certificate and the capabilities before and after TLS, and, only over
// verified TLS and only when given a password, tries one login. Every
// phase has its own deadline, every line is capped, and the result is a
// Report of plain-language findings with fixes.
//
// The probe never sends a password without verified TLS unless
// Options.AllowInsecureAuth is set, never sends DELE to a POP3 server and
// never MAIL or RCPT to an SMTP server.
package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/netx"
	"github.com/mailsetup/mailsetup/internal/termtext"
)

// DefaultPhaseTimeout bounds each phase: connect, greeting, TLS handshake,
// and each command.
const DefaultPhaseTimeout = 5 * time.Second

// DefaultLoginTimeout bounds the login command alone. Servers delay the
// answer to a failed login on purpose (Dovecot waits 2 s and adds a
// per-address penalty of up to 15 s), so a 5 s limit would report a
// wrong password as a timeout.
const DefaultLoginTimeout = 20 * time.Second

// Options configure a probe run. The zero value is usable: system roots,
// the system's first nameserver, 5 s phases.
type Options struct {
	// Dialer makes TCP connections to resolved addresses; a *net.Dialer
	// when nil.
	Dialer netx.Dialer
	// Resolver resolves host names (A and AAAA) and answers the DNS
	// section. When nil, hosts are handed to Dialer unresolved and the
	// DNS section is skipped.
	Resolver *netx.Resolver
	// RootCAs verifies server certificates; the system roots when nil.
	RootCAs *x509.CertPool
	// PhaseTimeout bounds each phase; DefaultPhaseTimeout when zero.
	PhaseTimeout time.Duration
	// LoginTimeout bounds the login command; DefaultLoginTimeout when
	// zero, and never shorter than PhaseTimeout.
	LoginTimeout time.Duration
	// Deep adds slow checks: legacy TLS 1.0/1.1 acceptance and the
	// STARTTLS command-injection test.
	Deep bool
	// AllowInsecureAuth permits the login test without verified TLS (for
	// lab servers). Off by default: RFC 8314 §5.1.
	AllowInsecureAuth bool
	// HeloName is the SMTP EHLO argument; "[local address]" when empty.
	HeloName string
	// Trace receives the conversation. Lines that carry credentials are
	// written as "[credentials]" by the protocol code; the credentials are
	// never formatted into text.
	Trace *netx.Tracer
	// Now is the clock for certificate dates; time.Now when nil.
	Now func() time.Time
}

func (o *Options) phase() time.Duration {
	if o.PhaseTimeout > 0 {
		return o.PhaseTimeout
	}
	return DefaultPhaseTimeout
}

func (o *Options) login() time.Duration {
	if o.LoginTimeout > 0 {
		return max(o.LoginTimeout, o.phase())
	}
	return max(DefaultLoginTimeout, o.phase())
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Target is one endpoint to probe, with optional credentials.
type Target struct {
	Server   account.Server
	Username string // falls back to Server.Username
	// Password enables the login test. It is never stored in a Report.
	Password string
}

// AddressResult is one connect attempt to one resolved address.
type AddressResult struct {
	Address   string  `json:"address"`
	ConnectMS float64 `json:"connect_ms"`
	Error     string  `json:"error,omitempty"`
}

// Login is the outcome of the login test.
type Login struct {
	Outcome LoginOutcome `json:"outcome"`
	// Reply is the server's reply to the login as it sent it, or a note
	// that it was withheld because it repeated the credentials line the
	// probe sent.
	Reply string `json:"reply,omitempty"`
}

// Verdict sums up an endpoint or a whole run.
type Verdict string

// Verdicts.
const (
	VerdictOK   Verdict = "ok"   // works as configured
	VerdictWarn Verdict = "warn" // works, with something to fix
	VerdictFail Verdict = "fail" // does not work as configured
)

// Endpoint is the probe result for one server.
type Endpoint struct {
	Server      account.Server  `json:"server"`
	Addresses   []AddressResult `json:"addresses,omitempty"`
	Connected   string          `json:"connected,omitempty"`
	Greeting    string          `json:"greeting,omitempty"`
	GreetingMS  float64         `json:"greeting_ms,omitempty"`
	TLS         *TLSInfo        `json:"tls,omitempty"`
	CapsBefore  []string        `json:"capabilities_before_tls,omitempty"`
	CapsAfter   []string        `json:"capabilities_after_tls,omitempty"`
	AuthBefore  []string        `json:"auth_before_tls,omitempty"`
	AuthAfter   []string        `json:"auth_after_tls,omitempty"`
	LegacyTLS   []string        `json:"legacy_tls_accepted,omitempty"`
	Login       *Login          `json:"login,omitempty"`
	Findings    []Finding       `json:"findings"`
	Verdict     Verdict         `json:"verdict"`
	DurationMS  float64         `json:"duration_ms"`
	AuthProblem bool            `json:"-"`
	verifiedTLS bool
}

// Report is the result of a probe run.
type Report struct {
	Endpoints []*Endpoint `json:"endpoints"`
	DNS       *DNSReport  `json:"dns,omitempty"`
	Verdict   Verdict     `json:"verdict"`
	// DurationMS is the wall time of the whole run.
	DurationMS float64 `json:"duration_ms"`
}

// AuthFailed reports whether any login was rejected for its credentials
// (as opposed to a server or TLS problem).
func (r *Report) AuthFailed() bool {
	for _, e := range r.Endpoints {
		if e.AuthProblem {
			return true
		}
	}
	return false
}

// Run probes every target concurrently and, when domain is not empty and
// a Resolver is set, gathers the DNS section for it. It returns when every
// endpoint has finished or ctx ends; it never returns an error: failures
// are findings.
func Run(ctx context.Context, opts Options, domain string, targets []Target) *Report {
	start := time.Now()
	rep := &Report{Endpoints: make([]*Endpoint, len(targets))}
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Go(func() { rep.Endpoints[i] = ProbeEndpoint(ctx, opts, t) })
	}
	if domain != "" && opts.Resolver != nil {
		wg.Go(func() { rep.DNS = lookupDNS(ctx, opts.Resolver, domain) })
	}
	wg.Wait()
	rep.Verdict = VerdictOK
	for _, e := range rep.Endpoints {
		rep.Verdict = worse(rep.Verdict, e.Verdict)
	}
	rep.DurationMS = ms(time.Since(start))
	return rep
}

func worse(a, b Verdict) Verdict {
	rank := map[Verdict]int{VerdictOK: 0, VerdictWarn: 1, VerdictFail: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// ProbeEndpoint probes one endpoint.
func ProbeEndpoint(ctx context.Context, opts Options, t Target) *Endpoint {
	start := time.Now()
	srv := t.Server.WithDefaults()
	e := &Endpoint{Server: srv}
	if t.Username == "" {
		t.Username = srv.Username
	}
	p := &prober{opts: &opts, e: e, t: t}
	p.run(ctx)
	e.finish()
	e.DurationMS = ms(time.Since(start))
	return e
}

type prober struct {
	opts *Options
	e    *Endpoint
	t    Target
}

// add records a finding. Findings never contain credentials because none
// is ever formatted into them: the password only travels inside the
// protocol code's credentials lines (session.writeCredentials).
func (p *prober) add(f Finding) {
	p.e.Findings = append(p.e.Findings, f)
}

func (p *prober) trace(format string, args ...any) {
	if p.opts.Trace.Enabled() {
		p.opts.Trace.Printf("%s %s: %s", p.e.Server.Protocol.Label(), p.e.Server.Address(), fmt.Sprintf(format, args...))
	}
}

func (p *prober) dialect(helo string) dialect {
	switch p.e.Server.Protocol {
	case account.IMAP:
		return &imapDialect{}
	case account.POP3:
		return pop3Dialect{}
	}
	return &smtpDialect{helo: helo}
}

func (p *prober) run(ctx context.Context) {
	srv := p.e.Server
	conn, err := p.connect(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	// Stop blocking reads and writes at once if the caller gives up.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	helo := p.opts.HeloName
	if helo == "" {
		helo = heloFor(conn.LocalAddr())
	}
	d := p.dialect(helo)
	s := newSession(ctx, conn, p.opts.phase(), p.trace)

	if srv.Security == account.TLS {
		if !p.tls(s, "implicit") {
			return
		}
	}
	greetStart := time.Now()
	greet, preauth, err := d.greeting(s)
	p.e.Greeting = clipGreeting(greet)
	p.e.GreetingMS = ms(time.Since(greetStart))
	if err != nil {
		p.sessionFailure(err, "greeting")
		return
	}
	if preauth && srv.Security != account.TLS {
		p.add(newFinding(CodeIMAPPreauthCleartext, "Do not use this server without TLS; ask the provider to fix it.",
			"The server logged the session in before any encryption (PREAUTH); mailsetup refuses such a session."))
		return
	}
	caps, err := d.capabilities(s)
	if err != nil {
		p.sessionFailure(err, "capabilities")
		return
	}
	if srv.Security == account.TLS {
		p.e.CapsAfter = caps
	} else {
		p.e.CapsBefore = caps
		p.checkBeforeTLS(d, caps)
	}
	if srv.Security == account.STARTTLS {
		if !d.startTLSOffered(caps) {
			p.add(newFinding(CodeStartTLSMissing, implicitFix(srv),
				"%s on port %d does not offer STARTTLS, so the connection cannot be encrypted.", srv.Protocol.Label(), srv.Port))
			return
		}
		if err := d.startTLS(s); err != nil {
			p.sessionFailure(err, "starttls")
			return
		}
		if n := s.r.Buffered(); n > 0 {
			peek, _ := s.r.Peek(min(n, 16))
			p.add(injectionFinding(srv, fmt.Sprintf("%d byte(s) starting %q", n, peek)))
			return
		}
		if !p.tls(s, "starttls") {
			return
		}
		caps, err = d.capabilities(s)
		if err != nil {
			p.sessionFailure(err, "capabilities")
			return
		}
		p.e.CapsAfter = caps
	}
	if srv.Security == account.None {
		if d.startTLSOffered(caps) {
			// Say so: the same port can be encrypted (issue 11, item 4).
			p.add(newFinding(CodeSecurityNone, fmt.Sprintf("Use STARTTLS on port %d (--%s-security starttls), or port %d with SSL/TLS.",
				srv.Port, strings.ToLower(srv.Protocol.Label()), account.DefaultPort(srv.Protocol, account.TLS)),
				"The connection to %s is not encrypted: the password and mail travel in the clear, although the server offers STARTTLS on this port.", srv.Address()))
		} else {
			p.add(newFinding(CodeSecurityNone, implicitFix(srv),
				"The connection to %s is not encrypted: the password and mail travel in the clear.", srv.Address()))
		}
	}
	encrypted := srv.Security != account.None
	if encrypted {
		p.e.AuthAfter = append(d.passwordMechs(caps), d.oauthMechs(caps)...)
		if len(d.passwordMechs(caps)) == 0 {
			if len(d.oauthMechs(caps)) > 0 {
				p.add(newFinding(CodeAuthOAuth2Only, "Use a mail client that supports OAuth2 sign-in, or ask the provider about app passwords.",
					"The server only offers OAuth2 sign-in (%v); password login is not available.", d.oauthMechs(caps)))
			} else if srv.Protocol != account.IMAP {
				p.add(newFinding(CodeAuthMechanismsMissing, "Check the port: this may be a server for incoming mail from other servers, not for your mail client.",
					"The server offers no password login method after encryption."))
			}
		}
	}
	p.login(s, d, caps)
	d.quit(s)
	if p.opts.Deep {
		p.deep(ctx)
	}
}

// connect resolves the host and connects to every address at once,
// recording each one's connect time, and returns the first connection in
// the resolver's order that succeeded.
func (p *prober) connect(ctx context.Context) (net.Conn, error) {
	srv := p.e.Server
	hosts := []string{srv.Host}
	if p.opts.Resolver != nil {
		addrs, err := p.opts.Resolver.LookupHost(ctx, srv.Host)
		if err != nil {
			const fix, msg = "Check the spelling of the server name.", "The server name %s could not be resolved: %v."
			if errors.Is(err, netx.ErrNotFound) {
				p.add(newFinding(CodeDNSNotFound, fix, msg, srv.Host, err))
			} else {
				p.add(newFinding(CodeDNSFailed, fix, msg, srv.Host, err))
			}
			return nil, err
		}
		hosts = hosts[:0]
		for _, a := range addrs {
			hosts = append(hosts, a.String())
		}
	}
	dialer := p.opts.Dialer
	if dialer == nil {
		dialer = &net.Dialer{}
	}
	type result struct {
		conn net.Conn
		err  error
	}
	results := make([]result, len(hosts))
	p.e.Addresses = make([]AddressResult, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Go(func() {
			addr := net.JoinHostPort(h, strconv.Itoa(srv.Port))
			cctx, cancel := context.WithTimeout(ctx, p.opts.phase())
			defer cancel()
			start := time.Now()
			c, err := dialer.DialContext(cctx, "tcp", addr)
			ar := AddressResult{Address: addr, ConnectMS: ms(time.Since(start))}
			if err != nil {
				if cctx.Err() != nil && ctx.Err() == nil {
					err = fmt.Errorf("no answer within %s: %w", p.opts.phase(), context.DeadlineExceeded)
				}
				ar.Error = err.Error()
			}
			p.trace("connect %s: %s", addr, orOK(err))
			p.e.Addresses[i] = ar
			results[i] = result{c, err}
		})
	}
	wg.Wait()
	var chosen net.Conn
	var failed []error
	for i, r := range results {
		if r.err != nil {
			failed = append(failed, r.err)
			continue
		}
		if chosen == nil {
			chosen = r.conn
			p.e.Connected = p.e.Addresses[i].Address
		} else {
			r.conn.Close()
		}
	}
	if chosen == nil {
		p.connectFailure(errors.Join(failed...))
		return nil, errors.Join(failed...)
	}
	for _, a := range p.e.Addresses {
		if a.Error != "" {
			p.add(newFinding(CodeTCPAddressUnreachable, "Clients that try this address first will be slow or fail: fix the DNS record or the server's network.",
				"Address %s could not be reached (%s), but %s could.", a.Address, a.Error, p.e.Connected))
		}
	}
	return chosen, nil
}

func orOK(err error) string {
	if err != nil {
		return err.Error()
	}
	return "ok"
}

func (p *prober) connectFailure(err error) {
	srv := p.e.Server
	switch {
	case isTimeout(err):
		p.add(newFinding(CodeTCPTimeout, timeoutFix(srv),
			"Port %d on %s did not answer within %s.", srv.Port, srv.Host, p.opts.phase()))
	case errors.Is(err, syscall.ECONNREFUSED):
		p.add(newFinding(CodeTCPRefused, "Check the port number and security type; "+implicitFix(srv),
			"Nothing accepts connections on port %d of %s.", srv.Port, srv.Host))
	default:
		p.add(newFinding(CodeTCPFailed, "Check the server name and your network connection.",
			"Could not connect to %s: %v.", srv.Address(), err))
	}
}

// timeoutFix suggests the other submission port, as many networks block one.
func timeoutFix(srv account.Server) string {
	if srv.Protocol == account.SMTP {
		if srv.Port == 587 {
			return "Many networks block port 587: try 465 with SSL/TLS."
		}
		if srv.Port == 465 {
			return "Some networks block port 465: try 587 with STARTTLS."
		}
		if srv.Port == 25 {
			return "Port 25 is for servers and often blocked: use 465 with SSL/TLS or 587 with STARTTLS."
		}
	}
	return "A firewall may be dropping the connection: check the server name and port, or try from another network."
}

// implicitFix suggests implicit TLS on the standard port.
func implicitFix(srv account.Server) string {
	return fmt.Sprintf("Use port %d with SSL/TLS instead.", account.DefaultPort(srv.Protocol, account.TLS))
}

// sessionFailure turns a failure after connecting into a finding.
func (p *prober) sessionFailure(err error, during string) {
	srv := p.e.Server
	var pe *phaseError
	phase := ""
	if errors.As(err, &pe) {
		phase = pe.phase
	}
	switch {
	case errors.Is(err, errLineTooLong), errors.Is(err, errTooMuch):
		p.add(newFinding(CodeProtocolLineTooLong, "Check that this port really serves "+srv.Protocol.Label()+".",
			"The server sent an endless answer during the %s; mailsetup stopped reading at its limit.", during))
	case phase == "greeting" && isTimeout(err):
		p.add(newFinding(CodeGreetingTimeout, "Check that this port serves "+srv.Protocol.Label()+" with "+srv.Security.Label()+"; "+p.modeHint(),
			"The server accepted the connection on port %d but sent no greeting within %s.", srv.Port, p.opts.phase()))
	case phase == "invalid":
		p.add(newFinding(CodeGreetingInvalid, "Check the port and security type: "+p.modeHint(),
			"The server on port %d does not speak %s: %s.", srv.Port, srv.Protocol.Label(), echo(pe.err)))
	case phase == "rejected":
		p.add(newFinding(CodeGreetingRejected, "Try again later, or ask the provider whether your network is blocked.",
			"The server refused the session: %s.", echo(pe.err)))
	case phase == "starttls":
		p.add(newFinding(CodeStartTLSRefused, implicitFix(srv), "The server refused STARTTLS: %s.", echo(pe.err)))
	case isTimeout(err):
		p.add(newFinding(CodeProtocolTimeout, "Try again; if it persists the server is overloaded or broken.",
			"The server stopped answering during the %s.", during))
	default:
		p.add(newFinding(CodeProtocolError, "Check that this port really serves "+srv.Protocol.Label()+".",
			"The conversation failed during the %s: %s.", during, echo(err)))
	}
}

// modeHint explains the usual mix-up between implicit TLS and STARTTLS.
func (p *prober) modeHint() string {
	srv := p.e.Server
	if srv.Security == account.TLS {
		return fmt.Sprintf("port %d may expect STARTTLS (try security STARTTLS on port %d).", srv.Port, account.DefaultPort(srv.Protocol, account.STARTTLS))
	}
	return fmt.Sprintf("port %d may expect SSL/TLS from the start (try port %d with SSL/TLS).", srv.Port, account.DefaultPort(srv.Protocol, account.TLS))
}

// tls runs the handshake and reports certificate findings. It returns
// whether the session may go on.
func (p *prober) tls(s *session, mode string) bool {
	info, cc, err := s.handshake(p.e.Server.Host, p.opts.RootCAs, p.opts.now, mode)
	p.e.TLS = info
	srv := p.e.Server
	if cc.recorded {
		p.certFindings(cc)
	}
	if err != nil {
		var rh tls.RecordHeaderError
		if mode == "starttls" && errors.As(err, &rh) {
			// The bytes arrived after the STARTTLS answer was read; the
			// handshake saw them instead of a TLS record.
			p.add(injectionFinding(srv, fmt.Sprintf("%q", rh.RecordHeader[:])))
			return false
		}
		if !cc.recorded || cc.info.VerifyError == "" {
			hint := ""
			if mode == "implicit" {
				hint = " " + p.modeHint()
			}
			p.add(newFinding(CodeTLSHandshakeFailed, "Check the port and security type."+hint,
				"The TLS handshake with %s failed: %v.", srv.Address(), err))
		}
		return false
	}
	p.e.verifiedTLS = info.Verified
	if info.Verified {
		p.add(newFinding(CodeTLSOK, "", "%s with a trusted certificate for %s (%s, %d days left).", info.Version, srv.Host, info.Issuer, info.DaysLeft))
	}
	return true
}

func (p *prober) certFindings(cc *certCheck) {
	i := cc.info
	host := p.e.Server.Host
	switch {
	case cc.expired:
		p.add(newFinding(CodeTLSCertExpired, "The server's administrator must renew the certificate; until then clients will refuse to connect.",
			"The certificate for %s expired on %s.", host, i.NotAfter.Format(time.DateOnly)))
	case cc.notYet:
		p.add(newFinding(CodeTLSCertNotYetValid, "Check the clock of this computer; otherwise the server's certificate is dated in the future.",
			"The certificate for %s is not valid before %s.", host, i.NotBefore.Format(time.DateOnly)))
	case i.DaysLeft < 14:
		p.add(newFinding(CodeTLSCertExpiringSoon, "Tell the server's administrator to renew the certificate.",
			"The certificate for %s expires in %d day(s).", host, i.DaysLeft))
	}
	if !i.NameMatch {
		p.add(newFinding(CodeTLSCertNameMismatch, fmt.Sprintf("Use a server name the certificate covers (%v), or have the certificate fixed.", i.SANs),
			"The certificate is for %v, not for %s.", i.SANs, host))
	}
	if !i.Trusted {
		if cc.selfSig {
			p.add(newFinding(CodeTLSCertSelfSigned, "Ask the provider for a certificate from a public authority; do not tell users to click past warnings.",
				"The certificate for %s is self-signed, so nothing proves the server is genuine.", host))
		} else {
			p.add(newFinding(CodeTLSCertUntrusted, "The server must send a certificate from a trusted authority, with its intermediate certificates.",
				"The certificate for %s (issuer %s) is not trusted by this computer.", host, i.Issuer))
		}
	}
}

// checkBeforeTLS reports what a server offers before encryption.
func (p *prober) checkBeforeTLS(d dialect, caps []string) {
	srv := p.e.Server
	mechs := d.passwordMechs(caps)
	p.e.AuthBefore = mechs
	if srv.Protocol == account.IMAP && !hasCap(caps, "LOGINDISABLED") {
		p.add(newFinding(CodeIMAPLoginDisabledMissing, implicitFix(srv),
			"The IMAP server does not announce LOGINDISABLED, so a client could send the password before encryption."))
	}
	if len(mechs) > 0 && !(srv.Protocol == account.IMAP && len(mechs) == 1 && mechs[0] == "LOGIN") {
		p.add(newFinding(CodeAuthCleartextBeforeTLS, implicitFix(srv),
			"Before encryption the server already offers password login (%v); a misconfigured client would send the password in the clear.", mechs))
	}
}

// login runs the one login attempt the rules allow.
func (p *prober) login(s *session, d dialect, caps []string) {
	srv := p.e.Server
	if p.t.Password == "" {
		p.e.Login = &Login{Outcome: LoginNotAttempted}
		p.add(newFinding(CodeAuthSkippedNoPassword, "Give a password (prompt, --password-stdin, --password-file or MAILSETUP_PASSWORD) to test the login.",
			"No password given: the login was not tested."))
		return
	}
	if strings.ContainsAny(p.t.Username+p.t.Password, "\r\n\x00") {
		p.e.Login = &Login{Outcome: LoginNotAttempted}
		p.add(newFinding(CodeAuthInvalidCharacters, "Check the username and password: no mail server accepts line breaks in them.",
			"The username or password contains a line break or NUL, so it was not sent (it could smuggle extra commands to the server)."))
		return
	}
	if !p.e.verifiedTLS && !p.opts.AllowInsecureAuth {
		p.e.Login = &Login{Outcome: LoginNotAttempted}
		p.add(newFinding(CodeAuthSkippedInsecure, "Use SSL/TLS or STARTTLS with a valid certificate; for a lab server, --allow-insecure-auth overrides this.",
			"The password was not sent because the connection is not protected by verified TLS."))
		return
	}
	s.timeout = p.opts.login()
	outcome, reply, err := d.login(s, caps, p.t.Username, p.t.Password)
	s.timeout = p.opts.phase()
	if err != nil && s.repeatsCredentials(err.Error()) {
		err = &phaseError{"protocol", errors.New(echoWithheld)}
	}
	if err != nil {
		p.e.Login = &Login{Outcome: LoginNotAttempted}
		p.sessionFailure(err, "login")
		return
	}
	// The reply is the server's own answer, quoted as it is, unless it
	// repeats a credentials line the probe sent.
	if s.repeatsCredentials(reply) {
		reply = echoWithheld
	}
	p.e.Login = &Login{Outcome: outcome, Reply: clip(reply)}
	user := p.t.Username
	switch outcome {
	case LoginOK:
		p.add(newFinding(CodeAuthOK, "", "Logged in as %s.", user))
	case LoginWrongCredentials:
		p.e.AuthProblem = true
		p.add(newFinding(CodeAuthFailed, "Check the username (often the full e-mail address) and the password.",
			"%s rejected the login for %s: %s", srv.Protocol.Label(), user, clip(reply)))
	case LoginAppPasswordRequired:
		p.e.AuthProblem = true
		p.add(newFinding(CodeAuthAppPasswordRequired, "Create an app password in the provider's account security settings and use it instead of the normal password, or use a client with OAuth2 sign-in.",
			"The provider refuses the normal password for mail clients: %s", clip(reply)))
	case LoginOAuth2Required:
		p.e.AuthProblem = true
		p.add(newFinding(CodeAuthOAuth2Required, "Use a mail client that signs in with OAuth2 (modern authentication).",
			"The provider has switched password login off: %s", clip(reply)))
	case LoginLocked:
		p.e.AuthProblem = true
		p.add(newFinding(CodeAuthLocked, "Close other mail clients using this mailbox, wait a few minutes, or ask the provider to unlock the account.",
			"The account is locked or in use: %s", clip(reply)))
	case LoginTemporary:
		p.add(newFinding(CodeAuthTemporary, "Try again in a few minutes.", "The login failed for a temporary reason: %s", clip(reply)))
	case LoginPasswordExpired:
		p.e.AuthProblem = true
		p.add(newFinding(CodeAuthPasswordExpired, "Change the password on the provider's website (or ask the administrator), then use the new one.",
			"The password for %s is right but has expired: %s", user, clip(reply)))
	case LoginNotAuthorized:
		p.e.AuthProblem = true
		p.add(newFinding(CodeAuthNotAuthorized, "Ask the provider to enable "+srv.Protocol.Label()+" access for this account, and check that the username is the account's own.",
			"%s accepted the credentials of %s but does not let this account sign in here: %s", srv.Protocol.Label(), user, clip(reply)))
	case LoginContactAdmin:
		p.e.AuthProblem = true
		p.add(newFinding(CodeAuthContactAdmin, "Contact the provider's support or the mail administrator; changing settings here will not help.",
			"%s refused the login for %s and asks you to contact the administrator: %s", srv.Protocol.Label(), user, clip(reply)))
	case LoginEncryptionRequired:
		p.add(newFinding(CodeAuthEncryptionRequired, implicitFix(srv)+" If this already is SSL/TLS, the server's own settings need fixing.",
			"%s wants more protection before a login than this connection gives: %s", srv.Protocol.Label(), clip(reply)))
	}
}

// finish sets the verdict from the findings.
func (e *Endpoint) finish() {
	e.Verdict = VerdictOK
	for _, f := range e.Findings {
		switch f.Severity {
		case SevError:
			e.Verdict = VerdictFail
		case SevWarn:
			e.Verdict = worse(e.Verdict, VerdictWarn)
		}
	}
	if e.Findings == nil {
		e.Findings = []Finding{}
	}
}

// heloFor returns an address literal for EHLO (RFC 5321 §4.1.3).
func heloFor(a net.Addr) string {
	if ta, ok := a.(*net.TCPAddr); ok {
		if ip, ok := netip.AddrFromSlice(ta.IP); ok {
			ip = ip.Unmap()
			if ip.Is6() {
				return "[IPv6:" + ip.String() + "]"
			}
			return "[" + ip.String() + "]"
		}
	}
	return "[127.0.0.1]"
}

func clipGreeting(s string) string { return termtext.Clip(s, termtext.MaxEcho) }

// echo is an error that quotes what the server sent, clipped for a
// finding's message.
func echo(err error) string { return termtext.Clip(err.Error(), termtext.MaxEcho) }

// injectionFinding reports cleartext bytes after a positive STARTTLS reply.
func injectionFinding(srv account.Server, what string) Finding {
	return newFinding(CodeStartTLSInjection, "Use implicit TLS on port "+strconv.Itoa(account.DefaultPort(srv.Protocol, account.TLS))+" or have the server fixed.",
		"The server sent data between its STARTTLS answer and the TLS handshake (%s); mailsetup discarded it and stopped, as this is how STARTTLS injection attacks work.", what)
}
