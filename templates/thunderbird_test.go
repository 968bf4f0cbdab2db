package templates

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
)

func TestThunderbirdGolden(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			files := renderOne(t, "thunderbird", f.acct, Options{})
			for _, name := range []string{"config-v1.1.xml", "config-v1.1-domain.xml", "user.js"} {
				file, ok := files[name]
				if !ok {
					t.Fatalf("no %s", name)
				}
				golden(t, "thunderbird/"+f.name+"/"+name, file.Data)
			}
			if len(files) != 3 {
				t.Errorf("got %d files, want 3", len(files))
			}
		})
	}
}

// Independent reading of config-v1.1.xml.
type autoconfigDoc struct {
	XMLName  xml.Name `xml:"clientConfig"`
	Version  string   `xml:"version,attr"`
	Provider struct {
		ID               string             `xml:"id,attr"`
		Domain           []string           `xml:"domain"`
		DisplayName      string             `xml:"displayName"`
		DisplayShortName string             `xml:"displayShortName"`
		Incoming         []autoconfigServer `xml:"incomingServer"`
		Outgoing         []autoconfigServer `xml:"outgoingServer"`
	} `xml:"emailProvider"`
}

type autoconfigServer struct {
	Type           string   `xml:"type,attr"`
	Hostname       string   `xml:"hostname"`
	Port           string   `xml:"port"`
	SocketType     []string `xml:"socketType"`
	Username       string   `xml:"username"`
	Authentication []string `xml:"authentication"`
	POP3           *struct {
		Leave    string     `xml:"leaveMessagesOnServer"`
		Days     string     `xml:"daysToLeaveMessagesOnServer"`
		OnBiff   string     `xml:"downloadOnBiff"`
		Elements []xml.Name `xml:",any"`
	} `xml:"pop3"`
}

func parseAutoconfig(t *testing.T, data []byte) autoconfigDoc {
	t.Helper()
	var doc autoconfigDoc
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	if err := d.Decode(&doc); err != nil {
		t.Fatalf("config-v1.1.xml: %v", err)
	}
	if !bytes.HasPrefix(data, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Error("no XML declaration")
	}
	return doc
}

func checkAutoconfigServer(t *testing.T, where string, got autoconfigServer, s account.Server, wantUser string) {
	t.Helper()
	socket := map[account.Security]string{account.TLS: "SSL", account.STARTTLS: "STARTTLS", account.None: "plain"}[s.Security]
	port, err := strconv.Atoi(got.Port)
	switch {
	case got.Type != s.Protocol.String():
		t.Errorf("%s: type %q, want %q", where, got.Type, s.Protocol)
	case got.Hostname != s.Host:
		t.Errorf("%s: hostname %q, want %q", where, got.Hostname, s.Host)
	case err != nil || port != s.Port || got.Port != strconv.Itoa(port):
		t.Errorf("%s: port %q, want %d", where, got.Port, s.Port)
	case len(got.SocketType) != 1 || got.SocketType[0] != socket:
		t.Errorf("%s: socketType %q, want %q", where, got.SocketType, socket)
	case got.Username != wantUser:
		t.Errorf("%s: username %q, want %q", where, got.Username, wantUser)
	case !slices.Equal(got.Authentication, autoconfigAuths(s)):
		// Every method the provider listed, in its order: Thunderbird
		// takes the first it supports (OAuth2 for compuserve.com).
		t.Errorf("%s: authentication %q, want %q", where, got.Authentication, autoconfigAuths(s))
	}
}

// autoconfigAuths is the <authentication> list Thunderbird reads for s's
// methods, as readFromXML spells them.
func autoconfigAuths(s account.Server) []string {
	names := map[account.AuthMethod]string{account.AuthPasswordCleartext: "password-cleartext", account.AuthOAuth2: "OAuth2"}
	var out []string
	for _, m := range s.Methods() {
		out = append(out, names[m])
	}
	return out
}

