package probe

import (
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// Tests for issue 15, item 4: advice that is true and doable.

func findingOf(e *Endpoint, code Code) (Finding, bool) {
	for _, f := range e.Findings {
		if f.Code == code {
			return f, true
		}
	}
	return Finding{}, false
}

// The wrong-name finding prints the certificate's names as a list people
// read, and its fix never invites the user to type a name from another
// domain; a name in the user's own domain is offered.
func TestNameMismatchAdvice(t *testing.T) {
	e := newEnv(t)
	e.n.SetCertKind("imap.example.test", mailtest.CertWrongName)
	ep := e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, "")
	f, ok := findingOf(ep, CodeTLSCertNameMismatch)
	if !ok {
		t.Fatalf("findings %v; want %s", codes(ep), CodeTLSCertNameMismatch)
	}
	if want := "The certificate is for " + mailtest.WrongCertName + ", not for imap.example.test."; f.Message != want {
		t.Errorf("message %q, want %q", f.Message, want)
	}
	if strings.Contains(f.Fix, mailtest.WrongCertName) || !strings.Contains(f.Fix, "administrator") {
		t.Errorf("fix %q offers the wrong name or does not send the user to the administrator", f.Fix)
	}

	e.n.SetTLS("imap.example.test", mailtest.TLSSettings{Names: []string{"mail.example.test", "other.example", "webmail.example.test"}})
	ep = e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, "")
	f, _ = findingOf(ep, CodeTLSCertNameMismatch)
	if want := "The certificate is for mail.example.test, other.example and webmail.example.test, not for imap.example.test."; f.Message != want {
		t.Errorf("message %q, want %q", f.Message, want)
	}
	if !strings.Contains(f.Fix, "If mail.example.test is your provider's server") || strings.Contains(f.Fix, "other.example") {
		t.Errorf("fix %q; want mail.example.test offered and other.example not", f.Fix)
	}
	for _, l := range []i18n.Lang{i18n.RO, i18n.LT} {
		if m := f.In(i18n.New(l)).Message; strings.Contains(m, "[") {
			t.Errorf("%s message prints a Go slice: %q", l, m)
		}
	}
}

// nameList shortens long lists of names.
func TestNameList(t *testing.T) {
	c := i18n.New(i18n.EN)
	for _, tt := range []struct {
		names []string
		want  string
	}{
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a and b"},
		{[]string{"a", "b", "c", "d", "e", "f", "g"}, "a, b, c, d, e and 2 more"},
	} {
		var got string
		switch v := nameList(tt.names).(type) {
		case string:
			got = v
		case i18n.Msg:
			got = c.Render(v)
		}
		if got != tt.want {
			t.Errorf("nameList(%v) = %q, want %q", tt.names, got, tt.want)
		}
	}
}

// cleartextOnly serves IMAP on 143 only, without STARTTLS: port 993 of
// the host is closed.
func cleartextOnly(e *env) string {
	host := "plain.example.test"
	e.n.AddHost(host, mailtest.IMAP)
	e.n.SetBehavior(host+":143", mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		return strings.Replace(line, " STARTTLS", "", 1)
	}})
	return host
}

