package mailtest

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// internalName is the certificate name of the internal TLS hop between an
// endpoint and a library server.
const internalName = "backend.mailtest.internal"

// tlsPair is the internal hop's server and client TLS configurations.
type tlsPair struct {
	server, client *tls.Config
}

func newTLSPair(ca *CA) (*tlsPair, error) {
	srv, err := ca.ServerTLSConfig(CertValid, internalName)
	if err != nil {
		return nil, err
	}
	return &tlsPair{server: srv, client: ca.ClientTLSConfig(internalName)}, nil
}

// serverTLS returns the TLS configuration an endpoint presents to clients:
// the certificate and versions of the host named by SNI, or of the
// endpoint's own host when SNI is absent or unknown.
func (n *Network) serverTLS(ep *endpoint, alpn []string) *tls.Config {
	return &tls.Config{
		GetConfigForClient: func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			n.mu.RLock()
			h := n.hosts[normHost(hello.ServerName)]
			if h == nil {
				h = n.hosts[ep.Host]
			}
			set, name := h.tls, h.name
			n.mu.RUnlock()
			names := set.Names
			if len(names) == 0 {
				names = []string{name}
			}
			cert, err := n.ca.Issue(set.Kind, names...)
			if err != nil {
				return nil, err
			}
			return &tls.Config{
				Certificates: []tls.Certificate{*cert},
				MinVersion:   set.MinVersion,
				MaxVersion:   set.MaxVersion,
				NextProtos:   alpn,
			}, nil
		},
	}
}

// handshake runs the server side of TLS on c and logs the outcome.
func (n *Network) handshake(ep *endpoint, c net.Conn, log *ConnLog, alpn []string) (*tls.Conn, bool) {
	tc := tls.Server(c, n.serverTLS(ep, alpn))
	// A client that never completes the handshake is released by Close,
	// which closes c.
	if err := tc.Handshake(); err != nil {
		log.event(false, "tls handshake failed: %v", err)
		return nil, false
	}
	st := tc.ConnectionState()
	log.event(true, "tls ok %s sni=%q", tls.VersionName(st.Version), st.ServerName)
	return tc, true
}

func (n *Network) serveEndpoint(ep *endpoint) {
	for {
		c, err := ep.ln.Accept()
		if err != nil {
			return
		}
		if !n.track(c) {
			return
		}
		if !n.goTracked(func() {
			defer n.untrackClose(c)
			n.handleConn(ep, c)
		}) {
			n.untrackClose(c)
			return
		}
	}
}

func (n *Network) handleConn(ep *endpoint, c net.Conn) {
	b := n.behaviorFor(ep)
	log := n.newConnLog(ep, c)
	switch {
	case b.Handler != nil:
		log.event(false, "custom handler")
		b.Handler(c, n.endpointInfo(ep))
		return
	case b.Tarpit:
		log.event(false, "tarpit")
		_, _ = io.Copy(io.Discard, c)
		return
	}
	if ep.Service.proto() == protoHTTP {
		n.web.handle(ep, c, b, log)
		return
	}
	r := &relay{n: n, ep: ep, b: b, log: log, p: ep.Service.proto()}
	r.run(c)
}

// flood writes prefix and then endless bytes until the write fails or the
// network closes.
func (n *Network) flood(c net.Conn, prefix string, log *ConnLog, tls bool) {
	log.event(tls, "flood")
	chunk := bytes.Repeat([]byte("A"), 16<<10)
	if _, err := io.WriteString(c, prefix); err != nil {
		return
	}
	for {
		select {
		case <-n.done:
			return
		default:
		}
		if _, err := c.Write(chunk); err != nil {
			return
		}
	}
}

var floodPrefix = map[proto]string{
	protoIMAP: "* OK ",
	protoSMTP: "220 ",
	protoPOP3: "+OK ",
	protoHTTP: "HTTP/1.1 200 OK\r\nX-Flood: ",
}

