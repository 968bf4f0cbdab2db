package providers

import (
	"bytes"
	"encoding/xml"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The test decodes the documents into its own structs, independent of the
// autoconfig package, so that a mistake there cannot hide one here.

type doc struct {
	XMLName  xml.Name `xml:"clientConfig"`
	Version  string   `xml:"version,attr"`
	Provider struct {
		ID          string   `xml:"id,attr"`
		Domains     []string `xml:"domain"`
		DisplayName string   `xml:"displayName"`
		ShortName   string   `xml:"displayShortName"`
		Incoming    []srv    `xml:"incomingServer"`
		Outgoing    []srv    `xml:"outgoingServer"`
		Docs        []struct {
			URL   string `xml:"url,attr"`
			Descr []struct {
				Lang string `xml:"lang,attr"`
				Text string `xml:",chardata"`
			} `xml:"descr"`
		} `xml:"documentation"`
	} `xml:"emailProvider"`
	Ext *struct {
		MX    []string `xml:"mx"`
		Notes []note   `xml:"note"`
	} `xml:"urn:mailsetup:provider:1 mailsetup"`
}

type srv struct {
	Type       string   `xml:"type,attr"`
	Hostname   string   `xml:"hostname"`
	Port       string   `xml:"port"`
	SocketType string   `xml:"socketType"`
	Username   string   `xml:"username"`
	Auth       []string `xml:"authentication"`
}

type note struct {
	Kind string `xml:"kind,attr"`
	URL  string `xml:"url,attr"`
	Text string `xml:",chardata"`
}

type entry struct {
	file string
	doc  doc
	mx   []string
	note []note
}

func loadAll(t *testing.T) []entry {
	t.Helper()
	names, err := fs.Glob(FS, "*.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no provider documents are embedded")
	}
	sort.Strings(names)
	var out []entry
	for _, n := range names {
		data, err := fs.ReadFile(FS, n)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
			t.Errorf("%s: does not start with the UTF-8 XML declaration", n)
		}
		if bytes.Contains(data, []byte("<!DOCTYPE")) || bytes.Contains(data, []byte("<!ENTITY")) {
			t.Errorf("%s: has a document type declaration", n)
		}
		var d doc
		dec := xml.NewDecoder(bytes.NewReader(data))
		dec.Strict = true
		if err := dec.Decode(&d); err != nil {
			t.Errorf("%s: does not parse: %v", n, err)
			continue
		}
		e := entry{file: n, doc: d}
		if d.Ext != nil {
			e.mx, e.note = d.Ext.MX, d.Ext.Notes
		} else if bytes.Contains(data, []byte("<mailsetup")) {
			t.Errorf("%s: <mailsetup> is not in the urn:mailsetup:provider:1 namespace", n)
		}
		out = append(out, e)
	}
	return out
}

// validHost reports whether h is a lower-case ASCII host name of at least
// two labels (IDNs in their xn-- form), with a non-numeric top label.
func validHost(h string) bool {
	if len(h) == 0 || len(h) > 253 || h != strings.ToLower(h) {
		return false
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range l {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
		if strings.HasPrefix(l, "xn--") && len(l) == 4 {
			return false
		}
	}
	top := labels[len(labels)-1]
	if _, err := strconv.Atoi(top); err == nil {
		return false
	}
	return true
}

// publicSecondLevel holds second-level labels used as public suffixes
// (co.uk, com.au, ...): a wildcard must not cover a whole such zone.
var publicSecondLevel = map[string]bool{
	"co": true, "com": true, "net": true, "org": true, "ac": true, "gov": true,
	"edu": true, "ne": true, "or": true, "go": true, "gob": true, "nom": true,
}

func mxPatternOK(p string) bool {
	if rest, ok := strings.CutPrefix(p, "*."); ok {
		if !validHost(rest) {
			return false
		}
		labels := strings.Split(rest, ".")
		// "*.com" is refused by validHost (one label); "*.co.uk" here.
		if len(labels) == 2 && publicSecondLevel[labels[0]] {
			return false
		}
		return true
	}
	return validHost(p)
}

var (
	socketTypes = map[string]bool{"SSL": true, "STARTTLS": true, "plain": true}
	authMethods = map[string]bool{"password-cleartext": true, "password-encrypted": true, "OAuth2": true, "none": true}
	noteKinds   = map[string]bool{"app-password": true, "oauth2-required": true, "enable-imap": true, "enable-pop3": true, "bridge": true, "info": true}
	usernames   = map[string]bool{"%EMAILADDRESS%": true, "%EMAILLOCALPART%": true}
)

func httpsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && validHost(u.Hostname())
}

