package templates

import (
	"bytes"
	"embed"
	"encoding/base64"
	"errors"
	htmltemplate "html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	texttemplate "text/template"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/qrcode"
)

// The sheet format is a printable, self-contained HTML page (inline CSS,
// the QR code as a data: URI, no external resources) and its Markdown twin:
// the settings table and step-by-step instructions for the common mail
// apps, filled in with the account's values, in the language of
// Options.Lang. It never holds the password, and neither does its QR code.
//
// Every word comes from the catalogue's sheet.* keys. The page is
// html/template (sheet.html.tmpl) and the Markdown text/template
// (sheet.md.tmpl), both parsed once. Rendering must stay cheap, as bulk
// exports write a sheet per row: a template that ranged over every piece
// of every step cost about 2 ms per sheet, and html/template calls its
// escapers through reflection for every action (one action per step
// alone doubled the page's allocations), so the templates have few:
//
//   - each step is built once in Go as a list item (sheetWriter): its
//     catalogue message is split at its format verbs (i18n.Pieces) and the
//     pieces are joined with the arguments, each escaped by html/template's
//     own HTMLEscapeString and wrapped in <strong> (a menu name) or <code>
//     (a value), and likewise for Markdown (mdEscape, mdCode); an app's
//     steps are one piece of the writer's buffer, one action in the
//     template;
//   - the words that depend only on the language (headings, labels, the
//     explanation, each app's title) are the templates' [[ ]] actions,
//     filled in once per language (newSheetLang), which gives the
//     html/template and text/template each sheet is executed with.

func init() {
	register("sheet", renderSheet)
}

// Sheet file names.
const (
	sheetHTMLName = "setup-sheet.html"
	sheetMDName   = "setup-sheet.md"
)

//go:embed sheet.html.tmpl sheet.md.tmpl
var sheetTemplateFiles embed.FS

// The sheet's templates are parsed once, here, with the delimiters [[ ]]:
// those actions are the words that depend only on the language, filled
// in once per language (newSheetLang), which yields the
// html/template and text/template whose {{ }} actions show the account.
var (
	sheetHTMLSource = texttemplate.Must(texttemplate.New("sheet.html.tmpl").Delims("[[", "]]").
			ParseFS(sheetTemplateFiles, "sheet.html.tmpl"))
	sheetMDSource = texttemplate.Must(texttemplate.New("sheet.md.tmpl").Delims("[[", "]]").
			ParseFS(sheetTemplateFiles, "sheet.md.tmpl"))
)

func renderSheet(a account.Account, o Options) ([]File, error) {
	d := newSheetData(a, o.Lang)
	if o.CheckFailed != "" {
		w := &sheetWriter{l: sheetLangFor(o.Lang)}
		d.Warnings = append([]sheetText{w.line("sheet.warn.check-failed", text(o.CheckFailed))}, d.Warnings...)
	}
	if d.qrTooLong != nil {
		o.warn(qrTooLongCode, "%s", qrTooLong(o, o.t("use.sheet-qr"), d.qrTooLong, a))
	}
	var h, m bytes.Buffer
	h.Grow(d.sizeHint + len(d.QR) + len(d.QR)/16 + 7<<10)
	m.Grow(d.sizeHint + 1<<10)
	l := sheetLangFor(o.Lang)
	if err := l.html.Execute(&h, d); err != nil {
		return nil, err
	}
	if err := l.md.Execute(&m, d); err != nil {
		return nil, err
	}
	return []File{
		{Name: sheetHTMLName, Data: h.Bytes(),
			Use: o.t("use.sheet.html")},
		{Name: sheetMDName, Data: m.Bytes(),
			Use: o.t("use.sheet.md")},
	}, nil
}

// sheetText is a piece of the sheet in both forms: HTML, escaped and with
// its markup, and Markdown, escaped.
type sheetText struct {
	HTML htmltemplate.HTML
	MD   string
}

// sheetClient is what one app's section says for an account: its title
// and id depend only on the language (sheetStaticApp).
type sheetClient struct {
	Intro sheetText
	// Steps are the steps as list items: <li> elements in HTML, numbered
	// lines ("1. Open ...\n") in Markdown.
	Steps sheetText
}

// sheetApps are the apps' sections, one field per app, named by
// sheetStaticApp.Field.
type sheetApps struct {
	IPhone, Mac, OutlookClassic, OutlookNew, OutlookMobile, Thunderbird, AndroidThunderbird, AndroidOther sheetClient
}

// sheetStaticApp is an app's section as the language has it, in the
// order the sheet shows them.
type sheetStaticApp struct {
	Field, ID string
	Title     sheetText
}

// sheetAppOrder lists the apps: the sheetApps field, the section's id and
// its title's key.
var sheetAppOrder = [...][3]string{
	{"IPhone", "iphone", "sheet.client.iphone"},
	{"Mac", "mac", "sheet.client.mac"},
	{"OutlookClassic", "outlook-classic", "sheet.client.outlook-classic"},
	{"OutlookNew", "outlook-new", "sheet.client.outlook-new"},
	{"OutlookMobile", "outlook-mobile", "sheet.client.outlook-mobile"},
	{"Thunderbird", "thunderbird", "sheet.client.thunderbird"},
	{"AndroidThunderbird", "android-thunderbird", "sheet.client.android-thunderbird"},
	{"AndroidOther", "android-other", "sheet.client.android-other"},
}

type sheetServer struct {
	Protocol    string // "IMAP", "POP3", "SMTP"
	Host        string
	HostUnicode string // set when the Unicode form differs
	Port        int
	Security    string
	Username    string
	Auth        string
	// The same, escaped for a Markdown table cell.
	HostMD, HostUnicodeMD, SecurityMD, UsernameMD, AuthMD string
}

// sheetData is what the templates show.
type sheetData struct {
	Lang     string
	Title    string // plain text, for <title>
	Heading  sheetText
	IDN      sheetText // the ASCII address, when the Unicode one differs
	Name     sheetText
	Servers  []sheetServer
	POP3     []sheetText // leave-on-server lines, POP3 only
	Warnings []sheetText
	QR       htmltemplate.URL // data:image/png;base64,...
	QRNote   sheetText
	QRMD     sheetText // where the QR code is, for the Markdown sheet
	Uses     sheetText
	Apps     sheetApps
	// Provider is what the provider's settings say beyond the servers,
	// quoted; nil when they say nothing.
	Provider *sheetProvider

	qrTooLong []byte // the payload, when it is too long for a QR code
	sizeHint  int    // the length of the text built for this account
}

