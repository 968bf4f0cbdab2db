package probe

import (
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// An expired certificate from the trusted authority is reported as expired
// only, not also as untrusted (which sends people off installing CAs).
// mailtest's CA is younger than its expired certificates, as an
// intermediate renewed since often is, so checking the chain at a moment
// inside the certificate's own dates is not enough.
func TestExpiredFromTrustedIssuerIsOnlyExpired(t *testing.T) {
	for _, tt := range []struct {
		kind mailtest.CertKind
		code Code
	}{{mailtest.CertExpired, CodeTLSCertExpired}, {mailtest.CertNotYetValid, CodeTLSCertNotYetValid}} {
		e := newEnv(t)
		e.n.SetCertKind("imap.example.test", tt.kind)
		ep := e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, mailtest.DefaultPassword)
		got := codes(ep)
		if len(got) != 1 || got[0] != tt.code {
			t.Errorf("%s: findings %v, want only %s", tt.kind, got, tt.code)
		}
		if ep.TLS == nil || !ep.TLS.Trusted || ep.TLS.Verified || strings.Contains(ep.TLS.VerifyError, "untrusted") {
			t.Errorf("%s: TLS %+v; want trusted, not verified", tt.kind, ep.TLS)
		}
		if ep.Login != nil {
			t.Errorf("%s: login attempted over an out-of-date certificate", tt.kind)
		}
	}
	// A self-signed certificate stays untrusted: setting the dates aside
	// relaxes nothing else.
	e := newEnv(t)
	e.n.SetCertKind("imap.example.test", mailtest.CertSelfSigned)
	ep := e.probe(t, account.IMAP, "imap.example.test", 993, account.TLS, "")
	if !hasCode(ep, CodeTLSCertSelfSigned) || ep.TLS.Trusted {
		t.Errorf("self-signed: findings %v, trusted %v", codes(ep), ep.TLS.Trusted)
	}
}
