package autoconfig

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/termtext"
)

// MaxBody caps every document discovery reads: HTTP bodies and files.
const MaxBody = 1 << 20

// NoteKind classifies a provider note.
type NoteKind string

// Note kinds.
const (
	NoteAppPassword    NoteKind = "app-password"
	NoteOAuth2Required NoteKind = "oauth2-required"
	NoteEnableIMAP     NoteKind = "enable-imap"
	NoteEnablePOP3     NoteKind = "enable-pop3"
	NoteBridge         NoteKind = "bridge"
	NoteInfo           NoteKind = "info"
)

// Note is something the user must know about a provider, e.g. that it
// needs an app password.
type Note struct {
	Kind NoteKind `json:"kind"`
	Text string   `json:"text"`
	URL  string   `json:"url,omitempty"`
}

// Config is a parsed Mozilla autoconfig document (config-v1.1.xml; v1.2
// elements this package does not know are ignored, as the IETF draft
// requires).
type Config struct {
	ID          string
	Domains     []string
	DisplayName string
	ShortName   string
	// Incoming and Outgoing are in the document's preference order, with
	// placeholders not yet expanded.
	Incoming []account.Server
	Outgoing []account.Server
	// POP3 holds the <pop3> options of the first POP3 server, if any.
	POP3 *account.POP3Options
	// Info holds the document's texts beyond the servers:
	// <documentation>, <instruction url>, <enable> and <oAuth2>, bounded
	// (MaxInfoTexts entries of at most MaxInfoText bytes each).
	Info account.ProviderInfo
	// MX and Notes come from mailsetup's own extension element, read only
	// from the built-in database (LoadDB); ParseConfig, for documents from
	// the network, leaves them empty.
	MX    []string
	Notes []Note

	// ignored lists, for the discovery trail, what the parser ignored or
	// changed in the document (a <mailsetup> block in a remote file, an
	// out-of-range POP3 days value).
	ignored []ignoredPart
	// skipped are the servers the document lists that no client can use
	// (a bad port, socket type or host name; a type it does not know).
	skipped i18n.Errors
}

// ignoredPart is one thing the parser ignored or changed: what it did
// ("ignored mailsetup notes") and why.
type ignoredPart struct{ what, why i18n.Msg }

// Ignored lists what the parser ignored or changed in the document, in
// words for the discovery trail.
func (c *Config) Ignored() []string {
	var out []string
	for _, p := range c.ignored {
		en := i18n.New(i18n.EN)
		out = append(out, en.Render(p.what)+": "+en.Render(p.why))
	}
	return out
}

type xmlConfig struct {
	XMLName  xml.Name `xml:"clientConfig"`
	Provider struct {
		ID           string      `xml:"id,attr"`
		Domains      []string    `xml:"domain"`
		DisplayName  string      `xml:"displayName"`
		ShortName    string      `xml:"displayShortName"`
		Incoming     []xmlServer `xml:"incomingServer"`
		Outgoing     []xmlServer `xml:"outgoingServer"`
		Docs         []xmlLink   `xml:"documentation"`
		Instructions []xmlLink   `xml:"instruction"`
		Enable       []xmlEnable `xml:"enable"`
	} `xml:"emailProvider"`
	// Thunderbird's ISPDB puts <enable> and <oAuth2> beside
	// <emailProvider> as often as inside it.
	Enable []xmlEnable `xml:"enable"`
	OAuth2 *struct {
		Issuer   string `xml:"issuer"`
		Scope    string `xml:"scope"`
		AuthURL  string `xml:"authURL"`
		TokenURL string `xml:"tokenURL"`
	} `xml:"oAuth2"`
	Ext *struct {
		MX    []string `xml:"mx"`
		Notes []struct {
			Kind string `xml:"kind,attr"`
			URL  string `xml:"url,attr"`
			Text string `xml:",chardata"`
		} `xml:"note"`
	} `xml:"urn:mailsetup:provider:1 mailsetup"`
}

// ignoredExtension is the trail's word for a remote <mailsetup> block.
var ignoredExtension = ignoredPart{i18n.M("discover.ignored.notes"), i18n.M("discover.ignored.notes-why")}