// sheetProvider is the provider's own texts (account.ProviderInfo) as the
// sheet quotes them: a step to take before setting up any app, and its
// pages about the settings. The texts are the provider's, untrusted:
// escaped like every value, and links are written only for http and
// https addresses, opened with rel="noopener noreferrer".
type sheetProvider struct {
	// Enable is set when the provider names a step to take first: its
	// instruction in the sheet's language (else English), quoted, and the
	// page to visit.
	Enable                 bool
	EnableText             sheetText
	EnableURL, EnableURLMD string
	Docs                   []sheetDoc
}

// sheetDoc is one of the provider's pages, with its description quoted.
type sheetDoc struct {
	URL, URLMD string
	Descr      sheetText
}

// sheetStatic holds the sheet's words that do not depend on the account,
// built once per language: the data of the templates' [[ ]] actions.
type sheetStatic struct {
	NoPassword, QRCaption, Warning, Settings, Incoming, Outgoing sheetText
	Protocol, Server, Port, Security, Username, Auth, Password   sheetText
	YourPassword, POP3Heading, ExplainHeading, ExplainIMAP       sheetText
	ExplainPOP3, ExplainSMTP, Steps, Footer                      sheetText
	ProviderHeading, ProviderLead, ProviderEnable, ProviderVisit sheetText
	ProviderDocs                                                 sheetText
	Apps                                                         []sheetStaticApp
	QRAlt                                                        string // escaped for an attribute
}

// sheetPiece is a piece of a catalogue message: text escaped for HTML and
// for Markdown, or the index of an argument.
type sheetPiece struct {
	text, html, md string
	arg            int
}

// sheetLang is the catalogue's sheet.* messages in one language, split
// and escaped once.
type sheetLang struct {
	lang   i18n.Lang
	raw    map[string]string
	pieces map[string][]sheetPiece
	static *sheetStatic
	// The sheet's templates with this language's words filled in.
	html *htmltemplate.Template
	md   *texttemplate.Template
}

// sheetLangs holds, for each language, a function that builds its
// *sheetLang once.
var sheetLangs sync.Map

// sheetLangFor returns the sheet's messages in l (English when l is not a
// supported language), building them on first use.
func sheetLangFor(l i18n.Lang) *sheetLang {
	if !slices.Contains(i18n.Supported, l) {
		l = i18n.EN
	}
	f, ok := sheetLangs.Load(l)
	if !ok {
		f, _ = sheetLangs.LoadOrStore(l, sync.OnceValue(func() *sheetLang { return newSheetLang(l) }))
	}
	return f.(func() *sheetLang)()
}

func newSheetLang(l i18n.Lang) *sheetLang {
	cat := i18n.New(l)
	sl := &sheetLang{lang: l, raw: map[string]string{}, pieces: map[string][]sheetPiece{}}
	for _, k := range i18n.Keys() {
		if !strings.HasPrefix(k, "sheet.") {
			continue
		}
		msg := cat.T(k)
		sl.raw[k] = msg
		var ps []sheetPiece
		for _, p := range i18n.Pieces(msg) {
			if p.Arg < 0 {
				ps = append(ps, sheetPiece{text: p.Text, html: htmltemplate.HTMLEscapeString(p.Text), md: mdEscape(p.Text), arg: -1})
			} else {
				ps = append(ps, sheetPiece{arg: p.Arg})
			}
		}
		sl.pieces[k] = ps
	}
	w := &sheetWriter{l: sl}
	t := func(key string, args ...sheetArg) sheetText { return guardActions(w.line(key, args...)) }
	static := &sheetStatic{
		NoPassword: t("sheet.no-password"), QRCaption: t("sheet.qr.caption", field("sheet.ui.k9.import-settings-qr")),
		Warning: t("sheet.warning"), Settings: t("sheet.settings"),
		Incoming: t("sheet.role.incoming"), Outgoing: t("sheet.role.outgoing"),
		Protocol: t("sheet.row.protocol"), Server: t("sheet.row.server"), Port: t("sheet.row.port"),
		Security: t("sheet.row.security"), Username: t("sheet.row.username"), Auth: t("sheet.row.auth"),
		Password: t("sheet.row.password"), YourPassword: t("sheet.your-password"),
		POP3Heading: t("sheet.pop3.heading"), ExplainHeading: t("sheet.explain.heading"),
		ExplainIMAP: t("sheet.explain.imap", bold("IMAP")),
		ExplainPOP3: t("sheet.explain.pop3", bold("POP3")),
		ExplainSMTP: t("sheet.explain.smtp", bold("SMTP")),
		Steps:       t("sheet.steps"), Footer: t("sheet.footer"),
		ProviderHeading: t("sheet.provider.heading"), ProviderLead: t("sheet.provider.lead"),
		ProviderEnable: t("sheet.provider.enable"), ProviderVisit: t("sheet.provider.visit"),
		ProviderDocs: t("sheet.provider.docs"),
		QRAlt:        string(guardActions(sheetText{HTML: htmltemplate.HTML(htmltemplate.HTMLEscapeString(sl.plain("sheet.qr.alt")))}).HTML),
	}
	for _, app := range sheetAppOrder {
		static.Apps = append(static.Apps, sheetStaticApp{Field: app[0], ID: app[1], Title: t(app[2])})
	}
	sl.static = static
	sl.html = htmltemplate.Must(htmltemplate.New("sheet.html").Parse(fillSheetSource(sheetHTMLSource, static)))
	sl.md = texttemplate.Must(texttemplate.New("sheet.md").Parse(fillSheetSource(sheetMDSource, static)))
	return sl
}

// guardActions writes every "{{" in t as an action that prints it.
func guardActions(t sheetText) sheetText {
	const printBraces = "{{`{{`}}"
	t.HTML = htmltemplate.HTML(strings.ReplaceAll(string(t.HTML), "{{", printBraces))
	t.MD = strings.ReplaceAll(t.MD, "{{", printBraces)
	return t
}

