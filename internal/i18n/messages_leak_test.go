package i18n

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// untranslatable are the words a translation may keep as they are:
// product and protocol names. Flags (--x) are allowed too.
var untranslatable = []string{"OAuth2", "NTLM", "Kerberos", "GSSAPI", "IMAP", "POP3", "SMTP", "SSL", "TLS", "STARTTLS", "DNS", "DNSSEC", "MX", "SRV", "HTTPS", "HTTP", "dns", "http"}

// productNames are the apps and systems the setup sheet names, the same
// in every language.
var productNames = []string{"Thunderbird for Android", "K-9 Mail", "Apple Mail", "Thunderbird", "Mac", "Windows", "Linux", "StartTLS"}

// sameWord are words a language spells exactly as English does.
var sameWord = map[Lang][]string{RO: {"Port", "Protocol", "Server"}}

var tokenRE = regexp.MustCompile(`--[a-z-]+|[\pL\pN]+`)

// onlyNames reports whether s, without its format verbs, is made only of
// product and protocol names, flags and punctuation.
func onlyNames(s string) bool {
	s = verbRE.ReplaceAllString(s, " ")
	for _, p := range productNames {
		s = strings.ReplaceAll(s, p, " ")
	}
	for _, w := range tokenRE.FindAllString(s, -1) {
		if !strings.HasPrefix(w, "--") && !slices.Contains(untranslatable, w) {
			return false
		}
	}
	return true
}

// TestEveryMessageTranslated fails when a Romanian or Lithuanian message
// is its English text, unless that text is made only of product and
// protocol names, flags and format verbs. Every key of the catalogue is
// checked: findings, discovery, export instructions, the setup sheet,
// bulk, the wizard and the command-line errors. (probe's
// TestFindingsInEveryLanguage renders every finding code with values;
// cmd's TestProbeLangLT, TestDiscoverLangRO and TestUIOutputInEveryLanguage
// check whole runs for English that leaked.)
func TestEveryMessageTranslated(t *testing.T) {
	keys := Keys()
	sort.Strings(keys)
	for _, k := range keys {
		for _, l := range []Lang{RO, LT} {
			if v := catalogs[l][k]; v == catalogs[EN][k] && !onlyNames(v) && !slices.Contains(sameWord[l], v) {
				t.Errorf("%s %s is the English text %q", l, k, v)
			}
		}
	}
	if n := len(keys); n < 400 {
		t.Errorf("only %d keys: the catalogue files are not loaded", n)
	}
	if !onlyNames("Kerberos / GSSAPI") || !onlyNames("%s: %s") || onlyNames("Logged in as %s.") || onlyNames("found") {
		t.Error("onlyNames does not tell names from words")
	}
}

// TestEnglishLeaks checks the detector the command tests use.
func TestEnglishLeaks(t *testing.T) {
	en, ro := New(EN), New(RO)
	english := en.T("probe.tls.cert.expired.message", "imap.example.test", "2026-01-02")
	if got := EnglishLeaks(RO, "x "+english, "probe."); len(got) == 0 {
		t.Errorf("no leak found in %q", english)
	}
	romanian := ro.T("probe.tls.cert.expired.message", "imap.example.test", "2026-01-02") + " " + ro.T("probe.auth.skipped-insecure.fix")
	if got := EnglishLeaks(RO, romanian, "probe."); len(got) > 0 {
		t.Errorf("leaks %q found in Romanian %q", got, romanian)
	}
}