// xmlLink is a <documentation url> or <instruction url> with its
// <descr lang> children.
type xmlLink struct {
	URL   string    `xml:"url,attr"`
	Descr []xmlText `xml:"descr"`
}

// xmlEnable is <enable visiturl> with its <instruction lang> children.
type xmlEnable struct {
	URL          string    `xml:"visiturl,attr"`
	Instructions []xmlText `xml:"instruction"`
}

type xmlText struct {
	Lang string `xml:"lang,attr"`
	Text string `xml:",chardata"`
}

// Limits on the provider texts a document may carry: they are shown to
// people, so a hostile document must not flood a terminal or a sheet.
const (
	// MaxInfoTexts is the most links, and texts per link or step, kept.
	MaxInfoTexts = 16
	// MaxInfoText is the most bytes kept of one text, cut at a character.
	MaxInfoText = 1000
)

// info reads the document's provider texts. Links must be absolute
// http(s) URLs without user information; others are dropped.
func (x *xmlConfig) info() account.ProviderInfo {
	var in account.ProviderInfo
	for _, l := range slices.Concat(x.Provider.Docs, x.Provider.Instructions) {
		if len(in.Documentation) == MaxInfoTexts {
			break
		}
		if u, ok := webURL(l.URL); ok {
			in.Documentation = append(in.Documentation, account.Link{URL: u, Descr: texts(l.Descr)})
		}
	}
	for _, e := range slices.Concat(x.Provider.Enable, x.Enable) {
		u, _ := webURL(e.URL)
		en := &account.Enable{URL: u, Instructions: texts(e.Instructions)}
		if en.URL != "" || len(en.Instructions) > 0 {
			in.Enable = en
			break
		}
	}
	if o := x.OAuth2; o != nil && strings.TrimSpace(o.Issuer) != "" {
		auth, _ := webURL(o.AuthURL)
		token, _ := webURL(o.TokenURL)
		in.OAuth2 = &account.OAuth2Info{Issuer: clipText(o.Issuer), Scope: clipText(o.Scope), AuthURL: auth, TokenURL: token}
	}
	return in
}

// texts keeps up to MaxInfoTexts non-empty texts, white space collapsed
// and each clipped to MaxInfoText bytes.
func texts(xs []xmlText) []account.Text {
	var out []account.Text
	for _, t := range xs {
		if len(out) == MaxInfoTexts {
			break
		}
		if v := clipText(t.Text); v != "" {
			out = append(out, account.Text{Lang: clipLang(t.Lang), Text: v})
		}
	}
	return out
}

func clipText(s string) string {
	return termtext.Clip(strings.Join(strings.Fields(s), " "), MaxInfoText)
}

// clipLang keeps a language tag only when it looks like one (letters,
// digits and hyphens, at most 35 bytes, as BCP 47 allows).
func clipLang(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 35 || strings.ContainsFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		return ""
	}
	return s
}

// webURL returns u when it is an absolute http or https URL with a host
// and no user information, at most MaxInfoText bytes.
func webURL(u string) (string, bool) {
	u = strings.TrimSpace(u)
	p, err := url.Parse(u)
	if err != nil || len(u) > MaxInfoText || (p.Scheme != "https" && p.Scheme != "http") || p.Hostname() == "" || p.User != nil || p.Opaque != "" {
		return "", false
	}
	return u, true
}

type xmlServer struct {
	Type           string   `xml:"type,attr"`
	Hostname       string   `xml:"hostname"`
	Port           string   `xml:"port"`
	SocketType     string   `xml:"socketType"`
	Username       string   `xml:"username"`
	Authentication []string `xml:"authentication"`
	POP3           *struct {
		Leave string `xml:"leaveMessagesOnServer"`
		Days  string `xml:"daysToLeaveMessagesOnServer"`
	} `xml:"pop3"`
}

