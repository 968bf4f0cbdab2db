package templates

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"howett.net/plist"
)

// renderOne renders format for a and returns the files by name.
func renderOne(t testing.TB, format string, a account.Account, o Options) map[string]File {
	t.Helper()
	files, err := Render(format, a, o)
	if err != nil {
		t.Fatalf("Render(%s): %v", format, err)
	}
	out := map[string]File{}
	for _, f := range files {
		if _, dup := out[f.Name]; dup {
			t.Fatalf("%s: file %s rendered twice", format, f.Name)
		}
		if f.Format != format {
			t.Errorf("%s: Format = %q", f.Name, f.Format)
		}
		if len(f.Use) < 40 {
			t.Errorf("%s: Use text too short: %q", f.Name, f.Use)
		}
		out[f.Name] = f
	}
	return out
}

// fixture returns the named fixture's account.
func fixtureAccount(t testing.TB, name string) account.Account {
	t.Helper()
	for _, f := range fixtures() {
		if f.name == name {
			return f.acct
		}
	}
	t.Fatalf("no fixture %q", name)
	return account.Account{}
}

func TestAppleGolden(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			files := renderOne(t, "apple", f.acct, Options{})
			if len(files) != 1 {
				t.Fatalf("got %d files, want 1", len(files))
			}
			for name, file := range files {
				golden(t, "apple/"+f.name+"/"+name, file.Data)
			}
		})
	}
	// Every option at once, on the IMAP fixture.
	files := renderOne(t, "apple", fixtureAccount(t, "imap"), Options{
		OrgID: "com.example.it", Org: "Example & Co", Consent: "Installs <your> mail account.",
		Device: DeviceIOS, Password: "s3cr&t<pw>", IncludePassword: true,
	})
	for name, file := range files {
		golden(t, "apple/imap-options/"+name, file.Data)
	}
}

