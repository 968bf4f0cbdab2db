package i18n

func init() { add(LT, ltBulk) }

// ltBulk is the Lithuanian translation of enBulk.
var ltBulk = map[string]string{
	"bulk.input.lang":          "nežinoma kalba %q: galima en, ro arba lt",
	"bulk.duplicate.same":      "tokia pati eilutė kaip %d eilutė: praleista",
	"bulk.duplicate.other":     "%s yra ir %d eilutėje, bet su kitomis reikšmėmis: kiekvieną adresą nurodykite tik kartą",
	"bulk.folder-taken":        "aplankas %s jau priklauso %d eilutei: abu adresai negali jo naudoti kartu",
	"bulk.security-none":       "ryšys su %s nešifruojamas: slaptažodis ir laiškai tinklu siunčiami atviru tekstu",
	"bulk.discovery-failed":    "%s nustatymų paieška: %v",
	"bulk.discovery-none":      "paieška nerado %s nustatymų adresui %s",
	"bulk.needs-confirmation":  "rastus nustatymus (%s, iš %s) reikia patvirtinti: jie susiję su %s; patikrinkite juos komanda mailsetup discover ir, kad juos naudotumėte, pridėkite --yes",
	"bulk.and":                 " ir ",
	"bulk.unverified":          "rasti serveriai nepraėjo ryšio patikrinimo; išsamiau – paleiskite mailsetup probe %s",
	"bulk.fix":                 "Sprendimas: %s",
	"bulk.login-no-password":   "%s: eilutėje nėra slaptažodžio, todėl prisijungimas netikrintas",
	"bulk.login-not-password":  "%s: serveris prisijungia per %s, o ne slaptažodžiu, todėl prisijungimas netikrintas",
	"bulk.password-missing":    "nurodyta --include-password, bet eilutėje nėra slaptažodžio: failuose jo nebus",
	"bulk.domain-file.symlink": "domeno %s failas: %v (pačios eilutės failai įrašyti)",
	"bulk.domain-file.failed":  "domeno %s failas: %v",

	"bulk.input.record-too-long":   "įrašas ilgesnis nei %d baitų",
	"bulk.input.line-too-long":     "eilutė ilgesnė nei %d baitų",
	"bulk.input.field-count":       "eilutėje yra %d laukų, antraštėje – %d",
	"bulk.input.json":              "netinkamas JSON",
	"bulk.input.json-more":         "eilutėje daugiau nei viena JSON reikšmė",
	"bulk.input.json-object":       "kiekviena eilutė turi būti JSON objektas",
	"bulk.input.unknown-field":     "nežinomas laukas %q (žinomi: %s)",
	"bulk.input.field-twice":       "laukas %q nurodytas du kartus",
	"bulk.input.not-string":        "reikšmė turi būti eilutė (string)",
	"bulk.input.email-missing":     "trūksta el. pašto adreso",
	"bulk.input.username-control":  "naudotojo varde yra valdymo simbolis",
	"bulk.input.password-break":    "slaptažodyje yra eilutės lūžis arba NUL simbolis",
	"bulk.input.not-incoming":      "%s negali gauti laiškų: galima imap arba pop3",
	"bulk.input.security-alone":    "%s_security nurodytas be %s",
	"bulk.input.imap-and-pop3":     "nurodykite tik vieną iš imap ir pop3",
	"bulk.input.incoming-conflict": "incoming yra %s, bet eilutėje nurodytas %s serveris",
}
