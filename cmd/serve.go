package cmd

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/serve"
	"github.com/mailsetup/mailsetup/templates"
)

// ServeOptions are the inputs of `mailsetup serve`.
type ServeOptions struct {
	IO      *iostreams.IOStreams
	Catalog func() *i18n.Catalog
	// JSON is the global --json: logs as JSON lines, and --check's
	// result and the start-up line as JSON on stdout.
	JSON bool

	Config       string
	Check        bool
	Listen       string
	HTTP         bool
	TLSCert      string
	TLSKey       string
	LogAddresses bool
	SignCert     string
	SignKey      string
	SignChain    []string
	OrgID        string
	Org          string
	Rate         float64
	Burst        int
	// ACME is --acme-email, --acme-directory and --acme-cache:
	// certificates from an ACME CA (serve_acme.go).
	ACME acmeConfig
	// CertPool returns the roots that verify the ACME CA's HTTPS server
	// (the system's; tests give their CA).
	CertPool func(caFile string) (*x509.CertPool, error)

	// Timeouts of the HTTP server; NewCmdServe sets the defaults and
	// tests shorten them.
	Timeouts ServeTimeouts
	// Reloads delivers a value whenever the configuration (and the TLS
	// certificate) is to be read again; NewCmdServe sets it to SIGHUP
	// where the system has it (reloadSignal).
	Reloads func() (<-chan os.Signal, func())
	// Started, when set, is called with the address the server listens
	// on, once it accepts connections (tests).
	Started func(net.Addr)
}

// ServeTimeouts bound what a client may take: slow clients are cut off.
type ServeTimeouts struct {
	// ReadHeader is the time to send the request line and headers.
	ReadHeader time.Duration
	// Read is the time to send the whole request, body included.
	Read time.Duration
	// Write is the time from the end of the request headers to the end
	// of the response.
	Write time.Duration
	// Idle is how long a kept-alive connection may wait for its next
	// request.
	Idle time.Duration
	// Shutdown is how long requests in flight get to finish on SIGTERM.
	Shutdown time.Duration
}

// DefaultServeTimeouts are the timeouts of `mailsetup serve`.
var DefaultServeTimeouts = ServeTimeouts{ReadHeader: 10 * time.Second, Read: 20 * time.Second, Write: 30 * time.Second,
	Idle: 60 * time.Second, Shutdown: 10 * time.Second}

// maxHeaderBytes caps a request's headers (and so its URL): a real
// client sends far less than 16 KiB.
const maxHeaderBytes = 16 << 10