// relay connects a client of a mail endpoint to the library server behind
// it, logging and redacting lines and handling STARTTLS on both hops.
type relay struct {
	n   *Network
	ep  *endpoint
	b   Behavior
	log *ConnLog
	p   proto

	mu          sync.Mutex
	tls         bool
	pending     bool   // STARTTLS/STLS sent, reply not yet seen
	pendingTag  string // IMAP tag of the pending STARTTLS
	sensitive   bool   // client lines are secrets until the server's final reply
	greeted     bool
	dataMode    bool // SMTP message content
	literalLeft int  // IMAP literal bytes still to come from the client
}

func (r *relay) run(client net.Conn) {
	implicit := r.ep.Service.ImplicitTLS()
	if implicit {
		tc, ok := r.n.handshake(r.ep, client, r.log, nil)
		if !ok {
			return
		}
		client = tc
		r.tls = true
	}
	if r.b.Flood {
		r.n.flood(client, floodPrefix[r.p], r.log, r.tls)
		return
	}
	raw, backend, err := r.n.dialBackend(r.p, implicit)
	if err != nil {
		r.log.event(r.tls, "backend: %v", err)
		return
	}
	defer r.n.untrackClose(raw)

	cr := bufio.NewReaderSize(client, 4096)
	if !r.pump(client, cr, backend, bufio.NewReaderSize(backend, 4096), !implicit) {
		return
	}
	// Positive STARTTLS reply forwarded: the next bytes are TLS.
	if inj := r.b.STARTTLSInjection; len(inj) > 0 {
		r.log.event(false, "starttls injection: %q", inj)
		if _, err := client.Write(inj); err != nil {
			return
		}
	}
	if k := cr.Buffered(); k > 0 {
		pre, _ := cr.Peek(k)
		r.log.event(false, "discarded %d cleartext bytes sent before the TLS handshake: %q", k, pre)
	}
	tc, ok := r.n.handshake(r.ep, client, r.log, nil)
	if !ok {
		return
	}
	bt := tls.Client(raw, r.n.internalTLS.client)
	if err := bt.Handshake(); err != nil {
		r.log.event(true, "backend tls: %v", err)
		return
	}
	r.mu.Lock()
	r.tls = true
	r.mu.Unlock()
	r.pump(tc, bufio.NewReaderSize(tc, 4096), bt, bufio.NewReaderSize(bt, 4096), false)
}

// dialBackend connects to the library server for p; raw is the TCP
// connection (tracked), c the one to talk over (TLS for implicit).
func (n *Network) dialBackend(p proto, implicit bool) (raw, c net.Conn, err error) {
	var addr string
	switch p {
	case protoIMAP:
		addr = n.imap.addr(implicit)
	case protoSMTP:
		addr = n.smtp.addr(implicit)
	case protoPOP3:
		addr = n.pop3.addr(implicit)
	}
	raw, err = net.Dial("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("mailtest: dial backend %s: %w", addr, err)
	}
	if !n.track(raw) {
		return nil, nil, errors.New("mailtest: network closed")
	}
	if !implicit {
		return raw, raw, nil
	}
	tc := tls.Client(raw, n.internalTLS.client)
	if err := tc.Handshake(); err != nil {
		n.untrackClose(raw)
		return nil, nil, fmt.Errorf("mailtest: backend tls %s: %w", addr, err)
	}
	return raw, tc, nil
}

// readLine returns the next line including its ending, or a chunk of at
// most the buffer size of a longer line. The slice is a copy.
func readLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		err = nil
	}
	return append([]byte(nil), line...), err
}

