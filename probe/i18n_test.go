package probe

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// findingFixtures builds, for every code, the findings the probe makes
// (every variant of message and fix), with the same helpers the probe
// uses and values like those it finds.
func findingFixtures() map[Code][]Finding {
	imap := account.Server{Protocol: account.IMAP, Host: "imap.example.test", Port: 993, Security: account.TLS}
	smtp := account.Server{Protocol: account.SMTP, Host: "smtp.example.test", Port: 587, Security: account.STARTTLS}
	plain := account.Server{Protocol: account.POP3, Host: "pop.example.test", Port: 110, Security: account.None}
	open := func(int) bool { return true }
	sit := func(srv account.Server) situation { return situation{srv: srv, open: open} }
	err := errors.New("lookup imap.example.test: no such host")
	reply := "a1 NO [AUTHENTICATIONFAILED] Authentication failed."
	f := func(c Code, fix i18n.Msg, msg i18n.Msg) Finding { return newFinding(c, fix, msg) }
	fixtures := map[Code][]Finding{
		CodeDNSNotFound: {f(CodeDNSNotFound, fixFor(CodeDNSNotFound), msgFor(CodeDNSNotFound, imap.Host, err))},
		CodeDNSFailed:   {f(CodeDNSFailed, fixFor(CodeDNSFailed), msgFor(CodeDNSFailed, imap.Host, err))},
		CodeTCPRefused:  {f(CodeTCPRefused, sit(imap).fix(CodeTCPRefused), msgFor(CodeTCPRefused, 993, imap.Host))},
		CodeTCPTimeout:  {f(CodeTCPTimeout, sit(imap).fix(CodeTCPTimeout), msgFor(CodeTCPTimeout, 993, imap.Host, "5s")), f(CodeTCPTimeout, sit(smtp).fix(CodeTCPTimeout), msgFor(CodeTCPTimeout, 587, smtp.Host, "5s")), f(CodeTCPTimeout, sit(account.Server{Protocol: account.SMTP, Port: 465}).fix(CodeTCPTimeout), msgFor(CodeTCPTimeout, 465, smtp.Host, "5s")), f(CodeTCPTimeout, sit(account.Server{Protocol: account.SMTP, Port: 25}).fix(CodeTCPTimeout), msgFor(CodeTCPTimeout, 25, smtp.Host, "5s"))},
		CodeTCPFailed:   {f(CodeTCPFailed, fixFor(CodeTCPFailed), msgFor(CodeTCPFailed, imap.Address(), err))},
		CodeTCPAddressUnreachable: {f(CodeTCPAddressUnreachable, fixFor(CodeTCPAddressUnreachable), msgFor(CodeTCPAddressUnreachable, "[2001:db8::1]:993", "connection refused", "192.0.2.1:993")),
			f(CodeTCPAddressUnreachable, fixFor(CodeTCPAddressUnreachable), msgFor(CodeTCPAddressUnreachable, "[2001:db8::1]:993", addressError(&noAnswerError{within: 5 * time.Second}), "192.0.2.1:993"))},
		CodeGreetingTimeout:     {f(CodeGreetingTimeout, sit(plain).fix(CodeGreetingTimeout), msgFor(CodeGreetingTimeout, 995, "5s"))},
		CodeGreetingInvalid:     {f(CodeGreetingInvalid, sit(smtp).fix(CodeGreetingInvalid), msgFor(CodeGreetingInvalid, 587, "SMTP", "HTTP/1.1 400 Bad Request"))},
		CodeGreetingRejected:    {f(CodeGreetingRejected, fixFor(CodeGreetingRejected), msgFor(CodeGreetingRejected, "554 5.7.1 no service"))},
		CodeProtocolLineTooLong: {f(CodeProtocolLineTooLong, sit(imap).fix(CodeProtocolLineTooLong), msgFor(CodeProtocolLineTooLong, phaseName("greeting")))},
		CodeProtocolTimeout:     {f(CodeProtocolTimeout, fixFor(CodeProtocolTimeout), msgFor(CodeProtocolTimeout, phaseName("capabilities")))},
		CodeProtocolError: {
			f(CodeProtocolError, sit(smtp).fix(CodeProtocolError), msgFor(CodeProtocolError, phaseName("starttls"), "500 unknown command")),
			f(CodeProtocolError, sit(smtp).fix(CodeProtocolError), msgFor(CodeProtocolError, phaseName("login"), "500 unknown command")),
		},
		CodeIMAPPreauthCleartext:     {f(CodeIMAPPreauthCleartext, fixFor(CodeIMAPPreauthCleartext), msgFor(CodeIMAPPreauthCleartext))},
		CodeIMAPLoginDisabledMissing: {f(CodeIMAPLoginDisabledMissing, sit(plain).fix(CodeIMAPLoginDisabledMissing), msgFor(CodeIMAPLoginDisabledMissing))},
		CodeAuthCleartextBeforeTLS:   {f(CodeAuthCleartextBeforeTLS, sit(plain).fix(CodeAuthCleartextBeforeTLS), msgFor(CodeAuthCleartextBeforeTLS, nameList([]string{"PLAIN", "LOGIN"})))},
		CodeStartTLSMissing:          {f(CodeStartTLSMissing, sit(smtp).fix(CodeStartTLSMissing), msgFor(CodeStartTLSMissing, "SMTP", 587))},
		CodeStartTLSRefused:          {f(CodeStartTLSRefused, sit(smtp).fix(CodeStartTLSMissing), msgFor(CodeStartTLSRefused, "454 TLS not available"))},
		CodeStartTLSInjection: {
			f(CodeStartTLSInjection, sit(smtp).fix(CodeStartTLSInjection), msgFor(CodeStartTLSInjection, i18n.M("probe.injection.bytes", 12, []byte("250 OK\r\n")))),
			f(CodeStartTLSInjection, sit(smtp).fix(CodeStartTLSInjection), msgFor(CodeStartTLSInjection, `"250 "`)),
		},
		CodeStartTLSCommandInjection: {f(CodeStartTLSCommandInjection, sit(smtp).fix(CodeStartTLSCommandInjection), msgFor(CodeStartTLSCommandInjection))},
		CodeSecurityNone: {
			f(CodeSecurityNone, sit(plain).fix(CodeSecurityNone), msgFor(CodeSecurityNone, plain.Address())),
			f(CodeSecurityNone, situation{srv: plain, open: open, starttls: true}.fix(CodeSecurityNone), i18n.M(MessageKey(CodeSecurityNone)+"-starttls", plain.Address())),
		},
		CodeTLSOK: {f(CodeTLSOK, i18n.Msg{}, msgFor(CodeTLSOK, "TLS 1.3", imap.Host, "Example CA", 80))},
		CodeTLSHandshakeFailed: {
			f(CodeTLSHandshakeFailed, fixFor(CodeTLSHandshakeFailed), msgFor(CodeTLSHandshakeFailed, smtp.Address(), errors.New("remote error: tls: handshake failure"))),
			f(CodeTLSHandshakeFailed, sit(imap).fix(CodeTLSHandshakeFailed), msgFor(CodeTLSHandshakeFailed, imap.Address(), errors.New("tls: first record does not look like a TLS handshake"))),
		},
		CodeTLSCertExpired:          {f(CodeTLSCertExpired, fixFor(CodeTLSCertExpired), msgFor(CodeTLSCertExpired, imap.Host, "2026-01-02"))},
		CodeTLSCertNotYetValid:      {f(CodeTLSCertNotYetValid, fixFor(CodeTLSCertNotYetValid), msgFor(CodeTLSCertNotYetValid, imap.Host, "2027-01-02"))},
		CodeTLSCertExpiringSoon:     {f(CodeTLSCertExpiringSoon, fixFor(CodeTLSCertExpiringSoon), msgFor(CodeTLSCertExpiringSoon, imap.Host, 3))},
		CodeTLSCertNameMismatch:     {f(CodeTLSCertNameMismatch, sit(imap).fix(CodeTLSCertNameMismatch), msgFor(CodeTLSCertNameMismatch, nameList([]string{"mail.example.net"}), imap.Host)), f(CodeTLSCertNameMismatch, sit(imap).fix(CodeTLSCertNameMismatch), msgFor(CodeTLSCertNameMismatch, nameList([]string{"a.example.net", "b.example.net", "c.example.net"}), imap.Host)), f(CodeTLSCertNameMismatch, sit(imap).fix(CodeTLSCertNameMismatch), msgFor(CodeTLSCertNameMismatch, nameList([]string{"a.example.net", "b.example.net", "c.example.net", "d.example.net", "e.example.net", "f.example.net"}), imap.Host))},
		CodeTLSCertSelfSigned:       {f(CodeTLSCertSelfSigned, fixFor(CodeTLSCertSelfSigned), msgFor(CodeTLSCertSelfSigned, imap.Host))},
		CodeTLSCertUntrusted:        {f(CodeTLSCertUntrusted, fixFor(CodeTLSCertUntrusted), msgFor(CodeTLSCertUntrusted, imap.Host, "Example CA"))},
		CodeTLSVersionLegacy:        {f(CodeTLSVersionLegacy, fixFor(CodeTLSVersionLegacy), msgFor(CodeTLSVersionLegacy, i18n.M("probe.list.two", "TLS 1.1", "TLS 1.0")))},
		CodeAuthMechanismsMissing:   {f(CodeAuthMechanismsMissing, fixFor(CodeAuthMechanismsMissing), msgFor(CodeAuthMechanismsMissing))},
		CodeAuthOAuth2Only:          {f(CodeAuthOAuth2Only, fixFor(CodeAuthOAuth2Only), msgFor(CodeAuthOAuth2Only, nameList([]string{"XOAUTH2"})))},
		CodeAuthOK:                  {f(CodeAuthOK, i18n.Msg{}, msgFor(CodeAuthOK, "jane@example.test"))},
		CodeAuthFailed:              {f(CodeAuthFailed, fixFor(CodeAuthFailed), msgFor(CodeAuthFailed, "IMAP", "jane@example.test", reply))},
		CodeAuthAppPasswordRequired: {f(CodeAuthAppPasswordRequired, fixFor(CodeAuthAppPasswordRequired), msgFor(CodeAuthAppPasswordRequired, reply))},
		CodeAuthOAuth2Required:      {f(CodeAuthOAuth2Required, fixFor(CodeAuthOAuth2Required), msgFor(CodeAuthOAuth2Required, reply))},
		CodeAuthLocked:              {f(CodeAuthLocked, fixFor(CodeAuthLocked), msgFor(CodeAuthLocked, reply))},
		CodeAuthTemporary:           {f(CodeAuthTemporary, fixFor(CodeAuthTemporary), msgFor(CodeAuthTemporary, reply))},
		CodeAuthPasswordExpired:     {f(CodeAuthPasswordExpired, fixFor(CodeAuthPasswordExpired), msgFor(CodeAuthPasswordExpired, "jane@example.test", reply))},
		CodeAuthNotAuthorized:       {f(CodeAuthNotAuthorized, sit(plain).fix(CodeAuthNotAuthorized), msgFor(CodeAuthNotAuthorized, "POP3", "jane@example.test", reply))},
		CodeAuthContactAdmin:        {f(CodeAuthContactAdmin, fixFor(CodeAuthContactAdmin), msgFor(CodeAuthContactAdmin, "IMAP", "jane@example.test", reply))},
		CodeAuthEncryptionRequired:  {f(CodeAuthEncryptionRequired, sit(plain).fix(CodeAuthEncryptionRequired), msgFor(CodeAuthEncryptionRequired, "IMAP", reply))},
		CodeAuthInvalidCharacters:   {f(CodeAuthInvalidCharacters, fixFor(CodeAuthInvalidCharacters), msgFor(CodeAuthInvalidCharacters))},
		CodeAuthSkippedInsecure:     {f(CodeAuthSkippedInsecure, fixFor(CodeAuthSkippedInsecure), msgFor(CodeAuthSkippedInsecure))},
		CodeAuthSkippedNoPassword:   {f(CodeAuthSkippedNoPassword, fixFor(CodeAuthSkippedNoPassword), msgFor(CodeAuthSkippedNoPassword))},
	}
	// Every fix the probe can choose, with and without the flags.
	for _, a := range []Advice{{}, {Flag: func(string) bool { return true }}} {
		for code, fixes := range Fixes(a) {
			for _, fix := range fixes {
				fixtures[code] = append(fixtures[code], f(code, fix, fixtures[code][0].msg))
			}
		}
	}
	return fixtures
}

