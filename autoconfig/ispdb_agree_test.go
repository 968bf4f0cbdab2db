package autoconfig

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig/providers"
)

// ispdbRef is the test-only reference copy of the ISPDB snapshot
// (unmodified files and their MPL-2.0 LICENSE). The built-in database
// embeds a second copy (providers/ispdb); TestBuiltinAgreesWithISPDB
// checks that both are the same files.
const ispdbRef = "testdata/ispdb"

// The snapshot's size; README.md states it.
const (
	ispdbFiles   = 163
	ispdbDomains = 962
)

// rawDoc is an autoconfig document decoded into the test's own structs,
// independent of the parser under test, so that a mistake there cannot
// hide a disagreement here.
type rawDoc struct {
	Provider struct {
		Domains  []string    `xml:"domain"`
		Incoming []rawServer `xml:"incomingServer"`
		Outgoing []rawServer `xml:"outgoingServer"`
	} `xml:"emailProvider"`
}

type rawServer struct {
	Type       string   `xml:"type,attr"`
	Hostname   string   `xml:"hostname"`
	Port       string   `xml:"port"`
	SocketType string   `xml:"socketType"`
	Username   string   `xml:"username"`
	Auth       []string `xml:"authentication"`
}

// key is a server as the agreement test compares it: protocol, host,
// port, socketType, username form and every authentication method in
// order, e.g. "imap imap.gmail.com:993 SSL user=%EMAILADDRESS%
// auth=OAuth2,password-cleartext".
func (s rawServer) key() string {
	auth := make([]string, len(s.Auth))
	for i, a := range s.Auth {
		auth[i] = strings.TrimSpace(a)
	}
	return fmt.Sprintf("%s %s:%s %s user=%s auth=%s", s.Type, strings.TrimSpace(s.Hostname), strings.TrimSpace(s.Port),
		strings.TrimSpace(s.SocketType), strings.TrimSpace(s.Username), strings.Join(auth, ","))
}

// servers returns the document's IMAP and POP3 servers (IMAP first, as
// mailsetup's own files list them and as discovery ranks them; document
// order otherwise) and its SMTP servers in document order, as keys.
// Servers of other types (ews, owa, graph, exchange) mailsetup does not
// use, and leaves out here too.
func (d *rawDoc) servers() (in, out []string) {
	for _, typ := range []string{"imap", "pop3"} {
		for _, s := range d.Provider.Incoming {
			if s.Type == typ {
				in = append(in, s.key())
			}
		}
	}
	for _, s := range d.Provider.Outgoing {
		if s.Type == "smtp" {
			out = append(out, s.key())
		}
	}
	return in, out
}

func decodeRaw(t *testing.T, name string, data []byte) *rawDoc {
	t.Helper()
	d := new(rawDoc)
	if err := xml.Unmarshal(data, d); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

// refEntry is one ISPDB file of the reference copy.
type refEntry struct {
	file string // e.g. "googlemail.com.xml"
	doc  *rawDoc
}

// loadISPDBRef reads the reference copy: its files by name, and the file
// listing each domain (a file may list a domain twice; no two files list
// the same one).
func loadISPDBRef(t *testing.T) (files map[string][]byte, byDomain map[string]refEntry, domains []string) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(ispdbRef, "*.xml"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no reference copy in %s: %v", ispdbRef, err)
	}
	files, byDomain = map[string][]byte{}, map[string]refEntry{}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(n)
		files[base] = data
		doc := decodeRaw(t, n, data)
		for _, d := range doc.Provider.Domains {
			d = strings.ToLower(strings.TrimSpace(d))
			if e, dup := byDomain[d]; dup {
				if e.file != base {
					t.Errorf("domain %s is in %s and %s", d, e.file, base)
				}
				continue
			}
			byDomain[d] = refEntry{base, doc}
			domains = append(domains, d)
		}
	}
	slices.Sort(domains)
	return files, byDomain, domains
}

// ownDifference is an intentional difference between one of mailsetup's
// own provider files and the ISPDB snapshot.
type ownDifference struct {
	file string // own provider file, by id (file name without .xml)
	// drop lists the ISPDB servers (keys as rawServer.key writes them)
	// that the own file leaves out.
	drop []string
	why  string
}

// ownDifferences lists every intentional difference between one of
// mailsetup's own provider files and the ISPDB snapshot, with its
// reason. Everything else must agree exactly; an entry that no longer
// matches a difference fails the test, so the table stays true.
var ownDifferences = []ownDifference{
	{file: "onet.pl", drop: []string{"pop3 pop3.poczta.onet.pl:995 SSL user=%EMAILADDRESS% auth=password-cleartext"},
		why: "Onet stopped offering POP3 on 31 March 2026, after the snapshot (the own file's info note, https://pomoc.onet.pl/)"},
}

