package wizard

import (
	"context"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/i18n/i18ntest"
)

// TestAnswerChecksInLang answers the wizard's questions with values it
// refuses, in Romanian and Lithuanian: what the prompt shows under the
// answer (a bad address, host name, port, number of days) is in that
// language, the value as typed.
func TestAnswerChecksInLang(t *testing.T) {
	english := i18ntest.English("err.", "wizard.e.")
	// "Edit them" opens the field picker: 2 is the IMAP server name, 4 its port.
	edit := map[string][]any{"name": {""}, "use-discovered": {1}, "multi-device": {true}, "protocol": {0}, "review-field": {2}}
	tests := []struct {
		name    string
		answers map[string][]any
		want    i18n.Msg
	}{
		{"email", map[string][]any{"email": {"jane.example.com"}},
			i18n.M("err.address", "jane.example.com", i18n.M("err.address.no-at"))},
		{"host", map[string][]any{"incoming-host": {"mail..example.com"}},
			i18n.M("err.address.host", "mail..example.com", i18n.M("err.address.label-empty"))},
		{"port", map[string][]any{"review-field": {4}, "incoming-port": {"99999"}},
			i18n.M("wizard.e.port")},
	}
	for _, tt := range tests {
		for _, lang := range []i18n.Lang{i18n.RO, i18n.LT} {
			h := newHarness(cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin))
			answers := map[string][]any{}
			for k, v := range edit {
				answers[k] = v
			}
			for k, v := range tt.answers {
				answers[k] = v
			}
			h.deps.Prompter = newStub(t, answers)
			h.deps.Catalog = i18n.New(lang)
			ans := Answers{Email: "jane@example.com"}
			if tt.name == "email" {
				ans.Email = ""
			}
			_, err := Run(context.Background(), h.deps, ans)
			if err == nil {
				t.Fatalf("%s: %s: no error", tt.name, lang)
			}
			if want := i18n.New(lang).Render(tt.want); !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %s: %q lacks %q", tt.name, lang, err, want)
			}
			if leaks := i18ntest.Leaks(err.Error(), english); len(leaks) > 0 {
				t.Errorf("%s: %s: English in %q: %q", tt.name, lang, err, leaks)
			}
		}
	}

	// POP3 days on the server.
	for _, lang := range []i18n.Lang{i18n.RO, i18n.LT} {
		h := newHarness(cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin),
			cand(srv(account.POP3, "pop.example.com", account.TLS), account.Trusted, account.SourceBuiltin))
		h.deps.Prompter = newStub(t, map[string][]any{"name": {""}, "use-discovered": {0}, "multi-device": {false}, "tight-quota": {true},
			"protocol": {nil}, "leave-on-server": {true}, "days-on-server": {"99999"}})
		h.deps.Catalog = i18n.New(lang)
		_, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"})
		if want := i18n.New(lang).T("wizard.e.days", account.MaxDaysOnServer); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("days: %s: %v lacks %q", lang, err, want)
		}
	}
}
