package templates

import (
	"bytes"
	"strconv"
	"strings"
)

// The setup sheet is written by plain Go code rather than html/template
// and text/template: the template engines' reflection cost milliseconds per
// account, which bulk exports of thousands of accounts could not afford.
// The writers below produce exactly the bytes the templates in
// testdata/sheet-templates/ produce (sheet_oracle_test.go checks this for
// the fixtures, generated hostile accounts and a fuzz target), including
// html/template's escaping in each context the page uses.

// sheetHTMLHead is the start of the HTML page, up to the <title> text.
const sheetHTMLHead = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="color-scheme" content="light">
<meta name="generator" content="mailsetup">
<title>E-mail setup: `

// sheetHTMLStyle follows the <title>: the inline CSS, up to the heading.
const sheetHTMLStyle = `</title>
<style>
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 52rem; padding: 1.5rem; background: #fff; color: #111;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; }
header { display: flex; gap: 1.5rem; align-items: flex-start; justify-content: space-between;
  border-bottom: 2px solid #111; padding-bottom: 1rem; margin-bottom: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .4rem; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid #bbb; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
p { margin: .3rem 0; }
code { font: .95em/1.3 ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  background: #f1f1f1; border: 1px solid #ddd; border-radius: 3px; padding: 0 .25em; overflow-wrap: anywhere; }
small { color: #444; }
.qr { margin: 0; text-align: center; flex: 0 0 auto; width: 12rem; }
.qr img { width: 12rem; height: 12rem; image-rendering: pixelated; display: block; }
.qr figcaption { font-size: .8rem; color: #333; }
.nopw { font-weight: 600; }
.warn { border-left: 4px solid #b00; background: #fff4f4; padding: .4rem .7rem; margin: .6rem 0; }
table.settings { border-collapse: collapse; width: 100%; }
table.settings th, table.settings td { border: 1px solid #999; padding: .35rem .55rem; text-align: left; vertical-align: top; }
table.settings thead th { background: #e9e9e9; }
table.settings tbody th { background: #f6f6f6; width: 9rem; font-weight: 600; }
.client { break-inside: avoid; page-break-inside: avoid; }
ol { padding-left: 1.6rem; margin: .3rem 0; }
li { margin: .15rem 0; }
footer { margin-top: 2rem; border-top: 1px solid #bbb; font-size: .8rem; color: #444; }
@media (max-width: 40rem) { header { flex-direction: column; } }
@page { margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  header { break-after: avoid; page-break-after: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  table.settings, .explain { break-inside: avoid; page-break-inside: avoid; }
  code { background: none; border-color: #999; }
  .warn { background: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
</style>
</head>
<body>
<header>
<div>
<h1>E-mail setup for <span class="addr">`

// writeSheetHTML writes the HTML setup sheet for d to b.
func writeSheetHTML(b *bytes.Buffer, d *sheetData) {
	// About 10 KiB of markup and text, the steps, the QR code's data: URI
	// (where every '+' becomes "&#43;") and room for escaping.
	steps := sheetStepsLen(d)
	b.Grow(11<<10 + steps + steps/8 + len(d.QR) + len(d.QR)/16)
	b.WriteString(sheetHTMLHead)
	htmlEscape(b, d.AddressDisplay)
	b.WriteString(sheetHTMLStyle)
	htmlEscape(b, d.AddressDisplay)
	b.WriteString("</span></h1>")
	if d.IDN {
		b.WriteString("\n<p class=\"idn\">If an app rejects the address above, type this form: <code>")
		htmlEscape(b, d.Address)
		b.WriteString("</code></p>")
	}
	if d.Name != "" {
		b.WriteString("\n<p>Name: ")
		htmlEscape(b, d.Name)
		b.WriteString("</p>")
	}
	b.WriteString("\n<p class=\"nopw\">This sheet does not contain your password: you type it yourself when the app asks.</p>\n</div>")
	if d.QR != "" {
		b.WriteString("\n<figure class=\"qr\"><img src=\"")
		htmlURLAttr(b, d.QR)
		b.WriteString("\" alt=\"QR code with these settings for Thunderbird for Android\"><figcaption>" +
			"Thunderbird for Android: Import settings, then scan this code. It holds no password.</figcaption></figure>")
	}
	b.WriteString("\n</header>")
	for _, w := range d.Warnings {
		b.WriteString("\n<p class=\"warn\"><strong>Warning:</strong> ")
		htmlEscape(b, w)
		b.WriteString("</p>")
	}
	if d.QRNote != "" {
		b.WriteString("\n<p class=\"warn\">")
		htmlEscape(b, d.QRNote)
		b.WriteString("</p>")
	}
	b.WriteString("\n\n<section id=\"settings\">\n<h2>Settings</h2>\n<table class=\"settings\">\n<thead><tr><th scope=\"col\"></th>")
	for _, s := range d.Servers {
		b.WriteString("<th scope=\"col\">")
		htmlEscape(b, s.Role)
		b.WriteString("</th>")
	}
	b.WriteString("</tr></thead>\n<tbody>")
	row := func(label, class string, cell func(sheetServer)) {
		b.WriteString("\n<tr><th scope=\"row\">" + label + "</th>")
		for _, s := range d.Servers {
			b.WriteString("<td class=\"" + class + "\">")
			cell(s)
			b.WriteString("</td>")
		}
		b.WriteString("</tr>")
	}
	text := func(v func(sheetServer) string) func(sheetServer) {
		return func(s sheetServer) { htmlEscape(b, v(s)) }
	}
	code := func(v func(sheetServer) string) func(sheetServer) {
		return func(s sheetServer) {
			b.WriteString("<code>")
			htmlEscape(b, v(s))
			b.WriteString("</code>")
		}
	}
	row("Protocol", "protocol", text(func(s sheetServer) string { return s.Protocol }))
	row("Server", "host", func(s sheetServer) {
		b.WriteString("<code>")
		htmlEscape(b, s.Host)
		b.WriteString("</code>")
		if s.HostUnicode != "" {
			b.WriteString("<br><small>(")
			htmlEscape(b, s.HostUnicode)
			b.WriteString(")</small>")
		}
	})
	row("Port", "port", func(s sheetServer) {
		b.WriteString("<code>")
		writeInt(b, s.Port) // digits and '-': nothing to escape
		b.WriteString("</code>")
	})
	row("Security", "security", text(func(s sheetServer) string { return s.Security }))
	row("Username", "username", code(func(s sheetServer) string { return s.Username }))
	row("Authentication", "auth", text(func(s sheetServer) string { return s.Auth }))
	row("Password", "password", func(sheetServer) { b.WriteString("your password") })
	b.WriteString("\n</tbody>\n</table>")
	if len(d.POP3) > 0 {
		b.WriteString("\n<h3>POP3: keeping mail on the server</h3>\n<ul class=\"pop3\">")
		for _, l := range d.POP3 {
			b.WriteString("\n<li>")
			htmlEscape(b, l)
			b.WriteString("</li>")
		}
		b.WriteString("\n</ul>")
	}
	b.WriteString(`
</section>

<section id="imap-pop3" class="explain">
<h2>IMAP, POP3 and SMTP</h2>
<p><strong>IMAP</strong> keeps your mail on the server and syncs it with every device: read, moved and deleted messages look the same everywhere.</p>
<p><strong>POP3</strong> downloads mail to one device and usually deletes it from the server, so other devices do not see it (unless the app is set to leave it on the server).</p>
<p><strong>SMTP</strong> is only for sending mail; every app needs it in addition to IMAP or POP3.</p>
<p>This account uses <strong>`)
	htmlEscape(b, d.Protocol)
	b.WriteString(`</strong>.</p>
</section>

<section id="apps">
<h2>Step by step</h2>`)
	for _, c := range d.Clients {
		b.WriteString("\n<section class=\"client\" id=\"")
		htmlEscape(b, c.ID) // a quoted attribute: the same escaping as text
		b.WriteString("\">\n<h3>")
		htmlEscape(b, c.Title)
		b.WriteString("</h3>")
		if c.Intro != "" {
			b.WriteString("\n<p>")
			htmlEscape(b, c.Intro)
			b.WriteString("</p>")
		}
		if len(c.Steps) > 0 {
			b.WriteString("\n<ol>")
			for _, st := range c.Steps {
				b.WriteString("\n<li>")
				for _, seg := range st {
					switch seg.Kind {
					case sheetSegUI:
						b.WriteString("<strong>")
						htmlEscape(b, seg.Text)
						b.WriteString("</strong>")
					case sheetSegValue:
						b.WriteString("<code>")
						htmlEscape(b, seg.Text)
						b.WriteString("</code>")
					default:
						htmlEscape(b, seg.Text)
					}
				}
				b.WriteString("</li>")
			}
			b.WriteString("\n</ol>")
		}
		b.WriteString("\n</section>")
	}
	b.WriteString(`
</section>

<footer>
<p>Made by mailsetup. Apps change their menus from time to time: if a name differs, look for the closest one.</p>
</footer>
</body>
</html>
`)
}

// writeSheetMD writes the Markdown setup sheet for d to b.
func writeSheetMD(b *bytes.Buffer, d *sheetData) {
	steps := sheetStepsLen(d)
	b.Grow(7<<9 + steps + steps/4)
	b.WriteString("# E-mail setup for ")
	b.WriteString(mdEscape(d.AddressDisplay))
	b.WriteString("\n")
	if d.IDN {
		b.WriteString("\nIf an app rejects the address above, type this form: ")
		b.WriteString(mdCode(d.Address))
		b.WriteString("\n")
	}
	if d.Name != "" {
		b.WriteString("\nName: ")
		b.WriteString(mdEscape(d.Name))
		b.WriteString("\n")
	}
	b.WriteString("\n**This sheet does not contain your password: you type it yourself when the app asks.**\n")
	for _, w := range d.Warnings {
		b.WriteString("\n> **Warning:** ")
		b.WriteString(mdEscape(w))
		b.WriteString("\n")
	}
	if d.QRNote != "" {
		b.WriteString("\n> ")
		b.WriteString(mdEscape(d.QRNote))
		b.WriteString("\n")
	}
	mdRow := func(label string, cell func(sheetServer)) {
		b.WriteString("\n| " + label + " |")
		for _, s := range d.Servers {
			b.WriteString(" ")
			cell(s)
			b.WriteString(" |")
		}
	}
	plain := func(v func(sheetServer) string) func(sheetServer) {
		return func(s sheetServer) { b.WriteString(v(s)) }
	}
	b.WriteString("\n## Settings\n")
	mdRow(" ", plain(func(s sheetServer) string { return s.Role }))
	b.WriteString("\n|---|---|---|")
	mdRow("Protocol", plain(func(s sheetServer) string { return s.Protocol }))
	mdRow("Server", func(s sheetServer) {
		b.WriteString(mdCell(s.Host))
		if s.HostUnicode != "" {
			b.WriteString(" (")
			b.WriteString(mdEscape(s.HostUnicode))
			b.WriteString(")")
		}
	})
	mdRow("Port", func(s sheetServer) { writeInt(b, s.Port) })
	mdRow("Security", plain(func(s sheetServer) string { return s.Security }))
	mdRow("Username", func(s sheetServer) { b.WriteString(mdCell(s.Username)) })
	mdRow("Authentication", plain(func(s sheetServer) string { return s.Auth }))
	mdRow("Password", plain(func(sheetServer) string { return "your password" }))
	if len(d.POP3) > 0 {
		b.WriteString("\n\n### POP3: keeping mail on the server\n")
		for _, l := range d.POP3 {
			b.WriteString("\n- ")
			b.WriteString(mdEscape(l))
		}
	}
	b.WriteString(`

## IMAP, POP3 and SMTP

- **IMAP** keeps your mail on the server and syncs it with every device: read, moved and deleted messages look the same everywhere.
- **POP3** downloads mail to one device and usually deletes it from the server, so other devices do not see it (unless the app is set to leave it on the server).
- **SMTP** is only for sending mail; every app needs it in addition to IMAP or POP3.

This account uses **`)
	b.WriteString(d.Protocol)
	b.WriteString("**.")
	if d.QR != "" {
		b.WriteString("\n\nThe QR code for Thunderbird for Android is on the HTML version of this sheet (")
		b.WriteString(mdEscape(sheetHTMLName))
		b.WriteString(").")
	}
	b.WriteString("\n\n## Step by step\n")
	for _, c := range d.Clients {
		b.WriteString("\n### ")
		b.WriteString(mdEscape(c.Title))
		b.WriteString("\n")
		if c.Intro != "" {
			b.WriteString("\n")
			b.WriteString(mdEscape(c.Intro))
			b.WriteString("\n")
		}
		if len(c.Steps) > 0 {
			b.WriteString("\n")
			for i, st := range c.Steps {
				writeInt(b, i+1)
				b.WriteString(". ")
				for _, seg := range st {
					switch seg.Kind {
					case sheetSegUI:
						b.WriteString("**")
						b.WriteString(mdEscape(seg.Text))
						b.WriteString("**")
					case sheetSegValue:
						b.WriteString(mdCode(seg.Text))
					default:
						b.WriteString(mdEscape(seg.Text))
					}
				}
				b.WriteString("\n")
			}
		}
	}
	b.WriteString("\n---\nMade by mailsetup. Apps change their menus from time to time: if a name differs, look for the closest one.\n")
}

// sheetStepsLen returns the length of the steps' text, which is most of
// the variable part of a sheet.
func sheetStepsLen(d *sheetData) int {
	n := 0
	for _, c := range d.Clients {
		for _, st := range c.Steps {
			for _, seg := range st {
				n += len(seg.Text)
			}
		}
	}
	return n
}

// writeInt writes n in decimal, as the templates print an int.
func writeInt(b *bytes.Buffer, n int) {
	var buf [20]byte
	b.Write(strconv.AppendInt(buf[:0], int64(n), 10))
}

// htmlEscape writes s escaped the way html/template escapes a plain string
// in a text node, in RCDATA (<title>) and in a quoted attribute value: its
// htmlEscaper, rcdataEscaper and attrEscaper share one replacement table.
// Every replaced character is ASCII (or NUL), and UTF-8 never uses ASCII
// bytes inside a multi-byte sequence, so working on bytes gives the same
// result as html/template's rune loop, invalid UTF-8 included (which it
// passes through unchanged).
func htmlEscape(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(repl)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// htmlURLAttr writes a trusted URL (an html/template URL value) into a
// quoted URL attribute as html/template does: its URL normaliser
// percent-encodes the bytes that are not allowed in a URL (keeping valid
// %XX escapes), and its attribute escaper then escapes the HTML specials
// the normaliser leaves, '&' and '+' (a base64 '+' becomes "&#43;").
func htmlURLAttr(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var repl string
		switch {
		case urlAttrPlain[c]:
			continue
		case c == '&':
			repl = "&amp;"
		case c == '+':
			repl = "&#43;"
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			continue
		}
		b.WriteString(s[last:i])
		if repl != "" {
			b.WriteString(repl)
		} else {
			b.Write([]byte{'%', hex[c>>4], hex[c&15]})
		}
		last = i + 1
	}
	b.WriteString(s[last:])
}

// urlAttrPlain marks the bytes htmlURLAttr copies as they are whatever
// follows them: letters, digits and the URL punctuation html/template
// leaves alone ('%' depends on what follows, '&' and '+' are escaped).
// A data: URI of a PNG is mostly such bytes, so this is its fast path.
var urlAttrPlain = func() (t [256]bool) {
	for c := range 256 {
		b := byte(c)
		t[c] = 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
			strings.IndexByte("!#$*,/:;=?@[]-._~", b) >= 0
	}
	return t
}()

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
