//go:build !windows

package cmd

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	expect "github.com/Netflix/go-expect"
	"github.com/hinshun/vt10x"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/termtext"
)

// narrow makes the terminal width columns wide.
func narrow(width int) func(*Factory) {
	return func(f *Factory) { f.IOStreams.SetTerminalWidth(width) }
}

// colourTerminal turns colour on, as iostreams.System does on a colour
// terminal, with env as the environment.
func colourTerminal(env map[string]string) func(*Factory) {
	return func(f *Factory) {
		f.IOStreams.SetColorEnabled(true)
		f.Getenv = func(k string) string { return env[k] }
	}
}

// TestPTYWrapsAtWordBoundaries: on a 50-column terminal the wizard's long
// Romanian lines are broken between words (a terminal would cut them
// mid-word, "dispozitiv\nele").
func TestPTYWrapsAtWordBoundaries(t *testing.T) {
	ro := i18n.New(i18n.RO)
	text := ro.T("explain.imap-vs-pop3.short")
	if termtext.Width(text) <= 50 {
		t.Fatalf("%q fits in 50 columns: nothing to wrap", text)
	}
	lines := strings.Split(termtext.Wrap(text, 50), "\n")
	n := autoconfigNet(t, "imap.example.test")
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRun(t, n, append([]string{"--lang", "ro"}, append(setupArgs, "jane@example.test", "--name", "Ion", "-o", dir, "--export", "json")...), func(c *expect.Console) {
		step(t, c, ro.T("wizard.q.use-discovered"), keyEnter)
		// The terminal turns each newline into CR LF.
		step(t, c, strings.Join(lines[:2], "\r\n"), "")
		step(t, c, strings.Join(strings.Fields(ro.T("wizard.q.multi-device"))[:3], " "), keyEnter)
		step(t, c, ro.T("wizard.q.protocol"), keyEnter)
		step(t, c, strings.Fields(ro.T("wizard.q.password", "jane@example.test"))[0], keyEnter)
		step(t, c, ro.T("wizard.o.write"), keyEnter) // the review
		step(t, c, strings.Split(ro.T("wizard.summary", "x"), " ")[0], "")
	}, narrow(50))
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
}

// TestPTYQuestionWrapsAtWordBoundaries: on a 50-column terminal survey's
// question line (the Romanian question and its hint) is broken between
// words, not cut mid-word at the edge, and answering it redraws it as one
// intact answered question with no stray lines left behind.
func TestPTYQuestionWrapsAtWordBoundaries(t *testing.T) {
	ro := i18n.New(i18n.RO)
	q := ro.T("wizard.q.multi-device")
	hint := "[" + ro.T("prompt.select-hint") + ", ?" + ro.T("prompt.more-help") + "]"
	if termtext.Width("? "+q) <= 50 || termtext.Width(hint) <= 50 {
		t.Fatalf("%q or %q fits in 50 columns: nothing to wrap", q, hint)
	}
	// flat is the screen's text with each run of spaces and line ends made
	// one space: a word cut at the edge shows as two.
	flat := func(term vt10x.Terminal) string { return strings.Join(strings.Fields(term.String()), " ") }
	words := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	lastWord := func(s string) string { f := strings.Fields(s); return f[len(f)-1] }
	n := autoconfigNet(t, "imap.example.test")
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRunTerm(t, n, append([]string{"--lang", "ro"}, append(setupArgs, "jane@example.test", "--name", "Ion", "-o", dir, "--export", "json")...), nil, 50, func(c *expect.Console, term vt10x.Terminal) {
		step(t, c, ro.T("wizard.q.use-discovered"), keyEnter)
		step(t, c, lastWord(q), "")
		step(t, c, lastWord(hint), "")
		screen := flat(term)
		for _, want := range []string{"? " + q, hint} {
			if !strings.Contains(screen, words(want)) {
				t.Errorf("the screen does not show %q whole (a word cut at the edge?):\n%s", want, term.String())
			}
		}
		step(t, c, "", keyEnter)
		step(t, c, strings.Fields(ro.T("wizard.q.protocol"))[0], "")
		step(t, c, lastWord(hint), "") // the next question drawn whole
		screen = flat(term)
		if want := words("? " + q + " " + ro.T("wizard.o.yes")); !strings.Contains(screen, want) {
			t.Errorf("the answered question %q is not on the screen whole:\n%s", want, term.String())
		}
		if k := strings.Count(screen, words(q)); k != 1 {
			t.Errorf("the question is on the screen %d times, want 1:\n%s", k, term.String())
		}
		if k := strings.Count(screen, words(hint)); k != 1 {
			t.Errorf("the hint is on the screen %d times, want 1 (the next question's):\n%s", k, term.String())
		}
		step(t, c, "", keyEnter) // the protocol
		step(t, c, strings.Fields(ro.T("wizard.q.password", "jane@example.test"))[0], keyEnter)
		step(t, c, ro.T("wizard.o.write"), keyEnter) // the review
		step(t, c, strings.Split(ro.T("wizard.summary", "x"), " ")[0], "")
	})
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
}

