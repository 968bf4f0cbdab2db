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
}
