package prompt

import (
	"strings"
	"testing"

	"github.com/AlecAivazis/survey/v2"

	"github.com/mailsetup/mailsetup/internal/i18n"
)

// TestLocalizeFindsEveryPiece fails when survey's templates no longer hold
// the English text a prompt.* key replaces, and checks that each language's
// text ends up in the templates, and that English restores them.
func TestLocalizeFindsEveryPiece(t *testing.T) {
	defer Localize(i18n.EN)
	shipped := survey.SelectQuestionTemplate + survey.ErrorTemplate
	for _, l := range i18n.Supported {
		if missing := Localize(l); len(missing) > 0 {
			t.Errorf("%s: not found in survey's templates: %v", l, missing)
		}
		cat := i18n.New(l)
		for _, p := range templatePieces {
			for _, k := range p.keys {
				if !strings.Contains(*p.tmpl, cat.T(k)) {
					t.Errorf("%s: %s is not in the template", l, k)
				}
			}
		}
	}
	Localize(i18n.EN)
	if got := survey.SelectQuestionTemplate + survey.ErrorTemplate; got != shipped {
		t.Error("English did not restore survey's templates")
	}
	Localize(i18n.RO)
	if strings.Contains(survey.SelectQuestionTemplate, "Use arrows") || strings.Contains(survey.ErrorTemplate, "Sorry") {
		t.Error("Romanian templates still hold English hints")
	}
}
