package mailtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"time"
)

// CertKind selects what sort of certificate a server presents.
type CertKind int

const (
	// CertValid is a leaf for the requested names, signed by the test CA and
	// valid now.
	CertValid CertKind = iota
	// CertExpired is signed by the test CA for the requested names but its
	// validity period ended yesterday.
	CertExpired
	// CertNotYetValid is signed by the test CA for the requested names but
	// only becomes valid tomorrow.
	CertNotYetValid
	// CertWrongName is signed by the test CA and valid now, but names only
	// WrongCertName, never the requested names.
	CertWrongName
	// CertSelfSigned names the requested names and is valid now, but signs
	// itself, so it does not chain to the test CA.
	CertSelfSigned
)

// WrongCertName is the only subject alternative name of CertWrongName
// certificates.
const WrongCertName = "wrong-name.invalid"

// String returns a short lower-case name of the kind ("valid", "expired", ...).
func (k CertKind) String() string {
	switch k {
	case CertValid:
		return "valid"
	case CertExpired:
		return "expired"
	case CertNotYetValid:
		return "not-yet-valid"
	case CertWrongName:
		return "wrong-name"
	case CertSelfSigned:
		return "self-signed"
	}
	return fmt.Sprintf("CertKind(%d)", int(k))
}

// CA is an in-memory test certificate authority. It issues server
// certificates for any DNS names or IP addresses and caches them, so asking
// twice for the same kind and names is cheap. A CA is safe for concurrent use.
type CA struct {
	cert    *x509.Certificate
	key     crypto.Signer
	certPEM []byte

	mu    sync.Mutex
	cache map[string]*tls.Certificate
}

// NewCA creates a fresh CA with an ECDSA P-256 root certificate valid from an
// hour ago for ten years.
func NewCA() (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("mailtest: generate CA key: %w", err)
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "mailtest Root CA", Organization: []string{"mailtest"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("mailtest: create CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("mailtest: parse CA certificate: %w", err)
	}
	return &CA{
		cert:    cert,
		key:     key,
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		cache:   make(map[string]*tls.Certificate),
	}, nil
}

// Certificate returns the CA's root certificate.
func (ca *CA) Certificate() *x509.Certificate { return ca.cert }

// PEM returns the CA's root certificate in PEM form (a fresh copy).
func (ca *CA) PEM() []byte { return append([]byte(nil), ca.certPEM...) }

// Pool returns a new certificate pool holding only the CA's root certificate.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.cert)
	return p
}

// Issue returns a server certificate of the given kind for names, each a DNS
// name or an IP address literal. The first name becomes the subject common
// name. The result's Leaf is set. Results are cached per kind and names.
func (ca *CA) Issue(kind CertKind, names ...string) (*tls.Certificate, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("mailtest: issue %s certificate: no names", kind)
	}
	cacheKey := kind.String() + "|" + strings.ToLower(strings.Join(names, ","))
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if c, ok := ca.cache[cacheKey]; ok {
		return c, nil
	}
	c, err := ca.issue(kind, names)
	if err != nil {
		return nil, fmt.Errorf("mailtest: issue %s certificate for %v: %w", kind, names, err)
	}
	ca.cache[cacheKey] = c
	return c, nil
}

func (ca *CA) issue(kind CertKind, names []string) (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: names[0], Organization: []string{"mailtest"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(90 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	switch kind {
	case CertExpired:
		tmpl.NotBefore = now.AddDate(0, 0, -30)
		tmpl.NotAfter = now.AddDate(0, 0, -1)
	case CertNotYetValid:
		tmpl.NotBefore = now.AddDate(0, 0, 1)
		tmpl.NotAfter = now.AddDate(0, 0, 30)
	case CertWrongName:
		names = []string{WrongCertName}
		tmpl.Subject.CommonName = WrongCertName
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	parent, signer := ca.cert, ca.key
	if kind == CertSelfSigned {
		parent, signer = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		return nil, fmt.Errorf("create certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse certificate: %w", err)
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// ServerTLSConfig returns a server *tls.Config presenting a certificate of
// the given kind for names.
func (ca *CA) ServerTLSConfig(kind CertKind, names ...string) (*tls.Config, error) {
	c, err := ca.Issue(kind, names...)
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{*c}}, nil
}

// ClientTLSConfig returns a client *tls.Config that trusts only this CA and
// verifies serverName.
func (ca *CA) ClientTLSConfig(serverName string) *tls.Config {
	return &tls.Config{RootCAs: ca.Pool(), ServerName: serverName}
}

func randomSerial() (*big.Int, error) {
	s, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("mailtest: random serial: %w", err)
	}
	return s.Add(s, big.NewInt(1)), nil
}
