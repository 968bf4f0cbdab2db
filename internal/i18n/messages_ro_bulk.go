package i18n

func init() { add(RO, roBulk) }

// roBulk is the Romanian translation of enBulk.
var roBulk = map[string]string{
	"bulk.input.lang":          "limbă necunoscută %q: folosiți en, ro sau lt",
	"bulk.duplicate.same":      "același rând ca pe linia %d: a fost omis",
	"bulk.duplicate.other":     "%s apare și pe linia %d, cu alte valori: dați fiecare adresă o singură dată",
	"bulk.folder-taken":        "dosarul %s este deja dosarul liniei %d: cele două adrese nu îl pot folosi împreună",
	"bulk.security-none":       "conexiunea la %s nu este criptată: parola și mesajele trec prin rețea necriptate",
	"bulk.discovery-failed":    "căutarea setărilor pentru %s: %v",
	"bulk.discovery-none":      "căutarea nu a găsit setări %s pentru %s",
	"bulk.needs-confirmation":  "setările găsite (%s, din %s) trebuie confirmate: implică %s; verificați-le cu mailsetup discover și adăugați --yes pentru a le folosi",
	"bulk.and":                 " și ",
	"bulk.unverified":          "serverele găsite nu au trecut testul de conectare; rulați mailsetup probe %s pentru detalii",
	"bulk.fix":                 "Soluție: %s",
	"bulk.login-no-password":   "%s: rândul nu are parolă, așa că autentificarea nu a fost testată",
	"bulk.login-not-password":  "%s: serverul autentifică prin %s, nu prin parolă, așa că autentificarea nu a fost testată",
	"bulk.password-missing":    "--include-password este dat, dar rândul nu are parolă: fișierele nu o conțin",
	"bulk.domain-file.symlink": "fișierul domeniului %s: %v (fișierele proprii ale rândului au fost scrise)",
	"bulk.domain-file.failed":  "fișierul domeniului %s: %v",

	"bulk.input.record-too-long":   "înregistrarea are mai mult de %d octeți",
	"bulk.input.line-too-long":     "linia are mai mult de %d octeți",
	"bulk.input.field-count":       "rândul are %d câmpuri, antetul are %d",
	"bulk.input.json":              "JSON nevalid",
	"bulk.input.json-more":         "mai multe valori JSON pe aceeași linie",
	"bulk.input.json-object":       "fiecare linie trebuie să fie un obiect JSON",
	"bulk.input.unknown-field":     "câmp necunoscut %q (cunoscute: %s)",
	"bulk.input.field-twice":       "câmpul %q apare de două ori",
	"bulk.input.not-string":        "valoarea trebuie să fie un șir de caractere",
	"bulk.input.email-missing":     "lipsește adresa de e-mail",
	"bulk.input.username-control":  "numele de utilizator conține un caracter de control",
	"bulk.input.password-break":    "parola conține un salt de linie sau caracterul NUL",
	"bulk.input.not-incoming":      "%s nu poate primi e-mail: folosiți imap sau pop3",
	"bulk.input.security-alone":    "%s_security este dat fără %s",
	"bulk.input.imap-and-pop3":     "dați doar unul dintre imap și pop3",
	"bulk.input.incoming-conflict": "incoming este %s, dar rândul dă un server %s",
}
