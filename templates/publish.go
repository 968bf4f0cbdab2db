package templates

import (
	"errors"
	"strings"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// Published is a domain's settings as a server publishes them for every
// user of the domain (mailsetup serve): the servers in the provider's
// order of preference, their usernames in placeholder form
// (%EMAILADDRESS%, %EMAILLOCALPART%, ...).
type Published struct {
	// Domains are the mail domains in ASCII form; the first is the
	// provider's id.
	Domains []string
	// DisplayName and ShortName name the provider; empty: the first
	// domain and its first label.
	DisplayName string
	ShortName   string
	// Incoming and Outgoing list the servers, the preferred one first.
	Incoming []account.Server
	Outgoing []account.Server
	// POP3 are the POP3 servers' options.
	POP3 *account.POP3Options
	// Provider holds the provider's pages and the step to enable access.
	Provider *account.ProviderInfo
}

// Account returns the account of the address addr with the first
// incoming and outgoing servers, usernames expanded.
func (p Published) Account(addr account.Address, name string) account.Account {
	a := account.Account{Email: addr, DisplayName: name, Provider: p.Provider,
		Provenance: account.Provenance{Source: account.SourceFile, Trust: account.Trusted}}
	if len(p.Incoming) > 0 {
		a.Incoming = p.Incoming[0]
		if a.Incoming.Protocol == account.POP3 && p.POP3 != nil {
			o := *p.POP3
			a.POP3 = &o
		}
	}
	if len(p.Outgoing) > 0 {
		a.Outgoing = p.Outgoing[0]
	}
	return a.Expand()
}

// AutoconfigXML writes the domain's config-v1.1.xml as a provider serves
// it at autoconfig.<domain>: every server in order, usernames as
// placeholders, the provider's enable step and pages.
func (p Published) AutoconfigXML() ([]byte, error) {
	if len(p.Domains) == 0 || len(p.Incoming) == 0 || len(p.Outgoing) == 0 {
		return nil, errors.New("a published domain needs a domain, an incoming and an outgoing server")
	}
	name, short := p.DisplayName, p.ShortName
	if name == "" {
		name = account.DisplayHost(p.Domains[0])
	}
	if short == "" {
		short, _, _ = strings.Cut(account.DisplayHost(p.Domains[0]), ".")
	}
	prov := tbProvider{ID: p.Domains[0], Domains: p.Domains, DisplayName: name, DisplayShortName: short}
	for _, s := range p.Incoming {
		prov.Incoming = append(prov.Incoming, tbServerFor(s, s.Username, true, p.POP3))
	}
	for _, s := range p.Outgoing {
		prov.Outgoing = append(prov.Outgoing, tbServerFor(s, s.Username, false, nil))
	}
	if info := p.Provider; info != nil {
		if e := info.Enable; e != nil {
			prov.Enable = &tbEnable{VisitURL: e.URL, Instructions: tbTexts(e.Instructions)}
		}
		for _, d := range info.Documentation {
			prov.Documentation = append(prov.Documentation, tbDoc{URL: d.URL, Descr: tbTexts(d.Descr)})
		}
	}
	return xmlDocument(tbClientConfig{Version: "1.1", Provider: prov})
}

func tbTexts(ts []account.Text) []tbText {
	out := make([]tbText, len(ts))
	for i, t := range ts {
		out[i] = tbText{Lang: t.Lang, Text: t.Text}
	}
	return out
}

// AutodiscoverXML writes the POX Autodiscover response for the address
// addr (name is the person's display name, or empty): every server in
// order with its username expanded for addr, each with the first of its
// authentication methods Outlook can use. Servers Outlook can use none
// of are left out; when no incoming or no outgoing server is left, the
// error wraps ErrAuthUnsupported.
func (p Published) AutodiscoverXML(addr account.Address, name string) ([]byte, error) {
	pick := func(list []account.Server) ([]account.Server, error) {
		var out []account.Server
		var err error
		for _, s := range list {
			s.Host = account.Expand(s.Host, addr, name)
			s.Username = account.Expand(s.Username, addr, name)
			m, ok := s.FirstMethod(outlookSupports)
			if !ok {
				err = i18n.WrapError(ErrAuthUnsupported, "err.auth.outlook", s.String(), methodNames(s.Methods()))
				continue
			}
			out = append(out, s.WithAuth(m))
		}
		if len(out) == 0 {
			if err == nil {
				err = errors.New("no server")
			}
			return nil, err
		}
		return out, nil
	}
	in, err := pick(p.Incoming)
	if err != nil {
		return nil, err
	}
	out, err := pick(p.Outgoing)
	if err != nil {
		return nil, err
	}
	return poxResponse(name, in, out)
}
