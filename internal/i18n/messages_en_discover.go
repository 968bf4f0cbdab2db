package i18n

func init() { add(EN, enDiscover) }

// enDiscover holds what `mailsetup discover` prints: source names, trust
// levels and reasons, the trail's outcomes, labels and mailsetup's own
// notes.
var enDiscover = map[string]string{
	"discover.source.manual":       "manual",
	"discover.source.file":         "file",
	"discover.source.builtin":      "builtin",
	"discover.source.autoconfig":   "autoconfig",
	"discover.source.ispdb":        "ispdb",
	"discover.source.mx":           "mx",
	"discover.source.srv":          "srv",
	"discover.source.autodiscover": "autodiscover",
	"discover.source.http":         "http",
	"discover.source.guess":        "guess",
	"discover.source.verify":       "verify",

	"discover.trust.trusted":            "trusted",
	"discover.trust.needs-confirmation": "needs-confirmation",
	"discover.trust.untrusted":          "untrusted",
}
