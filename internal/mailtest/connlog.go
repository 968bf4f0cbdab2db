package mailtest

import (
	"fmt"
	"net"
	"strings"
	"sync"
)

// LineKind tells who produced a ConnLog line.
type LineKind int

const (
	// ClientLine is a line the client sent.
	ClientLine LineKind = iota
	// ServerLine is a line the server sent (as the client received it).
	ServerLine
	// EventLine is a note by the network ("tls ok TLS1.3", "tarpit", ...).
	EventLine
)

// Redacted replaces secrets (passwords, SASL responses) in ConnLog lines.
const Redacted = "***"

// LogLine is one entry of a ConnLog.
type LogLine struct {
	Kind LineKind
	// TLS is true when the line travelled inside TLS.
	TLS bool
	// Text is the line without its line ending; secrets are replaced by
	// Redacted.
	Text string
	// Verb is the upper-case command of a ClientLine ("LOGIN", "EHLO",
	// "STLS", ...), or "" for continuation data (literals, SASL responses,
	// message content) and for other kinds.
	Verb string
}

// ConnLog records one connection accepted by a network endpoint. For mail
// endpoints it holds every line exchanged, with passwords and SASL data
// redacted; for every endpoint it holds events such as TLS handshakes. It
// is safe for concurrent use.
type ConnLog struct {
	// ID numbers connections in accept order, from 1.
	ID int
	// Endpoint is where the connection arrived.
	Endpoint Endpoint
	// Remote is the client's real address.
	Remote string

	mu    sync.Mutex
	lines []LogLine
}

func (l *ConnLog) add(kind LineKind, tls bool, text, verb string) {
	l.mu.Lock()
	l.lines = append(l.lines, LogLine{Kind: kind, TLS: tls, Text: text, Verb: verb})
	l.mu.Unlock()
}

func (l *ConnLog) event(tls bool, format string, args ...any) {
	l.add(EventLine, tls, fmt.Sprintf(format, args...), "")
}

// Lines returns a copy of all entries in order.
func (l *ConnLog) Lines() []LogLine {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]LogLine(nil), l.lines...)
}

// Commands returns the client's lines that carry a command verb.
func (l *ConnLog) Commands() []LogLine {
	var out []LogLine
	for _, x := range l.Lines() {
		if x.Kind == ClientLine && x.Verb != "" {
			out = append(out, x)
		}
	}
	return out
}

// Verbs returns the verbs of Commands in order.
func (l *ConnLog) Verbs() []string {
	var out []string
	for _, c := range l.Commands() {
		out = append(out, c.Verb)
	}
	return out
}

// Sent reports whether the client sent a command with this verb
// (case-insensitive).
func (l *ConnLog) Sent(verb string) bool {
	verb = strings.ToUpper(verb)
	for _, c := range l.Commands() {
		if c.Verb == verb {
			return true
		}
	}
	return false
}

// SentBeforeTLS reports whether the client sent a command with this verb
// in cleartext.
func (l *ConnLog) SentBeforeTLS(verb string) bool {
	verb = strings.ToUpper(verb)
	for _, c := range l.Commands() {
		if c.Verb == verb && !c.TLS {
			return true
		}
	}
	return false
}

// Events returns the texts of the EventLine entries.
func (l *ConnLog) Events() []string {
	var out []string
	for _, x := range l.Lines() {
		if x.Kind == EventLine {
			out = append(out, x.Text)
		}
	}
	return out
}

// Contains reports whether any entry's text contains s; use it to prove a
// secret never appears in the log.
func (l *ConnLog) Contains(s string) bool {
	for _, x := range l.Lines() {
		if strings.Contains(x.Text, s) {
			return true
		}
	}
	return false
}

// String renders the log as a transcript ("C: ", "S: ", "-- " prefixes,
// "[tls]" marks lines inside TLS), for failure messages.
func (l *ConnLog) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "conn #%d to %s from %s\n", l.ID, l.Endpoint, l.Remote)
	for _, x := range l.Lines() {
		p := [...]string{"C: ", "S: ", "-- "}[x.Kind]
		t := ""
		if x.TLS {
			t = "[tls] "
		}
		fmt.Fprintf(&b, "%s%s%s\n", p, t, x.Text)
	}
	return b.String()
}

func (n *Network) newConnLog(ep *endpoint, c net.Conn) *ConnLog {
	n.mu.Lock()
	defer n.mu.Unlock()
	l := &ConnLog{ID: len(n.connLogs) + 1, Endpoint: ep.infoLocked(), Remote: c.RemoteAddr().String()}
	n.connLogs = append(n.connLogs, l)
	return l
}

// ConnLogs returns the logs of all connections accepted so far, in order.
func (n *Network) ConnLogs() []*ConnLog {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return append([]*ConnLog(nil), n.connLogs...)
}

// ConnLogsFor returns the logs of connections to target, "host" or
// "host:port".
func (n *Network) ConnLogsFor(target string) []*ConnLog {
	key, isEndpoint := normTarget(target)
	var out []*ConnLog
	for _, l := range n.ConnLogs() {
		if (isEndpoint && l.Endpoint.String() == key) || (!isEndpoint && l.Endpoint.Host == key) {
			out = append(out, l)
		}
	}
	return out
}
