package mailtest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Route is what a virtual host serves at a path. Either Handler, a
// redirect (Location) or a static response (Status, ContentType, Body,
// Header).
type Route struct {
	// Scheme restricts the route to "http" or "https"; "" serves both.
	Scheme string
	// Status defaults to 200, or 302 when Location is set.
	Status int
	// ContentType of the body; default "text/plain; charset=utf-8".
	ContentType string
	// Body is the static body.
	Body string
	// Header adds response headers.
	Header http.Header
	// Location makes the route a redirect to this URL.
	Location string
	// Handler, if set, serves the request instead.
	Handler http.Handler
	// Reason, if set, replaces the reason phrase of the status line
	// ("HTTP/1.1 404 <Reason>"), byte for byte and unchecked, so tests can
	// send a hostile one; the connection is closed after the response.
	Reason string
}

// ServeHTTP serves the route: its Handler, redirect or static response.
func (rt Route) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rt.Handler != nil {
		rt.Handler.ServeHTTP(w, r)
		return
	}
	for k, vs := range rt.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	status := rt.Status
	if rt.Location != "" {
		w.Header().Set("Location", rt.Location)
		if status == 0 {
			status = http.StatusFound
		}
	}
	if status == 0 {
		status = http.StatusOK
	}
	ct := rt.ContentType
	if ct == "" {
		ct = "text/plain; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	if rt.Reason != "" {
		// Read the request body first (Autodiscover POSTs one): closing a
		// connection with unread data resets it, and the client would see
		// "unexpected EOF" instead of the response.
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		rt.writeRaw(w, status)
		return
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, rt.Body)
}

// writeRaw writes the response with its custom reason phrase straight to
// the connection: net/http always writes the standard phrase.
func (rt Route) writeRaw(w http.ResponseWriter, status int) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "mailtest: Route.Reason needs HTTP/1.1", http.StatusInternalServerError)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	h := w.Header().Clone()
	h.Set("Content-Length", strconv.Itoa(len(rt.Body)))
	h.Set("Connection", "close")
	fmt.Fprintf(buf, "HTTP/1.1 %03d %s\r\n", status, rt.Reason)
	_ = h.Write(buf)
	_, _ = io.WriteString(buf, "\r\n"+rt.Body)
	_ = buf.Flush()
	// Close gracefully: say we are done writing, then wait (briefly) for
	// the client to close its side, so nothing it still sends resets the
	// connection before it has read the response.
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	_ = conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, _ = io.Copy(io.Discard, conn)
}

// HTTPRequest is one request received by the web servers.
type HTTPRequest struct {
	Method string
	Scheme string // "http" or "https"
	Host   string // from the Host header, lower-case, without port
	Path   string
	Query  string // raw query, without "?"
	// Authorization tells whether an Authorization header was sent (its
	// value is never recorded).
	Authorization bool
	SNI           string // TLS server name, "" for plain HTTP or no SNI
	UserAgent     string
	Endpoint      Endpoint // where the connection arrived
}

// HandleHTTP makes the virtual host serve rt at path (exact match; a path
// ending in "/" also matches everything below it, longest prefix first).
// Registering the same host, path and scheme again replaces the route.
// Unmatched requests get 404.
func (n *Network) HandleHTTP(hostName, path string, rt Route) {
	n.mu.Lock()
	defer n.mu.Unlock()
	h := normHost(hostName)
	if n.routes[h] == nil {
		n.routes[h] = make(map[string]Route)
	}
	n.routes[h][path+"\x00"+rt.Scheme] = rt
}

// HandleHTTPFunc makes the virtual host serve f at path (see HandleHTTP).
func (n *Network) HandleHTTPFunc(hostName, path string, f func(http.ResponseWriter, *http.Request)) {
	n.HandleHTTP(hostName, path, Route{Handler: http.HandlerFunc(f)})
}

// RemoveHTTP removes the routes of a virtual host at path (all schemes).
func (n *Network) RemoveHTTP(hostName, path string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, s := range []string{"", "http", "https"} {
		delete(n.routes[normHost(hostName)], path+"\x00"+s)
	}
}

// HTTPRequests returns a copy of the request log, oldest first.
func (n *Network) HTTPRequests() []HTTPRequest {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return append([]HTTPRequest(nil), n.httpLog...)
}

// ResetHTTPRequests empties the request log.
func (n *Network) ResetHTTPRequests() {
	n.mu.Lock()
	n.httpLog = nil
	n.mu.Unlock()
}

func (n *Network) route(scheme, host, path string) (Route, bool) {
	n.mu.RLock()
	defer n.mu.RUnlock()
	m := n.routes[host]
	find := func(p string) (Route, bool) {
		if rt, ok := m[p+"\x00"+scheme]; ok {
			return rt, true
		}
		rt, ok := m[p+"\x00"]
		return rt, ok
	}
	if rt, ok := find(path); ok {
		return rt, true
	}
	for p := path; p != ""; {
		i := strings.LastIndexByte(strings.TrimSuffix(p, "/"), '/')
		if i < 0 {
			break
		}
		p = p[:i+1]
		if rt, ok := find(p); ok {
			return rt, true
		}
		if p == "/" {
			break
		}
	}
	return Route{}, false
}