func TestThunderbirdAutoconfigParseBack(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			a := f.acct.Expand()
			files := renderOne(t, "thunderbird", f.acct, Options{})
			for _, name := range []string{"config-v1.1.xml", "config-v1.1-domain.xml"} {
				doc := parseAutoconfig(t, files[name].Data)
				p := doc.Provider
				if doc.Version != "1.1" || p.ID != a.Email.Domain() || len(p.Domain) != 1 || p.Domain[0] != a.Email.Domain() {
					t.Errorf("%s: version %q id %q domains %q", name, doc.Version, p.ID, p.Domain)
				}
				if p.DisplayName == "" || p.DisplayShortName == "" {
					t.Errorf("%s: empty display names", name)
				}
				if len(p.Incoming) != 1 || len(p.Outgoing) != 1 {
					t.Fatalf("%s: %d incoming, %d outgoing servers", name, len(p.Incoming), len(p.Outgoing))
				}
				inUser, outUser := a.Incoming.Username, a.Outgoing.Username
				if name == "config-v1.1-domain.xml" {
					inUser, outUser = f.acct.Incoming.Username, f.acct.Outgoing.Username
					for _, u := range []*string{&inUser, &outUser} {
						switch *u {
						case a.Email.String():
							*u = "%EMAILADDRESS%"
						case a.Email.LocalPart():
							*u = "%EMAILLOCALPART%"
						}
					}
					if a.DisplayName != "" && bytes.Contains(files[name].Data, []byte(a.DisplayName)) {
						t.Errorf("%s holds the personal name", name)
					}
					if bytes.Contains(files[name].Data, []byte(a.Email.LocalPart()+"@")) {
						t.Errorf("%s holds the address", name)
					}
				}
				checkAutoconfigServer(t, name+" incoming", p.Incoming[0], a.Incoming, inUser)
				checkAutoconfigServer(t, name+" outgoing", p.Outgoing[0], a.Outgoing, outUser)
				if p.Outgoing[0].Type != "smtp" || p.Outgoing[0].POP3 != nil {
					t.Errorf("%s: outgoing server %+v", name, p.Outgoing[0])
				}
				pop := p.Incoming[0].POP3
				if a.POP3 == nil {
					if pop != nil {
						t.Errorf("%s: <pop3> without POP3 options", name)
					}
					continue
				}
				if pop == nil {
					t.Fatalf("%s: no <pop3>", name)
				}
				wantDays := ""
				if a.POP3.DaysOnServer > 0 {
					wantDays = strconv.Itoa(a.POP3.DaysOnServer)
				}
				if pop.Leave != strconv.FormatBool(a.POP3.LeaveOnServer) || pop.Days != wantDays || pop.OnBiff != "true" {
					t.Errorf("%s: pop3 = %+v", name, *pop)
				}
			}
		})
	}
}

func TestThunderbirdDomainUsername(t *testing.T) {
	a := fixtureAccount(t, "imap")
	a.Incoming.Username, a.Outgoing.Username = "u12345", "u12345"
	files := renderOne(t, "thunderbird", a, Options{})
	dom := files["config-v1.1-domain.xml"]
	doc := parseAutoconfig(t, dom.Data)
	if doc.Provider.Incoming[0].Username != "%EMAILADDRESS%" || bytes.Contains(dom.Data, []byte("u12345")) {
		t.Errorf("domain file: username %q", doc.Provider.Incoming[0].Username)
	}
	if !strings.Contains(dom.Use, "login name") {
		t.Errorf("Use does not explain the assumed login name: %s", dom.Use)
	}
	if got := parseAutoconfig(t, files["config-v1.1.xml"].Data).Provider.Incoming[0].Username; got != "u12345" {
		t.Errorf("own file: username %q", got)
	}
}

func TestThunderbirdAuthValues(t *testing.T) {
	for m, want := range map[account.AuthMethod][3]string{
		account.AuthPasswordCleartext: {"password-cleartext", "password-cleartext", "3"},
		account.AuthPasswordEncrypted: {"password-encrypted", "password-encrypted", "4"},
		account.AuthOAuth2:            {"OAuth2", "OAuth2", "10"},
		account.AuthNTLM:              {"NTLM", "NTLM", "6"},
		account.AuthGSSAPI:            {"GSSAPI", "GSSAPI", "5"},
		account.AuthTLSClientCert:     {"TLS-client-cert", "TLS-client-cert", "7"},
		account.AuthClientIP:          {"none", "client-IP-address", "1"},
		account.AuthNone:              {"none", "none", "1"},
	} {
		a := fixtureAccount(t, "starttls")
		a.Incoming.Auth, a.Outgoing.Auth = m, m
		files := renderOne(t, "thunderbird", a, Options{})
		doc := parseAutoconfig(t, files["config-v1.1.xml"].Data)
		if got := doc.Provider.Incoming[0].Authentication; len(got) != 1 || got[0] != want[0] {
			t.Errorf("%s incoming: %q, want %q", m, got, want[0])
		}
		if got := doc.Provider.Outgoing[0].Authentication; len(got) != 1 || got[0] != want[1] {
			t.Errorf("%s outgoing: %q, want %q", m, got, want[1])
		}
		prefs := parseUserJS(t, files["user.js"].Data)
		for _, k := range []string{"mail.server.server1.authMethod", "mail.smtpserver.smtp1.authMethod"} {
			if v := prefs[k]; v.kind != "int" || v.value != want[2] {
				t.Errorf("%s: %s = %+v, want int %s", m, k, v, want[2])
			}
		}
	}
}

type prefValue struct{ kind, value string }

var userPrefRE = regexp.MustCompile(`^user_pref\("((?:[^"\\]|\\.)*)", (?:"((?:[^"\\]|\\.)*)"|(-?[0-9]+)|(true|false))\);$`)

// parseUserJS reads user.js lines into typed values; comments and blank
// lines are skipped, anything else fails the test.
func parseUserJS(t *testing.T, data []byte) map[string]prefValue {
	t.Helper()
	prefs := map[string]prefValue{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "// ") {
			continue
		}
		m := userPrefRE.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("user.js: bad line %q", line)
		}
		if _, dup := prefs[m[1]]; dup {
			t.Errorf("user.js: %s set twice", m[1])
		}
		switch {
		case m[3] != "":
			prefs[m[1]] = prefValue{"int", m[3]}
		case m[4] != "":
			prefs[m[1]] = prefValue{"bool", m[4]}
		default:
			s, err := strconv.Unquote(`"` + m[2] + `"`)
			if err != nil {
				t.Fatalf("user.js: %s: %v", line, err)
			}
			prefs[m[1]] = prefValue{"string", s}
		}
	}
	if !bytes.HasSuffix(data, []byte(";\n")) {
		t.Error("user.js does not end with a newline")
	}
	return prefs
}

