package templates

import "testing"

func TestFixturesValid(t *testing.T) {
	for _, f := range fixtures() {
		if err := f.acct.Expand().Validate(); err != nil {
			t.Errorf("%s: %v", f.name, err)
		}
	}
}
