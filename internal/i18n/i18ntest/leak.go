// Package i18ntest finds English left in text that should be Romanian or
// Lithuanian. Tests render output in a language and ask Leaks for the
// English it still holds; Covered tells whether English output reached
// every message of a set of catalogue keys.
//
// The check is hand-rolled: no kept library compares text against a
// message catalogue. It works on word trigrams: three consecutive words
// of an English catalogue message found together in the other language's
// output are English that leaked. Names that stay the same in every
// language (products, protocols, host and file names, flags, and the
// menu names kept in English in quotes) are taken out first.
package i18ntest

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/mailsetup/mailsetup/internal/i18n"
)

// Names are phrases that are the same in every language: product and
// protocol names. Flags, host names, paths and file names need no entry:
// words holding anything but letters are never compared.
var Names = []string{
	"Thunderbird for Android", "K-9 Mail", "Samsung Email", "Gmail", "Apple Mail",
	"Google Workspace", "Outlook", "Thunderbird", "iPhone", "iPad", "Mac", "Windows", "Linux",
	"AirDrop", "Autodiscover", "Microsoft", "mailsetup", "Markdown", "HTML", "JSON", "QR",
	"IMAP", "POP3", "SMTP", "STARTTLS", "HTTPS", "HTTP", "SSL/TLS", "TLS", "SSL", "Enter",
	"Internet Message Access Protocol", "Post Office Protocol 3", "Simple Mail Transfer Protocol",
}

var (
	verbRE = i18n.VerbRE
	// quotedRE matches text in quotes: menu names kept in English.
	quotedRE = regexp.MustCompile(`„[^”“"]*[”“"]|"[^"]*"|“[^”]*”`)
)

// English returns the English messages of the keys with the given
// prefixes.
func English(prefixes ...string) map[string]string {
	return Messages(i18n.EN, prefixes...)
}

// Messages returns the messages in language l of the keys with the given
// prefixes.
func Messages(l i18n.Lang, prefixes ...string) map[string]string {
	cat := i18n.New(l)
	out := map[string]string{}
	for _, k := range i18n.Keys() {
		for _, p := range prefixes {
			if strings.HasPrefix(k, p) {
				out[k] = cat.T(k)
			}
		}
	}
	return out
}

// trigrams returns the word trigrams of s: words are runs of letters
// (lower-cased) separated by spaces only; punctuation, digits and words
// holding other characters (file names, flags, paths, %s) end a run.
func trigrams(s string) []string {
	s = quotedRE.ReplaceAllString(s, " | ")
	for _, n := range Names {
		s = strings.ReplaceAll(s, n, " | ")
	}
	var out []string
	var run []string
	flush := func() {
		for i := 0; i+3 <= len(run); i++ {
			out = append(out, strings.Join(run[i:i+3], " "))
		}
		run = run[:0]
	}
	for _, f := range strings.FieldsFunc(s, unicode.IsSpace) {
		word := strings.TrimRight(f, ",.;:)!?")
		lead := strings.TrimLeft(word, "(")
		if lead != word {
			flush()
		}
		if lead == "" || strings.IndexFunc(lead, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) >= 0 {
			flush()
			continue
		}
		run = append(run, strings.ToLower(lead))
		if word != f {
			flush()
		}
	}
	flush()
	return out
}

// Leaks returns the English trigrams of the messages in english (as
// English returns them) that text holds, with the key each comes from.
func Leaks(text string, english map[string]string) []string {
	from := map[string]string{}
	for k, msg := range english {
		for _, tri := range trigrams(verbRE.ReplaceAllString(msg, " | ")) {
			from[tri] = k
		}
	}
	var out []string
	for _, tri := range trigrams(text) {
		if k, ok := from[tri]; ok {
			out = append(out, k+": "+tri)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Uncovered returns the keys of messages (as Messages returns them) whose
// text (its longest piece between format verbs) does not appear in
// output, which is in the same language: the fixtures missed the code
// path that prints it, or the code prints its own words instead.
func Uncovered(output string, messages map[string]string) []string {
	var out []string
	for k, msg := range messages {
		longest := ""
		for _, piece := range verbRE.Split(msg, -1) {
			if len(piece) > len(longest) {
				longest = piece
			}
		}
		if !strings.Contains(output, strings.TrimSpace(longest)) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