// NewCmdServe returns `mailsetup serve`.
func NewCmdServe(f *Factory, runF func(*ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{IO: f.IOStreams, Catalog: f.Catalog, Timeouts: DefaultServeTimeouts, Reloads: reloadSignal, CertPool: f.CertPool}
	c := &cobra.Command{
		Use:   "serve --config FILE [--listen ADDR] (--tls-cert FILE --tls-key FILE | --acme-email ADDR | --http)",
		Short: "Publish domains' mail settings where mail clients look for them",
		Long: `Answer mail clients' own lookups for the domains in the configuration file, so
that users type only their address and password:

  GET  /mail/config-v1.1.xml?emailaddress=A     Thunderbird, Evolution, KMail,
  GET  /.well-known/autoconfig/mail/config-v1.1.xml   Thunderbird for Android
  POST /autodiscover/autodiscover.xml           Outlook (POX; also /Autodiscover/Autodiscover.xml)
  GET  /apple/mobileconfig?emailaddress=A       Apple profile (signed with --sign-cert)
  GET  /android/qr.png?emailaddress=A           QR code for Thunderbird for Android
  GET  /                                        a page that gives the setup sheet for an address
  GET  /healthz                                 health check

Serve it as autoconfig.<domain> and autodiscover.<domain> of every domain.
The configuration is the JSON "export --format json" writes (one domain) or a
"providers" list in YAML or JSON (see README.md). It is checked at start
(--check only checks it) and read again on SIGHUP; a bad file then keeps the
old one. SIGTERM stops the server after the requests in flight.

Outlook and Apple devices fetch settings only over HTTPS: use --tls-cert and
--tls-key, or --http behind a reverse proxy that terminates TLS.

With --acme-email, serve gets and renews certificates by itself from an ACME CA
(Let's Encrypt unless --acme-directory names another; giving it accepts the
CA's terms) for autoconfig.<domain> and autodiscover.<domain> of every
configured domain, answering the CA's TLS-ALPN-01 check on its own port, so
the CA must reach it on port 443 of those names.`,
		Example: `  mailsetup serve --config serve.yaml --check
  mailsetup serve --config serve.yaml --tls-cert cert.pem --tls-key key.pem
  mailsetup serve --config serve.yaml --acme-email postmaster@example.com
  mailsetup serve --config account.json --http --listen 127.0.0.1:8080`,
		Args: argsRange(0, 0),
		RunE: func(c *cobra.Command, args []string) error {
			opts.JSON = f.Global.JSON
			if runF != nil {
				return runF(opts)
			}
			return serveRun(c.Context(), opts)
		},
	}
	fs := c.Flags()
	fs.StringVar(&opts.Config, "config", "", "the configuration `FILE` (YAML or JSON)")
	fs.BoolVar(&opts.Check, "check", false, "check the configuration and exit")
	fs.StringVar(&opts.Listen, "listen", "", "`ADDRESS` to listen on (default :443, with --http 127.0.0.1:8080)")
	fs.BoolVar(&opts.HTTP, "http", false, "serve plain HTTP, for use behind a reverse proxy that terminates TLS")
	fs.StringVar(&opts.TLSCert, "tls-cert", "", "PEM certificate chain `FILE` for HTTPS (read again on SIGHUP)")
	fs.StringVar(&opts.TLSKey, "tls-key", "", "PEM private key `FILE` of --tls-cert")
	fs.BoolVar(&opts.LogAddresses, "log-addresses", false, "log the full addresses requests name (default: only their domain)")
	fs.StringVar(&opts.SignCert, "sign-cert", "", "sign Apple profiles with this PEM certificate `FILE`")
	fs.StringVar(&opts.SignKey, "sign-key", "", "PEM private key `FILE` of --sign-cert")
	fs.StringSliceVar(&opts.SignChain, "sign-chain", nil, "PEM intermediate certificate `FILE`s to include")
	fs.StringVar(&opts.OrgID, "org-id", "", "reverse-DNS prefix of Apple profile identifiers (default org.mailsetup)")
	fs.StringVar(&opts.Org, "org", "", "organisation shown in Apple profiles")
	fs.Float64Var(&opts.Rate, "rate", 10, "requests per second each client IP address may send (0: no limit; behind a proxy, limit there)")
	fs.IntVar(&opts.Burst, "burst", 30, "requests a client IP address may send at once")
	fs.StringVar(&opts.ACME.Email, "acme-email", "", "get certificates from an ACME CA, with this contact `ADDRESS` (accepts the CA's terms)")
	fs.StringVar(&opts.ACME.Directory, "acme-directory", letsEncryptDirectory, "the ACME CA's directory `URL`")
	fs.StringVar(&opts.ACME.CacheDir, "acme-cache", "", "`FOLDER` for the ACME account key and certificates (default: the user's cache folder/mailsetup/acme)")
	return c
}

// serveCheckJSON is the --json output of --check, and the line printed
// on stdout once the server listens.
type serveCheckJSON struct {
	Config  string   `json:"config"`
	Domains []string `json:"domains"`
	Listen  string   `json:"listen,omitempty"`
	Scheme  string   `json:"scheme,omitempty"`
}

// loadServeConfig reads the configuration; a file that cannot be read is
// reported like other commands' files.
func loadServeConfig(path string) (*serve.Config, error) {
	cfg, err := serve.LoadConfig(path)
	var ce *serve.ConfigError
	if err != nil && !errors.As(err, &ce) {
		return nil, fileError("--config", path, err)
	}
	return cfg, err
}

// checkTransport checks that exactly one way of serving is chosen.
func (opts *ServeOptions) checkTransport() error {
	tlsFiles := opts.TLSCert != "" || opts.TLSKey != ""
	acme := opts.ACME.Email != ""
	switch {
	case acme && tlsFiles:
		return usageErrorM("err.serve.acme-and-tls")
	case acme && opts.HTTP:
		return usageErrorM("err.serve.acme-and-http")
	case !acme && (opts.ACME.CacheDir != "" || opts.ACME.Directory != "" && opts.ACME.Directory != letsEncryptDirectory):
		return usageErrorM("err.serve.acme-flags")
	case acme: // HTTPS with certificates from the ACME CA
	case opts.TLSCert != "" && opts.TLSKey == "" || opts.TLSCert == "" && opts.TLSKey != "":
		return usageErrorM("err.serve.tls-pair")
	case opts.HTTP && tlsFiles:
		return usageErrorM("err.serve.http-and-tls")
	case !opts.HTTP && !tlsFiles:
		return usageErrorM("err.serve.transport")
	}
	if opts.Rate < 0 || opts.Burst < 1 {
		return usageErrorM("err.serve.rate")
	}
	return nil
}

// certificate holds the TLS certificate, read again on reload.
type certificate struct {
	certFile, keyFile string
	cert              atomic.Pointer[tls.Certificate]
}

func (c *certificate) load() error {
	cert, err := tls.LoadX509KeyPair(c.certFile, c.keyFile)
	if err != nil {
		return i18n.Error("err.serve.tls", err)
	}
	c.cert.Store(&cert)
	return nil
}

// tlsConfig returns the server's TLS configuration (nil with --http) and
// the certificate holder a reload refreshes (nil when there is none).
// Every way of getting a certificate is set up here. domains returns the
// domains of the configuration in use (ACME's host policy).
func tlsConfig(opts *ServeOptions, domains func() []string) (*tls.Config, *certificate, error) {
	if opts.HTTP {
		return nil, nil, nil
	}
	if opts.ACME.Email != "" {
		roots, err := opts.CertPool("")
		if err != nil {
			return nil, nil, err
		}
		m, err := newACMEManager(opts.ACME, roots, domains)
		if err != nil {
			return nil, nil, i18n.Error("err.serve.acme", err)
		}
		return acmeTLSConfig(m), nil, nil
	}
	c := &certificate{certFile: opts.TLSCert, keyFile: opts.TLSKey}
	if err := c.load(); err != nil {
		return nil, nil, err
	}
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		NextProtos: []string{"h2", "http/1.1"},
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			return c.cert.Load(), nil
		},
	}, c, nil
}

