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
}