// webServer holds the http.Servers behind every HTTP and HTTPS endpoint.
// Endpoints do the TLS handshake themselves and hand connections over.
type webServer struct {
	n            *Network
	plain, https *http.Server
	plainLn      *chanListener
	httpsLn      *chanListener

	mu    sync.Mutex
	conns map[net.Conn]*webConn
}

// webConn is a connection handed over to an http.Server.
type webConn struct {
	ep     Endpoint
	closed chan struct{}
	once   sync.Once
}

type ctxKey struct{}

// connKey carries the connection's *webConn in a request's context.
type connKey struct{}

// hijackWriter records that a handler took the connection over, so the
// connection is released when that handler returns rather than at the
// hijack itself (when the handler is still writing to it).
type hijackWriter struct {
	http.ResponseWriter
	hijacked bool
}

// Flush and Unwrap keep the wrapped writer's flushing and
// http.ResponseController working for handlers.
func (h *hijackWriter) Flush() {
	if f, ok := h.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (h *hijackWriter) Unwrap() http.ResponseWriter { return h.ResponseWriter }

func (h *hijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := h.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	c, rw, err := hj.Hijack()
	h.hijacked = err == nil
	return c, rw, err
}

func (n *Network) startWeb() error {
	w := &webServer{n: n, plainLn: newChanListener(), httpsLn: newChanListener(), conns: make(map[net.Conn]*webConn)}
	mk := func() *http.Server {
		return &http.Server{
			Handler:  w,
			ErrorLog: log.New(io.Discard, "", 0),
			ConnContext: func(ctx context.Context, c net.Conn) context.Context {
				w.mu.Lock()
				wc := w.conns[c]
				w.mu.Unlock()
				if wc != nil {
					ctx = context.WithValue(ctx, ctxKey{}, wc.ep)
					ctx = context.WithValue(ctx, connKey{}, wc)
				}
				return ctx
			},
			ConnState: func(c net.Conn, st http.ConnState) {
				// A hijacked connection is released by ServeHTTP once its
				// handler has finished with it.
				if st != http.StateClosed {
					return
				}
				w.mu.Lock()
				wc := w.conns[c]
				w.mu.Unlock()
				if wc != nil {
					wc.once.Do(func() { close(wc.closed) })
				}
			},
		}
	}
	w.plain, w.https = mk(), mk()
	n.web = w
	n.goTracked(func() { _ = w.plain.Serve(w.plainLn) })
	n.goTracked(func() { _ = w.https.Serve(w.httpsLn) })
	return nil
}

func (w *webServer) close() {
	_ = w.plain.Close()
	_ = w.https.Close()
	w.plainLn.Close()
	w.httpsLn.Close()
}

// handle serves one accepted web connection and returns when it is closed.
// The connection (a *tls.Conn for HTTPS, so net/http sees TLS) is handed to
// the http.Server as is.
func (w *webServer) handle(ep *endpoint, c net.Conn, b Behavior, log *ConnLog) {
	conn := c
	ln := w.plainLn
	isTLS := ep.Service.ImplicitTLS()
	if isTLS {
		tc, ok := w.n.handshake(ep, c, log, []string{"http/1.1"})
		if !ok {
			return
		}
		conn, ln = tc, w.httpsLn
	}
	switch {
	case b.Flood:
		w.n.flood(conn, floodPrefix[protoHTTP], log, isTLS)
		return
	case b.StallAfterGreeting:
		log.event(isTLS, "stalling")
		_, _ = io.Copy(io.Discard, conn)
		return
	}
	wc := &webConn{ep: w.n.endpointInfo(ep), closed: make(chan struct{})}
	w.mu.Lock()
	w.conns[conn] = wc
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		delete(w.conns, conn)
		w.mu.Unlock()
	}()
	if !ln.push(conn) {
		return
	}
	select {
	case <-wc.closed:
	case <-w.n.done:
	}
}

func (w *webServer) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	req := HTTPRequest{
		Method:        r.Method,
		Scheme:        "http",
		Host:          normHost(stripPort(r.Host)),
		Path:          r.URL.Path,
		Query:         r.URL.RawQuery,
		Authorization: r.Header.Get("Authorization") != "",
		UserAgent:     r.UserAgent(),
	}
	if r.TLS != nil {
		req.Scheme = "https"
		req.SNI = r.TLS.ServerName
	}
	if ep, ok := r.Context().Value(ctxKey{}).(Endpoint); ok {
		req.Endpoint = ep
	}
	w.n.mu.Lock()
	w.n.httpLog = append(w.n.httpLog, req)
	w.n.mu.Unlock()
	rt, ok := w.n.route(req.Scheme, req.Host, req.Path)
	if !ok {
		http.NotFound(rw, r)
		return
	}
	hw := &hijackWriter{ResponseWriter: rw}
	rt.ServeHTTP(hw, r)
	if wc, ok := r.Context().Value(connKey{}).(*webConn); ok && hw.hijacked {
		wc.once.Do(func() { close(wc.closed) })
	}
}

func stripPort(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

// chanListener is a net.Listener fed by push.
type chanListener struct {
	ch   chan net.Conn
	done chan struct{}
	once sync.Once
}

func newChanListener() *chanListener {
	return &chanListener{ch: make(chan net.Conn), done: make(chan struct{})}
}

func (l *chanListener) push(c net.Conn) bool {
	select {
	case l.ch <- c:
		return true
	case <-l.done:
		return false
	}
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ch:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *chanListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *chanListener) Addr() net.Addr { return strAddr{"tcp", "mailtest-web"} }
