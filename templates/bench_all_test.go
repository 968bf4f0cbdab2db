package templates

import (
	"fmt"
	"testing"

	"github.com/mailsetup/mailsetup/account"
)

// BenchmarkExportAllFormats renders every format (apple, thunderbird,
// outlook, android, sheet, json) for one IMAP account: the work of
// `mailsetup export --format all` minus the file writes.
func BenchmarkExportAllFormats(b *testing.B) {
	a := fixtures()[0].acct
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		// A new address each time, as in bulk: no cached QR code helps
		// across accounts.
		i++
		a.Email = account.MustParseAddress(fmt.Sprintf("user%d@example.com", i))
		for _, f := range Formats() {
			if _, err := Render(f, a, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
