package netx

import (
	"strings"

	"github.com/mailsetup/mailsetup/internal/i18n"
)

// problem is an error whose words are mailsetup's own: a catalogue
// message, so it reads in the run's language wherever it is shown
// (i18n.Renderer); Error gives the English.
type problem struct{ msg i18n.Msg }

func newProblem(key string, args ...any) *problem { return &problem{i18n.M(key, args...)} }

func (p *problem) Error() string { return i18n.New(i18n.EN).Render(p.msg) }

// RenderIn implements i18n.Renderer.
func (p *problem) RenderIn(c *i18n.Catalog) string { return c.Render(p.msg) }

// RenderIn implements i18n.Renderer: the lookup and its cause in c's
// language (the cause's own words when they are not mailsetup's).
func (e *DNSError) RenderIn(c *i18n.Catalog) string {
	return c.Render(i18n.M("err.dns", e.Type, trimDot(e.Name), e.Err))
}

// joinedError is several causes on one line, separated by "; ", each
// still visible to errors.Is and errors.As and each in the run's
// language where it words itself.
type joinedError []error

func (j joinedError) Error() string { return j.RenderIn(nil) }

func (j joinedError) Unwrap() []error { return j }

// RenderIn implements i18n.Renderer.
func (j joinedError) RenderIn(c *i18n.Catalog) string {
	if c == nil {
		c = i18n.New(i18n.EN)
	}
	parts := make([]string, len(j))
	for i, e := range j {
		parts[i] = c.ErrorText(e)
	}
	return strings.Join(parts, "; ")
}
