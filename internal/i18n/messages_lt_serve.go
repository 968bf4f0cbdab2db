package i18n

func init() { add(LT, ltServe) }

// ltServe: see enServe.
var ltServe = map[string]string{
	"serve.page.title":          "El. pašto nustatymas",
	"serve.page.intro":          "Įveskite savo el. pašto adresą ir gausite el. pašto programos nustatymus su nuosekliomis instrukcijomis.",
	"serve.page.address":        "El. pašto adresas",
	"serve.page.submit":         "Rodyti mano nustatymus",
	"serve.page.no-password":    "Šis puslapis niekada neprašo slaptažodžio: jį įvedate tik el. pašto programoje.",
	"serve.page.bad-address":    "Tai nėra tinkamas el. pašto adresas.",
	"serve.page.unknown-domain": "Šiame serveryje nėra nustatymų adresui %s.",
	"serve.page.downloads":      "Atsisiuntimai:",
	"serve.page.profile":        "profilis, skirtas „iPhone“, „iPad“ ir „Mac“",
	"serve.page.qr":             "QR kodas programai Thunderbird for Android",
	"serve.page.other":          "kitas adresas",

	"serve.check-ok":         "%s yra tinkamas. Domenai (%d): %s",
	"err.serve.tls-pair":     "--tls-cert ir --tls-key nurodomi kartu",
	"err.serve.http-and-tls": "--http teikia nešifruotą HTTP: nenurodykite --tls-cert ir --tls-key",
	"err.serve.transport":    "serve reikia --tls-cert ir --tls-key arba --acme-email (HTTPS), arba --http už atvirkštinio tarpinio serverio, kuris tvarko TLS",
	"err.serve.rate":         "--rate turi būti 0 (be ribos) arba daugiau, o --burst – bent 1",
	"err.serve.tls":          "nepavyko įkelti TLS sertifikato: %v",
	"err.serve.listen":       "nepavyko klausytis adresu %s: %v",
	"err.serve.config":       "serve reikia --config FAILAS: teikiami domenai ir jų nustatymai",
}
