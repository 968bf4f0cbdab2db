package templates

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"
)

// testPKI is a root CA, an intermediate CA and two signers under it.
type testPKI struct {
	root, inter       *x509.Certificate
	rootKey, interKey *ecdsa.PrivateKey
	rsaCert, ecCert   *x509.Certificate
	rsaKey            *rsa.PrivateKey
	ecKey             *ecdsa.PrivateKey
}

var (
	pkiOnce sync.Once
	pki     testPKI
	pkiErr  error
)

func issue(tmpl, parent *x509.Certificate, pub crypto.PublicKey, parentKey crypto.Signer) (*x509.Certificate, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, parentKey)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

func certTemplate(serial int64, cn string, ca bool) *x509.Certificate {
	t := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"mailsetup test"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	if ca {
		t.IsCA, t.BasicConstraintsValid = true, true
		t.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	} else {
		t.KeyUsage = x509.KeyUsageDigitalSignature
		t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection, x509.ExtKeyUsageCodeSigning}
	}
	return t
}

// getPKI makes the test PKI once: RSA-2048 key generation is slow.
func getPKI(t testing.TB) *testPKI {
	t.Helper()
	pkiOnce.Do(func() {
		p := &pki
		var err error
		if p.rootKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			pkiErr = err
			return
		}
		rootTmpl := certTemplate(1, "mailsetup test root", true)
		if p.root, err = issue(rootTmpl, rootTmpl, p.rootKey.Public(), p.rootKey); err != nil {
			pkiErr = err
			return
		}
		p.interKey, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		interTmpl := certTemplate(2, "mailsetup test intermediate", true)
		interTmpl.MaxPathLenZero = true
		if p.inter, err = issue(interTmpl, p.root, p.interKey.Public(), p.rootKey); err != nil {
			pkiErr = err
			return
		}
		if p.rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			pkiErr = err
			return
		}
		if p.rsaCert, err = issue(certTemplate(3, "profile signer RSA", false), p.inter, p.rsaKey.Public(), p.interKey); err != nil {
			pkiErr = err
			return
		}
		p.ecKey, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		p.ecCert, pkiErr = issue(certTemplate(4, "profile signer P-256", false), p.inter, p.ecKey.Public(), p.interKey)
	})
	if pkiErr != nil {
		t.Fatal(pkiErr)
	}
	return &pki
}

