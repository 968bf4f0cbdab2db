package probe

import (
	"os"
	"strings"
	"testing"
)

// TestClassify: codes decide before wording; wording only classifies a
// refusal without a deciding code.
func TestClassify(t *testing.T) {
	imap := []struct {
		text string
		want LoginOutcome
	}{
		{"[AUTHENTICATIONFAILED] Invalid credentials (Failure)", LoginWrongCredentials},
		{"[AUTHORIZATIONFAILED] Not allowed", LoginNotAuthorized},
		{"[EXPIRED] Authentication failed.", LoginPasswordExpired},
		{"[INUSE] Authentication failed.", LoginLocked},
		{"[UNAVAILABLE] Authentication failed.", LoginTemporary},
		{"[CONTACTADMIN] Authentication failed.", LoginContactAdmin},
		{"[PRIVACYREQUIRED] Authentication failed.", LoginEncryptionRequired},
		// The code wins over misleading words.
		{"[AUTHENTICATIONFAILED] account locked? try again later", LoginWrongCredentials},
		{"[unavailable] Invalid credentials", LoginTemporary},
		// No deciding code: the providers' wording.
		{"[ALERT] Application-specific password required: https://support.google.com/mail/accounts/answer/185833 (Failure)", LoginAppPasswordRequired},
		{"[WEBALERT https://accounts.google.com/signin/continue?...] Web login required.", LoginAppPasswordRequired},
		{"AUTHENTICATE failed.", LoginWrongCredentials},
		{"[ALERT] Your password has expired", LoginPasswordExpired},
	}
	for _, tt := range imap {
		if got := classifyCoded(tt.text); got != tt.want {
			t.Errorf("classifyCoded(%q) = %s, want %s", tt.text, got, tt.want)
		}
	}
	pop3 := []struct {
		text string
		want LoginOutcome
	}{
		{"[AUTH] Authentication failed.", LoginWrongCredentials},
		{"[IN-USE] Mailbox is locked by another POP3 session", LoginLocked},
		{"[IN-USE] Authentication failed.", LoginLocked},
		{"[SYS/TEMP] Authentication failed.", LoginTemporary},
		{"[SYS/PERM] Authentication failed.", LoginContactAdmin},
		{"[LOGIN-DELAY] Authentication failed.", LoginTemporary},
		{"[AUTH] temporarily unavailable", LoginWrongCredentials},
		{"Authentication failed.", LoginWrongCredentials},
	}
	for _, tt := range pop3 {
		if got := classifyCoded(tt.text); got != tt.want {
			t.Errorf("classifyCoded(%q) = %s, want %s", tt.text, got, tt.want)
		}
	}
	smtp := []struct {
		code  int
		lines []string
		want  LoginOutcome
	}{
		{535, []string{"5.7.8 Authentication credentials invalid"}, LoginWrongCredentials},
		{535, []string{"5.7.8 Your account is locked, try again later"}, LoginWrongCredentials},
		{534, []string{"5.7.9 Application-specific password required. Learn more at", "5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor"}, LoginAppPasswordRequired},
		{534, []string{"5.7.9 Authentication mechanism is too weak"}, LoginAppPasswordRequired},
		{538, []string{"5.7.11 Encryption required for requested authentication mechanism"}, LoginEncryptionRequired},
		{432, []string{"4.7.12 A password transition is needed"}, LoginPasswordExpired},
		{454, []string{"4.7.0 Temporary authentication failure"}, LoginTemporary},
		{451, []string{"4.3.0 Authentication failed"}, LoginTemporary},
		{421, []string{"4.4.2 Connection dropped"}, LoginTemporary},
		{535, []string{"5.7.139 Authentication unsuccessful, basic authentication is disabled."}, LoginOAuth2Required},
		{535, []string{"5.7.3 Authentication unsuccessful"}, LoginWrongCredentials},
		{535, []string{"Authentication failed"}, LoginWrongCredentials},
		{535, []string{"5.7.0 Your password has expired"}, LoginPasswordExpired},
	}
	for _, tt := range smtp {
		if got := classifySMTP(tt.code, tt.lines); got != tt.want {
			t.Errorf("classifySMTP(%d, %q) = %s, want %s", tt.code, tt.lines, got, tt.want)
		}
	}
}

func TestCodesCatalogue(t *testing.T) {
	seen := map[Code]bool{}
	for _, c := range Codes {
		if seen[c.Code] {
			t.Errorf("duplicate code %s", c.Code)
		}
		seen[c.Code] = true
		s := string(c.Code)
		if s != strings.ToLower(s) || strings.ContainsAny(s, " _") || !strings.Contains(s, ".") || c.Meaning == "" {
			t.Errorf("code %q: want lower-case dotted form with a meaning", c.Code)
		}
	}
}

// TestREADMEListsEveryCode keeps README.md's finding table in step with
// Codes: one row per code, in the catalogue's order, and no other rows.
func TestREADMEListsEveryCode(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const header = "| code | severity | meaning |\n|---|---|---|\n"
	_, table, ok := strings.Cut(string(b), header)
	if !ok {
		t.Fatalf("README.md lacks the finding table header %q", header)
	}
	table, _, _ = strings.Cut(table, "\n\n")
	rows := strings.Split(strings.TrimSuffix(table, "\n"), "\n")
	var want []string
	for _, c := range Codes {
		want = append(want, "| `"+string(c.Code)+"` | "+c.Severity.String()+" | "+c.Meaning+" |")
	}
	for i := range max(len(rows), len(want)) {
		switch {
		case i >= len(want):
			t.Errorf("README.md has a row for no catalogued code: %s", rows[i])
		case i >= len(rows):
			t.Errorf("README.md lacks the row %s", want[i])
		case rows[i] != want[i]:
			t.Errorf("README.md row %d is\n%s\nwant\n%s", i+1, rows[i], want[i])
		}
	}
}
