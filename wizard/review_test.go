package wizard

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/probe"
)

// The review's choices and the picker's fields, by index.
const (
	reviewWrite, reviewChange, reviewBack, reviewQuit = 0, 1, 2, 3
	pickEmail, pickOutHost, pickPassword, pickBack    = 0, 6, 10, 14
)

func reviewHarness() *harness {
	return newHarness(cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin))
}

// reviewAnswers are the answers up to the review, with more added.
func reviewAnswers(more map[string][]any) map[string][]any {
	a := map[string][]any{"name": {"Jane Doe"}, "use-discovered": {0}, "multi-device": {true}, "protocol": {0},
		"password": {"pw"}, "export": {[]int{0, 4}}, "output": {"out"}, "include-password": {false}}
	for k, v := range more {
		a[k] = v
	}
	return a
}

func count(keys []string, key string) int {
	n := 0
	for _, k := range keys {
		if k == key {
			n++
		}
	}
	return n
}

// TestReviewShowsEverySetting: before writing, one screen lists the
// address, name, both servers with their security, port and username,
// the files, the folder and the live check; Enter writes.
func TestReviewShowsEverySetting(t *testing.T) {
	h := reviewHarness()
	p := newStub(t, reviewAnswers(nil))
	h.deps.Prompter = p
	if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"}); err != nil {
		t.Fatal(err)
	}
	out := h.out.String()
	i := strings.Index(out, "Check the settings before the files are written:")
	if i < 0 {
		t.Fatalf("no review:\n%s", out)
	}
	review := out[i:]
	for _, want := range []string{"E-mail address", "jane@example.com", "Jane Doe", "IMAP imap.example.com:993 SSL/TLS (jane@example.com)",
		"SMTP smtp.example.com:465 SSL/TLS (jane@example.com)", "iPhone, iPad and Mac", "Printable setup sheet", "Folder", "out",
		"Password in the files", "Live check", "passed"} {
		if !strings.Contains(review, want) {
			t.Errorf("review lacks %q:\n%s", want, review)
		}
	}
	if count(p.asked, "review") != 1 || !slices.Equal(h.exported, []string{"apple", "sheet"}) || h.exportDir != "out" {
		t.Errorf("asked %v, exported %v into %q", p.asked, h.exported, h.exportDir)
	}
}

// TestReviewChangeOneField: picking one field asks only its question,
// checks the settings again and comes back to the review.
func TestReviewChangeOneField(t *testing.T) {
	h := reviewHarness()
	p := newStub(t, reviewAnswers(map[string][]any{
		"review": {reviewChange, reviewWrite}, "review-field": {pickOutHost}, "outgoing-host": {"smtp2.example.com"},
	}))
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Account.Outgoing.Host != "smtp2.example.com" || res.Account.Outgoing.Port != 465 {
		t.Errorf("outgoing %+v", res.Account.Outgoing)
	}
	for _, k := range []string{"incoming-host", "outgoing-security", "outgoing-port", "outgoing-username", "email"} {
		if slices.Contains(p.asked, k) {
			t.Errorf("%s asked again: %v", k, p.asked)
		}
	}
	if p.defs["outgoing-host"] != "smtp.example.com" {
		t.Errorf("the question was not prefilled: %v", p.defs["outgoing-host"])
	}
	if len(h.verified) != 2 || h.verified[1].Outgoing.Host != "smtp2.example.com" {
		t.Errorf("not checked again after the change: %d checks", len(h.verified))
	}
	if count(p.asked, "review") != 2 || !strings.Contains(h.out.String(), "smtp2.example.com:465") {
		t.Errorf("the review was not shown again: %v", p.asked)
	}
}

// TestReviewChangeAddress: the address can be corrected at the review;
// usernames that were the address and the default folder follow it.
func TestReviewChangeAddress(t *testing.T) {
	h := reviewHarness()
	ans := reviewAnswers(map[string][]any{"review": {reviewChange, reviewWrite}, "review-field": {pickEmail}, "email": {"joe@example.com"}})
	ans["output"] = []any{nil} // the default folder
	h.deps.Prompter = newStub(t, ans)
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Account.Email.String() != "joe@example.com" || res.Account.Incoming.Username != "joe@example.com" || res.Account.Outgoing.Username != "joe@example.com" {
		t.Errorf("account %+v", res.Account)
	}
	if h.exportDir != "mailsetup-joe@example.com" {
		t.Errorf("folder %q", h.exportDir)
	}
}

// TestReviewPickerBack: "back" in the picker changes nothing and checks
// nothing again.
func TestReviewPickerBack(t *testing.T) {
	h := reviewHarness()
	p := newStub(t, reviewAnswers(map[string][]any{"review": {reviewChange, reviewWrite}, "review-field": {pickBack}}))
	h.deps.Prompter = p
	if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"}); err != nil {
		t.Fatal(err)
	}
	if len(h.verified) != 1 || count(p.asked, "review") != 2 {
		t.Errorf("%d checks, asked %v", len(h.verified), p.asked)
	}
}

