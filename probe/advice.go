package probe

// This file chooses each finding's fix. A fix has to be true and doable
// for the person reading it: it names only flags the command they run
// accepts (Advice.Flag), suggests another port only when the probe saw
// that port answer (Advice.CheckPorts), and says what is known about the
// provider (Advice.AppPassword). The prober and Fixes both choose fixes
// through situation.fix, so the fixes tests check are the ones users see.

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/net/publicsuffix"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// Advice is what findings' fixes may point the user to. The zero value is
// the careful choice: fixes name no flag, suggest no other port and know
// no provider.
type Advice struct {
	// Flag reports whether the command the user runs accepts the flag
	// with this long name (without the dashes). A fix names a flag only
	// when Flag says so; nil accepts none.
	Flag func(name string) bool
	// CheckPorts lets the probe connect to the server's other standard
	// ports (a plain TCP connect, nothing sent) when a fix would suggest
	// one, so that a fix suggests only a port that answered. Without it
	// fixes suggest no other port.
	CheckPorts bool
	// AppPassword reports whether a server host name belongs to a
	// provider known to need app passwords for mail apps (the built-in
	// provider database knows which); a rejected login there says so.
	AppPassword func(host string) bool
}

func (a Advice) flag(name string) bool { return a.Flag != nil && a.Flag(name) }

// situation is what a fix depends on besides its code.
type situation struct {
	srv account.Server
	adv Advice
	// open reports whether a port of the server's host answered; never nil.
	open func(port int) bool
	// starttls: the unencrypted server offers STARTTLS on its port.
	starttls bool
	// appPassword: the provider is known to need app passwords.
	appPassword bool
	// names are the names the certificate holds (name mismatch).
	names []string
}

// fix returns the fix of a finding with code in situation s.
func (s situation) fix(code Code) i18n.Msg {
	srv := s.srv
	proto := srv.Protocol.Label()
	switch code {
	case CodeTLSOK, CodeAuthOK:
		return i18n.Msg{}
	case CodeTCPRefused:
		if alt, ok := s.otherPort(); ok {
			return fixFor(code, alt)
		}
		return i18n.M(FixKey(code) + "-none")
	case CodeTCPTimeout:
		return s.timeoutFix()
	case CodeGreetingTimeout:
		if hint, ok := s.modeHint(); ok {
			return fixFor(code, proto, securityLabel(srv.Security), hint)
		}
		return i18n.M(FixKey(code)+"-nohint", proto, securityLabel(srv.Security))
	case CodeGreetingInvalid:
		if hint, ok := s.modeHint(); ok {
			return fixFor(code, hint)
		}
		return i18n.M(FixKey(code) + "-nohint")
	case CodeTLSHandshakeFailed:
		if srv.Security == account.TLS {
			if hint, ok := s.modeHint(); ok {
				return i18n.M(FixKey(code)+"-implicit", hint)
			}
		}
		return fixFor(code)
	case CodeProtocolLineTooLong, CodeProtocolError:
		return fixFor(code, proto)
	case CodeAuthNotAuthorized:
		return fixFor(code, proto)
	case CodeIMAPLoginDisabledMissing, CodeAuthCleartextBeforeTLS, CodeStartTLSCommandInjection:
		if m, ok := s.implicitTLS(); ok {
			return m
		}
		if srv.Security == account.STARTTLS && code != CodeStartTLSCommandInjection {
			return i18n.M("probe.fix.keep-starttls")
		}
		return i18n.M("probe.fix.ask-encryption")
	case CodeStartTLSMissing, CodeStartTLSRefused:
		if m, ok := s.implicitTLS(); ok {
			return m
		}
		return i18n.M("probe.fix.ask-encryption")
	case CodeStartTLSInjection:
		if port := account.DefaultPort(srv.Protocol, account.TLS); s.open(port) {
			return fixFor(code, port)
		}
		return i18n.M(FixKey(code) + "-none")
	case CodeSecurityNone:
		return s.securityNoneFix()
	case CodeTLSCertNameMismatch:
		if name, ok := s.plausibleName(); ok {
			return i18n.M(FixKey(code)+"-use", name)
		}
		return fixFor(code, srv.Host)
	case CodeAuthFailed:
		if s.appPassword {
			return i18n.M(FixKey(code) + "-app-password")
		}
		return fixFor(code)
	case CodeAuthEncryptionRequired:
		if srv.Security != account.TLS {
			if m, ok := s.implicitTLS(); ok {
				return fixFor(code, m)
			}
		}
		return i18n.M(FixKey(code) + "-server")
	case CodeAuthSkippedInsecure:
		if s.adv.flag("allow-insecure-auth") {
			return fixFor(code)
		}
		return i18n.M(FixKey(code) + "-noflag")
	case CodeAuthSkippedNoPassword:
		if s.adv.flag("password-stdin") && s.adv.flag("password-file") {
			return fixFor(code)
		}
		return i18n.M(FixKey(code) + "-noflag")
	}
	return fixFor(code)
}

