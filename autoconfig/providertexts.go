package autoconfig

import (
	"strings"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/termtext"
)

// What the provider's settings document says beyond its servers
// (account.ProviderInfo: a step to enable access, documentation pages),
// shown by discover and the wizard. Those texts are the provider's, not
// mailsetup's: they come from outside, so they are sanitised here for the
// terminal, clipped, and printed under mailsetup's own label saying whose
// words they are.

// MaxProviderLine caps each provider text shown in human output.
const MaxProviderLine = 300

// ProviderLine is one thing the provider says: mailsetup's label for it
// (in the catalogue's language) and the provider's own text and page,
// both safe to print on a terminal. Text or URL may be empty.
type ProviderLine struct {
	Label string
	Text  string
	URL   string
}

// String is the line as text and page: "text <url>".
func (l ProviderLine) String() string {
	switch {
	case l.URL == "":
		return l.Text
	case l.Text == "":
		return "<" + l.URL + ">"
	}
	return l.Text + " <" + l.URL + ">"
}

// ProviderLines returns what info says for the user: the step to enable
// access first, then each documentation page. Each text is the one in
// cat's language when the document has it, else the English one
// (account.PickText); every text and URL is sanitised (termtext.Safe) and
// clipped to MaxProviderLine bytes. info may be nil.
func ProviderLines(cat *i18n.Catalog, info *account.ProviderInfo) []ProviderLine {
	if info.IsZero() {
		return nil
	}
	lang := string(cat.Lang())
	clean := func(s string) string {
		return termtext.Safe(termtext.Clip(strings.Join(strings.Fields(s), " "), MaxProviderLine))
	}
	var out []ProviderLine
	if e := info.Enable; e != nil && (e.URL != "" || len(e.Instructions) > 0) {
		out = append(out, ProviderLine{Label: cat.T("discover.provider-enable"),
			Text: clean(account.PickText(e.Instructions, lang)), URL: clean(e.URL)})
	}
	for i, d := range info.Documentation {
		label := ""
		if i == 0 {
			label = cat.T("discover.provider-docs")
		}
		out = append(out, ProviderLine{Label: label, Text: clean(account.PickText(d.Descr, lang)), URL: clean(d.URL)})
	}
	return out
}

// MethodsText names a server's authentication methods in cat's language,
// in the provider's order ("OAuth2 (web sign-in), or password"); empty
// when the server has at most one method.
func MethodsText(cat *i18n.Catalog, s account.Server) string {
	ms := s.Methods()
	if len(ms) < 2 {
		return ""
	}
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Label()
		if k := "discover.method." + m.String(); i18n.Has(k) {
			names[i] = cat.T(k)
		}
	}
	return cat.T("discover.method.or", strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}
