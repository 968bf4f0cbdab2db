package mailtest

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"

	"net"
	"strconv"
	"strings"
	"sync/atomic"
)

// pop3Message is the single message in every maildrop.
const pop3Message = "From: sender@example.test\r\nTo: jane@example.test\r\n" +
	"Subject: mailtest\r\nMessage-ID: <1@mailtest>\r\n\r\nHello from mailtest.\r\n"

// pop3Server is a small POP3 server (RFC 1939, 2449 CAPA, 2595 STLS, 5034
// AUTH PLAIN). Before TLS it offers only CAPA, STLS, NOOP and QUIT; USER,
// PASS and AUTH are refused until TLS is up.
type pop3Server struct {
	n          *Network
	plain, tls net.Listener
	dele       atomic.Int64
	inUse      atomic.Bool
}

func (n *Network) startPOP3() error {
	plain, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("mailtest: pop3 listen: %w", err)
	}
	rawTLS, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		plain.Close()
		return fmt.Errorf("mailtest: pop3s listen: %w", err)
	}
	p := &pop3Server{n: n, plain: plain, tls: tls.NewListener(rawTLS, n.internalTLS.server)}
	n.pop3 = p
	for _, ln := range []net.Listener{p.plain, p.tls} {
		n.goTracked(func() { p.serve(ln) })
	}
	return nil
}

func (p *pop3Server) addr(implicit bool) string {
	if implicit {
		return p.tls.Addr().String()
	}
	return p.plain.Addr().String()
}

func (p *pop3Server) close() {
	p.plain.Close()
	p.tls.Close()
}

func (p *pop3Server) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		if !p.n.track(c) {
			return
		}
		if !p.n.goTracked(func() {
			defer p.n.untrackClose(c)
			p.session(c)
		}) {
			p.n.untrackClose(c)
			return
		}
	}
}

// SetPOP3InUse makes a successful POP3 login answer
// "-ERR [IN-USE] maildrop already locked" (on) instead of succeeding.
func (n *Network) SetPOP3InUse(on bool) { n.pop3.inUse.Store(on) }

// POP3DeleCount returns how many DELE commands the POP3 server received,
// in any state, on any connection.
func (n *Network) POP3DeleCount() int { return int(n.pop3.dele.Load()) }

// POP3DeleReceived reports whether any POP3 client ever sent DELE.
func (n *Network) POP3DeleReceived() bool { return n.POP3DeleCount() > 0 }

var errPOP3LineTooLong = errors.New("mailtest: pop3 line too long")

type pop3Session struct {
	p     *pop3Server
	c     net.Conn
	br    *bufio.Reader
	isTLS bool
	user  string
	trans bool // TRANSACTION state
}

func (s *pop3Session) reply(lines ...string) error {
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l)
		b.WriteString("\r\n")
	}
	_, err := s.c.Write(b.Bytes())
	return err
}

func (s *pop3Session) readLine() (string, error) {
	line, err := s.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return "", errPOP3LineTooLong
	}
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}

func (p *pop3Server) session(c net.Conn) {
	_, isTLS := c.(*tls.Conn)
	s := &pop3Session{p: p, c: c, br: bufio.NewReaderSize(c, 1024), isTLS: isTLS}
	if s.reply("+OK mailtest POP3 server ready") != nil {
		return
	}
	for {
		line, err := s.readLine()
		if errors.Is(err, errPOP3LineTooLong) {
			_ = s.reply("-ERR line too long")
			return
		}
		if err != nil {
			return
		}
		cmd, arg, _ := strings.Cut(line, " ")
		if done, err := s.command(strings.ToUpper(cmd), arg); done || err != nil {
			return
		}
	}
}

