package i18n

func init() { add(EN, enErrors) }

// enErrors holds the errors and warnings mailsetup writes about its own
// flags and input (err.*): flag names, values and what servers or the
// system say are quoted as they are.
var enErrors = map[string]string{
	"err.timeout":                 "--timeout must be positive, got %s",
	"err.ca-file-empty":           "--ca-file %s: no PEM certificates in it",
	"err.sources-unknown":         "--sources: unknown source %q (known: %s)",
	"err.ispdb":                   "--ispdb must be an https:// URL or \"off\"",
	"err.docs-one":                "give exactly one of --man DIR or --markdown DIR",
	"err.explain-topic":           "unknown topic %q (topics: %s)",
	"err.from-differs":            "the address %s differs from %s in %s",
	"err.need-address":            "give the e-mail address (or --from FILE)",
	"err.needs-confirm":           "the discovered settings (%s, from %s) need confirmation: they involve %s; check them with mailsetup discover and pass --yes to use them",
	"err.confirm-cleartext":       "an unencrypted connection to %s",
	"err.imap-or-pop3":            "give only one of --imap and --pop3",
	"err.need-servers":            "give an incoming server (--imap or --pop3) and --smtp, or leave all three out to discover them",
	"err.format-required":         "--format is required: %s, or all",
	"err.format-unknown":          "--format: unknown format %q (known: %s, all)",
	"err.device":                  "--device must be ios or mac",
	"err.sign-pair":               "--sign-cert and --sign-key go together",
	"err.include-password-none":   "--include-password needs a password: --password-stdin, --password-file, %s or the prompt",
	"err.password-unused":         "a password is only used with --include-password",
	"err.stdout-one-file":         "-o - needs a format that writes one file; %s writes %s",
	"err.password-stdin-or-file":  "give only one of --password-stdin and --password-file",
	"err.password-file":           "password file: %v",
	"err.password-file-readable":  "warning: %s is readable by other users (mode %o); chmod 600 it",
	"err.password-env-break":      "%s contains a line break or NUL, which no mail server accepts in a password",
	"err.password-read":           "reading password: %v",
	"err.password-read-from":      "reading password from %s: %v",
	"err.password-cr":             "reading password from %s: it contains a carriage return or NUL",
	"err.password-empty":          "reading password from %s: it is empty",
	"err.security-without-server": "--%s-security given without --%s",
	"err.flag-value":              "--%s: %v",
	"err.file-exists":             "%s already exists; use --force to replace it",
	"err.file-symlink":            "%s is a symbolic link, which mailsetup does not follow: remove it or write to another folder",
	"err.force-advice":            "%v; use --force to replace it",
	"err.name-advice":             "%v (use --name for the name)",
	"err.bad-port":                "bad port %q",
	"err.address-once":            "give the address once: as EMAIL or --email",
	"err.password-stdin-terminal": "--password-stdin needs the password piped in, not a terminal",
	"err.incoming":                "--incoming must be imap or pop3",
	"err.incoming-contradicts":    "--incoming %s contradicts --%s",
	"err.export-target":           "--export: unknown target %q (known: %s, json, all, none)",
	"probe.address.no-answer":     "no answer within %s: %v",
}
