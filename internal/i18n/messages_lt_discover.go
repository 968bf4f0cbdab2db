package i18n

func init() { add(LT, ltDiscover) }

// ltDiscover is the Lithuanian translation of enDiscover.
var ltDiscover = map[string]string{
	"discover.source.manual":       "įvesta ranka",
	"discover.source.file":         "failas",
	"discover.source.builtin":      "integruota duomenų bazė",
	"discover.source.autoconfig":   "paslaugų teikėjo autoconfig failas",
	"discover.source.ispdb":        "Thunderbird ISPDB duomenų bazė",
	"discover.source.mx":           "MX įrašai",
	"discover.source.srv":          "SRV įrašai",
	"discover.source.autodiscover": "Outlook Autodiscover",
	"discover.source.http":         "autoconfig per nešifruotą HTTP",
	"discover.source.guess":        "atspėti serverių vardai",
	"discover.source.verify":       "tikrinimas gyvai",

	"discover.trust.trusted":            "patikima",
	"discover.trust.needs-confirmation": "reikia patvirtinimo",
	"discover.trust.untrusted":          "nepatikima",
}
