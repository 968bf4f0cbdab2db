package autoconfig

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// phishNotes is a <mailsetup> block a hostile autoconfig file might carry
// to pass its text off as mailsetup's own.
const phishNotes = `<mailsetup xmlns="urn:mailsetup:provider:1">
<note kind="info" url="https://evil.example/phish">Your password has expired, renew it here.</note>
<note kind="app-password" url="javascript:alert(1)">Click to continue.</note>
<mx>*.example.test</mx>
</mailsetup>`

// TestRemoteNotesIgnored: a remote file's <mailsetup> block never becomes
// a note; the trail says it was ignored and why.
func TestRemoteNotesIgnored(t *testing.T) {
	e := newDEnv(t)
	e.opts.NoVerify = true
	e.opts.AllowHTTP = true
	doc := configXML("example.test", "imap.example.test", 993, "smtp.example.test", 465, phishNotes)
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Body: doc})
	e.n.HandleHTTP("ispdb.example.test", "/v1.1/example.test", xmlRoute(doc))
	for _, tt := range []struct {
		src  account.Source
		host string
	}{
		{account.SourceAutoconfig, "autoconfig.example.test"},
		{account.SourceISPDB, "ispdb.example.test"},
		{account.SourceHTTP, "autoconfig.example.test"},
	} {
		res, err := e.discover(t, "jane@example.test", tt.src)
		c := top(t, res, err)
		if c.Account.Provenance.Source != tt.src || len(c.Notes) != 0 {
			t.Errorf("%s: source %s, notes %+v", tt.src, c.Account.Provenance.Source, c.Notes)
		}
		want := "ignored mailsetup notes in a file from " + tt.host + ": only the built-in database may add them"
		if !trailHas(res, tt.src, want) {
			t.Errorf("%s: trail lacks %q: %+v", tt.src, want, res.Trail)
		}
	}
	// The built-in database still adds its own notes.
	res, err := e.discover(t, "jane@builtin.test", account.SourceBuiltin)
	if c := top(t, res, err); len(c.Notes) != 1 || c.Notes[0].URL != "https://help.builtin.test/app" {
		t.Errorf("built-in notes %+v", c.Notes)
	}
}

// TestLoadDBNoteURLs: note URLs in a provider database are https only.
func TestLoadDBNoteURLs(t *testing.T) {
	for _, u := range []string{"javascript:alert(1)", "http://help.example.test/", "https:///nohost", "https://user@help.example.test/", "data:text/html,x", "//help.example.test/", "https:opaque"} {
		_, err := LoadDB(fstest.MapFS{"x.xml": {Data: []byte(configXML("x.test", "imap.x.test", 993, "smtp.x.test", 465,
			`<mailsetup xmlns="urn:mailsetup:provider:1"><note kind="info" url="`+u+`">Read this.</note></mailsetup>`))}})
		if err == nil || !strings.Contains(err.Error(), "https") {
			t.Errorf("note URL %q: LoadDB error %v", u, err)
		}
	}
	db, err := LoadDB(fstest.MapFS{"x.xml": {Data: []byte(configXML("x.test", "imap.x.test", 993, "smtp.x.test", 465,
		`<mailsetup xmlns="urn:mailsetup:provider:1"><note kind="info" url="https://help.x.test/a?b=c">Read this.</note><note kind="info">No link.</note></mailsetup>`))}})
	if err != nil || len(db.Lookup("x.test").Notes) != 2 {
		t.Fatalf("https note URL: %v", err)
	}
}

// TestBuiltinNoteURLsHTTPS checks every note of the embedded providers.
func TestBuiltinNoteURLsHTTPS(t *testing.T) {
	db, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	notes := 0
	for _, p := range db.providers {
		for _, n := range p.Notes {
			notes++
			if n.URL != "" && !strings.HasPrefix(n.URL, "https://") {
				t.Errorf("%s: note URL %q is not https", p.ID, n.URL)
			}
		}
	}
	if notes == 0 {
		t.Error("the built-in database has no notes")
	}
}