// TestReviewGoBack: going back asks the files questions again, prefilled
// with the answers given.
func TestReviewGoBack(t *testing.T) {
	h := reviewHarness()
	p := newStub(t, reviewAnswers(map[string][]any{
		"review": {reviewBack, reviewWrite}, "export": {[]int{0, 4}, []int{4}}, "output": {"out", "elsewhere"}, "include-password": {false, true},
	}))
	h.deps.Prompter = p
	if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h.exported, []string{"sheet"}) || h.exportDir != "elsewhere" || h.exportPW != "pw" {
		t.Errorf("exported %v into %q with password %q", h.exported, h.exportDir, h.exportPW)
	}
	if p.defs["output"] != "out" || p.defs["include-password"] != false {
		t.Errorf("going back did not prefill the answers: %v", p.defs)
	}
}

// TestReviewQuit: quitting at the review writes nothing.
func TestReviewQuit(t *testing.T) {
	h := reviewHarness()
	h.deps.Prompter = newStub(t, reviewAnswers(map[string][]any{"review": {reviewQuit}}))
	if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"}); !errors.Is(err, ErrQuit) || h.exported != nil {
		t.Errorf("quit: %v, exported %v", err, h.exported)
	}
}

// TestReviewNotForYes: --yes (and scripts) write without the review.
func TestReviewNotForYes(t *testing.T) {
	h := reviewHarness()
	p := newStub(t, map[string][]any{})
	h.deps.Prompter = p
	if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com", Yes: true}); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(p.asked, "review") || len(h.exported) == 0 {
		t.Errorf("asked %v, exported %v", p.asked, h.exported)
	}
}

// TestContinuePastFailedCheck: continuing past a failed check is
// allowed, and the review, the summary, the result (verification and
// warnings) and the export all say so.
func TestContinuePastFailedCheck(t *testing.T) {
	h := reviewHarness()
	h.verdicts = []probe.Verdict{probe.VerdictFail}
	p := newStub(t, reviewAnswers(map[string][]any{"verify-failed": {2}}))
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	out := h.out.String()
	review := out[strings.Index(out, "Check the settings"):]
	reason := "IMAP imap.example.com:993 SSL/TLS: port timed out"
	if !strings.Contains(review, "FAILED: "+reason) || !strings.Contains(review, "setup sheet will say") {
		t.Errorf("review:\n%s", review)
	}
	summary := out[strings.Index(out, "Done."):]
	if !strings.Contains(summary, "Warning: these settings failed the live check ("+reason+")") {
		t.Errorf("summary:\n%s", summary)
	}
	if v := res.Verification; v == nil || !v.Continued || v.Failure != reason || v.Verdict != probe.VerdictFail {
		t.Errorf("verification %+v", v)
	}
	if len(res.Warnings) == 0 || res.Warnings[0].Code != "verification.failed" {
		t.Errorf("warnings %+v", res.Warnings)
	}
	if h.exportCheck != reason {
		t.Errorf("the export was told %q", h.exportCheck)
	}
}

// TestFixedAtReviewClearsFailure: a failed check fixed at the review
// (one field changed, checked again) leaves no warning.
func TestFixedAtReviewClearsFailure(t *testing.T) {
	h := reviewHarness()
	h.verdicts = []probe.Verdict{probe.VerdictFail, probe.VerdictOK}
	p := newStub(t, reviewAnswers(map[string][]any{"verify-failed": {2}, "review": {reviewChange, reviewWrite},
		"review-field": {pickPassword}, "password": {"pw", "pw2"}}))
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verification.Continued || len(res.Warnings) != 0 || h.exportCheck != "" || h.verifies[1] != "pw2" {
		t.Errorf("verification %+v, warnings %+v, export told %q, passwords %v", res.Verification, res.Warnings, h.exportCheck, h.verifies)
	}
}

// TestReviewGoBackKeepsJSON: going back offers the devices; a format
// the question does not list (json, given as an answer) stays.
func TestReviewGoBackKeepsJSON(t *testing.T) {
	h := reviewHarness()
	ans := reviewAnswers(map[string][]any{"review": {reviewBack, reviewWrite}, "export": {[]int{4}}, "output": {nil}, "include-password": {false, false}})
	h.deps.Prompter = newStub(t, ans)
	if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com", Export: []string{"json", "apple"}, ExportSet: true, OutputDir: "out"}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h.exported, []string{"sheet", "json"}) {
		t.Errorf("exported %v", h.exported)
	}
}
