package templates

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/qrcode"
)

// The sheet format is a printable, self-contained HTML page (inline CSS,
// the QR code as a data: URI, no external resources) and its Markdown twin:
// the settings table and step-by-step instructions for the common mail
// apps, filled in with the account's values. It never holds the password,
// and neither does its QR code.

func init() {
	register("sheet", renderSheet)
}

// Sheet file names.
const (
	sheetHTMLName = "setup-sheet.html"
	sheetMDName   = "setup-sheet.md"
)

func renderSheet(a account.Account, o Options) ([]File, error) {
	d := newSheetData(a)
	if d.qrTooLong != nil {
		o.warn(qrTooLongCode, "%s", qrTooLong(o, o.t("use.sheet-qr"), d.qrTooLong, a))
	}
	var h, m bytes.Buffer
	writeSheetHTML(&h, d)
	writeSheetMD(&m, d)
	return []File{
		{Name: sheetHTMLName, Data: h.Bytes(),
			Use: o.t("use.sheet.html")},
		{Name: sheetMDName, Data: m.Bytes(),
			Use: o.t("use.sheet.md")},
	}, nil
}

// sheetSegKind says how a piece of an instruction step is shown.
type sheetSegKind int

const (
	sheetSegText  sheetSegKind = iota
	sheetSegUI                 // a button, menu or field name: bold
	sheetSegValue              // a value to type or choose: code
)

type sheetSeg struct {
	Kind sheetSegKind
	Text string
}

func (s sheetSeg) UI() bool    { return s.Kind == sheetSegUI }
func (s sheetSeg) Value() bool { return s.Kind == sheetSegValue }

type sheetStep []sheetSeg

// sheetSteps builds the steps of one sheet. The steps' segments share one
// backing array, so a sheet costs one allocation for all of them rather
// than one per step.
type sheetSteps struct{ segs []sheetSeg }

// sheetStepsCap holds every sheet's segments (418 to 469 of them); a sheet
// with more only costs a reallocation.
const sheetStepsCap = 480

// step builds a step: strings are text, sheetSeg values keep their kind,
// sheetStep values are spliced in and ints are values.
func (b *sheetSteps) step(parts ...any) sheetStep {
	start := len(b.segs)
	for _, p := range parts {
		switch v := p.(type) {
		case sheetSeg:
			b.segs = append(b.segs, v)
		case sheetStep:
			b.segs = append(b.segs, v...)
		case string:
			b.segs = append(b.segs, sheetSeg{sheetSegText, v})
		case int:
			b.segs = append(b.segs, sheetSeg{sheetSegValue, strconv.Itoa(v)})
		}
	}
	// The cap keeps a later step from being appended into this one.
	return b.segs[start:len(b.segs):len(b.segs)]
}

func sui(s string) sheetSeg  { return sheetSeg{sheetSegUI, s} }
func sval(s string) sheetSeg { return sheetSeg{sheetSegValue, s} }

type sheetClient struct {
	ID    string
	Title string
	Intro string
	Steps []sheetStep
}

type sheetServer struct {
	Role        string // "Incoming" or "Outgoing"
	Protocol    string // "IMAP", "POP3", "SMTP"
	Host        string
	HostUnicode string // set when the Unicode form differs
	Port        int
	Security    string
	Username    string
	Auth        string

	srv account.Server
}

type sheetData struct {
	Address        string // ASCII domain
	AddressDisplay string // Unicode domain
	IDN            bool   // the two differ
	Name           string
	Protocol       string // IMAP or POP3
	Servers        []sheetServer
	POP3           []string // leave-on-server lines, POP3 only
	Warnings       []string
	QR             string // data:image/png;base64,..., trusted as a URL
	QRNote         string
	K9sFile        string
	qrTooLong      []byte // the payload, when it is too long for a QR code
	Clients        []sheetClient
}