func checkServer(t *testing.T, where string, s srv, outgoing bool) {
	t.Helper()
	if outgoing && s.Type != "smtp" {
		t.Errorf("%s: outgoing server type %q, want smtp", where, s.Type)
	}
	if !outgoing && s.Type != "imap" && s.Type != "pop3" {
		t.Errorf("%s: incoming server type %q, want imap or pop3", where, s.Type)
	}
	bridge := s.Hostname == "127.0.0.1"
	if !bridge && !validHost(s.Hostname) {
		t.Errorf("%s: bad hostname %q", where, s.Hostname)
	}
	if p, err := strconv.Atoi(s.Port); err != nil || p < 1 || p > 65535 || strconv.Itoa(p) != s.Port {
		t.Errorf("%s: bad port %q", where, s.Port)
	}
	if !socketTypes[s.SocketType] {
		t.Errorf("%s: socketType %q not one of SSL, STARTTLS, plain", where, s.SocketType)
	}
	if s.SocketType == "plain" && !bridge {
		t.Errorf("%s: plain socketType is only allowed for a local bridge on 127.0.0.1", where)
	}
	if !usernames[s.Username] {
		t.Errorf("%s: username %q is not %%EMAILADDRESS%% or %%EMAILLOCALPART%%", where, s.Username)
	}
	if len(s.Auth) == 0 {
		t.Errorf("%s: no <authentication>", where)
	}
	// In the provider's order of preference, as the ISPDB lists them
	// (OAuth2 first, then the password fallback, for many).
	seen := map[string]bool{}
	for _, a := range s.Auth {
		if !authMethods[a] {
			t.Errorf("%s: authentication %q not allowed", where, a)
		}
		if seen[a] {
			t.Errorf("%s: authentication %q listed twice", where, a)
		}
		seen[a] = true
	}
}

func TestProviders(t *testing.T) {
	all := loadAll(t)
	domainOwner := map[string]string{}
	idOwner := map[string]string{}
	mxOwner := map[string]string{}
	totalDomains := 0
	for _, e := range all {
		p := e.doc.Provider
		where := e.file
		if e.doc.Version != "1.1" {
			t.Errorf("%s: clientConfig version %q, want 1.1", where, e.doc.Version)
		}
		id := strings.TrimSpace(p.ID)
		if id == "" {
			t.Errorf("%s: emailProvider id is empty", where)
		} else if want := strings.TrimSuffix(e.file, ".xml"); id != want {
			t.Errorf("%s: emailProvider id %q does not match the file name", where, id)
		}
		if other, dup := idOwner[id]; dup {
			t.Errorf("%s: id %q is also used by %s", where, id, other)
		}
		idOwner[id] = e.file
		if strings.TrimSpace(p.DisplayName) == "" || strings.TrimSpace(p.ShortName) == "" {
			t.Errorf("%s: displayName and displayShortName are required", where)
		}
		if len(p.Domains) == 0 {
			t.Errorf("%s: no <domain> (use the provider's own domain for MX-only entries)", where)
		}
		for _, d := range p.Domains {
			totalDomains++
			if !validHost(d) {
				t.Errorf("%s: domain %q is not a lower-case ASCII (IDNA) domain name", where, d)
			}
			if other, dup := domainOwner[d]; dup {
				t.Errorf("%s: domain %s is also in %s", where, d, other)
			}
			domainOwner[d] = e.file
		}
		if len(p.Incoming) == 0 || len(p.Outgoing) == 0 {
			t.Errorf("%s: needs at least one incoming and one outgoing server", where)
		}
		seenPOP := false
		for i, s := range p.Incoming {
			checkServer(t, where+": incoming #"+strconv.Itoa(i+1), s, false)
			if s.Type == "pop3" {
				seenPOP = true
			} else if s.Type == "imap" && seenPOP {
				t.Errorf("%s: IMAP servers must be listed before POP3 servers", where)
			}
		}
		for i, s := range p.Outgoing {
			checkServer(t, where+": outgoing #"+strconv.Itoa(i+1), s, true)
		}
		if len(p.Docs) == 0 || !httpsURL(p.Docs[0].URL) {
			t.Errorf("%s: needs a <documentation url> with the provider's https help page", where)
		}
		for _, d := range p.Docs {
			if len(d.Descr) == 0 || strings.TrimSpace(d.Descr[0].Text) == "" {
				t.Errorf("%s: <documentation> needs a <descr>", where)
			}
		}

		// Notes.
		kinds := map[string]bool{}
		for _, n := range e.note {
			kinds[n.Kind] = true
			if !noteKinds[n.Kind] {
				t.Errorf("%s: note kind %q not allowed", where, n.Kind)
			}
			text := strings.Join(strings.Fields(n.Text), " ")
			if text == "" {
				t.Errorf("%s: empty %s note", where, n.Kind)
			} else if !strings.HasSuffix(text, ".") || strings.Count(strings.TrimSuffix(text, "."), ". ") > 0 {
				t.Errorf("%s: %s note should be one sentence: %q", where, n.Kind, text)
			}
			if n.URL != "" && !httpsURL(n.URL) {
				t.Errorf("%s: note URL %q is not https", where, n.URL)
			}
		}
		// Servers that take only OAuth2 go with an oauth2-required note,
		// and back.
		oauthOnly := false
		for _, s := range append(append([]srv{}, p.Incoming...), p.Outgoing...) {
			if len(s.Auth) > 0 && !slices.ContainsFunc(s.Auth, func(a string) bool { return a != "OAuth2" }) {
				oauthOnly = true
			}
		}
		if oauthOnly != kinds["oauth2-required"] {
			t.Errorf("%s: servers that only take OAuth2 and an oauth2-required note must go together", where)
		}
		// A local bridge goes with a bridge note.
		for _, s := range append(append([]srv{}, p.Incoming...), p.Outgoing...) {
			if s.Hostname == "127.0.0.1" && !kinds["bridge"] {
				t.Errorf("%s: a server on 127.0.0.1 needs a bridge note", where)
			}
		}

		// MX patterns.
		for _, m := range e.mx {
			if !mxPatternOK(m) {
				t.Errorf("%s: MX pattern %q is malformed or too broad", where, m)
			}
			if other, dup := mxOwner[m]; dup {
				t.Errorf("%s: MX pattern %s is also in %s", where, m, other)
			}
			mxOwner[m] = e.file
		}
	}
	if len(all) < 40 {
		t.Errorf("%d providers, want at least 40", len(all))
	}
	t.Logf("%d providers, %d domains, %d MX patterns", len(all), totalDomains, len(mxOwner))
}

