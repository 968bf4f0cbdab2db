package autoconfig

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/netx"
	"github.com/mailsetup/mailsetup/internal/termtext"
)

// maxRedirects bounds the redirects one lookup follows.
const maxRedirects = 10

// fetcher makes discovery's HTTP requests: no cookies, no credentials,
// bodies capped at MaxBody, redirects followed by hand so that each hop is
// checked (HTTPS only, never to an IP address), and every connection made
// through a dialGuard.
type fetcher struct {
	client    *http.Client
	userAgent string
	trace     *netx.Tracer
}

func newFetcher(d netx.Dialer, roots *x509.CertPool, timeout time.Duration, ua string, trace *netx.Tracer) *fetcher {
	tr := &http.Transport{
		DialContext:            d.DialContext,
		TLSClientConfig:        &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    timeout,
		ResponseHeaderTimeout:  timeout,
		MaxResponseHeaderBytes: 64 << 10,
		DisableKeepAlives:      true,
		ForceAttemptHTTP2:      true,
	}
	return &fetcher{
		client: &http.Client{
			Transport:     tr,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		userAgent: ua,
		trace:     trace,
	}
}

// errRedirectOutside is returned when a redirect leaves the allowed
// domain; the caller decides whether that needs confirmation.
type errRedirectOutside struct{ From, To string }

// RenderIn implements i18n.Renderer.
func (e *errRedirectOutside) RenderIn(c *i18n.Catalog) string {
	return c.T("discover.err.redirect-outside", e.From, e.To)
}

func (e *errRedirectOutside) Error() string {
	return fmt.Sprintf("redirect from %s to %s leaves the domain: not followed", e.From, e.To)
}

// response is a fetched document.
type response struct {
	Body     []byte
	FinalURL string
	// Hops lists every URL visited, the first included.
	Hops []string
	// ContentType is the final answer's Content-Type header.
	ContentType string
}

// fetch requests rawURL (GET, or POST when body is non-nil) and follows
// up to maxRedirects redirects, each only over HTTPS and only to hosts
// that allowed accepts (nil: any host). Any content type is accepted.
func (f *fetcher) fetch(ctx context.Context, rawURL string, body []byte, allowed func(host string) bool) (*response, error) {
	res := &response{}
	cur := rawURL
	for hop := 0; ; hop++ {
		res.Hops = append(res.Hops, cur)
		resp, err := f.do(ctx, cur, body)
		if err != nil {
			return res, err
		}
		if resp.StatusCode >= 300 && resp.StatusCode < 400 && resp.Header.Get("Location") != "" {
			resp.Body.Close()
			next, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
			if err != nil {
				return res, i18n.Error("discover.err.redirect-bad", cur, err)
			}
			switch {
			case hop+1 >= maxRedirects:
				return res, i18n.Error("discover.err.redirects", maxRedirects, rawURL)
			case next.Scheme != "https":
				return res, i18n.Error("discover.err.redirect-http", cur, next.String())
			case isIPLiteral(next.Hostname()):
				return res, i18n.Error("discover.err.redirect-ip", cur, next.Hostname())
			case allowed != nil && !allowed(next.Hostname()):
				return res, &errRedirectOutside{From: cur, To: next.String()}
			}
			if resp.StatusCode != http.StatusTemporaryRedirect && resp.StatusCode != http.StatusPermanentRedirect {
				body = nil // 301/302/303 turn a POST into a GET, as browsers do
			}
			cur = next.String()
			continue
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return res, i18n.Error("discover.err.http", cur, termtext.Clip(resp.Status, termtext.MaxEcho))
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
		if err != nil {
			return res, i18n.Error("discover.err.body", cur, err)
		}
		if len(data) > MaxBody {
			return res, i18n.Error("discover.err.body-large", cur, MaxBody)
		}
		res.Body, res.FinalURL, res.ContentType = data, cur, resp.Header.Get("Content-Type")
		return res, nil
	}
}

func (f *fetcher) do(ctx context.Context, u string, body []byte) (*http.Response, error) {
	method := http.MethodGet
	var rd io.Reader
	if body != nil {
		method, rd = http.MethodPost, bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.userAgent)
	req.Header.Set("Accept", "application/xml, text/xml, */*")
	if body != nil {
		req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	}
	start := time.Now()
	resp, err := f.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		f.trace.Say("trace.http.error", method, u, err)
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	f.trace.Say("trace.http", method, u, termtext.Clip(resp.Status, termtext.MaxEcho), time.Since(start).Round(time.Millisecond))
	return resp, nil
}

// isIPLiteral reports whether host is an IP address rather than a name.
func isIPLiteral(host string) bool {
	_, err := netip.ParseAddr(host)
	return err == nil
}

// registrable returns the registrable domain (public suffix + 1) of host,
// or "" when host is itself a public suffix (or an IP).
func registrable(host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if net.ParseIP(host) != nil {
		return ""
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return ""
	}
	return d
}

// within reports whether host is domain or a subdomain of it.
func within(host, domain string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	return domain != "" && (host == domain || strings.HasSuffix(host, "."+domain))
}

// fetchHTTP fetches a plain-HTTP URL without following redirects.
func (f *fetcher) fetchHTTP(ctx context.Context, u string) ([]byte, error) {
	resp, err := f.do(ctx, u, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, i18n.Error("discover.err.http", u, termtext.Clip(resp.Status, termtext.MaxEcho))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxBody {
		return nil, i18n.Error("discover.err.body-large", u, MaxBody)
	}
	return data, nil
}
