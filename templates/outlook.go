package templates

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/mailsetup/mailsetup/account"
)

func init() { register("outlook", renderOutlook) }

// DefaultOutlookXMLPath is the folder the .reg file points Outlook at when
// Options.OutlookXMLPath is empty.
const DefaultOutlookXMLPath = `C:\Users\Public\mailsetup\`

// Namespaces of a POX Autodiscover response.
const (
	autodiscoverNS         = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
	autodiscoverOutlookNS  = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
	outlookRegistryKeyPath = `HKEY_CURRENT_USER\Software\Microsoft\Office\16.0\Outlook\AutoDiscover`
)

// POX Autodiscover response; field order is the order Outlook expects.
type adDocument struct {
	XMLName  xml.Name   `xml:"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006 Autodiscover"`
	Response adResponse `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a Response"`
}

type adResponse struct {
	User    *adUser   `xml:"User,omitempty"`
	Account adAccount `xml:"Account"`
}

type adUser struct {
	DisplayName string `xml:"DisplayName"`
}

type adAccount struct {
	AccountType string       `xml:"AccountType"`
	Action      string       `xml:"Action"`
	Protocols   []adProtocol `xml:"Protocol"`
}

type adProtocol struct {
	Type           string `xml:"Type"`
	Server         string `xml:"Server"`
	Port           int    `xml:"Port"`
	LoginName      string `xml:"LoginName,omitempty"`
	DomainRequired string `xml:"DomainRequired"`
	SPA            string `xml:"SPA"`
	SSL            string `xml:"SSL"`
	Encryption     string `xml:"Encryption"`
	AuthRequired   string `xml:"AuthRequired"`
	UsePOPAuth     string `xml:"UsePOPAuth,omitempty"`
	SMTPLast       string `xml:"SMTPLast,omitempty"`
}

func adOnOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func adProtocolFor(s account.Server, typ string) adProtocol {
	p := adProtocol{
		Type:           typ,
		Server:         s.Host,
		Port:           s.Port,
		DomainRequired: "off",
		SPA:            adOnOff(s.Auth == account.AuthNTLM),
		AuthRequired:   adOnOff(s.Auth != account.AuthNone && s.Auth != account.AuthClientIP),
	}
	if s.Auth.NeedsUsername() {
		p.LoginName = s.Username
	}
	switch s.Security {
	case account.TLS:
		p.SSL, p.Encryption = "on", "SSL"
	case account.STARTTLS:
		p.SSL, p.Encryption = "on", "TLS"
	default:
		p.SSL, p.Encryption = "off", "None"
	}
	return p
}

// outlookAutodiscover builds the POX Autodiscover response.
func outlookAutodiscover(a account.Account) ([]byte, error) {
	return poxResponse(a.DisplayName, []account.Server{a.Incoming}, []account.Server{a.Outgoing})
}

// poxResponse builds a POX Autodiscover response with a Protocol element
// for each incoming server and then each outgoing one, in order. SMTP's
// UsePOPAuth is on when it takes a password for the same username as
// the first incoming server.
func poxResponse(displayName string, incoming, outgoing []account.Server) ([]byte, error) {
	var protocols []adProtocol
	for _, in := range incoming {
		if !in.Protocol.Incoming() {
			return nil, errors.New("the incoming server must be IMAP or POP3")
		}
		inType := "IMAP"
		if in.Protocol == account.POP3 {
			inType = "POP3"
		}
		protocols = append(protocols, adProtocolFor(in, inType))
	}
	for _, out := range outgoing {
		smtp := adProtocolFor(out, "SMTP")
		smtp.UsePOPAuth = adOnOff(len(incoming) > 0 && out.Auth.UsesPassword() && incoming[0].Auth.UsesPassword() &&
			out.Username == incoming[0].Username)
		smtp.SMTPLast = "off"
		protocols = append(protocols, smtp)
	}
	doc := adDocument{Response: adResponse{Account: adAccount{
		AccountType: "email",
		Action:      "settings",
		Protocols:   protocols,
	}}}
	if displayName != "" {
		doc.Response.User = &adUser{DisplayName: displayName}
	}
	return xmlDocument(doc)
}

