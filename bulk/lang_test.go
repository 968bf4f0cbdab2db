package bulk

import (
	"context"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/templates"
)

// runLang runs the engine over in with the android format (whose QR code
// warns in the row's language) and run language lang.
func runLang(t *testing.T, in string, format Format, lang i18n.Lang, fd *fakeDiscoverer) map[string]*RowResult {
	t.Helper()
	rd, err := NewReader(strings.NewReader(in), format, testParser)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]*RowResult{}
	_, err = Run(context.Background(), rd, Config{
		Dir:       t.TempDir(),
		Formats:   []string{"android"},
		Jobs:      2,
		Discover:  fd.discover,
		Templates: templates.Options{Lang: lang},
		OnRow:     func(r *RowResult) { rows[r.Email] = r },
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// messages returns the messages of the row's issues with the code.
func messages(issues []Issue, code string) []string {
	var out []string
	for _, is := range issues {
		if is.Code == code {
			out = append(out, is.Message)
		}
	}
	return out
}

// TestRunRowLanguage: each row's own messages and its files' warnings
// come in the row's lang (en, ro, lt, a locale form like lt_LT.UTF-8),
// rows without one in the run's language; an unknown language is an
// input.value error on the lang column, with its line and column, and
// only that row fails.
func TestRunRowLanguage(t *testing.T) {
	long := strings.Repeat("N", 3000) // too long for the QR code
	in := "email,name,imap,imap_security,smtp,lang\n" +
		"en@x.test," + long + ",imap.x.test:143,none,smtp.x.test:465,en\n" +
		"ro@x.test," + long + ",imap.x.test:143,none,smtp.x.test:465,ro\n" +
		"lt@x.test," + long + ",imap.x.test:143,none,smtp.x.test:465,lt_LT.UTF-8\n" +
		"xx@x.test,Xx,imap.x.test:143,none,smtp.x.test:465,xx\n" +
		"def@x.test," + long + ",imap.x.test:143,none,smtp.x.test:465,\n"
	rows := runLang(t, in, CSV, i18n.RO, newFakeDiscoverer())
	if len(rows) != 5 {
		t.Fatalf("%d rows: %v", len(rows), rows)
	}
	for email, lang := range map[string]i18n.Lang{"en@x.test": i18n.EN, "ro@x.test": i18n.RO, "lt@x.test": i18n.LT, "def@x.test": i18n.RO} {
		r := rows[email]
		c := i18n.New(lang)
		if r.Status != StatusWarning || len(r.Errors) != 0 {
			t.Errorf("%s: status %s, errors %v", email, r.Status, r.Errors)
			continue
		}
		want := c.T("bulkrow.security-none", "imap.x.test:143")
		if got := messages(r.Warnings, "security.none"); len(got) != 1 || got[0] != want {
			t.Errorf("%s: security.none %q, want %q", email, got, want)
		}
		qrName := c.T("use.qr-too-long.name", len(long))
		if got := messages(r.Warnings, "qr.too-long"); len(got) != 1 || !strings.HasSuffix(got[0], qrName) {
			t.Errorf("%s: qr.too-long %q, want it to end with %q", email, got, qrName)
		}
	}
	if en, ro := rows["en@x.test"].Warnings, rows["ro@x.test"].Warnings; en[0].Message == ro[0].Message {
		t.Errorf("the en and ro rows got the same message %q", en[0].Message)
	}
	xx := rows["xx@x.test"]
	wantCol := len("xx@x.test,Xx,imap.x.test:143,none,smtp.x.test:465,") + 1
	if xx.Status != StatusFailed || xx.Line != 5 || len(xx.Errors) != 1 || len(xx.Files) != 0 {
		t.Fatalf("xx row: %+v", xx)
	}
	is := xx.Errors[0]
	if is.Code != "input.value" || is.Field != "lang" || is.Column != wantCol || is.Message != i18n.New(i18n.RO).T("bulkrow.input.lang", "xx") {
		t.Errorf("xx row's error %+v, want input.value on lang at column %d in Romanian", is, wantCol)
	}
}

// TestRunRowLanguageJSONL: the lang field of JSON Lines rows works the
// same way; an unknown one is reported at its value's column.
func TestRunRowLanguageJSONL(t *testing.T) {
	in := `{"email":"lt@y.test","imap":"imap.y.test:143","imap_security":"none","smtp":"smtp.y.test:465","lang":"lt"}` + "\n" +
		`{"email":"xx@y.test","lang":"klingon"}` + "\n" +
		`{"email":"en@y.test","imap":"imap.y.test:143","imap_security":"none","smtp":"smtp.y.test:465"}` + "\n"
	rows := runLang(t, in, JSONL, i18n.EN, newFakeDiscoverer())
	if got, want := messages(rows["lt@y.test"].Warnings, "security.none"), i18n.New(i18n.LT).T("bulkrow.security-none", "imap.y.test:143"); len(got) != 1 || got[0] != want {
		t.Errorf("lt row: %q, want %q", got, want)
	}
	if got, want := messages(rows["en@y.test"].Warnings, "security.none"), i18n.New(i18n.EN).T("bulkrow.security-none", "imap.y.test:143"); len(got) != 1 || got[0] != want {
		t.Errorf("en row: %q, want %q", got, want)
	}
	xx := rows["xx@y.test"]
	wantCol := strings.Index(`{"email":"xx@y.test","lang":"klingon"}`, `"klingon"`) + 1
	if xx.Status != StatusFailed || xx.Line != 2 || len(xx.Errors) != 1 || xx.Errors[0].Field != "lang" || xx.Errors[0].Column != wantCol || xx.Errors[0].Code != "input.value" {
		t.Errorf("xx row: %+v, want input.value on lang at column %d", xx, wantCol)
	}
}

// TestRunRowLanguageMessages: bulk's own messages that need discovery
// (a setting that needs --yes) come in the row's language too.
func TestRunRowLanguageMessages(t *testing.T) {
	in := "email,lang,password\nro@z.test,ro,\n"
	rd, err := NewReader(strings.NewReader(in), CSV, testParser)
	if err != nil {
		t.Fatal(err)
	}
	var got *RowResult
	_, err = Run(context.Background(), rd, Config{
		Dir: t.TempDir(), Formats: []string{"json"}, Jobs: 1, Discover: newFakeDiscoverer().discover,
		IncludePassword: true, OnRow: func(r *RowResult) { got = r },
	})
	if err != nil {
		t.Fatal(err)
	}
	want := i18n.New(i18n.RO).T("bulkrow.password-missing")
	if m := messages(got.Warnings, "password.missing"); len(m) != 1 || m[0] != want {
		t.Errorf("password.missing %q, want %q", m, want)
	}
}

// TestReaderRowLanguage: the reader's own messages about a row's values
// come in the row's language, whatever the column order; rows without one
// (or with an unknown one) in the run's.
func TestReaderRowLanguage(t *testing.T) {
	in := "incoming,email,lang\n" +
		"smtp,a@x.test,ro\n" +
		"smtp,b@x.test,lt\n" +
		"smtp,,lt\n" +
		"smtp,c@x.test,\n" +
		"smtp,d@x.test,xx\n"
	rd, err := NewReader(strings.NewReader(in), CSV, testParser)
	if err != nil {
		t.Fatal(err)
	}
	rd.lang = i18n.LT
	ro, lt := i18n.New(i18n.RO), i18n.New(i18n.LT)
	want := [][]string{
		{ro.T("bulkrow.input.not-incoming", "smtp")},
		{lt.T("bulkrow.input.not-incoming", "smtp")},
		{lt.T("bulkrow.input.email-missing"), lt.T("bulkrow.input.not-incoming", "smtp")},
		{lt.T("bulkrow.input.not-incoming", "smtp")},
		{lt.T("bulkrow.input.lang", "xx"), lt.T("bulkrow.input.not-incoming", "smtp")},
	}
	for i, w := range want {
		row, err := rd.Next()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, is := range row.Errors {
			got = append(got, is.Message)
		}
		if strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("row %d: %q, want %q", i+1, got, w)
		}
	}
}
