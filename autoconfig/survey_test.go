package autoconfig

import (
	"context"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
)

// TestSurveyRunsEverySource: where Discover stops at the first source in
// priority order, Survey keeps every source's answer, each checked live.
func TestSurveyRunsEverySource(t *testing.T) {
	e := newDEnv(t)
	e.n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", xmlRoute(configXML("example.test", "imap.example.test", 993, "smtp.example.test", 465, "")))
	z := e.n.DNS()
	z.AddSRV("_imaps._tcp.example.test", 0, 1, 993, "mail.example.test")
	z.AddSRV("_submissions._tcp.example.test", 0, 1, 465, "mail.example.test")
	o := e.opts
	o.Only = []account.Source{account.SourceAutoconfig, account.SourceSRV, account.SourceAutodiscover}
	sv, err := Survey(context.Background(), account.MustParseAddress("jane@example.test"), o)
	if err != nil {
		t.Fatal(err)
	}
	ac, srv, ad, mx := sv.Source(account.SourceAutoconfig), sv.Source(account.SourceSRV), sv.Source(account.SourceAutodiscover), sv.Source(account.SourceMX)
	if !ac.Tried || len(ac.Candidates) != 1 || ac.Candidates[0].Account.Incoming.Host != "imap.example.test" {
		t.Errorf("autoconfig: %+v", ac)
	}
	if !srv.Tried || len(srv.Candidates) != 1 || srv.Candidates[0].Account.Incoming.Host != "mail.example.test" {
		t.Errorf("srv: %+v", srv)
	}
	// The URL asked with the address, and again without it (it answers
	// both ways).
	if d := ac.DocumentOf(ac.Candidates[0]); len(ac.Documents) != 2 || d == nil || d.ContentType != "application/xml" ||
		d.WithoutAddress == nil || !*d.WithoutAddress || !strings.Contains(d.URL, "?emailaddress=") {
		t.Errorf("autoconfig documents: %+v", ac.Documents)
	}
	for _, s := range []*SourceSurvey{ac, srv} {
		for _, c := range s.Candidates {
			if c.Verification == nil || !c.Verification.OK {
				t.Errorf("%s candidate not checked live: %+v", s.Source, c.Verification)
			}
		}
	}
	if !ad.Tried || len(ad.Candidates) != 0 || len(ad.Trail) == 0 {
		t.Errorf("autodiscover: %+v", ad)
	}
	if mx.Tried || len(mx.Trail) != 0 {
		t.Errorf("mx was left out by Only but %+v", mx)
	}
}
