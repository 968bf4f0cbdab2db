package templates

import (
	"testing"
)

// BenchmarkSheet compares writing the setup sheet (HTML and Markdown) with
// the old templates and with the direct writers, for one prepared
// sheetData: the QR code and the rest of newSheetData are not measured.
func BenchmarkSheet(b *testing.B) {
	for _, f := range []fixture{fixtures()[0], fixtures()[1]} {
		d := newSheetData(f.acct.Expand())
		b.Run("templates/"+f.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				h, m, err := renderSheetTemplates(d)
				if err != nil || len(h) == 0 || len(m) == 0 {
					b.Fatal(err)
				}
			}
		})
		b.Run("direct/"+f.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if h, m := renderSheetDirect(d); len(h) == 0 || len(m) == 0 {
					b.Fatal("empty sheet")
				}
			}
		})
	}
}

// BenchmarkSheetData measures newSheetData for one account; its QR code
// comes from QRPNG's cache after the first round.
func BenchmarkSheetData(b *testing.B) {
	a := fixtures()[1].acct.Expand()
	b.ReportAllocs()
	for b.Loop() {
		newSheetData(a)
	}
}

// BenchmarkSheetClients measures the step-by-step instructions alone.
func BenchmarkSheetClients(b *testing.B) {
	a := fixtures()[1].acct.Expand()
	d := newSheetData(a)
	b.ReportAllocs()
	for b.Loop() {
		sheetClients(a, d)
	}
}

// BenchmarkRenderSheet is the whole "sheet" format through Render, with
// the QR code cached.
func BenchmarkRenderSheet(b *testing.B) {
	a := fixtures()[1].acct
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render("sheet", a, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
