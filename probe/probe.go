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
	"github.com/mailsetup/mailsetup/internal/i18n"
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
	// Catalog is the language of the findings' messages and fixes;
	// English when nil. Report.Localize renders them again in another.
	Catalog *i18n.Catalog
	// Advice is what the fixes may point to: the flags of the user's
	// command, other ports that answer, what is known of the provider.
	Advice Advice
	// QuitWithoutReply sends the closing LOGOUT or QUIT and closes the
	// connection without waiting for the server's answer, which tells
	// nothing: a round trip less. Discovery's live check sets it.
	QuitWithoutReply bool
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
	p := &prober{opts: &opts, e: e, t: t, ctx: ctx}
	p.run(ctx)
	e.finish()
	e.DurationMS = ms(time.Since(start))
	return e
}

type prober struct {
	opts *Options
	e    *Endpoint
	t    Target
	// ctx is the run's context, for the connections advice needs.
	ctx context.Context
	// firstHost is the first address the host resolved to.
	firstHost string
	// openPorts are the other ports that answered (checkPorts).
	portsOnce sync.Once
	openPorts map[int]bool
}

// add records a finding. Findings never contain credentials because none
// is ever formatted into them: the password only travels inside the
// protocol code's credentials lines (session.writeCredentials).
func (p *prober) add(f Finding) {
	if p.opts.Catalog != nil {
		f = f.In(p.opts.Catalog)
	}
	p.e.Findings = append(p.e.Findings, f)
}

// trace writes a trace line about the endpoint; arguments that are
// catalogue messages are rendered in the tracer's language.
func (p *prober) trace(format string, args ...any) {
	if p.opts.Trace.Enabled() {
		for i, a := range args {
			if m, ok := a.(i18n.Msg); ok {
				args[i] = p.opts.Trace.Text(m)
			}
		}
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
		p.add(newFinding(CodeIMAPPreauthCleartext, p.fix(CodeIMAPPreauthCleartext), msgFor(CodeIMAPPreauthCleartext)))
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
			p.add(newFinding(CodeStartTLSMissing, p.fix(CodeStartTLSMissing), msgFor(CodeStartTLSMissing, srv.Protocol.Label(), srv.Port)))
			return
		}
		if err := d.startTLS(s); err != nil {
			p.sessionFailure(err, "starttls")
			return
		}
		if n := s.r.Buffered(); n > 0 {
			peek, _ := s.r.Peek(min(n, 16))
			p.add(p.injectionFinding(i18n.M("probe.injection.bytes", n, peek)))
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
		sit := p.sit()
		sit.starttls = d.startTLSOffered(caps)
		if sit.starttls {
			// Say so: the same port can be encrypted (issue 11, item 4).
			p.add(newFinding(CodeSecurityNone, sit.fix(CodeSecurityNone), i18n.M(MessageKey(CodeSecurityNone)+"-starttls", srv.Address())))
		} else {
			p.add(newFinding(CodeSecurityNone, sit.fix(CodeSecurityNone), msgFor(CodeSecurityNone, srv.Address())))
		}
	}
	encrypted := srv.Security != account.None
	if encrypted {
		p.e.AuthAfter = append(d.passwordMechs(caps), d.oauthMechs(caps)...)
		if len(d.passwordMechs(caps)) == 0 {
			if len(d.oauthMechs(caps)) > 0 {
				p.add(newFinding(CodeAuthOAuth2Only, p.fix(CodeAuthOAuth2Only), msgFor(CodeAuthOAuth2Only, nameList(d.oauthMechs(caps)))))
			} else if srv.Protocol != account.IMAP {
				p.add(newFinding(CodeAuthMechanismsMissing, p.fix(CodeAuthMechanismsMissing), msgFor(CodeAuthMechanismsMissing)))
			}
		}
	}
	p.login(s, d, caps)
	d.quit(s, !p.opts.QuitWithoutReply)
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
			if errors.Is(err, netx.ErrNotFound) {
				p.add(newFinding(CodeDNSNotFound, p.fix(CodeDNSNotFound), msgFor(CodeDNSNotFound, srv.Host, err)))
			} else {
				p.add(newFinding(CodeDNSFailed, p.fix(CodeDNSFailed), msgFor(CodeDNSFailed, srv.Host, err)))
			}
			return nil, err
		}
		hosts = hosts[:0]
		for _, a := range addrs {
			hosts = append(hosts, a.String())
		}
	}
	p.firstHost = hosts[0]
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
					err = &noAnswerError{within: p.opts.phase()}
				}
				ar.Error = err.Error()
				if r, ok := err.(i18n.Renderer); ok {
					ar.Error = r.RenderIn(p.opts.Catalog)
				}
			}
			if err != nil {
				p.trace("%s", i18n.M("trace.connect.error", addr, err))
			} else {
				p.trace("%s", i18n.M("trace.probe.connect-ok", addr))
			}
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
	for i, a := range p.e.Addresses {
		if r := results[i]; r.err != nil {
			p.add(newFinding(CodeTCPAddressUnreachable, p.fix(CodeTCPAddressUnreachable), msgFor(CodeTCPAddressUnreachable, a.Address, addressError(r.err), p.e.Connected)))
		}
	}
	return chosen, nil
}

