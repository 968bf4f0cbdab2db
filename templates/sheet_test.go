package templates

import (
	"bytes"
	"encoding/base64"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/i18n/i18ntest"
)

func sheetFiles(t testing.TB, a account.Account, o Options) (htmlFile, mdFile File) {
	t.Helper()
	files, err := Render("sheet", a, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Name != "setup-sheet.html" || files[1].Name != "setup-sheet.md" {
		t.Fatalf("files %v, want setup-sheet.html and setup-sheet.md", files)
	}
	return files[0], files[1]
}

func TestSheetGolden(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			h, m := sheetFiles(t, f.acct, Options{})
			for _, file := range []File{h, m} {
				if file.Format != "sheet" || file.Mode != 0o644 || file.HasPassword || file.Use == "" {
					t.Errorf("%s: format %q mode %v password %v use %q", file.Name, file.Format, file.Mode, file.HasPassword, file.Use)
				}
			}
			golden(t, path.Join("sheet", f.name, h.Name), h.Data)
			golden(t, path.Join("sheet", f.name, m.Name), m.Data)
			h2, m2 := sheetFiles(t, f.acct, Options{})
			if !bytes.Equal(h.Data, h2.Data) || !bytes.Equal(m.Data, m2.Data) {
				t.Error("two renders differ")
			}
		})
	}
}

// nodeText returns the text content of n.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// checkNoExternalResources fails on anything that would make a browser
// fetch from the network: URL attributes that are not data: or fragment
// links, stylesheet links, scripts, and url()/@import in CSS.
func checkNoExternalResources(t *testing.T, doc *html.Node) {
	t.Helper()
	urlAttrs := map[string]bool{"src": true, "href": true, "srcset": true, "action": true, "formaction": true,
		"poster": true, "data": true, "background": true, "manifest": true, "xlink:href": true, "ping": true}
	for _, n := range findAll(doc, func(*html.Node) bool { return true }) {
		switch n.DataAtom {
		case atom.Script, atom.Iframe, atom.Object, atom.Embed, atom.Base, atom.Link:
			t.Errorf("element <%s> in a self-contained sheet", n.Data)
		case atom.Style:
			css := strings.ToLower(nodeText(n))
			if strings.Contains(css, "url(") || strings.Contains(css, "@import") {
				t.Errorf("CSS loads a resource: %q", css)
			}
		}
		for _, a := range n.Attr {
			v := strings.ToLower(strings.TrimSpace(a.Val))
			if a.Key == "style" && strings.Contains(v, "url(") {
				t.Errorf("<%s style=%q> loads a resource", n.Data, a.Val)
			}
			if !urlAttrs[a.Key] {
				continue
			}
			if n.DataAtom == atom.A && a.Key == "href" {
				// A link the reader may follow (the provider's pages)
				// loads nothing: only to a web page, and without telling
				// it where the reader came from.
				rel, _ := attr(n, "rel")
				if !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") || rel != "noopener noreferrer" {
					t.Errorf("<a href=%q rel=%q>: want an http(s) link with rel=\"noopener noreferrer\"", a.Val, rel)
				}
				continue
			}
			if !strings.HasPrefix(v, "data:") && !strings.HasPrefix(v, "#") {
				t.Errorf("<%s %s=%q> refers to an external resource", n.Data, a.Key, a.Val)
			}
			if strings.HasPrefix(v, "http:") || strings.HasPrefix(v, "https:") || strings.HasPrefix(v, "//") {
				t.Errorf("<%s %s=%q> is a network URL", n.Data, a.Key, a.Val)
			}
		}
	}
}

// settingsTable returns the settings table as row header -> cell texts.
func settingsTable(t *testing.T, doc *html.Node) map[string][]string {
	t.Helper()
	tables := findAll(doc, func(n *html.Node) bool {
		c, _ := attr(n, "class")
		return n.DataAtom == atom.Table && c == "settings"
	})
	if len(tables) != 1 {
		t.Fatalf("%d settings tables, want 1", len(tables))
	}
	rows := map[string][]string{}
	for _, tr := range findAll(tables[0], func(n *html.Node) bool { return n.DataAtom == atom.Tr }) {
		var head string
		var cells []string
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			switch c.DataAtom {
			case atom.Th:
				if head == "" {
					head = strings.TrimSpace(nodeText(c))
				} else {
					cells = append(cells, strings.TrimSpace(nodeText(c)))
				}
			case atom.Td:
				cells = append(cells, strings.TrimSpace(nodeText(c)))
			}
		}
		rows[head] = cells
	}
	return rows
}

