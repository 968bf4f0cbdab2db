package serve

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/templates"
)

// Options tune a Server. The zero value is valid: no logging, no
// signing, no rate limit.
type Options struct {
	// Logger receives one structured record per request; nil logs
	// nothing.
	Logger *slog.Logger
	// LogAddresses logs the full address a request names; by default
	// only its domain is logged.
	LogAddresses bool
	// Signer, when set, signs the Apple profiles.
	Signer *templates.Signer
	// OrgID and Org are the Apple profiles' identifier prefix and
	// organisation (templates.Options).
	OrgID string
	Org   string
	// RateLimit limits requests per client IP address; over it a client
	// gets 429.
	RateLimit RateLimit
	// Now returns the time (the rate limit's clock); nil is time.Now.
	Now func() time.Time
}

// Server answers mail clients' requests for the configured domains'
// settings. Its configuration can be replaced while it serves (Reload).
type Server struct {
	cfg   atomic.Pointer[Config]
	opts  Options
	limit *limiter
}

// New returns a server for cfg.
func New(cfg *Config, opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{opts: opts, limit: newLimiter(opts.RateLimit)}
	s.cfg.Store(cfg)
	return s
}

// Reload replaces the configuration atomically: requests already being
// answered finish with the old one, later ones get the new one.
func (s *Server) Reload(cfg *Config) { s.cfg.Store(cfg) }

// Config returns the configuration in use.
func (s *Server) Config() *Config { return s.cfg.Load() }

// Handler returns the HTTP handler of every endpoint.
func (s *Server) Handler() http.Handler { return s }

// Paths served.
const (
	PathAutoconfig      = "/mail/config-v1.1.xml"
	PathWellKnown       = "/.well-known/autoconfig/mail/config-v1.1.xml"
	PathAutodiscover    = "/autodiscover/autodiscover.xml"
	PathAutodiscoverAlt = "/Autodiscover/Autodiscover.xml"
	PathMobileconfig    = "/apple/mobileconfig"
	PathQR              = "/android/qr.png"
	PathPage            = "/"
	PathHealth          = "/healthz"
)

// request is what one request's log record says.
type request struct {
	domain  string
	address string
	status  int
	err     string
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	start := s.opts.Now()
	w := &statusWriter{ResponseWriter: rw}
	req := &request{}
	defer func() { s.log(r, w, req, start) }()
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if !s.limit.allow(clientIP(r), start) {
		w.Header().Set("Retry-After", "1")
		s.fail(w, req, http.StatusTooManyRequests, "too many requests")
		return
	}
	cfg := s.cfg.Load()
	// The escaped path, matched exactly: "/../", "//" and encoded
	// slashes are other paths, so 404.
	path := r.URL.EscapedPath()
	get := []string{http.MethodGet, http.MethodHead}
	switch path {
	case PathAutoconfig, PathWellKnown:
		if s.method(w, r, req, get...) {
			s.autoconfig(w, r, cfg, req)
		}
	case PathAutodiscover, PathAutodiscoverAlt:
		if s.method(w, r, req, http.MethodPost) {
			s.autodiscover(w, r, cfg, req)
		}
	case PathMobileconfig:
		if s.method(w, r, req, get...) {
			s.mobileconfig(w, r, cfg, req)
		}
	case PathQR:
		if s.method(w, r, req, get...) {
			s.qr(w, r, cfg, req)
		}
	case PathPage:
		if s.method(w, r, req, get...) {
			s.page(w, r, cfg, req)
		}
	case PathHealth:
		if s.method(w, r, req, get...) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			io.WriteString(w, "ok\n")
		}
	default:
		s.fail(w, req, http.StatusNotFound, "not found")
	}
}

// method checks the request's method and answers 405 when it is not one
// of allowed.
func (s *Server) method(w http.ResponseWriter, r *http.Request, req *request, allowed ...string) bool {
	for _, m := range allowed {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	s.fail(w, req, http.StatusMethodNotAllowed, "method not allowed")
	return false
}

// fail answers with status and a one-line text.
func (s *Server) fail(w http.ResponseWriter, req *request, status int, msg string) {
	req.err = msg
	http.Error(w, msg, status)
}

func (s *Server) log(r *http.Request, w *statusWriter, req *request, start time.Time) {
	status := w.status
	if status == 0 {
		status = http.StatusOK
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", clip(r.URL.EscapedPath())),
		slog.Int("status", status),
		slog.String("client", clientIP(r)),
		slog.Duration("duration", s.opts.Now().Sub(start)),
	}
	if req.domain != "" {
		attrs = append(attrs, slog.String("domain", req.domain))
	}
	if req.address != "" && s.opts.LogAddresses {
		attrs = append(attrs, slog.String("address", req.address))
	}
	if req.err != "" {
		attrs = append(attrs, slog.String("error", req.err))
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	s.opts.Logger.LogAttrs(r.Context(), level, "request", attrs...)
}

// clientIP is the request's remote address without the port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// queryAddress returns the emailaddress parameter: ok false and an
// answered error when it is malformed, a zero address when absent.
func (s *Server) queryAddress(w http.ResponseWriter, r *http.Request, req *request) (account.Address, bool) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		s.fail(w, req, http.StatusBadRequest, "malformed query")
		return account.Address{}, false
	}
	vs := q["emailaddress"]
	switch {
	case len(vs) == 0:
		return account.Address{}, true
	case len(vs) > 1:
		s.fail(w, req, http.StatusBadRequest, "emailaddress given more than once")
		return account.Address{}, false
	}
	a, err := parseAddress(strings.TrimSpace(vs[0]))
	if err != nil {
		s.fail(w, req, http.StatusBadRequest, "bad emailaddress: "+err.Error())
		return account.Address{}, false
	}
	req.address, req.domain = a.String(), a.Domain()
	return a, true
}

