package cmd

// serve's automatic certificates (--acme-email, --acme-directory,
// --acme-cache): golang.org/x/crypto/acme/autocert does the ACME protocol,
// the certificate cache and renewal; this file only chooses which names it
// may ask for and how it reaches the CA.
//
// Challenges: autocert answers TLS-ALPN-01 in the TLS handshake of serve's
// own listener (acmeTLSConfig), so the CA must reach serve on port 443 of
// autoconfig.<domain> and autodiscover.<domain>, which is where the mail
// clients look anyway. No HTTP-01 listener on port 80 is started: it
// would add a second port to open and to secure for no name that
// TLS-ALPN-01 cannot already prove. (A TLS-terminating reverse proxy in
// front of serve is the --http set-up, which has no ACME.)

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// letsEncryptDirectory is --acme-directory's default: Let's Encrypt's
// production CA.
const letsEncryptDirectory = autocert.DefaultACMEDirectory

// acmeConfig are serve's --acme-* flags.
type acmeConfig struct {
	// Email is --acme-email: the contact address of the ACME account;
	// giving it turns automatic certificates on.
	Email string
	// Directory is --acme-directory: the CA's directory URL.
	Directory string
	// CacheDir is --acme-cache: where the account key and the
	// certificates are kept; "" is defaultACMECache.
	CacheDir string
}

// defaultACMECache is the per-user cache folder for ACME state:
// os.UserCacheDir()/mailsetup/acme.
func defaultACMECache() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder for ACME certificates (give --acme-cache): %w", err)
	}
	return filepath.Join(dir, "mailsetup", "acme"), nil
}

// newACMEManager returns the certificate manager for o. roots verify the
// ACME CA's own HTTPS server (the system's roots, or the tests' CA).
// domains returns the domains of the configuration being served now; the
// host policy calls it on every new name, so a reload (SIGHUP) that adds
// or removes a domain changes which names get certificates.
func newACMEManager(o acmeConfig, roots *x509.CertPool, domains func() []string) (*autocert.Manager, error) {
	dir := o.CacheDir
	if dir == "" {
		var err error
		if dir, err = defaultACMECache(); err != nil {
			return nil, err
		}
	}
	// 0700: the folder holds the account's and the certificates' private
	// keys. Made now, so that an unwritable folder fails at start-up and
	// not at the first client's handshake.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("ACME cache folder: %w", err)
	}
	directory := o.Directory
	if directory == "" {
		directory = letsEncryptDirectory
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	return &autocert.Manager{
		// Asking for certificates is accepting the CA's terms; the
		// README says so where it documents --acme-email.
		Prompt:     autocert.AcceptTOS,
		Cache:      autocert.DirCache(dir),
		HostPolicy: acmeHostPolicy(domains),
		Email:      o.Email,
		Client: &acme.Client{
			DirectoryURL: directory,
			HTTPClient:   &http.Client{Transport: transport},
			UserAgent:    "mailsetup-serve",
		},
	}, nil
}

// acmeHostPolicy allows exactly autoconfig.<domain> and
// autodiscover.<domain> of every domain that domains returns at the time
// of the request.
func acmeHostPolicy(domains func() []string) autocert.HostPolicy {
	return func(_ context.Context, host string) error {
		host = strings.TrimSuffix(host, ".")
		for _, d := range domains() {
			d = strings.TrimSuffix(d, ".")
			if strings.EqualFold(host, "autoconfig."+d) || strings.EqualFold(host, "autodiscover."+d) {
				return nil
			}
		}
		return fmt.Errorf("serve: no certificate for %q: not autoconfig.<domain> or autodiscover.<domain> of a configured domain", host)
	}
}

// acmeTLSConfig is the TLS configuration of serve's listener with
// automatic certificates: m's (certificates on demand, TLS-ALPN-01
// answered in the handshake) with TLS 1.2 as the minimum.
func acmeTLSConfig(m *autocert.Manager) *tls.Config {
	c := m.TLSConfig()
	c.MinVersion = tls.VersionTLS12
	return c
}