// noAnswerError is a connection attempt to one address that got no answer
// within the phase timeout. Its text is a catalogue message, so it reads
// in the run's language wherever it is shown.
type noAnswerError struct{ within time.Duration }

func (e *noAnswerError) Error() string { return e.RenderIn(nil) }

// Unwrap makes the error a timeout (isTimeout).
func (e *noAnswerError) Unwrap() error { return context.DeadlineExceeded }

// RenderIn implements i18n.Renderer.
func (e *noAnswerError) RenderIn(c *i18n.Catalog) string { return c.Render(e.msg()) }

func (e *noAnswerError) msg() i18n.Msg {
	return i18n.M("probe.address.no-answer", e.within.String(), context.DeadlineExceeded)
}

// addressError is a connection error as a message argument: the probe's
// own words render in the message's language, the network's stay as
// they are.
func addressError(err error) any {
	if na, ok := err.(*noAnswerError); ok {
		return na.msg()
	}
	return err.Error()
}

func (p *prober) connectFailure(err error) {
	srv := p.e.Server
	switch {
	case isTimeout(err):
		p.add(newFinding(CodeTCPTimeout, p.fix(CodeTCPTimeout), msgFor(CodeTCPTimeout, srv.Port, srv.Host, p.opts.phase().String())))
	case errors.Is(err, syscall.ECONNREFUSED):
		p.add(newFinding(CodeTCPRefused, p.fix(CodeTCPRefused), msgFor(CodeTCPRefused, srv.Port, srv.Host)))
	default:
		p.add(newFinding(CodeTCPFailed, p.fix(CodeTCPFailed), msgFor(CodeTCPFailed, srv.Address(), err)))
	}
}

// securityLabel names a security type: SSL/TLS and STARTTLS as they are,
// none in words of the run's language.
func securityLabel(s account.Security) any {
	if s == account.None {
		return i18n.M("probe.security-label.none")
	}
	return s.Label()
}

