package bulk

import "github.com/mailsetup/mailsetup/internal/i18n"

// msgError is an error worded by a catalogue message: Error gives the
// English text, and RenderIn the text in any language (i18n.Renderer), so
// cmd prints bulk's input errors in the run's language.
type msgError struct {
	msg i18n.Msg
	err error
}

// errorM returns an error worded by the catalogue's key and args; the
// last argument that is an error is wrapped.
func errorM(key string, args ...any) error {
	e := &msgError{msg: i18n.M(key, args...)}
	for _, a := range args {
		if err, ok := a.(error); ok {
			e.err = err
		}
	}
	return e
}

func (e *msgError) Error() string { return e.RenderIn(nil) }
func (e *msgError) Unwrap() error { return e.err }

// RenderIn implements i18n.Renderer.
func (e *msgError) RenderIn(c *i18n.Catalog) string { return c.Render(e.msg) }
