package templates

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"math/rand/v2"
	"strings"
	"testing"
	texttemplate "text/template"

	"github.com/mailsetup/mailsetup/account"
)

// The html/template and text/template files the setup sheet was rendered
// with before writeSheetHTML and writeSheetMD replaced them. They stay as
// the oracle: the direct writers must produce exactly the bytes the
// templates produce for the same sheetData.

//go:embed testdata/sheet-templates/sheet.html.tmpl testdata/sheet-templates/sheet.md.tmpl
var sheetTemplateFiles embed.FS

var (
	sheetOracleHTML = htmltemplate.Must(htmltemplate.New("sheet.html.tmpl").
			ParseFS(sheetTemplateFiles, "testdata/sheet-templates/sheet.html.tmpl"))
	sheetOracleMD = texttemplate.Must(texttemplate.New("sheet.md.tmpl").Funcs(texttemplate.FuncMap{
		"md":   mdEscape,
		"code": mdCode,
		"cell": mdCell,
		"inc":  func(i int) int { return i + 1 },
	}).ParseFS(sheetTemplateFiles, "testdata/sheet-templates/sheet.md.tmpl"))
)

// sheetOracleData is sheetData as the templates saw it: the QR code's data:
// URI typed as a trusted URL, which html/template would otherwise replace
// with "#ZgotmplZ". The embedded fields are promoted; QR shadows d.QR.
type sheetOracleData struct {
	*sheetData
	QR htmltemplate.URL
}

// renderSheetTemplates renders d with the old templates.
func renderSheetTemplates(d *sheetData) (htmlOut, mdOut []byte, err error) {
	od := sheetOracleData{sheetData: d, QR: htmltemplate.URL(d.QR)}
	var h, m bytes.Buffer
	if err := sheetOracleHTML.Execute(&h, od); err != nil {
		return nil, nil, fmt.Errorf("html template: %w", err)
	}
	if err := sheetOracleMD.Execute(&m, od); err != nil {
		return nil, nil, fmt.Errorf("markdown template: %w", err)
	}
	return h.Bytes(), m.Bytes(), nil
}

// renderSheetDirect renders d with the writers renderSheet uses.
func renderSheetDirect(d *sheetData) (htmlOut, mdOut []byte) {
	var h, m bytes.Buffer
	writeSheetHTML(&h, d)
	writeSheetMD(&m, d)
	return h.Bytes(), m.Bytes()
}

// compareSheet renders a (already expanded and valid) both ways and
// reports the first difference.
func compareSheet(t testing.TB, name string, a account.Account) {
	t.Helper()
	d := newSheetData(a)
	wantH, wantM, err := renderSheetTemplates(d)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	gotH, gotM := renderSheetDirect(d)
	diffBytes(t, name+" html", gotH, wantH)
	diffBytes(t, name+" md", gotM, wantM)
}

// diffBytes reports where got first differs from want, with context.
func diffBytes(t testing.TB, what string, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-80)
	t.Errorf("%s: direct writer differs from the template at byte %d (lengths %d, %d)\n--- direct:\n%q\n--- template:\n%q",
		what, i, len(got), len(want), got[lo:min(len(got), i+80)], want[lo:min(len(want), i+80)])
}

func TestSheetDirectMatchesTemplatesFixtures(t *testing.T) {
	for _, f := range fixtures() {
		a := f.acct.Expand()
		if err := a.Validate(); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		compareSheet(t, f.name, a)
	}
}

// Pieces hostile display names, usernames and local parts are made of:
// HTML and Markdown specials, placeholders, entities, line breaks and other
// control characters, non-ASCII and invalid UTF-8.
var sheetHostilePieces = []string{
	"<", ">", "&", `"`, "'", "+", "`", "``", "```", "*", "_", "[", "]", "|", "\\", "#", "~", "-", "=", "!", "(", ")",
	"<script>alert(1)</script>", "<b>", "&amp;", "&#39;", "&lt;", "%41", "%", "%EMAILADDRESS%", "%EMAILLOCALPART%",
	"%REALNAME%", "%EMAILDOMAIN%", "{{.Name}}", "1. ", "- ", "> ", "## ", "---", "**", "__", "[x](http://evil.example)",
	" ", "  ", "\n", "\r\n", "\t", "\x00", "\x7f", "\u0085", "\u2028", "\u200b", "\ufeff", "\ufdd0", "\ufffd", "\uffff",
	"\xff", "\xc0\x80", "\xed\xa0\x80", "é", "Zoë", "日本語", "Jürgen", "😀", "\u202e", "ﬁ", "a", "Jane", "Doe", ".",
}