// fillSheetSource executes a sheet template's [[ ]] actions with the
// language's words and returns the template source that results. A "{{"
// in a message is written as an action that prints it, so no message can
// add an action of its own.
func fillSheetSource(src *texttemplate.Template, static *sheetStatic) string {
	var b strings.Builder
	if err := src.Execute(&b, static); err != nil {
		panic("templates: the sheet template: " + err.Error())
	}
	return b.String()
}

// plain returns the message key with args as plain text.
func (l *sheetLang) plain(key string, args ...string) string {
	var b strings.Builder
	for _, p := range l.pieces[key] {
		switch {
		case p.arg < 0:
			b.WriteString(p.text)
		case p.arg < len(args):
			b.WriteString(args[p.arg])
		}
	}
	return b.String()
}

// sheetArgKind says how an argument of a sheet message is shown.
type sheetArgKind uint8

const (
	argText   sheetArgKind = iota // text as it is (the user's data)
	argUI                         // a menu or button name from the catalogue: bold
	argField                      // a field name from the catalogue: plain
	argBold                       // text as it is, bold (protocol names)
	argValue                      // a value as it is, to type or choose: code
	argValKey                     // a value from the catalogue that the app shows: code
	argAddr                       // the address in the heading
	argMsg                        // another catalogue message with its own arguments
)

// sheetArg is an argument of a sheet message: text, or a catalogue key
// for the kinds that take one.
type sheetArg struct {
	kind sheetArgKind
	s    string
	sub  []sheetArg
}

func text(s string) sheetArg     { return sheetArg{kind: argText, s: s} }
func ui(key string) sheetArg     { return sheetArg{kind: argUI, s: key} }
func field(key string) sheetArg  { return sheetArg{kind: argField, s: key} }
func bold(s string) sheetArg     { return sheetArg{kind: argBold, s: s} }
func val(s string) sheetArg      { return sheetArg{kind: argValue, s: s} }
func valKey(key string) sheetArg { return sheetArg{kind: argValKey, s: key} }
func num(n int) sheetArg         { return sheetArg{kind: argValue, s: strconv.Itoa(n)} }
func msg(key string, args ...sheetArg) sheetArg {
	return sheetArg{kind: argMsg, s: key, sub: args}
}

// sheetWriter builds a sheet's texts into two growing buffers, one for
// HTML and one for Markdown; each text is a slice of what the buffer
// holds once it is written (a strings.Builder never changes bytes it has
// written), so a sheet's texts cost a few allocations in all.
type sheetWriter struct {
	l    *sheetLang
	h, m strings.Builder
}

// text returns a message without arguments.
func (w *sheetWriter) text(key string) sheetText {
	return w.line(key)
}

// line returns the message key with args.
func (w *sheetWriter) line(key string, args ...sheetArg) sheetText {
	h0, m0 := w.h.Len(), w.m.Len()
	w.msg(key, args)
	return w.since(h0, m0)
}

// since returns what was written after the buffers' lengths h0 and m0.
func (w *sheetWriter) since(h0, m0 int) sheetText {
	return sheetText{HTML: htmltemplate.HTML(w.h.String()[h0:]), MD: w.m.String()[m0:]}
}

func (w *sheetWriter) msg(key string, args []sheetArg) {
	for _, p := range w.l.pieces[key] {
		switch {
		case p.arg < 0:
			w.h.WriteString(p.html)
			w.m.WriteString(p.md)
		case p.arg < len(args):
			w.arg(args[p.arg])
		}
	}
}

func (w *sheetWriter) arg(a sheetArg) {
	switch a.kind {
	case argText:
		w.h.WriteString(htmltemplate.HTMLEscapeString(a.s))
		w.m.WriteString(mdEscape(a.s))
	case argUI:
		w.h.WriteString("<strong>")
		w.m.WriteString("**")
		w.msg(a.s, nil)
		w.h.WriteString("</strong>")
		w.m.WriteString("**")
	case argField:
		w.msg(a.s, nil)
	case argBold:
		w.h.WriteString("<strong>")
		w.h.WriteString(htmltemplate.HTMLEscapeString(a.s))
		w.h.WriteString("</strong>")
		w.m.WriteString("**")
		w.m.WriteString(mdEscape(a.s))
		w.m.WriteString("**")
	case argValue, argValKey:
		s := a.s
		if a.kind == argValKey {
			s = w.l.raw[a.s]
		}
		w.h.WriteString("<code>")
		w.h.WriteString(htmltemplate.HTMLEscapeString(s))
		w.h.WriteString("</code>")
		writeMDCode(&w.m, s)
	case argAddr:
		w.h.WriteString(`<span class="addr">`)
		w.h.WriteString(htmltemplate.HTMLEscapeString(a.s))
		w.h.WriteString("</span>")
		w.m.WriteString(mdEscape(a.s))
	case argMsg:
		w.msg(a.s, a.sub)
	}
}

// days is n days as a value (the number as code) or as text.
func (w *sheetWriter) days(n int, asValue bool) sheetArg {
	a := text(strconv.Itoa(n))
	if asValue {
		a = num(n)
	}
	return msg("sheet.days."+i18n.Plural(w.l.lang, n), a)
}

