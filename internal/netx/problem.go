package netx

import "github.com/mailsetup/mailsetup/internal/i18n"

// RenderIn implements i18n.Renderer: the lookup and its cause in c's
// language (the cause's own words when they are not mailsetup's).
func (e *DNSError) RenderIn(c *i18n.Catalog) string {
	return c.Render(i18n.M("err.dns", e.Type, trimDot(e.Name), e.Err))
}