func TestThunderbirdUserJS(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			a := f.acct.Expand()
			prefs := parseUserJS(t, renderOne(t, "thunderbird", f.acct, Options{})["user.js"].Data)
			sock := map[account.Security]string{account.TLS: "3", account.STARTTLS: "2", account.None: "0"}
			// authMethod is the first of the provider's methods: Thunderbird
			// signs in with OAuth2 (10) where it is listed first.
			authPref := map[account.AuthMethod]string{account.AuthPasswordCleartext: "3", account.AuthOAuth2: "10"}
			want := map[string]prefValue{
				"mail.accountmanager.accounts":         {"string", "account1"},
				"mail.accountmanager.defaultaccount":   {"string", "account1"},
				"mail.account.account1.server":         {"string", "server1"},
				"mail.account.account1.identities":     {"string", "id1"},
				"mail.server.server1.type":             {"string", a.Incoming.Protocol.String()},
				"mail.server.server1.hostname":         {"string", a.Incoming.Host},
				"mail.server.server1.port":             {"int", fmt.Sprint(a.Incoming.Port)},
				"mail.server.server1.userName":         {"string", a.Incoming.Username},
				"mail.server.server1.socketType":       {"int", sock[a.Incoming.Security]},
				"mail.server.server1.authMethod":       {"int", authPref[a.Incoming.Auth]},
				"mail.server.server1.name":             {"string", a.Email.Display()},
				"mail.server.server1.login_at_startup": {"bool", "true"},
				"mail.identity.id1.useremail":          {"string", a.Email.String()},
				"mail.identity.id1.fullName":           {"string", a.DisplayName},
				"mail.identity.id1.smtpServer":         {"string", "smtp1"},
				"mail.identity.id1.valid":              {"bool", "true"},
				"mail.smtpservers":                     {"string", "smtp1"},
				"mail.smtp.defaultserver":              {"string", "smtp1"},
				"mail.smtpserver.smtp1.hostname":       {"string", a.Outgoing.Host},
				"mail.smtpserver.smtp1.port":           {"int", fmt.Sprint(a.Outgoing.Port)},
				"mail.smtpserver.smtp1.username":       {"string", a.Outgoing.Username},
				"mail.smtpserver.smtp1.authMethod":     {"int", authPref[a.Outgoing.Auth]},
				"mail.smtpserver.smtp1.try_ssl":        {"int", sock[a.Outgoing.Security]},
			}
			if p := a.Provider; p != nil && p.OAuth2 != nil {
				// What Thunderbird's own account setup stores for an
				// OAuth2 server; OAuth2Module reads it.
				for _, root := range []string{"mail.server.server1.", "mail.smtpserver.smtp1."} {
					want[root+"oauth2.issuer"] = prefValue{"string", p.OAuth2.Issuer}
					want[root+"oauth2.scope"] = prefValue{"string", p.OAuth2.Scope}
				}
			}
			if p := a.POP3; p != nil {
				want["mail.server.server1.leave_on_server"] = prefValue{"bool", strconv.FormatBool(p.LeaveOnServer)}
				want["mail.server.server1.delete_by_age_from_server"] = prefValue{"bool", strconv.FormatBool(p.DaysOnServer > 0)}
				if p.DaysOnServer > 0 {
					want["mail.server.server1.num_days_to_leave_on_server"] = prefValue{"int", fmt.Sprint(p.DaysOnServer)}
				}
			}
			for k, w := range want {
				if got, ok := prefs[k]; !ok || got != w {
					t.Errorf("%s = %+v, want %+v", k, got, w)
				}
			}
			for k := range prefs {
				if _, ok := want[k]; !ok {
					t.Errorf("unexpected pref %s", k)
				}
				if strings.Contains(strings.ToLower(k), "password") {
					t.Errorf("password pref %s", k)
				}
			}
		})
	}
}

func TestPrefString(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:        `"plain"`,
		`a"b\c`:        `"a\"b\\c"`,
		"line\nbreak":  `"line\u000abreak"`,
		"Zoë — 日本":     `"Zoë — 日本"`,
		"sep\u2028end": `"sep\u2028end"`,
	} {
		if got := tbPrefString(in); got != want {
			t.Errorf("tbPrefString(%q) = %s, want %s", in, got, want)
		}
		if back, err := strconv.Unquote(tbPrefString(in)); err != nil || back != in {
			t.Errorf("tbPrefString(%q) does not read back: %q, %v", in, back, err)
		}
	}
}

// tbPrefString is appendPrefString into a new string.
func tbPrefString(s string) string {
	var b strings.Builder
	appendPrefString(&b, s)
	return b.String()
}