func TestAppleFileName(t *testing.T) {
	for addr, want := range map[string]string{
		"jane@example.com":         "jane@example.com.mobileconfig",
		"o'brien+news@example.com": "o_brien+news=b51816eace54@example.com.mobileconfig",
		"a/b?c*d|e@example.com":    "a_b_c_d_e=ff10fbe769cc@example.com.mobileconfig",
		"jürgen@bücher.example":    "j_rgen=2f5c75b104c5@xn--bcher-kva.example.mobileconfig",
	} {
		a := fixtures()[0].acct
		a.Email = account.MustParseAddress(addr)
		files, err := Render("apple", a, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := files[0].Name; got != want {
			t.Errorf("apple file name for %s = %q, want %q", addr, got, want)
		}
	}
}

// TestAppleUUID: the profile UUIDs are version 5 UUIDs in upper case;
// the known answers are Python's uuid.uuid5, so the bytes of existing
// profiles do not change.
func TestAppleUUID(t *testing.T) {
	if got := strings.ToUpper(appleUUIDNamespace.String()); got != "4B9D1255-97B8-571F-8EA2-04CC06CB4C90" {
		t.Errorf("name-space = %s", got)
	}
	for id, want := range map[string]string{
		"org.mailsetup.mailsetup.jürgen@xn--bcher-kva.example":      "2FAAC703-65F0-52C9-9B9A-DEBEA2A64813",
		"org.mailsetup.mailsetup.jürgen@xn--bcher-kva.example.mail": "2C4DA1A8-7B37-5773-82E0-634EB326455A",
	} {
		if got := appleUUID(id); got != want {
			t.Errorf("appleUUID(%q) = %s, want %s", id, got, want)
		}
	}
}

// plistNode is a property-list value read back with encoding/xml, keeping
// the element kind (<integer>, <true/>, ...) next to the value.
type plistNode struct {
	Kind  string // string, integer, true, false, dict, array, ...
	Text  string
	Dict  map[string]*plistNode
	Array []*plistNode
}

// parsePlistStrict reads an XML plist with encoding/xml, independently of
// the writer, rejecting duplicate keys and unknown structure.
func parsePlistStrict(t *testing.T, data []byte) *plistNode {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var next func(start xml.StartElement) *plistNode
	readText := func() string {
		var s strings.Builder
		for {
			tok, err := d.Token()
			if err != nil {
				t.Fatalf("plist: %v", err)
			}
			switch tok := tok.(type) {
			case xml.CharData:
				s.Write(tok)
			case xml.EndElement:
				return s.String()
			default:
				t.Fatalf("plist: unexpected %T inside a text element", tok)
			}
		}
	}
	nextStart := func() (xml.StartElement, bool) {
		for {
			tok, err := d.Token()
			if err != nil {
				t.Fatalf("plist: %v", err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				return tok, true
			case xml.EndElement:
				return xml.StartElement{}, false
			case xml.CharData:
				if len(bytes.TrimSpace(tok)) != 0 {
					t.Fatalf("plist: stray text %q", tok)
				}
			}
		}
	}
	next = func(start xml.StartElement) *plistNode {
		n := &plistNode{Kind: start.Name.Local}
		switch n.Kind {
		case "string", "integer", "real", "date", "data":
			n.Text = readText()
		case "true", "false":
			if s := readText(); s != "" {
				t.Fatalf("plist: <%s> has content %q", n.Kind, s)
			}
		case "dict":
			n.Dict = map[string]*plistNode{}
			for {
				k, ok := nextStart()
				if !ok {
					break
				}
				if k.Name.Local != "key" {
					t.Fatalf("plist: <%s> where a <key> belongs", k.Name.Local)
				}
				key := readText()
				v, ok := nextStart()
				if !ok {
					t.Fatalf("plist: key %s has no value", key)
				}
				if _, dup := n.Dict[key]; dup {
					t.Fatalf("plist: duplicate key %s", key)
				}
				n.Dict[key] = next(v)
			}
		case "array":
			for {
				v, ok := nextStart()
				if !ok {
					break
				}
				n.Array = append(n.Array, next(v))
			}
		default:
			t.Fatalf("plist: unknown element <%s>", n.Kind)
		}
		return n
	}
	root, ok := nextStart()
	if !ok || root.Name.Local != "plist" {
		t.Fatalf("plist: root is %v, want <plist>", root.Name.Local)
	}
	top, ok := nextStart()
	if !ok {
		t.Fatal("plist: empty")
	}
	n := next(top)
	if _, ok := nextStart(); ok {
		t.Fatal("plist: more than one top-level value")
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if cd, ok := tok.(xml.CharData); err != nil || !ok || len(bytes.TrimSpace(cd)) != 0 {
			t.Fatalf("plist: trailing data %v (%v)", tok, err)
		}
	}
	return n
}

// want asserts that dict d has key with element kind and text.
func wantKey(t *testing.T, where string, d map[string]*plistNode, key, kind, text string) {
	t.Helper()
	n, ok := d[key]
	switch {
	case !ok:
		t.Errorf("%s: %s missing", where, key)
	case n.Kind != kind:
		t.Errorf("%s: %s is <%s>, want <%s>", where, key, n.Kind, kind)
	case text != "*" && n.Text != text:
		t.Errorf("%s: %s = %q, want %q", where, key, n.Text, text)
	}
}

var uuidRE = regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)

// firstOf returns the first of ms that known has, or AuthUnset.
func firstOf[V any](ms []account.AuthMethod, known map[account.AuthMethod]V) account.AuthMethod {
	for _, m := range ms {
		if _, ok := known[m]; ok {
			return m
		}
	}
	return account.AuthUnset
}

func TestAppleParseBack(t *testing.T) {
	authName := map[account.AuthMethod]string{account.AuthPasswordCleartext: "EmailAuthPassword"}
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			a := f.acct.Expand()
			var file File
			for _, x := range renderOne(t, "apple", f.acct, Options{}) {
				file = x
			}
			top := parsePlistStrict(t, file.Data)
			if top.Kind != "dict" {
				t.Fatalf("top level is <%s>", top.Kind)
			}
			td := top.Dict
			wantID := "org.mailsetup.mailsetup." + a.Email.String()
			wantKey(t, "top", td, "PayloadType", "string", "Configuration")
			wantKey(t, "top", td, "PayloadVersion", "integer", "1")
			wantKey(t, "top", td, "PayloadIdentifier", "string", wantID)
			wantKey(t, "top", td, "PayloadUUID", "string", "*")
			wantKey(t, "top", td, "PayloadDisplayName", "string", "*")
			for _, k := range []string{"PayloadOrganization", "ConsentText", "TargetDeviceType", "PayloadRemovalDisallowed"} {
				if _, ok := td[k]; ok {
					t.Errorf("top: %s set without its option", k)
				}
			}
			content := td["PayloadContent"]
			if content == nil || content.Kind != "array" || len(content.Array) != 1 || content.Array[0].Kind != "dict" {
				t.Fatalf("PayloadContent is not an array of one dict: %+v", content)
			}
			p := content.Array[0].Dict
			acctType := map[account.Protocol]string{account.IMAP: "EmailTypeIMAP", account.POP3: "EmailTypePOP"}[a.Incoming.Protocol]
			ssl := func(s account.Security) string {
				return map[bool]string{true: "true", false: "false"}[s != account.None]
			}
			wantKey(t, "mail", p, "PayloadType", "string", "com.apple.mail.managed")
			wantKey(t, "mail", p, "PayloadVersion", "integer", "1")
			wantKey(t, "mail", p, "PayloadIdentifier", "string", wantID+".mail")
			wantKey(t, "mail", p, "EmailAccountType", "string", acctType)
			wantKey(t, "mail", p, "EmailAddress", "string", a.Email.String())
			wantKey(t, "mail", p, "EmailAccountName", "string", a.DisplayName)
			wantKey(t, "mail", p, "EmailAccountDescription", "string", a.Email.Display())
			wantKey(t, "mail", p, "IncomingMailServerHostName", "string", a.Incoming.Host)
			wantKey(t, "mail", p, "IncomingMailServerPortNumber", "integer", fmt.Sprint(a.Incoming.Port))
			wantKey(t, "mail", p, "IncomingMailServerUseSSL", ssl(a.Incoming.Security), "")
			wantKey(t, "mail", p, "IncomingMailServerUsername", "string", a.Incoming.Username)
			// The first of the provider's methods a profile can express:
			// the password after OAuth2 (compuserve.com's order).
			wantKey(t, "mail", p, "IncomingMailServerAuthentication", "string", authName[firstOf(a.Incoming.Methods(), authName)])
			wantKey(t, "mail", p, "OutgoingMailServerHostName", "string", a.Outgoing.Host)
			wantKey(t, "mail", p, "OutgoingMailServerPortNumber", "integer", fmt.Sprint(a.Outgoing.Port))
			wantKey(t, "mail", p, "OutgoingMailServerUseSSL", ssl(a.Outgoing.Security), "")
			wantKey(t, "mail", p, "OutgoingMailServerUsername", "string", a.Outgoing.Username)
			wantKey(t, "mail", p, "OutgoingMailServerAuthentication", "string", authName[firstOf(a.Outgoing.Methods(), authName)])
			if fellBack := a.Incoming.Auth == account.AuthOAuth2; fellBack != strings.Contains(file.Use, "create an app password") {
				t.Errorf("Use %q: want the fallback note %v", file.Use, fellBack)
			}
			for _, k := range []string{"IncomingPassword", "OutgoingPassword"} {
				if _, ok := p[k]; ok {
					t.Errorf("mail: %s written without IncludePassword", k)
				}
			}
			// Every fixture logs in to both servers with one username and
			// a password: the device asks for it once.
			wantKey(t, "mail", p, "OutgoingPasswordSameAsIncomingPassword", "true", "")
			u1, u2 := td["PayloadUUID"].Text, p["PayloadUUID"].Text
			if !uuidRE.MatchString(u1) || !uuidRE.MatchString(u2) {
				t.Errorf("UUIDs %s, %s are not upper-case v5 UUIDs", u1, u2)
			}
			if u1 == u2 {
				t.Errorf("top and payload share UUID %s", u1)
			}
			if u1 != appleUUID(wantID) {
				t.Errorf("top UUID %s is not derived from the identifier", u1)
			}

			// The same file through an independent plist library: types too.
			var m map[string]any
			if _, err := plist.Unmarshal(file.Data, &m); err != nil {
				t.Fatalf("howett.net/plist: %v", err)
			}
			if v, ok := m["PayloadVersion"].(uint64); !ok || v != 1 {
				t.Errorf("plist: PayloadVersion = %#v, want uint64 1", m["PayloadVersion"])
			}
			pc, ok := m["PayloadContent"].([]any)
			if !ok || len(pc) != 1 {
				t.Fatalf("plist: PayloadContent = %#v", m["PayloadContent"])
			}
			pm := pc[0].(map[string]any)
			if v, ok := pm["IncomingMailServerPortNumber"].(uint64); !ok || v != uint64(a.Incoming.Port) {
				t.Errorf("plist: incoming port = %#v", pm["IncomingMailServerPortNumber"])
			}
			if v, ok := pm["OutgoingMailServerUseSSL"].(bool); !ok || v != (a.Outgoing.Security != account.None) {
				t.Errorf("plist: outgoing UseSSL = %#v", pm["OutgoingMailServerUseSSL"])
			}
			if v, _ := pm["EmailAccountName"].(string); v != a.DisplayName {
				t.Errorf("plist: EmailAccountName = %q, want %q", v, a.DisplayName)
			}
			// Typed decoding fails on a wrong value type.
			var typed struct {
				PayloadVersion int
				PayloadContent []struct {
					IncomingMailServerPortNumber int
					OutgoingMailServerPortNumber int
					IncomingMailServerUseSSL     bool
					OutgoingMailServerUseSSL     bool
					PayloadVersion               int
				}
			}
			if _, err := plist.Unmarshal(file.Data, &typed); err != nil {
				t.Fatalf("plist typed: %v", err)
			}
			if typed.PayloadContent[0].OutgoingMailServerPortNumber != a.Outgoing.Port {
				t.Errorf("plist typed: outgoing port %d", typed.PayloadContent[0].OutgoingMailServerPortNumber)
			}
		})
	}
}