// httpServer is the http.Server with the timeouts and limits of opts.
func httpServer(opts *ServeOptions, h http.Handler, tc *tls.Config, logger *slog.Logger) *http.Server {
	t := opts.Timeouts
	return &http.Server{
		Handler:           h,
		TLSConfig:         tc,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
}

func serveRun(ctx context.Context, opts *ServeOptions) error {
	cat := opts.Catalog()
	if opts.Config == "" {
		return usageErrorM("err.serve.config")
	}
	cfg, err := loadServeConfig(opts.Config)
	if err != nil {
		return err
	}
	if opts.Check {
		if opts.JSON {
			return writeJSON(opts.IO.Out, serveCheckJSON{Config: opts.Config, Domains: cfg.Domains()})
		}
		_, err := fmt.Fprintln(opts.IO.Out, cat.T("serve.check-ok", opts.Config, len(cfg.Domains()), strings.Join(cfg.Domains(), ", ")))
		return err
	}
	if err := opts.checkTransport(); err != nil {
		return err
	}
	var logHandler slog.Handler = slog.NewTextHandler(opts.IO.ErrOut, nil)
	if opts.JSON {
		logHandler = slog.NewJSONHandler(opts.IO.ErrOut, nil)
	}
	logger := slog.New(logHandler)
	sopts := serve.Options{Logger: logger, LogAddresses: opts.LogAddresses, OrgID: opts.OrgID, Org: opts.Org,
		RateLimit: serve.RateLimit{PerSecond: opts.Rate, Burst: opts.Burst}}
	if (opts.SignCert == "") != (opts.SignKey == "") {
		return usageErrorM("err.sign-pair")
	}
	if opts.SignCert != "" {
		if sopts.Signer, err = templates.LoadSigner(opts.SignCert, opts.SignKey, opts.SignChain...); err != nil {
			return i18n.Error("err.signing", err)
		}
	}
	srv := serve.New(cfg, sopts)
	tc, cert, err := tlsConfig(opts, func() []string { return srv.Config().Domains() })
	if err != nil {
		return err
	}
	addr := opts.Listen
	if addr == "" {
		addr = ":443"
		if opts.HTTP {
			addr = "127.0.0.1:8080"
		}
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return WithExitCode(i18n.Error("err.serve.listen", addr, err), ExitServer)
	}
	hs := httpServer(opts, srv.Handler(), tc, logger)

	reloads, stopReloads := opts.reloads()
	defer stopReloads()
	scheme := "https"
	if opts.HTTP {
		scheme = "http"
	}
	logger.Info("serving", "listen", ln.Addr().String(), "scheme", scheme, "domains", cfg.Domains(), "config", opts.Config)
	if opts.JSON {
		if err := writeJSON(opts.IO.Out, serveCheckJSON{Config: opts.Config, Domains: cfg.Domains(), Listen: ln.Addr().String(), Scheme: scheme}); err != nil {
			ln.Close()
			return err
		}
	}
	done := make(chan error, 1)
	go func() {
		if tc != nil {
			done <- hs.Serve(tls.NewListener(ln, tc))
		} else {
			done <- hs.Serve(ln)
		}
	}()
	if opts.Started != nil {
		opts.Started(ln.Addr())
	}
	for {
		select {
		case err := <-done:
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return WithExitCode(fmt.Errorf("serve: %w", err), ExitServer)
		case <-reloads:
			next, err := loadServeConfig(opts.Config)
			if err != nil {
				logger.Error("reload failed: keeping the configuration in use", "error", cat.ErrorText(err))
			} else {
				srv.Reload(next)
				logger.Info("reloaded", "config", opts.Config, "domains", next.Domains())
			}
			if cert != nil {
				if err := cert.load(); err != nil {
					logger.Error("reload failed: keeping the TLS certificate in use", "error", cat.ErrorText(err))
				}
			}
		case <-ctx.Done():
			logger.Info("shutting down", "deadline", opts.Timeouts.Shutdown)
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opts.Timeouts.Shutdown)
			err := hs.Shutdown(sctx)
			cancel()
			if err != nil {
				hs.Close()
				logger.Warn("requests still in flight were cut off", "error", err)
			}
			<-done
			return nil
		}
	}
}

// reloads returns the reload channel (nil: never) and its stop function.
func (opts *ServeOptions) reloads() (<-chan os.Signal, func()) {
	if opts.Reloads == nil {
		return nil, func() {}
	}
	return opts.Reloads()
}