// TestPTYCheckMarksColoured: on a colour terminal the live check's marks
// are green or red as in probe; with NO_COLOR they are plain.
func TestPTYCheckMarksColoured(t *testing.T) {
	// The mark, its colour sequences if any, and the space after it.
	markRE := regexp.MustCompile(`(\x1b\[[0-9;]*m)?\[ok\](\x1b\[0m)? `)
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{nil, "\x1b[32m[ok]\x1b[0m"},
		{map[string]string{"NO_COLOR": "1"}, "[ok]"},
	} {
		n := autoconfigNet(t, "imap.example.test")
		dir := filepath.Join(t.TempDir(), "out")
		code := ptyRun(t, n, append(setupArgs, "jane@example.test", "--name", "Jane", "--incoming", "imap", "-o", dir, "--export", "json"), func(c *expect.Console) {
			step(t, c, "Use these settings?", keyEnter)
			step(t, c, "Password for", mailtest.DefaultPassword+keyEnter)
			got, err := c.Expect(expect.Regexp(markRE))
			if err != nil {
				t.Errorf("no [ok] mark: %v", err)
				c.Tty().Close()
				return
			}
			if mark := strings.TrimSuffix(markRE.FindString(got), " "); mark != tc.want {
				t.Errorf("NO_COLOR=%q: mark %q, want %q", tc.env["NO_COLOR"], mark, tc.want)
			}
			step(t, c, "Put the password", "n"+keyEnter)
			step(t, c, "Write the files", keyEnter) // the review
			step(t, c, "Done.", "")
		}, colourTerminal(tc.env))
		if code != ExitOK {
			t.Fatalf("exit %d", code)
		}
	}
}

// TestPTYEndScreen: the end screen lists the setup sheet first, then one
// line per device, each with the absolute path of its file, although the
// folder was given relative.
func TestPTYEndScreen(t *testing.T) {
	tmp := t.TempDir()
	t.Chdir(tmp)
	abs, err := filepath.Abs("out")
	if err != nil {
		t.Fatal(err)
	}
	en := i18n.New(i18n.EN)
	n := autoconfigNet(t, "imap.example.test")
	code := ptyRun(t, n, append(setupArgs, "jane@example.test", "--name", "Jane", "--incoming", "imap", "-o", "out"), func(c *expect.Console) {
		step(t, c, "Use these settings?", keyEnter)
		step(t, c, "Password for", keyEnter)
		step(t, c, "Which devices", keyEnter)   // the defaults: every device
		step(t, c, "Write the files", keyEnter) // the review
		step(t, c, en.T("wizard.files", 9), "")
		// In this order: Expect reads on from where the last match ended.
		for _, w := range []struct{ label, file string }{
			{"wizard.device.sheet", "setup-sheet.html"},
			{"wizard.device.apple", "jane@example.test.mobileconfig"},
			{"wizard.device.thunderbird", "config-v1.1.xml"},
			{"wizard.device.outlook", ""},
			{"wizard.device.android", "jane@example.test.k9s"},
		} {
			step(t, c, en.T(w.label), "")
			step(t, c, abs+string(filepath.Separator)+w.file, "")
		}
		// Its first words: the line is wrapped at the terminal's 80 columns.
		step(t, c, strings.Join(strings.Fields(en.T("wizard.next-sheet"))[:4], " "), "")
	})
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, name := range []string{"config-v1.1-domain.xml", "outlook.prf"} {
		if _, err := os.Stat(filepath.Join(abs, name)); err == nil {
			t.Errorf("%s written without being asked for", name)
		}
	}
}

// TestPTYQuitExits130: choosing Quit after a failed check exits 130, as
// Ctrl-C does, and writes nothing.
func TestPTYQuitExits130(t *testing.T) {
	n := autoconfigNet(t, "mail.example.test")
	n.SetCertKind("mail.example.test", mailtest.CertWrongName)
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRun(t, n, append(setupArgs, "jane@example.test", "--name", "Jane", "--incoming", "imap", "-o", dir, "--export", "json"), func(c *expect.Console) {
		step(t, c, "Use these settings?", keyEnter)
		step(t, c, "Password for", keyEnter)
		step(t, c, "The check failed", keyDown+keyDown+keyDown+keyEnter) // Quit
	})
	if code != ExitCancelled {
		t.Errorf("exit %d, want %d", code, ExitCancelled)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("Quit left an output folder behind")
	}
}

// TestPTYHelpWrapped: the help shown for "?" is wrapped at spaces to the
// terminal's width.
func TestPTYHelpWrapped(t *testing.T) {
	help := i18n.New(i18n.EN).T("explain.imap-vs-pop3.long")
	lines := strings.Split(termtext.Wrap(help, 58), "\n")
	if len(lines) < 2 || strings.Contains(help[:len(lines[0])+1], "\n") {
		t.Fatalf("the help's first line is not wider than 58 columns:\n%s", help)
	}
	n := autoconfigNet(t, "imap.example.test")
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRun(t, n, append(setupArgs, "jane@example.test", "--name", "Jane", "-o", dir, "--export", "json", "--no-verify"), func(c *expect.Console) {
		step(t, c, "Use these settings?", keyEnter)
		step(t, c, "more than one device", "?"+keyEnter)
		step(t, c, lines[0]+"\r\n"+lines[1], "y"+keyEnter)
		step(t, c, "Incoming mail protocol", keyEnter)
		step(t, c, "Write the files", keyEnter) // the review
		step(t, c, "Done.", "")
	}, narrow(60))
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
}