func TestAppleOptions(t *testing.T) {
	a := fixtureAccount(t, "imap")
	files, err := Render("apple", a, Options{OrgID: "com.example.it.", Org: "Example & Co",
		Consent: "Please <install>", Device: DeviceMac, Password: "pw&<", IncludePassword: true})
	if err != nil {
		t.Fatal(err)
	}
	f := files[0]
	if !f.HasPassword || f.Mode != 0o600 {
		t.Errorf("HasPassword %v, Mode %o; want true, 0600", f.HasPassword, f.Mode)
	}
	top := parsePlistStrict(t, f.Data)
	td := top.Dict
	wantKey(t, "top", td, "PayloadIdentifier", "string", "com.example.it.mailsetup.jane@example.com")
	wantKey(t, "top", td, "PayloadOrganization", "string", "Example & Co")
	wantKey(t, "top", td, "TargetDeviceType", "integer", "5")
	if c := td["ConsentText"]; c == nil || c.Kind != "dict" || len(c.Dict) != 1 || c.Dict["default"] == nil || c.Dict["default"].Text != "Please <install>" {
		t.Errorf("ConsentText = %+v", c)
	}
	p := td["PayloadContent"].Array[0].Dict
	wantKey(t, "mail", p, "PayloadIdentifier", "string", "com.example.it.mailsetup.jane@example.com.mail")
	wantKey(t, "mail", p, "IncomingPassword", "string", "pw&<")
	wantKey(t, "mail", p, "OutgoingPassword", "string", "pw&<")
	wantKey(t, "mail", p, "OutgoingPasswordSameAsIncomingPassword", "true", "")

	files, err = Render("apple", a, Options{Device: DeviceIOS})
	if err != nil {
		t.Fatal(err)
	}
	wantKey(t, "top", parsePlistStrict(t, files[0].Data).Dict, "TargetDeviceType", "integer", "1")

	if _, err := Render("apple", a, Options{Device: "watch"}); err == nil || !strings.Contains(err.Error(), "watch") {
		t.Errorf("unknown device: err = %v", err)
	}
	// IncludePassword without a password, or a password without
	// IncludePassword, writes none.
	for _, o := range []Options{{IncludePassword: true}, {Password: "pw"}} {
		files, _ := Render("apple", a, o)
		if files[0].HasPassword || bytes.Contains(files[0].Data, []byte("<key>IncomingPassword")) || files[0].Mode != 0o644 {
			t.Errorf("%+v: password written", o)
		}
	}
}

