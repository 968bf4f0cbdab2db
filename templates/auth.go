package templates

import (
	"errors"
	"slices"
	"strings"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// A provider may list several authentication methods per server, in its
// order of preference (account.Server.Methods: the ISPDB lists OAuth2 and
// then the password for Gmail, AOL and others). Each format writes the
// first of them its client can use: Thunderbird and Thunderbird for
// Android sign in with OAuth2, Apple profiles and Outlook's files know
// only passwords, NTLM and no sign-in. A format that used a later method
// than the provider's first says so in its instructions (File.Use); a
// format that can use none of a server's methods fails with an error
// wrapping ErrAuthUnsupported, which RenderEach turns into a warning when
// other formats are written.

// ErrAuthUnsupported is wrapped by the error of a format that can use
// none of a server's authentication methods.
var ErrAuthUnsupported = errors.New("the format cannot use any of the server's authentication methods")

// SkippedCode is the warning code of a format left out because it can use
// none of a server's authentication methods.
const SkippedCode = "format.auth-unsupported"

// authFallback is a server a format writes with a later method than the
// provider's first.
type authFallback struct {
	preferred, used account.AuthMethod
}

// chooseAuth returns a with each server set to the first of its methods
// that supports accepts, and the servers that fell back to a later one.
// When a server has no such method the error, worded by the catalogue
// message errKey (the server and its methods as arguments), wraps
// ErrAuthUnsupported.
func chooseAuth(a account.Account, supports func(account.AuthMethod) bool, errKey string) (account.Account, []authFallback, error) {
	var fell []authFallback
	for _, s := range []*account.Server{&a.Incoming, &a.Outgoing} {
		methods := s.Methods()
		m, ok := s.FirstMethod(supports)
		if !ok {
			return a, nil, i18n.WrapError(ErrAuthUnsupported, errKey, s.String(), methodNames(methods))
		}
		if len(methods) > 0 && m != methods[0] {
			fell = append(fell, authFallback{preferred: methods[0], used: m})
		}
		*s = s.WithAuth(m)
	}
	return a, fell, nil
}

// methodNames lists methods in their stable lower-case form ("oauth2,
// password-cleartext"), the same in every language.
func methodNames(ms []account.AuthMethod) string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.String()
	}
	return strings.Join(names, ", ")
}

// appleSupports reports whether an Apple profile can express m: Apple's
// EmailAuth* values are none, password, CRAM-MD5, NTLM and HTTP MD5.
func appleSupports(m account.AuthMethod) bool {
	switch m {
	case account.AuthPasswordCleartext, account.AuthPasswordEncrypted, account.AuthNTLM, account.AuthNone, account.AuthClientIP:
		return true
	}
	return false
}

// outlookSupports reports whether Outlook's Autodiscover XML and .prf can
// express m: they only say whether a password is needed and whether it
// is sent with SPA (NTLM).
func outlookSupports(m account.AuthMethod) bool {
	switch m {
	case account.AuthPasswordCleartext, account.AuthPasswordEncrypted, account.AuthNTLM, account.AuthNone, account.AuthClientIP:
		return true
	}
	return false
}

// androidSupports reports whether Thunderbird for Android can use m (the
// .k9s authentication-type values PLAIN, CRAM_MD5, XOAUTH2, EXTERNAL and
// NONE; the QR code's auth 0, 1, 2, 5 and 6).
func androidSupports(m account.AuthMethod) bool {
	return m != account.AuthNTLM && m != account.AuthGSSAPI && m != account.AuthUnset
}

// fallbackNote is the sentence a format's instructions get when it fell
// back: app names the client ("Apple Mail"). It is "" without a fallback.
func (o Options) fallbackNote(app string, fell []authFallback) string {
	if len(fell) == 0 {
		return ""
	}
	f := fell[0]
	if f.preferred == account.AuthOAuth2 && f.used.UsesPassword() {
		return o.t("use.fallback.oauth2", app)
	}
	return o.t("use.fallback", app, o.authName(f.preferred), o.authName(f.used))
}

// authName is a method's name as the setup sheet's settings table gives
// it, in the options' language.
func (o Options) authName(m account.AuthMethod) string {
	return (&sheetWriter{l: sheetLangFor(o.Lang)}).sheetAuth(m)
}

// usesOAuth2 reports whether either server of a signs in with OAuth2.
func usesOAuth2(a account.Account) bool {
	return a.Incoming.Auth == account.AuthOAuth2 || a.Outgoing.Auth == account.AuthOAuth2
}

// oauth2Note is the sentence the instructions of a file that signs in
// with OAuth2 get: the app opens the provider's sign-in page and the
// file holds no password, even when the password was to be included.
func (o Options) oauth2Note(app string, a account.Account) string {
	if !usesOAuth2(a) {
		return ""
	}
	note := o.t("use.oauth2", app)
	if o.IncludePassword && o.Password != "" {
		note += " " + o.t("use.oauth2.no-password")
	}
	return note
}

// join joins the non-empty sentences with spaces.
func join(parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " ")
}

// Skipped returns the warning for err, the error of a format that can use
// none of a server's authentication methods (it wraps
// ErrAuthUnsupported), in the language lang, and whether err is one.
func Skipped(err error, lang i18n.Lang) (Warning, bool) {
	if !errors.Is(err, ErrAuthUnsupported) {
		return Warning{}, false
	}
	cat := i18n.New(lang)
	return Warning{Code: SkippedCode, Message: cat.T("use.format-skipped", cat.ErrorText(err))}, true
}

// RenderEach renders a in each of formats, as RenderWarn does, and
// returns every file and warning. A format that can use none of a
// server's authentication methods (Skipped) is left out with a
// SkippedCode warning while the others are written; when no format could
// be written, the error names each one's reason.
func RenderEach(formats []string, a account.Account, o Options) ([]File, []Warning, error) {
	var files []File
	var warnings []Warning
	var skipped i18n.Errors
	for _, format := range formats {
		fs, ws, err := RenderWarn(format, a, o)
		if err != nil {
			if _, ok := Skipped(err, o.Lang); ok {
				skipped = append(skipped, err)
				continue
			}
			return nil, nil, err
		}
		files = append(files, fs...)
		warnings = append(warnings, ws...)
	}
	switch {
	case len(files) == 0 && len(skipped) == 1:
		return nil, nil, skipped[0]
	case len(files) == 0 && len(skipped) > 0:
		return nil, nil, skipped
	}
	var out []Warning
	for _, err := range skipped {
		w, _ := Skipped(err, o.Lang)
		out = append(out, w)
	}
	return files, append(out, warnings...), nil
}
