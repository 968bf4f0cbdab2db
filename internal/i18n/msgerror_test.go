package i18n

import (
	"errors"
	"io"
	"testing"
)

// TestError: an error worded by the catalogue reads in English from
// Error, in any language from RenderIn, and wraps the last error argument
// (Error) or the given one (WrapError).
func TestError(t *testing.T) {
	err := Error("trace.connect.error", "imap.example.test:993", io.EOF)
	if got, want := err.Error(), New(EN).T("trace.connect.error", "imap.example.test:993", io.EOF); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, io.EOF) {
		t.Error("the error argument is not wrapped")
	}
	r, ok := err.(Renderer)
	if !ok {
		t.Fatal("not a Renderer")
	}
	if got, want := r.RenderIn(New(RO)), New(RO).T("trace.connect.error", "imap.example.test:993", io.EOF); got != want {
		t.Errorf("RenderIn(ro) = %q, want %q", got, want)
	}
	if w := WrapError(io.ErrUnexpectedEOF, "cli.cancelled"); !errors.Is(w, io.ErrUnexpectedEOF) || w.Error() != New(EN).T("cli.cancelled") {
		t.Errorf("WrapError = %q", w)
	}
}

// TestErrors: joined errors read "a; b", each in the run's language, and
// each stays visible to errors.Is.
func TestErrors(t *testing.T) {
	worded := Error("cli.cancelled")
	l := Errors{worded, io.EOF}
	if got, want := l.Error(), New(EN).T("cli.cancelled")+"; EOF"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := l.RenderIn(New(LT)), New(LT).T("cli.cancelled")+"; EOF"; got != want {
		t.Errorf("RenderIn(lt) = %q, want %q", got, want)
	}
	if !errors.Is(l, io.EOF) || !errors.Is(l, worded) {
		t.Error("a joined error is not visible to errors.Is")
	}
}