func newSheetData(a account.Account) *sheetData {
	d := &sheetData{
		Address:        a.Email.String(),
		AddressDisplay: a.Email.Display(),
		Name:           androidOneLine(a.DisplayName),
		Protocol:       a.Incoming.Protocol.Label(),
		K9sFile:        a.Email.FileName() + ".k9s",
	}
	d.IDN = d.Address != d.AddressDisplay
	d.Servers = []sheetServer{sheetServerFor("Incoming", a.Incoming), sheetServerFor("Outgoing", a.Outgoing)}
	if a.Incoming.Protocol == account.POP3 {
		d.POP3 = sheetPOP3Lines(a.POP3)
	}
	for _, s := range d.Servers {
		if s.srv.Security == account.None {
			d.Warnings = append(d.Warnings, "The "+strings.ToLower(s.Role)+" server ("+s.Host+
				") uses no encryption: your password and mail cross the network unprotected. Use it only on a network you trust.")
		}
	}
	if a.Incoming.Auth == account.AuthOAuth2 || a.Outgoing.Auth == account.AuthOAuth2 {
		d.Warnings = append(d.Warnings, "This account signs in with OAuth2: the app opens the provider's sign-in page instead of asking for a password. Apps without OAuth2 support cannot use it.")
	}
	// The sheet's QR code never carries the password.
	payload, _, err := qrPayload(1, 1, []QRAccount{{Account: a}})
	if err == nil {
		var png []byte
		if png, err = QRPNG(payload); err == nil {
			d.QR = "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
		}
	}
	switch {
	case errors.Is(err, qrcode.ErrTooLong):
		d.qrTooLong = payload
		d.QRNote = "No QR code: the settings are too long for one. Use the .k9s file or enter the settings by hand."
	case err != nil:
		d.QRNote = "No QR code: " + err.Error()
	}
	d.Clients = sheetClients(a, d)
	return d
}

func sheetServerFor(role string, s account.Server) sheetServer {
	out := sheetServer{
		Role: role, Protocol: s.Protocol.Label(), Host: s.Host, Port: s.Port,
		Security: s.Security.Label(), Username: s.Username, Auth: s.Auth.Label(), srv: s,
	}
	if u, err := idna.Display.ToUnicode(s.Host); err == nil && u != s.Host {
		out.HostUnicode = u
	}
	if out.Username == "" {
		out.Username = "(none)"
	}
	return out
}

func sheetPOP3Lines(p *account.POP3Options) []string {
	switch {
	case p == nil:
		return []string{"Leave messages on the server: yes (recommended, so other devices still see them)."}
	case !p.LeaveOnServer:
		return []string{"Leave messages on the server: no. Mail is removed from the server once this device has downloaded it, so no other device will see it."}
	case p.DaysOnServer > 0:
		return []string{"Leave messages on the server: yes.", "Remove them from the server after " + strconv.Itoa(p.DaysOnServer) + " days."}
	}
	return []string{"Leave messages on the server: yes, until you delete them."}
}

// sheetAppleAuth is the Authentication choice in iPhone and Mac Mail.
func sheetAppleAuth(m account.AuthMethod) string {
	switch m {
	case account.AuthPasswordCleartext:
		return "Password"
	case account.AuthPasswordEncrypted:
		return "MD5 Challenge-Response"
	case account.AuthNTLM:
		return "NTLM"
	case account.AuthGSSAPI:
		return "Kerberos"
	case account.AuthNone, account.AuthClientIP:
		return "None"
	}
	return m.Label()
}

func sheetOnOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// sheetAndroidSecurity is the security choice in Android mail apps, with
// the older name some versions show.
func sheetAndroidSecurity(s account.Security) sheetStep {
	switch s {
	case account.TLS:
		return sheetAndroidTLS
	case account.STARTTLS:
		return sheetAndroidSTARTTLS
	}
	return sheetAndroidNone
}

// The steps sheetAndroidSecurity returns; step copies them, so they are
// never modified.
var (
	sheetAndroidTLS      = sheetStep{sval("SSL/TLS"), {sheetSegText, " (some versions: "}, sval("SSL"), {sheetSegText, ")"}}
	sheetAndroidSTARTTLS = sheetStep{sval("STARTTLS"), {sheetSegText, " (some versions: "}, sval("TLS"), {sheetSegText, ")"}}
	sheetAndroidNone     = sheetStep{sval("None")}
)

// sheetK9Auth is the authentication name in Thunderbird for Android.
func sheetK9Auth(m account.AuthMethod) string {
	switch m {
	case account.AuthPasswordCleartext:
		return "Normal password"
	case account.AuthPasswordEncrypted:
		return "Encrypted password"
	case account.AuthOAuth2:
		return "OAuth 2.0"
	case account.AuthTLSClientCert:
		return "Client certificate"
	case account.AuthNone, account.AuthClientIP:
		return "No authentication"
	}
	return m.Label()
}