// implicitTLS suggests SSL/TLS on the protocol's standard port, when the
// server is not already there and that port answered.
func (s situation) implicitTLS() (i18n.Msg, bool) {
	port := account.DefaultPort(s.srv.Protocol, account.TLS)
	if s.srv.Security == account.TLS && s.srv.Port == port {
		return i18n.Msg{}, false
	}
	if !s.open(port) {
		return i18n.Msg{}, false
	}
	return i18n.M("probe.fix.implicit-tls", port), true
}

// otherPort suggests another standard port of the protocol that answered,
// SSL/TLS first.
func (s situation) otherPort() (i18n.Msg, bool) {
	if port := account.DefaultPort(s.srv.Protocol, account.TLS); port != s.srv.Port && s.open(port) {
		return i18n.M("probe.fix.implicit-tls", port), true
	}
	if port := account.DefaultPort(s.srv.Protocol, account.STARTTLS); port != s.srv.Port && s.open(port) {
		return i18n.M("probe.fix.starttls-port", port), true
	}
	return i18n.Msg{}, false
}

// timeoutFix suggests the other submission port, as many networks block
// one, when that port answered.
func (s situation) timeoutFix() i18n.Msg {
	if s.srv.Protocol != account.SMTP {
		return fixFor(CodeTCPTimeout)
	}
	key := FixKey(CodeTCPTimeout)
	switch s.srv.Port {
	case 587:
		if s.open(465) {
			return i18n.M(key + "-587")
		}
	case 465:
		if s.open(587) {
			return i18n.M(key + "-465")
		}
	case 25:
		tls, starttls := s.open(465), s.open(587)
		switch {
		case tls && starttls:
			return i18n.M(key + "-25")
		case tls:
			return i18n.M("probe.fix.implicit-tls", 465)
		case starttls:
			return i18n.M("probe.fix.starttls-port", 587)
		}
	}
	return fixFor(CodeTCPTimeout)
}

// modeHint explains the usual mix-up between implicit TLS and STARTTLS,
// when the port it suggests answered.
func (s situation) modeHint() (i18n.Msg, bool) {
	srv := s.srv
	if srv.Security == account.TLS {
		port := account.DefaultPort(srv.Protocol, account.STARTTLS)
		return i18n.M("probe.hint.try-starttls", srv.Port, port), s.open(port)
	}
	port := account.DefaultPort(srv.Protocol, account.TLS)
	return i18n.M("probe.hint.try-tls", srv.Port, port), s.open(port)
}

// securityNoneFix is the fix for an unencrypted connection: STARTTLS on
// the same port when the server offers it (with the command's flag when
// it has one), SSL/TLS on the standard port when that answered.
func (s situation) securityNoneFix() i18n.Msg {
	srv := s.srv
	tlsPort := account.DefaultPort(srv.Protocol, account.TLS)
	alt := tlsPort != srv.Port && s.open(tlsPort)
	if !s.starttls {
		if alt {
			return i18n.M("probe.fix.implicit-tls", tlsPort)
		}
		return i18n.M("probe.fix.ask-encryption")
	}
	key := FixKey(CodeSecurityNone) + "-starttls"
	name := srv.Protocol.String()
	switch flag := s.adv.flag(name + "-security"); {
	case flag && alt:
		return i18n.M(key, srv.Port, name, tlsPort)
	case flag:
		return i18n.M(key+"-only", srv.Port, name)
	case alt:
		return i18n.M(key+"-noflag", srv.Port, tlsPort)
	}
	return i18n.M(key+"-noflag-only", srv.Port)
}

// plausibleName returns a name the certificate holds that could be the
// user's server name: a host name (no wildcard, no IP address) in the
// same registrable domain as the server name they used.
func (s situation) plausibleName() (string, bool) {
	host := strings.ToLower(strings.TrimSuffix(s.srv.Host, "."))
	site, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return "", false
	}
	for _, n := range s.names {
		n = strings.ToLower(strings.TrimSuffix(n, "."))
		if n == host || strings.Contains(n, "*") || net.ParseIP(n) != nil {
			continue
		}
		if d, err := publicsuffix.EffectiveTLDPlusOne(n); err == nil && d == site {
			return n, true
		}
	}
	return "", false
}

// maxListedNames is how many certificate names a message lists.
const maxListedNames = 5