// TestBuiltinAgreesWithISPDB: the built-in database (what --offline
// uses) answers every domain of the ISPDB snapshot; a domain one of
// mailsetup's own files answers gets the servers of the domain's ISPDB
// file (incoming and outgoing servers in order, protocol, host, port,
// socketType, username form and every authentication method in order)
// except for the differences in ownDifferences; every other domain is
// answered by the embedded copy of its own ISPDB file, which is the
// reference copy byte for byte.
func TestBuiltinAgreesWithISPDB(t *testing.T) {
	ref, byDomain, domains := loadISPDBRef(t)
	if len(ref) != ispdbFiles || len(domains) != ispdbDomains {
		t.Errorf("reference copy: %d files, %d domains; README.md and this test say %d and %d", len(ref), len(domains), ispdbFiles, ispdbDomains)
	}

	// The embedded copy is the reference copy, unmodified, with its
	// license beside both.
	embedded, err := fs.Glob(providers.FS, ISPDBDir+"/*.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(embedded) != len(ref) {
		t.Errorf("embedded ISPDB copy has %d files, the reference %d", len(embedded), len(ref))
	}
	for _, n := range embedded {
		data, err := fs.ReadFile(providers.FS, n)
		if err != nil {
			t.Fatal(err)
		}
		if want, ok := ref[path.Base(n)]; !ok || !bytes.Equal(data, want) {
			t.Errorf("embedded %s is not the reference copy's file", n)
		}
	}
	lic1, err1 := os.ReadFile(filepath.Join("providers", ISPDBDir, "LICENSE"))
	lic2, err2 := os.ReadFile(filepath.Join(ispdbRef, "LICENSE"))
	if err1 != nil || err2 != nil || !bytes.Equal(lic1, lic2) || !bytes.HasPrefix(lic1, []byte("Mozilla Public License Version 2.0")) {
		t.Errorf("the MPL-2.0 LICENSE must be beside both copies (%v, %v)", err1, err2)
	}

	db, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	diffs := map[int]int{} // ownDifferences index -> times it explained a difference
	ownAnswered, copyAnswered := 0, 0
	ownDocs := map[string]*rawDoc{}
	for _, d := range domains {
		e := byDomain[d]
		c := db.Lookup(d)
		if c == nil {
			t.Errorf("%s (%s): the built-in database does not answer it", d, e.file)
			continue
		}
		if id, ok := strings.CutPrefix(c.ID, ISPDBDir+"/"); ok {
			copyAnswered++
			if id+".xml" != e.file {
				t.Errorf("%s: answered by the ISPDB copy's %s.xml, want %s", d, id, e.file)
			}
			continue
		}
		ownAnswered++
		own := ownDocs[c.ID]
		if own == nil {
			data, err := fs.ReadFile(providers.FS, c.ID+".xml")
			if err != nil {
				t.Fatal(err)
			}
			own = decodeRaw(t, c.ID+".xml", data)
			ownDocs[c.ID] = own
		}
		wantIn, wantOut := e.doc.servers()
		for i, diff := range ownDifferences {
			if diff.file != c.ID {
				continue
			}
			before := len(wantIn) + len(wantOut)
			wantIn = slices.DeleteFunc(wantIn, func(k string) bool { return slices.Contains(diff.drop, k) })
			wantOut = slices.DeleteFunc(wantOut, func(k string) bool { return slices.Contains(diff.drop, k) })
			if len(wantIn)+len(wantOut) != before {
				diffs[i]++
			}
		}
		gotIn, gotOut := own.servers()
		if !slices.Equal(gotIn, wantIn) {
			t.Errorf("%s: own file %s.xml disagrees with the ISPDB's %s on incoming servers:\n got %s\nwant %s",
				d, c.ID, e.file, strings.Join(gotIn, "\n     "), strings.Join(wantIn, "\n     "))
		}
		if !slices.Equal(gotOut, wantOut) {
			t.Errorf("%s: own file %s.xml disagrees with the ISPDB's %s on outgoing servers:\n got %s\nwant %s",
				d, c.ID, e.file, strings.Join(gotOut, "\n     "), strings.Join(wantOut, "\n     "))
		}
	}
	// The copy answers no domain its files do not list (the index is
	// read without the parser: scanDomains).
	for d, c := range db.byDomain {
		if _, ok := byDomain[d]; !ok && strings.HasPrefix(c.ID, ISPDBDir+"/") {
			t.Errorf("%s: answered by the ISPDB copy's %s, which does not list it", d, c.ID)
		}
	}
	for i, diff := range ownDifferences {
		if diffs[i] == 0 {
			t.Errorf("ownDifferences: %s.xml no longer differs from the ISPDB that way (%s); remove the entry", diff.file, diff.why)
		}
	}

	// --offline answers every ISPDB domain with candidates.
	for _, d := range domains {
		addr, err := account.ParseAddress("user@" + d)
		if err != nil {
			t.Errorf("%s: %v", d, err)
			continue
		}
		res, err := Discover(context.Background(), addr, Options{Offline: true})
		// mailsetup's own files answer as builtin, the copy in the
		// ispdb source's place.
		src := res.Candidates
		if err != nil || len(src) == 0 || src[0].Account.Provenance.Source != account.SourceBuiltin && src[0].Account.Provenance.Source != account.SourceISPDB {
			t.Errorf("offline %s (%s): %v, %d candidates", addr, byDomain[d].file, err, len(res.Candidates))
		}
	}

	// README.md states the coverage; keep it true.
	providerCount, all := db.Providers()
	ownFiles := 0
	for _, c := range db.providers {
		if !strings.HasPrefix(c.ID, ISPDBDir+"/") {
			ownFiles++
		}
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		fmt.Sprintf("answers all %d ISPDB domains offline plus %d of its own", len(domains), all-len(domains)),
		fmt.Sprintf("(%d provider files of mailsetup's own and %d of Thunderbird's ISPDB, %d domains,", ownFiles, providerCount-ownFiles, all),
		fmt.Sprintf("(%d files, MPL-2.0,", len(ref)),
	} {
		if !bytes.Contains(readme, []byte(want)) {
			t.Errorf("README.md does not say %q", want)
		}
	}
	for _, diff := range ownDifferences { // README names every difference
		if want := diff.file; !bytes.Contains(readme, []byte(want)) {
			t.Errorf("README.md does not say %q", want)
		}
	}
	t.Logf("ISPDB: %d domains, %d answered by mailsetup's own files, %d by the embedded ISPDB copy; %d more domains only in own files",
		len(domains), ownAnswered, copyAnswered, all-len(domains))
}
