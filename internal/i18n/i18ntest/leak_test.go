package i18ntest

import (
	"reflect"
	"testing"
)

func TestLeaks(t *testing.T) {
	english := map[string]string{"k": "Copy the file to %s, then open it in Outlook for Mac."}
	tests := []struct {
		text string
		want []string
	}{
		{"Copiați fișierul în /tmp, apoi deschideți-l în Outlook pentru Mac.", nil},
		{"Copiați fișierul în /tmp, then open it în Outlook.", []string{"k: then open it"}},
		{"Copy the file to /tmp", []string{"k: copy the file", "k: the file to"}},
		// Quoted menu names and product names are not leaks.
		{"Deschideți „Copy the file” în Outlook", nil},
	}
	for _, tt := range tests {
		if got := Leaks(tt.text, english); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Leaks(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	if got := Uncovered("Copy the file to x, then open it in Outlook for Mac.", english); len(got) != 0 {
		t.Errorf("Uncovered = %v", got)
	}
	if got := Uncovered("something else", english); !reflect.DeepEqual(got, []string{"k"}) {
		t.Errorf("Uncovered = %v", got)
	}
}
