//go:build unix

package templates

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/internal/i18n"
)

// TestSheetInChromium opens the setup sheet in a real browser: it is
// skipped unless chromium is on PATH (CI installs it with apt-get).
func TestSheetInChromium(t *testing.T) {
	bin := requireTool(t, "chromium")
	// One fixture keeps the test to a few seconds: the IDN one, whose
	// Unicode names and punycode hosts the browser must both show.
	for _, f := range []fixture{fixtures()[2]} {
		t.Run(f.name, func(t *testing.T) {
			a := f.acct.Expand()
			h, _ := sheetFiles(t, f.acct, Options{})
			dir := t.TempDir()
			page := filepath.Join(dir, "setup-sheet.html")
			if err := os.WriteFile(page, h.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			url := "file://" + page

			dom := runChromium(t, bin, dir, "--dump-dom", url)
			for _, want := range []string{a.Email.Display(), a.DisplayName, a.Incoming.Host, a.Outgoing.Host, ">" + strconv.Itoa(a.Incoming.Port) + "<",
				">" + strconv.Itoa(a.Outgoing.Port) + "<", "data:image/png;base64,"} {
				if !strings.Contains(dom, want) {
					t.Errorf("the DOM chromium built lacks %q", want)
				}
			}

			shot := filepath.Join(dir, "shot.png")
			runChromium(t, bin, dir, "--screenshot="+shot, "--window-size=1000,1400", url)
			data, err := os.ReadFile(shot)
			if err != nil {
				t.Fatalf("no screenshot: %v", err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			b := img.Bounds()
			dark, ink := 0, 0
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					r, g, bl, _ := img.At(x, y).RGBA()
					if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
						ink++
					}
					if r < 0x4000 && g < 0x4000 && bl < 0x4000 {
						dark++
					}
				}
			}
			total := b.Dx() * b.Dy()
			t.Logf("screenshot %dx%d: %d non-white pixels (%.1f%%), %d dark", b.Dx(), b.Dy(), ink, 100*float64(ink)/float64(total), dark)
			if b.Dx() != 1000 || b.Dy() != 1400 {
				t.Errorf("screenshot is %dx%d, want 1000x1400", b.Dx(), b.Dy())
			}
			// Text, the table and the QR code make a few percent of the page dark.
			if ink < total/50 || dark < total/100 {
				t.Errorf("the screenshot looks blank: %d non-white, %d dark of %d pixels", ink, dark, total)
			}
			// The browser drew the QR code well enough to scan.
			want, err := AndroidQRPayload([]QRAccount{{Account: f.acct}})
			if err != nil {
				t.Fatal(err)
			}
			if text, _, _ := decodeQR(t, img); text != string(want) {
				t.Errorf("QR code in the screenshot reads %q, want %q", text, want)
			}
		})
	}
}

// TestSheetInChromiumLithuanian checks that a browser reads the
// Lithuanian sheet as Lithuanian text: the lang attribute and the words
// with their diacritics survive into the DOM it builds.
func TestSheetInChromiumLithuanian(t *testing.T) {
	bin := requireTool(t, "chromium")
	f := fixtures()[1] // POP3: the leave-on-server section too
	h, _ := sheetFiles(t, f.acct, Options{Lang: i18n.LT})
	dir := t.TempDir()
	page := filepath.Join(dir, "setup-sheet.html")
	if err := os.WriteFile(page, h.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	dom := runChromium(t, bin, dir, "--dump-dom", "file://"+page)
	for _, want := range []string{`<html lang="lt">`, "Žingsnis po žingsnio", "Ištrinti juos iš serverio po 14 dienų.", "„Settings“",
		"<code>pop.example.org</code>"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the DOM chromium built lacks %q", want)
		}
	}
}

// runChromium runs headless chromium with a private profile and no
// network features, bounded by a timeout, and returns its stdout.
func runChromium(t *testing.T, bin, dir string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	profile, err := os.MkdirTemp(dir, "profile")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, bin, append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile,
	}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	// Chromium starts helper processes that inherit stdout: kill the whole
	// process group on timeout and stop waiting for the pipes soon after.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	t.Logf("chromium %s: %v", args[0], time.Since(start).Round(time.Millisecond))
	if ctx.Err() != nil {
		t.Fatalf("chromium %s timed out:\n%s", args[0], tail(stderr.String()))
	}
	if err != nil {
		t.Fatalf("chromium %s: %v\n%s", args[0], err, tail(stderr.String()))
	}
	return stdout.String()
}

func tail(s string) string {
	if len(s) > 2000 {
		return "..." + s[len(s)-2000:]
	}
	return s
}
