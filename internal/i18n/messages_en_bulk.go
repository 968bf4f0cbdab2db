package i18n

func init() { add(EN, enBulk) }

// enBulk holds `mailsetup bulk`'s own messages about a row (bulkrow.*), shown
// in the row's language (its lang column, else --lang). The issue codes
// beside them do not change with the language.
var enBulk = map[string]string{
	"bulkrow.input.lang":          "unknown language %q: want en, ro or lt",
	"bulkrow.duplicate.same":      "the same row as line %d: skipped",
	"bulkrow.duplicate.other":     "%s is also on line %d, with other values: give each address once",
	"bulkrow.folder-taken":        "the folder %s is already the folder of line %d: the two addresses cannot share it",
	"bulkrow.security-none":       "%s is not encrypted: the password and mail cross the network in the clear",
	"bulkrow.discovery-failed":    "discovery for %s: %v",
	"bulkrow.discovery-none":      "discovery found no %s settings for %s",
	"bulkrow.needs-confirmation":  "the discovered settings (%s, from %s) need confirmation: they involve %s; check them with mailsetup discover and pass --yes to use them",
	"bulkrow.and":                 " and ",
	"bulkrow.unverified":          "the discovered servers did not pass the live check; run mailsetup probe %s for details",
	"bulkrow.fix":                 "Fix: %s",
	"bulkrow.login-no-password":   "%s: the row has no password, so the login was not tested",
	"bulkrow.login-not-password":  "%s: the server signs in with %s, not a password, so the login was not tested",
	"bulkrow.password-missing":    "--include-password is set, but the row has no password: the files leave it out",
	"bulkrow.domain-file.symlink": "the domain file for %s: %v (the row's own files were written)",
	"bulkrow.domain-file.failed":  "the domain file for %s: %v",

	"bulkrow.input.record-too-long":   "the record is longer than %d bytes",
	"bulkrow.input.line-too-long":     "the line is longer than %d bytes",
	"bulkrow.input.field-count":       "the row has %d fields, the header has %d",
	"bulkrow.input.json":              "not valid JSON",
	"bulkrow.input.json-more":         "more than one JSON value on the line",
	"bulkrow.input.json-object":       "each line must be a JSON object",
	"bulkrow.input.unknown-field":     "unknown field %q (known: %s)",
	"bulkrow.input.field-twice":       "field %q appears twice",
	"bulkrow.input.not-string":        "the value must be a string",
	"bulkrow.input.email-missing":     "the e-mail address is missing",
	"bulkrow.input.username-control":  "the username contains a control character",
	"bulkrow.input.password-break":    "the password contains a line break or NUL character",
	"bulkrow.input.not-incoming":      "%s cannot receive mail: want imap or pop3",
	"bulkrow.input.security-alone":    "%s_security is given without %s",
	"bulkrow.input.imap-and-pop3":     "give only one of imap and pop3",
	"bulkrow.input.incoming-conflict": "incoming is %s, but the row gives a %s server",
}
