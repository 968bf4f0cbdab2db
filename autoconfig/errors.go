package autoconfig

import (
	"strings"

	"github.com/mailsetup/mailsetup/internal/i18n"
)

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