// hostDomain is the configured domain the Host header names:
// autoconfig.<domain>, autodiscover.<domain> or the domain itself.
func hostDomain(cfg *Config, r *http.Request) (string, bool) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, prefix := range []string{"autoconfig.", "autodiscover.", ""} {
		if d, ok := strings.CutPrefix(host, prefix); ok {
			if _, ok := cfg.byDomain[d]; ok {
				return d, true
			}
		}
	}
	return "", false
}

// domainFor finds the request's domain: the address's, else the Host
// header's. It answers 404 for a domain not configured.
func (s *Server) domainFor(w http.ResponseWriter, r *http.Request, cfg *Config, req *request, addr account.Address) (*provider, bool) {
	d := addr.Domain()
	if addr.IsZero() {
		var ok bool
		if d, ok = hostDomain(cfg, r); !ok {
			s.fail(w, req, http.StatusNotFound, "no settings for this host")
			return nil, false
		}
	}
	req.domain = d
	p, ok := cfg.byDomain[d]
	if !ok {
		s.fail(w, req, http.StatusNotFound, "no settings for this domain")
		return nil, false
	}
	return p, true
}

func (s *Server) autoconfig(w http.ResponseWriter, r *http.Request, cfg *Config, req *request) {
	addr, ok := s.queryAddress(w, r, req)
	if !ok {
		return
	}
	p, ok := s.domainFor(w, r, cfg, req, addr)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Write(p.autoconfig)
}

func (s *Server) autodiscover(w http.ResponseWriter, r *http.Request, cfg *Config, req *request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(w, req, http.StatusBadRequest, "request body larger than 64 KiB")
			return
		}
		s.fail(w, req, http.StatusBadRequest, "cannot read the request body")
		return
	}
	addr, err := ParsePOXRequest(body)
	if err != nil {
		s.fail(w, req, http.StatusBadRequest, err.Error())
		return
	}
	req.address = addr.String()
	p, ok := s.domainFor(w, r, cfg, req, addr)
	if !ok {
		return
	}
	data, err := p.pub.AutodiscoverXML(addr, "")
	if err != nil {
		s.fail(w, req, http.StatusNotFound, "no settings Outlook can use for this domain")
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Write(data)
}

// addressRequired is the address of a request that must name one.
func (s *Server) addressRequired(w http.ResponseWriter, r *http.Request, cfg *Config, req *request) (account.Address, *provider, bool) {
	addr, ok := s.queryAddress(w, r, req)
	if !ok {
		return addr, nil, false
	}
	if addr.IsZero() {
		s.fail(w, req, http.StatusBadRequest, "emailaddress is missing")
		return addr, nil, false
	}
	p, ok := s.domainFor(w, r, cfg, req, addr)
	return addr, p, ok
}

// file renders format for the address and returns the file whose name
// ends in suffix.
func (s *Server) file(p *provider, addr account.Address, format, suffix string, o templates.Options) (templates.File, error) {
	files, err := templates.Render(format, p.pub.Account(addr, ""), o)
	if err != nil {
		return templates.File{}, err
	}
	for _, f := range files {
		if strings.HasSuffix(f.Name, suffix) {
			return f, nil
		}
	}
	return templates.File{}, errNoFile
}

var errNoFile = errors.New("not written for these settings")

func (s *Server) mobileconfig(w http.ResponseWriter, r *http.Request, cfg *Config, req *request) {
	addr, p, ok := s.addressRequired(w, r, cfg, req)
	if !ok {
		return
	}
	f, err := s.file(p, addr, "apple", ".mobileconfig", templates.Options{Sign: s.opts.Signer, OrgID: s.opts.OrgID, Org: s.opts.Org})
	if err != nil {
		if errors.Is(err, templates.ErrAuthUnsupported) || errors.Is(err, errNoFile) {
			s.fail(w, req, http.StatusNotFound, "no Apple profile for these settings")
			return
		}
		s.fail(w, req, http.StatusInternalServerError, "cannot write the profile")
		req.err = err.Error()
		return
	}
	if f.HasPassword { // never: no password is given to the renderer
		s.fail(w, req, http.StatusInternalServerError, "refusing to serve a password")
		return
	}
	w.Header().Set("Content-Type", "application/x-apple-aspen-config")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(f.Data)
}

func (s *Server) qr(w http.ResponseWriter, r *http.Request, cfg *Config, req *request) {
	addr, p, ok := s.addressRequired(w, r, cfg, req)
	if !ok {
		return
	}
	f, err := s.file(p, addr, "android", "-qr.png", templates.Options{})
	if err != nil {
		if errors.Is(err, templates.ErrAuthUnsupported) || errors.Is(err, errNoFile) {
			s.fail(w, req, http.StatusNotFound, "no QR code for these settings")
			return
		}
		s.fail(w, req, http.StatusInternalServerError, "cannot write the QR code")
		req.err = err.Error()
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(f.Data)
}

// htmlHeaders are the headers of every page: no scripts, no framing, and
// no Referer, as page URLs hold the address.
func htmlHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data: 'self'; form-action 'self'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
}

// writeHTML writes a page with status.
func writeHTML(w http.ResponseWriter, status int, body []byte) {
	htmlHeaders(w)
	w.WriteHeader(status)
	w.Write(body)
}

var bodyTag = []byte("<body>")

// insertAfterBody puts fragment right after the page's <body> tag.
func insertAfterBody(page, fragment []byte) []byte {
	i := bytes.Index(page, bodyTag)
	if i < 0 {
		return append(fragment, page...)
	}
	i += len(bodyTag)
	out := make([]byte, 0, len(page)+len(fragment))
	out = append(out, page[:i]...)
	out = append(out, fragment...)
	return append(out, page[i:]...)
}
