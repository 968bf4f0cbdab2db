package templates

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/mailsetup/mailsetup/account"
)

func TestOutlookGolden(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			files := renderOne(t, "outlook", f.acct, Options{})
			xmlName := "autodiscover-" + f.acct.Email.Domain() + ".xml"
			for _, name := range []string{xmlName, "outlook-autodiscover.reg", "outlook.prf"} {
				file, ok := files[name]
				if !ok {
					t.Fatalf("no %s among %v", name, files)
				}
				golden(t, "outlook/"+f.name+"/"+name, file.Data)
			}
			if len(files) != 3 {
				t.Errorf("got %d files, want 3", len(files))
			}
		})
	}
}

// Independent reading of the POX response.
type poxDoc struct {
	XMLName  xml.Name `xml:"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006 Autodiscover"`
	Response struct {
		XMLName xml.Name `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a Response"`
		User    *struct {
			DisplayName string `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a DisplayName"`
		} `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a User"`
		Account struct {
			AccountType string        `xml:"AccountType"`
			Action      string        `xml:"Action"`
			Protocol    []poxProtocol `xml:"Protocol"`
		} `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a Account"`
	}
}

type poxProtocol struct {
	Order                                          []xml.Name `xml:",any"`
	Type, Server, Port, LoginName, DomainRequired  string
	SPA, SSL, Encryption, AuthRequired, UsePOPAuth string
	SMTPLast                                       string
}

// UnmarshalXML keeps the child element order and their texts.
func (p *poxProtocol) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			var s string
			if err := d.DecodeElement(&s, &tok); err != nil {
				return err
			}
			p.Order = append(p.Order, tok.Name)
			fields := map[string]*string{"Type": &p.Type, "Server": &p.Server, "Port": &p.Port, "LoginName": &p.LoginName,
				"DomainRequired": &p.DomainRequired, "SPA": &p.SPA, "SSL": &p.SSL, "Encryption": &p.Encryption,
				"AuthRequired": &p.AuthRequired, "UsePOPAuth": &p.UsePOPAuth, "SMTPLast": &p.SMTPLast}
			f, ok := fields[tok.Name.Local]
			if !ok {
				return fmt.Errorf("unknown Protocol element %s", tok.Name.Local)
			}
			*f = s
		case xml.EndElement:
			return nil
		}
	}
}

// poxOrder is the schema's element order inside <Protocol>.
var poxOrder = []string{"Type", "TTL", "Server", "Port", "LoginName", "DomainRequired", "DomainName", "SPA", "SSL",
	"Encryption", "AuthRequired", "UsePOPAuth", "SMTPLast"}

