package autoconfig

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
)

// pop3XML is a config with one POP3 server whose <pop3> options are
// leave and days.
func pop3XML(leave, days string) string {
	return `<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
<incomingServer type="pop3"><hostname>pop.example.test</hostname><port>995</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>
<pop3><leaveMessagesOnServer>` + leave + `</leaveMessagesOnServer><daysToLeaveMessagesOnServer>` + days + `</daysToLeaveMessagesOnServer></pop3></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`
}

func TestParseConfigPOP3Days(t *testing.T) {
	tests := []struct {
		leave, days string
		want        int
		ignored     string // in Ignored(), "" for none
	}{
		{"true", "7", 7, ""},
		{"true", " 3650 ", 3650, ""},
		{"true", "0", 0, ""},
		{"true", "", 0, ""},
		{"true", "3651", 3650, "used 3650 for daysToLeaveMessagesOnServer \"3651\""},
		{"true", "2147483648", 3650, "limited to 0–3650"},
		{"true", "99999999999999999999999", 3650, "limited to 0–3650"},
		{"true", "-5", 0, "ignored daysToLeaveMessagesOnServer \"-5\""},
		{"true", "seven", 0, "not a number of days"},
		{"false", "99999999999", 0, ""},
	}
	for _, tt := range tests {
		c, err := ParseConfig([]byte(pop3XML(tt.leave, tt.days)))
		if err != nil {
			t.Fatalf("%s/%s: %v", tt.leave, tt.days, err)
		}
		ign := strings.Join(c.Ignored(), "; ")
		if c.POP3.DaysOnServer != tt.want || (tt.ignored == "") != (ign == "") || !strings.Contains(ign, tt.ignored) {
			t.Errorf("leave %s days %q: %d days, ignored %q; want %d, %q", tt.leave, tt.days, c.POP3.DaysOnServer, ign, tt.want, tt.ignored)
		}
	}
}

// TestDiscoverPOP3DaysClamped: a remote file's huge POP3 days value is
// clamped before it reaches an account, and the trail says so.
func TestDiscoverPOP3DaysClamped(t *testing.T) {
	e := newDEnv(t)
	e.opts.NoVerify = true
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", xmlRoute(pop3XML("true", "99999999999")))
	res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig)
	c := top(t, res, err)
	if c.Account.POP3 == nil || c.Account.POP3.DaysOnServer != account.MaxDaysOnServer {
		t.Fatalf("POP3 options %+v", c.Account.POP3)
	}
	if err := c.Account.Validate(); err != nil {
		t.Errorf("discovered account does not validate: %v", err)
	}
	want := fmt.Sprintf(`used 3650 for daysToLeaveMessagesOnServer "99999999999" in a file from autoconfig.example.test: POP3 days on the server are limited to 0–%d`, account.MaxDaysOnServer)
	if !trailHas(res, account.SourceAutoconfig, want) {
		t.Errorf("trail lacks %q: %+v", want, res.Trail)
	}
}

// TestCandidatesCapped: a remote file listing 1,000 incoming servers
// gives at most MaxCandidates candidates, and the trail says how many were
// dropped.
func TestCandidatesCapped(t *testing.T) {
	e := newDEnv(t)
	e.opts.NoVerify = true
	var b strings.Builder
	b.WriteString(`<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>`)
	for i := range 1000 {
		fmt.Fprintf(&b, `<incomingServer type="imap"><hostname>imap%d.example.test</hostname><port>993</port><socketType>SSL</socketType><username>%%EMAILADDRESS%%</username><authentication>password-cleartext</authentication></incomingServer>`, i)
	}
	// The same server twice counts once.
	b.WriteString(`<incomingServer type="imap"><hostname>imap0.example.test</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>`)
	b.WriteString(`<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer></emailProvider></clientConfig>`)
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", xmlRoute(b.String()))
	res, err := e.discover(t, "jane@example.test", account.SourceAutoconfig)
	top(t, res, err)
	if len(res.Candidates) != MaxCandidates || res.Candidates[19].Account.Incoming.Host != "imap19.example.test" {
		t.Errorf("%d candidates, the last %s", len(res.Candidates), res.Candidates[len(res.Candidates)-1].Account.Incoming)
	}
	if !trailHas(res, account.SourceAutoconfig, "kept the first 20 of 1000 candidates; 980 dropped") {
		t.Errorf("trail does not say how many were dropped: %+v", res.Trail)
	}
	// A short list is kept whole, with no such trail entry.
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", xmlRoute(configXML("example.test", "imap.example.test", 993, "smtp.example.test", 465, "")))
	res, err = e.discover(t, "jane@example.test", account.SourceAutoconfig)
	top(t, res, err)
	if len(res.Candidates) != 1 || trailHas(res, account.SourceAutoconfig, "dropped") {
		t.Errorf("%d candidates, trail %+v", len(res.Candidates), res.Trail)
	}
}
