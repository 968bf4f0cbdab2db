package i18n

func init() { add(LT, ltBulk) }

// ltBulk is the Lithuanian translation of enBulk.
var ltBulk = map[string]string{
	"bulkrow.input.lang":          "nežinoma kalba %q: galima en, ro arba lt",
	"bulkrow.duplicate.same":      "tokia pati eilutė kaip %d eilutė: praleista",
	"bulkrow.duplicate.other":     "%s yra ir %d eilutėje, bet su kitomis reikšmėmis: kiekvieną adresą nurodykite tik kartą",
	"bulkrow.folder-taken":        "aplankas %s jau priklauso %d eilutei: abu adresai negali jo naudoti kartu",
	"bulkrow.security-none":       "ryšys su %s nešifruojamas: slaptažodis ir laiškai tinklu siunčiami atviru tekstu",
	"bulkrow.discovery-failed":    "%s nustatymų paieška: %v",
	"bulkrow.discovery-none":      "paieška nerado %s nustatymų adresui %s",
	"bulkrow.needs-confirmation":  "rastus nustatymus (%s, iš %s) reikia patvirtinti: jie susiję su %s; patikrinkite juos komanda mailsetup discover ir, kad juos naudotumėte, pridėkite --yes",
	"bulkrow.and":                 " ir ",
	"bulkrow.unverified":          "rasti serveriai nepraėjo ryšio patikrinimo; išsamiau – paleiskite mailsetup probe %s",
	"bulkrow.fix":                 "Sprendimas: %s",
	"bulkrow.login-no-password":   "%s: eilutėje nėra slaptažodžio, todėl prisijungimas netikrintas",
	"bulkrow.login-not-password":  "%s: prie serverio prisijungiama per %s, o ne slaptažodžiu, todėl prisijungimas netikrintas",
	"bulkrow.password-missing":    "nurodyta --include-password, bet eilutėje nėra slaptažodžio: failuose jo nebus",
	"bulkrow.domain-file.symlink": "domeno %s failas: %v (pačios eilutės failai įrašyti)",
	"bulkrow.domain-file.failed":  "domeno %s failas: %v",

	"bulkrow.input.record-too-long":   "įrašas ilgesnis nei %d baitų",
	"bulkrow.input.line-too-long":     "eilutė ilgesnė nei %d baitų",
	"bulkrow.input.field-count":       "eilutėje yra %d laukų, antraštėje – %d",
	"bulkrow.input.json":              "netinkamas JSON",
	"bulkrow.input.json-more":         "eilutėje daugiau nei viena JSON reikšmė",
	"bulkrow.input.json-object":       "kiekviena eilutė turi būti JSON objektas",
	"bulkrow.input.unknown-field":     "nežinomas laukas %q (žinomi: %s)",
	"bulkrow.input.field-twice":       "laukas %q nurodytas du kartus",
	"bulkrow.input.not-string":        "reikšmė turi būti eilutė (string)",
	"bulkrow.input.email-missing":     "trūksta el. pašto adreso",
	"bulkrow.input.username-control":  "naudotojo varde yra valdymo simbolis",
	"bulkrow.input.password-break":    "slaptažodyje yra eilutės lūžis arba NUL simbolis",
	"bulkrow.input.not-incoming":      "%s negali gauti laiškų: galima imap arba pop3",
	"bulkrow.input.security-alone":    "%s_security nurodytas be %s",
	"bulkrow.input.imap-and-pop3":     "nurodykite tik vieną iš imap ir pop3",
	"bulkrow.input.incoming-conflict": "incoming yra %s, bet eilutėje nurodytas %s serveris",
}