func newSheetData(a account.Account, lang i18n.Lang) *sheetData {
	l := sheetLangFor(lang)
	w := &sheetWriter{l: l}
	// About the length of the longest sheet's text, so the buffers grow
	// once at most.
	w.h.Grow(12 << 10)
	w.m.Grow(10 << 10)
	addr, display := a.Email.String(), a.Email.Display()
	d := &sheetData{
		Lang:  string(l.lang),
		Title: l.plain("sheet.title", display),
	}
	d.Heading = w.line("sheet.heading", sheetArg{kind: argAddr, s: display})
	if addr != display {
		d.IDN = w.line("sheet.idn", val(addr))
	}
	name := androidOneLine(a.DisplayName)
	if name != "" {
		d.Name = w.line("sheet.name", text(name))
	}
	d.Servers = []sheetServer{w.server(a.Incoming), w.server(a.Outgoing)}
	if a.Incoming.Protocol == account.POP3 {
		d.POP3 = w.pop3Lines(a.POP3)
	}
	if a.Incoming.Security == account.None {
		d.Warnings = append(d.Warnings, w.line("sheet.warn.none.incoming", text(a.Incoming.Host)))
	}
	if a.Outgoing.Security == account.None {
		d.Warnings = append(d.Warnings, w.line("sheet.warn.none.outgoing", text(a.Outgoing.Host)))
	}
	if usesOAuth2(a) {
		key := "sheet.warn.oauth2"
		if _, fell := sheetChoice(a, appleSupports); len(fell) > 0 {
			key = "sheet.warn.oauth2-fallback" // the password is listed too
		}
		d.Warnings = append(d.Warnings, w.text(key))
	}
	// The sheet's QR code never carries the password. It signs in as the
	// android format does: with the first method the app can use.
	qa, _ := sheetChoice(a, androidSupports)
	payload, _, err := qrPayload(1, 1, []QRAccount{{Account: qa}})
	if err == nil {
		var png []byte
		if png, err = QRPNG(payload); err == nil {
			d.QR = htmltemplate.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
			d.QRMD = w.line("sheet.qr.md", text(sheetHTMLName))
		}
	}
	switch {
	case err == nil:
	case errors.Is(err, qrcode.ErrTooLong):
		d.qrTooLong = payload
		d.QRNote = w.text("sheet.qr.too-long")
	case androidAuthUnsupported(a.Incoming.Auth):
		d.QRNote = w.line("sheet.qr.auth", text(a.Incoming.Auth.Label()))
	case androidAuthUnsupported(a.Outgoing.Auth):
		d.QRNote = w.line("sheet.qr.auth", text(a.Outgoing.Auth.Label()))
	default:
		d.QRNote = w.text("sheet.qr.invalid")
	}
	d.Uses = w.line("sheet.explain.uses", bold(a.Incoming.Protocol.Label()))
	d.Provider = w.provider(a.Provider)
	d.Apps = w.clients(a, d, name)
	d.sizeHint = w.h.Len()
	return d
}

// sheetChoice is a with each server set to the first of its methods an
// app supports (chooseAuth), and the servers that fell back; a itself,
// with no fallback, when a server has no such method (the steps then
// name the method the app lacks).
func sheetChoice(a account.Account, supports func(account.AuthMethod) bool) (account.Account, []authFallback) {
	c, fell, err := chooseAuth(a, supports, "")
	if err != nil {
		return a, nil
	}
	return c, fell
}

// fallback is the note of an app whose steps use a later method than the
// provider's first, or that can use none of a server's methods (c, the
// account as the app's steps show it), or nothing.
func (w *sheetWriter) fallback(c account.Account, fell []authFallback, supports func(account.AuthMethod) bool) sheetText {
	for _, s := range []account.Server{c.Incoming, c.Outgoing} {
		if !supports(s.Auth) {
			return w.line("sheet.app.auth-unsupported", text(w.sheetAuth(s.Auth)))
		}
	}
	if len(fell) == 0 {
		return sheetText{}
	}
	f := fell[0]
	if f.preferred == account.AuthOAuth2 && f.used.UsesPassword() {
		return w.text("sheet.fallback.oauth2")
	}
	return w.line("sheet.fallback", text(w.sheetAuth(f.preferred)), text(w.sheetAuth(f.used)))
}

// provider returns the provider's texts as the sheet quotes them, or nil
// when p says nothing the sheet shows.
func (w *sheetWriter) provider(p *account.ProviderInfo) *sheetProvider {
	if p.IsZero() {
		return nil
	}
	lang := string(w.l.lang)
	out := &sheetProvider{}
	if e := p.Enable; e != nil {
		if t := androidOneLine(strings.TrimSpace(account.PickText(e.Instructions, lang))); t != "" {
			out.EnableText = w.line("sheet.provider.quote", text(t))
		}
		if webURL(e.URL) {
			out.EnableURL, out.EnableURLMD = e.URL, mdLink(e.URL)
		}
		out.Enable = out.EnableText.MD != "" || out.EnableURL != ""
	}
	for _, d := range p.Documentation {
		if !webURL(d.URL) {
			continue
		}
		doc := sheetDoc{URL: d.URL, URLMD: mdLink(d.URL)}
		if t := androidOneLine(strings.TrimSpace(account.PickText(d.Descr, lang))); t != "" {
			doc.Descr = w.line("sheet.provider.quote", text(t))
		}
		out.Docs = append(out.Docs, doc)
	}
	if !out.Enable && len(out.Docs) == 0 {
		return nil
	}
	return out
}

// webURL reports whether s is an absolute http or https URL with a host:
// the only links the sheet writes.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
		!strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f })
}

// mdLink is a web URL as a Markdown autolink, or as code when it holds a
// character an autolink cannot.
func mdLink(s string) string {
	if strings.ContainsAny(s, "<>`\\") {
		return mdCode(s)
	}
	return "<" + s + ">"
}

func androidAuthUnsupported(m account.AuthMethod) bool {
	return m == account.AuthNTLM || m == account.AuthGSSAPI
}

func (w *sheetWriter) server(s account.Server) sheetServer {
	out := sheetServer{
		Protocol: s.Protocol.Label(), Host: s.Host, Port: s.Port,
		Security: w.l.raw["sheet.security.none"], Username: s.Username, Auth: w.sheetAuth(s.Auth),
	}
	if ms := s.Methods(); len(ms) > 1 {
		// The provider's other methods, for the apps that cannot use
		// the first.
		rest := make([]string, len(ms)-1)
		for i, m := range ms[1:] {
			rest[i] = w.sheetAuth(m)
		}
		out.Auth = w.l.plain("sheet.auth.alternatives", out.Auth, strings.Join(rest, ", "))
	}
	if s.Security != account.None {
		out.Security = s.Security.Label()
	}
	if u, err := idna.Display.ToUnicode(s.Host); err == nil && u != s.Host {
		out.HostUnicode = u
		out.HostUnicodeMD = mdEscape(u)
	}
	if out.Username == "" {
		out.Username = w.l.raw["sheet.no-username"]
	}
	out.HostMD, out.UsernameMD = mdCell(out.Host), mdCell(out.Username)
	out.SecurityMD, out.AuthMD = mdEscape(out.Security), mdEscape(out.Auth)
	return out
}