// nameList renders names as a list people read: "a", "a and b",
// "a, b and c", at most maxListedNames and then how many more.
func nameList(names []string) any {
	switch n := len(names); {
	case n == 0:
		return ""
	case n == 1:
		return names[0]
	case n > maxListedNames:
		return i18n.M("probe.list.more", strings.Join(names[:maxListedNames], ", "), n-maxListedNames)
	default:
		return i18n.M("probe.list.two", strings.Join(names[:n-1], ", "), names[n-1])
	}
}

// sit returns the prober's situation for its endpoint.
func (p *prober) sit() situation {
	s := situation{srv: p.e.Server, adv: p.opts.Advice, open: p.portOpen}
	if f := p.opts.Advice.AppPassword; f != nil {
		s.appPassword = f(p.e.Server.Host)
	}
	return s
}

// fix returns the fix of a finding with code for the prober's endpoint.
func (p *prober) fix(code Code) i18n.Msg { return p.sit().fix(code) }

// portOpen reports whether port of the endpoint's host answered: the
// endpoint's own port when the probe connected to it, another only when
// Advice.CheckPorts allowed a check.
func (p *prober) portOpen(port int) bool {
	if port == p.e.Server.Port {
		return p.e.Connected != ""
	}
	if !p.opts.Advice.CheckPorts {
		return false
	}
	p.portsOnce.Do(p.checkPorts)
	return p.openPorts[port]
}

// alternativePorts are the ports a fix may suggest for protocol p.
func alternativePorts(p account.Protocol) []int {
	ports := []int{account.DefaultPort(p, account.TLS), account.DefaultPort(p, account.STARTTLS)}
	if p == account.SMTP {
		ports = append(ports, 465, 587)
	}
	slices.Sort(ports)
	return slices.Compact(ports)
}

// checkPorts connects, all at once, to the other ports a fix may suggest,
// on the address the probe used (or the first one it resolved), and
// closes each connection at once.
func (p *prober) checkPorts() {
	p.openPorts = map[int]bool{}
	host := p.firstHost
	if p.e.Connected != "" {
		host, _, _ = net.SplitHostPort(p.e.Connected)
	}
	if host == "" || p.ctx == nil {
		return
	}
	dialer := p.opts.Dialer
	if dialer == nil {
		dialer = &net.Dialer{}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, port := range alternativePorts(p.e.Server.Protocol) {
		if port == p.e.Server.Port {
			continue
		}
		wg.Go(func() {
			addr := net.JoinHostPort(host, strconv.Itoa(port))
			ctx, cancel := context.WithTimeout(p.ctx, p.opts.phase())
			defer cancel()
			c, err := dialer.DialContext(ctx, "tcp", addr)
			if err != nil {
				p.trace("%s", i18n.M("trace.probe.advice-port-error", addr, err))
				return
			}
			p.trace("%s", i18n.M("trace.probe.advice-port-ok", addr))
			c.Close()
			mu.Lock()
			p.openPorts[port] = true
			mu.Unlock()
		})
	}
	wg.Wait()
}

// Fixes returns, for every finding code, each fix the probe can give
// under a, over the situations a fix depends on: protocol, port and
// security, whether other ports answered, whether the server offers
// STARTTLS, whether the provider needs app passwords and which names the
// certificate holds. Callers check their advice with it: cmd's tests
// check that no fix names a flag its command rejects.
func Fixes(a Advice) map[Code][]i18n.Msg {
	out := map[Code][]i18n.Msg{}
	seen := map[string]bool{}
	implicit := []int{993, 995, 465}
	openSets := []func(int) bool{
		func(int) bool { return true },
		func(int) bool { return false },
		func(port int) bool { return slices.Contains(implicit, port) },
		func(port int) bool { return !slices.Contains(implicit, port) },
	}
	for _, proto := range []account.Protocol{account.IMAP, account.POP3, account.SMTP} {
		host := strings.ToLower(proto.String()) + ".example.test"
		for _, sec := range []account.Security{account.TLS, account.STARTTLS, account.None} {
			ports := []int{account.DefaultPort(proto, sec)}
			if proto == account.SMTP {
				ports = append(ports, 25, 465, 587)
			}
			for _, port := range ports {
				for _, open := range openSets {
					for _, yes := range []bool{true, false} {
						s := situation{srv: account.Server{Protocol: proto, Host: host, Port: port, Security: sec}, adv: a,
							open: open, starttls: yes, appPassword: yes}
						for _, names := range [][]string{{"mail.example.test"}, {"wrong.example"}} {
							s.names = names
							for _, c := range Codes {
								m := s.fix(c.Code)
								if m.IsZero() {
									continue
								}
								id := fmt.Sprintf("%s %s %v", c.Code, m.Key, m.Args)
								if !seen[id] {
									seen[id] = true
									out[c.Code] = append(out[c.Code], m)
								}
							}
						}
					}
				}
			}
		}
	}
	return out
}
