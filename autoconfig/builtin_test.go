package autoconfig

import (
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig/providers"
	"github.com/mailsetup/mailsetup/internal/mailtest"
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
		"ispdb/c.xml":     {Data: []byte(docXML("c.test", []string{"c.test"}, "imap.c.test", "<!-- <domain>ghost.test</domain> -->"))},
		"ispdb/broken.xml": {Data: []byte(strings.Replace(docXML("broken.test", []string{"broken.test"}, "imap.broken.test", ""),
			"<port>993</port>", "<port>none</port>", 1))},
	})
	if err != nil {
		t.Fatal(err)
	}
	for domain, want := range map[string]string{
		"own.test": "own", "shared.test": "own", "SHARED.test": "own", "a.test": "ispdb/a", "a2.test": "ispdb/a", "b.test": "",
		"c.test": "ispdb/c", "ghost.test": "", "broken.test": "",
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
	if p, d := db.Providers(); p != 4 || d != 6 {
		t.Errorf("Providers() = %d, %d; want 4 providers (b answers nothing), 6 domains", p, d)
	}
	// An ISPDB document is parsed on the first lookup of one of its
	// domains, once, whichever goroutine asks first.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if c := db.Lookup("a2.test"); c != a || c.Incoming[0].Host != "imap.a.test" {
				t.Errorf("concurrent Lookup(a2.test) = %+v", c)
			}
		})
	}
	wg.Wait()

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

// TestScanDomains: the scan that indexes the ISPDB copy without parsing
// it finds exactly the domains the parser finds, in every embedded
// document (own and ISPDB), and none in comments.
func TestScanDomains(t *testing.T) {
	names, err := fs.Glob(providers.FS, "*.xml")
	if err != nil {
		t.Fatal(err)
	}
	more, err := fs.Glob(providers.FS, ISPDBDir+"/*.xml")
	if err != nil || len(more) == 0 {
		t.Fatalf("no ISPDB copy embedded: %v", err)
	}
	for _, n := range append(names, more...) {
		data, err := fs.ReadFile(providers.FS, n)
		if err != nil {
			t.Fatal(err)
		}
		c, _, err := parseConfig(data)
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if got := scanDomains(data); !slices.Equal(got, c.Domains) {
			t.Errorf("%s: scan found %q, the parser %q", n, got, c.Domains)
		}
	}
	doc := "<clientConfig><!-- <domain>no.test</domain> --><emailProvider><domain> Yes.Test </domain><!--x--><domain>\n</domain></emailProvider></clientConfig>"
	if got := scanDomains([]byte(doc)); !slices.Equal(got, []string{"yes.test"}) {
		t.Errorf("scan = %q, want [yes.test]", got)
	}
	for _, cut := range []string{"<domain>x.test", "<!-- <domain>x.test</domain>"} {
		if got := scanDomains([]byte(cut)); len(got) != 0 {
			t.Errorf("scan of %q = %q, want nothing", cut, got)
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

// TestISPDBCopyAnswersAtISPDBRank: online, a domain that only the
// database's ISPDB copy lists is answered at the ISPDB's turn, so the
// provider's own autoconfig still wins, and the domain is never sent to
// Thunderbird's server; offline the copy answers in the same place from
// the binary, and with the ISPDB off as the built-in database.
func TestISPDBCopyAnswersAtISPDBRank(t *testing.T) {
	db, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if c, fromCopy := db.lookup("mtel.tel"); c == nil || !fromCopy {
		t.Fatalf("mtel.tel is not in the ISPDB copy: %v %v", c, fromCopy)
	}
	e := newDEnv(t)
	e.opts.DB = db
	e.opts.ISPDB = ""
	e.opts.NoVerify = true
	e.n.AddHost("mtel.tel", mailtest.HTTPS) // the guard lets discovery reach a lab domain's hosts
	e.n.AddHost("autoconfig.mtel.tel", mailtest.HTTPS)
	e.n.HandleHTTP("autoconfig.mtel.tel", "/mail/config-v1.1.xml", xmlRoute(configXML("mtel.tel", "imap.example.test", 993, "smtp.example.test", 465, "")))

	res, err := e.discover(t, "ana@mtel.tel", account.SourceBuiltin, account.SourceAutoconfig, account.SourceISPDB)
	c := top(t, res, err)
	if c.Account.Provenance.Source != account.SourceAutoconfig || c.Account.Incoming.Host != "imap.example.test" {
		t.Errorf("online: top is %s %s, want the provider's own autoconfig; trail %+v", c.Account.Provenance.Source, c.Account.Incoming.Host, res.Trail)
	}
	var fromCopy *Candidate
	for _, o := range res.Candidates {
		if o.Account.Provenance.Source == account.SourceISPDB && fromCopy == nil {
			fromCopy = o
		}
	}
	if fromCopy == nil || fromCopy.Account.Incoming.Host != "imap.teol.net" || !strings.Contains(fromCopy.Account.Provenance.Detail, "copy") {
		t.Errorf("the copy's answer is not the ISPDB alternative: %+v", fromCopy)
	}
	for _, r := range e.n.HTTPRequests() {
		if strings.Contains(r.Host, "thunderbird") {
			t.Errorf("asked Thunderbird's server: %+v", r)
		}
	}

	// Offline, the copy still answers in the ispdb source's place, from
	// the binary: no socket is opened (TestOfflineOpensNoSocket).
	e.opts.Offline = true
	res, err = e.discover(t, "ana@mtel.tel")
	if c := top(t, res, err); c.Account.Provenance.Source != account.SourceISPDB || c.Account.Incoming.Host != "imap.teol.net" || !strings.Contains(c.Account.Provenance.Detail, "copy") {
		t.Errorf("offline: %s %s", c.Account.Provenance.Source, c.Account.Incoming.Host)
	}
	res, err = e.discover(t, "ana@not-in-any-database.test")
	if err == nil {
		t.Errorf("offline, unknown domain: %+v", res.Candidates)
	}
	e.opts.Offline = false
	e.opts.ISPDB = "off"
	res, err = e.discover(t, "ana@mtel.tel", account.SourceBuiltin, account.SourceISPDB)
	if c := top(t, res, err); c.Account.Provenance.Source != account.SourceBuiltin {
		t.Errorf("ISPDB off: %s", c.Account.Provenance.Source)
	}
}
