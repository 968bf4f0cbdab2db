package templates

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// compuserve is the golden fixture whose servers list OAuth2 first and the
// password second, as the ISPDB's file for compuserve.com (aol.com) does.
func compuserve(t *testing.T) account.Account { return fixtureAccount(t, "oauth2") }

// oauth2Only is an account whose servers accept OAuth2 only.
func oauth2Only(t *testing.T) account.Account {
	a := compuserve(t)
	a.Incoming.Auths, a.Outgoing.Auths = nil, nil
	return a
}

// TestAuthChoiceParsedBack reads each format's files for the
// compuserve.com-style account back and checks the method each client
// would use: OAuth2 for Thunderbird and Thunderbird for Android, the
// password for Apple and Outlook, whose instructions say they fell back.
func TestAuthChoiceParsedBack(t *testing.T) {
	a := compuserve(t)

	apple := renderOne(t, "apple", a, Options{})["jo@oauth.example.mobileconfig"]
	p := parsePlistStrict(t, apple.Data).Dict["PayloadContent"].Array[0].Dict
	wantKey(t, "apple", p, "IncomingMailServerAuthentication", "string", "EmailAuthPassword")
	wantKey(t, "apple", p, "OutgoingMailServerAuthentication", "string", "EmailAuthPassword")
	if !strings.Contains(apple.Use, "prefers signing in through its web page (OAuth2), which Apple Mail cannot use") {
		t.Errorf("apple Use lacks the fallback note: %q", apple.Use)
	}

	ol := renderOne(t, "outlook", a, Options{})
	var pox poxDoc
	if err := xml.Unmarshal(ol["autodiscover-oauth.example.xml"].Data, &pox); err != nil {
		t.Fatal(err)
	}
	for _, pr := range pox.Response.Account.Protocol {
		if pr.AuthRequired != "on" || pr.SPA != "off" || pr.LoginName != "jo@oauth.example" {
			t.Errorf("POX %s: AuthRequired %q SPA %q LoginName %q, want a password login", pr.Type, pr.AuthRequired, pr.SPA, pr.LoginName)
		}
	}
	prf := strings.Join(decodeUTF16File(t, "outlook.prf", ol["outlook.prf"].Data), "\n")
	for _, line := range []string{"IMAPUseSPA=0", "SMTPUseAuth=1", "SMTPUseSPA=0", "IMAPUserName=jo@oauth.example"} {
		if !strings.Contains(prf, line+"\n") {
			t.Errorf("outlook.prf lacks %s", line)
		}
	}
	for name, f := range ol {
		if !strings.Contains(f.Use, "which Outlook cannot use") {
			t.Errorf("%s: Use lacks the fallback note: %q", name, f.Use)
		}
	}

	k9s, qr := androidFiles(t, a, Options{})
	doc := parseK9s(t, k9s.Data)
	if in, out := doc.Accounts[0].Incoming, doc.Accounts[0].Outgoing; in.Auth != "XOAUTH2" || out.Auth != "XOAUTH2" {
		t.Errorf(".k9s authentication-type %q, %q; want XOAUTH2", in.Auth, out.Auth)
	}
	text, _, _ := decodeQRPNG(t, qr.Data)
	in := checkQRJSON(t, text)[0]
	out := in[8].([]any)
	if in[4] != json.Number("6") || out[4] != json.Number("6") {
		t.Errorf("QR auth %v, %v; want 6 (OAuth2)", in[4], out[4])
	}
	for _, f := range []File{k9s, qr} {
		if !strings.Contains(f.Use, "Thunderbird for Android opens the provider's sign-in page") || strings.Contains(f.Use, "prefers") {
			t.Errorf("%s: Use %q, want the OAuth2 note and no fallback", f.Name, f.Use)
		}
	}

	tb := renderOne(t, "thunderbird", a, Options{})
	prefs := parseUserJS(t, tb["user.js"].Data)
	for _, k := range []string{"mail.server.server1.authMethod", "mail.smtpserver.smtp1.authMethod"} {
		if prefs[k] != (prefValue{"int", "10"}) {
			t.Errorf("user.js %s = %+v, want 10 (OAuth2)", k, prefs[k])
		}
	}
	for _, name := range []string{"config-v1.1.xml", "user.js"} {
		if !strings.Contains(tb[name].Use, "Thunderbird opens the provider's sign-in page") || strings.Contains(tb[name].Use, "enter the password") {
			t.Errorf("%s: Use lacks the OAuth2 note: %q", name, tb[name].Use)
		}
	}
}

