package prompt

import (
	"strings"
	"sync"

	"github.com/AlecAivazis/survey/v2"

	"github.com/mailsetup/mailsetup/internal/i18n"
)

// survey's hints ("[Use arrows to move, type to filter]", "[? for help]",
// "Sorry, your reply was invalid") live in its package-level templates.
// Localize rewrites those templates for one language: each English piece,
// which is the catalogue's English text for a prompt.* key, is replaced by
// that key's text in the language. The templates are kept as survey ships
// them, so everything but the words stays survey's own.

// templatePieces lists, per survey template, the prompt.* keys whose
// English text appears in it.
var templatePieces = []struct {
	tmpl *string
	keys []string
}{
	{&survey.SelectQuestionTemplate, []string{"prompt.select-hint", "prompt.more-help"}},
	{&survey.MultiSelectQuestionTemplate, []string{"prompt.multiselect-hint", "prompt.multiselect-all", "prompt.multiselect-none", "prompt.multiselect-filter", "prompt.more-help"}},
	{&survey.InputQuestionTemplate, []string{"prompt.suggest-hint", "prompt.help", "prompt.suggestions"}},
	{&survey.ConfirmQuestionTemplate, []string{"prompt.help"}},
	{&survey.PasswordQuestionTemplate, []string{"prompt.help"}},
	{&survey.ErrorTemplate, []string{"prompt.invalid"}},
}

var (
	localizeMu sync.Mutex
	// original holds survey's templates as shipped, taken at the first
	// Localize.
	original []string
)

// Localize sets survey's hints to language l for the rest of the process
// (English restores survey's own). It reports the keys whose English text
// was not found in survey's template, which a survey upgrade could cause;
// those hints stay English.
func Localize(l i18n.Lang) (missing []string) {
	localizeMu.Lock()
	defer localizeMu.Unlock()
	if original == nil {
		for _, p := range templatePieces {
			original = append(original, *p.tmpl)
		}
	}
	en, cat := i18n.New(i18n.EN), i18n.New(l)
	for i, p := range templatePieces {
		t := original[i]
		for _, k := range p.keys {
			if !strings.Contains(t, en.T(k)) {
				missing = append(missing, k)
				continue
			}
			t = strings.ReplaceAll(t, en.T(k), cat.T(k))
		}
		*p.tmpl = t
	}
	return missing
}
