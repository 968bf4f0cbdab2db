package i18n

func init() { add(LT, ltServe) }

// ltServe: see enServe.
var ltServe = map[string]string{
	"serve.page.title":          "El. pašto nustatymas",
	"serve.page.intro":          "Įveskite savo el. pašto adresą ir gausite pašto programos nustatymus su nuosekliomis instrukcijomis.",
	"serve.page.address":        "El. pašto adresas",
	"serve.page.submit":         "Rodyti mano nustatymus",
	"serve.page.no-password":    "Šis puslapis niekada neprašo slaptažodžio: jį įvedate tik pašto programoje.",
	"serve.page.bad-address":    "Tai nėra tinkamas el. pašto adresas.",
	"serve.page.unknown-domain": "Šiame serveryje nėra nustatymų adresui %s.",
	"serve.page.downloads":      "Atsisiuntimai:",
	"serve.page.profile":        "profilis „iPhone“, „iPad“ ir „Mac“",
	"serve.page.qr":             "QR kodas programai „Thunderbird for Android“",
	"serve.page.other":          "kitas adresas",
}