func TestAppleAuthMapping(t *testing.T) {
	for m, want := range map[account.AuthMethod]string{
		account.AuthPasswordCleartext: "EmailAuthPassword",
		account.AuthPasswordEncrypted: "EmailAuthCRAMMD5",
		account.AuthNTLM:              "EmailAuthNTLM",
		account.AuthNone:              "EmailAuthNone",
		account.AuthClientIP:          "EmailAuthNone",
	} {
		a := fixtureAccount(t, "imap")
		a.Incoming.Auth, a.Outgoing.Auth = m, m
		files, err := Render("apple", a, Options{})
		if err != nil {
			t.Errorf("%s: %v", m, err)
			continue
		}
		p := parsePlistStrict(t, files[0].Data).Dict["PayloadContent"].Array[0].Dict
		wantKey(t, m.String(), p, "IncomingMailServerAuthentication", "string", want)
		wantKey(t, m.String(), p, "OutgoingMailServerAuthentication", "string", want)
	}
	for _, m := range []account.AuthMethod{account.AuthOAuth2, account.AuthGSSAPI, account.AuthTLSClientCert} {
		a := fixtureAccount(t, "imap")
		a.Outgoing.Auth = m
		_, err := Render("apple", a, Options{})
		if !errors.Is(err, ErrAuthUnsupported) || !strings.Contains(err.Error(), "smtp.example.com") || !strings.Contains(err.Error(), "setup sheet") {
			t.Errorf("%s: err = %v, want a clear error", m, err)
		}
	}
	// A password is not written for a server that does not use one.
	a := fixtureAccount(t, "imap")
	a.Outgoing.Auth = account.AuthNone
	files, _ := Render("apple", a, Options{Password: "pw", IncludePassword: true})
	p := parsePlistStrict(t, files[0].Data).Dict["PayloadContent"].Array[0].Dict
	if _, ok := p["OutgoingPassword"]; ok || p["IncomingPassword"] == nil || p["OutgoingPasswordSameAsIncomingPassword"] != nil {
		t.Errorf("passwords with outgoing auth none: %v", p)
	}
}

