package templates

import "testing"

// BenchmarkExportAllFormats renders every format (apple, thunderbird,
// outlook, android, sheet, json) for one IMAP account: the work of
// `mailsetup export --format all` minus the file writes.
func BenchmarkExportAllFormats(b *testing.B) {
	a := fixtures()[0].acct
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range Formats() {
			if _, err := Render(f, a, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
