package i18n

func init() { add(RO, roServe) }

// roServe: see enServe.
var roServe = map[string]string{
	"serve.page.title":          "Configurați-vă e-mailul",
	"serve.page.intro":          "Introduceți adresa de e-mail pentru a primi setările aplicației de e-mail, cu instrucțiuni pas cu pas.",
	"serve.page.address":        "Adresa de e-mail",
	"serve.page.submit":         "Arată-mi setările",
	"serve.page.no-password":    "Această pagină nu vă cere niciodată parola: o introduceți doar în aplicația de e-mail.",
	"serve.page.bad-address":    "Aceasta nu este o adresă de e-mail validă.",
	"serve.page.unknown-domain": "Acest server nu are setări pentru %s.",
	"serve.page.downloads":      "Descărcări:",
	"serve.page.profile":        "profil pentru iPhone, iPad și Mac",
	"serve.page.qr":             "cod QR pentru Thunderbird pentru Android",
	"serve.page.other":          "altă adresă",

	"serve.check-ok":         "%s este valid. Domenii (%d): %s",
	"err.serve.tls-pair":     "--tls-cert și --tls-key se dau împreună",
	"err.serve.http-and-tls": "--http servește HTTP necriptat: renunțați la --tls-cert și --tls-key",
	"err.serve.transport":    "serve are nevoie de --tls-cert și --tls-key sau de --acme-email pentru HTTPS, sau de --http în spatele unui proxy invers care se ocupă de TLS",
	"err.serve.rate":         "--rate trebuie să fie 0 (fără limită) sau mai mare, iar --burst cel puțin 1",
	"err.serve.tls":          "certificatul TLS nu poate fi încărcat: %v",
	"err.serve.listen":       "nu se poate asculta pe %s: %v",
	"err.serve.config":       "serve are nevoie de --config FIȘIER: domeniile servite și setările lor",
}
