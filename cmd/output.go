package cmd

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/termtext"
)

// writeJSON writes v as indented JSON followed by a newline: the one shape
// of every --json output.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// humanOut returns stdout for human text: wrapped at spaces to the
// terminal's width when stdout is a terminal, as it is otherwise. The
// caller flushes it.
func humanOut(ios *iostreams.IOStreams) *termtext.WrapWriter {
	width := 0
	if ios.IsStdoutTTY() {
		width = ios.TerminalWidth()
	}
	return termtext.NewWrapWriter(ios.Out, width)
}

// progress writes a line of progress text to w (stderr) unless quiet.
func progress(quiet bool, w io.Writer, line string) {
	if !quiet {
		fmt.Fprintln(w, line)
	}
}
