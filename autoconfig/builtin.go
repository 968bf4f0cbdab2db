package autoconfig

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
)

// DB is a provider database: autoconfig documents indexed by mail domain
// and by MX host pattern.
type DB struct {
	providers []*Config
	byDomain  map[string]*Config
	mx        []mxPattern
	// lazy holds, for each ISPDB document's entry in providers and
	// byDomain (which has only its ID and Domains), the document, parsed
	// on its first lookup. It is not changed after LoadDB.
	lazy map[*Config]*lazyDoc
}

type mxPattern struct {
	pattern string // "*.google.com" or an exact host
	cfg     *Config
}

// lazyDoc is an ISPDB document of the database, parsed on its first
// lookup: parsing all of them took about 10 ms, twice what the rest of
// the database takes, and most runs look up one domain or none of them.
type lazyDoc struct {
	data    []byte
	id      string
	domains []string // the domains it answers
	once    sync.Once
	c       *Config // nil when the document does not parse
}

// config parses the document once and returns it for domain d, or nil
// when it does not parse or does not list d after all.
func (l *lazyDoc) config(d string) *Config {
	l.once.Do(func() {
		c, err := ParseConfig(l.data)
		if err != nil {
			return
		}
		c.ID = l.id
		c.Domains = slices.DeleteFunc(slices.Clone(l.domains), func(d string) bool { return !slices.Contains(c.Domains, d) })
		l.c = c
	})
	if l.c == nil || !slices.Contains(l.c.Domains, d) {
		return nil
	}
	return l.c
}

// ISPDBDir is the folder of a provider database that holds a copy of
// Thunderbird's ISP database (one autoconfig document per file, as the
// ISPDB publishes them).
const ISPDBDir = "ispdb"

// LoadDB reads a provider database: first mailsetup's own documents
// (every *.xml at the root of fsys, with mailsetup's notes and MX
// patterns: the <mailsetup> block, which only they may carry), then the
// ISPDB copy (ISPDBDir/*.xml), whose documents answer only the domains no
// own document lists. A domain listed by two own documents, or by two
// ISPDB documents, or a note URL that is not https, is an error; a
// document listing a domain twice is not. An ISPDB document is parsed as
// a document from the network, on the first lookup of one of its domains
// (its domains are read at once with scanDomains); one that does not
// parse answers none of them.
func LoadDB(fsys fs.FS) (*DB, error) {
	db := &DB{byDomain: map[string]*Config{}, lazy: map[*Config]*lazyDoc{}}
	if err := db.loadOwn(fsys); err != nil {
		return nil, err
	}
	if err := db.loadISPDB(fsys); err != nil {
		return nil, err
	}
	// Exact names before wildcards, longer (more specific) patterns first.
	sort.SliceStable(db.mx, func(i, j int) bool {
		wi, wj := strings.HasPrefix(db.mx[i].pattern, "*."), strings.HasPrefix(db.mx[j].pattern, "*.")
		if wi != wj {
			return !wi
		}
		return len(db.mx[i].pattern) > len(db.mx[j].pattern)
	})
	return db, nil
}

// xmlFiles returns the *.xml files of dir in name order, with their
// contents.
func xmlFiles(fsys fs.FS, dir string) (names []string, data [][]byte, err error) {
	names, err = fs.Glob(fsys, path.Join(dir, "*.xml"))
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, nil, err
		}
		data = append(data, b)
	}
	return names, data, nil
}

// loadOwn parses mailsetup's own documents; one without an ID takes its
// file name.
func (db *DB) loadOwn(fsys fs.FS) error {
	names, data, err := xmlFiles(fsys, ".")
	if err != nil {
		return err
	}
	for i, n := range names {
		c, err := parseBuiltinConfig(data[i])
		if err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
		if c.ID == "" {
			c.ID = strings.TrimSuffix(path.Base(n), ".xml")
		}
		c.Domains, err = db.claim(n, c.Domains, nil)
		if err != nil {
			return err
		}
		db.add(c)
		for _, p := range c.MX {
			db.mx = append(db.mx, mxPattern{pattern: strings.ToLower(strings.TrimSuffix(p, ".")), cfg: c})
		}
	}
	return nil
}

