package probe

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"strings"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// deep runs the --deep checks on fresh connections to the address the
// main probe used.
func (p *prober) deep(ctx context.Context) {
	for _, v := range []uint16{tls.VersionTLS11, tls.VersionTLS10} {
		if p.acceptsVersion(ctx, v) {
			p.e.LegacyTLS = append(p.e.LegacyTLS, tls.VersionName(v))
		}
	}
	if len(p.e.LegacyTLS) > 0 {
		var versions any = strings.Join(p.e.LegacyTLS, ", ")
		if len(p.e.LegacyTLS) == 2 {
			versions = i18n.M("probe.list.two", p.e.LegacyTLS[0], p.e.LegacyTLS[1])
		}
		p.add(newFinding(CodeTLSVersionLegacy, p.fix(CodeTLSVersionLegacy), msgFor(CodeTLSVersionLegacy, versions)))
	}
	if p.e.Server.Security == account.STARTTLS && p.commandInjection(ctx) {
		p.add(newFinding(CodeStartTLSCommandInjection, p.fix(CodeStartTLSCommandInjection), msgFor(CodeStartTLSCommandInjection)))
	}
}

// reach opens a new connection to the endpoint and, for STARTTLS, talks
// up to a positive STARTTLS reply, leaving the session ready for a TLS
// handshake.
func (p *prober) reach(ctx context.Context, upgrade bool) (*session, dialect, net.Conn, error) {
	dialer := p.opts.Dialer
	if dialer == nil {
		dialer = &net.Dialer{}
	}
	cctx, cancel := context.WithTimeout(ctx, p.opts.phase())
	defer cancel()
	c, err := dialer.DialContext(cctx, "tcp", p.e.Connected)
	if err != nil {
		return nil, nil, nil, err
	}
	s := newSession(ctx, c, p.opts.phase(), func(string, ...any) {})
	d := p.dialect(heloFor(c.LocalAddr()))
	if p.e.Server.Security == account.TLS {
		return s, d, c, nil
	}
	if _, _, err := d.greeting(s); err != nil {
		c.Close()
		return nil, nil, nil, err
	}
	if _, err := d.capabilities(s); err != nil {
		c.Close()
		return nil, nil, nil, err
	}
	if upgrade {
		if err := d.startTLS(s); err != nil {
			c.Close()
			return nil, nil, nil, err
		}
	}
	return s, d, c, nil
}

// acceptsVersion reports whether the server completes a handshake capped
// at TLS version v.
func (p *prober) acceptsVersion(ctx context.Context, v uint16) bool {
	s, _, c, err := p.reach(ctx, true)
	if err != nil {
		return false
	}
	defer c.Close()
	cfg := &tls.Config{ServerName: serverName(p.e.Server.Host), InsecureSkipVerify: true, // only the version matters here
		MinVersion: v, MaxVersion: v}
	tc := tls.Client(s.conn, cfg)
	hctx, cancel := context.WithTimeout(ctx, p.opts.phase())
	defer cancel()
	err = tc.HandshakeContext(hctx)
	if err != nil {
		p.trace("%s", i18n.M("trace.probe.deep-tls", tls.VersionName(v), err))
	} else {
		p.trace("%s", i18n.M("trace.probe.deep-tls-ok", tls.VersionName(v)))
	}
	return err == nil && tc.ConnectionState().Version == v
}

// commandInjection sends STARTTLS and a second command in one packet, as
// testssl.sh's --starttls-injection does. A correct server discards the
// second command when it starts TLS; a vulnerable one answers it inside
// the TLS session without the client sending anything more.
func (p *prober) commandInjection(ctx context.Context) bool {
	s, _, c, err := p.reach(ctx, false)
	if err != nil {
		return false
	}
	defer c.Close()
	var payload, okPrefix string
	switch p.e.Server.Protocol {
	case account.IMAP:
		payload, okPrefix = "x1 STARTTLS\r\nx2 CAPABILITY\r\n", "x1 OK"
	case account.POP3:
		payload, okPrefix = "STLS\r\nCAPA\r\n", "+OK"
	default:
		payload, okPrefix = "STARTTLS\r\nNOOP\r\n", "220"
	}
	s.deadline()
	if _, err := io.WriteString(s.conn, payload); err != nil {
		return false
	}
	for {
		line, err := s.readLine()
		if err != nil {
			return false
		}
		if strings.HasPrefix(strings.ToUpper(line), strings.ToUpper(okPrefix)) {
			break
		}
		if !strings.HasPrefix(line, "* ") && !strings.HasPrefix(line, "220-") {
			return false // STARTTLS refused: nothing to test
		}
	}
	if s.r.Buffered() > 0 {
		return false // answered in cleartext before TLS: not this flaw
	}
	tc := tls.Client(s.conn, &tls.Config{ServerName: serverName(p.e.Server.Host), InsecureSkipVerify: true}) // checking server behaviour, not identity; no secrets are sent
	hctx, cancel := context.WithTimeout(ctx, p.opts.phase())
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		return false
	}
	wait := p.opts.phase() / 5
	if wait > time.Second {
		wait = time.Second
	}
	_ = tc.SetReadDeadline(time.Now().Add(wait))
	buf := make([]byte, 1)
	n, _ := tc.Read(buf)
	p.trace("%s", i18n.M("trace.probe.injection", n))
	return n > 0
}
