package probe

import (
	"os"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		code int
		text string
		want LoginOutcome
	}{
		{535, "535 5.7.8 Authentication credentials invalid", LoginWrongCredentials},
		{0, "[AUTHENTICATIONFAILED] Invalid credentials (Failure)", LoginWrongCredentials},
		{0, "[AUTH] Authentication failed.", LoginWrongCredentials},
		{534, "534-5.7.9 Application-specific password required. Learn more at", LoginAppPasswordRequired},
		{0, "[ALERT] Application-specific password required: https://support.google.com/mail/accounts/answer/185833 (Failure)", LoginAppPasswordRequired},
		{0, "[WEBALERT https://accounts.google.com/signin/continue?...] Web login required.", LoginAppPasswordRequired},
		{535, "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.", LoginOAuth2Required},
		{0, "[IN-USE] Mailbox is locked by another POP3 session", LoginLocked},
		{0, "[SYS/TEMP] Temporary server error", LoginTemporary},
		{0, "[UNAVAILABLE] Temporary authentication failure", LoginTemporary},
		{454, "454 4.7.0 Temporary authentication failure", LoginTemporary},
	}
	for _, tt := range tests {
		if got := classify(tt.code, tt.text); got != tt.want {
			t.Errorf("classify(%d, %q) = %s, want %s", tt.code, tt.text, got, tt.want)
		}
	}
}

func TestCodesCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Codes {
		if seen[c.Code] {
			t.Errorf("duplicate code %s", c.Code)
		}
		seen[c.Code] = true
		if c.Code != strings.ToLower(c.Code) || strings.ContainsAny(c.Code, " _") || c.Meaning == "" {
			t.Errorf("code %q: want lower-case dotted form with a meaning", c.Code)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("newFinding accepted an unknown code")
		}
	}()
	newFinding("no.such.code", "", "x")
}

// TestREADMEListsEveryCode keeps README.md's finding table in step with Codes.
func TestREADMEListsEveryCode(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Codes {
		row := "| `" + c.Code + "` | " + c.Severity.String() + " | " + c.Meaning + " |"
		if !strings.Contains(string(b), row) {
			t.Errorf("README.md lacks the row %s", row)
		}
	}
}