// loadISPDB indexes the ISPDB copy's documents by the domains they list
// that no own document does, and leaves out a document left with none.
// Each is named ISPDBDir/ + its file name, so the trail says where an
// answer came from.
func (db *DB) loadISPDB(fsys fs.FS) error {
	names, data, err := xmlFiles(fsys, ISPDBDir)
	if err != nil {
		return err
	}
	own := maps.Clone(db.byDomain)
	for i, n := range names {
		domains, err := db.claim(n, scanDomains(data[i]), own)
		if err != nil {
			return err
		}
		if len(domains) == 0 {
			continue
		}
		c := &Config{ID: ISPDBDir + "/" + strings.TrimSuffix(path.Base(n), ".xml"), Domains: domains}
		db.lazy[c] = &lazyDoc{data: data[i], id: c.ID, domains: domains}
		db.add(c)
	}
	return nil
}

// claim returns the domains of file n that it answers: each once, and
// none that skip already answers. A domain another document of the same
// load lists is an error.
func (db *DB) claim(n string, domains []string, skip map[string]*Config) ([]string, error) {
	var out []string
	for _, d := range domains {
		if skip[d] != nil || slices.Contains(out, d) {
			continue
		}
		if other, dup := db.byDomain[d]; dup {
			return nil, fmt.Errorf("%s: domain %s is also in %s", n, d, other.ID)
		}
		out = append(out, d)
	}
	return out, nil
}

func (db *DB) add(c *Config) {
	db.providers = append(db.providers, c)
	for _, d := range c.Domains {
		db.byDomain[d] = c
	}
}

// scanDomains returns the text of every <domain> element of an
// autoconfig document, in order, lower-cased, skipping comments. It is
// hand-rolled because encoding/xml takes milliseconds for the ISPDB copy,
// and it only picks which document a lookup parses: that document, parsed
// by ParseConfig, must then list the domain (lazyDoc.config), and a test
// checks the scan against the parser for every embedded document.
func scanDomains(data []byte) []string {
	var out []string
	for {
		i := bytes.IndexByte(data, '<')
		if i < 0 {
			return out
		}
		data = data[i:]
		switch {
		case bytes.HasPrefix(data, []byte("<!--")):
			end := bytes.Index(data, []byte("-->"))
			if end < 0 {
				return out
			}
			data = data[end+len("-->"):]
		case bytes.HasPrefix(data, []byte("<domain>")):
			data = data[len("<domain>"):]
			end := bytes.Index(data, []byte("</domain>"))
			if end < 0 {
				return out
			}
			if d := strings.ToLower(strings.TrimSpace(string(data[:end]))); d != "" {
				out = append(out, d)
			}
			data = data[end:]
		default:
			data = data[1:]
		}
	}
}

// Lookup returns the provider serving mail domain d, or nil.
func (db *DB) Lookup(d string) *Config {
	c, _ := db.lookup(d)
	return c
}

// lookup is Lookup that also reports whether the document is from the
// ISPDB copy rather than one of mailsetup's own.
func (db *DB) lookup(d string) (*Config, bool) {
	d = strings.ToLower(d)
	c := db.byDomain[d]
	if l := db.lazy[c]; l != nil {
		return l.config(d), true
	}
	return c, false
}

// LookupMX returns the provider whose MX pattern matches host, or nil.
func (db *DB) LookupMX(host string) *Config {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, p := range db.mx {
		if suffix, ok := strings.CutPrefix(p.pattern, "*"); ok {
			if strings.HasSuffix(host, suffix) && len(host) > len(suffix) {
				return p.cfg
			}
		} else if host == p.pattern {
			return p.cfg
		}
	}
	return nil
}

// Providers returns the number of providers and of domains.
func (db *DB) Providers() (providers, domains int) { return len(db.providers), len(db.byDomain) }

// NeedsAppPassword reports whether host is the server name of a provider
// whose notes say it needs an app password (NoteAppPassword): the probe
// then says so when such a server rejects a login.
func (db *DB) NeedsAppPassword(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, c := range db.providers {
		if !slices.ContainsFunc(c.Notes, func(n Note) bool { return n.Kind == NoteAppPassword }) {
			continue
		}
		for _, s := range slices.Concat(c.Incoming, c.Outgoing) {
			if strings.ToLower(s.Host) == host {
				return true
			}
		}
	}
	return false
}
