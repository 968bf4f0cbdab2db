package mailtest

import (
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
)

// imapBackend is the go-imap v2 server behind every IMAP endpoint: one
// listener for implicit TLS, one cleartext listener offering STARTTLS
// (with LOGINDISABLED until TLS is up).
type imapBackend struct {
	mem        *imapmemserver.Server
	srv        *imapserver.Server
	plain, tls net.Listener
}

func (n *Network) startIMAP() error {
	mem := imapmemserver.New()
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &imapSession{SessionIMAP4rev2: mem.NewSession().(imapserver.SessionIMAP4rev2), n: n}, nil, nil
		},
		Caps:      imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		Logger:    log.New(io.Discard, "", 0),
		TLSConfig: n.internalTLS.server,
	})
	plain, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("mailtest: imap listen: %w", err)
	}
	rawTLS, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		plain.Close()
		return fmt.Errorf("mailtest: imaps listen: %w", err)
	}
	n.imap = &imapBackend{mem: mem, srv: srv, plain: plain, tls: tls.NewListener(rawTLS, n.internalTLS.server)}
	for _, ln := range []net.Listener{n.imap.plain, n.imap.tls} {
		n.goTracked(func() { _ = srv.Serve(ln) })
	}
	return nil
}

func (b *imapBackend) addr(implicit bool) string {
	if implicit {
		return b.tls.Addr().String()
	}
	return b.plain.Addr().String()
}

func (b *imapBackend) addUser(username, password string) {
	u := imapmemserver.NewUser(username, password)
	_ = u.Create("INBOX", nil)
	b.mem.AddUser(u)
}

func (b *imapBackend) close() {
	_ = b.srv.Close()
	b.plain.Close()
	b.tls.Close()
}

// imapSession is the in-memory server's session with the login side under
// the network's control (IMAPLogin): the mechanisms offered, a forced
// refusal with a response code, and a record of every attempt.
type imapSession struct {
	imapserver.SessionIMAP4rev2
	n *Network
}

var _ imapserver.SessionSASL = (*imapSession)(nil)

func (s *imapSession) Login(username, password string) error {
	return s.login("LOGIN", username, password)
}

func (s *imapSession) login(mech, username, password string) error {
	var err error
	if cfg := s.n.login.imapConfig(); cfg.RefuseCode != "" {
		err = &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCode(cfg.RefuseCode), Text: orText(cfg.RefuseText, "Login refused")}
	} else {
		err = s.SessionIMAP4rev2.Login(username, password)
	}
	s.n.login.record(LoginAttempt{Service: "imap", Mechanism: mech, Username: username, Password: password, OK: err == nil})
	return err
}

func (s *imapSession) AuthenticateMechanisms() []string {
	if s.n.login.imapConfig().NoPlain {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *imapSession) Authenticate(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || s.n.login.imapConfig().NoPlain {
		return nil, &imap.Error{Type: imap.StatusResponseTypeNo, Text: "SASL mechanism not supported"}
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if identity != "" && identity != username {
			return &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeAuthorizationFailed, Text: "SASL identity not supported"}
		}
		return s.login("AUTHENTICATE PLAIN", username, password)
	}), nil
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
