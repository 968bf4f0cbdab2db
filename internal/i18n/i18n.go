// Package i18n is mailsetup's message catalogue: every question, help text,
// message and explanation the wizard and `mailsetup explain` show, in
// English, Romanian and Lithuanian. A test fails when a key is missing in
// any language.
package i18n

import (
	"fmt"
	"strings"
)

// Lang is a supported language code.
type Lang string

// Supported languages.
const (
	EN Lang = "en"
	RO Lang = "ro"
	LT Lang = "lt"
)

// Supported lists every language, English first.
var Supported = []Lang{EN, RO, LT}

// catalogs maps each language to its messages. Each file adds a part of
// one language's messages with add, from init.
var catalogs = map[Lang]map[string]string{}

// add merges messages into language l; a key defined twice panics.
func add(l Lang, msgs map[string]string) {
	if catalogs[l] == nil {
		catalogs[l] = map[string]string{}
	}
	for k, v := range msgs {
		if _, dup := catalogs[l][k]; dup {
			panic("i18n: key defined twice: " + string(l) + " " + k)
		}
		catalogs[l][k] = v
	}
}

// Parse returns the language for a code such as "ro", "ro_RO.UTF-8" or
// "lt-LT", and whether it is supported.
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "_-.@"); i >= 0 {
		s = s[:i]
	}
	for _, l := range Supported {
		if string(l) == s {
			return l, true
		}
	}
	return EN, false
}

// Detect chooses the language: the --lang value when given, else the first
// of LC_ALL, LC_MESSAGES and LANG that is set (as POSIX orders them), else
// English. An unsupported locale falls back to English.
func Detect(flag string, getenv func(string) string) Lang {
	if flag != "" {
		l, _ := Parse(flag)
		return l
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if val := getenv(v); val != "" {
			l, _ := Parse(val)
			return l
		}
	}
	return EN
}

// Catalog gives the messages of one language.
type Catalog struct{ lang Lang }

// New returns the catalogue for l.
func New(l Lang) *Catalog { return &Catalog{lang: l} }

// Lang returns the catalogue's language.
func (c *Catalog) Lang() Lang { return c.lang }

// T returns the message for key, formatted with args like fmt.Sprintf. A
// key missing in the language falls back to English; a key missing
// everywhere is returned as is, so it shows up (and tests catch it).
func (c *Catalog) T(key string, args ...any) string {
	msg, ok := catalogs[c.lang][key]
	if !ok {
		msg, ok = catalogs[EN][key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has reports whether key exists in English.
func Has(key string) bool {
	_, ok := catalogs[EN][key]
	return ok
}

// Keys returns the English keys.
func Keys() []string {
	out := make([]string, 0, len(catalogs[EN]))
	for k := range catalogs[EN] {
		out = append(out, k)
	}
	return out
}