// TestAppleSamePassword: OutgoingPasswordSameAsIncomingPassword, which
// makes iOS ask for the password once (Apple's com.apple.mail.managed
// schema), is true exactly when both servers take a password for the same
// username; with --include-password both password keys hold the one
// password, so the key never contradicts them.
func TestAppleSamePassword(t *testing.T) {
	imap := fixtureAccount(t, "imap") // %EMAILADDRESS% on both sides
	otherUser := imap
	otherUser.Outgoing.Username = "smtp-jane"
	expandsEqual := imap
	expandsEqual.Outgoing.Username = "jane@example.com" // the expansion of the incoming %EMAILADDRESS%
	noAuthOut := imap
	noAuthOut.Outgoing.Auth = account.AuthNone
	noAuthOut.Outgoing.Username = ""
	ntlm := imap
	ntlm.Incoming.Auth, ntlm.Outgoing.Auth = account.AuthNTLM, account.AuthPasswordEncrypted
	const pw = "pw&1"
	for _, c := range []struct {
		name     string
		a        account.Account
		o        Options
		wantSame bool
		wantPW   [2]bool // IncomingPassword, OutgoingPassword
	}{
		{"same login", imap, Options{}, true, [2]bool{}},
		{"same login after expansion", expandsEqual, Options{}, true, [2]bool{}},
		{"password methods differ, same login", ntlm, Options{}, true, [2]bool{}},
		{"different usernames", otherUser, Options{}, false, [2]bool{}},
		{"outgoing without authentication", noAuthOut, Options{}, false, [2]bool{}},
		{"password given but not included", imap, Options{Password: pw}, true, [2]bool{}},
		{"included, same login", imap, Options{Password: pw, IncludePassword: true}, true, [2]bool{true, true}},
		{"included, different usernames", otherUser, Options{Password: pw, IncludePassword: true}, true, [2]bool{true, true}},
		{"included, outgoing without authentication", noAuthOut, Options{Password: pw, IncludePassword: true}, false, [2]bool{true, false}},
	} {
		t.Run(c.name, func(t *testing.T) {
			files, err := Render("apple", c.a, c.o)
			if err != nil {
				t.Fatal(err)
			}
			p := parsePlistStrict(t, files[0].Data).Dict["PayloadContent"].Array[0].Dict
			if c.wantSame {
				wantKey(t, "mail", p, "OutgoingPasswordSameAsIncomingPassword", "true", "")
			} else if n, ok := p["OutgoingPasswordSameAsIncomingPassword"]; ok {
				t.Errorf("OutgoingPasswordSameAsIncomingPassword is <%s>, want it absent", n.Kind)
			}
			for i, k := range []string{"IncomingPassword", "OutgoingPassword"} {
				if _, ok := p[k]; ok != c.wantPW[i] {
					t.Errorf("%s present %v, want %v", k, ok, c.wantPW[i])
				}
			}
			// The same through an independent plist reader, typed.
			var typed struct {
				PayloadContent []struct {
					IncomingMailServerUsername             string
					OutgoingMailServerUsername             string
					IncomingPassword                       *string
					OutgoingPassword                       *string
					OutgoingPasswordSameAsIncomingPassword *bool
				}
			}
			if _, err := plist.Unmarshal(files[0].Data, &typed); err != nil {
				t.Fatal(err)
			}
			m := typed.PayloadContent[0]
			if got := m.OutgoingPasswordSameAsIncomingPassword != nil && *m.OutgoingPasswordSameAsIncomingPassword; got != c.wantSame {
				t.Errorf("plist: same password %v, want %v", got, c.wantSame)
			}
			if c.wantSame && !c.o.IncludePassword && m.IncomingMailServerUsername != m.OutgoingMailServerUsername {
				t.Errorf("asks once for two logins: %q and %q", m.IncomingMailServerUsername, m.OutgoingMailServerUsername)
			}
			if c.wantSame && m.IncomingPassword != nil && m.OutgoingPassword != nil && *m.IncomingPassword != *m.OutgoingPassword {
				t.Errorf("same password declared for %q and %q", *m.IncomingPassword, *m.OutgoingPassword)
			}
		})
	}
}

