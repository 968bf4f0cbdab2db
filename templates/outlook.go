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
	inType := "IMAP"
	if a.Incoming.Protocol == account.POP3 {
		inType = "POP3"
	}
	smtp := adProtocolFor(a.Outgoing, "SMTP")
	smtp.UsePOPAuth = adOnOff(a.Outgoing.Auth.UsesPassword() && a.Incoming.Auth.UsesPassword() &&
		a.Outgoing.Username == a.Incoming.Username)
	smtp.SMTPLast = "off"
	doc := adDocument{Response: adResponse{Account: adAccount{
		AccountType: "email",
		Action:      "settings",
		Protocols:   []adProtocol{adProtocolFor(a.Incoming, inType), smtp},
	}}}
	if a.DisplayName != "" {
		doc.Response.User = &adUser{DisplayName: a.DisplayName}
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
// 0 none, 1 SSL/TLS, 2 STARTTLS (community sources; Microsoft does not
// document the values).
func prfSecurity(s account.Security) int {
	switch s {
	case account.TLS:
		return 1
	case account.STARTTLS:
		return 2
	}
	return 0
}

// outlookPRF writes a best-effort Outlook profile file.
func outlookPRF(a account.Account) []byte {
	in, out := a.Incoming, a.Outgoing
	proto, section := "IMAP", "IMAP_I_Mail"
	if in.Protocol == account.POP3 {
		proto, section = "POP3", "I_Mail"
	}
	addr := a.Email.String()
	lines := []string{
		"; Outlook profile for " + addr + ", written by mailsetup. Best effort: Microsoft does not",
		"; recommend PRF files from Outlook 2016 on. Classic Outlook for Windows only:",
		";   outlook.exe /importprf outlook.prf",
		"; No password is stored: Outlook asks for it.",
		"; UseSSL and SMTPSecureConnection: 0 none, 1 SSL/TLS, 2 STARTTLS (values not documented by Microsoft).",
		"",
		"[General]",
		"Custom=1",
		"ProfileName=" + prfValue(addr),
		"DefaultProfile=Yes",
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
		lines = append(lines, fmt.Sprintf("LeaveOnServer=%d", prfBool(a.POP3.LeaveOnServer)))
	}
	outAuth := out.Auth != account.AuthNone && out.Auth != account.AuthClientIP
	lines = append(lines,
		"SMTPServer="+out.Host,
		fmt.Sprintf("SMTPPort=%d", out.Port),
		fmt.Sprintf("SMTPSecureConnection=%d", prfSecurity(out.Security)),
		fmt.Sprintf("SMTPUseAuth=%d", prfBool(outAuth)),
	)
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
		"SMTPUserName=PT_UNICODE,0x0204",
		"SMTPUseSPA=PT_LONG,0x0207",
		"SMTPSecureConnection=PT_LONG,0x020A",
	)
	if in.Protocol == account.POP3 {
		lines = append(lines, "LeaveOnServer=PT_LONG,0x1000")
	}
	return outlookUTF16(lines)
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
			Data:  outlookPRF(a),
			Use:   join(o.t("use.outlook.prf", xmlName), note),
			Admin: true,
		},
	}, nil
}
