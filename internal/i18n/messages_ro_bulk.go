package i18n

func init() { add(RO, roBulk) }

// roBulk is the Romanian translation of enBulk.
var roBulk = map[string]string{
	"bulkrow.input.lang":          "limbă necunoscută %q: folosiți en, ro sau lt",
	"bulkrow.duplicate.same":      "același rând ca pe linia %d: a fost omis",
	"bulkrow.duplicate.other":     "%s apare și pe linia %d, cu alte valori: dați fiecare adresă o singură dată",
	"bulkrow.folder-taken":        "dosarul %s este deja dosarul liniei %d: cele două adrese nu îl pot folosi împreună",
	"bulkrow.security-none":       "conexiunea la %s nu este criptată: parola și mesajele trec prin rețea necriptate",
	"bulkrow.discovery-failed":    "căutarea setărilor pentru %s: %v",
	"bulkrow.discovery-none":      "căutarea nu a găsit setări %s pentru %s",
	"bulkrow.needs-confirmation":  "setările găsite (%s, din %s) trebuie confirmate: implică %s; verificați-le cu mailsetup discover și adăugați --yes pentru a le folosi",
	"bulkrow.and":                 " și ",
	"bulkrow.unverified":          "serverele găsite nu au trecut verificarea conexiunii; rulați mailsetup probe %s pentru detalii",
	"bulkrow.fix":                 "Soluție: %s",
	"bulkrow.login-no-password":   "%s: rândul nu are parolă, așa că autentificarea nu a fost testată",
	"bulkrow.login-not-password":  "%s: la acest server autentificarea se face prin %s, nu prin parolă, așa că autentificarea nu a fost testată",
	"bulkrow.password-missing":    "--include-password este dat, dar rândul nu are parolă: fișierele nu o conțin",
	"bulkrow.domain-file.symlink": "fișierul domeniului %s: %v (fișierele proprii ale rândului au fost scrise)",
	"bulkrow.domain-file.failed":  "fișierul domeniului %s: %v",

	"bulkrow.input.record-too-long":   "înregistrarea are mai mult de %d octeți",
	"bulkrow.input.line-too-long":     "linia are mai mult de %d octeți",
	"bulkrow.input.field-count":       "rândul are %d câmpuri, antetul are %d",
	"bulkrow.input.json":              "JSON nevalid",
	"bulkrow.input.json-more":         "mai multe valori JSON pe aceeași linie",
	"bulkrow.input.json-object":       "fiecare linie trebuie să fie un obiect JSON",
	"bulkrow.input.unknown-field":     "câmp necunoscut %q (cunoscute: %s)",
	"bulkrow.input.field-twice":       "câmpul %q apare de două ori",
	"bulkrow.input.not-string":        "valoarea trebuie să fie un șir de caractere",
	"bulkrow.input.email-missing":     "lipsește adresa de e-mail",
	"bulkrow.input.username-control":  "numele de utilizator conține un caracter de control",
	"bulkrow.input.password-break":    "parola conține un salt de linie sau caracterul NUL",
	"bulkrow.input.not-incoming":      "%s nu poate primi e-mail: folosiți imap sau pop3",
	"bulkrow.input.security-alone":    "%s_security este dat fără %s",
	"bulkrow.input.imap-and-pop3":     "dați doar unul dintre imap și pop3",
	"bulkrow.input.incoming-conflict": "incoming este %s, dar rândul dă un server %s",
}
