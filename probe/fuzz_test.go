package probe

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// The fuzzers feed arbitrary server bytes through the probe's real
// protocol code (greeting, capabilities, login, logout) over an in-memory
// connection, and through the login classifiers. They check that nothing
// panics, that the conversation ends, that no phase reads more than its
// byte budget and no line more than MaxLineLength, and that a login
// outcome is one of the documented values.

// knownOutcomes are the documented login outcomes.
var knownOutcomes = map[LoginOutcome]bool{
	LoginOK: true, LoginWrongCredentials: true, LoginAppPasswordRequired: true, LoginOAuth2Required: true,
	LoginLocked: true, LoginTemporary: true, LoginNotAttempted: true, LoginPasswordExpired: true,
	LoginNotAuthorized: true, LoginContactAdmin: true, LoginEncryptionRequired: true,
}

// endConn is the client end of a net.Pipe whose server has sent all its
// data: from then on reads end with io.EOF, as on a connection the server
// half-closed (net.Pipe has no half-close), while writes still go to the
// server, which keeps reading.
type endConn struct {
	net.Conn
	sent chan struct{} // closed when the server has sent everything
}

func (c *endConn) Read(p []byte) (int, error) {
	select {
	case <-c.sent:
		return 0, io.EOF
	default:
	}
	n, err := c.Conn.Read(p)
	if err != nil && n == 0 {
		select {
		case <-c.sent:
			return 0, io.EOF
		default:
		}
	}
	return n, err
}

// converse runs one probe conversation of d against a server that sends
// data and reads whatever the client writes, over net.Pipe with a tight
// phase deadline. The conversation runs in its own goroutine so that a
// hang is reported, not waited for.
func converse(t *testing.T, d dialect, data []byte) {
	pipe, server := net.Pipe()
	client := &endConn{Conn: pipe, sent: make(chan struct{})}
	go func() {
		_, _ = server.Write(data) // returns once the client has read it all, or closed
		close(client.sent)
		_ = pipe.SetReadDeadline(time.Unix(1, 0)) // wake a read waiting for more
	}()
	go func() { _, _ = io.Copy(io.Discard, server) }()
	done := make(chan struct{})
	go func() {
		defer close(done)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		s := newSession(ctx, client, 50*time.Millisecond, func(string, ...any) {})
		check := func(phase string, texts ...string) {
			if s.read > maxPhaseBytes {
				t.Errorf("%s: read %d bytes in one phase, over the budget of %d", phase, s.read, maxPhaseBytes)
			}
			for _, x := range texts {
				if len(x) > maxPhaseBytes {
					t.Errorf("%s: a text of %d bytes", phase, len(x))
				}
			}
		}
		greet, _, err := d.greeting(s)
		check("greeting", greet)
		if err != nil {
			return
		}
		caps, err := d.capabilities(s)
		check("capabilities", caps...)
		for _, c := range caps {
			if len(c) > MaxLineLength {
				t.Errorf("a capability of %d bytes", len(c))
			}
		}
		if err != nil {
			return
		}
		d.startTLSOffered(caps)
		d.passwordMechs(caps)
		d.oauthMechs(caps)
		outcome, reply, _ := d.login(s, caps, "jürgen@example.test", `pä"ss\wörd`)
		check("login", reply)
		if !knownOutcomes[outcome] {
			t.Errorf("login outcome %q is not documented", outcome)
		}
		d.quit(s, true)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the conversation did not end")
	}
	client.Close()
	<-client.sent
	server.Close()
}

// seedLong is a line over MaxLineLength.
var seedLong = strings.Repeat("A", MaxLineLength+10)

func FuzzIMAPResponse(f *testing.F) {
	for _, s := range []string{
		"* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\r\nm1 OK done\r\nm2 OK logged in\r\n* BYE\r\nm3 OK bye\r\n",
		"* OK ready\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nm1 OK done\r\n+ \r\nm2 NO [AUTHENTICATIONFAILED] nope\r\nm3 OK\r\n",
		"* OK ready\r\n* CAPABILITY IMAP4rev1\r\nm1 OK done\r\n+ go\r\n+ go\r\nm2 NO [EXPIRED] expired\r\n",
		"* OK ready\r\n* CAPABILITY IMAP4rev1 LITERAL+\r\nm1 OK\r\nm2 NO [INUSE]\r\n",
		"* OK ready\r\n* CAPABILITY IMAP4rev1\r\nm1 OK\r\nm2 BAD [\r\n",
		"* OK ready\r\n* CAPABILITY IMAP4rev1 LOGINDISABLED\r\nm1 OK\r\n",
		"* PREAUTH hi\r\n",
		"* BYE go away\r\n",
		"* OK " + seedLong + "\r\n",
		"* OK ready\r\n* CAPABILITY " + strings.Repeat("X ", 1000) + "\r\nm1 OK\r\n",
		"",
		"\x00\xff\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		converse(t, &imapDialect{}, data)
		if o := classifyCoded(string(data)); !knownOutcomes[o] {
			t.Fatalf("classifyIMAP = %q", o)
		}
		responseCode(string(data))
	})
}

func FuzzSMTPReply(f *testing.F) {
	for _, s := range []string{
		"220 mx ESMTP\r\n250-mx\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE\r\n235 2.7.0 ok\r\n221 bye\r\n",
		"220 mx\r\n250-mx\r\n250 AUTH=LOGIN\r\n334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n535 5.7.8 bad\r\n",
		"220 mx\r\n250-mx\r\n250 AUTH PLAIN\r\n534-5.7.9 app password\r\n534 5.7.9 more\r\n",
		"220 mx\r\n250-mx\r\n250 AUTH PLAIN\r\n432 4.7.12 transition\r\n",
		"220 mx\r\n250-mx\r\n251 AUTH PLAIN\r\n",
		"220-mx\r\n220x\r\n",
		"554 no\r\n",
		"220 " + seedLong + "\r\n",
		"22",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		converse(t, &smtpDialect{helo: "[127.0.0.1]"}, data)
		lines := strings.Split(string(data), "\n")
		for _, code := range []int{0, 432, 454, 534, 535, 538} {
			if o := classifySMTP(code, lines); !knownOutcomes[o] {
				t.Fatalf("classifySMTP = %q", o)
			}
		}
		enhancedCode(string(data))
	})
}

func FuzzPOP3Reply(f *testing.F) {
	for _, s := range []string{
		"+OK ready\r\n+OK caps\r\nUSER\r\nSASL PLAIN LOGIN\r\n.\r\n+OK in\r\n+OK bye\r\n",
		"+OK ready\r\n+OK caps\r\nUSER\r\n.\r\n+OK send PASS\r\n-ERR [IN-USE] locked\r\n",
		"+OK ready\r\n-ERR no CAPA\r\n+OK\r\n-ERR [SYS/PERM] x\r\n",
		"+OK ready\r\n+OK\r\n..dot\r\n.\r\n-ERR [AUTH\r\n",
		"-ERR busy\r\n",
		"+OK " + seedLong + "\r\n",
		"+",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		converse(t, pop3Dialect{}, data)
		if o := classifyCoded(string(data)); !knownOutcomes[o] {
			t.Fatalf("classifyPOP3 = %q", o)
		}
	})
}