// The cleartext advice suggests port 993 only where 993 answers, and the
// STARTTLS advice names --imap-security only for a command that has it.
func TestFixSuggestsOnlyOpenPorts(t *testing.T) {
	e := newEnv(t)
	e.opts.Advice.CheckPorts = true
	host := cleartextOnly(e)
	ep := e.probe(t, account.IMAP, host, 143, account.None, mailtest.DefaultPassword)
	f, ok := findingOf(ep, CodeSecurityNone)
	if !ok {
		t.Fatalf("findings %v; want %s", codes(ep), CodeSecurityNone)
	}
	if strings.Contains(f.Fix, "993") || f.Fix != "Ask the provider for settings with encryption (SSL/TLS or STARTTLS)." {
		t.Errorf("993 is closed, but the fix is %q", f.Fix)
	}

	// Where 993 answers, it is suggested; without CheckPorts it is not.
	e.n.SetBehavior("imap.example.test:143", mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		return strings.Replace(line, " STARTTLS", "", 1)
	}})
	ep = e.probe(t, account.IMAP, "imap.example.test", 143, account.None, "")
	if f, _ := findingOf(ep, CodeSecurityNone); f.Fix != "Use port 993 with SSL/TLS instead." {
		t.Errorf("993 answers: fix %q", f.Fix)
	}
	e.opts.Advice.CheckPorts = false
	ep = e.probe(t, account.IMAP, "imap.example.test", 143, account.None, "")
	if f, _ := findingOf(ep, CodeSecurityNone); strings.Contains(f.Fix, "993") {
		t.Errorf("ports not checked, yet the fix suggests 993: %q", f.Fix)
	}

	// STARTTLS offered on the same port: the flag only when accepted.
	e.opts.Advice.CheckPorts = true
	e.n.SetBehavior("imap.example.test:143", mailtest.Behavior{})
	for _, tt := range []struct {
		flag func(string) bool
		want string
	}{
		{nil, "Use STARTTLS on port 143, or port 993 with SSL/TLS."},
		{func(n string) bool { return n == "imap-security" }, "Use STARTTLS on port 143 (--imap-security starttls), or port 993 with SSL/TLS."},
	} {
		e.opts.Advice.Flag = tt.flag
		ep = e.probe(t, account.IMAP, "imap.example.test", 143, account.None, "")
		if f, _ := findingOf(ep, CodeSecurityNone); f.Fix != tt.want {
			t.Errorf("fix %q, want %q", f.Fix, tt.want)
		}
	}
}

// The login skipped over cleartext names --allow-insecure-auth only for a
// command that accepts it.
func TestFixNamesOnlyAcceptedFlags(t *testing.T) {
	e := newEnv(t)
	host := cleartextOnly(e)
	for _, tt := range []struct {
		flag func(string) bool
		want bool
	}{{nil, false}, {func(n string) bool { return n == "allow-insecure-auth" }, true}} {
		e.opts.Advice.Flag = tt.flag
		ep := e.probe(t, account.IMAP, host, 143, account.None, mailtest.DefaultPassword)
		f, ok := findingOf(ep, CodeAuthSkippedInsecure)
		if !ok || strings.Contains(f.Fix, "--allow-insecure-auth") != tt.want {
			t.Errorf("flag accepted %v: findings %v, fix %q", tt.want, codes(ep), f.Fix)
		}
	}
	// With no flags at all, no fix the probe can give names one.
	for code, fixes := range Fixes(Advice{}) {
		for _, fix := range fixes {
			for _, l := range i18n.Supported {
				if s := i18n.New(l).Render(fix); strings.Contains(s, "--") {
					t.Errorf("%s %s: fix names a flag without Advice.Flag: %q", code, l, s)
				}
			}
		}
	}
}

// A rejected login at a provider known to need app passwords says so and
// points to `mailsetup explain app-passwords`; the code stays auth.failed.
func TestRejectedLoginAtAppPasswordProvider(t *testing.T) {
	e := newEnv(t)
	ep := e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, "normal-password")
	if f, _ := findingOf(ep, CodeAuthFailed); strings.Contains(f.Fix, "app password") {
		t.Errorf("unknown provider: fix %q mentions app passwords", f.Fix)
	}
	e.opts.Advice.AppPassword = func(host string) bool { return host == "imap.example.test" }
	ep = e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, "normal-password")
	f, ok := findingOf(ep, CodeAuthFailed)
	if !ok || !strings.Contains(f.Fix, "app password") || !strings.Contains(f.Fix, "mailsetup explain app-passwords") {
		t.Errorf("findings %v, fix %q; want the app-password hint", codes(ep), f.Fix)
	}
	for _, l := range []i18n.Lang{i18n.RO, i18n.LT} {
		if fix := f.In(i18n.New(l)).Fix; !strings.Contains(fix, "mailsetup explain app-passwords") {
			t.Errorf("%s fix %q does not point to the explain topic", l, fix)
		}
	}
}
