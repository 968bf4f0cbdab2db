package i18n

func init() { add(RO, roDiscover) }

// roDiscover is the Romanian translation of enDiscover.
var roDiscover = map[string]string{
	"discover.source.manual":       "introduse manual",
	"discover.source.file":         "fișier",
	"discover.source.builtin":      "baza de date integrată",
	"discover.source.autoconfig":   "fișierul autoconfig al furnizorului",
	"discover.source.ispdb":        "baza de date ISPDB a Thunderbird",
	"discover.source.mx":           "înregistrările MX",
	"discover.source.srv":          "înregistrările SRV",
	"discover.source.autodiscover": "Autodiscover de la Outlook",
	"discover.source.http":         "autoconfig prin HTTP necriptat",
	"discover.source.guess":        "nume de servere ghicite",
	"discover.source.verify":       "verificarea directă",

	"discover.trust.trusted":            "de încredere",
	"discover.trust.needs-confirmation": "necesită confirmare",
	"discover.trust.untrusted":          "nesigure",
}