func pemCert(certs ...*x509.Certificate) []byte {
	var b bytes.Buffer
	for _, c := range certs {
		pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	return b.Bytes()
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSignProfile(t *testing.T) {
	p := getPKI(t)
	dir := t.TempDir()
	caFile := writeFile(t, dir, "ca.pem", pemCert(p.root))
	chainFile := writeFile(t, dir, "chain.pem", pemCert(p.inter))
	pkcs8 := func(k any) []byte {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return pemBlock("PRIVATE KEY", der)
	}
	ecDER, err := x509.MarshalECPrivateKey(p.ecKey)
	if err != nil {
		t.Fatal(err)
	}
	ecParams := pemBlock("EC PARAMETERS", []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07})
	cases := []struct {
		name          string
		cert          []byte
		key           []byte
		chain         bool
		deterministic bool
	}{
		{"rsa-pkcs1", pemCert(p.rsaCert), pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(p.rsaKey)), true, true},
		{"rsa-pkcs8-fullchain", pemCert(p.rsaCert, p.inter), pkcs8(p.rsaKey), false, true},
		{"p256-sec1", pemCert(p.ecCert), append(ecParams, pemBlock("EC PRIVATE KEY", ecDER)...), true, false},
		{"p256-pkcs8", pemCert(p.ecCert), pkcs8(p.ecKey), true, false},
	}
	a := fixtureAccount(t, "special")
	unsigned := renderOne(t, "apple", a, Options{})
	var plain []byte
	for _, f := range unsigned {
		plain = f.Data
	}
	roots := x509.NewCertPool()
	roots.AddCert(p.root)

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			certFile := writeFile(t, dir, tc.name+"-cert.pem", tc.cert)
			keyFile := writeFile(t, dir, tc.name+"-key.pem", tc.key)
			var chains []string
			if tc.chain {
				chains = []string{chainFile}
			}
			s, err := LoadSigner(certFile, keyFile, chains...)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Chain) != 1 || !s.Chain[0].Equal(p.inter) {
				t.Fatalf("chain %v", s.Chain)
			}
			files, err := Render("apple", a, Options{Sign: s})
			if err != nil {
				t.Fatal(err)
			}
			signed := files[0]
			if signed.Name != a.Email.FileName()+".mobileconfig" || !strings.Contains(signed.Use, "signed") {
				t.Errorf("name %q use %q", signed.Name, signed.Use)
			}
			again, err := Render("apple", a, Options{Sign: s})
			if err != nil {
				t.Fatal(err)
			}
			if same := bytes.Equal(again[0].Data, signed.Data); same != tc.deterministic {
				t.Errorf("signing twice gave equal bytes: %v, want %v", same, tc.deterministic)
			}

			// Go: an independent CMS parser and verifier.
			p7, err := pkcs7.Parse(signed.Data)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(p7.Content, plain) {
				t.Error("the attached content is not the unsigned profile")
			}
			if err := p7.VerifyWithChain(roots); err != nil {
				t.Errorf("pkcs7 verify: %v", err)
			}
			if len(p7.Certificates) != 2 || !p7.GetOnlySigner().Equal(s.Cert) {
				t.Errorf("certificates: %d, signer %v", len(p7.Certificates), p7.GetOnlySigner())
			}
			var attrs []string
			for _, at := range p7.Signers[0].AuthenticatedAttributes {
				attrs = append(attrs, at.Type.String())
			}
			if strings.Join(attrs, " ") != "1.2.840.113549.1.9.3 1.2.840.113549.1.9.4" {
				t.Errorf("signed attributes %v, want content-type and message-digest only", attrs)
			}
			// A changed byte in the content breaks the signature.
			bad := bytes.Replace(signed.Data, []byte("EmailTypeIMAP"), []byte("EmailTypeIMAQ"), 1)
			if p7b, err := pkcs7.Parse(bad); err == nil && p7b.Verify() == nil {
				t.Error("tampered profile verifies")
			}

			// OpenSSL, as the brief's command line does it.
			openssl := requireTool(t, "openssl")
			in := writeFile(t, dir, tc.name+".mobileconfig", signed.Data)
			out := filepath.Join(dir, tc.name+".plist")
			cmd := exec.Command(openssl, "cms", "-verify", "-inform", "DER", "-in", in, "-CAfile", caFile, "-out", out)
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("openssl cms -verify: %v\n%s", err, msg)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, plain) {
				t.Errorf("openssl extracted %d bytes that differ from the unsigned profile", len(got))
			}
			other := writeFile(t, dir, "other-ca.pem", pemCert(p.inter))
			if err := exec.Command(openssl, "cms", "-verify", "-inform", "DER", "-in", in, "-CAfile", other, "-partial_chain", "-out", out).Run(); err != nil {
				t.Errorf("openssl with the intermediate as a partial-chain anchor: %v", err)
			}
			// Without the root, OpenSSL must refuse the chain.
			self := writeFile(t, dir, "self.pem", pemCert(s.Cert))
			if err := exec.Command(openssl, "cms", "-verify", "-inform", "DER", "-in", in, "-CAfile", self, "-out", out).Run(); err == nil {
				t.Error("openssl verified against a store without the root")
			}
		})
	}
}