// phaseName names the part of the conversation during which a session
// failed ("greeting", "capabilities", "starttls", "login").
func phaseName(during string) i18n.Msg { return i18n.M("probe.phase." + during) }

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
		p.add(newFinding(CodeProtocolLineTooLong, p.fix(CodeProtocolLineTooLong), msgFor(CodeProtocolLineTooLong, phaseName(during))))
	case phase == "greeting" && isTimeout(err):
		p.add(newFinding(CodeGreetingTimeout, p.fix(CodeGreetingTimeout),
			msgFor(CodeGreetingTimeout, srv.Port, p.opts.phase().String())))
	case phase == "invalid":
		p.add(newFinding(CodeGreetingInvalid, p.fix(CodeGreetingInvalid), msgFor(CodeGreetingInvalid, srv.Port, srv.Protocol.Label(), echo(pe.err))))
	case phase == "rejected":
		p.add(newFinding(CodeGreetingRejected, p.fix(CodeGreetingRejected), msgFor(CodeGreetingRejected, echo(pe.err))))
	case phase == "starttls":
		p.add(newFinding(CodeStartTLSRefused, p.fix(CodeStartTLSRefused), msgFor(CodeStartTLSRefused, echo(pe.err))))
	case isTimeout(err):
		p.add(newFinding(CodeProtocolTimeout, p.fix(CodeProtocolTimeout), msgFor(CodeProtocolTimeout, phaseName(during))))
	default:
		p.add(newFinding(CodeProtocolError, p.fix(CodeProtocolError), msgFor(CodeProtocolError, phaseName(during), echo(err))))
	}
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
			p.add(p.injectionFinding(fmt.Sprintf("%q", rh.RecordHeader[:])))
			return false
		}
		if !cc.recorded || cc.info.VerifyError == "" {
			p.add(newFinding(CodeTLSHandshakeFailed, p.fix(CodeTLSHandshakeFailed), msgFor(CodeTLSHandshakeFailed, srv.Address(), err)))
		}
		return false
	}
	p.e.verifiedTLS = info.Verified
	if info.Verified {
		p.add(newFinding(CodeTLSOK, i18n.Msg{}, msgFor(CodeTLSOK, info.Version, srv.Host, info.Issuer, info.DaysLeft)))
	}
	return true
}

func (p *prober) certFindings(cc *certCheck) {
	i := cc.info
	host := p.e.Server.Host
	switch {
	case cc.expired:
		p.add(newFinding(CodeTLSCertExpired, p.fix(CodeTLSCertExpired), msgFor(CodeTLSCertExpired, host, i.NotAfter.Format(time.DateOnly))))
	case cc.notYet:
		p.add(newFinding(CodeTLSCertNotYetValid, p.fix(CodeTLSCertNotYetValid), msgFor(CodeTLSCertNotYetValid, host, i.NotBefore.Format(time.DateOnly))))
	case i.DaysLeft < 14:
		p.add(newFinding(CodeTLSCertExpiringSoon, p.fix(CodeTLSCertExpiringSoon), msgFor(CodeTLSCertExpiringSoon, host, i.DaysLeft)))
	}
	if !i.NameMatch {
		sit := p.sit()
		sit.names = i.SANs
		p.add(newFinding(CodeTLSCertNameMismatch, sit.fix(CodeTLSCertNameMismatch), msgFor(CodeTLSCertNameMismatch, nameList(i.SANs), host)))
	}
	if !i.Trusted {
		if cc.selfSig {
			p.add(newFinding(CodeTLSCertSelfSigned, p.fix(CodeTLSCertSelfSigned), msgFor(CodeTLSCertSelfSigned, host)))
		} else {
			p.add(newFinding(CodeTLSCertUntrusted, p.fix(CodeTLSCertUntrusted), msgFor(CodeTLSCertUntrusted, host, i.Issuer)))
		}
	}
}

// checkBeforeTLS reports what a server offers before encryption.
func (p *prober) checkBeforeTLS(d dialect, caps []string) {
	srv := p.e.Server
	mechs := d.passwordMechs(caps)
	p.e.AuthBefore = mechs
	if srv.Protocol == account.IMAP && !hasCap(caps, "LOGINDISABLED") {
		p.add(newFinding(CodeIMAPLoginDisabledMissing, p.fix(CodeIMAPLoginDisabledMissing), msgFor(CodeIMAPLoginDisabledMissing)))
	}
	if len(mechs) > 0 && !(srv.Protocol == account.IMAP && len(mechs) == 1 && mechs[0] == "LOGIN") {
		p.add(newFinding(CodeAuthCleartextBeforeTLS, p.fix(CodeAuthCleartextBeforeTLS), msgFor(CodeAuthCleartextBeforeTLS, nameList(mechs))))
	}
}

