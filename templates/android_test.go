package templates

import (
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/mailsetup/mailsetup/account"
)

// androidFiles renders the android format and returns the .k9s and QR files.
func androidFiles(t testing.TB, a account.Account, o Options) (k9s, qr File) {
	t.Helper()
	files, err := Render("android", a, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 {
		t.Fatalf("%d files, want 2", len(files))
	}
	for _, f := range files {
		switch {
		case strings.HasSuffix(f.Name, ".k9s"):
			k9s = f
		case strings.HasSuffix(f.Name, "-qr.png"):
			qr = f
		default:
			t.Fatalf("unexpected file %q", f.Name)
		}
	}
	if k9s.Data == nil || qr.Data == nil {
		t.Fatal("missing .k9s or QR file")
	}
	return k9s, qr
}

// The goldens use fixed names (account.k9s, qr.png, and qr.json with the
// decoded payload) so that no path depends on the address; the file names
// are checked separately.
func TestAndroidGolden(t *testing.T) {
	wantNames := map[string]string{
		"imap": "jane@example.com", "pop3": "max@example.org", "idn": "j_rgen=2f5c75b104c5@xn--bcher-kva.example",
		"special": "o_brien+news=b51816eace54@example.com", "starttls": "sam@example.net", "plain": "lab@lab.example",
		"oauth2": "jo@oauth.example",
	}
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			k9s, qr := androidFiles(t, f.acct, Options{})
			if want := wantNames[f.name]; k9s.Name != want+".k9s" || qr.Name != want+"-qr.png" {
				t.Errorf("names %q, %q; want %q + .k9s and -qr.png", k9s.Name, qr.Name, want)
			}
			for _, file := range []File{k9s, qr} {
				if file.Format != "android" || file.Mode != 0o644 || file.HasPassword {
					t.Errorf("%s: format %q mode %v password %v", file.Name, file.Format, file.Mode, file.HasPassword)
				}
				if !strings.Contains(file.Use, "Import settings") || !strings.Contains(file.Use, "Gmail and Samsung Email") ||
					!strings.Contains(file.Use, "setup sheet") {
					t.Errorf("%s: Use %q lacks the import steps or the Gmail/Samsung note", file.Name, file.Use)
				}
			}
			golden(t, path.Join("android", f.name, "account.k9s"), k9s.Data)
			golden(t, path.Join("android", f.name, "qr.png"), qr.Data)
			text, _, _ := decodeQRPNG(t, qr.Data)
			golden(t, path.Join("android", f.name, "qr.json"), []byte(text+"\n"))
		})
	}
}

func TestAndroidDeterministic(t *testing.T) {
	for _, f := range fixtures() {
		k1, q1 := androidFiles(t, f.acct, Options{})
		k2, q2 := androidFiles(t, f.acct, Options{})
		if !bytes.Equal(k1.Data, k2.Data) || !bytes.Equal(q1.Data, q2.Data) {
			t.Errorf("%s: two renders differ", f.name)
		}
	}
}

// k9sDoc and friends parse a .k9s file independently of the renderer's types.
type k9sDoc struct {
	XMLName  xml.Name `xml:"k9settings"`
	Format   string   `xml:"format,attr"`
	Version  string   `xml:"version,attr"`
	Accounts []struct {
		UUID     string     `xml:"uuid,attr"`
		Name     string     `xml:"name"`
		Incoming *k9sSrvDoc `xml:"incoming-server"`
		Outgoing *k9sSrvDoc `xml:"outgoing-server"`
		Settings []struct {
			Key   string `xml:"key,attr"`
			Value string `xml:",chardata"`
		} `xml:"settings>value"`
		Identities []struct {
			Name  string `xml:"name"`
			Email string `xml:"email"`
		} `xml:"identities>identity"`
	} `xml:"accounts>account"`
}

type k9sSrvDoc struct {
	Type     string  `xml:"type,attr"`
	Host     string  `xml:"host"`
	Port     *string `xml:"port"`
	Security string  `xml:"connection-security"`
	Auth     string  `xml:"authentication-type"`
	Username *string `xml:"username"`
	Password *string `xml:"password"`
}

