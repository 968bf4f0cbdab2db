package autoconfig

import (
	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// SourceName names a discovery source in cat's language.
func SourceName(cat *i18n.Catalog, s account.Source) string {
	if k := "discover.source." + string(s); i18n.Has(k) {
		return cat.T(k)
	}
	return string(s)
}

// TrustName names a trust level in cat's language.
func TrustName(cat *i18n.Catalog, t account.Trust) string {
	if k := "discover.trust." + string(t); i18n.Has(k) {
		return cat.T(k)
	}
	return string(t)
}

// In is a provider note in cat's language: the database's own words in
// English, and in another language the catalogue's sentence for its kind
// (the database's notes are English only).
func (n Note) In(cat *i18n.Catalog) string {
	if cat.Lang() == i18n.EN {
		return n.Text
	}
	k := "discover.note." + string(n.Kind)
	if !i18n.Has(k) || n.Kind == NoteInfo {
		k = "discover.note.info"
		if n.URL == "" {
			k = "discover.note.info-nourl"
		}
	}
	return cat.T(k)
}