// sheetAuth is the authentication method in the settings table.
func (w *sheetWriter) sheetAuth(m account.AuthMethod) string {
	key := ""
	switch m {
	case account.AuthPasswordCleartext:
		key = "sheet.auth.password-cleartext"
	case account.AuthPasswordEncrypted:
		key = "sheet.auth.password-encrypted"
	case account.AuthClientIP:
		key = "sheet.auth.client-ip-address"
	case account.AuthTLSClientCert:
		key = "sheet.auth.tls-client-cert"
	case account.AuthNone:
		key = "sheet.auth.none"
	default: // OAuth2, NTLM, Kerberos / GSSAPI: names, the same in every language
		return m.Label()
	}
	return w.l.raw[key]
}

func (w *sheetWriter) pop3Lines(p *account.POP3Options) []sheetText {
	switch {
	case p == nil:
		return []sheetText{w.text("sheet.pop3.default")}
	case !p.LeaveOnServer:
		return []sheetText{w.text("sheet.pop3.delete")}
	case p.DaysOnServer > 0:
		return []sheetText{w.text("sheet.pop3.keep-days"), w.line("sheet.pop3.remove-after", w.days(p.DaysOnServer, false))}
	}
	return []sheetText{w.text("sheet.pop3.keep")}
}

// onOff is a switch's state.
func onOff(b bool) sheetArg {
	if b {
		return valKey("sheet.on")
	}
	return valKey("sheet.off")
}

// appleAuth is the Authentication choice in iPhone and Mac Mail.
func appleAuth(m account.AuthMethod) sheetArg {
	switch m {
	case account.AuthPasswordCleartext:
		return valKey("sheet.val.apple.password")
	case account.AuthPasswordEncrypted:
		return valKey("sheet.val.apple.md5")
	case account.AuthNTLM:
		return val("NTLM")
	case account.AuthGSSAPI:
		return val("Kerberos")
	case account.AuthNone, account.AuthClientIP:
		return valKey("sheet.val.apple.none")
	}
	return val(m.Label())
}

// security is the security choice in an app whose "None" is noneKey.
func security(s account.Security, noneKey string) sheetArg {
	if s == account.None {
		return valKey(noneKey)
	}
	return val(s.Label())
}

// androidSecurity is the security choice in Android mail apps, with the
// older name some versions show.
func androidSecurity(s account.Security, noneKey string) sheetArg {
	switch s {
	case account.TLS:
		return msg("sheet.android.some-versions", val("SSL/TLS"), val("SSL"))
	case account.STARTTLS:
		return msg("sheet.android.some-versions", val("STARTTLS"), val("TLS"))
	}
	return valKey(noneKey)
}

// k9Security is the security choice in Thunderbird for Android, with the
// older name some versions show.
func k9Security(s account.Security) sheetArg {
	switch s {
	case account.TLS:
		return msg("sheet.android.some-versions", val("SSL/TLS"), val("SSL"))
	case account.STARTTLS:
		return msg("sheet.android.some-versions", valKey("sheet.val.k9.starttls"), val("TLS"))
	}
	return valKey("sheet.val.k9.none")
}

// k9Auth is the authentication name in Thunderbird for Android.
func k9Auth(m account.AuthMethod) sheetArg {
	switch m {
	case account.AuthPasswordCleartext:
		return valKey("sheet.val.k9.password-cleartext")
	case account.AuthPasswordEncrypted:
		return valKey("sheet.val.k9.password-encrypted")
	case account.AuthOAuth2:
		return val("OAuth 2.0")
	case account.AuthTLSClientCert:
		return valKey("sheet.val.k9.client-cert")
	case account.AuthNone, account.AuthClientIP:
		return valKey("sheet.val.k9.no-auth")
	}
	return val(m.Label())
}

// tbAuth is the authentication method name in Thunderbird desktop.
func tbAuth(m account.AuthMethod) sheetArg {
	switch m {
	case account.AuthPasswordCleartext:
		return valKey("sheet.val.tb.password-cleartext")
	case account.AuthPasswordEncrypted:
		return valKey("sheet.val.tb.password-encrypted")
	case account.AuthTLSClientCert:
		return valKey("sheet.val.tb.tls-cert")
	case account.AuthClientIP, account.AuthNone:
		return valKey("sheet.val.tb.no-auth")
	}
	return val(m.Label())
}