func parseK9s(t *testing.T, data []byte) k9sDoc {
	t.Helper()
	var doc k9sDoc
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("parse .k9s: %v\n%s", err, data)
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if cd, ok := tok.(xml.CharData); err != nil || !ok || len(bytes.TrimSpace(cd)) > 0 {
			t.Fatalf("content after the root element: %v %v", tok, err)
		}
	}
	return doc
}

// checkK9sImport applies the importer's rules (formats.md 4a) and the
// account's values.
func checkK9sImport(t *testing.T, doc k9sDoc, a account.Account) {
	t.Helper()
	if doc.Format != "1" {
		t.Errorf("format %q, want 1", doc.Format)
	}
	if v, err := strconv.Atoi(doc.Version); err != nil || v <= 0 {
		t.Errorf("version %q, want an integer > 0", doc.Version)
	}
	if len(doc.Accounts) != 1 {
		t.Fatalf("%d accounts, want 1", len(doc.Accounts))
	}
	acc := doc.Accounts[0]
	u, err := uuid.Parse(acc.UUID)
	if err != nil || u.Variant() != uuid.RFC4122 || u.Version() != 5 || len(acc.UUID) != 36 {
		t.Errorf("uuid %q: %v, variant %v, version %v; want an RFC 4122 v5 UUID", acc.UUID, err, u.Variant(), u.Version())
	}
	if acc.Name == "" {
		t.Error("no account name")
	}
	validSec := map[string]bool{"SSL_TLS_REQUIRED": true, "STARTTLS_REQUIRED": true, "NONE": true}
	validAuth := map[string]bool{"PLAIN": true, "CRAM_MD5": true, "EXTERNAL": true, "XOAUTH2": true, "NONE": true}
	wantSec := map[account.Security]string{account.TLS: "SSL_TLS_REQUIRED", account.STARTTLS: "STARTTLS_REQUIRED", account.None: "NONE"}
	for _, c := range []struct {
		name  string
		got   *k9sSrvDoc
		want  account.Server
		types string
	}{{"incoming-server", acc.Incoming, a.Incoming, "IMAP POP3"}, {"outgoing-server", acc.Outgoing, a.Outgoing, "SMTP"}} {
		s := c.got
		if s == nil {
			t.Fatalf("no %s", c.name)
		}
		if !strings.Contains(" "+c.types+" ", " "+s.Type+" ") || s.Type != strings.ToUpper(c.want.Protocol.String()) {
			t.Errorf("%s type %q", c.name, s.Type)
		}
		if s.Host == "" || s.Host != c.want.Host {
			t.Errorf("%s host %q, want %q", c.name, s.Host, c.want.Host)
		}
		for _, r := range s.Host {
			if r > 0x7e {
				t.Errorf("%s host %q is not ASCII", c.name, s.Host)
				break
			}
		}
		if s.Port == nil || *s.Port != strconv.Itoa(c.want.Port) {
			t.Errorf("%s port %v, want %d", c.name, s.Port, c.want.Port)
		}
		if !validSec[s.Security] || s.Security != wantSec[c.want.Security] {
			t.Errorf("%s connection-security %q", c.name, s.Security)
		}
		if !validAuth[s.Auth] {
			t.Errorf("%s authentication-type %q", c.name, s.Auth)
		}
		if s.Username == nil || *s.Username != c.want.Username || strings.ContainsAny(*s.Username, "\r\n") {
			t.Errorf("%s username %v, want %q", c.name, s.Username, c.want.Username)
		}
	}
	if len(acc.Identities) == 0 {
		t.Fatal("no identity")
	}
	id := acc.Identities[0]
	if id.Email != a.Email.String() || id.Name != a.DisplayName {
		t.Errorf("identity %q <%s>, want %q <%s>", id.Name, id.Email, a.DisplayName, a.Email)
	}
	if _, err := account.ParseAddress(id.Email); err != nil {
		t.Errorf("identity email %q: %v", id.Email, err)
	}
	policy := ""
	for _, v := range acc.Settings {
		if v.Key == "deletePolicy" {
			policy = v.Value
		}
	}
	switch {
	case a.Incoming.Protocol != account.POP3:
		// Thunderbird for Android's own QR import writes DELETE for IMAP;
		// without it the app defaults to NEVER and never deletes on the
		// server.
		if policy != "DELETE" {
			t.Errorf("IMAP deletePolicy %q, want DELETE", policy)
		}
	case a.POP3 == nil || a.POP3.LeaveOnServer:
		if policy != "NEVER" {
			t.Errorf("POP3 deletePolicy %q, want NEVER", policy)
		}
	default:
		if policy != "DELETE" {
			t.Errorf("POP3 without leave-on-server: deletePolicy %q, want DELETE", policy)
		}
	}
}

