package bulk

import "testing"

// TestRowKeyValues: row keys are the FNV-1a hash of every column's value
// followed by a NUL, in Columns order; the values below were computed by
// the hand-written FNV-1a that hash/fnv replaced, so the keys did not
// change. Values that only move a byte from one column to the next give
// another key.
func TestRowKeyValues(t *testing.T) {
	for _, tc := range []struct {
		fields map[string]field
		want   uint64
	}{
		{map[string]field{}, 0xc885ccdc03990c97},
		{map[string]field{"email": {value: "jane@example.com"}}, 0xdebd0b47f985ce04},
		{map[string]field{"email": {value: "jane@example.com"}, "name": {value: "Jane Doe"}, "password": {value: "s3cret"},
			"imap": {value: "imap.example.com:993"}, "smtp_security": {value: "starttls"}}, 0x6d09945313037024},
		{map[string]field{"email": {value: "ö@bücher.test"}, "username": {value: "x\x00y"}}, 0xbc77a67cec57976c},
	} {
		if got := rowKey(tc.fields); got != tc.want {
			t.Errorf("rowKey(%v) = %#x, want %#x", tc.fields, got, tc.want)
		}
	}
	a := rowKey(map[string]field{"email": {value: "ab"}, "name": {value: ""}})
	b := rowKey(map[string]field{"email": {value: "a"}, "name": {value: "b"}})
	if a == b {
		t.Errorf("a value moved between columns kept the key %#x", a)
	}
}