func TestParseSignerErrors(t *testing.T) {
	p := getPKI(t)
	ecDER, _ := x509.MarshalECPrivateKey(p.ecKey)
	ecKeyPEM := pemBlock("EC PRIVATE KEY", ecDER)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	edDER, _ := x509.MarshalPKCS8PrivateKey(edKey)
	expiredTmpl := certTemplate(9, "expired", false)
	expiredTmpl.NotBefore, expiredTmpl.NotAfter = time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour)
	expired, err := issue(expiredTmpl, p.inter, p.ecKey.Public(), p.interKey)
	if err != nil {
		t.Fatal(err)
	}
	edTmpl := certTemplate(10, "ed25519", false)
	edCert, err := issue(edTmpl, p.inter, edKey.Public(), p.interKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		cert, key []byte
		chain     [][]byte
		want      string
	}{
		{"no cert", ecKeyPEM, ecKeyPEM, nil, "where certificates were expected"},
		{"empty cert", []byte("nothing"), ecKeyPEM, nil, "no CERTIFICATE"},
		{"no key", pemCert(p.ecCert), pemCert(p.ecCert), nil, "CERTIFICATE where the private key"},
		{"empty key", pemCert(p.ecCert), nil, nil, "no PRIVATE KEY"},
		{"wrong key", pemCert(p.rsaCert), ecKeyPEM, nil, "does not belong to the certificate"},
		{"encrypted pkcs8", pemCert(p.ecCert), pemBlock("ENCRYPTED PRIVATE KEY", []byte{1, 2, 3}), nil, "encrypted"},
		{"encrypted legacy", pemCert(p.ecCert), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00"}, Bytes: []byte{1}}), nil, "encrypted"},
		{"ed25519", pemCert(edCert), pemBlock("PRIVATE KEY", edDER), nil, "RSA or ECDSA"},
		{"expired", pemCert(expired), ecKeyPEM, nil, "expired"},
		{"chain without issuer", pemCert(p.ecCert), ecKeyPEM, [][]byte{pemCert(p.root)}, "does not contain the issuer"},
		{"empty chain", pemCert(p.ecCert), ecKeyPEM, [][]byte{[]byte("x")}, "certificate chain: no CERTIFICATE"},
		{"garbage key", pemCert(p.ecCert), pemBlock("EC PRIVATE KEY", []byte{1, 2}), nil, "EC PRIVATE KEY"},
	} {
		_, err := ParseSigner(tc.cert, tc.key, tc.chain...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := LoadSigner(filepath.Join(t.TempDir(), "missing.pem"), "k"); err == nil || !strings.Contains(err.Error(), "missing.pem") {
		t.Errorf("missing file: %v", err)
	}
	// SignProfile checks the key too, for signers built by hand.
	if _, err := SignProfile([]byte("x"), &Signer{Cert: p.rsaCert, Key: p.ecKey}); err == nil || !strings.Contains(err.Error(), "does not belong") {
		t.Errorf("mismatched Signer: %v", err)
	}
	if _, err := SignProfile([]byte("x"), &Signer{Cert: p.rsaCert}); err == nil {
		t.Error("Signer without a key accepted")
	}
	// A self-signed signer without a chain works.
	selfTmpl := certTemplate(11, "self", false)
	self, _ := issue(selfTmpl, selfTmpl, p.ecKey.Public(), p.ecKey)
	if _, err := ParseSigner(pemCert(self), ecKeyPEM); err != nil {
		t.Errorf("self-signed: %v", err)
	}
}

func benchSign(b *testing.B, s *Signer) {
	files, err := Render("apple", fixtureAccount(b, "imap"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	profile := files[0].Data
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SignProfile(profile, s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignRSA2048(b *testing.B) {
	p := getPKI(b)
	benchSign(b, &Signer{Cert: p.rsaCert, Key: p.rsaKey, Chain: []*x509.Certificate{p.inter}})
}

func BenchmarkSignP256(b *testing.B) {
	p := getPKI(b)
	benchSign(b, &Signer{Cert: p.ecCert, Key: p.ecKey, Chain: []*x509.Certificate{p.inter}})
}
