package i18n

func init() { add(EN, enAuditPublish) }

// enAuditPublish holds the labels of the records `mailsetup audit`
// prints to publish.
var enAuditPublish = map[string]string{
	"audit.publish.autoconfig":      "Publish this config-v1.1.xml at %s and %s (Thunderbird, Thunderbird for Android):",
	"audit.publish.autodiscover":    "Publish this Autodiscover response at %s (Outlook; written for %s, mailsetup serve answers every user):",
	"audit.publish.dns":             "Add these records to the DNS zone of %s:",
	"audit.publish.serve":           "Or let mailsetup serve answer every client (%s):",
	"audit.publish.no-autodiscover": "No Autodiscover response to publish for Outlook: %s",
}
