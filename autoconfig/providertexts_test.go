package autoconfig

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/termtext"
)

func TestProviderLines(t *testing.T) {
	info := &account.ProviderInfo{
		Enable: &account.Enable{URL: "https://example.com/on", Instructions: []account.Text{{Text: "Turn  IMAP\non"}, {Lang: "lt", Text: "Įjunkite IMAP"}}},
		Documentation: []account.Link{
			{URL: "https://example.com/a", Descr: []account.Text{{Lang: "ro", Text: "Ajutor"}, {Lang: "en", Text: "Help"}}},
			{URL: "https://example.com/b"},
		},
	}
	got := ProviderLines(i18n.New(i18n.EN), info)
	want := []ProviderLine{{"Enable first", "Turn IMAP on", "https://example.com/on"}, {"Documentation", "Help", "https://example.com/a"}, {"", "", "https://example.com/b"}}
	if len(got) != len(want) {
		t.Fatalf("lines %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if got[2].String() != "<https://example.com/b>" || got[1].String() != "Help <https://example.com/a>" {
		t.Errorf("strings %q %q", got[1], got[2])
	}
	lt := ProviderLines(i18n.New(i18n.LT), info)
	if lt[0].Text != "Įjunkite IMAP" || lt[0].Label != "Pirmiausia įjunkite" || lt[1].Text != "Help" {
		t.Errorf("lt %+v", lt)
	}
	if ProviderLines(i18n.New(i18n.EN), nil) != nil || ProviderLines(i18n.New(i18n.EN), &account.ProviderInfo{}) != nil {
		t.Error("lines for nothing")
	}
}

func TestMethodsText(t *testing.T) {
	en := i18n.New(i18n.EN)
	s := account.Server{Auth: account.AuthOAuth2, Auths: []account.AuthMethod{account.AuthOAuth2, account.AuthPasswordEncrypted, account.AuthPasswordCleartext}}
	if got := MethodsText(en, s); got != "OAuth2 (web sign-in), encrypted password, or password" {
		t.Errorf("got %q", got)
	}
	if got := MethodsText(i18n.New(i18n.RO), s); got != "OAuth2 (autentificare în pagina web a furnizorului), parolă criptată sau parolă" {
		t.Errorf("ro %q", got)
	}
	if got := MethodsText(en, account.Server{Auth: account.AuthOAuth2}); got != "" {
		t.Errorf("one method: %q", got)
	}
	// A method changed after discovery: the stale list is not named.
	s.Auth = account.AuthNTLM
	if got := MethodsText(en, s); got != "" {
		t.Errorf("stale list: %q", got)
	}
}

// FuzzProviderLines: whatever a provider's document says, what is
// printed holds no control or bidi character and no invalid UTF-8, and
// each text is bounded.
func FuzzProviderLines(f *testing.F) {
	f.Add("Enable IMAP first", "https://example.com/x", "ro")
	f.Add("\x1b[31mred\u202e", "https://example.com/\x9b", "")
	f.Add("\xff\xfe", "javascript:alert(1)", "lt")
	f.Fuzz(func(t *testing.T, text, url, lang string) {
		info := &account.ProviderInfo{Enable: &account.Enable{URL: url, Instructions: []account.Text{{Lang: lang, Text: text}}},
			Documentation: []account.Link{{URL: url, Descr: []account.Text{{Lang: lang, Text: text}, {Text: text + text}}}}}
		for _, l := range []i18n.Lang{i18n.EN, i18n.RO, i18n.LT} {
			for _, line := range ProviderLines(i18n.New(l), info) {
				s := line.Label + line.String()
				if !utf8.ValidString(s) || strings.ContainsFunc(s, termtext.Forbidden) {
					t.Fatalf("unsafe line %q", s)
				}
				// Escaping may grow a clipped text up to 10 bytes a byte.
				if len(line.Text) > 10*MaxProviderLine || len(line.URL) > 10*MaxProviderLine {
					t.Fatalf("unbounded line: %d, %d bytes", len(line.Text), len(line.URL))
				}
			}
		}
	})
}
