package templates

import (
	"bytes"
	"testing"

	"github.com/mailsetup/mailsetup/internal/i18n"
)

// BenchmarkSheet measures executing the sheet's two templates (HTML and
// Markdown) for one prepared sheetData: the QR code, the catalogue
// messages and the rest of newSheetData are not measured.
func BenchmarkSheet(b *testing.B) {
	for _, f := range []fixture{fixtures()[0], fixtures()[1]} {
		d := newSheetData(f.acct.Expand(), i18n.EN)
		l := sheetLangFor(i18n.EN)
		b.Run("templates/"+f.name, func(b *testing.B) {
			b.ReportAllocs()
			var h, m bytes.Buffer
			for b.Loop() {
				h.Reset()
				m.Reset()
				if err := l.html.Execute(&h, d); err != nil {
					b.Fatal(err)
				}
				if err := l.md.Execute(&m, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSheetData measures newSheetData for one account, in English
// and Romanian; its QR code comes from QRPNG's cache after the first
// round.
func BenchmarkSheetData(b *testing.B) {
	a := fixtures()[1].acct.Expand()
	for _, l := range []i18n.Lang{i18n.EN, i18n.RO} {
		b.Run(string(l), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				newSheetData(a, l)
			}
		})
	}
}

// BenchmarkRenderSheet is the whole "sheet" format through Render, with
// the QR code cached.
func BenchmarkRenderSheet(b *testing.B) {
	a := fixtures()[1].acct
	for _, l := range []i18n.Lang{i18n.EN, i18n.LT} {
		b.Run(string(l), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Render("sheet", a, Options{Lang: l}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