func hostileString(r *rand.Rand, maxPieces int) string {
	var b strings.Builder
	for range r.IntN(maxPieces + 1) {
		b.WriteString(sheetHostilePieces[r.IntN(len(sheetHostilePieces))])
	}
	return b.String()
}

var (
	sheetLocalParts = []string{"jane", "o'brien+news", "a.b", "x_y", "a&b", "tick`s", "st*r", "pipe|x", "hash#1", "til~de",
		"q=1", "a{b}", "a/b", "plus+", "jürgen", "日本", "%41", "x!y", "under_score_", "x$y"}
	sheetDomains = []string{"example.com", "bücher.example", "xn--bcher-kva.example", "日本.example", "straße.example",
		"ÉCOLE.example", "a-b.example", "sub.domain.example.org", "xn--80ak6aa92e.example"}
	sheetHosts = []string{"imap.example.com", "mail.xn--bcher-kva.example", "xn--80ak6aa92e.example", "192.0.2.1",
		"2001:db8::1", "::1", "mail.example.net", "a-b.example", "xn--ls8h.example", "%EMAILDOMAIN%", "mail.%EMAILDOMAIN%",
		"smtp.EXAMPLE.com", "bücher.example", "host_name.example"}
)

// hostileAccount makes a random account; it may be invalid, callers skip
// those that account.Validate rejects after Expand.
func hostileAccount(r *rand.Rand) account.Account {
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	var a account.Account
	local := pick(sheetLocalParts)
	if r.IntN(4) == 0 {
		local += hostileString(r, 2)
	}
	addr, err := account.ParseAddress(local + "@" + pick(sheetDomains))
	if err != nil {
		addr = account.MustParseAddress("jane@" + pick(sheetDomains))
	}
	a.Email = addr
	switch r.IntN(8) {
	case 0:
		a.DisplayName = ""
	case 1:
		// Too long for a QR code: the sheet gets a QRNote instead.
		a.DisplayName = strings.Repeat(hostileString(r, 4)+"x", 400)
	default:
		a.DisplayName = hostileString(r, 8)
	}
	inProto := account.IMAP
	if r.IntN(2) == 0 {
		inProto = account.POP3
	}
	srv := func(p account.Protocol) account.Server {
		s := account.Server{
			Protocol: p,
			Host:     pick(sheetHosts),
			Security: account.Security(1 + r.IntN(3)),
			Auth:     account.AuthMethod(1 + r.IntN(8)),
		}
		s.Port = account.DefaultPort(p, s.Security)
		if r.IntN(4) == 0 {
			s.Port = 1 + r.IntN(65535)
		}
		switch r.IntN(5) {
		case 0:
			s.Username = "%EMAILADDRESS%"
		case 1:
			s.Username = "%EMAILLOCALPART%"
		case 2:
			s.Username = ""
		default:
			s.Username = hostileString(r, 5)
		}
		// Most methods need a password, so most accounts use one.
		if r.IntN(3) > 0 {
			s.Auth = account.AuthPasswordCleartext
		}
		return s
	}
	a.Incoming = srv(inProto)
	a.Outgoing = srv(account.SMTP)
	if inProto == account.POP3 {
		switch r.IntN(5) {
		case 0:
			a.POP3 = nil
		case 1:
			a.POP3 = &account.POP3Options{}
		case 2:
			a.POP3 = &account.POP3Options{LeaveOnServer: true}
		default:
			a.POP3 = &account.POP3Options{LeaveOnServer: true, DaysOnServer: 1 + r.IntN(400)}
		}
	}
	a.Provenance = account.Provenance{Source: account.SourceManual}
	return a
}

