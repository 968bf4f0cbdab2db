package i18n

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// explainKeys returns every key of `mailsetup explain`.
func explainKeys() []string {
	keys := []string{"explain.list.header", "explain.list.hint"}
	for _, topic := range ExplainTopics {
		for _, part := range []string{"title", "short", "long"} {
			keys = append(keys, "explain."+topic+"."+part)
		}
	}
	return keys
}

func TestExplainTopicsHaveAllKeys(t *testing.T) {
	want := []string{"imap-vs-pop3", "smtp", "security", "ports", "app-passwords", "oauth2"}
	if strings.Join(ExplainTopics, " ") != strings.Join(want, " ") {
		t.Errorf("ExplainTopics = %v, want %v", ExplainTopics, want)
	}
	for _, l := range Supported {
		for _, k := range explainKeys() {
			if catalogs[l][k] == "" {
				t.Errorf("%s: missing %q", l, k)
			}
		}
	}
	// No other explain.* keys: a typo in a key would otherwise go unused.
	known := map[string]bool{}
	for _, k := range explainKeys() {
		known[k] = true
	}
	for _, l := range Supported {
		for k := range catalogs[l] {
			if strings.HasPrefix(k, "explain.") && !known[k] {
				t.Errorf("%s: unexpected key %q", l, k)
			}
		}
	}
}

// TestExplainTextShape checks what the wrapping in `mailsetup explain` and
// the wizard's help rely on.
func TestExplainTextShape(t *testing.T) {
	for _, l := range Supported {
		for _, k := range explainKeys() {
			msg := catalogs[l][k]
			if strings.Contains(msg, "%") {
				t.Errorf("%s %q: contains %%, which T would treat as a format verb", l, k)
			}
			if strings.TrimSpace(msg) != msg || strings.Contains(msg, "\t") || strings.Contains(msg, "\n\n\n") {
				t.Errorf("%s %q: stray whitespace", l, k)
			}
			for _, line := range strings.Split(msg, "\n") {
				if strings.TrimRight(line, " ") != line {
					t.Errorf("%s %q: trailing space in %q", l, k, line)
				}
			}
			if !strings.HasSuffix(k, ".long") && strings.Contains(msg, "\n") {
				t.Errorf("%s %q: must be a single line", l, k)
			}
			if strings.HasSuffix(k, ".title") && utf8.RuneCountInString(msg) > 70 {
				t.Errorf("%s %q: title longer than 70 characters", l, k)
			}
			if strings.HasSuffix(k, ".short") && utf8.RuneCountInString(msg) > 320 {
				t.Errorf("%s %q: short version has %d characters; keep it to one or two sentences", l, k, utf8.RuneCountInString(msg))
			}
		}
	}
}

// TestExplainTranslations catches untranslated texts, dropped facts and
// Romanian written with cedilla letters.
func TestExplainTranslations(t *testing.T) {
	terms := []string{"IMAP", "POP3", "SMTP", "SSL/TLS", "STARTTLS", "OAuth2", "RFC 8314",
		"993", "995", "465", "143", "110", "587", " 25", "Gmail", "iCloud", "Yahoo", "Outlook.com", "Microsoft 365"}
	letters := map[Lang]string{RO: "ăâîșțĂÂÎȘȚ", LT: "ąčęėįšųūžĄČĘĖĮŠŲŪŽ"}
	for _, l := range []Lang{RO, LT} {
		for _, k := range explainKeys() {
			en, msg := catalogs[EN][k], catalogs[l][k]
			if msg == en {
				t.Errorf("%s %q: same as English", l, k)
			}
			for _, term := range terms {
				if got, want := strings.Count(msg, term), strings.Count(en, term); (got == 0) != (want == 0) {
					t.Errorf("%s %q: %q appears %d times, in English %d", l, k, term, got, want)
				}
			}
			if strings.Count(msg, "\n- ") != strings.Count(en, "\n- ") || strings.Count(msg, "\n\n") != strings.Count(en, "\n\n") {
				t.Errorf("%s %q: paragraphs or list items differ from English", l, k)
			}
			// Titles may happen to need none; every sentence-length text does.
			long := strings.HasSuffix(k, ".short") || strings.HasSuffix(k, ".long") || strings.HasSuffix(k, ".hint")
			if long && !strings.ContainsAny(msg, letters[l]) {
				t.Errorf("%s %q: no %s letters; diacritics missing?", l, k, l)
			}
		}
	}
	for _, k := range explainKeys() {
		if strings.ContainsAny(catalogs[RO][k], "şţŞŢ") {
			t.Errorf("ro %q: uses ş/ţ with a cedilla; Romanian needs ș/ț with a comma below", k)
		}
	}
}

func TestExplainTextsViaCatalog(t *testing.T) {
	for _, l := range Supported {
		c := New(l)
		for _, k := range explainKeys() {
			if got := c.T(k); got != catalogs[l][k] {
				t.Errorf("%s T(%q) = %q", l, k, got)
			}
		}
	}
}
