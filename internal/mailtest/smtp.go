package mailtest

import (
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"sync/atomic"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// smtpBackend is the go-smtp server behind every submission and SMTP
// endpoint: AUTH only after TLS; PLAIN by default, PLAIN and LOGIN as
// SMTPLogin chooses.
type smtpBackend struct {
	n          *Network
	srv        *smtp.Server
	plain, tls net.Listener
	mails      atomic.Int64
	rcpts      atomic.Int64
}

func (n *Network) startSMTP() error {
	b := &smtpBackend{n: n}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &smtpSession{b: b}, nil
	}))
	srv.Domain = "mail." + DefaultDomain
	srv.TLSConfig = n.internalTLS.server
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.AllowInsecureAuth = false
	plain, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("mailtest: smtp listen: %w", err)
	}
	rawTLS, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		plain.Close()
		return fmt.Errorf("mailtest: smtps listen: %w", err)
	}
	b.srv, b.plain, b.tls = srv, plain, tls.NewListener(rawTLS, n.internalTLS.server)
	n.smtp = b
	for _, ln := range []net.Listener{b.plain, b.tls} {
		n.goTracked(func() { _ = srv.Serve(ln) })
	}
	return nil
}

func (b *smtpBackend) addr(implicit bool) string {
	if implicit {
		return b.tls.Addr().String()
	}
	return b.plain.Addr().String()
}

func (b *smtpBackend) close() {
	_ = b.srv.Close()
	b.plain.Close()
	b.tls.Close()
}

// SMTPTransactions returns how many MAIL FROM and RCPT TO commands the SMTP
// servers accepted in total.
func (n *Network) SMTPTransactions() (mail, rcpt int) {
	return int(n.smtp.mails.Load()), int(n.smtp.rcpts.Load())
}

type smtpSession struct {
	b      *smtpBackend
	authed bool
}

var errSMTPAuth = &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}

func (s *smtpSession) AuthMechanisms() []string {
	if m := s.b.n.login.smtpConfig().Mechanisms; m != nil {
		return m
	}
	return []string{sasl.Plain}
}

func (s *smtpSession) Auth(mech string) (sasl.Server, error) {
	offered := false
	for _, m := range s.AuthMechanisms() {
		offered = offered || m == mech
	}
	if !offered {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	check := func(mech, username, password string) error {
		cfg := s.b.n.login.smtpConfig()
		var err error
		if !s.b.n.checkPassword(username, password) {
			err = errSMTPAuth
		}
		if cfg.RefuseCode != 0 {
			e := &smtp.SMTPError{Code: cfg.RefuseCode, EnhancedCode: smtp.NoEnhancedCode, Message: orText(cfg.RefuseText, "Authentication refused")}
			if cfg.RefuseEnhanced != "" {
				if _, serr := fmt.Sscanf(cfg.RefuseEnhanced, "%d.%d.%d", &e.EnhancedCode[0], &e.EnhancedCode[1], &e.EnhancedCode[2]); serr != nil {
					return fmt.Errorf("mailtest: bad enhanced code %q: %w", cfg.RefuseEnhanced, serr)
				}
			}
			err = e
		}
		s.b.n.login.record(LoginAttempt{Service: "smtp", Mechanism: mech, Username: username, Password: password, OK: err == nil})
		if err == nil {
			s.authed = true
		}
		return err
	}
	if mech == sasl.Login {
		return &loginServer{authenticate: func(username, password string) error { return check("AUTH LOGIN", username, password) }}, nil
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if identity != "" && identity != username {
			return errSMTPAuth
		}
		return check("AUTH PLAIN", username, password)
	}), nil
}

func (s *smtpSession) Mail(string, *smtp.MailOptions) error {
	s.b.mails.Add(1)
	return nil
}

func (s *smtpSession) Rcpt(string, *smtp.RcptOptions) error {
	s.b.rcpts.Add(1)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	if err != nil {
		return fmt.Errorf("mailtest: read message: %w", err)
	}
	return nil
}

func (s *smtpSession) Reset() {}

func (s *smtpSession) Logout() error { return nil }

var _ smtp.AuthSession = (*smtpSession)(nil)
