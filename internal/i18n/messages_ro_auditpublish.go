package i18n

func init() { add(RO, roAuditPublish) }

var roAuditPublish = map[string]string{
	"audit.publish.autoconfig":      "Publicați acest config-v1.1.xml la %s și la %s (Thunderbird, Thunderbird pentru Android):",
	"audit.publish.autodiscover":    "Publicați acest răspuns Autodiscover la %s (Outlook; scris pentru %s, mailsetup serve răspunde fiecărui utilizator):",
	"audit.publish.dns":             "Adăugați aceste înregistrări în zona DNS a domeniului %s:",
	"audit.publish.serve":           "Sau lăsați mailsetup serve să răspundă fiecărui client (%s):",
	"audit.publish.no-autodiscover": "Niciun răspuns Autodiscover de publicat pentru Outlook: %s",
}