// authCell is the settings table's authentication cell in English: the
// first method, and the provider's others for the apps that cannot use
// it.
func authCell(s account.Server) string {
	ms := s.Methods()
	if len(ms) < 2 {
		return s.Auth.Label()
	}
	rest := make([]string, len(ms)-1)
	for i, m := range ms[1:] {
		rest[i] = m.Label()
	}
	return ms[0].Label() + " (else: " + strings.Join(rest, ", ") + ")"
}

func TestSheetHTML(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			a := f.acct.Expand()
			h, _ := sheetFiles(t, f.acct, Options{})
			doc, err := html.Parse(bytes.NewReader(h.Data))
			if err != nil {
				t.Fatal(err)
			}
			checkNoExternalResources(t, doc)
			if findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Style }) == nil {
				t.Error("no inline <style>")
			}
			if !bytes.Contains(h.Data, []byte("@media print")) {
				t.Error("no print styles")
			}

			// The title and heading show the Unicode address, and the ASCII
			// form when it differs.
			h1 := findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.H1 })
			if len(h1) != 1 || !strings.Contains(nodeText(h1[0]), a.Email.Display()) {
				t.Errorf("h1 does not show %s", a.Email.Display())
			}
			text := nodeText(doc)
			if a.Email.Display() != a.Email.String() && !strings.Contains(text, a.Email.String()) {
				t.Errorf("IDN address: the ASCII form %s is missing", a.Email)
			}
			if !strings.Contains(text, a.DisplayName) {
				t.Errorf("display name %q missing (escaping?)", a.DisplayName)
			}

			rows := settingsTable(t, doc)
			want := map[string][2]string{
				"Protocol":       {a.Incoming.Protocol.Label(), "SMTP"},
				"Server":         {a.Incoming.Host, a.Outgoing.Host},
				"Port":           {strconv.Itoa(a.Incoming.Port), strconv.Itoa(a.Outgoing.Port)},
				"Security":       {a.Incoming.Security.Label(), a.Outgoing.Security.Label()},
				"Username":       {a.Incoming.Username, a.Outgoing.Username},
				"Authentication": {authCell(a.Incoming), authCell(a.Outgoing)},
			}
			for row, w := range want {
				got := rows[row]
				if len(got) != 2 {
					t.Errorf("row %s: %q", row, got)
					continue
				}
				for i := range 2 {
					if row == "Server" {
						if !strings.HasPrefix(got[i], w[i]) {
							t.Errorf("row %s[%d] = %q, want %q", row, i, got[i], w[i])
						}
					} else if got[i] != w[i] {
						t.Errorf("row %s[%d] = %q, want %q", row, i, got[i], w[i])
					}
				}
			}

			// The instructions use the account's values.
			for _, id := range []string{"iphone", "mac", "outlook-classic", "outlook-new", "outlook-mobile", "thunderbird",
				"android-thunderbird", "android-other"} {
				sec := findAll(doc, func(n *html.Node) bool { v, _ := attr(n, "id"); return v == id })
				if len(sec) != 1 {
					t.Errorf("no section %s", id)
					continue
				}
				st := nodeText(sec[0])
				if id == "outlook-mobile" && a.Incoming.Protocol == account.POP3 {
					if !strings.Contains(st, "cannot add POP3") {
						t.Errorf("%s: POP3 not explained", id)
					}
					continue
				}
				for _, v := range []string{a.Incoming.Host, a.Outgoing.Host, strconv.Itoa(a.Incoming.Port), strconv.Itoa(a.Outgoing.Port)} {
					if !strings.Contains(st, v) {
						t.Errorf("section %s lacks %q", id, v)
					}
				}
			}
			for _, s := range []string{"keeps your mail on the server", "downloads mail to one device", "only for sending"} {
				if !strings.Contains(text, s) {
					t.Errorf("IMAP/POP3 explanation lacks %q", s)
				}
			}
			pop := findAll(doc, func(n *html.Node) bool { c, _ := attr(n, "class"); return c == "pop3" })
			if (a.Incoming.Protocol == account.POP3) != (len(pop) == 1) {
				t.Errorf("POP3 leave-on-server list: %d, protocol %s", len(pop), a.Incoming.Protocol)
			}
			if len(pop) == 1 {
				lt := nodeText(pop[0])
				if a.POP3 != nil && !a.POP3.LeaveOnServer && !strings.Contains(lt, "Leave messages on the server: no") ||
					a.POP3 != nil && a.POP3.DaysOnServer > 0 && !strings.Contains(lt, strconv.Itoa(a.POP3.DaysOnServer)+" days") {
					t.Errorf("POP3 settings %q do not match %+v", lt, *a.POP3)
				}
			}

			// The image is the QR code, without the password.
			imgs := findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Img })
			if len(imgs) != 1 {
				t.Fatalf("%d images, want 1", len(imgs))
			}
			src, _ := attr(imgs[0], "src")
			const prefix = "data:image/png;base64,"
			if !strings.HasPrefix(src, prefix) {
				t.Fatalf("img src %.40q is not a PNG data URI", src)
			}
			png, err := base64.StdEncoding.DecodeString(src[len(prefix):])
			if err != nil {
				t.Fatal(err)
			}
			got, ec, _ := decodeQRPNG(t, png)
			wantQR, err := AndroidQRPayload([]QRAccount{{Account: f.acct}})
			if err != nil {
				t.Fatal(err)
			}
			if got != string(wantQR) || ec != "L" {
				t.Errorf("sheet QR %s (EC %s), want %s", got, ec, wantQR)
			}
			if alt, _ := attr(imgs[0], "alt"); alt == "" {
				t.Error("img without alt text")
			}
		})
	}
}

