package account

import "strings"

// ProviderInfo is what a provider's settings document says beyond its
// servers: web pages to read, something to switch on before a mail client
// can connect, and its OAuth2 endpoints. It is text from outside
// mailsetup: bounded when parsed, and sanitised wherever it is printed.
type ProviderInfo struct {
	// Documentation lists the provider's pages about its settings
	// (<documentation url> and <instruction url> in config-v1.1.xml).
	Documentation []Link `json:"documentation,omitempty"`
	// Enable is a step the user must take at the provider first, e.g.
	// "allow IMAP access in the webmail settings" (<enable>).
	Enable *Enable `json:"enable,omitempty"`
	// OAuth2 names the provider's OAuth2 endpoints (<oAuth2>), for the
	// clients that sign in through the provider's web page.
	OAuth2 *OAuth2Info `json:"oauth2,omitempty"`
}

// IsZero reports whether p says nothing.
func (p *ProviderInfo) IsZero() bool {
	return p == nil || len(p.Documentation) == 0 && p.Enable == nil && p.OAuth2 == nil
}

// Text is a text in one language. Lang is a BCP 47 tag, or empty when the
// document did not say (English, by the ISPDB's convention).
type Text struct {
	Lang string `json:"lang,omitempty"`
	Text string `json:"text"`
}

// Link is a web page with its descriptions in one or more languages.
type Link struct {
	URL   string `json:"url"`
	Descr []Text `json:"descriptions,omitempty"`
}

// Enable is something to switch on at the provider before a client can
// connect: the page to visit and the instructions.
type Enable struct {
	URL          string `json:"url,omitempty"`
	Instructions []Text `json:"instructions,omitempty"`
}

// OAuth2Info names a provider's OAuth2 issuer, scope and endpoints.
type OAuth2Info struct {
	Issuer   string `json:"issuer"`
	Scope    string `json:"scope,omitempty"`
	AuthURL  string `json:"auth_url,omitempty"`
	TokenURL string `json:"token_url,omitempty"`
}

// PickText returns the text for the language lang ("ro", "lt", "en" or a
// longer tag): the text in that exact language, else one in the same
// primary language ("pt" for "pt-BR"), else the English one (tagged "en…"
// or untagged), else the first. It returns "" when ts is empty.
func PickText(ts []Text, lang string) string {
	if len(ts) == 0 {
		return ""
	}
	primary := func(t string) string {
		t = strings.ToLower(t)
		if i := strings.IndexAny(t, "-_"); i >= 0 {
			return t[:i]
		}
		return t
	}
	for _, t := range ts {
		if strings.EqualFold(t.Lang, lang) {
			return t.Text
		}
	}
	for _, t := range ts {
		if t.Lang != "" && primary(t.Lang) == primary(lang) {
			return t.Text
		}
	}
	for _, t := range ts {
		if t.Lang == "" || primary(t.Lang) == "en" {
			return t.Text
		}
	}
	return ts[0].Text
}
