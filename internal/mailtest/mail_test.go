package mailtest

import (
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

func TestIMAPImplicitTLSLogin(t *testing.T) {
	n := Start(t)
	u := n.User()
	c := imapclient.New(dialTLS(t, n, "imap.example.test:993"), nil)
	defer c.Close()
	if err := c.Login(u.Username, u.Password).Wait(); err != nil {
		t.Fatalf("login: %v", err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatalf("select: %v", err)
	}
	if err := c.Logout().Wait(); err != nil {
		t.Fatalf("logout: %v", err)
	}
	l := lastLog(t, n, "imap.example.test:993")
	eventually(t, "LOGOUT logged", func() bool { return l.Sent("LOGOUT") })
	if !l.Sent("LOGIN") || l.SentBeforeTLS("LOGIN") {
		t.Fatalf("LOGIN not logged inside TLS:\n%s", l)
	}
	if l.Contains(u.Password) {
		t.Fatalf("password in log:\n%s", l)
	}
	if c2 := imapclient.New(dialTLS(t, n, "mail.example.test:993"), nil); c2.Login(u.Username, "wrong").Wait() == nil {
		t.Fatal("wrong password accepted")
	} else {
		c2.Close()
	}
}

func TestIMAPSTARTTLS(t *testing.T) {
	n := Start(t)
	u := n.User()

	// Before TLS: STARTTLS and LOGINDISABLED advertised, LOGIN refused.
	plain := imapclient.New(dial(t, n, "imap.example.test:143"), nil)
	defer plain.Close()
	caps, err := plain.Capability().Wait()
	if err != nil {
		t.Fatal(err)
	}
	if !caps.Has(imap.CapStartTLS) || !caps.Has(imap.CapLoginDisabled) {
		t.Fatalf("cleartext caps %v", caps)
	}
	err = plain.Login(u.Username, u.Password).Wait()
	var ie *imap.Error
	if !errors.As(err, &ie) || ie.Code != imap.ResponseCodePrivacyRequired {
		t.Fatalf("cleartext LOGIN: %v", err)
	}
	l := lastLog(t, n, "imap.example.test:143")
	if !l.SentBeforeTLS("LOGIN") || l.Contains(u.Password) {
		t.Fatalf("cleartext LOGIN not logged or not redacted:\n%s", l)
	}

	// With STARTTLS.
	c, err := imapclient.NewStartTLS(dial(t, n, "imap.example.test:143"), &imapclient.Options{TLSConfig: n.TLSClientConfig("imap.example.test")})
	if err != nil {
		t.Fatalf("starttls: %v", err)
	}
	defer c.Close()
	caps, err = c.Capability().Wait()
	if err != nil {
		t.Fatal(err)
	}
	if caps.Has(imap.CapLoginDisabled) || caps.Has(imap.CapStartTLS) || !caps.Has("AUTH=PLAIN") {
		t.Fatalf("caps after TLS %v", caps)
	}
	if err := c.Login(u.Username, u.Password).Wait(); err != nil {
		t.Fatalf("login after STARTTLS: %v", err)
	}
	l = lastLog(t, n, "imap.example.test:143")
	if !l.SentBeforeTLS("STARTTLS") || l.SentBeforeTLS("LOGIN") || !l.Sent("LOGIN") || l.Contains(u.Password) {
		t.Fatalf("unexpected log:\n%s", l)
	}
}

func TestIMAPRedactsAuthenticateAndLiterals(t *testing.T) {
	n := Start(t)
	u := n.User()
	c := newLineConn(t, dialTLS(t, n, "imap.example.test:993"))
	c.line() // greeting
	ir := base64.StdEncoding.EncodeToString([]byte("\x00" + u.Username + "\x00" + u.Password))
	c.send("a1 AUTHENTICATE PLAIN")
	if s := c.line(); !strings.HasPrefix(s, "+") {
		t.Fatalf("continuation %q", s)
	}
	c.send(ir)
	if s := c.line(); !strings.HasPrefix(s, "a1 OK") {
		t.Fatalf("authenticate: %q", s)
	}
	c2 := newLineConn(t, dialTLS(t, n, "imap.example.test:993"))
	c2.line()
	c2.send("b1 LOGIN {" + strconv.Itoa(len(u.Username)) + "}")
	c2.line()
	c2.send(u.Username + " {" + strconv.Itoa(len(u.Password)) + "}")
	c2.line()
	c2.send(u.Password)
	if s := c2.line(); !strings.HasPrefix(s, "b1 OK") {
		t.Fatalf("literal login: %q", s)
	}
	c2.send("b2 NOOP")
	c2.line()
	for _, l := range n.ConnLogsFor("imap.example.test:993") {
		if l.Contains(u.Password) || l.Contains(ir) {
			t.Fatalf("secret in log:\n%s", l)
		}
	}
	l := lastLog(t, n, "imap.example.test:993")
	eventually(t, "NOOP logged", func() bool { return l.Sent("NOOP") })
	if got := l.Verbs(); !slices.Equal(got, []string{"LOGIN", "NOOP"}) {
		t.Fatalf("verbs %v\n%s", got, l)
	}
}

func TestSTARTTLSInjectionKnob(t *testing.T) {
	n := Start(t)
	n.SetBehavior("imap.example.test:143", Behavior{STARTTLSInjection: []byte("* OK injected\r\n")})
	c := newLineConn(t, dial(t, n, "imap.example.test:143"))
	c.line()
	c.send("a STARTTLS")
	if s := c.line(); !strings.HasPrefix(s, "a OK") {
		t.Fatalf("starttls reply %q", s)
	}
	if s := c.line(); s != "* OK injected" {
		t.Fatalf("injected %q", s)
	}
	c.upgrade(n, "imap.example.test")
	c.send("b CAPABILITY")
	if s := c.line(); !strings.Contains(s, "AUTH=PLAIN") {
		t.Fatalf("caps after TLS %q", s)
	}
}

func TestSMTPImplicitTLS(t *testing.T) {
	n := Start(t)
	u := n.User()
	c := smtp.NewClient(dialTLS(t, n, "smtp.example.test:465"))
	defer c.Close()
	if err := c.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	if ok, mechs := c.Extension("AUTH"); !ok || mechs != "PLAIN" {
		t.Fatalf("AUTH %v %q", ok, mechs)
	}
	if err := c.Auth(sasl.NewPlainClient("", u.Username, "wrong")); err == nil {
		t.Fatal("wrong password accepted")
	}
	if err := c.Auth(sasl.NewPlainClient("", u.Username, u.Password)); err != nil {
		t.Fatalf("auth: %v", err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
	l := lastLog(t, n, "smtp.example.test:465")
	if !l.Sent("AUTH") || l.SentBeforeTLS("AUTH") || l.Contains(u.Password) ||
		l.Contains(base64.StdEncoding.EncodeToString([]byte("\x00"+u.Username+"\x00"+u.Password))) {
		t.Fatalf("log:\n%s", l)
	}
}

func TestSMTPSTARTTLS(t *testing.T) {
	n := Start(t)
	u := n.User()
	plain := smtp.NewClient(dial(t, n, "smtp.example.test:587"))
	defer plain.Close()
	if err := plain.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := plain.Extension("STARTTLS"); !ok {
		t.Fatal("STARTTLS not offered")
	}
	if ok, _ := plain.Extension("AUTH"); ok {
		t.Fatal("AUTH offered before TLS")
	}
	if err := plain.Auth(sasl.NewPlainClient("", u.Username, u.Password)); err == nil {
		t.Fatal("AUTH accepted before TLS")
	}

	c, err := smtp.NewClientStartTLS(dial(t, n, "smtp.example.test:587"), n.TLSClientConfig("smtp.example.test"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("AUTH"); !ok {
		t.Fatal("AUTH not offered after TLS")
	}
	if err := c.Auth(sasl.NewPlainClient("", u.Username, u.Password)); err != nil {
		t.Fatalf("auth: %v", err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
	l := lastLog(t, n, "smtp.example.test:587")
	if !l.SentBeforeTLS("STARTTLS") || l.SentBeforeTLS("AUTH") || !l.Sent("AUTH") || l.Sent("MAIL") || l.Sent("RCPT") {
		t.Fatalf("log:\n%s", l)
	}
	if m, r := n.SMTPTransactions(); m != 0 || r != 0 {
		t.Fatalf("transactions %d %d", m, r)
	}
	// MX on port 25 speaks SMTP with STARTTLS too.
	mx := smtp.NewClient(dial(t, n, "mx.example.test:25"))
	defer mx.Close()
	if err := mx.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := mx.Extension("STARTTLS"); !ok {
		t.Fatal("MX without STARTTLS")
	}
}

func TestPOP3STLSUserPass(t *testing.T) {
	n := Start(t)
	u := n.User()
	c := newLineConn(t, dial(t, n, "pop.example.test:110"))
	if s := c.line(); !strings.HasPrefix(s, "+OK") {
		t.Fatalf("greeting %q", s)
	}
	c.send("CAPA")
	if s := c.line(); !strings.HasPrefix(s, "+OK") {
		t.Fatalf("CAPA %q", s)
	}
	caps := c.multi()
	if !slices.Contains(caps, "STLS") || slices.Contains(caps, "USER") {
		t.Fatalf("cleartext CAPA %v", caps)
	}
	c.send("USER " + u.Username)
	if s := c.line(); !strings.HasPrefix(s, "-ERR") {
		t.Fatalf("USER before TLS: %q", s)
	}
	c.send("STLS")
	if s := c.line(); !strings.HasPrefix(s, "+OK") {
		t.Fatalf("STLS %q", s)
	}
	c.upgrade(n, "pop.example.test")
	c.send("CAPA")
	c.line()
	if caps := c.multi(); !slices.Contains(caps, "USER") || !slices.Contains(caps, "SASL PLAIN") || slices.Contains(caps, "STLS") {
		t.Fatalf("CAPA after TLS %v", caps)
	}
	c.send("USER " + u.Username)
	c.line()
	c.send("PASS " + u.Password)
	if s := c.line(); !strings.HasPrefix(s, "+OK") {
		t.Fatalf("PASS %q", s)
	}
	c.send("STAT")
	if s := c.line(); !strings.HasPrefix(s, "+OK 1 ") {
		t.Fatalf("STAT %q", s)
	}
	if n.POP3DeleReceived() {
		t.Fatal("DELE recorded before it was sent")
	}
	c.send("DELE 1")
	c.line()
	c.send("QUIT")
	if s := c.line(); !strings.HasPrefix(s, "+OK") {
		t.Fatalf("QUIT %q", s)
	}
	if !n.POP3DeleReceived() || n.POP3DeleCount() != 1 {
		t.Fatal("DELE not recorded")
	}
	l := lastLog(t, n, "pop.example.test:110")
	eventually(t, "QUIT logged", func() bool { return l.Sent("QUIT") })
	if l.Contains(u.Password) || !l.Sent("PASS") || l.SentBeforeTLS("PASS") || !l.SentBeforeTLS("USER") || !l.Sent("DELE") {
		t.Fatalf("log:\n%s", l)
	}
}

func TestPOP3ImplicitAuthPlainAndInUse(t *testing.T) {
	n := Start(t)
	u := n.User()
	ir := base64.StdEncoding.EncodeToString([]byte("\x00" + u.Username + "\x00" + u.Password))
	c := newLineConn(t, dialTLS(t, n, "pop.example.test:995"))
	c.line()
	c.send("AUTH PLAIN")
	if s := c.line(); s != "+ " && s != "+" {
		t.Fatalf("continuation %q", s)
	}
	c.send(ir)
	if s := c.line(); !strings.HasPrefix(s, "+OK") {
		t.Fatalf("AUTH PLAIN %q", s)
	}
	c.send("QUIT")
	c.line()

	n.SetPOP3InUse(true)
	c = newLineConn(t, dialTLS(t, n, "mail.example.test:995"))
	c.line()
	c.send("AUTH PLAIN " + ir)
	if s := c.line(); !strings.HasPrefix(s, "-ERR [IN-USE]") {
		t.Fatalf("in-use: %q", s)
	}
	for _, l := range n.ConnLogsFor("pop.example.test") {
		if l.Contains(ir) || l.Contains(u.Password) {
			t.Fatalf("secret in log:\n%s", l)
		}
	}
	if n.POP3DeleReceived() {
		t.Fatal("phantom DELE")
	}
}