func TestK9sImportRules(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			k9s, _ := androidFiles(t, f.acct, Options{})
			doc := parseK9s(t, k9s.Data)
			checkK9sImport(t, doc, f.acct.Expand())
			for _, s := range []*k9sSrvDoc{doc.Accounts[0].Incoming, doc.Accounts[0].Outgoing} {
				if s.Password != nil {
					t.Errorf("%s has a password element without IncludePassword", s.Type)
				}
			}
		})
	}
}

func TestK9sDeletePolicyDefault(t *testing.T) {
	a := fixtures()[1].acct // POP3
	a.POP3 = nil
	k9s, _ := androidFiles(t, a, Options{})
	checkK9sImport(t, parseK9s(t, k9s.Data), a.Expand())
	if !bytes.Contains(k9s.Data, []byte(`<value key="deletePolicy">NEVER</value>`)) {
		t.Errorf("POP3 without options: want deletePolicy NEVER\n%s", k9s.Data)
	}
}

func TestK9sUUID(t *testing.T) {
	uuidOf := func(a account.Account) string {
		k9s, _ := androidFiles(t, a, Options{})
		return parseK9s(t, k9s.Data).Accounts[0].UUID
	}
	fx := fixtures()
	a, b := uuidOf(fx[0].acct), uuidOf(fx[1].acct)
	if a == b {
		t.Errorf("two addresses share the UUID %s", a)
	}
	if want := uuid.NewSHA1(uuid.NameSpaceURL, []byte("mailto:jane@example.com")).String(); a != want {
		t.Errorf("uuid %s, want %s (v5 of mailto:address)", a, want)
	}
}

func TestK9sAuthValues(t *testing.T) {
	cases := map[account.AuthMethod]string{
		account.AuthPasswordCleartext: "PLAIN", account.AuthPasswordEncrypted: "CRAM_MD5",
		account.AuthOAuth2: "XOAUTH2", account.AuthTLSClientCert: "EXTERNAL",
		account.AuthNone: "NONE", account.AuthClientIP: "NONE",
	}
	for m, want := range cases {
		a := fixtures()[0].acct
		a.Incoming.Auth = m
		k9s, _ := androidFiles(t, a, Options{})
		if got := parseK9s(t, k9s.Data).Accounts[0].Incoming.Auth; got != want {
			t.Errorf("%s: authentication-type %q, want %q", m, got, want)
		}
	}
	for _, m := range []account.AuthMethod{account.AuthNTLM, account.AuthGSSAPI} {
		a := fixtures()[0].acct
		a.Incoming.Auth = m
		_, err := Render("android", a, Options{})
		if err == nil || !strings.Contains(err.Error(), "cannot use") {
			t.Errorf("%s: err = %v, want a clear error", m, err)
		}
	}
}

func TestAndroidRejectsLineBreaks(t *testing.T) {
	a := fixtures()[0].acct
	a.Incoming.Username = "jane\r\nX-Evil: 1"
	if _, err := Render("android", a, Options{}); err == nil || !strings.Contains(err.Error(), "line break") {
		t.Errorf("username with CR/LF: err = %v", err)
	}
	a = fixtures()[0].acct
	if _, err := Render("android", a, Options{IncludePassword: true, Password: "se\ncret"}); err == nil ||
		!strings.Contains(err.Error(), "line break") {
		t.Errorf("password with LF: err = %v", err)
	}
	// A password that is not included is not checked.
	if _, err := Render("android", a, Options{Password: "se\ncret"}); err != nil {
		t.Errorf("password not included: %v", err)
	}
}

const testPassword = "S3cr3t&<pässword>\"'"