func TestMXPatternCheck(t *testing.T) {
	for p, want := range map[string]bool{
		"*.google.com":                  true,
		"aspmx.l.google.com":            true,
		"*.mail.protection.outlook.com": true,
		"*.co.uk":                       false,
		"*.com":                         false,
		"*":                             false,
		"*.":                            false,
		"com":                           false,
		"*.*.example.com":               false,
		"*.Example.com":                 false,
		"mx.example.com.":               false,
		"*.1and1.co.uk":                 true,
	} {
		if got := mxPatternOK(p); got != want {
			t.Errorf("mxPatternOK(%q) = %v, want %v", p, got, want)
		}
	}
}

// lookups mirror what discovery does: a mail domain first, then the MX host
// (exact names before wildcards, the longest wildcard first).
type index struct {
	byDomain map[string]entry
	exact    map[string]entry
	wild     []struct {
		suffix string
		e      entry
	}
}

func newIndex(all []entry) *index {
	ix := &index{byDomain: map[string]entry{}, exact: map[string]entry{}}
	for _, e := range all {
		for _, d := range e.doc.Provider.Domains {
			ix.byDomain[d] = e
		}
		for _, m := range e.mx {
			if rest, ok := strings.CutPrefix(m, "*"); ok {
				ix.wild = append(ix.wild, struct {
					suffix string
					e      entry
				}{rest, e})
			} else {
				ix.exact[m] = e
			}
		}
	}
	sort.SliceStable(ix.wild, func(i, j int) bool { return len(ix.wild[i].suffix) > len(ix.wild[j].suffix) })
	return ix
}

func (ix *index) mx(host string) (entry, bool) {
	if e, ok := ix.exact[host]; ok {
		return e, true
	}
	for _, w := range ix.wild {
		if strings.HasSuffix(host, w.suffix) && len(host) > len(w.suffix) {
			return w.e, true
		}
	}
	return entry{}, false
}

func first(ss []srv, typ string) (srv, bool) {
	for _, s := range ss {
		if s.Type == typ {
			return s, true
		}
	}
	return srv{}, false
}

