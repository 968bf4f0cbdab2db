package i18n

func init() { add(LT, ltProvider) }

var ltProvider = map[string]string{
	"discover.provider-says":              "Iš paslaugų teikėjo (jo paties žodžiais):",
	"discover.provider-enable":            "Pirmiausia įjunkite",
	"discover.provider-docs":              "Dokumentacija",
	"discover.method.password-cleartext":  "slaptažodis",
	"discover.method.password-encrypted":  "šifruotas slaptažodis",
	"discover.method.oauth2":              "OAuth2 (prisijungimas teikėjo tinklalapyje)",
	"discover.method.ntlm":                "NTLM",
	"discover.method.gssapi":              "Kerberos / GSSAPI",
	"discover.method.client-ip-address":   "kliento IP adresas",
	"discover.method.tls-client-cert":     "TLS kliento sertifikatas",
	"discover.method.none":                "prisijungti nereikia",
	"discover.method.or":                  "%s arba %s",
	"discover.signin-outgoing":            "Prisijungimas (SMTP)",
	"discover.other-outgoing":             "Kiti siunčiamieji",
	"wizard.provider-says":                "Iš paslaugų teikėjo (jo paties žodžiais):",
	"wizard.signin-methods":               "Prisijungimas: %s",
	"wizard.signin-methods-outgoing":      "Prisijungimas (SMTP): %s",
	"wizard.other-outgoing":               "Kiti siunčiamųjų laiškų serveriai: %s",
	"wizard.q.outgoing-alt":               "Kurį siunčiamųjų laiškų serverį naudoti?",
	"wizard.h.outgoing-alt":               "Paslaugų teikėjas nurodo kelis siunčiamųjų laiškų serverius. Jei jūsų tinklas kurį nors blokuoja (daug tinklų blokuoja 25 prievadą, kai kurie 465 ar 587), pasirinkite kitą.",
	"wizard.o.outgoing-type":              "Kitas serveris (įveskite)",
	"wizard.o.outgoing-alt":               "Naudoti kitą teikėjo nurodytą siunčiamųjų laiškų serverį",
	"wizard.outgoing-failed-alternatives": "Siunčiamųjų laiškų serveris nepraėjo ryšio patikrinimo; teikėjas nurodo ir kitus: %s.",
}
