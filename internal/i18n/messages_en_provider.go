package i18n

func init() { add(EN, enProvider) }

// enProvider holds the labels discover and the wizard put around what a
// provider's settings document says beyond its servers (the step to
// enable access, documentation, every sign-in method, the other outgoing
// servers). The provider's texts themselves are shown as they are.
var enProvider = map[string]string{
	"discover.provider-says":              "From the provider (its own words):",
	"discover.provider-enable":            "Enable first",
	"discover.provider-docs":              "Documentation",
	"discover.method.password-cleartext":  "password",
	"discover.method.password-encrypted":  "encrypted password",
	"discover.method.oauth2":              "OAuth2 (web sign-in)",
	"discover.method.ntlm":                "NTLM",
	"discover.method.gssapi":              "Kerberos / GSSAPI",
	"discover.method.client-ip-address":   "client IP address",
	"discover.method.tls-client-cert":     "TLS client certificate",
	"discover.method.none":                "no sign-in",
	"discover.method.or":                  "%s, or %s",
	"discover.signin-outgoing":            "Sign-in (SMTP)",
	"discover.other-outgoing":             "Other outgoing",
	"wizard.provider-says":                "From the provider (its own words):",
	"wizard.signin-methods":               "Sign-in: %s",
	"wizard.signin-methods-outgoing":      "Sign-in (SMTP): %s",
	"wizard.other-outgoing":               "Other outgoing servers: %s",
	"wizard.q.outgoing-alt":               "Which outgoing server?",
	"wizard.h.outgoing-alt":               "The provider lists more than one outgoing server. If your network blocks one (many block port 25, some 465 or 587), pick another.",
	"wizard.o.outgoing-type":              "Another server (type it)",
	"wizard.o.outgoing-alt":               "Use another outgoing server from the provider",
	"wizard.outgoing-failed-alternatives": "The outgoing server failed the check; the provider lists others: %s.",
}
