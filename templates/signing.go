package templates

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"sort"
	"time"
)

// Signing Apple profiles.
//
// SignProfile wraps a profile in a CMS SignedData (RFC 5652), DER encoded,
// with the profile attached as id-data content, the signer's certificate
// and the chain included, and one SignerInfo with the signed attributes
// content-type and message-digest. No signing-time attribute is added, so
// with an RSA key (PKCS #1 v1.5 signatures are deterministic) the same
// profile and signer give the same bytes. ECDSA signatures contain a
// random nonce: with an ECDSA key the signature, and so the file, differs
// on every run, while the signed profile inside stays byte-identical.
//
// The signer is written here rather than taken from
// github.com/smallstep/pkcs7, which the tests keep to parse and verify
// the output: its AddSigner and AddSignerChain always add a signing-time
// attribute (time.Now), so no two runs give the same bytes, which breaks
// byte-identical profiles, and its SignWithoutAttr leaves out the
// content-type and message-digest attributes as well.

// OIDs used in the SignedData.
var (
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSHA256        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	oidRSAEncryption = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidECDSASHA256   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSASHA384   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSASHA512   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
)

type cmsContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue // [0] EXPLICIT, built by hand
}

type cmsSignedData struct {
	Version          int
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContent     cmsEncapContent
	Certificates     asn1.RawValue   // [0] IMPLICIT SET OF Certificate
	SignerInfos      []cmsSignerInfo `asn1:"set"`
}

type cmsEncapContent struct {
	EContentType asn1.ObjectIdentifier
	EContent     asn1.RawValue // [0] EXPLICIT OCTET STRING
}

type cmsSignerInfo struct {
	Version            int
	SID                cmsIssuerAndSerial
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue // [0] IMPLICIT SET OF Attribute
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
}

type cmsIssuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type cmsAttribute struct {
	Type   asn1.ObjectIdentifier
	Values []asn1.RawValue `asn1:"set"`
}

// cmsAlgorithms picks the digest and signature algorithms for a key.
func cmsAlgorithms(pub crypto.PublicKey) (hash crypto.Hash, digestOID asn1.ObjectIdentifier, sigAlg pkix.AlgorithmIdentifier, err error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return crypto.SHA256, oidSHA256, pkix.AlgorithmIdentifier{Algorithm: oidRSAEncryption, Parameters: asn1.NullRawValue}, nil
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return crypto.SHA256, oidSHA256, pkix.AlgorithmIdentifier{Algorithm: oidECDSASHA256}, nil
		case elliptic.P384():
			return crypto.SHA384, oidSHA384, pkix.AlgorithmIdentifier{Algorithm: oidECDSASHA384}, nil
		case elliptic.P521():
			return crypto.SHA512, oidSHA512, pkix.AlgorithmIdentifier{Algorithm: oidECDSASHA512}, nil
		}
		return 0, nil, pkix.AlgorithmIdentifier{}, fmt.Errorf("unsupported ECDSA curve %s: use P-256, P-384 or P-521", k.Curve.Params().Name)
	}
	return 0, nil, pkix.AlgorithmIdentifier{}, fmt.Errorf("a %T key cannot sign Apple profiles: use an RSA or ECDSA key", pub)
}

// SignProfile signs an Apple profile (or any content) with s and returns
// the DER-encoded CMS SignedData with the content attached. See the
// comment at the top of this file for what is deterministic.
func SignProfile(content []byte, s *Signer) ([]byte, error) {
	if s == nil || s.Cert == nil || s.Key == nil {
		return nil, errors.New("sign: the signer needs a certificate and a private key")
	}
	if err := signingKeyMatches(s.Key.Public(), s.Cert); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	hash, digestOID, sigAlg, err := cmsAlgorithms(s.Cert.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	h := hash.New()
	h.Write(content)
	digest := h.Sum(nil)

	// Signed attributes: a DER SET OF, so the encodings are sorted.
	ctVal, err := asn1.Marshal(oidData)
	if err != nil {
		return nil, err
	}
	mdVal, err := asn1.Marshal(digest)
	if err != nil {
		return nil, err
	}
	var attrs [][]byte
	for _, at := range []cmsAttribute{
		{Type: oidContentType, Values: []asn1.RawValue{{FullBytes: ctVal}}},
		{Type: oidMessageDigest, Values: []asn1.RawValue{{FullBytes: mdVal}}},
	} {
		der, err := asn1.Marshal(at)
		if err != nil {
			return nil, err
		}
		attrs = append(attrs, der)
	}
	sort.Slice(attrs, func(i, j int) bool { return bytes.Compare(attrs[i], attrs[j]) < 0 })
	attrSet, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: bytes.Join(attrs, nil)})
	if err != nil {
		return nil, err
	}
	// The signature covers the attributes encoded as an explicit SET OF.
	h = hash.New()
	h.Write(attrSet)
	sig, err := s.Key.Sign(rand.Reader, h.Sum(nil), hash)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}

	var certs bytes.Buffer
	certs.Write(s.Cert.Raw)
	for _, c := range s.Chain {
		if !bytes.Equal(c.Raw, s.Cert.Raw) {
			certs.Write(c.Raw)
		}
	}
	octets, err := asn1.Marshal(content)
	if err != nil {
		return nil, err
	}
	sd := cmsSignedData{
		Version:          1,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{{Algorithm: digestOID}},
		EncapContent: cmsEncapContent{
			EContentType: oidData,
			EContent:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: octets},
		},
		Certificates: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: certs.Bytes()},
		SignerInfos: []cmsSignerInfo{{
			Version:            1,
			SID:                cmsIssuerAndSerial{Issuer: asn1.RawValue{FullBytes: s.Cert.RawIssuer}, Serial: s.Cert.SerialNumber},
			DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: digestOID},
			SignedAttrs:        asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: bytes.Join(attrs, nil)},
			SignatureAlgorithm: sigAlg,
			Signature:          sig,
		}},
	}
	inner, err := asn1.Marshal(sd)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(cmsContentInfo{
		ContentType: oidSignedData,
		Content:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: inner},
	})
}