func TestSheetDirectMatchesTemplatesHostile(t *testing.T) {
	n := 600
	if testing.Short() {
		n = 60
	}
	r := rand.New(rand.NewPCG(1, 2))
	valid := 0
	var sawPOP3, sawIDN, sawNote, sawWarn, sawNone, sawHostUnicode, sawNoName bool
	pop3Kinds := map[string]bool{}
	for i := 0; valid < n; i++ {
		a := hostileAccount(r).Expand()
		if a.Validate() != nil {
			continue
		}
		valid++
		d := newSheetData(a)
		sawPOP3 = sawPOP3 || a.Incoming.Protocol == account.POP3
		sawIDN = sawIDN || d.IDN
		sawNote = sawNote || d.QRNote != ""
		sawWarn = sawWarn || len(d.Warnings) > 0
		sawNone = sawNone || a.Incoming.Security == account.None
		sawHostUnicode = sawHostUnicode || d.Servers[0].HostUnicode != "" || d.Servers[1].HostUnicode != ""
		sawNoName = sawNoName || d.Name == ""
		if a.Incoming.Protocol == account.POP3 {
			pop3Kinds[d.POP3[0]] = true
		}
		compareSheet(t, fmt.Sprintf("account %d %q", i, a.Email), a)
		if t.Failed() {
			t.Fatalf("account: %#v", a)
		}
	}
	if !testing.Short() && !(sawPOP3 && sawIDN && sawNote && sawWarn && sawNone && sawHostUnicode && sawNoName && len(pop3Kinds) == 4) {
		t.Errorf("the generated accounts miss a case: pop3 %v idn %v qrnote %v warnings %v none %v hostunicode %v noname %v pop3 kinds %v",
			sawPOP3, sawIDN, sawNote, sawWarn, sawNone, sawHostUnicode, sawNoName, pop3Kinds)
	}
}

// TestSheetDirectMatchesTemplatesCases covers the specific variants the
// brief names, one by one, so a failure points at the case.
func TestSheetDirectMatchesTemplatesCases(t *testing.T) {
	base := fixtures()[0].acct
	pop := fixtures()[1].acct
	cases := map[string]func(a *account.Account){
		"imap": func(*account.Account) {},
		"pop3 default": func(a *account.Account) {
			*a = pop
			a.POP3 = nil
		},
		"pop3 delete": func(a *account.Account) { *a = pop; a.POP3 = &account.POP3Options{} },
		"pop3 keep":   func(a *account.Account) { *a = pop; a.POP3 = &account.POP3Options{LeaveOnServer: true} },
		"pop3 days": func(a *account.Account) {
			*a = pop
			a.POP3 = &account.POP3Options{LeaveOnServer: true, DaysOnServer: 7}
		},
		"starttls": func(a *account.Account) {
			a.Incoming.Security, a.Outgoing.Security = account.STARTTLS, account.STARTTLS
		},
		"none in":       func(a *account.Account) { a.Incoming.Security = account.None },
		"none out":      func(a *account.Account) { a.Outgoing.Security = account.None },
		"oauth2":        func(a *account.Account) { a.Incoming.Auth, a.Outgoing.Auth = account.AuthOAuth2, account.AuthOAuth2 },
		"ntlm":          func(a *account.Account) { a.Incoming.Auth = account.AuthNTLM },
		"gssapi":        func(a *account.Account) { a.Outgoing.Auth = account.AuthGSSAPI },
		"client cert":   func(a *account.Account) { a.Incoming.Auth = account.AuthTLSClientCert },
		"no auth":       func(a *account.Account) { a.Outgoing.Auth, a.Outgoing.Username = account.AuthNone, "" },
		"client ip":     func(a *account.Account) { a.Outgoing.Auth, a.Outgoing.Username = account.AuthClientIP, "" },
		"encrypted pw":  func(a *account.Account) { a.Incoming.Auth = account.AuthPasswordEncrypted },
		"no name":       func(a *account.Account) { a.DisplayName = "" },
		"newline name":  func(a *account.Account) { a.DisplayName = "Jane\nDoe\r\n\tX\x00" },
		"markdown name": func(a *account.Account) { a.DisplayName = "*a* _b_ [c] |d| \\e #f ~g~ `h` ``i``" },
		"html name":     func(a *account.Account) { a.DisplayName = `<a href="x">'&'+</a>` },
		"hostile user": func(a *account.Account) {
			a.Incoming.Username, a.Outgoing.Username = "`u|s*e_r`<&>\"'+", "``"
		},
		"idn": func(a *account.Account) {
			a.Email = account.MustParseAddress("jürgen@bücher.example")
			a.Incoming.Host = "imap.xn--bcher-kva.example"
		},
		"ip hosts":  func(a *account.Account) { a.Incoming.Host, a.Outgoing.Host = "192.0.2.1", "2001:db8::1" },
		"odd ports": func(a *account.Account) { a.Incoming.Port, a.Outgoing.Port = 1, 65535 },
		"long name": func(a *account.Account) { a.DisplayName = strings.Repeat("Jane <Doe> & ", 300) },
		"pop3 ntlm": func(a *account.Account) {
			*a = pop
			a.Incoming.Auth = account.AuthNTLM
			a.Incoming.Security = account.None
		},
		"pop3 oauth": func(a *account.Account) {
			*a = pop
			a.Outgoing.Auth = account.AuthOAuth2
			a.POP3 = &account.POP3Options{}
		},
	}
	for name, mod := range cases {
		t.Run(name, func(t *testing.T) {
			a := base
			mod(&a)
			a = a.Expand()
			if err := a.Validate(); err != nil {
				t.Fatal(err)
			}
			compareSheet(t, name, a)
		})
	}
}