func (s *pop3Session) command(cmd, arg string) (done bool, err error) {
	size := strconv.Itoa(len(pop3Message))
	switch cmd {
	case "CAPA":
		caps := []string{"+OK Capability list follows", "TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"}
		if s.isTLS {
			cfg := s.p.n.login.pop3Config()
			if !cfg.NoUser {
				caps = append(caps, "USER")
			}
			if !cfg.NoPlain {
				caps = append(caps, "SASL PLAIN")
			}
		} else {
			caps = append(caps, "STLS")
		}
		return false, s.reply(append(caps, "IMPLEMENTATION mailtest", ".")...)
	case "STLS":
		if s.isTLS || s.trans {
			return false, s.reply("-ERR STLS not available")
		}
		if err := s.reply("+OK Begin TLS negotiation"); err != nil {
			return true, err
		}
		// Discard anything pipelined in cleartext (RFC 2595 section 4).
		_, _ = s.br.Discard(s.br.Buffered())
		tc := tls.Server(s.c, s.p.n.internalTLS.server)
		if err := tc.Handshake(); err != nil {
			return true, fmt.Errorf("mailtest: pop3 stls: %w", err)
		}
		s.c, s.isTLS, s.user = tc, true, ""
		s.br.Reset(tc)
		return false, nil
	case "USER", "PASS", "AUTH", "APOP":
		return s.auth(cmd, arg)
	case "STAT":
		if !s.trans {
			return false, s.reply("-ERR not in TRANSACTION state")
		}
		return false, s.reply("+OK 1 " + size)
	case "LIST", "UIDL":
		if !s.trans {
			return false, s.reply("-ERR not in TRANSACTION state")
		}
		v := size
		if cmd == "UIDL" {
			v = "mailtest-1"
		}
		if arg != "" {
			if arg != "1" {
				return false, s.reply("-ERR no such message")
			}
			return false, s.reply("+OK 1 " + v)
		}
		return false, s.reply("+OK 1 message", "1 "+v, ".")
	case "RETR", "TOP":
		if !s.trans {
			return false, s.reply("-ERR not in TRANSACTION state")
		}
		if n, _, _ := strings.Cut(arg, " "); n != "1" {
			return false, s.reply("-ERR no such message")
		}
		body := strings.TrimSuffix(pop3Message, "\r\n")
		return false, s.reply("+OK "+size+" octets", body, ".")
	case "DELE":
		s.p.dele.Add(1)
		if !s.trans {
			return false, s.reply("-ERR not in TRANSACTION state")
		}
		return false, s.reply("+OK message deleted")
	case "NOOP", "RSET":
		return false, s.reply("+OK")
	case "QUIT":
		return true, s.reply("+OK mailtest POP3 server signing off")
	}
	return false, s.reply("-ERR unknown command")
}

func (s *pop3Session) auth(cmd, arg string) (bool, error) {
	if s.trans {
		return false, s.reply("-ERR already authenticated")
	}
	if cmd == "AUTH" && arg == "" {
		if s.p.n.login.pop3Config().NoPlain {
			return false, s.reply("+OK", ".")
		}
		return false, s.reply("+OK", "PLAIN", ".")
	}
	if !s.isTLS {
		return false, s.reply("-ERR [AUTH] TLS required before authentication (use STLS)")
	}
	cfg := s.p.n.login.pop3Config()
	switch cmd {
	case "USER", "PASS":
		if cfg.NoUser {
			return false, s.reply("-ERR USER/PASS not supported, use AUTH")
		}
	}
	switch cmd {
	case "USER":
		s.user = arg
		return false, s.reply("+OK send PASS")
	case "PASS":
		if s.user == "" {
			return false, s.reply("-ERR USER first")
		}
		return false, s.login("USER/PASS", s.user, arg)
	case "APOP":
		return false, s.reply("-ERR APOP not supported")
	}
	mech, ir, _ := strings.Cut(arg, " ")
	if !strings.EqualFold(mech, "PLAIN") || cfg.NoPlain {
		return false, s.reply("-ERR unsupported SASL mechanism")
	}
	if ir == "" {
		if err := s.reply("+ "); err != nil {
			return true, err
		}
		l, err := s.readLine()
		if err != nil {
			return true, err
		}
		if l == "*" {
			return false, s.reply("-ERR authentication cancelled")
		}
		ir = l
	}
	raw, err := base64.StdEncoding.DecodeString(ir)
	if err != nil {
		return false, s.reply("-ERR invalid base64")
	}
	parts := strings.Split(string(raw), "\x00")
	if len(parts) != 3 || (parts[0] != "" && parts[0] != parts[1]) {
		return false, s.reply("-ERR [AUTH] invalid credentials")
	}
	return false, s.login("AUTH PLAIN", parts[1], parts[2])
}

func (s *pop3Session) login(mech, user, pass string) error {
	refusal := ""
	switch {
	case !s.p.n.checkPassword(user, pass):
		refusal = "[AUTH] invalid credentials"
	case s.p.inUse.Load():
		refusal = "[IN-USE] maildrop already locked"
	}
	if r := s.p.n.login.pop3Config().Refuse; r != "" {
		refusal = r
	}
	s.p.n.login.record(LoginAttempt{Service: "pop3", Mechanism: mech, Username: user, Password: pass, OK: refusal == ""})
	if refusal != "" {
		return s.reply("-ERR " + refusal)
	}
	s.trans = true
	return s.reply("+OK maildrop locked and ready")
}
