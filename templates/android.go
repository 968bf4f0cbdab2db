package templates

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/qrcode"
)

// The android format writes two files for Thunderbird for Android (formerly
// K-9 Mail): a .k9s settings file (Settings -> Import settings) and a PNG of
// the "Export for Mobile" QR code its scanner reads. Gmail and Samsung Email
// have no import file at all; the setup sheet is their export.

func init() {
	register("android", renderAndroid)
}

// k9sVersion is the settings version written into .k9s files. Format 1 is
// the only format; any version > 0 imports, and 99 is what the app writes for
// generated imports.
const k9sVersion = 99

// k9sNamespace is the namespace of the name-based (v5) account UUIDs: the
// same address always gets the same UUID, so output is deterministic.
var k9sNamespace = uuid.NameSpaceURL

// k9s* are the XML elements of a .k9s file.
type k9sFile struct {
	XMLName  xml.Name     `xml:"k9settings"`
	Format   int          `xml:"format,attr"`
	Version  int          `xml:"version,attr"`
	Comment  xml.Comment  `xml:",comment"`
	Accounts []k9sAccount `xml:"accounts>account"`
}

type k9sAccount struct {
	UUID       string        `xml:"uuid,attr"`
	Name       string        `xml:"name"`
	Incoming   k9sServer     `xml:"incoming-server"`
	Outgoing   k9sServer     `xml:"outgoing-server"`
	Comment    xml.Comment   `xml:",comment"`
	Settings   *k9sSettings  `xml:"settings,omitempty"`
	Identities []k9sIdentity `xml:"identities>identity"`
}

type k9sServer struct {
	Type     string `xml:"type,attr"`
	Host     string `xml:"host"`
	Port     int    `xml:"port"`
	Security string `xml:"connection-security"`
	Auth     string `xml:"authentication-type"`
	Username string `xml:"username"`
	Password string `xml:"password,omitempty"`
}

type k9sSettings struct {
	Values []k9sValue `xml:"value"`
}

type k9sValue struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

type k9sIdentity struct {
	Name  string `xml:"name"`
	Email string `xml:"email"`
}

func renderAndroid(a account.Account, o Options) ([]File, error) {
	a, fell, err := chooseAuth(a, androidSupports, "err.auth.android")
	if err != nil {
		return nil, err
	}
	note := join(o.fallbackNote("Thunderbird for Android", fell), o.oauth2Note("Thunderbird for Android", a))
	pw := androidPassword(o)
	k9s, k9sPW, err := renderK9s(a, pw)
	if err != nil {
		return nil, err
	}
	payload, qrPW, err := qrPayload(1, 1, []QRAccount{{Account: a, Password: pw}})
	if err != nil {
		return nil, err
	}
	png, err := QRPNG(payload)
	tooLong := errors.Is(err, qrcode.ErrTooLong)
	if err != nil && !tooLong {
		return nil, err
	}
	base := a.Email.FileName()
	pwNote := ""
	if k9sPW || (qrPW && !tooLong) {
		pwNote = " " + o.t("use.android.password")
	}
	files := []File{{
		Name: base + ".k9s", Data: k9s, HasPassword: k9sPW,
		Use: join(o.t("use.android.k9s", k9Menus(o)...)+pwNote, note),
	}}
	if tooLong {
		o.warn(qrTooLongCode, "%s", qrTooLong(o, base+"-qr.png", payload, a))
		return files, nil
	}
	return append(files, File{
		Name: base + "-qr.png", Data: png, HasPassword: qrPW,
		Use: join(o.t("use.android.qr", k9Menus(o)...)+pwNote, note),
	}), nil
}

// qrTooLongCode is the warning code of a QR code left out because the
// settings do not fit in one.
const qrTooLongCode = "qr.too-long"

// qrTooLong says that the QR code what was left out, and why.
func qrTooLong(o Options, what string, payload []byte, a account.Account) string {
	msg := o.t("use.qr-too-long", what, len(payload))
	// Every byte of the name is at least one byte of the payload, so a
	// name longer than the excess can be shortened until the code fits
	// (the capacity less the byte the UTF-8 ECI may take).
	if excess := len(payload) - (qrcode.Capacity(40, qrcode.L) - 1); len(a.DisplayName) > excess {
		msg += o.t("use.qr-too-long.name", len(a.DisplayName))
	}
	return msg
}

// androidPassword returns the password to write, or "" when the options
// do not ask for it.
func androidPassword(o Options) string {
	if o.IncludePassword {
		return o.Password
	}
	return ""
}