// TestSheetEscapersMatchHTMLTemplate checks htmlEscape and htmlURLAttr
// against html/template itself in every context the sheet uses, for
// strings made of every byte value and hostile pieces.
func TestSheetEscapersMatchHTMLTemplate(t *testing.T) {
	inputs := []string{"", "plain", "data:image/png;base64,iVBOR+w/8=", "%41%4", "%4", "%", "a%zz", "%%41",
		"javascript:alert(1)", "http://x/?a=1&b=2#f"}
	var all strings.Builder
	for c := range 256 {
		all.WriteByte(byte(c))
		inputs = append(inputs, string([]byte{byte(c)}), "a"+string([]byte{byte(c)})+"%41")
	}
	inputs = append(inputs, all.String())
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		inputs = append(inputs, hostileString(r, 10))
	}
	for _, s := range inputs {
		checkSheetEscapers(t, s)
	}
}

var sheetEscaperOracle = htmltemplate.Must(htmltemplate.New("").Parse(
	`<title>{{.S}}</title><p id="{{.S}}">{{.S}}</p><img src="{{.U}}">`))

func checkSheetEscapers(t testing.TB, s string) {
	t.Helper()
	var want bytes.Buffer
	if err := sheetEscaperOracle.Execute(&want, struct {
		S string
		U htmltemplate.URL
	}{s, htmltemplate.URL(s)}); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	got.WriteString("<title>")
	htmlEscape(&got, s)
	got.WriteString(`</title><p id="`)
	htmlEscape(&got, s)
	got.WriteString(`">`)
	htmlEscape(&got, s)
	got.WriteString(`</p><img src="`)
	htmlURLAttr(&got, s)
	got.WriteString(`">`)
	diffBytes(t, fmt.Sprintf("escaping %q", s), got.Bytes(), want.Bytes())
}