// outlookXMLPath returns the folder for the local Autodiscover file, with
// a trailing backslash.
func outlookXMLPath(o Options) (string, error) {
	p := strings.TrimSpace(o.OutlookXMLPath)
	if p == "" {
		p = DefaultOutlookXMLPath
	}
	if strings.ContainsAny(p, "\"\r\n\x00") || strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 }) {
		return "", fmt.Errorf("the Outlook XML folder %q contains a quote or control character", p)
	}
	if strings.Contains(p, "/") && !strings.Contains(p, `\`) {
		return "", fmt.Errorf("the Outlook XML folder %q must be a Windows path such as %s", p, DefaultOutlookXMLPath)
	}
	if !strings.HasSuffix(p, `\`) {
		p += `\`
	}
	return p, nil
}

// outlookRegQuote quotes s for a .reg file: backslashes and quotes are escaped.
func outlookRegQuote(s string) string {
	return `"` + regQuoter.Replace(s) + `"`
}

// regQuoter is built once: a strings.Replacer costs more to build than to use.
var regQuoter = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// outlookUTF16 encodes lines as UTF-16LE with a byte order mark and CRLF line
// ends, the encoding regedit writes for "Version 5.00" files and Windows
// reads INI files in.
func outlookUTF16(lines []string) []byte {
	n := 2
	for _, l := range lines {
		n += 2*len(l) + 4 // enough for every character up to U+FFFF
	}
	out := make([]byte, 0, n)
	out = append(out, 0xFF, 0xFE)
	for _, l := range lines {
		for _, r := range l { // invalid UTF-8 arrives as U+FFFD
			if r < 0x10000 {
				out = append(out, byte(r), byte(r>>8))
				continue
			}
			r1, r2 := utf16.EncodeRune(r)
			out = append(out, byte(r1), byte(r1>>8), byte(r2), byte(r2>>8))
		}
		out = append(out, '\r', 0, '\n', 0)
	}
	return out
}

// outlookReg points classic Outlook at the local Autodiscover file.
func outlookReg(domain, xmlPath string) []byte {
	return outlookUTF16([]string{
		"Windows Registry Editor Version 5.00",
		"",
		"; Classic Outlook for Windows (2016, 2019, 2021, 365): read the mail settings for " + domain,
		"; from " + xmlPath + ". Written by mailsetup.",
		"[" + outlookRegistryKeyPath + "]",
		outlookRegQuote(domain) + "=" + outlookRegQuote(xmlPath),
		`"PreferLocalXML"=dword:00000001`,
		`"ExcludeExplicitO365Endpoint"=dword:00000001`,
		"",
	})
}

// prfValue makes s safe as an INI value: one line, no surrounding blanks.
func prfValue(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s))
}

func prfBool(b bool) int {
	if b {
		return 1
	}
	return 0
}

// prfSecurity is the value of IMAPUseSSL/POP3UseSSL/SMTPSecureConnection:
// 0 none, 1 SSL/TLS, 2 STARTTLS, the ENCRYPT_CONN_NO_SECURITY, _SSL and
// _TLS constants Microsoft documents for PROP_SMTP_SECURE_CONNECTION
// (Constants (Account management API)); Microsoft documents no values for
// the incoming side's UseSSL, which takes the same ones in practice.
func prfSecurity(s account.Security) int {
	switch s {
	case account.TLS:
		return 1
	case account.STARTTLS:
		return 2
	}
	return 0
}

// The PRF values below are Outlook's account properties, documented in
// Microsoft's Account Management API reference ("Constants (Account
// management API)", learn.microsoft.com/office/client-developer/outlook/
// auxiliary/constants-account-management-api, and the PROP_* pages): a
// PRF key's value is stored in the property its mapping line names.

// PROP_POP_LEAVE_ON_SERVER (0x1000, PT_DWORD) flags and the day count
// SET_REMOVE_AFTER_DAYS(days) = days<<16 puts in the high word.
const (
	prfLeaveOnServer   = 0x1 // LEAVE_ON_SERVER: leave a copy on the server
	prfRemoveAfterDays = 0x2 // REMOVE_AFTER: remove it after the days in the high word
	prfRemoveOnNuke    = 0x4 // REMOVE_ON_NUKE: remove it when deleted from Deleted Items (not used: mailsetup has no such choice)
	prfDaysShift       = 16
)

// PROP_SMTP_AUTH_METHOD (0x0208, PT_DWORD) values. "No authentication"
// is not one of them: it is SMTPUseAuth=0 (PROP_SMTP_USE_AUTH, 0x0203: "a
// zero value means do not use authentication").
const (
	prfSMTPAuthSameAsIncoming = 0 // SMTP_AUTH_SAME_AS_POP: the incoming server's user name and password
	prfSMTPAuthUserPass       = 1 // SMTP_AUTH_USER_PASS: SMTPUserName and its own password
)

// prfLeaveOnServerValue is the LeaveOnServer value for the POP3 options:
// LEAVE_ON_SERVER, with REMOVE_AFTER and the days in the high word when
// mail is to be removed after some days, 0 to remove mail once downloaded.
func prfLeaveOnServerValue(p account.POP3Options) uint32 {
	if !p.LeaveOnServer {
		return 0
	}
	v := uint32(prfLeaveOnServer)
	if p.DaysOnServer > 0 { // at most account.MaxDaysOnServer: fits the 16-bit high word
		v |= prfRemoveAfterDays | uint32(p.DaysOnServer)<<prfDaysShift
	}
	return v
}

// prfSMTPAuthMethod is the SMTPAuthMethod value: the incoming server's
// credentials when both servers take a password for the same username
// (as the Autodiscover file's UsePOPAuth), else the outgoing server's own.
func prfSMTPAuthMethod(a account.Account) int {
	if a.Incoming.Auth.UsesPassword() && a.Outgoing.Auth.UsesPassword() && a.Incoming.Username == a.Outgoing.Username {
		return prfSMTPAuthSameAsIncoming
	}
	return prfSMTPAuthUserPass
}

// outlookPRF writes a best-effort Outlook profile file. The profile is
// made the default one only when defaultProfile is set: importing a file
// must not silently change which profile Outlook opens.
func outlookPRF(a account.Account, defaultProfile bool) []byte {
	in, out := a.Incoming, a.Outgoing
	proto, section := "IMAP", "IMAP_I_Mail"
	if in.Protocol == account.POP3 {
		proto, section = "POP3", "I_Mail"
	}
	addr := a.Email.String()
	defaultLine, defaultNote := "DefaultProfile=No", "; DefaultProfile=No: the profile is added; Outlook keeps opening the profile it opened before."
	if defaultProfile {
		defaultLine, defaultNote = "DefaultProfile=Yes", "; DefaultProfile=Yes: Outlook opens this profile from now on (--outlook-default-profile)."
	}
	lines := []string{
		"; Outlook profile for " + addr + ", written by mailsetup. Best effort: Microsoft does not",
		"; recommend PRF files from Outlook 2016 on. Classic Outlook for Windows only:",
		";   outlook.exe /importprf outlook.prf",
		"; No password is stored: Outlook asks for it.",
		defaultNote,
		"; SMTPSecureConnection: 0 none, 1 SSL/TLS, 2 STARTTLS (Microsoft's ENCRYPT_CONN_* values); UseSSL: the same (not documented).",
		"; SMTPAuthMethod: 0 same user name and password as the incoming server, 1 SMTPUserName's own.",
		"; LeaveOnServer: 0 remove once downloaded; 0x1 leave a copy; 0x2 with the days in the high word: remove after them.",
		"",
		"[General]",
		"Custom=1",
		"ProfileName=" + prfValue(addr),
		defaultLine,
		"OverwriteProfile=Append",
		"",
		"[Service List]",
		"",
		"[Internet Account List]",
		"Account1=" + section,
		"",
		"[Account1]",
		"UniqueService=No",
		"AccountName=" + prfValue(a.Email.Display()),
	}
	if a.DisplayName != "" {
		lines = append(lines, "DisplayName="+prfValue(a.DisplayName))
	}
	lines = append(lines,
		"EmailAddress="+addr,
		proto+"Server="+in.Host,
	)
	if in.Auth.NeedsUsername() && in.Username != "" {
		lines = append(lines, proto+"UserName="+prfValue(in.Username))
	}
	lines = append(lines,
		fmt.Sprintf("%sPort=%d", proto, in.Port),
		fmt.Sprintf("%sUseSSL=%d", proto, prfSecurity(in.Security)),
		fmt.Sprintf("%sUseSPA=%d", proto, prfBool(in.Auth == account.AuthNTLM)),
	)
	if in.Protocol == account.POP3 && a.POP3 != nil {
		// Hexadecimal, as in Microsoft's own PRF files (LeaveOnServer=0x0),
		// so the flags and the days in the high word can be read.
		lines = append(lines, fmt.Sprintf("LeaveOnServer=0x%X", prfLeaveOnServerValue(*a.POP3)))
	}
	outAuth := out.Auth != account.AuthNone && out.Auth != account.AuthClientIP
	lines = append(lines,
		"SMTPServer="+out.Host,
		fmt.Sprintf("SMTPPort=%d", out.Port),
		fmt.Sprintf("SMTPSecureConnection=%d", prfSecurity(out.Security)),
		fmt.Sprintf("SMTPUseAuth=%d", prfBool(outAuth)),
	)
	if outAuth {
		lines = append(lines, fmt.Sprintf("SMTPAuthMethod=%d", prfSMTPAuthMethod(a)))
	}
	if outAuth && out.Username != "" {
		lines = append(lines, "SMTPUserName="+prfValue(out.Username))
	}
	lines = append(lines, fmt.Sprintf("SMTPUseSPA=%d", prfBool(out.Auth == account.AuthNTLM)), "")

	// The fixed mapping of the keys above to MAPI property tags.
	lines = append(lines,
		"["+section+"]",
		"AccountType="+proto,
		"AccountName=PT_UNICODE,0x0002",
		"DisplayName=PT_UNICODE,0x000B",
		"EmailAddress=PT_UNICODE,0x000C",
		proto+"Server=PT_UNICODE,0x0100",
		proto+"UserName=PT_UNICODE,0x0101",
		proto+"Port=PT_LONG,0x0104",
		proto+"UseSSL=PT_LONG,0x0105",
		proto+"UseSPA=PT_LONG,0x0108",
		"SMTPServer=PT_UNICODE,0x0200",
		"SMTPPort=PT_LONG,0x0201",
		"SMTPUseAuth=PT_LONG,0x0203",
		"SMTPAuthMethod=PT_LONG,0x0208",
		"SMTPUserName=PT_UNICODE,0x0204",
		"SMTPUseSPA=PT_LONG,0x0207",
		"SMTPSecureConnection=PT_LONG,0x020A",
	)
	if in.Protocol == account.POP3 {
		lines = append(lines, "LeaveOnServer=PT_LONG,0x1000")
	}
	return outlookUTF16(lines)
}

// prfUse says what importing the .prf does to the user's profiles.
func prfUse(a account.Account, o Options) string {
	if o.OutlookDefaultProfile {
		return o.t("use.outlook.prf.default", a.Email.String())
	}
	return o.t("use.outlook.prf.add", a.Email.String())
}

// OutlookXMLName is the name of the Autodiscover file for an address's
// domain: the .reg file points Outlook at this name. The domain is in the
// form account.Address.DomainFileName gives, so a domain over
// account.MaxFileName bytes keeps the name within the 255 bytes a file
// name may have.
func OutlookXMLName(a account.Address) string { return "autodiscover-" + a.DomainFileName() + ".xml" }

func renderOutlook(a account.Account, o Options) ([]File, error) {
	a, fell, err := chooseAuth(a, outlookSupports, "err.auth.outlook")
	if err != nil {
		return nil, err
	}
	note := o.fallbackNote("Outlook", fell)
	if !a.Incoming.Protocol.Incoming() {
		return nil, errors.New("the incoming server must be IMAP or POP3")
	}
	folder, err := outlookXMLPath(o)
	if err != nil {
		return nil, err
	}
	domain := a.Email.Domain()
	xmlName := OutlookXMLName(a.Email)
	ad, err := outlookAutodiscover(a)
	if err != nil {
		return nil, err
	}
	addr := a.Email.Display()
	return []File{
		{
			Name: xmlName,
			Data: ad,
			Use:  join(o.t("use.outlook.xml", folder, addr, domain), note),
		},
		{
			Name: "outlook-autodiscover.reg",
			Data: outlookReg(domain, folder+xmlName),
			Use:  join(o.t("use.outlook.reg", xmlName, folder, domain), note),
		},
		{
			Name:  "outlook.prf",
			Data:  outlookPRF(a, o.OutlookDefaultProfile),
			Use:   join(o.t("use.outlook.prf", xmlName), prfUse(a, o), note),
			Admin: true,
		},
	}, nil
}
