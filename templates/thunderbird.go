package templates

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mailsetup/mailsetup/account"
)

func init() { register("thunderbird", renderThunderbird) }

// Mozilla autoconfig (config-v1.1.xml) as Thunderbird's readFromXML reads it.
type tbClientConfig struct {
	XMLName  xml.Name   `xml:"clientConfig"`
	Version  string     `xml:"version,attr"`
	Provider tbProvider `xml:"emailProvider"`
}

type tbProvider struct {
	ID               string     `xml:"id,attr"`
	Domains          []string   `xml:"domain"`
	DisplayName      string     `xml:"displayName"`
	DisplayShortName string     `xml:"displayShortName"`
	Incoming         []tbServer `xml:"incomingServer"`
	Outgoing         []tbServer `xml:"outgoingServer"`
	// Enable and Documentation are the provider's texts, written only
	// for a published domain (Published.AutoconfigXML).
	Enable        *tbEnable `xml:"enable,omitempty"`
	Documentation []tbDoc   `xml:"documentation"`
}

type tbEnable struct {
	VisitURL     string   `xml:"visiturl,attr,omitempty"`
	Instructions []tbText `xml:"instruction"`
}

type tbDoc struct {
	URL   string   `xml:"url,attr"`
	Descr []tbText `xml:"descr"`
}

type tbText struct {
	Lang string `xml:"lang,attr,omitempty"`
	Text string `xml:",chardata"`
}

type tbServer struct {
	Type       string `xml:"type,attr"`
	Hostname   string `xml:"hostname"`
	Port       int    `xml:"port"`
	SocketType string `xml:"socketType"`
	Username   string `xml:"username"`
	// Authentication lists every method of the server in the provider's
	// order: Thunderbird's readFromXML takes the first it supports (OAuth2
	// only for providers it knows), as it does with the ISPDB's files.
	Authentication []string `xml:"authentication"`
	POP3           *tbPOP3  `xml:"pop3,omitempty"`
}

type tbPOP3 struct {
	LeaveMessagesOnServer       bool `xml:"leaveMessagesOnServer"`
	DaysToLeaveMessagesOnServer int  `xml:"daysToLeaveMessagesOnServer,omitempty"`
	DownloadOnBiff              bool `xml:"downloadOnBiff"`
}

// tbSocketType is the autoconfig <socketType>.
func tbSocketType(s account.Security) string {
	switch s {
	case account.TLS:
		return "SSL"
	case account.STARTTLS:
		return "STARTTLS"
	}
	return "plain"
}

// tbSocketTypePref is the integer of the socketType and try_ssl prefs.
func tbSocketTypePref(s account.Security) int {
	switch s {
	case account.TLS:
		return 3
	case account.STARTTLS:
		return 2
	}
	return 0
}

// tbAuthentication is the autoconfig <authentication> value.
func tbAuthentication(m account.AuthMethod, incoming bool) string {
	switch m {
	case account.AuthPasswordCleartext:
		return "password-cleartext"
	case account.AuthPasswordEncrypted:
		return "password-encrypted"
	case account.AuthOAuth2:
		return "OAuth2"
	case account.AuthNTLM:
		return "NTLM"
	case account.AuthGSSAPI:
		return "GSSAPI"
	case account.AuthTLSClientCert:
		return "TLS-client-cert"
	case account.AuthClientIP:
		if !incoming {
			return "client-IP-address"
		}
		// Thunderbird knows client-IP-address for outgoing servers only;
		// for an incoming server it means sending no credentials.
	}
	return "none"
}

// tbAuthMethodPref is the integer of the authMethod prefs (nsMsgAuthMethod).
func tbAuthMethodPref(m account.AuthMethod) int {
	switch m {
	case account.AuthPasswordCleartext:
		return 3
	case account.AuthPasswordEncrypted:
		return 4
	case account.AuthGSSAPI:
		return 5
	case account.AuthNTLM:
		return 6
	case account.AuthTLSClientCert:
		return 7
	case account.AuthOAuth2:
		return 10
	}
	return 1 // none, client IP address
}

