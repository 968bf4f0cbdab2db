package autoconfig

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mailsetup/mailsetup/autoconfig/providers"
)

// docXML is a provider document listing domains, with extra after
// </emailProvider>.
func docXML(id string, domains []string, imapHost, extra string) string {
	var ds strings.Builder
	for _, d := range domains {
		ds.WriteString("<domain>" + d + "</domain>")
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1"><emailProvider id="` + id + `">` + ds.String() + `
<incomingServer type="imap"><hostname>` + imapHost + `</hostname><port>993</port><socketType>SSL</socketType>
<username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType>
<username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider>` + extra + `</clientConfig>`
}

// TestLoadDBISPDB: the own documents answer their domains; the ISPDB
// copy answers only the rest (a document left with no domain of its own
// is left out), never carries mailsetup notes or MX patterns, and a
// domain listed twice by one document is not an error.
func TestLoadDBISPDB(t *testing.T) {
	notes := `<mailsetup xmlns="urn:mailsetup:provider:1"><mx>*.a.test</mx><note kind="info">Remote note.</note></mailsetup>`
	db, err := LoadDB(fstest.MapFS{
		"own.xml":         {Data: []byte(docXML("own", []string{"own.test", "shared.test"}, "imap.own.test", ""))},
		"ispdb/a.xml":     {Data: []byte(docXML("a.test", []string{"shared.test", "a.test", "a.test", "a2.test"}, "imap.a.test", notes))},
		"ispdb/b.xml":     {Data: []byte(docXML("b.test", []string{"shared.test"}, "imap.b.test", ""))},
		"ispdb/README.md": {Data: []byte("not a document")},
	})
	if err != nil {
		t.Fatal(err)
	}
	for domain, want := range map[string]string{
		"own.test": "own", "shared.test": "own", "SHARED.test": "own", "a.test": "ispdb/a", "a2.test": "ispdb/a", "b.test": "",
	} {
		got := ""
		if c := db.Lookup(domain); c != nil {
			got = c.ID
		}
		if got != want {
			t.Errorf("Lookup(%s) = %q, want %q", domain, got, want)
		}
	}
	a := db.Lookup("a.test")
	if a == nil {
		t.Fatal("the ISPDB copy is not loaded")
	}
	if strings.Join(a.Domains, " ") != "a.test a2.test" {
		t.Errorf("ISPDB document domains = %q, want the ones it answers, once each", a.Domains)
	}
	if a.Incoming[0].Host != "imap.a.test" || len(a.Notes) != 0 || len(a.MX) != 0 || db.LookupMX("mx.a.test") != nil {
		t.Errorf("ISPDB document = %+v: want its servers and no mailsetup notes or MX patterns", a)
	}
	if p, d := db.Providers(); p != 2 || d != 4 {
		t.Errorf("Providers() = %d, %d; want 2 providers (b answers nothing), 4 domains", p, d)
	}

	for name, fsys := range map[string]fstest.MapFS{
		"two own documents": {
			"x.xml": {Data: []byte(docXML("x", []string{"dup.test"}, "imap.x.test", ""))},
			"y.xml": {Data: []byte(docXML("y", []string{"dup.test"}, "imap.y.test", ""))},
		},
		"two ISPDB documents": {
			"ispdb/x.xml": {Data: []byte(docXML("x", []string{"dup.test"}, "imap.x.test", ""))},
			"ispdb/y.xml": {Data: []byte(docXML("y", []string{"dup.test"}, "imap.y.test", ""))},
		},
	} {
		if _, err := LoadDB(fsys); err == nil || !strings.Contains(err.Error(), "dup.test") {
			t.Errorf("%s list dup.test: LoadDB error %v, want one naming the domain", name, err)
		}
	}
}

// BenchmarkLoadBuiltin measures what Builtin costs once per process:
// parsing the embedded provider database (own files and the ISPDB copy).
func BenchmarkLoadBuiltin(b *testing.B) {
	for b.Loop() {
		if _, err := LoadDB(providers.FS); err != nil {
			b.Fatal(err)
		}
	}
}