// ParseConfig parses a config-v1.1.xml document from the network. It
// rejects documents over MaxBody, with a DOCTYPE (no entity tricks),
// without an incoming or an outgoing server it can use, and never panics.
// Servers of types it does not know (jmap, ews, ...) are skipped. A
// <mailsetup> block (notes and MX patterns) is ignored and listed in
// Ignored: only the built-in database may add mailsetup notes.
func ParseConfig(data []byte) (*Config, error) {
	c, x, err := parseConfig(data)
	if err != nil {
		return nil, err
	}
	if x.Ext != nil {
		c.ignored = append(c.ignored, ignoredExtension)
	}
	return c, nil
}

// parseBuiltinConfig parses a document of the built-in provider database:
// ParseConfig plus mailsetup's own <mailsetup> block, whose note URLs must
// be https.
func parseBuiltinConfig(data []byte) (*Config, error) {
	c, x, err := parseConfig(data)
	if err != nil {
		return nil, err
	}
	if x.Ext == nil {
		return c, nil
	}
	c.MX = x.Ext.MX
	for _, n := range x.Ext.Notes {
		if n.URL != "" && !httpsURL(n.URL) {
			return nil, fmt.Errorf("note URL %q is not an https:// URL", n.URL)
		}
		c.Notes = append(c.Notes, Note{Kind: NoteKind(n.Kind), Text: strings.Join(strings.Fields(n.Text), " "), URL: n.URL})
	}
	return c, nil
}

// httpsURL reports whether u is an absolute https URL with a host and no
// user information.
func httpsURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && p.Scheme == "https" && p.Host != "" && p.Hostname() != "" && p.User == nil && p.Opaque == ""
}

func parseConfig(data []byte) (*Config, *xmlConfig, error) {
	if len(data) > MaxBody {
		return nil, nil, i18n.Error("discover.err.doc-large", MaxBody)
	}
	x := new(xmlConfig)
	if err := decodeXML(data, x); err != nil {
		return nil, nil, i18n.Error("discover.err.doc", err)
	}
	p := x.Provider
	c := &Config{ID: strings.TrimSpace(p.ID), DisplayName: strings.TrimSpace(p.DisplayName), ShortName: strings.TrimSpace(p.ShortName)}
	for _, d := range p.Domains {
		if d = strings.ToLower(strings.TrimSpace(d)); d != "" {
			c.Domains = append(c.Domains, d)
		}
	}
	c.Info = x.info()
	var skipped i18n.Errors
	for _, s := range p.Incoming {
		srv, err := s.server()
		if err != nil {
			skipped = append(skipped, err)
			continue
		}
		if !srv.Protocol.Incoming() {
			skipped = append(skipped, i18n.Error("discover.err.incoming-type", s.Type))
			continue
		}
		c.Incoming = append(c.Incoming, srv)
		if srv.Protocol == account.POP3 && s.POP3 != nil && c.POP3 == nil {
			c.POP3 = s.pop3Options(c)
		}
	}
	for _, s := range p.Outgoing {
		srv, err := s.server()
		if err != nil || srv.Protocol != account.SMTP {
			if err != nil {
				skipped = append(skipped, err)
			}
			continue
		}
		c.Outgoing = append(c.Outgoing, srv)
	}
	c.skipped = skipped
	if len(c.Incoming) == 0 || len(c.Outgoing) == 0 {
		if len(skipped) > 0 {
			return nil, nil, i18n.Error("discover.err.doc-no-servers-why", skipped)
		}
		return nil, nil, i18n.Error("discover.err.doc-no-servers")
	}
	return c, x, nil
}