// pump relays lines both ways until one side closes or, when detect is
// set, the server accepts STARTTLS; it reports the latter.
func (r *relay) pump(client net.Conn, cr *bufio.Reader, server net.Conn, sr *bufio.Reader, detect bool) (upgraded bool) {
	upgrade := make(chan bool, 1)
	sDone := make(chan struct{})
	go func() {
		defer close(sDone)
		for {
			line, err := readLine(sr)
			if len(line) > 0 {
				out, decision := r.onServerLine(line)
				if len(out) > 0 {
					if _, werr := client.Write(out); werr != nil {
						break
					}
				}
				if decision != nil {
					upgrade <- *decision
					if *decision {
						return
					}
				}
			}
			if err != nil {
				break
			}
		}
		_ = client.SetReadDeadline(time.Now()) // unblock the client reader
	}()
	defer func() {
		if !upgraded {
			_ = server.SetReadDeadline(time.Now())
		}
		<-sDone
	}()
	for {
		line, err := readLine(cr)
		if len(line) > 0 {
			starttls := r.onClientLine(line, detect)
			if _, werr := server.Write(line); werr != nil {
				return false
			}
			if starttls {
				select {
				case ok := <-upgrade:
					if ok {
						return true
					}
				case <-sDone:
					// The server goroutine ends right after a positive
					// decision, so both cases can be ready at once: a
					// decision already sent wins.
					select {
					case ok := <-upgrade:
						if ok {
							return true
						}
					default:
					}
					return false
				}
			}
		}
		if err != nil {
			return false
		}
	}
}

func trimEOL(b []byte) string { return strings.TrimRight(string(b), "\r\n") }

// onClientLine logs a client line (redacted) and reports whether it is a
// STARTTLS/STLS command to watch (detect set and not yet in TLS).
func (r *relay) onClientLine(line []byte, detect bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	text := trimEOL(line)
	if r.p == protoIMAP && r.literalLeft > 0 {
		if len(line) <= r.literalLeft {
			r.literalLeft -= len(line)
			r.logClient(text, "", true)
			return false
		}
		rest := line[r.literalLeft:]
		r.literalLeft = trailingLiteral(trimEOL(rest))
		r.logClient(text, "", true)
		return false
	}
	if r.sensitive {
		r.logClient(Redacted, "", false)
		return false
	}
	if r.dataMode {
		if text == "." {
			r.dataMode = false
		}
		r.log.add(ClientLine, r.tls, text, "")
		return false
	}
	var tag, verb, args string
	switch r.p {
	case protoIMAP:
		f := strings.SplitN(text, " ", 3)
		tag = f[0]
		if len(f) > 1 {
			verb = strings.ToUpper(f[1])
		}
		if len(f) > 2 {
			args = f[2]
		}
		if verb == "UID" {
			sub, _, _ := strings.Cut(args, " ")
			verb = "UID " + strings.ToUpper(sub)
		}
	default:
		f := strings.SplitN(text, " ", 2)
		verb = strings.ToUpper(f[0])
		if len(f) > 1 {
			args = f[1]
		}
	}
	logged := text
	switch {
	case r.p == protoIMAP && verb == "LOGIN":
		user, rest := firstAString(args)
		if strings.Contains(user, "{") {
			logged = tag + " LOGIN " + Redacted
			r.sensitive = true
		} else {
			logged = tag + " LOGIN " + user + " " + Redacted
			if strings.HasSuffix(rest, "}") {
				r.sensitive = true
			}
		}
	case r.p == protoIMAP && verb == "AUTHENTICATE", r.p != protoIMAP && verb == "AUTH":
		mech, ir, hasIR := strings.Cut(args, " ")
		prefix := strings.TrimSuffix(text, args)
		logged = prefix + mech
		if hasIR && ir != "" {
			logged += " " + Redacted
		}
		if mech != "" {
			r.sensitive = true
		}
	case r.p == protoPOP3 && verb == "PASS":
		logged = "PASS " + Redacted
	case r.p == protoPOP3 && verb == "APOP":
		user, _, _ := strings.Cut(args, " ")
		logged = "APOP " + user + " " + Redacted
	}
	if r.p == protoIMAP {
		r.literalLeft = trailingLiteral(text)
	}
	r.logClient(logged, verb, false)
	starttls := detect && !r.tls && (verb == "STARTTLS" || (r.p == protoPOP3 && verb == "STLS"))
	if starttls {
		r.pending, r.pendingTag = true, tag
	}
	return starttls
}

