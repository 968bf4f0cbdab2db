package autoconfig

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
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
	// Docs is the first <documentation url>.
	Docs string
	// MX and Notes come from mailsetup's own extension element, read only
	// from the built-in database (LoadDB); ParseConfig, for documents from
	// the network, leaves them empty.
	MX    []string
	Notes []Note

	// ignored lists, for the discovery trail, what the parser ignored or
	// changed in the document (a <mailsetup> block in a remote file, an
	// out-of-range POP3 days value).
	ignored []ignoredPart
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
		ID          string      `xml:"id,attr"`
		Domains     []string    `xml:"domain"`
		DisplayName string      `xml:"displayName"`
		ShortName   string      `xml:"displayShortName"`
		Incoming    []xmlServer `xml:"incomingServer"`
		Outgoing    []xmlServer `xml:"outgoingServer"`
		Docs        []struct {
			URL string `xml:"url,attr"`
		} `xml:"documentation"`
	} `xml:"emailProvider"`
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
	for _, d := range p.Docs {
		if c.Docs == "" && strings.HasPrefix(d.URL, "https://") {
			c.Docs = d.URL
		}
	}
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
	srv.Auth = account.AuthPasswordCleartext
	if len(s.Authentication) > 0 {
		a, err := parseMozAuth(s.Authentication[0])
		if err != nil {
			return srv, i18n.Error("discover.err.server", srv.Protocol.String(), host, err)
		}
		srv.Auth = a
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
