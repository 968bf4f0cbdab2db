package autoconfig

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
)

// DB is a provider database: autoconfig documents indexed by mail domain
// and by MX host pattern.
type DB struct {
	providers []*Config
	byDomain  map[string]*Config
	mx        []mxPattern
}

type mxPattern struct {
	pattern string // "*.google.com" or an exact host
	cfg     *Config
}

// ISPDBDir is the folder of a provider database that holds a copy of
// Thunderbird's ISP database (one autoconfig document per file, as the
// ISPDB publishes them).
const ISPDBDir = "ispdb"

// LoadDB reads a provider database: first mailsetup's own documents
// (every *.xml at the root of fsys, with mailsetup's notes and MX
// patterns: the <mailsetup> block, which only they may carry), then the
// ISPDB copy (ISPDBDir/*.xml, parsed as documents from the network), whose
// documents answer only the domains no own document lists. A domain listed
// by two own documents, or by two ISPDB documents, or a note URL that is
// not https, is an error; a document listing a domain twice is not.
func LoadDB(fsys fs.FS) (*DB, error) {
	db := &DB{byDomain: map[string]*Config{}}
	if err := db.load(fsys, ".", parseBuiltinConfig, ""); err != nil {
		return nil, err
	}
	if err := db.load(fsys, ISPDBDir, ParseConfig, ISPDBDir+"/"); err != nil {
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

// load reads the *.xml documents of dir in name order with parse. Own
// documents (idPrefix "") take the file name as their ID when they have
// none; ISPDB documents are named idPrefix + file name, so the trail says
// where an answer came from. A document of a later load keeps only the
// domains no earlier load listed, and is left out when none remain.
func (db *DB) load(fsys fs.FS, dir string, parse func([]byte) (*Config, error), idPrefix string) error {
	names, err := fs.Glob(fsys, path.Join(dir, "*.xml"))
	if err != nil {
		return err
	}
	sort.Strings(names)
	earlier := maps.Clone(db.byDomain)
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return err
		}
		c, err := parse(data)
		if err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
		if base := strings.TrimSuffix(path.Base(n), ".xml"); idPrefix != "" || c.ID == "" {
			c.ID = idPrefix + base
		}
		var domains []string
		for _, d := range c.Domains {
			if earlier[d] != nil || slices.Contains(domains, d) {
				continue
			}
			if other, dup := db.byDomain[d]; dup {
				return fmt.Errorf("%s: domain %s is also in %s", n, d, other.ID)
			}
			domains = append(domains, d)
		}
		if len(domains) == 0 && len(c.Domains) > 0 {
			continue
		}
		c.Domains = domains
		db.providers = append(db.providers, c)
		for _, d := range domains {
			db.byDomain[d] = c
		}
		for _, p := range c.MX {
			db.mx = append(db.mx, mxPattern{pattern: strings.ToLower(strings.TrimSuffix(p, ".")), cfg: c})
		}
	}
	return nil
}

// Lookup returns the provider serving mail domain d, or nil.
func (db *DB) Lookup(d string) *Config { return db.byDomain[strings.ToLower(d)] }

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