// keysOf collects the catalogue keys of m and of the Msgs among its
// arguments.
func keysOf(m i18n.Msg, into map[string]bool) {
	if m.IsZero() {
		return
	}
	into[m.Key] = true
	for _, a := range m.Args {
		if sub, ok := a.(i18n.Msg); ok {
			keysOf(sub, into)
		}
	}
}

// TestFindingsInEveryLanguage renders every finding code, every variant,
// in Romanian and Lithuanian: each key the finding uses must exist in that
// language (no English fallback), and no message or fix may read the same
// as its English text. It also fails when a code or a probe.* key has no
// fixture, so a new finding cannot slip through untranslated.
func TestFindingsInEveryLanguage(t *testing.T) {
	fixtures := findingFixtures()
	used := map[string]bool{}
	for _, c := range Codes {
		fs := fixtures[c.Code]
		if len(fs) == 0 {
			t.Errorf("%s: no fixture", c.Code)
		}
		for _, f := range fs {
			keysOf(f.msg, used)
			keysOf(f.fix, used)
			if f.Message == "" || (f.Fix == "" && c.Severity >= SevWarn) {
				t.Errorf("%s: English message %q or fix %q is empty", c.Code, f.Message, f.Fix)
			}
			for _, l := range []i18n.Lang{i18n.RO, i18n.LT} {
				cat := i18n.New(l)
				for k := range used {
					if _, ok := cat.Lookup(k); !ok {
						t.Errorf("%s: %s has no %q", c.Code, l, k)
					}
				}
				got := f.In(cat)
				if got.Code != f.Code || got.Severity != f.Severity {
					t.Errorf("%s: In changed the code or severity: %+v", c.Code, got)
				}
				if got.Message == f.Message {
					t.Errorf("%s %s: message is the English one: %q", c.Code, l, got.Message)
				}
				if got.Fix != "" && got.Fix == f.Fix {
					t.Errorf("%s %s: fix is the English one: %q", c.Code, l, got.Fix)
				}
			}
		}
	}
	for _, k := range i18n.Keys() {
		if strings.HasPrefix(k, "probe.") && !strings.HasPrefix(k, "probe.report.") && !used[k] {
			t.Errorf("catalogue key %q is used by no finding fixture", k)
		}
	}
}
