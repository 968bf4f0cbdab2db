package i18n

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestPieces(t *testing.T) {
	tests := []struct {
		msg  string
		want []Piece
	}{
		{"", nil},
		{"plain", []Piece{{"plain", -1}}},
		{"Open %s now", []Piece{{"Open ", -1}, {"", 0}, {" now", -1}}},
		{"%[2]s before %[1]s", []Piece{{"", 1}, {" before ", -1}, {"", 0}}},
		{"%s and %d, 100%% %v", []Piece{{"", 0}, {" and ", -1}, {"", 1}, {", 100% ", -1}, {"", 2}}},
		{"%[3]s then %s", []Piece{{"", 2}, {" then ", -1}, {"", 3}}},
	}
	for _, tt := range tests {
		if got := Pieces(tt.msg); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Pieces(%q) = %+v, want %+v", tt.msg, got, tt.want)
		}
	}
}

// TestPiecesMatchSprintf checks Pieces against fmt: putting the arguments
// back where the pieces say gives what Sprintf gives, for every message in
// the catalogue that uses only %s and %v.
func TestPiecesMatchSprintf(t *testing.T) {
	for _, l := range Supported {
		for k, msg := range catalogs[l] {
			simple := true
			for _, v := range VerbRE.FindAllString(msg, -1) {
				last := v[len(v)-1]
				if last == '%' {
					continue
				}
				if !strings.ContainsRune("sv", rune(last)) || strings.ContainsAny(v[1:len(v)-1], "-+# .0123456789") && !strings.HasPrefix(v, "%[") {
					simple = false
				}
			}
			if !simple {
				continue
			}
			args := make([]any, 0, 20)
			for i := range 20 {
				args = append(args, fmt.Sprintf("<%d>", i))
			}
			used := 0
			var b strings.Builder
			for _, p := range Pieces(msg) {
				if p.Arg < 0 {
					b.WriteString(p.Text)
				} else {
					b.WriteString(args[p.Arg].(string))
					used = max(used, p.Arg+1)
				}
			}
			want := fmt.Sprintf(msg, args[:used]...)
			if b.String() != want {
				t.Errorf("%s %s: pieces give %q, Sprintf %q", l, k, b.String(), want)
			}
		}
	}
}

func TestPlural(t *testing.T) {
	for _, tt := range []struct {
		l    Lang
		n    int
		want string
	}{
		{EN, 0, "other"}, {EN, 1, "one"}, {EN, 2, "other"}, {EN, 21, "other"},
		{RO, 0, "few"}, {RO, 1, "one"}, {RO, 2, "few"}, {RO, 19, "few"}, {RO, 20, "other"}, {RO, 101, "few"}, {RO, 120, "other"},
		{LT, 0, "other"}, {LT, 1, "one"}, {LT, 2, "few"}, {LT, 9, "few"}, {LT, 10, "other"}, {LT, 11, "other"}, {LT, 19, "other"},
		{LT, 21, "one"}, {LT, 22, "few"}, {LT, 111, "other"}, {LT, 101, "one"},
	} {
		if got := Plural(tt.l, tt.n); got != tt.want {
			t.Errorf("Plural(%s, %d) = %s, want %s", tt.l, tt.n, got, tt.want)
		}
	}
}