// TestAuthChoiceOtherFallbacks: Android falls back from NTLM to the
// password, and a method no format knows first changes nothing for
// Thunderbird, which lists every method.
func TestAuthChoiceOtherFallbacks(t *testing.T) {
	a := fixtureAccount(t, "imap")
	a.Incoming = withAuths(a.Incoming, account.AuthNTLM, account.AuthPasswordCleartext)
	k9s, qr := androidFiles(t, a, Options{IncludePassword: true, Password: "pw"})
	doc := parseK9s(t, k9s.Data)
	if s := doc.Accounts[0].Incoming; s.Auth != "PLAIN" || s.Password == nil || *s.Password != "pw" {
		t.Errorf(".k9s incoming %+v, want PLAIN with the password", s)
	}
	text, _, _ := decodeQRPNG(t, qr.Data)
	if in := checkQRJSON(t, text)[0]; in[4] != json.Number("1") {
		t.Errorf("QR incoming auth %v, want 1", in[4])
	}
	if !strings.Contains(k9s.Use, "The provider prefers NTLM, which Thunderbird for Android cannot use with this file, so the file uses Normal password instead.") {
		t.Errorf(".k9s Use %q", k9s.Use)
	}
	// Apple and Outlook know NTLM: no fallback.
	apple := renderOne(t, "apple", a, Options{})["jane@example.com.mobileconfig"]
	wantKey(t, "apple", parsePlistStrict(t, apple.Data).Dict["PayloadContent"].Array[0].Dict, "IncomingMailServerAuthentication", "string", "EmailAuthNTLM")
	if strings.Contains(apple.Use, "prefers") {
		t.Errorf("apple Use %q: no fallback expected", apple.Use)
	}
	doc2 := parseAutoconfig(t, renderOne(t, "thunderbird", a, Options{})["config-v1.1.xml"].Data)
	if got := doc2.Provider.Incoming[0].Authentication; !slices.Equal(got, []string{"NTLM", "password-cleartext"}) {
		t.Errorf("config-v1.1.xml authentication %q", got)
	}
}

// TestAuthUnsupportedSkipped: for an OAuth2-only account, Apple and
// Outlook are left out with a warning while the other formats are
// written; asked for alone, they fail with ErrAuthUnsupported.
func TestAuthUnsupportedSkipped(t *testing.T) {
	a := oauth2Only(t)
	files, warnings, err := RenderEach(Formats(), a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var formats []string
	for _, f := range files {
		if !slices.Contains(formats, f.Format) {
			formats = append(formats, f.Format)
		}
	}
	if want := []string{"android", "json", "sheet", "thunderbird"}; !slices.Equal(formats, want) {
		t.Errorf("formats written %q, want %q", formats, want)
	}
	var skipped []string
	for _, w := range warnings {
		if w.Code == SkippedCode {
			skipped = append(skipped, w.Message)
		}
	}
	if len(skipped) != 2 || !strings.HasPrefix(skipped[0], "apple: an Apple profile cannot use any sign-in method of IMAP imap.oauth.example:993 SSL/TLS (oauth2)") ||
		!strings.HasPrefix(skipped[1], "outlook: Outlook's files cannot use") || !strings.HasSuffix(skipped[1], "left out, the other formats were written") {
		t.Errorf("skip warnings %q", skipped)
	}
	for _, one := range [][]string{{"outlook"}, {"apple"}, {"apple", "outlook"}} {
		_, _, err := RenderEach(one, a, Options{})
		if !errors.Is(err, ErrAuthUnsupported) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v alone: err = %v, want one line wrapping ErrAuthUnsupported", one, err)
		}
		if len(one) == 2 && (!strings.Contains(err.Error(), "apple: ") || !strings.Contains(err.Error(), "outlook: ")) {
			t.Errorf("%v: err %q does not name both", one, err)
		}
	}
	// The warning follows the language.
	_, warnings, _ = RenderEach([]string{"apple", "json"}, a, Options{Lang: i18n.RO})
	if len(warnings) != 1 || !strings.Contains(warnings[0].Message, "un profil Apple nu poate folosi") || !strings.HasSuffix(warnings[0].Message, "celelalte formate au fost scrise") {
		t.Errorf("ro warning %q", warnings)
	}
	// Other errors are not skipped.
	bad := a
	bad.Incoming.Host = ""
	if _, _, err := RenderEach([]string{"json", "thunderbird"}, bad, Options{}); err == nil || errors.Is(err, ErrAuthUnsupported) {
		t.Errorf("invalid account: err = %v", err)
	}
}
