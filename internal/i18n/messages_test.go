package i18n

import (
	"slices"
	"sort"
	"strings"
	"testing"
)

var verbRE = VerbRE

// TestEveryKeyInEveryLanguage fails when a language lacks a key, has a key
// English does not, or uses different format verbs than English.
func TestEveryKeyInEveryLanguage(t *testing.T) {
	if len(catalogs[EN]) == 0 {
		t.Fatal("the English catalogue is empty")
	}
	keys := Keys()
	sort.Strings(keys)
	for _, l := range Supported {
		for _, k := range keys {
			msg, ok := catalogs[l][k]
			if !ok || msg == "" {
				t.Errorf("%s: missing %q", l, k)
				continue
			}
			if got, want := verbRE.FindAllString(msg, -1), verbRE.FindAllString(catalogs[EN][k], -1); !equal(got, want) && !reordered(got, want) {
				t.Errorf("%s %q: format verbs %v, English has %v", l, k, got, want)
			}
		}
		for k := range catalogs[l] {
			if _, ok := catalogs[EN][k]; !ok {
				t.Errorf("%s: %q is not an English key", l, k)
			}
		}
	}
}

// reordered reports whether a and b are the same indexed verbs (%[2]s) in
// another order: a translation may put the arguments in its own order.
func reordered(a, b []string) bool {
	for _, v := range append(slices.Clone(a), b...) {
		if !strings.HasPrefix(v, "%[") {
			return false
		}
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return equal(slices.Compact(a), slices.Compact(b))
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDetect(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		flag string
		env  map[string]string
		want Lang
	}{
		{"", nil, EN},
		{"ro", map[string]string{"LANG": "lt_LT.UTF-8"}, RO},
		{"", map[string]string{"LANG": "lt_LT.UTF-8"}, LT},
		{"", map[string]string{"LC_ALL": "ro_RO.UTF-8", "LANG": "lt_LT.UTF-8"}, RO},
		{"", map[string]string{"LC_MESSAGES": "lt", "LANG": "ro_RO"}, LT},
		{"", map[string]string{"LANG": "de_DE.UTF-8"}, EN},
		{"", map[string]string{"LANG": "C"}, EN},
	}
	for _, tt := range tests {
		if got := Detect(tt.flag, env(tt.env)); got != tt.want {
			t.Errorf("Detect(%q, %v) = %s, want %s", tt.flag, tt.env, got, tt.want)
		}
	}
}
