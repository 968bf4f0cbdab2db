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
}