func checkPOXProtocol(t *testing.T, where string, p poxProtocol, s account.Server, typ string) {
	t.Helper()
	last := -1
	for _, n := range p.Order {
		if n.Space != autodiscoverOutlookNS {
			t.Errorf("%s: %s in namespace %q", where, n.Local, n.Space)
		}
		i := indexOf(poxOrder, n.Local)
		if i <= last {
			t.Errorf("%s: %s out of order (%v)", where, n.Local, p.Order)
		}
		last = i
	}
	enc := map[account.Security][2]string{account.TLS: {"on", "SSL"}, account.STARTTLS: {"on", "TLS"}, account.None: {"off", "None"}}[s.Security]
	got := [...]string{p.Type, p.Server, p.Port, p.LoginName, p.DomainRequired, p.SPA, p.SSL, p.Encryption, p.AuthRequired}
	want := [...]string{typ, s.Host, fmt.Sprint(s.Port), s.Username, "off", "off", enc[0], enc[1], "on"}
	if got != want {
		t.Errorf("%s: got %q, want %q", where, got, want)
	}
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func TestOutlookAutodiscoverParseBack(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			a := f.acct.Expand()
			files := renderOne(t, "outlook", f.acct, Options{})
			data := files["autodiscover-"+a.Email.Domain()+".xml"].Data
			var doc poxDoc
			d := xml.NewDecoder(bytes.NewReader(data))
			d.Strict = true
			if err := d.Decode(&doc); err != nil {
				t.Fatal(err)
			}
			r := doc.Response
			if r.User == nil || r.User.DisplayName != a.DisplayName {
				t.Errorf("User = %+v, want %q", r.User, a.DisplayName)
			}
			if r.Account.AccountType != "email" || r.Account.Action != "settings" || len(r.Account.Protocol) != 2 {
				t.Fatalf("Account = %+v", r.Account)
			}
			inType := map[account.Protocol]string{account.IMAP: "IMAP", account.POP3: "POP3"}[a.Incoming.Protocol]
			checkPOXProtocol(t, "incoming", r.Account.Protocol[0], a.Incoming, inType)
			checkPOXProtocol(t, "outgoing", r.Account.Protocol[1], a.Outgoing, "SMTP")
			if p := r.Account.Protocol[1]; p.UsePOPAuth != "on" || p.SMTPLast != "off" {
				t.Errorf("SMTP UsePOPAuth %q SMTPLast %q", p.UsePOPAuth, p.SMTPLast)
			}
			if p := r.Account.Protocol[0]; p.UsePOPAuth != "" || p.SMTPLast != "" {
				t.Errorf("incoming has SMTP-only elements: %+v", p)
			}
		})
	}
}

func TestOutlookAuth(t *testing.T) {
	a := fixtureAccount(t, "imap")
	a.Incoming.Auth, a.Outgoing.Auth = account.AuthNTLM, account.AuthNone
	data := renderOne(t, "outlook", a, Options{})["autodiscover-example.com.xml"].Data
	var doc poxDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	in, out := doc.Response.Account.Protocol[0], doc.Response.Account.Protocol[1]
	if in.SPA != "on" || in.AuthRequired != "on" || out.SPA != "off" || out.AuthRequired != "off" || out.UsePOPAuth != "off" || out.LoginName != "" {
		t.Errorf("NTLM in, none out: %+v / %+v", in, out)
	}
	for _, m := range []account.AuthMethod{account.AuthOAuth2, account.AuthGSSAPI, account.AuthTLSClientCert} {
		a := fixtureAccount(t, "imap")
		a.Incoming.Auth = m
		if _, err := Render("outlook", a, Options{}); !errors.Is(err, ErrAuthUnsupported) || !strings.Contains(err.Error(), "setup sheet") {
			t.Errorf("%s: err = %v", m, err)
		}
	}
}

// decodeUTF16File checks the BOM and CRLF line ends and returns the lines.
func decodeUTF16File(t *testing.T, name string, data []byte) []string {
	t.Helper()
	if len(data) < 2 || data[0] != 0xFF || data[1] != 0xFE {
		t.Fatalf("%s: no UTF-16LE byte order mark", name)
	}
	if len(data)%2 != 0 {
		t.Fatalf("%s: odd length %d", name, len(data))
	}
	units := make([]uint16, 0, len(data)/2)
	for i := 2; i < len(data); i += 2 {
		units = append(units, uint16(data[i])|uint16(data[i+1])<<8)
	}
	text := string(utf16.Decode(units))
	if strings.ContainsRune(text, '\uFFFD') {
		t.Errorf("%s: invalid UTF-16", name)
	}
	if !strings.HasSuffix(text, "\r\n") {
		t.Errorf("%s: does not end with CRLF", name)
	}
	lines := strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n")
	for _, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("%s: bare CR or LF in %q", name, l)
		}
	}
	return lines
}