// sheetTBAuth is the authentication method name in Thunderbird desktop.
func sheetTBAuth(m account.AuthMethod) string {
	switch m {
	case account.AuthTLSClientCert:
		return "TLS Certificate"
	case account.AuthClientIP:
		return "No authentication"
	}
	return m.Label()
}

func sheetClients(a account.Account, d *sheetData) []sheetClient {
	in, out := a.Incoming, a.Outgoing
	pop := in.Protocol == account.POP3
	name := d.Name
	if name == "" {
		name = "your name"
	}
	leave := a.POP3 == nil || a.POP3.LeaveOnServer
	days := 0
	if a.POP3 != nil {
		days = a.POP3.DaysOnServer
	}
	useSSL := func(s account.Server) string { return sheetOnOff(s.Security != account.None) }
	sb := &sheetSteps{segs: make([]sheetSeg, 0, sheetStepsCap)}

	var clients []sheetClient

	// iPhone and iPad.
	iosType := "IMAP"
	if pop {
		iosType = "POP"
	}
	ios := []sheetStep{
		sb.step("Open ", sui("Settings"), " → ", sui("Apps"), " → ", sui("Mail"), " → ", sui("Mail Accounts"), " → ", sui("Add Account"),
			" (iOS 17 and older: ", sui("Settings"), " → ", sui("Mail"), " → ", sui("Accounts"), " → ", sui("Add Account"), ")."),
		sb.step("Tap ", sui("Other"), " → ", sui("Add Mail Account"), ". Enter Name ", sval(name), ", Email ", sval(d.Address),
			", your password and a description, then tap ", sui("Next"), "."),
		sb.step("At the top choose ", sui(iosType), "."),
		sb.step("Under ", sui("Incoming Mail Server"), ": Host Name ", sval(in.Host), ", User Name ", sval(in.Username), ", Password: your password."),
		sb.step("Under ", sui("Outgoing Mail Server"), ": Host Name ", sval(out.Host), ", User Name ", sval(out.Username),
			", Password: your password. Tap ", sui("Next"), ", then ", sui("Save"), "."),
		sb.step("Check the details: open the account again → ", sui("Account"), " → ", sui("Advanced"), ": ", sui("Use SSL"), " ",
			sval(useSSL(in)), ", ", sui("Authentication"), " ", sval(sheetAppleAuth(in.Auth)), ", ", sui("Server Port"), " ", in.Port, "."),
		sb.step("For sending: ", sui("Account"), " → ", sui("SMTP"), " → ", sval(out.Host), ": ", sui("Use SSL"), " ", sval(useSSL(out)), ", ",
			sui("Authentication"), " ", sval(sheetAppleAuth(out.Auth)), ", ", sui("Server Port"), " ", out.Port, "."),
	}
	if pop {
		switch {
		case !leave:
			ios = append(ios, sb.step("In ", sui("Advanced"), ", set ", sui("Delete from server"), " to ", sval("When removed from Inbox"), "."))
		case days > 0:
			ios = append(ios, sb.step("In ", sui("Advanced"), ", set ", sui("Delete from server"), " to ", sval("Never"),
				" (iPhone can only delete after seven days: choose ", sval("Seven days"), " if that is close enough to ", days, " days)."))
		default:
			ios = append(ios, sb.step("In ", sui("Advanced"), ", set ", sui("Delete from server"), " to ", sval("Never"), "."))
		}
	}
	clients = append(clients, sheetClient{ID: "iphone", Title: "iPhone and iPad (Mail)", Steps: ios})

	// Mac Mail.
	mac := []sheetStep{
		sb.step("In Mail choose ", sui("Mail"), " → ", sui("Add Account…"), ", select ", sui("Other Mail Account…"), " and click ", sui("Continue"), "."),
		sb.step("Enter Name ", sval(name), ", Email Address ", sval(d.Address), " and your password, then click ", sui("Sign In"), "."),
		sb.step("When Mail asks for more: Account Type ", sui(iosType), ", Incoming Mail Server ", sval(in.Host), ", Outgoing Mail Server ",
			sval(out.Host), ", User Name ", sval(in.Username), ". Click ", sui("Sign In"), "."),
		sb.step("Check the details: ", sui("Mail"), " → ", sui("Settings…"), " → ", sui("Accounts"), " → the account → ", sui("Server Settings"),
			". Turn off ", sui("Automatically manage connection settings"), " and set the incoming Port ", in.Port, ", ",
			sui("Use TLS/SSL"), " ", sval(useSSL(in)), ", Authentication ", sval(sheetAppleAuth(in.Auth)), "."),
		sb.step("Do the same for the outgoing server: Port ", out.Port, ", ", sui("Use TLS/SSL"), " ", sval(useSSL(out)),
			", Authentication ", sval(sheetAppleAuth(out.Auth)), ", User Name ", sval(out.Username), "."),
	}
	if pop {
		switch {
		case leave && days > 0:
			mac = append(mac, sb.step("In the account's ", sui("Advanced"), " settings turn on ", sui("Remove copy from server after retrieving a message"),
				" and choose the time closest to ", days, " days."))
		case leave:
			mac = append(mac, sb.step("In the account's ", sui("Advanced"), " settings turn off ", sui("Remove copy from server after retrieving a message"), "."))
		default:
			mac = append(mac, sb.step("In the account's ", sui("Advanced"), " settings turn on ", sui("Remove copy from server after retrieving a message"),
				" and choose ", sval("Right away"), "."))
		}
	}
	clients = append(clients, sheetClient{ID: "mac", Title: "Mac (Apple Mail)", Steps: mac})

	// Classic Outlook for Windows.
	olType := "IMAP"
	if pop {
		olType = "POP"
	}
	classic := []sheetStep{
		sb.step("Choose ", sui("File"), " → ", sui("Add Account"), "."),
		sb.step("Enter ", sval(d.Address), ", click ", sui("Advanced options"), ", tick ", sui("Let me set up my account manually"), " and click ", sui("Connect"), "."),
		sb.step("Choose ", sui(olType), "."),
		sb.step("Incoming mail: Server ", sval(in.Host), ", Port ", in.Port, ", Encryption method ", sval(in.Security.Label()), ". ",
			sui("Require logon using Secure Password Authentication (SPA)"), ": ", sval(sheetOnOff(in.Auth == account.AuthNTLM)), "."),
		sb.step("Outgoing mail: Server ", sval(out.Host), ", Port ", out.Port, ", Encryption method ", sval(out.Security.Label()), ". ",
			sui("Require logon using Secure Password Authentication (SPA)"), ": ", sval(sheetOnOff(out.Auth == account.AuthNTLM)), "."),
		sb.step("Click ", sui("Next"), ", enter your password and click ", sui("Connect"), "."),
	}
	if in.Username != d.Address || out.Username != d.Address {
		classic = append(classic, sb.step("Your user name is not your address: in ", sui("File"), " → ", sui("Account Settings"), " → ",
			sui("Server Settings"), " set the incoming User Name to ", sval(in.Username), " and, under ", sui("Outgoing mail"),
			", the User Name to ", sval(out.Username), "."))
	}
	if pop {
		if leave {
			classic = append(classic, sb.step("In ", sui("File"), " → ", sui("Account Settings"), " → ", sui("Account Settings…"), " → the account → ",
				sui("More Settings"), " → ", sui("Advanced"), ", tick ", sui("Leave a copy of messages on the server"),
				sb.ifDays(days, " and ", sui("Remove from server after"), " ", days, " days"), "."))
		} else {
			classic = append(classic, sb.step("In ", sui("File"), " → ", sui("Account Settings"), " → ", sui("Account Settings…"), " → the account → ",
				sui("More Settings"), " → ", sui("Advanced"), ", clear ", sui("Leave a copy of messages on the server"), "."))
		}
	}
	clients = append(clients, sheetClient{ID: "outlook-classic", Title: "Outlook for Windows (classic)", Steps: classic})

	// New Outlook for Windows and Outlook for Mac.
	newOL := []sheetStep{
		sb.step("New Outlook for Windows: ", sui("Settings"), " → ", sui("Accounts"), " → ", sui("Email accounts"), " → ", sui("Add account"),
			". Outlook for Mac: ", sui("Outlook"), " → ", sui("Settings…"), " → ", sui("Accounts"), " → ", sui("+"), " → ", sui("New Account…"), "."),
		sb.step("Enter ", sval(d.Address), " and click ", sui("Continue"), ". When asked for the provider or account type, choose ", sui(olType), "."),
		sb.step("Incoming: user name ", sval(in.Username), ", your password, server ", sval(in.Host), ", port ", in.Port,
			", secure connection type ", sval(in.Security.Label()), " (Outlook for Mac: ", sui("Use SSL to connect"), " ", sval(useSSL(in)), ")."),
		sb.step("Outgoing (SMTP): user name ", sval(out.Username), ", your password, server ", sval(out.Host), ", port ", out.Port,
			", secure connection type ", sval(out.Security.Label()), " (Outlook for Mac: ", sui("Use SSL to connect"), " ", sval(useSSL(out)), ")."),
		sb.step("Click ", sui("Continue"), " (or ", sui("Add Account"), ")."),
	}
	clients = append(clients, sheetClient{ID: "outlook-new", Title: "New Outlook for Windows and Outlook for Mac", Steps: newOL,
		Intro: "New Outlook for Windows syncs IMAP and POP accounts through Microsoft's cloud: Microsoft's servers sign in to your mail server for you." +
			sheetChoose(pop, " If POP is not offered, use classic Outlook or Thunderbird.", "")})

	// Outlook for iOS and Android.
	mobile := sheetClient{ID: "outlook-mobile", Title: "Outlook for iPhone and Android"}
	if pop {
		mobile.Intro = "Outlook for iPhone and Android cannot add POP3 accounts. Use the phone's own mail app, Gmail, Samsung Email or Thunderbird for Android instead."
	} else {
		mobile.Steps = []sheetStep{
			sb.step("Open ", sui("Settings"), " (your profile picture → gear) → ", sui("Add Mail Account"), " → ", sui("Add Email Account"), "."),
			sb.step("Enter ", sval(d.Address), ", tap ", sui("Continue"), " and choose ", sui("IMAP"), "."),
			sb.step("Turn on ", sui("Advanced settings"), " if shown. Enter Display Name ", sval(name), "."),
			sb.step("IMAP incoming mail server: Hostname ", sval(in.Host+":"+strconv.Itoa(in.Port)), " (host name, a colon, then the port), Username ",
				sval(in.Username), ", Password: your password."),
			sb.step("SMTP outgoing mail server: Hostname ", sval(out.Host+":"+strconv.Itoa(out.Port)), ", Username ", sval(out.Username),
				", Password: your password."),
			sb.step("Tap the check mark (", sui("Sign in"), ")."),
		}
		if in.Security == account.None || out.Security == account.None {
			mobile.Intro = "Outlook mobile chooses the encryption itself; a server without encryption may not work with it."
		}
	}
	clients = append(clients, mobile)

	// Thunderbird desktop.
	tb := []sheetStep{
		sb.step("Open the ", sui("☰"), " menu → ", sui("New"), " → ", sui("Existing Mail Account…"), " (or ", sui("Account Settings"), " → ",
			sui("Account Actions"), " → ", sui("Add Mail Account…"), ")."),
		sb.step("Enter Your full name ", sval(name), ", Email address ", sval(d.Address), " and your password, then click ", sui("Configure manually"), "."),
		sb.step("Incoming Server: Protocol ", sval(in.Protocol.Label()), ", Hostname ", sval(in.Host), ", Port ", in.Port, ", Connection security ",
			sval(in.Security.Label()), ", Authentication method ", sval(sheetTBAuth(in.Auth)), ", Username ", sval(in.Username), "."),
		sb.step("Outgoing Server: Hostname ", sval(out.Host), ", Port ", out.Port, ", Connection security ", sval(out.Security.Label()),
			", Authentication method ", sval(sheetTBAuth(out.Auth)), ", Username ", sval(out.Username), "."),
		sb.step("Click ", sui("Re-test"), ", then ", sui("Done"), "."),
	}
	if pop {
		if leave {
			tb = append(tb, sb.step("In ", sui("Account Settings"), " → ", sui("Server Settings"), " tick ", sui("Leave messages on server"),
				sb.ifDays(days, " and ", sui("For at most"), " ", days, " days"), "."))
		} else {
			tb = append(tb, sb.step("In ", sui("Account Settings"), " → ", sui("Server Settings"), " clear ", sui("Leave messages on server"), "."))
		}
	}
	clients = append(clients, sheetClient{ID: "thunderbird", Title: "Thunderbird (Windows, Mac, Linux)", Steps: tb})

	// Thunderbird for Android / K-9 Mail.
	k9Delete := "Never delete from server"
	if !leave {
		k9Delete = "Delete from server"
	}
	var k9first sheetStep
	if d.QR != "" {
		k9first = sb.step("Quickest: import the file ", sval(d.K9sFile), " if you have it (", sui("Settings"), " → ", sui("Import settings"),
			"), or tap ", sui("Import settings"), " on the welcome screen and scan the setup sheet's QR code. Then enter your password when asked.")
	} else {
		k9first = sb.step("If you have the file ", sval(d.K9sFile), ", import it: ", sui("Settings"), " → ", sui("Import settings"), ".")
	}
	k9 := []sheetStep{
		k9first,
		sb.step("By hand: ", sui("Add account"), ", enter ", sval(d.Address), " and tap ", sui("Next"), "; if the settings are not found, choose manual setup."),
		sb.step("Incoming server: ", sval(in.Protocol.Label()), ", Server ", sval(in.Host), ", Security ", sheetAndroidSecurity(in.Security),
			", Port ", in.Port, ", Username ", sval(in.Username), ", Authentication ", sval(sheetK9Auth(in.Auth)), "."),
		sb.step("Outgoing server: Server ", sval(out.Host), ", Security ", sheetAndroidSecurity(out.Security), ", Port ", out.Port,
			", Username ", sval(out.Username), ", Authentication ", sval(sheetK9Auth(out.Auth)), "."),
	}
	if pop {
		k9 = append(k9, sb.step("Incoming server settings: ", sui("When I delete a message"), " → ", sval(k9Delete),
			sheetChoose(days > 0 && leave, " (the app cannot delete after a number of days)", ""), "."))
	}
	clients = append(clients, sheetClient{ID: "android-thunderbird", Title: "Thunderbird for Android / K-9 Mail", Steps: k9})

	// Gmail app and Samsung Email.
	gType := "Personal (IMAP)"
	sType := "IMAP account"
	if pop {
		gType, sType = "Personal (POP3)", "POP3 account"
	}
	g := []sheetStep{
		sb.step("Gmail: ", sui("Settings"), " → ", sui("Add account"), " → ", sui("Other"), ", enter ", sval(d.Address), ", tap ", sui("Manual setup"),
			" and choose ", sui(gType), ". Samsung Email: ", sui("Settings"), " → ", sui("Add account"), " → ", sui("Other"), ", enter ",
			sval(d.Address), " and your password, tap ", sui("Manual setup"), " and choose ", sui(sType), "."),
		sb.step("Incoming server: Username ", sval(in.Username), ", Password: your password, Server ", sval(in.Host), ", Port ", in.Port,
			", Security type ", sheetAndroidSecurity(in.Security), "."),
		sb.step("Outgoing server: keep ", sui("Require sign-in"), " (Samsung: ", sui("Require authentication to send emails"), ") ",
			sval(sheetOnOff(out.Auth != account.AuthNone && out.Auth != account.AuthClientIP)), ", Username ", sval(out.Username),
			", Server ", sval(out.Host), ", Port ", out.Port, ", Security type ", sheetAndroidSecurity(out.Security), "."),
		sb.step("Never choose a security type that says ", sui("Accept all certificates"), "."),
	}
	if pop {
		gDelete := "Never"
		if !leave {
			gDelete = "When I delete from Inbox"
		}
		g = append(g, sb.step(sui("Delete email from server"), ": ", sval(gDelete), "."))
	}
	clients = append(clients, sheetClient{ID: "android-other", Title: "Gmail app and Samsung Email (Android)", Steps: g,
		Intro: "Neither app can import a settings file or QR code: enter the settings by hand. The field names differ a little between versions."})

	return clients
}

// ifDays returns the step parts only when days > 0.
func (b *sheetSteps) ifDays(days int, parts ...any) sheetStep {
	if days <= 0 {
		return nil
	}
	return b.step(parts...)
}

func sheetChoose(c bool, a, b string) string {
	if c {
		return a
	}
	return b
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
	var b strings.Builder
	b.Grow(2*fence + len(s) + 2)
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
	return b.String()
}

// mdCell is mdCode for a table cell, where "|" must be escaped even
// inside a code span.
func mdCell(s string) string {
	return strings.ReplaceAll(mdCode(s), "|", `\|`)
}
