package probe

import (
	"bufio"
	"crypto/tls"
	"net"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

func TestDeepLegacyTLS(t *testing.T) {
	e := newEnv(t)
	e.opts.Deep = true
	ep := e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, "")
	if hasCode(ep, CodeTLSVersionLegacy) || len(ep.LegacyTLS) > 0 {
		t.Errorf("modern server flagged: %v %v", codes(ep), ep.LegacyTLS)
	}
	e.n.SetTLS("imap.example.test", mailtest.TLSSettings{MinVersion: tls.VersionTLS10})
	for _, tt := range []struct {
		port int
		sec  account.Security
	}{{993, account.TLS}, {143, account.STARTTLS}} {
		ep = e.probe(t, account.IMAP, "imap.example.test", tt.port, tt.sec, "")
		if !hasCode(ep, CodeTLSVersionLegacy) || len(ep.LegacyTLS) != 2 || ep.Verdict != VerdictWarn {
			t.Errorf("port %d: findings %v, legacy %v, verdict %s; want TLS 1.1 and 1.0 flagged", tt.port, codes(ep), ep.LegacyTLS, ep.Verdict)
		}
	}
}

// vulnerableSMTP is a submission server with the STARTTLS command
// injection flaw: it keeps commands buffered before STARTTLS and answers
// them inside TLS.
func vulnerableSMTP(n *mailtest.Network) func(net.Conn, mailtest.Endpoint) {
	return func(c net.Conn, ep mailtest.Endpoint) {
		cfg, err := n.CA().ServerTLSConfig(mailtest.CertValid, ep.Host)
		if err != nil {
			return
		}
		r := bufio.NewReader(c)
		var w net.Conn = c
		w.Write([]byte("220 vulnerable ESMTP\r\n"))
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			switch verb := strings.ToUpper(strings.Fields(line + " x")[0]); verb {
			case "EHLO":
				w.Write([]byte("250-vulnerable\r\n250-AUTH PLAIN\r\n250 STARTTLS\r\n"))
			case "STARTTLS":
				w.Write([]byte("220 go ahead\r\n"))
				pending := make([]byte, r.Buffered())
				r.Read(pending)
				tc := tls.Server(c, cfg)
				if tc.Handshake() != nil {
					return
				}
				for range strings.Count(string(pending), "\n") {
					tc.Write([]byte("250 2.0.0 OK\r\n")) // answering injected commands
				}
				w, r = tc, bufio.NewReader(tc)
			case "QUIT":
				w.Write([]byte("221 bye\r\n"))
				return
			default:
				w.Write([]byte("250 OK\r\n"))
			}
		}
	}
}

func TestDeepCommandInjection(t *testing.T) {
	e := newEnv(t)
	e.opts.Deep = true
	ep := e.probe(t, account.SMTP, "smtp.example.test", 587, account.STARTTLS, "")
	if hasCode(ep, CodeStartTLSCommandInjection) {
		t.Errorf("correct server flagged: %v", codes(ep))
	}
	e.n.SetBehavior("smtp.example.test:587", mailtest.Behavior{Handler: vulnerableSMTP(e.n)})
	ep = e.probe(t, account.SMTP, "smtp.example.test", 587, account.STARTTLS, "")
	if !hasCode(ep, CodeStartTLSCommandInjection) || ep.Verdict != VerdictFail {
		t.Errorf("vulnerable server: findings %v; want starttls.command-injection", codes(ep))
	}
}