// regUnquote reads a "quoted" .reg string, undoing \\ and \".
func regUnquote(s string) (string, bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", false
	}
	var b strings.Builder
	for i := 1; i < len(s)-1; i++ {
		c := s[i]
		switch c {
		case '\\':
			i++
			if i >= len(s)-1 || (s[i] != '\\' && s[i] != '"') {
				return "", false
			}
			b.WriteByte(s[i])
		case '"':
			return "", false // unescaped quote
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// parseReg reads a regedit 5.00 file into key -> name -> value.
func parseReg(t *testing.T, data []byte) map[string]map[string]string {
	t.Helper()
	lines := decodeUTF16File(t, ".reg", data)
	if lines[0] != "Windows Registry Editor Version 5.00" || lines[1] != "" {
		t.Fatalf(".reg header: %q", lines[:2])
	}
	out := map[string]map[string]string{}
	var key string
	for _, l := range lines[2:] {
		switch {
		case l == "" || strings.HasPrefix(l, ";"):
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			key = l[1 : len(l)-1]
			out[key] = map[string]string{}
		default:
			if key == "" {
				t.Fatalf(".reg: value outside a key: %q", l)
			}
			// The name is a quoted string; find its closing quote.
			end := 1
			for end < len(l) && (l[end] != '"' || l[end-1] == '\\' && l[end-2] != '\\') {
				end++
			}
			name, ok := regUnquote(l[:end+1])
			if !ok || end+1 >= len(l) || l[end+1] != '=' {
				t.Fatalf(".reg: bad value line %q", l)
			}
			raw := l[end+2:]
			if strings.HasPrefix(raw, "dword:") {
				if len(raw) != len("dword:")+8 || strings.Trim(raw[6:], "0123456789abcdef") != "" {
					t.Fatalf(".reg: bad dword %q", raw)
				}
				out[key][name] = raw
				continue
			}
			v, ok := regUnquote(raw)
			if !ok {
				t.Fatalf(".reg: bad string %q", raw)
			}
			out[key][name] = v
		}
	}
	return out
}

func TestOutlookReg(t *testing.T) {
	const key = `HKEY_CURRENT_USER\Software\Microsoft\Office\16.0\Outlook\AutoDiscover`
	for _, tc := range []struct {
		path, want string
	}{
		{"", `C:\Users\Public\mailsetup\`},
		{`D:\Mail "Setup"`, ""},
		{`D:\Mail Setup`, `D:\Mail Setup\`},
		{`\\server\share\ad\`, `\\server\share\ad\`},
		{`C:\Users\Zoë\mail\`, `C:\Users\Zoë\mail\`},
		{"/tmp/x", ""},
	} {
		for _, f := range fixtures() {
			files, err := Render("outlook", f.acct, Options{OutlookXMLPath: tc.path})
			if tc.want == "" {
				if err == nil {
					t.Errorf("path %q accepted", tc.path)
				}
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			var reg []byte
			names := map[string]bool{}
			for _, file := range files {
				names[file.Name] = true
				if file.Name == "outlook-autodiscover.reg" {
					reg = file.Data
				}
			}
			domain := f.acct.Email.Domain()
			xmlName := "autodiscover-" + domain + ".xml"
			if !names[xmlName] {
				t.Errorf("the .reg points at %s, which is not exported (%v)", xmlName, names)
			}
			values := parseReg(t, reg)
			if len(values) != 1 || values[key] == nil {
				t.Fatalf("keys %v", values)
			}
			want := map[string]string{
				domain:                        tc.want + xmlName,
				"PreferLocalXML":              "dword:00000001",
				"ExcludeExplicitO365Endpoint": "dword:00000001",
			}
			if fmt.Sprint(values[key]) != fmt.Sprint(want) {
				t.Errorf("%s %q: values %q, want %q", f.name, tc.path, values[key], want)
			}
		}
	}
	// The doubled backslashes as bytes on disk.
	files, _ := Render("outlook", fixtureAccount(t, "imap"), Options{})
	for _, file := range files {
		if file.Name == "outlook-autodiscover.reg" {
			line := decodeUTF16File(t, file.Name, file.Data)[5]
			if line != `"example.com"="C:\\Users\\Public\\mailsetup\\autodiscover-example.com.xml"` {
				t.Errorf("value line %q", line)
			}
		}
	}
}

func TestOutlookPRF(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			a := f.acct.Expand()
			file := renderOne(t, "outlook", f.acct, Options{})["outlook.prf"]
			if !strings.Contains(file.Use, "Best effort") || !strings.Contains(file.Use, "New Outlook, Outlook for Mac and Outlook mobile have no import") ||
				!strings.Contains(file.Use, "setup sheet") {
				t.Errorf("Use does not say it plainly: %s", file.Use)
			}
			sections, order := parsePRF(t, file.Data)
			proto, mapping := "IMAP", "IMAP_I_Mail"
			if a.Incoming.Protocol == account.POP3 {
				proto, mapping = "POP3", "I_Mail"
			}
			wantOrder := []string{"General", "Service List", "Internet Account List", "Account1", mapping}
			if fmt.Sprint(order) != fmt.Sprint(wantOrder) {
				t.Errorf("sections %q, want %q", order, wantOrder)
			}
			g := sections["General"]
			if g["Custom"] != "1" || g["DefaultProfile"] != "No" || g["OverwriteProfile"] != "Append" || g["ProfileName"] != a.Email.String() {
				t.Errorf("[General] %v", g)
			}
			if sections["Internet Account List"]["Account1"] != mapping || sections[mapping]["AccountType"] != proto {
				t.Errorf("account list %v, mapping %v", sections["Internet Account List"], sections[mapping]["AccountType"])
			}
			sec := map[account.Security]string{account.TLS: "1", account.STARTTLS: "2", account.None: "0"}
			want := map[string]string{
				"UniqueService": "No", "AccountName": a.Email.Display(), "DisplayName": a.DisplayName, "EmailAddress": a.Email.String(),
				proto + "Server": a.Incoming.Host, proto + "UserName": a.Incoming.Username, proto + "Port": fmt.Sprint(a.Incoming.Port),
				proto + "UseSSL": sec[a.Incoming.Security], proto + "UseSPA": "0",
				"SMTPServer": a.Outgoing.Host, "SMTPPort": fmt.Sprint(a.Outgoing.Port), "SMTPSecureConnection": sec[a.Outgoing.Security],
				"SMTPUseAuth": "1", "SMTPAuthMethod": "0", "SMTPUserName": a.Outgoing.Username, "SMTPUseSPA": "0",
			}
			if a.POP3 != nil {
				want["LeaveOnServer"] = map[bool]string{true: "0x1", false: "0x0"}[a.POP3.LeaveOnServer]
				if a.POP3.DaysOnServer > 0 {
					want["LeaveOnServer"] = fmt.Sprintf("0x%X", a.POP3.DaysOnServer<<16|0x3)
				}
			}
			if got := sections["Account1"]; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("[Account1]\n got %v\nwant %v", got, want)
			}
			for k := range sections["Account1"] {
				if sections[mapping][k] == "" && k != "UniqueService" {
					t.Errorf("%s has no property mapping in [%s]", k, mapping)
				}
				if strings.Contains(strings.ToLower(k), "password") {
					t.Errorf("password key %s", k)
				}
			}
		})
	}
}

// parsePRF reads a .prf back as INI sections (comments and blank lines
// skipped), failing on a repeated section or key, and returns them with
// the sections' order.
func parsePRF(t *testing.T, data []byte) (map[string]map[string]string, []string) {
	t.Helper()
	sections := map[string]map[string]string{}
	var order []string
	var cur string
	for _, l := range decodeUTF16File(t, "outlook.prf", data) {
		switch {
		case l == "" || strings.HasPrefix(l, ";"):
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			cur = l[1 : len(l)-1]
			if sections[cur] != nil {
				t.Errorf("section %s twice", cur)
			}
			sections[cur] = map[string]string{}
			order = append(order, cur)
		default:
			k, v, ok := strings.Cut(l, "=")
			if !ok || cur == "" {
				t.Fatalf("bad line %q", l)
			}
			if _, dup := sections[cur][k]; dup {
				t.Errorf("[%s] %s twice", cur, k)
			}
			sections[cur][k] = v
		}
	}
	return sections, order
}

// TestOutlookPRFDocumentedValues reads the .prf back and checks the keys
// whose values Microsoft documents for Outlook's account properties
// ("Constants (Account management API)"): LeaveOnServer is
// PROP_POP_LEAVE_ON_SERVER (0x1000) with LEAVE_ON_SERVER 0x1,
// REMOVE_AFTER 0x2 and SET_REMOVE_AFTER_DAYS(days) = days<<16;
// SMTPAuthMethod is PROP_SMTP_AUTH_METHOD (0x0208) with
// SMTP_AUTH_SAME_AS_POP 0 and SMTP_AUTH_USER_PASS 1, and no
// authentication is SMTPUseAuth=0; DefaultProfile is Yes only when asked
// for. Each key has its mapping line in the account type's section.
func TestOutlookPRFDocumentedValues(t *testing.T) {
	pop3 := fixtureAccount(t, "pop3") // leave on server, remove after 14 days; same login both sides
	withPOP3 := func(p *account.POP3Options) account.Account {
		a := pop3
		a.POP3 = p
		return a
	}
	otherUser := fixtureAccount(t, "imap")
	otherUser.Outgoing.Username = "smtp-jane"
	noAuthOut := fixtureAccount(t, "imap")
	noAuthOut.Outgoing.Auth, noAuthOut.Outgoing.Username = account.AuthNone, ""
	const absent = "<absent>"
	for _, c := range []struct {
		name                   string
		a                      account.Account
		o                      Options
		leave                  string // LeaveOnServer as written, or absent
		flags, days            uint64 // LeaveOnServer read back
		useAuth, authMethod    string
		smtpUser, defaultProfl string
	}{
		{"pop3 remove after 14 days", pop3, Options{}, "0xE0003", 0x3, 14, "1", "0", "max", "No"},
		{"pop3 remove after the most days", withPOP3(&account.POP3Options{LeaveOnServer: true, DaysOnServer: account.MaxDaysOnServer}), Options{}, "0xE420003", 0x3, account.MaxDaysOnServer, "1", "0", "max", "No"},
		{"pop3 leave until deleted", withPOP3(&account.POP3Options{LeaveOnServer: true}), Options{}, "0x1", 0x1, 0, "1", "0", "max", "No"},
		{"pop3 remove once downloaded", withPOP3(&account.POP3Options{}), Options{}, "0x0", 0, 0, "1", "0", "max", "No"},
		{"pop3 no choice given", withPOP3(nil), Options{}, absent, 0, 0, "1", "0", "max", "No"},
		{"imap other smtp user", otherUser, Options{}, absent, 0, 0, "1", "1", "smtp-jane", "No"},
		{"imap smtp without authentication", noAuthOut, Options{}, absent, 0, 0, "0", absent, absent, "No"},
		{"default profile asked for", pop3, Options{OutlookDefaultProfile: true}, "0xE0003", 0x3, 14, "1", "0", "max", "Yes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			file := renderOne(t, "outlook", c.a, c.o)["outlook.prf"]
			sections, _ := parsePRF(t, file.Data)
			acct := sections["Account1"]
			get := func(k string) string {
				if v, ok := acct[k]; ok {
					return v
				}
				return absent
			}
			if got := get("LeaveOnServer"); got != c.leave {
				t.Errorf("LeaveOnServer=%s, want %s", got, c.leave)
			}
			if c.leave != absent {
				v, err := strconv.ParseUint(get("LeaveOnServer"), 0, 32)
				if err != nil {
					t.Fatalf("LeaveOnServer: %v", err)
				}
				if flags, days := v&0xFFFF, v>>16; flags != c.flags || days != c.days {
					t.Errorf("LeaveOnServer flags %#x, days %d; want %#x, %d", flags, days, c.flags, c.days)
				}
			}
			if got := get("SMTPUseAuth"); got != c.useAuth {
				t.Errorf("SMTPUseAuth=%s, want %s", got, c.useAuth)
			}
			if got := get("SMTPAuthMethod"); got != c.authMethod {
				t.Errorf("SMTPAuthMethod=%s, want %s", got, c.authMethod)
			}
			if got := get("SMTPUserName"); got != c.smtpUser {
				t.Errorf("SMTPUserName=%s, want %s", got, c.smtpUser)
			}
			if got := sections["General"]["DefaultProfile"]; got != c.defaultProfl {
				t.Errorf("DefaultProfile=%s, want %s", got, c.defaultProfl)
			}
			// The instructions say what importing does to the profiles.
			wantUse := map[string]string{"No": "without making it the default", "Yes": "makes it the default"}[c.defaultProfl]
			if !strings.Contains(file.Use, wantUse) || !strings.Contains(file.Use, c.a.Email.String()) {
				t.Errorf("Use does not say what importing does (%q): %s", wantUse, file.Use)
			}
			mapping := sections[sections["Internet Account List"]["Account1"]]
			for k, prop := range map[string]string{"SMTPAuthMethod": "PT_LONG,0x0208", "SMTPUseAuth": "PT_LONG,0x0203", "LeaveOnServer": "PT_LONG,0x1000"} {
				if _, used := acct[k]; used && mapping[k] != prop {
					t.Errorf("%s is mapped to %q, want %q", k, mapping[k], prop)
				}
			}
		})
	}
}

// TestOutlookUTF16 compares the .reg encoder with the plain definition:
// the lines joined with CRLF, as UTF-16LE with a byte order mark.
func TestOutlookUTF16(t *testing.T) {
	for _, lines := range [][]string{
		{"Windows Registry Editor Version 5.00", "", "[HKEY_CURRENT_USER\\Software]"},
		{"bücher.example", "Jöhn 😀 Smith", "\xff\xfe bad UTF-8 \xed\xa0\x80", "nul\x00"},
		{""},
	} {
		text := strings.Join(lines, "\r\n") + "\r\n"
		want := []byte{0xFF, 0xFE}
		for _, u := range utf16.Encode([]rune(text)) {
			want = append(want, byte(u), byte(u>>8))
		}
		if got := outlookUTF16(lines); !bytes.Equal(got, want) {
			t.Errorf("outlookUTF16(%q) = % x, want % x", lines, got, want)
		}
	}
}

// TestOutlookXMLNamePortable: the Autodiscover file of a domain too long
// for a file name ("autodiscover-" plus 250 bytes plus ".xml" is over the
// 255 bytes every file system allows) or whose first label is a Windows
// device name is named by the domain's portable name; the .reg still
// names the real domain and points at that file.
func TestOutlookXMLNamePortable(t *testing.T) {
	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:6])
	}
	label := strings.Repeat("d", 63)
	long := label + "." + label + "." + label + "." + strings.Repeat("d", 51) + ".test"
	for domain, want := range map[string]string{
		"example.com": "autodiscover-example.com.xml",
		"nul.example": "autodiscover-nul=" + hash("nul.example") + ".example.xml",
		long:          "autodiscover-" + (label + "=" + hash(long) + "." + long[64:])[:account.MaxFileName] + ".xml",
	} {
		a := fixtureAccount(t, "imap")
		a.Email = account.MustParseAddress("jane@" + domain)
		files := renderOne(t, "outlook", a, Options{})
		if _, ok := files[want]; !ok {
			t.Errorf("%s: no %s among %v", domain, want, files)
		}
		if len(want) > 255 {
			t.Errorf("%s: the name %s is %d bytes long", domain, want, len(want))
		}
		values := parseReg(t, files["outlook-autodiscover.reg"].Data)[outlookRegistryKeyPath]
		if got := values[domain]; got != `C:\Users\Public\mailsetup\`+want {
			t.Errorf("%s: the .reg points at %q (values %q)", domain, got, values)
		}
	}
}
