package i18n

func init() { add(RO, roProvider) }

var roProvider = map[string]string{
	"discover.provider-says":              "De la furnizor (cuvintele sale):",
	"discover.provider-enable":            "Activați întâi",
	"discover.provider-docs":              "Documentație",
	"discover.method.password-cleartext":  "parolă",
	"discover.method.password-encrypted":  "parolă criptată",
	"discover.method.oauth2":              "OAuth2 (autentificare în pagina web a furnizorului)",
	"discover.method.ntlm":                "NTLM",
	"discover.method.gssapi":              "Kerberos / GSSAPI",
	"discover.method.client-ip-address":   "adresa IP a clientului",
	"discover.method.tls-client-cert":     "certificat TLS de client",
	"discover.method.none":                "fără autentificare",
	"discover.method.or":                  "%s sau %s",
	"discover.signin-outgoing":            "Autentificare (SMTP)",
	"discover.other-outgoing":             "Alte servere de ieșire",
	"wizard.provider-says":                "De la furnizor (cuvintele sale):",
	"wizard.signin-methods":               "Autentificare: %s",
	"wizard.signin-methods-outgoing":      "Autentificare (SMTP): %s",
	"wizard.other-outgoing":               "Alte servere de ieșire: %s",
	"wizard.q.outgoing-alt":               "Ce server de ieșire folosiți?",
	"wizard.h.outgoing-alt":               "Furnizorul indică mai multe servere de ieșire. Dacă rețeaua dumneavoastră blochează unul (multe blochează portul 25, unele 465 sau 587), alegeți altul.",
	"wizard.o.outgoing-type":              "Alt server (îl scrieți)",
	"wizard.o.outgoing-alt":               "Folosiți alt server de ieșire indicat de furnizor",
	"wizard.outgoing-failed-alternatives": "Serverul de ieșire nu a trecut verificarea conexiunii; furnizorul indică și altele: %s.",
}
