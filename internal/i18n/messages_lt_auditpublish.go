package i18n

func init() { add(LT, ltAuditPublish) }

var ltAuditPublish = map[string]string{
	"audit.publish.autoconfig":      "Paskelbkite šį config-v1.1.xml adresais %s ir %s (Thunderbird, Thunderbird for Android):",
	"audit.publish.autodiscover":    "Paskelbkite šį Autodiscover atsakymą adresu %s (Outlook; parašytas naudotojui %s, mailsetup serve atsako kiekvienam naudotojui):",
	"audit.publish.dns":             "Įtraukite šiuos įrašus į domeno %s DNS zoną:",
	"audit.publish.serve":           "Arba leiskite mailsetup serve atsakyti kiekvienam klientui (%s):",
	"audit.publish.no-autodiscover": "Outlook skirto Autodiscover atsakymo paskelbti negalima: %s",
}