// FuzzSheet renders fuzzed accounts with the templates and the direct
// writers and compares the bytes. Inputs account.Validate rejects are
// skipped, as Render rejects them.
func FuzzSheet(f *testing.F) {
	f.Add("Jane Doe", "jane", "example.com", "imap.example.com", "%EMAILADDRESS%", "smtp.example.com", "%EMAILADDRESS%", uint8(0), uint16(0))
	f.Add(`Zoë "Z" <O'Brien> & Co`, "o'brien+news", "bücher.example", "mail.xn--bcher-kva.example", "`a|b`", "192.0.2.1",
		"*x*_y_", uint8(0x9b), uint16(14))
	f.Add("a\nb\tc\x00", "x", "日本.example", "2001:db8::1", "", "::1", "", uint8(0xff), uint16(1))
	f.Add("[x](y) | # ~ \\ ``", "a.b", "example.org", "mail.example.org", "u+1", "mail.example.org", "u+2", uint8(0x24), uint16(400))
	f.Fuzz(func(t *testing.T, name, local, domain, inHost, inUser, outHost, outUser string, flags uint8, days uint16) {
		addr, err := account.ParseAddress(local + "@" + domain)
		if err != nil {
			t.Skip()
		}
		// Host names in normal form, as account.Validate wants them: a
		// fuzzed "Mail.Bücher.example" is tried as mail.xn--bcher-kva.example.
		for _, h := range []*string{&inHost, &outHost} {
			if n, err := account.NormalizeHost(*h); err == nil {
				*h = n
			}
		}
		in := account.IMAP
		if flags&1 != 0 {
			in = account.POP3
		}
		sec := []account.Security{account.TLS, account.STARTTLS, account.None, account.TLS}
		auth := []account.AuthMethod{account.AuthPasswordCleartext, account.AuthOAuth2, account.AuthNTLM, account.AuthNone}
		a := account.Account{
			Email:       addr,
			DisplayName: name,
			Incoming: account.Server{Protocol: in, Host: inHost, Security: sec[flags>>1&3], Auth: auth[flags>>3&3],
				Username: inUser},
			Outgoing: account.Server{Protocol: account.SMTP, Host: outHost, Security: sec[flags>>5&3], Auth: auth[flags>>6&3],
				Username: outUser},
		}
		a.Incoming.Port = account.DefaultPort(a.Incoming.Protocol, a.Incoming.Security)
		a.Outgoing.Port = int(days)%65535 + 1
		if in == account.POP3 && days > 0 {
			a.POP3 = &account.POP3Options{LeaveOnServer: days%3 != 0, DaysOnServer: int(days % 3 % 2 * days / 2)}
		}
		a = a.Expand()
		if a.Validate() != nil {
			t.Skip()
		}
		compareSheet(t, "fuzz", a)
		for _, s := range []string{name, local, inUser, outHost} {
			checkSheetEscapers(t, s)
			checkMDHelpers(t, s)
		}
	})
}

// The Markdown helpers as the templates first used them, before they were
// made cheaper; the current ones must return the same strings.

func mdEscapeOracle(s string) string {
	if !strings.ContainsAny(s, "\\`*_[]<>|~") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>|~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func mdCodeOracle(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || s == "" {
		s = " " + s + " "
	}
	return fence + s + fence
}

func checkMDHelpers(t testing.TB, s string) {
	t.Helper()
	if got, want := mdEscape(s), mdEscapeOracle(s); got != want {
		t.Errorf("mdEscape(%q) = %q, want %q", s, got, want)
	}
	if got, want := mdCode(s), mdCodeOracle(s); got != want {
		t.Errorf("mdCode(%q) = %q, want %q", s, got, want)
	}
	if got, want := mdCell(s), strings.ReplaceAll(mdCodeOracle(s), "|", `\|`); got != want {
		t.Errorf("mdCell(%q) = %q, want %q", s, got, want)
	}
}

func TestMDHelpersMatchOracle(t *testing.T) {
	inputs := []string{"", "`", "``", "a`", "`a", "a``b```c", "\xff`", "`\xff", "\xff*", "é`\xc0\x80`|", "||", "\\"}
	for c := range 256 {
		inputs = append(inputs, string([]byte{byte(c)}), "x"+string([]byte{byte(c)})+"`\xff")
	}
	r := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		inputs = append(inputs, hostileString(r, 12))
	}
	for _, s := range inputs {
		checkMDHelpers(t, s)
	}
}
