package autoconfig

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// POX is a parsed Outlook "plain old XML" Autodiscover response.
type POX struct {
	// Action is "settings", "redirectUrl" or "redirectAddr".
	Action       string
	RedirectURL  string
	RedirectAddr string
	DisplayName  string
	Incoming     []account.Server
	Outgoing     []account.Server
}

type xmlPOX struct {
	XMLName  xml.Name `xml:"Autodiscover"`
	Response struct {
		User struct {
			DisplayName string `xml:"DisplayName"`
		} `xml:"User"`
		Error *struct {
			Code    string `xml:"ErrorCode"`
			Message string `xml:"Message"`
		} `xml:"Error"`
		Account struct {
			AccountType  string        `xml:"AccountType"`
			Action       string        `xml:"Action"`
			RedirectURL  string        `xml:"RedirectUrl"`
			RedirectAddr string        `xml:"RedirectAddr"`
			Protocols    []xmlProtocol `xml:"Protocol"`
		} `xml:"Account"`
	} `xml:"Response"`
}

type xmlProtocol struct {
	Type         string `xml:"Type"`
	Server       string `xml:"Server"`
	Port         string `xml:"Port"`
	LoginName    string `xml:"LoginName"`
	SPA          string `xml:"SPA"`
	SSL          string `xml:"SSL"`
	Encryption   string `xml:"Encryption"`
	AuthRequired string `xml:"AuthRequired"`
}

// ParsePOX parses an Autodiscover POX response. Protocols it cannot use
// (EXCH, EXPR, WEB, ...) are skipped; an Error response is an error.
func ParsePOX(data []byte) (*POX, error) {
	if len(data) > MaxBody {
		return nil, i18n.Error("discover.err.pox-large", MaxBody)
	}
	var x xmlPOX
	if err := decodeXML(data, &x); err != nil {
		return nil, i18n.Error("discover.err.pox", err)
	}
	r := x.Response
	if r.Error != nil {
		return nil, i18n.Error("discover.err.pox-error", strings.TrimSpace(r.Error.Code), strings.TrimSpace(r.Error.Message))
	}
	p := &POX{
		Action:       strings.TrimSpace(r.Account.Action),
		RedirectURL:  strings.TrimSpace(r.Account.RedirectURL),
		RedirectAddr: strings.TrimSpace(r.Account.RedirectAddr),
		DisplayName:  strings.TrimSpace(r.User.DisplayName),
	}
	switch p.Action {
	case "redirectUrl":
		if !strings.HasPrefix(p.RedirectURL, "https://") {
			return nil, i18n.Error("discover.err.pox-redirect-http", p.RedirectURL)
		}
		return p, nil
	case "redirectAddr":
		if p.RedirectAddr == "" {
			return nil, i18n.Error("discover.err.pox-redirect-addr")
		}
		return p, nil
	case "settings", "":
		p.Action = "settings"
	default:
		return nil, i18n.Error("discover.err.pox-action", p.Action)
	}
	for _, pr := range r.Account.Protocols {
		srv, err := pr.server()
		if err != nil {
			continue
		}
		if srv.Protocol == account.SMTP {
			p.Outgoing = append(p.Outgoing, srv)
		} else {
			p.Incoming = append(p.Incoming, srv)
		}
	}
	if len(p.Incoming) == 0 || len(p.Outgoing) == 0 {
		return nil, i18n.Error("discover.err.pox-no-servers")
	}
	return p, nil
}

func (x xmlProtocol) server() (account.Server, error) {
	var s account.Server
	proto, err := account.ParseProtocol(x.Type)
	if err != nil {
		return s, err
	}
	s.Protocol = proto
	host, err := account.NormalizeHost(strings.TrimSpace(x.Server))
	if err != nil {
		return s, err
	}
	s.Host = host
	s.Port, err = strconv.Atoi(strings.TrimSpace(x.Port))
	if err != nil || s.Port < 1 || s.Port > 65535 {
		return s, i18n.Error("discover.err.port", x.Port)
	}
	on := func(v string, def bool) bool {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "on":
			return true
		case "off":
			return false
		}
		return def
	}
	switch strings.ToLower(strings.TrimSpace(x.Encryption)) {
	case "ssl":
		s.Security = account.TLS
	case "tls":
		s.Security = account.STARTTLS
	case "none":
		s.Security = account.None
	default: // "auto" or absent: SSL (default on) decides, the port tells which kind
		if !on(x.SSL, true) {
			s.Security = account.None
		} else if s.Port == account.DefaultPort(s.Protocol, account.TLS) {
			s.Security = account.TLS
		} else {
			s.Security = account.STARTTLS
		}
	}
	s.Auth = account.AuthPasswordCleartext
	if on(x.SPA, false) {
		s.Auth = account.AuthNTLM
	}
	if s.Protocol == account.SMTP && !on(x.AuthRequired, true) {
		s.Auth = account.AuthNone
	}
	s.Username = strings.TrimSpace(x.LoginName)
	if s.Username == "" {
		s.Username = account.PlaceholderAddress
	}
	return s, nil
}

// POXRequest returns the body a client POSTs to an Autodiscover URL for
// the address. It carries the address only, never a credential.
func POXRequest(addr account.Address) []byte {
	type req struct {
		XMLName xml.Name `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006 Autodiscover"`
		Request struct {
			EMailAddress             string
			AcceptableResponseSchema string
		}
	}
	var r req
	r.Request.EMailAddress = addr.String()
	r.Request.AcceptableResponseSchema = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	_ = enc.Encode(r)
	return b.Bytes()
}