func TestWellKnownFacts(t *testing.T) {
	ix := newIndex(loadAll(t))
	type want struct {
		host, port, socket, user string
	}
	tests := []struct {
		domain string
		typ    string // imap, pop3 or smtp: the first server of that type
		want   want
	}{
		{"gmail.com", "imap", want{"imap.gmail.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"googlemail.com", "smtp", want{"smtp.gmail.com", "465", "SSL", "%EMAILADDRESS%"}},
		{"gmail.com", "pop3", want{"pop.gmail.com", "995", "SSL", "%EMAILADDRESS%"}},
		{"hotmail.com", "imap", want{"outlook.office365.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"hotmail.co.uk", "smtp", want{"smtp-mail.outlook.com", "587", "STARTTLS", "%EMAILADDRESS%"}},
		{"live.de", "imap", want{"outlook.office365.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"outlook.fr", "imap", want{"outlook.office365.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"msn.com", "imap", want{"outlook.office365.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"yahoo.com", "imap", want{"imap.mail.yahoo.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"yahoo.co.uk", "imap", want{"imap.mail.yahoo.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"ymail.com", "smtp", want{"smtp.mail.yahoo.com", "465", "SSL", "%EMAILADDRESS%"}},
		{"rocketmail.com", "pop3", want{"pop.mail.yahoo.com", "995", "SSL", "%EMAILADDRESS%"}},
		{"aol.com", "imap", want{"imap.aol.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"aim.com", "smtp", want{"smtp.aol.com", "465", "SSL", "%EMAILADDRESS%"}},
		{"verizon.net", "imap", want{"imap.aol.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"icloud.com", "imap", want{"imap.mail.me.com", "993", "SSL", "%EMAILLOCALPART%"}},
		{"me.com", "smtp", want{"smtp.mail.me.com", "587", "STARTTLS", "%EMAILADDRESS%"}},
		{"mac.com", "imap", want{"imap.mail.me.com", "993", "SSL", "%EMAILLOCALPART%"}},
		{"gmx.de", "imap", want{"imap.gmx.net", "993", "SSL", "%EMAILADDRESS%"}},
		{"gmx.net", "smtp", want{"mail.gmx.net", "465", "SSL", "%EMAILADDRESS%"}},
		{"gmx.com", "imap", want{"imap.gmx.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"web.de", "imap", want{"imap.web.de", "993", "SSL", "%EMAILLOCALPART%"}},
		{"mail.com", "imap", want{"imap.mail.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"email.com", "imap", want{"imap.mail.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"yandex.ru", "imap", want{"imap.yandex.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"mail.ru", "imap", want{"imap.mail.ru", "993", "SSL", "%EMAILADDRESS%"}},
		{"bk.ru", "smtp", want{"smtp.mail.ru", "465", "SSL", "%EMAILADDRESS%"}},
		{"zoho.com", "imap", want{"imap.zoho.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"fastmail.com", "imap", want{"imap.fastmail.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"fastmail.fm", "smtp", want{"smtp.fastmail.com", "465", "SSL", "%EMAILADDRESS%"}},
		{"proton.me", "imap", want{"127.0.0.1", "1143", "STARTTLS", "%EMAILADDRESS%"}},
		{"protonmail.com", "smtp", want{"127.0.0.1", "1025", "STARTTLS", "%EMAILADDRESS%"}},
		{"t-online.de", "imap", want{"secureimap.t-online.de", "993", "SSL", "%EMAILADDRESS%"}},
		{"magenta.de", "smtp", want{"securesmtp.t-online.de", "465", "SSL", "%EMAILADDRESS%"}},
		{"wanadoo.fr", "imap", want{"imap.orange.fr", "993", "SSL", "%EMAILADDRESS%"}},
		{"free.fr", "imap", want{"imap.free.fr", "993", "SSL", "%EMAILLOCALPART%"}},
		{"libero.it", "imap", want{"imapmail.libero.it", "993", "SSL", "%EMAILADDRESS%"}},
		{"inwind.it", "smtp", want{"smtp.libero.it", "465", "SSL", "%EMAILADDRESS%"}},
		{"seznam.cz", "imap", want{"imap.seznam.cz", "993", "SSL", "%EMAILADDRESS%"}},
		{"email.cz", "imap", want{"imap.seznam.cz", "993", "SSL", "%EMAILADDRESS%"}},
		{"wp.pl", "imap", want{"imap.wp.pl", "993", "SSL", "%EMAILLOCALPART%"}},
		{"op.pl", "imap", want{"imap.poczta.onet.pl", "993", "SSL", "%EMAILADDRESS%"}},
		{"poczta.fm", "imap", want{"poczta.interia.pl", "993", "SSL", "%EMAILADDRESS%"}},
		{"tlen.pl", "imap", want{"poczta.o2.pl", "993", "SSL", "%EMAILLOCALPART%"}},
		{"comcast.net", "imap", want{"imap.comcast.net", "993", "SSL", "%EMAILADDRESS%"}},
		{"sbcglobal.net", "imap", want{"imap.mail.att.net", "993", "SSL", "%EMAILADDRESS%"}},
		{"bellsouth.net", "smtp", want{"outbound.att.net", "465", "SSL", "%EMAILADDRESS%"}},
		{"lenta.ru", "imap", want{"imap.rambler.ru", "993", "SSL", "%EMAILADDRESS%"}},
		{"bluewin.ch", "imap", want{"imaps.bluewin.ch", "993", "SSL", "%EMAILADDRESS%"}},
		{"posteo.de", "imap", want{"posteo.de", "993", "SSL", "%EMAILADDRESS%"}},
		{"qq.com", "imap", want{"imap.qq.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"163.com", "imap", want{"imap.163.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"126.com", "smtp", want{"smtp.126.com", "465", "SSL", "%EMAILADDRESS%"}},
		{"btinternet.com", "imap", want{"mail.btinternet.com", "993", "SSL", "%EMAILADDRESS%"}},
		{"cox.net", "imap", want{"imap.mail.yahoo.com", "993", "SSL", "%EMAILADDRESS%"}},
	}
	for _, tt := range tests {
		e, ok := ix.byDomain[tt.domain]
		if !ok {
			t.Errorf("%s: no provider", tt.domain)
			continue
		}
		servers := e.doc.Provider.Incoming
		if tt.typ == "smtp" {
			servers = e.doc.Provider.Outgoing
		}
		s, ok := first(servers, tt.typ)
		if !ok {
			t.Errorf("%s (%s): no %s server", tt.domain, e.file, tt.typ)
			continue
		}
		got := want{s.Hostname, s.Port, s.SocketType, s.Username}
		if got != tt.want {
			t.Errorf("%s (%s): first %s server = %+v, want %+v", tt.domain, e.file, tt.typ, got, tt.want)
		}
	}

	// Which file must serve which domain (families that share servers but
	// are kept apart, and providers reached only by MX).
	for domain, file := range map[string]string{
		"gmail.com":    "gmail.com.xml",
		"google.com":   "google.com.xml",
		"hotmail.fr":   "outlook.com.xml",
		"hotmail.de":   "outlook.com.xml",
		"hotmail.it":   "outlook.com.xml",
		"hotmail.es":   "outlook.com.xml",
		"live.co.uk":   "outlook.com.xml",
		"live.fr":      "outlook.com.xml",
		"live.nl":      "outlook.com.xml",
		"live.com.au":  "outlook.com.xml",
		"outlook.de":   "outlook.com.xml",
		"yahoo.fr":     "yahoo.com.xml",
		"yahoo.de":     "yahoo.com.xml",
		"yahoo.it":     "yahoo.com.xml",
		"yahoo.es":     "yahoo.com.xml",
		"yahoo.ca":     "yahoo.com.xml",
		"yahoo.com.au": "yahoo.com.xml",
		"yahoo.com.br": "yahoo.com.xml",
		"yahoo.co.in":  "yahoo.com.xml",
		"gmx.at":       "gmx.net.xml",
		"gmx.ch":       "gmx.net.xml",
		"gmx.us":       "gmx.com.xml",
		"gmx.co.uk":    "gmx.com.xml",
		"usa.com":      "mail.com.xml",
		"post.com":     "mail.com.xml",
		"inbox.ru":     "mail.ru.xml",
		"list.ru":      "mail.ru.xml",
		"internet.ru":  "mail.ru.xml",
		"iol.it":       "libero.it.xml",
		"blu.it":       "libero.it.xml",
		"giallo.it":    "libero.it.xml",
		"post.cz":      "seznam.cz.xml",
		"spoluzaci.cz": "seznam.cz.xml",
		"vp.pl":        "onet.pl.xml",
		"onet.eu":      "onet.pl.xml",
		"interia.eu":   "interia.pl.xml",
		"go2.pl":       "o2.pl.xml",
		"ro.ru":        "rambler.ru.xml",
		"pm.me":        "proton.me.xml",
		"foxmail.com":  "qq.com.xml",
		"yeah.net":     "yeah.net.xml",
		"virgilio.it":  "virgilio.it.xml",
		"cox.net":      "cox.net.xml",
	} {
		e, ok := ix.byDomain[domain]
		if !ok || e.file != file {
			t.Errorf("domain %s: served by %q, want %s", domain, e.file, file)
		}
	}

	for host, file := range map[string]string{
		"aspmx.l.google.com":                           "google.com.xml",
		"alt1.aspmx.l.google.com":                      "google.com.xml",
		"smtp.google.com":                              "google.com.xml",
		"aspmx2.googlemail.com":                        "google.com.xml",
		"contoso-com.mail.protection.outlook.com":      "office365.com.xml",
		"outlook-com.olc.protection.outlook.com":       "outlook.com.xml",
		"mx01.mail.icloud.com":                         "icloud.com.xml",
		"in1-smtp.messagingengine.com":                 "fastmail.com.xml",
		"mail.protonmail.ch":                           "proton.me.xml",
		"mx.yandex.net":                                "yandex.ru.xml",
		"mx.zoho.com":                                  "zohocorp.com.xml",
		"mx00.ionos.de":                                "ionos.de.xml",
		"mx00.kundenserver.de":                         "ionos.de.xml",
		"mx00.ionos.co.uk":                             "ionos.co.uk.xml",
		"mx00.ionos.com":                               "ionos.com.xml",
		"mx1.mail.ovh.net":                             "ovh.net.xml",
		"mailstore1.secureserver.net":                  "secureserver.net.xml",
		"mx1.emailsrvr.com":                            "emailsrvr.com.xml",
		"mx1.privateemail.com":                         "privateemail.com.xml",
		"mx1.hostinger.com":                            "hostinger.com.xml",
		"smtpin.rzone.de":                              "strato.de.xml",
		"mxext1.mailbox.org":                           "mailbox.org.xml",
		"mta5.am0.yahoodns.net":                        "yahoo.com.xml",
		"mx00.gmx.net":                                 "gmx.net.xml",
		"mx00.mail.com":                                "mail.com.xml",
		"mx.aruba.it":                                  "aruba.it.xml",
		"google.com":                                   "",
		"example.com":                                  "",
		"mail.protection.outlook.com.attacker.example": "",
	} {
		e, ok := ix.mx(host)
		if file == "" {
			if ok {
				t.Errorf("MX %s: matched %s, want no match", host, e.file)
			}
			continue
		}
		if !ok || e.file != file {
			t.Errorf("MX %s: matched %q, want %s", host, e.file, file)
		}
	}

	// Notes that helpdesks rely on.
	for domain, kind := range map[string]string{
		"gmail.com":   "app-password",
		"yahoo.com":   "app-password",
		"aol.com":     "app-password",
		"icloud.com":  "app-password",
		"att.net":     "app-password",
		"t-online.de": "app-password",
		"hotmail.com": "oauth2-required",
		"google.com":  "app-password",
		"proton.me":   "bridge",
		"gmx.de":      "enable-imap",
		"web.de":      "enable-imap",
	} {
		e := ix.byDomain[domain]
		found := false
		for _, n := range e.note {
			found = found || n.Kind == kind
		}
		if !found {
			t.Errorf("%s (%s): no %s note", domain, e.file, kind)
		}
	}
	// Providers without POP3 (iCloud never had it; Onet dropped it in 2026).
	for _, domain := range []string{"icloud.com", "onet.pl"} {
		if _, ok := first(ix.byDomain[domain].doc.Provider.Incoming, "pop3"); ok {
			t.Errorf("%s: lists a POP3 server, but the provider offers none", domain)
		}
	}
	if e, ok := ix.mx("x.mail.protection.outlook.com"); ok {
		if s, _ := first(e.doc.Provider.Outgoing, "smtp"); s.Hostname != "smtp.office365.com" {
			t.Errorf("Microsoft 365 SMTP = %q, want smtp.office365.com", s.Hostname)
		}
	}
}

// The file name is the provider id, and embed must not pick up anything
// else: own documents at the root, the ISPDB copy's documents in ispdb/.
func TestEmbeddedNames(t *testing.T) {
	err := fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && p != "ispdb" {
				t.Errorf("unexpected directory %s", p)
			}
			return nil
		}
		if path.Ext(p) != ".xml" {
			t.Errorf("unexpected embedded file %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ispdb, _ := fs.Glob(FS, "ispdb/*.xml"); len(ispdb) == 0 {
		t.Error("the ISPDB copy is not embedded")
	}
}
