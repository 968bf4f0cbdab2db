package probe

import "github.com/mailsetup/mailsetup/internal/i18n"

// msgError is an error in mailsetup's own words about a server's
// answers: a catalogue message, so a finding quoting it reads in the
// run's language (i18n.Renderer); Error gives the English. What the
// server sent is a value of the message, quoted as it is. The last
// argument that is an error is wrapped.
type msgError struct {
	msg i18n.Msg
	err error
}

func errorM(key string, args ...any) error {
	e := &msgError{msg: i18n.M(key, args...)}
	for _, a := range args {
		if err, ok := a.(error); ok {
			e.err = err
		}
	}
	return e
}

func (e *msgError) Error() string { return i18n.New(i18n.EN).Render(e.msg) }
func (e *msgError) Unwrap() error { return e.err }

// RenderIn implements i18n.Renderer.
func (e *msgError) RenderIn(c *i18n.Catalog) string { return c.Render(e.msg) }
