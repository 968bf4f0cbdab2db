package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/mailsetup/mailsetup/internal/i18n"
)

// TLSInfo records a TLS session and its certificate, also when the
// certificate failed verification (the handshake still fails closed).
type TLSInfo struct {
	// Mode is "implicit" or "starttls".
	Mode        string    `json:"mode"`
	Version     string    `json:"version,omitempty"`
	Cipher      string    `json:"cipher,omitempty"`
	Subject     string    `json:"subject,omitempty"`
	SANs        []string  `json:"sans,omitempty"`
	Issuer      string    `json:"issuer,omitempty"`
	NotBefore   time.Time `json:"not_before,omitzero"`
	NotAfter    time.Time `json:"not_after,omitzero"`
	DaysLeft    int       `json:"days_left"`
	ChainLength int       `json:"chain_length"`
	// Trusted: the chain leads to a trusted root (ignoring the host name).
	Trusted bool `json:"trusted"`
	// NameMatch: the certificate is valid for the host name dialled.
	NameMatch bool `json:"name_match"`
	// Verified: both of the above and within its validity dates; only then
	// is a password ever sent.
	Verified    bool   `json:"verified"`
	VerifyError string `json:"verify_error,omitempty"`
	// Handshake is the handshake time in milliseconds.
	HandshakeMS float64 `json:"handshake_ms"`
}

// certCheck is what VerifyConnection found.
type certCheck struct {
	info     TLSInfo
	selfSig  bool
	expired  bool
	notYet   bool
	recorded bool
}

// tlsConfig returns a client config that records the peer certificate and
// verifies it itself (InsecureSkipVerify plus VerifyConnection, so that a
// failing certificate is still recorded), failing closed on any problem.
func tlsConfig(host string, roots *x509.CertPool, now func() time.Time, minV, maxV uint16, cc *certCheck) *tls.Config {
	return &tls.Config{
		ServerName:         serverName(host),
		InsecureSkipVerify: true, // verification happens in VerifyConnection, which fails closed
		MinVersion:         minV,
		MaxVersion:         maxV,
		VerifyConnection: func(cs tls.ConnectionState) error {
			return cc.verify(cs, host, roots, now())
		},
	}
}

// serverName is the SNI value: host names only, never IP literals.
func serverName(host string) string {
	if net.ParseIP(host) != nil {
		return ""
	}
	return host
}

func (cc *certCheck) verify(cs tls.ConnectionState, host string, roots *x509.CertPool, now time.Time) error {
	if len(cs.PeerCertificates) == 0 {
		return i18n.Error("proto.no-certificate")
	}
	leaf := cs.PeerCertificates[0]
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	i := &cc.info
	cc.recorded = true
	i.Subject = leaf.Subject.String()
	i.Issuer = leaf.Issuer.String()
	i.SANs = append(append([]string{}, leaf.DNSNames...), ipStrings(leaf)...)
	i.NotBefore, i.NotAfter = leaf.NotBefore.UTC(), leaf.NotAfter.UTC()
	i.DaysLeft = int(leaf.NotAfter.Sub(now).Hours() / 24)
	i.ChainLength = len(cs.PeerCertificates)
	cc.expired = now.After(leaf.NotAfter)
	cc.notYet = now.Before(leaf.NotBefore)
	cc.selfSig = bytes.Equal(leaf.RawIssuer, leaf.RawSubject) &&
		leaf.CheckSignature(leaf.SignatureAlgorithm, leaf.RawTBSCertificate, leaf.Signature) == nil

	chainErr := chainTrusted(leaf, roots, inter, now, cc.expired || cc.notYet)
	i.Trusted = chainErr == nil
	nameErr := leaf.VerifyHostname(host)
	i.NameMatch = nameErr == nil

	var problems []string
	switch {
	case cc.expired:
		problems = append(problems, fmt.Sprintf("certificate expired on %s", leaf.NotAfter.UTC().Format(time.DateOnly)))
	case cc.notYet:
		problems = append(problems, fmt.Sprintf("certificate not valid before %s", leaf.NotBefore.UTC().Format(time.DateOnly)))
	}
	if chainErr != nil {
		problems = append(problems, "untrusted: "+chainErr.Error())
	}
	if nameErr != nil {
		problems = append(problems, "name mismatch: "+nameErr.Error())
	}
	if len(problems) > 0 {
		i.VerifyError = strings.Join(problems, "; ")
		return errors.New(i.VerifyError)
	}
	i.Verified = true
	return nil
}

// chainTrusted verifies that leaf chains to a trusted root. An expired or
// not yet valid leaf (outOfDate) is judged apart from its own dates, so
// that it is reported as expired, not also as untrusted: Go's verifier
// stops at the leaf's dates (x509.CertificateInvalidError, Expired)
// before it looks at the chain. It checks first the chain as it stands
// now with the leaf's dates set aside (a copy of the leaf whose validity
// covers now; signatures are checked over the unchanged raw
// certificate, so nothing else is relaxed), then the whole chain at the
// moment nearest to now that the leaf was valid (for platform verifiers,
// which read the raw certificate). The dates themselves are reported by
// the caller.
func chainTrusted(leaf *x509.Certificate, roots, inter *x509.CertPool, now time.Time, outOfDate bool) error {
	opts := x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now}
	_, err := leaf.Verify(opts)
	if err == nil || !outOfDate {
		return err
	}
	undated := *leaf
	undated.NotBefore, undated.NotAfter = now.Add(-time.Minute), now.Add(time.Minute)
	if _, err2 := undated.Verify(opts); err2 == nil {
		return nil
	}
	opts.CurrentTime = leaf.NotAfter
	if now.Before(leaf.NotBefore) {
		opts.CurrentTime = leaf.NotBefore
	}
	_, err = leaf.Verify(opts)
	return err
}

func ipStrings(c *x509.Certificate) []string {
	var out []string
	for _, ip := range c.IPAddresses {
		out = append(out, ip.String())
	}
	return out
}

// handshake runs a TLS client handshake on c under the phase timeout and
// fills in the version and cipher.
func (s *session) handshake(host string, roots *x509.CertPool, now func() time.Time, mode string) (*TLSInfo, *certCheck, error) {
	cc := &certCheck{}
	tc := tls.Client(s.conn, tlsConfig(host, roots, now, tls.VersionTLS12, 0, cc))
	s.deadline()
	ctx, cancel := context.WithTimeout(s.ctx, s.timeout)
	defer cancel()
	start := time.Now()
	err := tc.HandshakeContext(ctx)
	cc.info.Mode = mode
	cc.info.HandshakeMS = ms(time.Since(start))
	if err != nil {
		s.trace("%s", i18n.M("trace.probe.tls-failed", err))
		return &cc.info, cc, s.ctxErr(err)
	}
	st := tc.ConnectionState()
	cc.info.Version = tls.VersionName(st.Version)
	cc.info.Cipher = tls.CipherSuiteName(st.CipherSuite)
	s.trace("%s", i18n.M("trace.probe.tls", cc.info.Version, cc.info.Cipher, cc.info.Subject))
	s.conn = tc
	s.r.Reset(tc)
	return &cc.info, cc, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
