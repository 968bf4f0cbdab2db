package autoconfig

import "testing"

// TestNeedsAppPassword: the server names of providers whose notes say they
// need app passwords are known, in any case and with a trailing dot;
// other servers, and providers without such a note, are not.
func TestNeedsAppPassword(t *testing.T) {
	db, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]bool{
		"imap.gmail.com":      true,
		"SMTP.Fastmail.com.":  true,
		"imap.mail.yahoo.com": true,
		"imap.example.test":   false,
		"gmail.com":           false,
		"":                    false,
	} {
		if got := db.NeedsAppPassword(host); got != want {
			t.Errorf("NeedsAppPassword(%q) = %v, want %v", host, got, want)
		}
	}
	// Every provider with an app-password note has a server it applies to.
	for _, c := range db.providers {
		for _, n := range c.Notes {
			if n.Kind == NoteAppPassword && len(c.Incoming) > 0 && !db.NeedsAppPassword(c.Incoming[0].Host) {
				t.Errorf("%s: its IMAP/POP3 server %s is not recognised", c.ID, c.Incoming[0].Host)
			}
		}
	}
}
