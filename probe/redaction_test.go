package probe

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// leakPasswords occur in the host names, user names and error strings of
// the redaction tests: "good" in imap.good.test, "test" in .test, "a" in
// alice, "x" in "context deadline exceeded", "mail" in mail.good.test.
// Substring redaction mangled those texts and still failed to hide the
// password's encoded forms consistently.
var leakPasswords = []string{"good", "test", "a", "x", "mail"}

const leakUser = "alice@good.test"

// credentialForms returns the encodings a password travels in: base64
// (SMTP AUTH LOGIN) and base64 of the SASL PLAIN response.
func credentialForms(user, password string) []string {
	return []string{
		base64.StdEncoding.EncodeToString([]byte(password)),
		base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + password)),
	}
}

// controlPassword has the length of password and characters that appear
// in no output of these tests.
func controlPassword(password string) string { return strings.Repeat("~", len(password)) }

var digits = regexp.MustCompile(`[0-9][0-9.]*(ns|µs|ms|s)?`)

// normalise masks what differs between two runs of the same scenario
// (timings) and sorts the lines (concurrent endpoints interleave in the
// trace), so that two runs differing only in the password compare equal
// exactly when no output depends on the password.
func normalise(out string) []string {
	lines := strings.Split(digits.ReplaceAllString(out, "0"), "\n")
	slices.Sort(lines)
	return lines
}

// checkNoLeak asserts that out, produced with password, shows none of its
// forms: the encoded forms are looked for directly; the plain form, which
// may legitimately occur in host names and words ("a", "mail"), is ruled
// out by comparing with control, the output of the same scenario with
// controlPassword, in which the control password itself must not occur.
func checkNoLeak(t *testing.T, out, control, user, password string) {
	t.Helper()
	for _, form := range credentialForms(user, password) {
		if strings.Contains(out, form) {
			t.Errorf("password %q appears encoded as %q:\n%s", password, form, out)
		}
	}
	cp := controlPassword(password)
	if strings.Contains(control, cp) {
		t.Fatalf("the control password %q appears in the control output:\n%s", cp, control)
	}
	a, b := normalise(out), normalise(control)
	if !slices.Equal(a, b) {
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Errorf("output depends on the password %q:\n  with it: %s\n  control: %s", password, a[i], b[i])
				break
			}
		}
		if len(a) != len(b) {
			t.Errorf("output depends on the password %q: %d lines, control %d", password, len(a), len(b))
		}
	}
}

// leakNetwork serves good.test (imap., smtp., pop., mail.good.test) with
// the user alice@good.test.
func leakNetwork(t *testing.T) *mailtest.Network {
	t.Helper()
	n := mailtest.Start(t, mailtest.Bare())
	n.AddMailDomain("good.test")
	// imap.good.test also has an IPv6 address that never answers, so that
	// the error text "context deadline exceeded" reaches a finding.
	n.SetAddressFamilies("imap.good.test", true, true)
	n.SetReachability("imap.good.test", mailtest.IPv6, mailtest.Blackhole)
	return n
}

// probeAll runs one probe of IMAP, SMTP and POP3 on good.test with a trace
// and returns the trace followed by the report's JSON.
func probeAll(t *testing.T, n *mailtest.Network, password string) (string, *Report) {
	t.Helper()
	var trace bytes.Buffer
	opts := Options{
		Dialer: n, Resolver: &netx.Resolver{Server: n.ResolverAddr()}, RootCAs: n.CAPool(),
		// Long enough for a TLS handshake under -race on a loaded machine;
		// the blackholed IPv6 address waits this long in every subtest.
		PhaseTimeout: time.Second, Trace: netx.NewTracer(&trace),
	}
	targets := []Target{
		{Server: account.Server{Protocol: account.IMAP, Host: "imap.good.test", Port: 993, Security: account.TLS}, Username: leakUser, Password: password},
		{Server: account.Server{Protocol: account.SMTP, Host: "mail.good.test", Port: 587, Security: account.STARTTLS}, Username: leakUser, Password: password},
		{Server: account.Server{Protocol: account.POP3, Host: "pop.good.test", Port: 995, Security: account.TLS}, Username: leakUser, Password: password},
	}
	rep := Run(context.Background(), opts, "good.test", targets)
	js, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return trace.String() + "\n" + string(js), rep
}

// TestCredentialsNeverInOutput probes every protocol with passwords that
// occur in the surrounding text, with a right and a wrong password: host
// names, the user name and error strings come out intact, lines that carry
// credentials are traced as "[credentials]", and no form of the password
// appears in the trace, the findings or the JSON.
//
// The servers offer the preferred methods (IMAP AUTHENTICATE PLAIN with
// SASL-IR, SMTP and POP3 AUTH PLAIN), or, with fallback, only the others
// (IMAP LOGIN, SMTP AUTH LOGIN, POP3 USER/PASS).
func TestCredentialsNeverInOutput(t *testing.T) {
	for _, pw := range leakPasswords {
		for _, right := range []bool{true, false} {
			for _, fallback := range []bool{false, true} {
				name := pw + "/wrong"
				if right {
					name = pw + "/right"
				}
				if fallback {
					name += "/fallback"
				}
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					testNoLeak(t, pw, right, fallback)
				})
			}
		}
	}
}

func testNoLeak(t *testing.T, pw string, right, fallback bool) {
	n := leakNetwork(t)
	credentialLines := []string{"AUTHENTICATE PLAIN [credentials]", "AUTH PLAIN [credentials]"}
	if fallback {
		n.SetIMAPLogin(mailtest.IMAPLogin{NoPlain: true})
		n.SetSMTPLogin(mailtest.SMTPLogin{Mechanisms: []string{"LOGIN"}})
		n.SetPOP3Login(mailtest.POP3Login{NoPlain: true})
		credentialLines = []string{`LOGIN "alice@good.test" [credentials]`, "C: AUTH LOGIN\n", "C: PASS [credentials]"}
	}
	serverPassword := "Srv-only-9"
	if right {
		serverPassword = pw
	}
	n.AddUser(leakUser, serverPassword)
	out, rep := probeAll(t, n, pw)
	want := LoginWrongCredentials
	if right {
		want = LoginOK
	}
	for _, e := range rep.Endpoints {
		if e.Login == nil || e.Login.Outcome != want {
			t.Errorf("%s: login %+v, want %s; findings %v", e.Server.Address(), e.Login, want, e.Findings)
		}
	}
	for _, intact := range append([]string{"imap.good.test", "mail.good.test", "pop.good.test", leakUser,
		"context deadline exceeded"}, credentialLines...) {
		if !strings.Contains(out, intact) {
			t.Errorf("output lacks %q:\n%s", intact, out)
		}
	}
	if !right {
		for _, e := range rep.Endpoints {
			f := e.Findings[len(e.Findings)-1]
			if f.Code != CodeAuthFailed || !strings.Contains(f.Message, "rejected the login for "+leakUser) {
				t.Errorf("%s: last finding %+v, want auth.failed naming %s", e.Server.Address(), f, leakUser)
			}
		}
	}
	if right {
		n.AddUser(leakUser, controlPassword(pw))
	}
	control, _ := probeAll(t, n, controlPassword(pw))
	checkNoLeak(t, out, control, leakUser, pw)
}
