package termtext

import (
	"strconv"
	"unicode/utf8"
)

// MaxEcho is how many bytes of a value that came from outside (a flag, an
// argument, input, a server's reply) an error message repeats: enough to
// recognise it, too little to flood a terminal, a log or a ticket.
const MaxEcho = 200

// Clip returns s when it is at most n bytes long, and otherwise its first
// n bytes or fewer, cut at a character boundary, followed by
// "…(N bytes more)". The cut never splits a UTF-8 sequence, so valid UTF-8
// stays valid.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := max(n, 0)
	// Back up to the start of a character (at most utf8.UTFMax-1 bytes):
	// the byte at cut begins the first character that is left out.
	for i := 0; i < utf8.UTFMax-1 && cut > 0 && !utf8.RuneStart(s[cut]); i++ {
		cut--
	}
	more := len(s) - cut
	unit := " bytes more)"
	if more == 1 {
		unit = " byte more)"
	}
	return s[:cut] + "…(" + strconv.Itoa(more) + unit
}

// ClipEchoes clips the echoes in a message that quotes values from
// outside, as error messages do: each double-quoted part (as %q writes
// it) and each run of characters without a space longer than n bytes is
// shortened with Clip; mailsetup's own words, which are short, stay as
// they are. Use it where a whole message is printed and the echoes in it
// cannot be clipped one by one (errors from libraries quote their input
// whole).
func ClipEchoes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	out := make([]byte, 0, min(len(s), 4*n))
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '\n' || c == '\t':
			out = append(out, c)
			i++
		case c == '"':
			if end := quotedEnd(s, i); end > 0 {
				out = append(out, '"')
				out = append(out, Clip(s[i+1:end-1], n)...)
				out = append(out, '"')
				i = end
				continue
			}
			// An unpaired quote is part of a run.
			fallthrough
		default:
			j := i + 1
			for j < len(s) && s[j] != ' ' && s[j] != '\n' && s[j] != '\t' && s[j] != '"' {
				j++
			}
			out = append(out, Clip(s[i:j], n)...)
			i = j
		}
	}
	return string(out)
}

// quotedEnd returns the index just after the quote that closes the quoted
// string starting at s[start] (a '"'), skipping backslash escapes, or -1.
func quotedEnd(s string, start int) int {
	for i := start + 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}
