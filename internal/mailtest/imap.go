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
			return mem.NewSession(), nil, nil
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
