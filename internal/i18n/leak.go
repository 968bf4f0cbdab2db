package i18n

import (
	"regexp"
	"strings"
)

var (
	wordRE = regexp.MustCompile(`\p{L}{2,}`)
)

// EnglishLeaks returns the English catalogue text of the keys starting with
// one of prefixes that appears in text, which was rendered in language l:
// each English message is cut at its format verbs, and every piece of two
// or more words that the language's own message for that key does not
// contain (product, protocol and flag names do stay the same) is looked up
// in text. Tests use it to show that no English sentence reaches a user.
func EnglishLeaks(l Lang, text string, prefixes ...string) []string {
	var out []string
	for k, en := range catalogs[EN] {
		if !hasAnyPrefix(k, prefixes) {
			continue
		}
		own := catalogs[l][k]
		for _, piece := range VerbRE.Split(en, -1) {
			piece = strings.Trim(piece, " .,;:()[]\"'")
			if len(wordRE.FindAllString(piece, -1)) < 2 || strings.Contains(own, piece) {
				continue
			}
			if strings.Contains(text, piece) {
				out = append(out, k+": "+piece)
			}
		}
	}
	return out
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