// tbAuthentications is the <authentication> list of s: each of its
// methods in order, without repeating a value (client-IP-address and none
// are both "none" for an incoming server).
func tbAuthentications(s account.Server, incoming bool) []string {
	var out []string
	for _, m := range s.Methods() {
		if v := tbAuthentication(m, incoming); !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// tbUsername is the login name for an autoconfig file: with domainWide
// the account's own login becomes %EMAILADDRESS% or %EMAILLOCALPART% when
// it follows the address, so the file serves every user of the domain.
// Thunderbird needs a username even when it is not used, so an empty one
// becomes the address. It reports whether a domain-wide file had to
// assume a convention.
func tbUsername(a account.Account, user string, domainWide bool) (string, bool) {
	switch {
	case !domainWide && user == "":
		return a.Email.String(), false
	case !domainWide:
		return user, false
	case user == "":
		return account.PlaceholderAddress, false
	}
	if form, ok := account.Unexpand(user, a.Email); ok {
		return form, false
	}
	return account.PlaceholderAddress, true
}

func tbConfig(a account.Account, domainWide bool) ([]byte, bool, error) {
	in, out := a.Incoming, a.Outgoing
	inUser, guessIn := tbUsername(a, in.Username, domainWide)
	outUser, guessOut := tbUsername(a, out.Username, domainWide)
	short, _, _ := strings.Cut(a.Email.UnicodeDomain(), ".")
	cfg := tbClientConfig{
		Version: "1.1",
		Provider: tbProvider{
			ID:               a.Email.Domain(),
			Domains:          []string{a.Email.Domain()},
			DisplayName:      a.Email.UnicodeDomain(),
			DisplayShortName: short,
			Incoming:         []tbServer{tbServerFor(in, inUser, true, a.POP3)},
			Outgoing:         []tbServer{tbServerFor(out, outUser, false, nil)},
		},
	}
	data, err := xmlDocument(cfg)
	if err != nil {
		return nil, false, err
	}
	return data, guessIn || guessOut, nil
}

// tbServerFor is the <incomingServer> or <outgoingServer> element of s
// with the login user; pop3, when set, gives a POP3 server's <pop3>.
func tbServerFor(s account.Server, user string, incoming bool, pop3 *account.POP3Options) tbServer {
	typ := "smtp"
	if incoming {
		typ = s.Protocol.String()
	}
	x := tbServer{
		Type: typ, Hostname: s.Host, Port: s.Port,
		SocketType: tbSocketType(s.Security), Username: user,
		Authentication: tbAuthentications(s, incoming),
	}
	if incoming && s.Protocol == account.POP3 && pop3 != nil {
		x.POP3 = &tbPOP3{
			LeaveMessagesOnServer:       pop3.LeaveOnServer,
			DaysToLeaveMessagesOnServer: pop3.DaysOnServer,
			DownloadOnBiff:              true,
		}
	}
	return x
}

func renderThunderbird(a account.Account, o Options) ([]File, error) {
	own, _, err := tbConfig(a, false)
	if err != nil {
		return nil, err
	}
	domain, guessed, err := tbConfig(a, true)
	if err != nil {
		return nil, err
	}
	d := a.Email.Domain()
	oauth := o.oauth2Note("Thunderbird", a)
	userJSUse := "use.thunderbird.userjs"
	if usesOAuth2(a) {
		userJSUse = "use.userjs.oauth2" // no password to enter
	}
	domainUse := o.t("use.thunderbird.domain", d, "https://autoconfig."+d+"/mail/config-v1.1.xml",
		"https://"+d+"/.well-known/autoconfig/mail/config-v1.1.xml", d)
	if guessed {
		domainUse += " " + o.t("use.thunderbird.guessed", "%EMAILADDRESS%")
	}
	return []File{
		{
			Name: "config-v1.1.xml",
			Data: own,
			Use: join(o.t("use.thunderbird", `C:\Program Files\Mozilla Thunderbird\isp\`+d+".xml",
				"/usr/lib/thunderbird/isp/"+d+".xml", a.Email.Display(),
				// Thunderbird's own menu names, as the setup sheet gives them.
				o.t("sheet.ui.tb.account-settings"), o.t("sheet.ui.tb.add-account"), o.t("sheet.ui.tb.mail-account")), oauth),
		},
		{Name: "config-v1.1-domain.xml", Data: domain, Use: domainUse, Admin: true},
		{
			Name: "user.js",
			Data: tbUserJS(a),
			Use:  join(o.t(userJSUse), oauth),
		},
	}, nil
}

// tbUserJS writes the prefs that create the account in a new profile.
// Numbers and booleans are bare, as Thunderbird ignores quoted numbers.
func tbUserJS(a account.Account) []byte {
	// Written piece by piece rather than with fmt: bulk runs write
	// thousands of these.
	var b strings.Builder
	b.Grow(1536)
	pref := func(name string) {
		b.WriteString("user_pref(")
		appendPrefString(&b, name)
		b.WriteString(", ")
	}
	str := func(name, v string) {
		pref(name)
		appendPrefString(&b, v)
		b.WriteString(");\n")
	}
	num := func(name string, v int) {
		pref(name)
		b.WriteString(strconv.Itoa(v))
		b.WriteString(");\n")
	}
	boolean := func(name string, v bool) {
		pref(name)
		b.WriteString(strconv.FormatBool(v))
		b.WriteString(");\n")
	}

	in, out := a.Incoming, a.Outgoing
	b.WriteString("// Thunderbird account " + a.Email.String() + ", written by mailsetup.\n")
	b.WriteString("// For a new profile: delete this file after the first start (see the instructions).\n")
	if usesOAuth2(a) {
		b.WriteString("// No password is stored here: the account signs in with OAuth2, through the provider's sign-in page.\n")
	} else {
		b.WriteString("// No password is stored here: Thunderbird asks for it and keeps it in its password manager.\n")
	}
	str("mail.accountmanager.accounts", "account1")
	str("mail.accountmanager.defaultaccount", "account1")
	str("mail.account.account1.identities", "id1")
	str("mail.account.account1.server", "server1")

	str("mail.server.server1.type", in.Protocol.String())
	str("mail.server.server1.name", a.Email.Display())
	str("mail.server.server1.hostname", in.Host)
	num("mail.server.server1.port", in.Port)
	num("mail.server.server1.socketType", tbSocketTypePref(in.Security))
	num("mail.server.server1.authMethod", tbAuthMethodPref(in.Auth))
	if in.Username != "" {
		str("mail.server.server1.userName", in.Username)
	}
	boolean("mail.server.server1.login_at_startup", true)
	oauth2 := func(root string, s account.Server) {
		// What Thunderbird's account setup stores for an OAuth2 server
		// (OAuth2Module reads them; for the providers it knows it
		// replaces them with its own).
		if p := a.Provider; s.Auth == account.AuthOAuth2 && p != nil && p.OAuth2 != nil && p.OAuth2.Issuer != "" && p.OAuth2.Scope != "" {
			str(root+"oauth2.issuer", p.OAuth2.Issuer)
			str(root+"oauth2.scope", p.OAuth2.Scope)
		}
	}
	oauth2("mail.server.server1.", in)
	if in.Protocol == account.POP3 && a.POP3 != nil {
		boolean("mail.server.server1.leave_on_server", a.POP3.LeaveOnServer)
		boolean("mail.server.server1.delete_by_age_from_server", a.POP3.DaysOnServer > 0)
		if a.POP3.DaysOnServer > 0 {
			num("mail.server.server1.num_days_to_leave_on_server", a.POP3.DaysOnServer)
		}
	}

	str("mail.identity.id1.useremail", a.Email.String())
	if a.DisplayName != "" {
		str("mail.identity.id1.fullName", a.DisplayName)
	}
	str("mail.identity.id1.smtpServer", "smtp1")
	boolean("mail.identity.id1.valid", true)

	str("mail.smtpservers", "smtp1")
	str("mail.smtp.defaultserver", "smtp1")
	str("mail.smtpserver.smtp1.hostname", out.Host)
	num("mail.smtpserver.smtp1.port", out.Port)
	num("mail.smtpserver.smtp1.try_ssl", tbSocketTypePref(out.Security))
	num("mail.smtpserver.smtp1.authMethod", tbAuthMethodPref(out.Auth))
	if out.Username != "" {
		str("mail.smtpserver.smtp1.username", out.Username)
	}
	oauth2("mail.smtpserver.smtp1.", out)
	return []byte(b.String())
}

// appendPrefString writes s to b quoted for a prefs file: backslash,
// quote and control characters are escaped (\uXXXX, which the prefs
// parser accepts); other text, including non-ASCII, is written as UTF-8.
func appendPrefString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}