func TestAppleEscapesAndRejects(t *testing.T) {
	var b bytes.Buffer
	if err := applePlistEscape(&b, "a&b<c>d\r\te\n\"'"); err != nil || b.String() != "a&amp;b&lt;c&gt;d&#13;\te\n\"'" {
		t.Errorf("escape = %q, %v", b.String(), err)
	}
	a := fixtureAccount(t, "imap")
	a.DisplayName = "bell\a"
	if _, err := Render("apple", a, Options{}); err == nil {
		t.Error("a control character in the name was accepted")
	}
	// Round trip of awkward text through the independent parser.
	a.DisplayName = "x\r\ny & <z> ]]> \u2028 😀"
	files, err := Render("apple", a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		PayloadContent []struct{ EmailAccountName string }
	}
	if _, err := plist.Unmarshal(files[0].Data, &m); err != nil {
		t.Fatal(err)
	}
	if got := m.PayloadContent[0].EmailAccountName; got != a.DisplayName {
		t.Errorf("name read back as %q, want %q", got, a.DisplayName)
	}
}

// myFormats are the formats in this file set.
var myFormats = []string{"apple", "thunderbird", "outlook", "json"}

func TestDeterministicAndDistinct(t *testing.T) {
	for _, format := range myFormats {
		for _, f := range fixtures() {
			a, _ := Render(format, f.acct, Options{})
			b, _ := Render(format, f.acct, Options{})
			if len(a) == 0 || len(a) != len(b) {
				t.Fatalf("%s/%s: %d and %d files", format, f.name, len(a), len(b))
			}
			for i := range a {
				if !bytes.Equal(a[i].Data, b[i].Data) || a[i].Name != b[i].Name {
					t.Errorf("%s/%s: %s differs between two runs", format, f.name, a[i].Name)
				}
			}
		}
	}
	// Different mailboxes, even on one domain, get different identifiers.
	seen := map[string]string{}
	for _, addr := range []string{"jane@example.com", "john@example.com", "jane@example.org", "Jane@example.com"} {
		a := fixtureAccount(t, "imap")
		a.Email = account.MustParseAddress(addr)
		files, err := Render("apple", a, Options{})
		if err != nil {
			t.Fatal(err)
		}
		d := parsePlistStrict(t, files[0].Data).Dict
		for _, v := range []string{d["PayloadIdentifier"].Text, d["PayloadUUID"].Text, d["PayloadContent"].Array[0].Dict["PayloadUUID"].Text} {
			if prev, dup := seen[v]; dup {
				t.Errorf("%s and %s share %s", prev, addr, v)
			}
			seen[v] = addr
		}
	}
}

