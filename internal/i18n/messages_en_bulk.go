package i18n

func init() { add(EN, enBulk) }

// enBulk holds `mailsetup bulk`'s own messages about a row (bulk.*), shown
// in the row's language (its lang column, else --lang). The issue codes
// beside them do not change with the language.
var enBulk = map[string]string{
	"bulk.input.lang":          "unknown language %q: want en, ro or lt",
	"bulk.duplicate.same":      "the same row as line %d: skipped",
	"bulk.duplicate.other":     "%s is also on line %d, with other values: give each address once",
	"bulk.folder-taken":        "the folder %s is already the folder of line %d: the two addresses cannot share it",
	"bulk.security-none":       "%s is not encrypted: the password and mail cross the network in the clear",
	"bulk.discovery-failed":    "discovery for %s: %v",
	"bulk.discovery-none":      "discovery found no %s settings for %s",
	"bulk.needs-confirmation":  "the discovered settings (%s, from %s) need confirmation: they involve %s; check them with mailsetup discover and pass --yes to use them",
	"bulk.and":                 " and ",
	"bulk.unverified":          "the discovered servers did not pass the live check; run mailsetup probe %s for details",
	"bulk.fix":                 "Fix: %s",
	"bulk.login-no-password":   "%s: the row has no password, so the login was not tested",
	"bulk.login-not-password":  "%s: the server signs in with %s, not a password, so the login was not tested",
	"bulk.password-missing":    "--include-password is set, but the row has no password: the files leave it out",
	"bulk.domain-file.symlink": "the domain file for %s: %v (the row's own files were written)",
	"bulk.domain-file.failed":  "the domain file for %s: %v",

	"bulk.input.record-too-long":   "the record is longer than %d bytes",
	"bulk.input.line-too-long":     "the line is longer than %d bytes",
	"bulk.input.field-count":       "the row has %d fields, the header has %d",
	"bulk.input.json":              "not valid JSON",
	"bulk.input.json-more":         "more than one JSON value on the line",
	"bulk.input.json-object":       "each line must be a JSON object",
	"bulk.input.unknown-field":     "unknown field %q (known: %s)",
	"bulk.input.field-twice":       "field %q appears twice",
	"bulk.input.not-string":        "the value must be a string",
	"bulk.input.email-missing":     "the e-mail address is missing",
	"bulk.input.username-control":  "the username contains a control character",
	"bulk.input.password-break":    "the password contains a line break or NUL character",
	"bulk.input.not-incoming":      "%s cannot receive mail: want imap or pop3",
	"bulk.input.security-alone":    "%s_security is given without %s",
	"bulk.input.imap-and-pop3":     "give only one of imap and pop3",
	"bulk.input.incoming-conflict": "incoming is %s, but the row gives a %s server",
}
