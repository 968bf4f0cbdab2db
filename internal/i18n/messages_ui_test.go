package i18n

import (
	"strings"
	"testing"
)

// TestUIMessagesTranslated fails when a Romanian or Lithuanian message of
// the keys in messages_*_ui.go is the English text itself.
func TestUIMessagesTranslated(t *testing.T) {
	n := 0
	for k, en := range enUI {
		n++
		for _, l := range []Lang{RO, LT} {
			if msg := catalogs[l][k]; strings.TrimSpace(msg) == strings.TrimSpace(en) {
				t.Errorf("%s %q is the English text %q", l, k, en)
			}
		}
	}
	if n == 0 {
		t.Fatal("no ui messages")
	}
}
