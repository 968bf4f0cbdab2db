package i18n

func init() { add(EN, enUI) }

// enUI holds what mailsetup prints around the commands' results: the
// prompt library's own hints (prompt.*), the top-level error lines
// (cli.*), what to do with each exported file (use.*), and the human
// output of export (export.*) and bulk (bulk.*).
var enUI = map[string]string{
	// survey's own words. Each English text is the exact piece of survey's
	// template it replaces (internal/prompt checks that it is there).
	"prompt.select-hint":        "Use arrows to move, type to filter",
	"prompt.multiselect-hint":   "Use arrows to move, space to select,",
	"prompt.multiselect-all":    " <right> to all,",
	"prompt.multiselect-none":   " <left> to none,",
	"prompt.multiselect-filter": " type to filter",
	"prompt.more-help":          " for more help",
	"prompt.help":               " for help",
	"prompt.suggest-hint":       "Use arrows to move, enter to select, type to continue",
	"prompt.suggestions":        " for suggestions",
	"prompt.invalid":            "Sorry, your reply was invalid:",

	"cli.error":     "mailsetup: %s",
	"cli.cancelled": "mailsetup: cancelled",

	"use.apple":               "iPhone or iPad: AirDrop or e-mail this file to the device and open it, then go to Settings > Profile Downloaded (or General > VPN & Device Management) and tap Install. Mac: double-click it, then open System Settings, search for \"Profiles\" and click Install.",
	"use.apple.password":      "The file contains the password in clear text: send it only over a private channel and delete it once installed.",
	"use.apple.no-password":   "The device asks for the password while installing.",
	"use.apple.signed":        "The profile is signed, so the device shows who issued it (\"Verified\" when it trusts the certificate chain).",
	"use.apple.unsigned":      "The profile is not signed, so the device shows it as \"Unsigned\"; that is expected.",
	"use.android.k9s":         "Thunderbird for Android / K-9 Mail: copy the file to the phone, then %[1]s -> %[2]s (on a new install: %[3]s on the welcome screen) and pick it. Gmail and Samsung Email have no import file: use the setup sheet.",
	"use.android.qr":          "Thunderbird for Android: tap %[3]s (welcome screen, or %[1]s -> %[2]s), choose to scan a QR code and scan this image. Gmail and Samsung Email cannot scan it: use the setup sheet.",
	"use.android.password":    "It contains the password: delete it from the phone and the computer once the account works.",
	"use.json":                "mailsetup's own description of the account (no password): keep it to export the other formats again later, or give it to whoever sets up the mail client; any JSON tool can read it.",
	"use.outlook.xml":         "Classic Outlook for Windows: copy this file to %s (keep its name) and import outlook-autodiscover.reg, then add %s with File > Add Account; Outlook reads the settings from this file and asks for the password. A mail admin can instead answer Autodiscover requests for %s with it, but only on the domain's own host names over HTTPS with a valid certificate.",
	"use.outlook.reg":         "Classic Outlook for Windows (2016, 2019, 2021, 365): first copy %s to %s, then double-click this file and confirm, so Outlook reads that file for %s (current user only). Then add the account with File > Add Account. New Outlook, Outlook for Mac and Outlook mobile ignore it: use the setup sheet there.",
	"use.outlook.prf":         "Best effort, classic Outlook for Windows only, and not recommended by Microsoft since Outlook 2016: create a new profile with outlook.exe /importprf \"<folder>\\outlook.prf\". Prefer %s with outlook-autodiscover.reg. New Outlook, Outlook for Mac and Outlook mobile have no import file at all: follow the setup sheet and enter the settings by hand.",
	"use.outlook.prf.add":     "Importing adds the profile %s without making it the default: Outlook keeps starting with your current profile; to use the new one, choose it in Control Panel > Mail > Show Profiles.",
	"use.outlook.prf.default": "Importing adds the profile %s and makes it the default: from then on Outlook starts with it instead of your current profile.",
	"use.thunderbird":         "Thunderbird: when adding the account, Thunderbird looks for this kind of file itself; to use this one, put it in the isp folder of the Thunderbird installation (e.g. %[1]s on Windows, %[2]s on Linux) before adding %[3]s in %[4]s > %[5]s > %[6]s.",
	"use.thunderbird.domain":  "For the mail admin of %s: serve this file over HTTPS at %s (or %s); Thunderbird, Thunderbird for Android and other clients then find the settings for every address at %s by themselves. It holds no personal data.",
	"use.thunderbird.guessed": "This account's login name does not follow its address, so the file assumes users log in with their full address (%s): edit <username> if your server uses other login names.",
	"use.thunderbird.userjs":  "Thunderbird desktop, for a new, empty profile only: close Thunderbird, copy user.js into the profile folder (Help > Troubleshooting Information > Profile Folder), start Thunderbird and enter the password when asked; then delete user.js, because Thunderbird re-applies it on every start and it would replace any other accounts.",
	"use.sheet.html":          "Open it in a browser and print it or keep it: the settings and step-by-step instructions for iPhone, Mac, Outlook, Thunderbird, Gmail and Samsung Email. It does not contain the password.",
	"use.sheet.md":            "The same setup sheet as plain text (Markdown), e.g. to paste into an e-mail or a ticket. It does not contain the password.",
	"use.qr-too-long":         "%s was not written: the settings take %d bytes, more than a QR code holds; the other files were written",
	"use.qr-too-long.name":    " (the display name alone is %d bytes: a shorter one fits)",
	"use.sheet-qr":            "the setup sheet's QR code",

	"export.using":             "using settings from %s (%s): %s, %s",
	"export.warning":           "warning: %s",
	"export.note":              "note: %s",
	"export.starttls-upgraded": "%s offers STARTTLS and it passed the check: the files use it instead of the unencrypted connection discovery found",
	"export.cleartext":         "%s is not encrypted: the password and every message cross the network in the clear",
	"export.password-files":    "warning: the password is inside the files marked [password]; they are readable only by you (mode 0600). Delete them once installed, and send them only over channels you trust.",
	"export.password-prompt":   "Password for %s: ",
	"export.wrote":             "Wrote %d file(s):",
	"export.password-mark":     "[password]",
	"export.no-import-file":    "New Outlook, Outlook for Mac, Outlook mobile, Gmail and Samsung Email have no import file: use the setup sheet (--format sheet).",
	"export.scan-qr":           "Scan with Thunderbird for Android (Import settings):",

	"bulk.password-files": "warning: the files of rows with a password hold it; they are readable only by you (mode 0600). Delete them once installed, and send them only over channels you trust.",
	"bulk.input-readable": "warning: %s holds passwords and is readable by other users (mode %o); chmod 600 it",
	"bulk.no-address":     "(no address)",
	"bulk.use-force":      "; use --force to replace it",
	"bulk.failed":         "%d of %d row(s) failed; the report says why",
	"bulk.title":          "Bulk onboarding into",
	"bulk.s.rows":         "rows",
	"bulk.s.ok":           "ok",
	"bulk.s.warnings":     "warnings",
	"bulk.s.failed":       "failed",
	"bulk.s.skipped":      "skipped",
	"bulk.s.domains":      "domains",
	"bulk.s.discoveries":  "discoveries",
	"bulk.s.probes":       "servers probed",
	"bulk.s.logins":       "logins tested",
	"bulk.s.time":         "time",
	"bulk.s.rate":         "rows/s",
	"bulk.domain":         "domain",
	"bulk.report":         "Report: %s",
	"bulk.progress":       "ok %d  warn %d  failed %d",
	"bulk.progress.rows":  "rows",

	"bulk.rows-before": "(the rows before it were processed)",
	"setup.cannot-ask": "cannot ask %q when not running interactively: pass %s",
	"setup.broken":     "servers were found for %s, but none passed the live check (listed above): fix them, or pass %s",
	"setup.or":         " or ",
	"setup.email-arg":  "the EMAIL argument",
}
