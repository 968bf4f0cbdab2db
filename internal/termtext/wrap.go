package termtext

// Word wrapping for human output on a terminal.
//
// Hand-rolled because no kept library does the job: mailsetup's module
// graph has none (golang.org/x/term only measures the terminal), and the
// small maintained ones (mitchellh/go-wordwrap, muesli/reflow) either
// count bytes or runes instead of terminal columns, count colour escapes
// as text, or do not keep a line's indentation on the lines it wraps onto.
// The column width of text comes from github.com/rivo/uniseg (already in
// the module graph), so accented letters written with combining marks,
// Lithuanian and Romanian diacritics and East Asian wide characters are
// measured as a terminal draws them.

import (
	"bytes"
	"io"
	"strings"

	"github.com/rivo/uniseg"
)

// Width returns the number of terminal columns s takes: grapheme clusters
// measured by their display width, ANSI CSI sequences (colours) counted as
// nothing.
func Width(s string) int {
	if !strings.Contains(s, "\x1b") {
		return uniseg.StringWidth(s)
	}
	return uniseg.StringWidth(stripCSI(s))
}

// stripCSI removes the ANSI CSI sequences (ESC '[' parameters, final byte
// 0x40–0x7E) from s.
func stripCSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j // skip the final byte too
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Wrap breaks every line of s that is wider than width columns at spaces,
// so no word is cut. The lines a line wraps onto are indented to its
// hanging column: where its text resumes after the first gap of two or
// more spaces (a label column, a padded "[ok]" mark) when that is in the
// left half, else after a leading "[...]" mark, else its own indentation.
// A word wider than the room left stays whole on a line of its own, so
// paths and addresses can still be copied. Lines that fit, and all text
// when width is 0 or less, are returned as they are (their inner spacing
// included).
func Wrap(s string, width int) string {
	if width <= 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = wrapLine(l, width)
	}
	return strings.Join(lines, "\n")
}

func wrapLine(line string, width int) string {
	if Width(line) <= width {
		return line
	}
	body := strings.TrimLeft(line, " ")
	indent := line[:len(line)-len(body)]
	hang := strings.Repeat(" ", hangColumn(line, width))
	if Width(hang) >= width/2+1 {
		hang = indent
	}
	var b strings.Builder
	b.WriteString(indent)
	col := Width(indent)
	first := true // nothing yet on the current output line
	for rest := body; rest != ""; {
		// The next word and the spaces before it, kept as they are while
		// the word stays on the same line (inner alignment survives).
		sep := rest[:len(rest)-len(strings.TrimLeft(rest, " "))]
		rest = rest[len(sep):]
		if rest == "" {
			break
		}
		end := strings.IndexByte(rest, ' ')
		if end < 0 {
			end = len(rest)
		}
		w := rest[:end]
		rest = rest[end:]
		ww := Width(w)
		switch {
		case first:
		case col+len(sep)+ww <= width:
			b.WriteString(sep)
			col += len(sep)
		default:
			b.WriteByte('\n')
			b.WriteString(hang)
			col = Width(hang)
		}
		b.WriteString(w)
		col += ww
		first = false
	}
	return b.String()
}

// hangColumn is the column the wrapped part of line starts at (see Wrap).
func hangColumn(line string, width int) int {
	plain := stripCSI(line)
	body := strings.TrimLeft(plain, " ")
	lead := len(plain) - len(body)
	// A label column: text, then two or more spaces, then text.
	if k := strings.Index(body, "  "); k > 0 {
		rest := strings.TrimLeft(body[k:], " ")
		if rest != "" {
			if c := Width(plain[:len(plain)-len(rest)]); c <= width/2 {
				return c
			}
		}
	}
	// A mark such as "[FAIL]" followed by one space.
	if strings.HasPrefix(body, "[") {
		if k := strings.Index(body, "] "); k > 0 && !strings.Contains(body[:k], " ") {
			return lead + Width(body[:k+2])
		}
	}
	return lead
}

// WrapWriter wraps what is written through it to a width (see Wrap). It
// writes each line once its newline arrives; Flush writes the rest.
type WrapWriter struct {
	w     io.Writer
	width int
	buf   []byte
}

// NewWrapWriter returns a writer that wraps lines to width columns before
// writing them to w; with width 0 or less it writes everything through
// unchanged.
func NewWrapWriter(w io.Writer, width int) *WrapWriter {
	return &WrapWriter{w: w, width: width}
}

// Write wraps and writes every complete line in p and keeps the rest for
// the next Write or Flush. It reports len(p) when the lines were written.
func (ww *WrapWriter) Write(p []byte) (int, error) {
	if ww.width <= 0 {
		return ww.w.Write(p)
	}
	ww.buf = append(ww.buf, p...)
	k := bytes.LastIndexByte(ww.buf, '\n')
	if k < 0 {
		return len(p), nil
	}
	out := Wrap(string(ww.buf[:k+1]), ww.width)
	ww.buf = append(ww.buf[:0], ww.buf[k+1:]...)
	if _, err := io.WriteString(ww.w, out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush wraps and writes what is left of a last line without a newline.
func (ww *WrapWriter) Flush() error {
	if len(ww.buf) == 0 {
		return nil
	}
	out := Wrap(string(ww.buf), ww.width)
	ww.buf = ww.buf[:0]
	_, err := io.WriteString(ww.w, out)
	return err
}