// renderK9s renders the .k9s settings file for a valid, expanded account.
// It reports whether the password was written.
func renderK9s(a account.Account, password string) ([]byte, bool, error) {
	if err := checkAndroid(a, password); err != nil {
		return nil, false, err
	}
	in, err := k9sServerFor(a.Incoming, password)
	if err != nil {
		return nil, false, err
	}
	out, err := k9sServerFor(a.Outgoing, password)
	if err != nil {
		return nil, false, err
	}
	acct := k9sAccount{
		UUID:       uuid.NewSHA1(k9sNamespace, []byte("mailto:"+a.Email.String())).String(),
		Name:       a.Email.Display(),
		Incoming:   in,
		Outgoing:   out,
		Identities: []k9sIdentity{{Name: androidOneLine(a.DisplayName), Email: a.Email.String()}},
	}
	policy, why := "DELETE", "IMAP: deletePolicy DELETE, as the app's own QR import sets for IMAP: a message deleted in the app is deleted on the server, so every device shows the same mailbox (without it the app never deletes on the server)"
	if a.Incoming.Protocol == account.POP3 {
		policy, why = k9sDeletePolicy(a.POP3)
	}
	acct.Comment = xml.Comment(" " + why + " ")
	acct.Settings = &k9sSettings{Values: []k9sValue{{Key: "deletePolicy", Value: policy}}}
	doc := k9sFile{
		Format:   1,
		Version:  k9sVersion,
		Comment:  xml.Comment(" Thunderbird for Android / K-9 Mail settings from mailsetup. Import: Settings -> Import settings. "),
		Accounts: []k9sAccount{acct},
	}
	data, err := xmlDocument(doc)
	if err != nil {
		return nil, false, fmt.Errorf("k9s: %w", err)
	}
	return data, in.Password != "" || out.Password != "", nil
}

// k9sDeletePolicy maps the POP3 options to K-9's deletePolicy and explains
// the choice in a comment. K-9 has no "delete after N days": NEVER keeps mail
// on the server, DELETE deletes it from the server when it is deleted in
// the app (K-9 never deletes right after downloading).
func k9sDeletePolicy(p *account.POP3Options) (policy, why string) {
	switch {
	case p == nil:
		return "NEVER", "POP3: no leave-on-server choice given, so deletePolicy NEVER keeps mail on the server"
	case !p.LeaveOnServer:
		return "DELETE", "POP3: leave-on-server is off, so deletePolicy DELETE: a message deleted in the app is deleted from the server too"
	case p.DaysOnServer > 0:
		return "NEVER", fmt.Sprintf("POP3: leave on server; the app cannot delete after %d days, so deletePolicy NEVER keeps mail on the server", p.DaysOnServer)
	}
	return "NEVER", "POP3: leave on server, so deletePolicy NEVER keeps mail on the server"
}

func k9sServerFor(s account.Server, password string) (k9sServer, error) {
	auth, err := k9sAuth(s.Auth)
	if err != nil {
		return k9sServer{}, err
	}
	out := k9sServer{
		Type:     strings.ToUpper(s.Protocol.String()),
		Host:     s.Host,
		Port:     s.Port,
		Security: k9sSecurity(s.Security),
		Auth:     auth,
		Username: s.Username,
	}
	if s.Auth.UsesPassword() {
		out.Password = password
	}
	return out, nil
}

func k9sSecurity(s account.Security) string {
	switch s {
	case account.TLS:
		return "SSL_TLS_REQUIRED"
	case account.STARTTLS:
		return "STARTTLS_REQUIRED"
	}
	return "NONE"
}

func k9sAuth(m account.AuthMethod) (string, error) {
	switch m {
	case account.AuthPasswordCleartext:
		return "PLAIN", nil
	case account.AuthPasswordEncrypted:
		return "CRAM_MD5", nil
	case account.AuthOAuth2:
		return "XOAUTH2", nil
	case account.AuthTLSClientCert:
		return "EXTERNAL", nil
	case account.AuthNone, account.AuthClientIP:
		// The server trusts the network: the app sends no credentials.
		return "NONE", nil
	}
	return "", androidAuthError(m)
}

func androidAuthError(m account.AuthMethod) error {
	return fmt.Errorf("%s (%s) authentication: Thunderbird for Android / K-9 Mail cannot use it; "+
		"it supports normal and encrypted passwords, OAuth2, TLS client certificates and none", m.Label(), m)
}

// checkAndroid checks what the Android importers reject beyond
// Account.Validate: authentication methods they lack and line breaks or
// control characters in usernames and passwords.
func checkAndroid(a account.Account, password string) error {
	for _, s := range []struct {
		field string
		srv   account.Server
	}{{"incoming", a.Incoming}, {"outgoing", a.Outgoing}} {
		if s.srv.Auth == account.AuthNTLM || s.srv.Auth == account.AuthGSSAPI {
			return fmt.Errorf("%s.auth: %w", s.field, androidAuthError(s.srv.Auth))
		}
		if err := androidNoControl(s.srv.Username); err != nil {
			return &account.FieldError{Field: s.field + ".username", Msg: err.Error()}
		}
	}
	if err := androidNoControl(password); err != nil {
		return fmt.Errorf("password: %w", err)
	}
	return nil
}

func androidNoControl(s string) error {
	if strings.ContainsAny(s, "\r\n") {
		return fmt.Errorf("contains a line break (CR or LF), which Android settings imports reject")
	}
	if strings.ContainsFunc(s, unicode.IsControl) {
		return fmt.Errorf("contains a control character")
	}
	return nil
}

// androidOneLine replaces control characters (line breaks included) with spaces,
// so a display name stays a single header-safe line.
func androidOneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// k9Menus are the menu names the .k9s and QR instructions give, as
// Thunderbird for Android shows them in the run's language (the setup
// sheet's own names): Settings, Import settings in Settings, and Import
// settings on the welcome screen.
func k9Menus(o Options) []any {
	return []any{o.t("sheet.ui.k9.settings"), o.t("sheet.ui.k9.import-settings"), o.t("sheet.ui.k9.import-settings-qr")}
}