func (w *sheetWriter) clients(a account.Account, d *sheetData, name string) sheetApps {
	in, out := a.Incoming, a.Outgoing
	pop := in.Protocol == account.POP3
	addr := a.Email.String()
	yourName := val(name)
	if name == "" {
		yourName = valKey("sheet.your-name")
	}
	leave := a.POP3 == nil || a.POP3.LeaveOnServer
	days := 0
	if a.POP3 != nil {
		days = a.POP3.DaysOnServer
	}
	useSSL := func(s account.Server) sheetArg { return onOff(s.Security != account.None) }
	// Each app's steps sign in with the first of the provider's methods
	// the app can use, and say so when that is not the provider's first.
	apple, appleFell := sheetChoice(a, appleSupports)
	ol, olFell := sheetChoice(a, outlookSupports)
	k9, _ := sheetChoice(a, androidSupports)
	// A step is written as a list item in both forms, one after the
	// other, so an app's steps are one piece of each buffer: mark where
	// they start, write them, and take them with steps.
	var h0, m0, n int
	mark := func() { h0, m0, n = w.h.Len(), w.m.Len(), 0 }
	step := func(key string, args ...sheetArg) {
		n++
		w.h.WriteString("\n<li>")
		w.m.WriteString(strconv.Itoa(n))
		w.m.WriteString(". ")
		w.msg(key, args)
		w.h.WriteString("</li>")
		w.m.WriteByte('\n')
	}
	steps := func() sheetText { return w.since(h0, m0) }
	var apps sheetApps

	// iPhone and iPad.
	mark()
	popOr := func(imap, pop3 string) string {
		if pop {
			return pop3
		}
		return imap
	}
	iosType := bold(popOr("IMAP", "POP"))
	step("sheet.ios.open", ui("sheet.ui.ios.settings"), ui("sheet.ui.ios.apps"), ui("sheet.ui.ios.mail"),
		ui("sheet.ui.ios.mail-accounts"), ui("sheet.ui.ios.add-account"), ui("sheet.ui.ios.accounts"))
	step("sheet.ios.add", ui("sheet.ui.ios.other"), ui("sheet.ui.ios.add-mail-account"), field("sheet.ui.ios.name"), yourName,
		field("sheet.ui.ios.email"), val(addr), ui("sheet.ui.ios.next"))
	step("sheet.ios.type", iosType)
	step("sheet.ios.incoming", ui("sheet.ui.ios.incoming-server"), field("sheet.ui.ios.host-name"), val(in.Host),
		field("sheet.ui.ios.user-name"), val(in.Username), field("sheet.ui.ios.password"))
	step("sheet.ios.outgoing", ui("sheet.ui.ios.outgoing-server"), field("sheet.ui.ios.host-name"), val(out.Host),
		field("sheet.ui.ios.user-name"), val(out.Username), field("sheet.ui.ios.password"), ui("sheet.ui.ios.next"), ui("sheet.ui.ios.save"))
	step("sheet.ios.check", ui("sheet.ui.ios.account"), ui("sheet.ui.ios.advanced"), ui("sheet.ui.ios.use-ssl"), useSSL(in),
		ui("sheet.ui.ios.authentication"), appleAuth(apple.Incoming.Auth), ui("sheet.ui.ios.server-port"), num(in.Port))
	step("sheet.ios.smtp", ui("sheet.ui.ios.account"), bold("SMTP"), val(out.Host), ui("sheet.ui.ios.use-ssl"), useSSL(out),
		ui("sheet.ui.ios.authentication"), appleAuth(apple.Outgoing.Auth), ui("sheet.ui.ios.server-port"), num(out.Port))
	if pop {
		switch {
		case !leave:
			step("sheet.ios.pop.set", ui("sheet.ui.ios.advanced"), ui("sheet.ui.ios.delete-from-server"), valKey("sheet.val.ios.when-removed"))
		case days > 0:
			step("sheet.ios.pop.days", ui("sheet.ui.ios.advanced"), ui("sheet.ui.ios.delete-from-server"), valKey("sheet.val.ios.never"),
				valKey("sheet.val.ios.seven-days"), w.days(days, true))
		default:
			step("sheet.ios.pop.set", ui("sheet.ui.ios.advanced"), ui("sheet.ui.ios.delete-from-server"), valKey("sheet.val.ios.never"))
		}
	}
	apps.IPhone.Steps = steps()
	apps.IPhone.Intro = w.fallback(apple, appleFell, appleSupports)

	// Mac Mail.
	mark()
	step("sheet.mac.add", ui("sheet.ui.mac.mail"), ui("sheet.ui.mac.add-account"), ui("sheet.ui.mac.other-account"), ui("sheet.ui.mac.continue"))
	step("sheet.mac.signin", field("sheet.ui.mac.name"), yourName, field("sheet.ui.mac.email-address"), val(addr), ui("sheet.ui.mac.sign-in"))
	step("sheet.mac.more", field("sheet.ui.mac.account-type"), iosType, field("sheet.ui.mac.incoming-server"), val(in.Host),
		field("sheet.ui.mac.outgoing-server"), val(out.Host), field("sheet.ui.mac.user-name"), val(in.Username), ui("sheet.ui.mac.sign-in"))
	step("sheet.mac.check", ui("sheet.ui.mac.mail"), ui("sheet.ui.mac.settings"), ui("sheet.ui.mac.accounts"), ui("sheet.ui.mac.server-settings"),
		ui("sheet.ui.mac.auto-manage"), field("sheet.ui.mac.port"), num(in.Port), ui("sheet.ui.mac.use-tls"), useSSL(in),
		field("sheet.ui.mac.authentication"), appleAuth(apple.Incoming.Auth))
	step("sheet.mac.outgoing", field("sheet.ui.mac.port"), num(out.Port), ui("sheet.ui.mac.use-tls"), useSSL(out),
		field("sheet.ui.mac.authentication"), appleAuth(apple.Outgoing.Auth), field("sheet.ui.mac.user-name"), val(out.Username))
	if pop {
		switch {
		case leave && days > 0:
			step("sheet.mac.pop.days", ui("sheet.ui.mac.advanced"), ui("sheet.ui.mac.remove-copy"), w.days(days, true))
		case leave:
			step("sheet.mac.pop.keep", ui("sheet.ui.mac.advanced"), ui("sheet.ui.mac.remove-copy"))
		default:
			step("sheet.mac.pop.delete", ui("sheet.ui.mac.advanced"), ui("sheet.ui.mac.remove-copy"), valKey("sheet.val.mac.right-away"))
		}
	}
	apps.Mac.Steps = steps()
	apps.Mac.Intro = apps.IPhone.Intro

	// Classic Outlook for Windows.
	mark()
	olType := iosType
	step("sheet.ol.add", ui("sheet.ui.ol.file"), ui("sheet.ui.ol.add-account"))
	step("sheet.ol.manual", val(addr), ui("sheet.ui.ol.advanced-options"), ui("sheet.ui.ol.manual"), ui("sheet.ui.ol.connect"))
	step("sheet.ol.type", olType)
	step("sheet.ol.server", field("sheet.ui.ol.incoming-mail"), field("sheet.ui.ol.server"), val(in.Host), field("sheet.ui.ol.port"), num(in.Port),
		field("sheet.ui.ol.encryption"), security(in.Security, "sheet.val.ol.none"), ui("sheet.ui.ol.spa"), onOff(ol.Incoming.Auth == account.AuthNTLM))
	step("sheet.ol.server", field("sheet.ui.ol.outgoing-mail"), field("sheet.ui.ol.server"), val(out.Host), field("sheet.ui.ol.port"), num(out.Port),
		field("sheet.ui.ol.encryption"), security(out.Security, "sheet.val.ol.none"), ui("sheet.ui.ol.spa"), onOff(ol.Outgoing.Auth == account.AuthNTLM))
	step("sheet.ol.connect", ui("sheet.ui.ol.next"), ui("sheet.ui.ol.connect"))
	if in.Username != addr || out.Username != addr {
		step("sheet.ol.username", ui("sheet.ui.ol.file"), ui("sheet.ui.ol.account-settings"), ui("sheet.ui.ol.server-settings"),
			field("sheet.ui.ol.user-name"), val(in.Username), ui("sheet.ui.ol.outgoing-mail"), val(out.Username))
	}
	if pop {
		path := []sheetArg{ui("sheet.ui.ol.file"), ui("sheet.ui.ol.account-settings"), ui("sheet.ui.ol.account-settings-dots"),
			ui("sheet.ui.ol.more-settings"), ui("sheet.ui.ol.advanced"), ui("sheet.ui.ol.leave-copy")}
		switch {
		case leave && days > 0:
			step("sheet.ol.pop.keep-days", append(path, ui("sheet.ui.ol.remove-after"), w.days(days, true))...)
		case leave:
			step("sheet.ol.pop.keep", path...)
		default:
			step("sheet.ol.pop.delete", path...)
		}
	}
	apps.OutlookClassic.Steps = steps()
	apps.OutlookClassic.Intro = w.fallback(ol, olFell, outlookSupports)

	// New Outlook for Windows and Outlook for Mac.
	mark()
	step("sheet.olnew.open", ui("sheet.ui.olnew.settings"), ui("sheet.ui.olnew.accounts"), ui("sheet.ui.olnew.email-accounts"),
		ui("sheet.ui.olnew.add-account"), bold("Outlook"), ui("sheet.ui.olnew.settings-mac"), bold("+"), ui("sheet.ui.olnew.new-account"))
	step("sheet.olnew.email", val(addr), ui("sheet.ui.olnew.continue"), olType)
	step("sheet.olnew.incoming", val(in.Username), val(in.Host), num(in.Port), security(in.Security, "sheet.val.olnew.none"),
		ui("sheet.ui.olnew.use-ssl"), useSSL(in))
	step("sheet.olnew.outgoing", val(out.Username), val(out.Host), num(out.Port), security(out.Security, "sheet.val.olnew.none"),
		ui("sheet.ui.olnew.use-ssl"), useSSL(out))
	step("sheet.olnew.finish", ui("sheet.ui.olnew.continue"), ui("sheet.ui.olnew.add-account-mac"))
	apps.OutlookNew.Steps = steps()
	i0, j0 := w.h.Len(), w.m.Len()
	w.msg("sheet.olnew.intro", nil)
	if pop {
		w.h.WriteByte(' ')
		w.m.WriteByte(' ')
		w.msg("sheet.olnew.intro-pop", nil)
	}
	apps.OutlookNew.Intro = w.since(i0, j0)

	// Outlook for iOS and Android.
	mobile := &apps.OutlookMobile
	mark()
	if pop {
		mobile.Intro = w.text("sheet.olm.no-pop")
	} else {
		step("sheet.olm.open", ui("sheet.ui.olm.settings"), ui("sheet.ui.olm.add-mail-account"), ui("sheet.ui.olm.add-email-account"))
		step("sheet.olm.email", val(addr), ui("sheet.ui.olm.continue"), bold("IMAP"))
		step("sheet.olm.advanced", ui("sheet.ui.olm.advanced-settings"), field("sheet.ui.olm.display-name"), yourName)
		step("sheet.olm.incoming", field("sheet.ui.olm.imap-server"), field("sheet.ui.olm.hostname"), val(in.Host+":"+strconv.Itoa(in.Port)),
			field("sheet.ui.olm.username"), val(in.Username), field("sheet.ui.olm.password"))
		step("sheet.olm.outgoing", field("sheet.ui.olm.smtp-server"), field("sheet.ui.olm.hostname"), val(out.Host+":"+strconv.Itoa(out.Port)),
			field("sheet.ui.olm.username"), val(out.Username), field("sheet.ui.olm.password"))
		step("sheet.olm.signin", ui("sheet.ui.olm.sign-in"))
		mobile.Steps = steps()
		if in.Security == account.None || out.Security == account.None {
			mobile.Intro = w.text("sheet.olm.no-encryption")
		}
	}

	// Thunderbird desktop.
	mark()
	step("sheet.tb.open", bold("☰"), ui("sheet.ui.tb.add-account"), ui("sheet.ui.tb.email"), ui("sheet.ui.tb.new-account"),
		ui("sheet.ui.tb.account-settings"), ui("sheet.ui.tb.mail-account"))
	step("sheet.tb.identity", field("sheet.ui.tb.full-name"), yourName, field("sheet.ui.tb.email-address"), val(addr),
		ui("sheet.ui.tb.manual-config"))
	step("sheet.tb.incoming", ui("sheet.ui.tb.incoming-settings"), field("sheet.ui.tb.protocol"), val(in.Protocol.Label()),
		field("sheet.ui.tb.hostname"), val(in.Host), field("sheet.ui.tb.port"), num(in.Port),
		field("sheet.ui.tb.connection-security"), security(in.Security, "sheet.val.tb.none"),
		field("sheet.ui.tb.auth-method"), tbAuth(in.Auth), field("sheet.ui.tb.username"), val(in.Username), ui("sheet.ui.tb.continue"))
	step("sheet.tb.outgoing", ui("sheet.ui.tb.outgoing-settings"),
		field("sheet.ui.tb.hostname"), val(out.Host), field("sheet.ui.tb.port"), num(out.Port),
		field("sheet.ui.tb.connection-security"), security(out.Security, "sheet.val.tb.none"),
		field("sheet.ui.tb.auth-method"), tbAuth(out.Auth), field("sheet.ui.tb.username"), val(out.Username), ui("sheet.ui.tb.test"))
	step("sheet.tb.done", ui("sheet.ui.tb.finish"))
	if pop {
		switch {
		case leave && days > 0:
			step("sheet.tb.pop.keep-days", ui("sheet.ui.tb.account-settings"), ui("sheet.ui.tb.server-settings"), ui("sheet.ui.tb.leave-on-server"),
				ui("sheet.ui.tb.for-at-most"), w.days(days, true))
		case leave:
			step("sheet.tb.pop.keep", ui("sheet.ui.tb.account-settings"), ui("sheet.ui.tb.server-settings"), ui("sheet.ui.tb.leave-on-server"))
		default:
			step("sheet.tb.pop.delete", ui("sheet.ui.tb.account-settings"), ui("sheet.ui.tb.server-settings"), ui("sheet.ui.tb.leave-on-server"))
		}
	}
	apps.Thunderbird.Steps = steps()

	// Thunderbird for Android / K-9 Mail.
	mark()
	k9s := val(a.Email.FileName() + ".k9s")
	if d.QR != "" && k9.Incoming.Auth == account.AuthOAuth2 {
		step("sheet.k9.import-qr-oauth2", k9s, ui("sheet.ui.k9.settings"), ui("sheet.ui.k9.import-settings"), ui("sheet.ui.k9.import-settings-qr"))
	} else if d.QR != "" {
		step("sheet.k9.import-qr", k9s, ui("sheet.ui.k9.settings"), ui("sheet.ui.k9.import-settings"), ui("sheet.ui.k9.import-settings-qr"))
	} else {
		step("sheet.k9.import", k9s, ui("sheet.ui.k9.settings"), ui("sheet.ui.k9.import-settings"))
	}
	step("sheet.k9.manual", ui("sheet.ui.k9.add-account"), val(addr), ui("sheet.ui.k9.next"), field("sheet.ui.k9.configure-manually"))
	step("sheet.k9.incoming", ui("sheet.ui.k9.incoming-settings"), val(in.Protocol.Label()), field("sheet.ui.k9.server"), val(in.Host),
		field("sheet.ui.k9.security"), k9Security(in.Security), field("sheet.ui.k9.port"), num(in.Port),
		field("sheet.ui.k9.username"), val(in.Username), field("sheet.ui.k9.authentication"), k9Auth(k9.Incoming.Auth))
	step("sheet.k9.outgoing", ui("sheet.ui.k9.outgoing-settings"), field("sheet.ui.k9.server"), val(out.Host),
		field("sheet.ui.k9.security"), k9Security(out.Security), field("sheet.ui.k9.port"), num(out.Port),
		field("sheet.ui.k9.username"), val(out.Username), field("sheet.ui.k9.authentication"), k9Auth(k9.Outgoing.Auth))
	if pop {
		k9Delete := valKey("sheet.val.k9.do-not-delete")
		if !leave {
			k9Delete = valKey("sheet.val.k9.delete")
		}
		key := "sheet.k9.pop"
		if days > 0 && leave {
			key = "sheet.k9.pop-days"
		}
		step(key, ui("sheet.ui.k9.fetching-mail"), ui("sheet.ui.k9.when-delete"), k9Delete)
	}
	apps.AndroidThunderbird.Steps = steps()

	// Gmail app and Samsung Email.
	mark()
	step("sheet.gm.add", ui("sheet.ui.gm.settings"), ui("sheet.ui.gm.add-account"), ui("sheet.ui.gm.other"), val(addr),
		ui("sheet.ui.gm.manual-setup"), ui(popOr("sheet.ui.gm.personal-imap", "sheet.ui.gm.personal-pop3")),
		ui("sheet.ui.sam.settings"), ui("sheet.ui.sam.add-account"), ui("sheet.ui.sam.other"), ui("sheet.ui.sam.manual-setup"),
		ui(popOr("sheet.ui.sam.imap-account", "sheet.ui.sam.pop3-account")))
	step("sheet.gm.incoming", field("sheet.ui.gm.incoming-server"), field("sheet.ui.gm.username"), val(in.Username),
		field("sheet.ui.gm.password"), field("sheet.ui.gm.server"), val(in.Host), field("sheet.ui.gm.port"), num(in.Port),
		field("sheet.ui.gm.security-type"), androidSecurity(in.Security, "sheet.val.gm.none"))
	step("sheet.gm.outgoing", field("sheet.ui.gm.outgoing-server"), ui("sheet.ui.gm.require-signin"), ui("sheet.ui.sam.require-auth"),
		onOff(out.Auth != account.AuthNone && out.Auth != account.AuthClientIP), field("sheet.ui.gm.username"), val(out.Username),
		field("sheet.ui.gm.server"), val(out.Host), field("sheet.ui.gm.port"), num(out.Port),
		field("sheet.ui.gm.security-type"), androidSecurity(out.Security, "sheet.val.gm.none"))
	step("sheet.gm.never-accept", ui("sheet.ui.gm.accept-all"))
	if pop {
		gDelete := valKey("sheet.val.gm.never")
		if !leave {
			gDelete = valKey("sheet.val.gm.when-delete")
		}
		step("sheet.gm.pop", ui("sheet.ui.gm.delete-email"), gDelete)
	}
	apps.AndroidOther.Steps = steps()
	apps.AndroidOther.Intro = w.text("sheet.gm.intro")
	return apps
}

