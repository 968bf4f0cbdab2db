package templates

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	htmltemplate "html/template"
	texttemplate "text/template"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

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

// sheetElements are the elements the sheet's template writes; anything
// else in a rendered page came from a value that was not escaped.
var sheetElements = map[atom.Atom]bool{
	atom.Html: true, atom.Head: true, atom.Meta: true, atom.Title: true, atom.Style: true, atom.Body: true,
	atom.Header: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.P: true, atom.Span: true,
	atom.Code: true, atom.Strong: true, atom.Figure: true, atom.Img: true, atom.Figcaption: true, atom.Section: true,
	atom.Table: true, atom.Thead: true, atom.Tbody: true, atom.Tr: true, atom.Th: true, atom.Td: true, atom.Br: true,
	atom.Small: true, atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Footer: true,
}

// checkSheetProperties renders the sheet for raw (valid once expanded)
// in lang and checks what must hold for any account: the page parses with
// only the template's own elements and no external resource, it has one
// section per app and the settings table, the name and address read back
// as text, the Markdown has exactly the headings the template writes, and
// neither holds the password.
func checkSheetProperties(t testing.TB, name string, raw account.Account, lang i18n.Lang) {
	t.Helper()
	const password = "pw-Q7zX-never"
	a := raw.Expand()
	files, err := Render("sheet", raw, Options{Lang: lang, Password: password, IncludePassword: true})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	h, m := files[0].Data, files[1].Data
	if bytes.Contains(h, []byte(password)) || bytes.Contains(m, []byte(password)) {
		t.Fatalf("%s: the sheet holds the password", name)
	}
	doc, err := html.Parse(bytes.NewReader(h))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	imgs := 0
	for _, n := range findAll(doc, func(*html.Node) bool { return true }) {
		if !sheetElements[n.DataAtom] {
			t.Fatalf("%s: element <%s> in the page:\n%s", name, n.Data, h)
		}
		if n.DataAtom == atom.Img {
			imgs++
		}
	}
	if imgs > 1 {
		t.Fatalf("%s: %d images", name, imgs)
	}
	if t, ok := t.(*testing.T); ok {
		checkNoExternalResources(t, doc)
	}
	ids := map[string]bool{}
	for _, n := range findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Section }) {
		id, _ := attr(n, "id")
		ids[id] = true
	}
	for _, id := range []string{"settings", "imap-pop3", "apps", "iphone", "mac", "outlook-classic", "outlook-new", "outlook-mobile",
		"thunderbird", "android-thunderbird", "android-other"} {
		if !ids[id] {
			t.Fatalf("%s: no section %q", name, id)
		}
	}
	text := nodeText(doc)
	readable := func(s string) bool { return utf8.ValidString(s) && !strings.ContainsAny(s, "\x00\r") }
	if display := a.Email.Display(); readable(display) && !strings.Contains(text, display) {
		t.Fatalf("%s: the address %q does not read back", name, display)
	}
	if n := androidOneLine(a.DisplayName); n != "" && readable(n) && !strings.Contains(text, n) {
		t.Fatalf("%s: the name %q does not read back", name, n)
	}
	if u := a.Incoming.Username; u != "" && readable(u) && !strings.Contains(text, u) {
		t.Fatalf("%s: the user name %q does not read back", name, u)
	}
	headings := 0
	for _, line := range strings.Split(string(m), "\n") {
		if strings.HasPrefix(line, "#") {
			headings++
		}
	}
	want := 1 + 3 + 8 // the title, Settings / IMAP, POP3 and SMTP / Step by step, one per app
	if a.Incoming.Protocol == account.POP3 {
		want++
	}
	if headings != want {
		t.Fatalf("%s: %d Markdown headings, want %d:\n%s", name, headings, want, m)
	}
}

// TestSheetHostile renders generated accounts with hostile names, user
// names and addresses in every language.
func TestSheetHostile(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 30
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i, valid := 0, 0; valid < n; i++ {
		a := hostileAccount(r)
		if a.Expand().Validate() != nil {
			continue
		}
		valid++
		checkSheetProperties(t, fmt.Sprintf("account %d %q", i, a.Email), a, i18n.Supported[valid%len(i18n.Supported)])
	}
}

// FuzzSheet renders fuzzed accounts and checks the sheet's properties.
// Inputs account.Validate rejects are skipped, as Render rejects them.
func FuzzSheet(f *testing.F) {
	f.Add("Jane Doe", "jane", "example.com", "imap.example.com", "%EMAILADDRESS%", "smtp.example.com", "%EMAILADDRESS%", uint8(0), uint16(0))
	f.Add(`Zoë "Z" <O'Brien> & Co`, "o'brien+news", "bücher.example", "mail.xn--bcher-kva.example", "`a|b`", "192.0.2.1",
		"*x*_y_", uint8(0x9b), uint16(14))
	f.Add("a\nb\tc\x00", "x", "日本.example", "2001:db8::1", "", "::1", "", uint8(0xff), uint16(1))
	f.Add("[x](y) | # ~ \\ ``", "a.b", "example.org", "mail.example.org", "u+1", "mail.example.org", "u+2", uint8(0x24), uint16(400))
	f.Add("<script>alert(1)</script>", "a", "example.org", "mail.example.org", "</code><b>", "mail.example.org", "u", uint8(0x41), uint16(21))
	f.Fuzz(func(t *testing.T, name, local, domain, inHost, inUser, outHost, outUser string, flags uint8, days uint16) {
		addr, err := account.ParseAddress(local + "@" + domain)
		if err != nil {
			t.Skip()
		}
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
		if a.Expand().Validate() != nil {
			t.Skip()
		}
		checkSheetProperties(t, "fuzz", a, i18n.Supported[int(days)%len(i18n.Supported)])
	})
}

func TestMDHelpers(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "plain": "plain", "a*b": `a\*b`, "<x>|[y]_~`\\": "\\<x\\>\\|\\[y\\]\\_\\~\\`\\\\", "Zoë": "Zoë",
	} {
		if got := mdEscape(in); got != want {
			t.Errorf("mdEscape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSheetMessageCannotAddActions fills the templates with a language
// whose words hold template actions: they print as text.
func TestSheetMessageCannotAddActions(t *testing.T) {
	static := *sheetLangFor(i18n.EN).static
	static.Footer = guardActions(sheetText{HTML: "{{.Lang}} {{/* x */}}", MD: "{{.Lang}} {{/* x */}}"})
	d := newSheetData(fixtures()[0].acct.Expand(), i18n.EN)
	h := htmltemplate.Must(htmltemplate.New("").Parse(fillSheetSource(sheetHTMLSource, &static)))
	m := texttemplate.Must(texttemplate.New("").Parse(fillSheetSource(sheetMDSource, &static)))
	var hb, mb bytes.Buffer
	if err := h.Execute(&hb, d); err != nil {
		t.Fatal(err)
	}
	if err := m.Execute(&mb, d); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hb.String(), "<p>{{.Lang}} {{/* x */}}</p>") || !strings.Contains(mb.String(), "\n{{.Lang}} {{/* x */}}\n") {
		t.Errorf("the words became actions:\n%s\n%s", hb.String()[hb.Len()-200:], mb.String()[mb.Len()-100:])
	}
}