func TestSheetMarkdown(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			a := f.acct.Expand()
			_, m := sheetFiles(t, f.acct, Options{})
			md := string(m.Data)
			rows := map[string]string{}
			for _, line := range strings.Split(md, "\n") {
				if cells := strings.Split(line, " | "); strings.HasPrefix(line, "| ") && len(cells) >= 3 {
					rows[strings.TrimPrefix(cells[0], "| ")] = line
				}
			}
			want := map[string][]string{
				"Protocol":       {a.Incoming.Protocol.Label(), "SMTP"},
				"Server":         {mdCell(a.Incoming.Host), mdCell(a.Outgoing.Host)},
				"Port":           {strconv.Itoa(a.Incoming.Port), strconv.Itoa(a.Outgoing.Port)},
				"Security":       {a.Incoming.Security.Label(), a.Outgoing.Security.Label()},
				"Username":       {mdCell(a.Incoming.Username), mdCell(a.Outgoing.Username)},
				"Authentication": {authCell(a.Incoming), authCell(a.Outgoing)},
			}
			for row, vals := range want {
				line := rows[row]
				for _, v := range vals {
					if !strings.Contains(line, " "+v+" ") {
						t.Errorf("row %s %q lacks %q", row, line, v)
					}
				}
			}
			if !strings.HasPrefix(md, "# E-mail setup for "+mdEscape(a.Email.Display())+"\n") {
				t.Errorf("title: %.60q", md)
			}
			if !strings.Contains(md, mdEscape(a.DisplayName)) {
				t.Errorf("display name %q missing", mdEscape(a.DisplayName))
			}
			for _, s := range []string{"### iPhone and iPad", "### Mac", "### Outlook for Windows (classic)", "### New Outlook",
				"### Outlook for iPhone and Android", "### Thunderbird (", "### Thunderbird for Android", "### Gmail app and Samsung Email",
				"keeps your mail on the server", "downloads mail to one device", "only for sending"} {
				if !strings.Contains(md, s) {
					t.Errorf("Markdown lacks %q", s)
				}
			}
			if (a.Incoming.Protocol == account.POP3) != strings.Contains(md, "### POP3: keeping mail on the server") {
				t.Error("POP3 leave-on-server section wrong")
			}
		})
	}
}