func TestAndroidPassword(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			// Default: no password anywhere, even when one is given.
			for _, o := range []Options{{}, {Password: testPassword}, {IncludePassword: true}} {
				k9s, qr := androidFiles(t, f.acct, o)
				text, _, _ := decodeQRPNG(t, qr.Data)
				if bytes.Contains(k9s.Data, []byte("<password>")) || strings.Contains(text, "S3cr3t") || k9s.HasPassword || qr.HasPassword {
					t.Errorf("options %+v: password present", o)
				}
			}
			k9s, qr := androidFiles(t, f.acct, Options{IncludePassword: true, Password: testPassword})
			if f.acct.Incoming.Auth == account.AuthOAuth2 {
				// OAuth2 uses no password: none is written even when asked
				// for, and the instructions say the app opens the
				// provider's sign-in page.
				for _, file := range []File{k9s, qr} {
					if file.HasPassword || file.Mode != 0o644 || bytes.Contains(file.Data, []byte("S3cr3t")) ||
						!strings.Contains(file.Use, "sign-in page") || !strings.Contains(file.Use, "OAuth2 does not use one") {
						t.Errorf("%s: OAuth2 with IncludePassword: HasPassword %v mode %v, Use %q", file.Name, file.HasPassword, file.Mode, file.Use)
					}
				}
				return
			}
			for _, file := range []File{k9s, qr} {
				if !file.HasPassword || file.Mode != 0o600 {
					t.Errorf("%s: HasPassword %v mode %v, want true 0600", file.Name, file.HasPassword, file.Mode)
				}
				if !strings.Contains(file.Use, "password") {
					t.Errorf("%s: Use does not warn about the password", file.Name)
				}
			}
			doc := parseK9s(t, k9s.Data)
			checkK9sImport(t, doc, f.acct.Expand())
			for _, s := range []*k9sSrvDoc{doc.Accounts[0].Incoming, doc.Accounts[0].Outgoing} {
				if s.Password == nil || *s.Password != testPassword {
					t.Errorf("%s password %v, want %q", s.Type, s.Password, testPassword)
				}
			}
			text, _, _ := decodeQRPNG(t, qr.Data)
			in := checkQRJSON(t, text)[0]
			out := in[8].([]any)
			if in[7] != testPassword || out[6] != testPassword {
				t.Errorf("QR passwords %q, %q; want %q", in[7], out[6], testPassword)
			}
		})
	}
}

func TestAndroidQRDecodes(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			a := f.acct.Expand()
			_, qr := androidFiles(t, f.acct, Options{})
			text, ec, detected := decodeQRPNG(t, qr.Data)
			if !detected {
				t.Error("gozxing's detector did not find the code")
			}
			if ec != "L" {
				t.Errorf("error correction %q, want L", ec)
			}
			accts := checkQRJSON(t, text)
			if len(accts) != 1 {
				t.Fatalf("%d accounts", len(accts))
			}
			in := accts[0]
			proto := "0"
			if a.Incoming.Protocol == account.POP3 {
				proto = "1"
			}
			if got := []any{in[0], in[1], in[2], in[5], in[6], in[7]}; !sameFields(got, proto, a.Incoming.Host, a.Incoming.Port, a.Incoming.Username, a.Email.Display(), "") {
				t.Errorf("incoming %v", got)
			}
			out := in[8].([]any)
			if !sameFields(out, "0", a.Outgoing.Host, a.Outgoing.Port) || out[5] != a.Outgoing.Username || out[6] != "" {
				t.Errorf("outgoing %v", out)
			}
			id := in[9].([]any)
			if id[0] != a.Email.String() || id[1] != a.DisplayName {
				t.Errorf("identity %v", id)
			}
			// The PNG has a quiet zone: its border is white.
			img := decodePNG(t, qr.Data)
			b := img.Bounds()
			for i := range b.Dx() {
				for _, p := range [][2]int{{i, 0}, {i, b.Dy() - 1}, {0, i}, {b.Dx() - 1, i}} {
					if r, _, _, _ := img.At(p[0], p[1]).RGBA(); r != 0xffff {
						t.Fatalf("pixel %v of the border is not white", p)
					}
				}
			}
		})
	}
}

func sameFields(got []any, want ...any) bool {
	for i, w := range want {
		if i >= len(got) || strings.TrimSpace(toString(got[i])) != toString(w) {
			return false
		}
	}
	return true
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case interface{ String() string }:
		return x.String()
	}
	return "?"
}