func (s xmlServer) server() (account.Server, error) {
	var srv account.Server
	proto, err := account.ParseProtocol(s.Type)
	if err != nil {
		return srv, i18n.Error("discover.err.server-type", err)
	}
	srv.Protocol = proto
	host := strings.TrimSpace(s.Hostname)
	if !strings.Contains(host, "%") {
		h, err := account.NormalizeHost(host)
		if err != nil {
			return srv, i18n.Error("discover.err.server-host", srv.Protocol.String(), err)
		}
		host = h
	}
	srv.Host = host
	port, err := strconv.Atoi(strings.TrimSpace(s.Port))
	if err != nil || port < 1 || port > 65535 {
		return srv, i18n.Error("discover.err.server-port", srv.Protocol.String(), host, s.Port)
	}
	srv.Port = port
	switch strings.ToUpper(strings.TrimSpace(s.SocketType)) {
	case "SSL", "TLS":
		srv.Security = account.TLS
	case "STARTTLS":
		srv.Security = account.STARTTLS
	case "PLAIN":
		srv.Security = account.None
	default:
		return srv, i18n.Error("discover.err.server-socket", srv.Protocol.String(), host, s.SocketType)
	}
	srv.Username = strings.TrimSpace(s.Username)
	// Every method in the document's order, each once; the first is
	// Auth. A method this parser does not know fails the server only
	// when it is the only one (clients skip the values they do not
	// know, as the v1.2 draft asks).
	var bad error
	for _, v := range s.Authentication {
		a, err := parseMozAuth(v)
		if err != nil {
			bad = cmp.Or(bad, err)
			continue
		}
		if !slices.Contains(srv.Auths, a) {
			srv.Auths = append(srv.Auths, a)
		}
	}
	switch {
	case len(srv.Auths) > 0:
		srv.Auth = srv.Auths[0]
		if len(srv.Auths) == 1 {
			srv.Auths = nil
		}
	case bad != nil:
		return srv, i18n.Error("discover.err.server", srv.Protocol.String(), host, bad)
	default:
		srv.Auth = account.AuthPasswordCleartext
	}
	return srv, nil
}

// pop3Options reads the <pop3> options. Days on the server are limited
// to 0–account.MaxDaysOnServer: a larger number is clamped, anything else
// that is not a day count is ignored, and both are listed in ignored.
func (s xmlServer) pop3Options(c *Config) *account.POP3Options {
	o := &account.POP3Options{LeaveOnServer: strings.TrimSpace(s.POP3.Leave) == "true"}
	v := strings.TrimSpace(s.POP3.Days)
	if v == "" || !o.LeaveOnServer {
		return o
	}
	d, err := strconv.ParseUint(v, 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange) || err == nil && d > account.MaxDaysOnServer:
		o.DaysOnServer = account.MaxDaysOnServer
		c.ignored = append(c.ignored, ignoredPart{
			i18n.M("discover.ignored.days-clamped", account.MaxDaysOnServer, v),
			i18n.M("discover.ignored.days-limit", account.MaxDaysOnServer)})
	case err != nil:
		c.ignored = append(c.ignored, ignoredPart{
			i18n.M("discover.ignored.days", v),
			i18n.M("discover.ignored.days-nan", account.MaxDaysOnServer)})
	default:
		o.DaysOnServer = int(d)
	}
	return o
}

// parseMozAuth maps Mozilla's <authentication> values.
func parseMozAuth(v string) (account.AuthMethod, error) {
	switch strings.TrimSpace(v) {
	case "password-cleartext", "plain":
		return account.AuthPasswordCleartext, nil
	case "password-encrypted", "secure":
		return account.AuthPasswordEncrypted, nil
	case "OAuth2":
		return account.AuthOAuth2, nil
	case "NTLM":
		return account.AuthNTLM, nil
	case "GSSAPI":
		return account.AuthGSSAPI, nil
	case "client-IP-address":
		return account.AuthClientIP, nil
	case "TLS-client-cert":
		return account.AuthTLSClientCert, nil
	case "none":
		return account.AuthNone, nil
	}
	return account.AuthUnset, i18n.Error("discover.err.auth", v)
}

// decodeXML decodes a document strictly enough to be safe: no DOCTYPE
// (so no entity expansion), bounded input, ordinary element handling.
func decodeXML(data []byte, v any) error {
	if bytes.Contains(data, []byte("<!DOCTYPE")) || bytes.Contains(data, []byte("<!ENTITY")) {
		return i18n.Error("discover.err.doctype")
	}
	d := xml.NewDecoder(io.LimitReader(bytes.NewReader(data), MaxBody))
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "us-ascii", "ascii":
			return in, nil
		}
		return nil, i18n.Error("discover.err.charset", label)
	}
	if err := d.Decode(v); err != nil {
		return i18n.Error("discover.err.xml", err)
	}
	return nil
}