func TestPasswordOnlyWhereAllowed(t *testing.T) {
	const pw = "Tr0ub4dor&3-secret"
	for _, f := range fixtures() {
		for _, format := range myFormats {
			for _, o := range []Options{{}, {Password: pw}, {Password: pw, IncludePassword: true}} {
				files, err := Render(format, f.acct, o)
				if err != nil {
					t.Fatalf("%s/%s: %v", format, f.name, err)
				}
				for _, file := range files {
					want := format == "apple" && o.IncludePassword
					has := bytes.Contains(file.Data, []byte("Tr0ub4dor&amp;3-secret")) || bytes.Contains(file.Data, []byte(pw))
					if has != want || file.HasPassword != want {
						t.Errorf("%s/%s %s (IncludePassword %v): password in data %v, HasPassword %v; want %v",
							format, f.name, file.Name, o.IncludePassword, has, file.HasPassword, want)
					}
					wantMode := map[bool]uint32{true: 0o600, false: 0o644}[want]
					if uint32(file.Mode) != wantMode {
						t.Errorf("%s/%s %s: mode %o, want %o", format, f.name, file.Name, file.Mode, wantMode)
					}
				}
			}
		}
	}
}

func BenchmarkRenderAll(b *testing.B) {
	a := fixtureAccount(b, "imap")
	b.ReportAllocs()
	for b.Loop() {
		for _, format := range myFormats {
			if _, err := Render(format, a, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
