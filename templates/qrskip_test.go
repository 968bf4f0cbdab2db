package templates

import (
	"strings"
	"testing"
)

// TestQRTooLongSkipsOnlyTheQRCode: a display name of 3 KB makes the
// settings too long for a QR code; every format is still written, only
// the Android QR image and the setup sheet's code are left out, each
// with a qr.too-long warning, and the other files are complete.
func TestQRTooLongSkipsOnlyTheQRCode(t *testing.T) {
	a := fixtures()[0].acct
	a.DisplayName = strings.Repeat("Jürgen Müller ", 3000/len("Jürgen Müller "))
	for _, format := range Formats() {
		files, warnings, err := RenderWarn(format, a, Options{})
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		switch format {
		case "android":
			if len(files) != 1 || !strings.HasSuffix(files[0].Name, ".k9s") {
				t.Errorf("android wrote %d files (%v), want the .k9s only", len(files), names(files))
			}
		case "sheet":
			if len(files) != 2 {
				t.Fatalf("sheet wrote %d files", len(files))
			}
			html := string(files[0].Data)
			if strings.Contains(html, "data:image/png") || !strings.Contains(html, "No QR code: the settings are too long for one") {
				t.Error("the setup sheet has a QR code or does not say why not")
			}
			if !strings.Contains(html, "Jürgen Müller Jürgen") {
				t.Error("the setup sheet lacks the display name")
			}
		default:
			if len(warnings) != 0 {
				t.Errorf("%s: warnings %v", format, warnings)
			}
			continue
		}
		if len(warnings) != 1 || warnings[0].Code != "qr.too-long" || !strings.Contains(warnings[0].Message, "the other files were written") ||
			!strings.Contains(warnings[0].Message, "display name") {
			t.Errorf("%s: warnings %+v, want one qr.too-long", format, warnings)
		}
	}
	// A name that fits keeps the QR code and gives no warning.
	a.DisplayName = "Jürgen Müller"
	files, warnings, err := RenderWarn("android", a, Options{})
	if err != nil || len(files) != 2 || len(warnings) != 0 {
		t.Errorf("short name: %v, %v, %v", names(files), warnings, err)
	}
}

func names(files []File) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.Name
	}
	return out
}
