package i18n

func init() { add(EN, enServe) }

// enServe holds the words of the page `mailsetup serve` shows at /.
var enServe = map[string]string{
	"serve.page.title":          "Set up your e-mail",
	"serve.page.intro":          "Enter your e-mail address to get the settings for your mail app, with step-by-step instructions.",
	"serve.page.address":        "E-mail address",
	"serve.page.submit":         "Show my settings",
	"serve.page.no-password":    "This page never asks for your password: you type it only in your mail app.",
	"serve.page.bad-address":    "This is not a valid e-mail address.",
	"serve.page.unknown-domain": "This server has no settings for %s.",
	"serve.page.downloads":      "Downloads:",
	"serve.page.profile":        "profile for iPhone, iPad and Mac",
	"serve.page.qr":             "QR code for Thunderbird for Android",
	"serve.page.other":          "another address",

	"serve.check-ok":         "%s is valid. Domains (%d): %s",
	"err.serve.tls-pair":     "--tls-cert and --tls-key go together",
	"err.serve.http-and-tls": "--http serves plain HTTP: leave out --tls-cert and --tls-key",
	"err.serve.transport":    "serve needs --tls-cert and --tls-key or --acme-email for HTTPS, or --http behind a reverse proxy that terminates TLS",
	"err.serve.rate":         "--rate must be 0 (no limit) or more, and --burst at least 1",
	"err.serve.tls":          "cannot load the TLS certificate: %v",
	"err.serve.listen":       "cannot listen on %s: %v",
	"err.serve.config":       "serve needs --config FILE: the domains to serve and their settings",
}