func TestSheetNeverHasPassword(t *testing.T) {
	for _, f := range fixtures() {
		h, m := sheetFiles(t, f.acct, Options{IncludePassword: true, Password: testPassword})
		for _, file := range []File{h, m} {
			if file.HasPassword || bytes.Contains(file.Data, []byte("S3cr3t")) {
				t.Errorf("%s/%s holds the password", f.name, file.Name)
			}
		}
		doc, err := html.Parse(bytes.NewReader(h.Data))
		if err != nil {
			t.Fatal(err)
		}
		img := findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Img })[0]
		src, _ := attr(img, "src")
		png, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(src, "data:image/png;base64,"))
		if text, _, _ := decodeQRPNG(t, png); strings.Contains(text, "S3cr3t") {
			t.Errorf("%s: the sheet's QR code holds the password", f.name)
		}
	}
}

func TestSheetEscaping(t *testing.T) {
	a := fixtures()[3].acct // special
	a.DisplayName = `<script>alert(1)</script> <img src=http://evil.example/x> ` + "`tick` *star* [link](http://x)"
	h, m := sheetFiles(t, a, Options{})
	doc, err := html.Parse(bytes.NewReader(h.Data))
	if err != nil {
		t.Fatal(err)
	}
	checkNoExternalResources(t, doc)
	if n := len(findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Img })); n != 1 {
		t.Errorf("%d images: the name was not escaped", n)
	}
	if !strings.Contains(nodeText(doc), a.DisplayName) {
		t.Error("the name does not read back")
	}
	if !strings.Contains(string(m.Data), `\<script\>alert(1)\</script\> \<img src=http://evil.example/x\> \`+"`tick\\` \\*star\\* \\[link\\](http://x)") {
		t.Errorf("Markdown name not escaped:\n%s", m.Data)
	}
}

func TestSheetWithoutQR(t *testing.T) {
	a := fixtures()[0].acct
	a.Incoming.Auth = account.AuthNTLM
	h, m := sheetFiles(t, a, Options{})
	if bytes.Contains(h.Data, []byte("<img")) || !bytes.Contains(h.Data, []byte("No QR code")) || !bytes.Contains(m.Data, []byte("No QR code")) {
		t.Error("an NTLM account should get a sheet without a QR code and a note why")
	}
	if !bytes.Contains(h.Data, []byte("<code>on</code>")) {
		t.Error("classic Outlook: SPA should be on for NTLM")
	}
}

func TestMDCode(t *testing.T) {
	for in, want := range map[string]string{
		"plain": "`plain`", "a`b": "``a`b``", "`x": "`` `x ``", "a``b`": "``` a``b` ```", "a|b": "`a|b`",
	} {
		if got := mdCode(in); got != want {
			t.Errorf("mdCode(%q) = %q, want %q", in, got, want)
		}
	}
	if got := mdCell("a|b"); got != "`a\\|b`" {
		t.Errorf("mdCell = %q", got)
	}
}

func BenchmarkRenderAndroidSheet(b *testing.B) {
	a := fixtures()[0].acct
	b.ReportAllocs()
	for b.Loop() {
		for _, format := range []string{"android", "sheet"} {
			if _, err := Render(format, a, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestSheetCheckFailedWarning: settings that failed the live check get a
// visible warning box first in the HTML sheet (.warn) and a quoted
// warning in the Markdown one, naming why (escaped); other sheets have
// none.
func TestSheetCheckFailedWarning(t *testing.T) {
	a := fixtures()[0].acct
	reason := "IMAP imap.example.com:993 SSL/TLS: the certificate is for <mail.example.net>"
	h, m := sheetFiles(t, a, Options{CheckFailed: reason})
	html, md := string(h.Data), string(m.Data)
	wantHTML := `<p class="warn"><strong>Warning:</strong> These settings failed the live check when this sheet was made (IMAP imap.example.com:993 SSL/TLS: the certificate is for &lt;mail.example.net&gt;).`
	if !strings.Contains(html, wantHTML) {
		t.Errorf("HTML sheet lacks the warning box %q", wantHTML)
	}
	if i, j := strings.Index(html, `<p class="warn">`), strings.Index(html, wantHTML); i != j {
		t.Errorf("the check's warning is not the first warning")
	}
	if !strings.Contains(md, "> **Warning:** These settings failed the live check when this sheet was made (IMAP imap.example.com:993 SSL/TLS: the certificate is for") {
		t.Errorf("Markdown sheet lacks the warning:\n%s", md)
	}
	h, m = sheetFiles(t, a, Options{})
	if strings.Contains(string(h.Data), "failed the live check") || strings.Contains(string(m.Data), "failed the live check") {
		t.Error("a sheet for settings that passed warns of a failed check")
	}
}

// TestSheetProviderTexts: the provider's texts are quoted in the sheet's
// language when the file has it (else English), escaped, and linked only
// for web addresses, with rel="noopener noreferrer"; English provider
// text in a Romanian sheet is quoted, so it does not count as English
// left untranslated.
func TestSheetProviderTexts(t *testing.T) {
	english := i18ntest.English("sheet.")
	leaky := english["sheet.no-password"] // provider text that shares words with the catalogue
	a := fixtureAccount(t, "imap")
	a.Provider = &account.ProviderInfo{
		Enable: &account.Enable{URL: "https://webmail.example.com/settings?a=1&b=<2>", Instructions: []account.Text{
			{Text: leaky + ` <script>alert("x")</script>`},
			{Lang: "ro", Text: "Activați IMAP în webmail."},
		}},
		Documentation: []account.Link{
			{URL: "javascript:alert(1)", Descr: []account.Text{{Text: "bad link"}}},
			{URL: "https://help.example.com/a b"},
			{URL: "https://help.example.com/imap", Descr: []account.Text{{Text: "Line one\nline <b>two</b>"}}},
		},
	}
	if len(i18ntest.Leaks(leaky, english)) == 0 {
		t.Fatal("the test's provider text shares no words with the catalogue")
	}
	for _, l := range i18n.Supported {
		h, m := sheetFiles(t, a, Options{Lang: l})
		text, doc := sheetReadable(t, h.Data)
		checkNoExternalResources(t, doc)
		if bytes.Contains(h.Data, []byte("<script>")) || bytes.Contains(h.Data, []byte("<b>two")) || bytes.Contains(m.Data, []byte("<script>")) {
			t.Errorf("%s: provider markup not escaped", l)
		}
		var hrefs []string
		for _, n := range findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.A }) {
			href, _ := attr(n, "href")
			hrefs = append(hrefs, href)
		}
		// html/template percent-encodes what a URL may not hold.
		if want := []string{"https://webmail.example.com/settings?a=1&b=%3c2%3e", "https://help.example.com/imap"}; !slices.Equal(hrefs, want) {
			t.Errorf("%s: links %q, want %q", l, hrefs, want)
		}
		if strings.Contains(text, "bad link") || strings.Contains(string(m.Data), "javascript:") {
			t.Errorf("%s: a non-web link is shown", l)
		}
		if !strings.Contains(string(m.Data), "`https://webmail.example.com/settings?a=1&b=<2>`") || !strings.Contains(string(m.Data), "<https://help.example.com/imap>") {
			t.Errorf("%s: Markdown links:\n%s", l, m.Data)
		}
		wantText := leaky
		if l == i18n.RO {
			wantText = "Activați IMAP în webmail."
		}
		if !strings.Contains(text, wantText) || !strings.Contains(text, "Line one line") {
			t.Errorf("%s: the provider's text %q is missing", l, wantText)
		}
		if l == i18n.LT {
			if leaks := i18ntest.Leaks(text, english); len(leaks) > 0 {
				t.Errorf("lt: quoted provider text counted as English: %v", leaks)
			}
			if !strings.Contains(text, "„"+leaky) {
				t.Errorf("lt: the provider's text is not in the language's quotes")
			}
		}
		// The step comes before the apps' steps.
		if i, j := strings.Index(text, wantText), strings.Index(text, sheetLangFor(l).plain("sheet.steps")); i < 0 || j < 0 || i > j {
			t.Errorf("%s: the provider's step is not before the apps' steps", l)
		}
	}
	// A provider that says nothing the sheet shows adds no section.
	a.Provider = &account.ProviderInfo{OAuth2: &account.OAuth2Info{Issuer: "login.example.com"}}
	if h, _ := sheetFiles(t, a, Options{}); bytes.Contains(h.Data, []byte(`id="provider"`)) {
		t.Error("an empty provider section")
	}
}