func (r *relay) logClient(text, verb string, continuation bool) {
	if continuation {
		verb = ""
		if r.sensitive {
			text = Redacted
		}
	}
	r.log.add(ClientLine, r.tls, text, verb)
}

// trailingLiteral returns n for a line ending in an IMAP literal "{n}" or
// "{n+}"/"{n-}", else 0. The CRLF after the marker counts as sent.
func trailingLiteral(text string) int {
	if !strings.HasSuffix(text, "}") {
		return 0
	}
	i := strings.LastIndexByte(text, '{')
	if i < 0 {
		return 0
	}
	num := strings.TrimRight(text[i+1:len(text)-1], "+-")
	v, err := strconv.Atoi(num)
	if err != nil || v < 0 {
		return 0
	}
	return v
}

// firstAString splits an IMAP argument list into its first astring (quoted
// strings kept with quotes) and the rest.
func firstAString(args string) (first, rest string) {
	if strings.HasPrefix(args, "\"") {
		for i := 1; i < len(args); i++ {
			switch args[i] {
			case '\\':
				i++
			case '"':
				return args[:i+1], strings.TrimPrefix(args[i+1:], " ")
			}
		}
		return args, ""
	}
	first, rest, _ = strings.Cut(args, " ")
	return first, rest
}

// onServerLine logs a server line and returns what to forward and, when the
// line answers a pending STARTTLS, whether it was positive.
func (r *relay) onServerLine(line []byte) (out []byte, decision *bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	text := trimEOL(line)
	if r.sensitive && !r.isContinuation(text) {
		r.sensitive = false
	}
	if r.p == protoSMTP && strings.HasPrefix(text, "354") {
		r.dataMode = true
	}
	if r.pending && r.isFinal(text) {
		r.pending = false
		ok := r.isPositive(text)
		decision = &ok
	}
	stalled := r.b.StallAfterGreeting && r.greeted
	if !r.greeted && (r.p != protoSMTP || len(text) < 4 || text[3] != '-') {
		r.greeted = true
		if r.b.StallAfterGreeting {
			r.log.event(r.tls, "stalling after greeting")
		}
	}
	if stalled {
		return nil, decision
	}
	out = line
	if r.p == protoIMAP {
		out = []byte(rewriteIMAPCaps(string(out), r.n.login.imapConfig()))
	}
	if f := r.b.RewriteServerLine; f != nil {
		out = []byte(f(string(out), r.tls))
	}
	if len(out) > 0 {
		r.log.add(ServerLine, r.tls, trimEOL(out), "")
	}
	return out, decision
}

func (r *relay) isContinuation(text string) bool {
	switch r.p {
	case protoIMAP:
		return strings.HasPrefix(text, "+") || strings.HasPrefix(text, "*")
	case protoSMTP:
		return strings.HasPrefix(text, "334")
	default:
		return text == "+" || strings.HasPrefix(text, "+ ")
	}
}

func (r *relay) isFinal(text string) bool {
	switch r.p {
	case protoIMAP:
		return strings.HasPrefix(text, r.pendingTag+" ")
	case protoSMTP:
		return len(text) == 3 || (len(text) >= 4 && text[3] == ' ')
	default:
		return strings.HasPrefix(text, "+OK") || strings.HasPrefix(text, "-ERR")
	}
}

func (r *relay) isPositive(text string) bool {
	switch r.p {
	case protoIMAP:
		f := strings.Fields(text)
		return len(f) > 1 && strings.EqualFold(f[1], "OK")
	case protoSMTP:
		return strings.HasPrefix(text, "2")
	default:
		return strings.HasPrefix(text, "+OK")
	}
}
