package probe

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// TestAddressNoAnswerLang probes a server whose IPv6 address never
// answers, in Romanian and Lithuanian: the address's error and the
// finding that quotes it say "no answer within" in the run's language,
// keep the network's own error text, and hold no English catalogue text.
// In English the wording is as before.
func TestAddressNoAnswerLang(t *testing.T) {
	n := leakNetwork(t)
	for _, lang := range []i18n.Lang{i18n.RO, i18n.LT, i18n.EN} {
		t.Run(string(lang), func(t *testing.T) {
			cat := i18n.New(lang)
			opts := Options{
				Dialer: n, Resolver: &netx.Resolver{Server: n.ResolverAddr()}, RootCAs: n.CAPool(),
				PhaseTimeout: time.Second, Catalog: cat,
			}
			srv := account.Server{Protocol: account.IMAP, Host: "imap.good.test", Port: 993, Security: account.TLS}
			rep := Run(context.Background(), opts, "good.test", []Target{{Server: srv}})
			e := rep.Endpoints[0]
			want := cat.T("probe.address.no-answer", "1s", context.DeadlineExceeded)
			var addrErr string
			for _, a := range e.Addresses {
				if a.Error != "" {
					addrErr = a.Error
				}
			}
			if addrErr != want {
				t.Errorf("address error %q, want %q (addresses %+v)", addrErr, want, e.Addresses)
			}
			var msg string
			for _, f := range e.Findings {
				if f.Code == CodeTCPAddressUnreachable {
					msg = f.Message
				}
			}
			if !strings.Contains(msg, want) || !strings.Contains(msg, "context deadline exceeded") {
				t.Errorf("finding %q lacks %q", msg, want)
			}
			if lang == i18n.EN {
				if !strings.Contains(msg, "no answer within 1s: context deadline exceeded") {
					t.Errorf("English finding changed: %q", msg)
				}
				return
			}
			if leaks := i18n.EnglishLeaks(lang, addrErr+"\n"+msg, "probe."); len(leaks) > 0 {
				t.Errorf("English in %q / %q: %q", addrErr, msg, leaks)
			}
			// The report rendered again in another language re-words the
			// finding, quoted address error included.
			rep.Localize(i18n.New(i18n.EN))
			for _, f := range rep.Endpoints[0].Findings {
				if f.Code == CodeTCPAddressUnreachable && !strings.Contains(f.Message, "no answer within 1s") {
					t.Errorf("re-rendered in English: %q", f.Message)
				}
			}
		})
	}
}
