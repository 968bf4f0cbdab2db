package autoconfig

import (
	"fmt"
	"io/fs"
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

// LoadDB reads every *.xml document in fsys, with mailsetup's own notes
// and MX patterns (the <mailsetup> block, which only a provider database
// may carry). A domain listed by two documents, or a note URL that is not
// https, is an error.
func LoadDB(fsys fs.FS) (*DB, error) {
	names, err := fs.Glob(fsys, "*.xml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	db := &DB{byDomain: map[string]*Config{}}
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		c, err := parseBuiltinConfig(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		if c.ID == "" {
			c.ID = strings.TrimSuffix(path.Base(n), ".xml")
		}
		db.providers = append(db.providers, c)
		for _, d := range c.Domains {
			if other, dup := db.byDomain[d]; dup {
				return nil, fmt.Errorf("%s: domain %s is also in %s", n, d, other.ID)
			}
			db.byDomain[d] = c
		}
		for _, p := range c.MX {
			db.mx = append(db.mx, mxPattern{pattern: strings.ToLower(strings.TrimSuffix(p, ".")), cfg: c})
		}
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
