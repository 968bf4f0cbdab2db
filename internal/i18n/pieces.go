package i18n

import (
	"regexp"
	"strconv"
)

// VerbRE matches a format verb in a catalogue message: %s, %d, %v, %q,
// with flags, width and precision, an explicit argument index (%[2]s), and
// the literal %%. Tests and Pieces share it.
var VerbRE = regexp.MustCompile(`%[-+# 0]*(\[[0-9]+\])?[0-9]*(\.[0-9]+)?[a-zA-Z%]`)

// Piece is one part of a message split at its format verbs: literal text,
// or the argument a verb stands for.
type Piece struct {
	// Text is the literal text when Arg is negative.
	Text string
	// Arg is the 0-based index of the argument the verb stands for, or -1.
	Arg int
}

// Pieces splits msg at its format verbs, so that a caller can put each
// argument into its own markup (the setup sheet shows menu names in bold
// and values as code) in the order the language's message puts them: a
// verb with an index (%[2]s) names its argument, another takes the one
// after the previous verb's, as in fmt. "%%" is a literal "%". Adjacent
// text is joined; empty text is left out.
func Pieces(msg string) []Piece {
	var out []Piece
	text := func(s string) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Arg < 0 {
			out[n-1].Text += s
			return
		}
		out = append(out, Piece{Text: s, Arg: -1})
	}
	last, next := 0, 0
	for _, m := range VerbRE.FindAllStringSubmatchIndex(msg, -1) {
		text(msg[last:m[0]])
		last = m[1]
		if msg[m[1]-1] == '%' {
			text("%")
			continue
		}
		if m[2] >= 0 {
			n, _ := strconv.Atoi(msg[m[2]+1 : m[3]-1])
			next = n - 1
		}
		out = append(out, Piece{Arg: next})
		next++
	}
	text(msg[last:])
	return out
}
