// Package iostreams owns a command's standard streams: whether each is a
// terminal, whether colour is on, and whether prompting is allowed. Every
// command writes through an IOStreams, so tests can run commands against
// buffers and choose what counts as a terminal.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"
)

// NoPromptEnv, when set to any non-empty value, forbids interactive prompts
// even on a terminal.
const NoPromptEnv = "MAILSETUP_NO_PROMPT"

// IOStreams bundles stdin, stdout and stderr with what is known about them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY, stdoutTTY, stderrTTY bool
	colorEnabled                   bool
	neverPrompt                    bool
	width                          func() int
}

// System returns streams for the process's real stdin, stdout and stderr,
// detecting terminals and honouring NO_COLOR, TERM=dumb and
// MAILSETUP_NO_PROMPT.
func System() *IOStreams {
	io := &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		stdinTTY:  isTerminal(os.Stdin),
		stdoutTTY: isTerminal(os.Stdout),
		stderrTTY: isTerminal(os.Stderr),
		width: func() int {
			if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 0 {
				return w
			}
			return 80
		},
	}
	io.colorEnabled = io.stdoutTTY && ColorAllowed(os.Getenv)
	io.neverPrompt = os.Getenv(NoPromptEnv) != ""
	return io
}

// ColorAllowed reports whether the environment permits colour: NO_COLOR
// (https://no-color.org) unset or empty, and TERM not "dumb".
func ColorAllowed(getenv func(string) string) bool {
	return getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// Test returns streams backed by buffers: stdin, stdout and stderr, in that
// order. No stream is a terminal and colour is off until set otherwise.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, width: func() int { return 80 }}, in, out, errOut
}

// IsStdinTTY reports whether stdin is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal; progress and spinners
// are shown only then.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// SetTTY sets which streams count as terminals (for tests).
func (s *IOStreams) SetTTY(stdin, stdout, stderr bool) {
	s.stdinTTY, s.stdoutTTY, s.stderrTTY = stdin, stdout, stderr
}

// CanPrompt reports whether the user can be asked questions: stdin and
// stdout are terminals and prompting was not switched off.
func (s *IOStreams) CanPrompt() bool {
	return s.stdinTTY && s.stdoutTTY && !s.neverPrompt
}

// SetNeverPrompt forbids (or allows again) interactive prompts.
func (s *IOStreams) SetNeverPrompt(v bool) { s.neverPrompt = v }

// ColorEnabled reports whether output to stdout may use ANSI colours.
func (s *IOStreams) ColorEnabled() bool { return s.colorEnabled }

// SetColorEnabled switches colour on or off, e.g. for --no-color.
func (s *IOStreams) SetColorEnabled(v bool) { s.colorEnabled = v }

// TerminalWidth returns stdout's width in columns, 80 when unknown.
func (s *IOStreams) TerminalWidth() int { return s.width() }

// SetTerminalWidth fixes the width TerminalWidth reports (for tests).
func (s *IOStreams) SetTerminalWidth(w int) { s.width = func() int { return w } }

// ColorScheme returns helpers that colour text when colour is enabled and
// return it unchanged otherwise.
func (s *IOStreams) ColorScheme() *ColorScheme { return &ColorScheme{enabled: s.colorEnabled} }

// ColorScheme applies ANSI styles when enabled.
type ColorScheme struct{ enabled bool }

func (c *ColorScheme) wrap(code, t string) string {
	if !c.enabled || t == "" {
		return t
	}
	return "\x1b[" + code + "m" + t + "\x1b[0m"
}

// Bold renders t in bold.
func (c *ColorScheme) Bold(t string) string { return c.wrap("1", t) }

// Red renders t in red (errors).
func (c *ColorScheme) Red(t string) string { return c.wrap("31", t) }

// Green renders t in green (success).
func (c *ColorScheme) Green(t string) string { return c.wrap("32", t) }

// Yellow renders t in yellow (warnings).
func (c *ColorScheme) Yellow(t string) string { return c.wrap("33", t) }

// Gray renders t dimmed (secondary detail).
func (c *ColorScheme) Gray(t string) string { return c.wrap("90", t) }
