package autoconfig

import (
	"strings"

	"github.com/mailsetup/mailsetup/internal/i18n"
)

// msgError is an error in mailsetup's own words: a catalogue message, so
// the trail shows it in the run's language (i18n.Renderer); Error gives
// the English. The last argument that is an error is wrapped.
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

// kindMsg names an address range (addrKind) through the catalogue.
func kindMsg(kind string) i18n.Msg { return i18n.M("discover.kind." + kind) }

// commaList is messages joined with ", ", rendered in one language.
type commaList []i18n.Msg

// RenderIn implements i18n.Renderer.
func (l commaList) RenderIn(c *i18n.Catalog) string {
	parts := make([]string, len(l))
	for i, m := range l {
		parts[i] = c.Render(m)
	}
	return strings.Join(parts, ", ")
}

// errList is errors joined with "; ", each in the run's language where
// it words itself.
type errList []error

// RenderIn implements i18n.Renderer.
func (l errList) RenderIn(c *i18n.Catalog) string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = c.ErrorText(e)
	}
	return strings.Join(parts, "; ")
}