// mdSpecial marks the characters mdEscape escapes, all of them ASCII.
var mdSpecial = [utf8.RuneSelf]bool{'\\': true, '`': true, '*': true, '_': true, '[': true, ']': true,
	'<': true, '>': true, '|': true, '~': true}

// mdEscape backslash-escapes the characters that Markdown would read as
// markup (or raw HTML), so names and labels print as they are. A string
// with nothing to escape is returned as is; otherwise invalid UTF-8 in it
// becomes U+FFFD.
func mdEscape(s string) string {
	i := 0
	for i < len(s) && (s[i] >= utf8.RuneSelf || !mdSpecial[s[i]]) {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		if r < utf8.RuneSelf && mdSpecial[r] {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCode returns s as a Markdown code span, with a fence longer than any
// run of backticks inside it.
func mdCode(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 4)
	writeMDCode(&b, s)
	return b.String()
}

// writeMDCode writes s to b as mdCode returns it.
func writeMDCode(b *strings.Builder, s string) {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ { // '`' is ASCII: bytes give the same runs as runes
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := longest + 1
	pad := s == "" || s[0] == '`' || s[len(s)-1] == '`'
	for range fence {
		b.WriteByte('`')
	}
	if pad {
		b.WriteByte(' ')
	}
	b.WriteString(s)
	if pad {
		b.WriteByte(' ')
	}
	for range fence {
		b.WriteByte('`')
	}
}

// mdCell is mdCode for a table cell, where "|" must be escaped even
// inside a code span.
func mdCell(s string) string {
	return strings.ReplaceAll(mdCode(s), "|", `\|`)
}