// login runs the one login attempt the rules allow.
func (p *prober) login(s *session, d dialect, caps []string) {
	srv := p.e.Server
	if p.t.Password == "" {
		p.e.Login = &Login{Outcome: LoginNotAttempted}
		p.add(newFinding(CodeAuthSkippedNoPassword, p.fix(CodeAuthSkippedNoPassword), msgFor(CodeAuthSkippedNoPassword)))
		return
	}
	if strings.ContainsAny(p.t.Username+p.t.Password, "\r\n\x00") {
		p.e.Login = &Login{Outcome: LoginNotAttempted}
		p.add(newFinding(CodeAuthInvalidCharacters, p.fix(CodeAuthInvalidCharacters), msgFor(CodeAuthInvalidCharacters)))
		return
	}
	if !p.e.verifiedTLS && !p.opts.AllowInsecureAuth {
		p.e.Login = &Login{Outcome: LoginNotAttempted}
		p.add(newFinding(CodeAuthSkippedInsecure, p.fix(CodeAuthSkippedInsecure), msgFor(CodeAuthSkippedInsecure)))
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
		p.add(newFinding(CodeAuthOK, i18n.Msg{}, msgFor(CodeAuthOK, user)))
	case LoginWrongCredentials:
		p.e.AuthProblem = true
		p.add(newFinding(CodeAuthFailed, p.fix(CodeAuthFailed), msgFor(CodeAuthFailed, srv.Protocol.Label(), user, clip(reply))))
	case LoginAppPasswordRequired:
		p.e.AuthProblem = true
		p.add(newFinding(CodeAuthAppPasswordRequired, p.fix(CodeAuthAppPasswordRequired), msgFor(CodeAuthAppPasswordRequired, clip(reply))))
	case LoginOAuth2Required:
		p.e.AuthProblem = true
		p.add(newFinding(CodeAuthOAuth2Required, p.fix(CodeAuthOAuth2Required), msgFor(CodeAuthOAuth2Required, clip(reply))))
	case LoginLocked:
		p.e.AuthProblem = true
		p.add(newFinding(CodeAuthLocked, p.fix(CodeAuthLocked), msgFor(CodeAuthLocked, clip(reply))))
	case LoginTemporary:
		p.add(newFinding(CodeAuthTemporary, p.fix(CodeAuthTemporary), msgFor(CodeAuthTemporary, clip(reply))))
	case LoginPasswordExpired:
		p.e.AuthProblem = true
		p.add(newFinding(CodeAuthPasswordExpired, p.fix(CodeAuthPasswordExpired), msgFor(CodeAuthPasswordExpired, user, clip(reply))))
	case LoginNotAuthorized:
		p.e.AuthProblem = true
		p.add(newFinding(CodeAuthNotAuthorized, p.fix(CodeAuthNotAuthorized), msgFor(CodeAuthNotAuthorized, srv.Protocol.Label(), user, clip(reply))))
	case LoginContactAdmin:
		p.e.AuthProblem = true
		p.add(newFinding(CodeAuthContactAdmin, p.fix(CodeAuthContactAdmin), msgFor(CodeAuthContactAdmin, srv.Protocol.Label(), user, clip(reply))))
	case LoginEncryptionRequired:
		p.add(newFinding(CodeAuthEncryptionRequired, p.fix(CodeAuthEncryptionRequired), msgFor(CodeAuthEncryptionRequired, srv.Protocol.Label(), clip(reply))))
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
func echo(err error) any { return echoError{err} }

// echoError is an error quoted in a finding: clipped to termtext.MaxEcho,
// and in the finding's language where its words are mailsetup's own.
type echoError struct{ err error }

// RenderIn implements i18n.Renderer.
func (e echoError) RenderIn(c *i18n.Catalog) string {
	return termtext.Clip(c.ErrorText(e.err), termtext.MaxEcho)
}

// injectionFinding reports cleartext bytes after a positive STARTTLS reply.
// what is the data seen: an i18n.Msg or the quoted bytes.
func (p *prober) injectionFinding(what any) Finding {
	return newFinding(CodeStartTLSInjection, p.fix(CodeStartTLSInjection), msgFor(CodeStartTLSInjection, what))
}
