package mailtest

import "strings"

// ServePlainAutoconfig serves, at autoconfig.example.test, a config-v1.1
// file that lists IMAP 143 and SMTP 587 without encryption (socketType
// plain), the misconfiguration discovery must never use silently. The
// in-process servers offer STARTTLS on both ports; with noIMAPSTARTTLS the
// IMAP server stops offering it.
func (n *Network) ServePlainAutoconfig(noIMAPSTARTTLS bool) {
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", Route{Scheme: "https", Body: `<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
<incomingServer type="imap"><hostname>imap.example.test</hostname><port>143</port><socketType>plain</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>587</port><socketType>plain</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`})
	if noIMAPSTARTTLS {
		n.SetBehavior("imap.example.test:143", Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
			return strings.Replace(line, " STARTTLS", "", 1)
		}})
	}
}