func signingKeyMatches(pub crypto.PublicKey, cert *x509.Certificate) error {
	k, ok := pub.(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !k.Equal(cert.PublicKey) {
		return fmt.Errorf("the private key does not belong to the certificate %q", cert.Subject.String())
	}
	return nil
}

// LoadSigner reads a signer from PEM files, for --sign-cert, --sign-key and
// --sign-chain. certFile holds the signing certificate first; any further
// certificates in it are taken as the chain, as in a "fullchain" file.
// keyFile holds an unencrypted PKCS #1, PKCS #8 or SEC 1 (EC) private key.
// chainFiles hold intermediate certificates. Errors name the file and say
// what is wrong.
func LoadSigner(certFile, keyFile string, chainFiles ...string) (*Signer, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return nil, fmt.Errorf("signing certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	var chainPEM [][]byte
	for _, f := range chainFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("certificate chain: %w", err)
		}
		chainPEM = append(chainPEM, b)
	}
	s, err := ParseSigner(certPEM, keyPEM, chainPEM...)
	if err != nil {
		return nil, fmt.Errorf("%w (certificate %s, key %s)", err, certFile, keyFile)
	}
	return s, nil
}

// ParseSigner is LoadSigner for PEM data already in memory.
func ParseSigner(certPEM, keyPEM []byte, chainPEM ...[]byte) (*Signer, error) {
	certs, err := signingParseCerts(certPEM)
	if err != nil {
		return nil, fmt.Errorf("signing certificate: %w", err)
	}
	if len(certs) == 0 {
		return nil, errors.New("signing certificate: no CERTIFICATE block found in the PEM data")
	}
	s := &Signer{Cert: certs[0], Chain: certs[1:]}
	for _, p := range chainPEM {
		c, err := signingParseCerts(p)
		if err != nil {
			return nil, fmt.Errorf("certificate chain: %w", err)
		}
		if len(c) == 0 {
			return nil, errors.New("certificate chain: no CERTIFICATE block found in the PEM data")
		}
		s.Chain = append(s.Chain, c...)
	}
	key, err := signingParseKey(keyPEM)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	s.Key = key
	if err := signingKeyMatches(key.Public(), s.Cert); err != nil {
		return nil, err
	}
	if _, _, _, err := cmsAlgorithms(s.Cert.PublicKey); err != nil {
		return nil, err
	}
	now := time.Now()
	if now.After(s.Cert.NotAfter) {
		return nil, fmt.Errorf("the signing certificate %q expired on %s", s.Cert.Subject.String(), s.Cert.NotAfter.UTC().Format(time.DateOnly))
	}
	if now.Before(s.Cert.NotBefore) {
		return nil, fmt.Errorf("the signing certificate %q is not valid before %s", s.Cert.Subject.String(), s.Cert.NotBefore.UTC().Format(time.DateOnly))
	}
	if len(s.Chain) > 0 && !bytes.Equal(s.Cert.RawIssuer, s.Cert.RawSubject) {
		found := false
		for _, c := range s.Chain {
			if bytes.Equal(c.RawSubject, s.Cert.RawIssuer) && s.Cert.CheckSignatureFrom(c) == nil {
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("the certificate chain does not contain the issuer of the signing certificate (%q)", s.Cert.Issuer.String())
		}
	}
	return s, nil
}

func signingParseCerts(data []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return out, nil
		}
		switch block.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("certificate %d: %w", len(out)+1, err)
			}
			out = append(out, c)
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
			return nil, fmt.Errorf("found a %s where certificates were expected: give the key with the key option", block.Type)
		}
	}
}

func signingParseKey(data []byte) (crypto.Signer, error) {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return nil, errors.New("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block found in the PEM data")
		}
		if block.Type == "ENCRYPTED PRIVATE KEY" || block.Headers["Proc-Type"] == "4,ENCRYPTED" {
			return nil, errors.New("the key is encrypted: decrypt it first, e.g. openssl pkey -in key.pem -out plain.pem")
		}
		var (
			key any
			err error
		)
		switch block.Type {
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(block.Bytes)
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		case "CERTIFICATE":
			return nil, errors.New("found a CERTIFICATE where the private key was expected")
		default:
			continue // e.g. EC PARAMETERS before the key
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", block.Type, err)
		}
		switch k := key.(type) {
		case *rsa.PrivateKey:
			return k, nil
		case *ecdsa.PrivateKey:
			return k, nil
		}
		return nil, fmt.Errorf("a %T key cannot sign Apple profiles: use an RSA or ECDSA key", key)
	}
}
