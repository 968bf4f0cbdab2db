package netx

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/termtext"
)

// Tracer writes the --verbose trace of lookups and connections, one line
// per event. It prints what it is given: it knows no secrets and changes
// no text. Credentials never reach it because the code that sends them
// (the probe's protocol clients) traces those lines as "[credentials]"
// instead of formatting them. A nil *Tracer is valid and discards
// everything, so callers never check.
type Tracer struct {
	// Catalog is the language of the trace's own words (Say, Text); nil
	// is English. What servers send is printed as sent.
	Catalog *i18n.Catalog

	mu    sync.Mutex
	w     io.Writer
	now   func() time.Time
	start time.Time
}

// NewTracer returns a Tracer writing to w (normally stderr).
func NewTracer(w io.Writer) *Tracer {
	return &Tracer{w: w, now: time.Now, start: time.Now()}
}

// Printf writes one trace line, prefixed with the time since the tracer was
// made; the lines of a multi-line message after the first are indented.
func (t *Tracer) Printf(format string, args ...any) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	msg := fmt.Sprintf(format, args...)
	msg = strings.TrimRight(msg, "\n")
	msg = strings.ReplaceAll(msg, "\n", "\n        ")
	fmt.Fprintf(t.w, "%6.3fs %s\n", t.now().Sub(t.start).Seconds(), termtext.SafeLines(msg)) // server text, escaped for the terminal
}

// Say writes one trace line worded by the catalogue's key and args in
// the tracer's language.
func (t *Tracer) Say(key string, args ...any) {
	if t == nil {
		return
	}
	t.Printf("%s", t.Text(i18n.M(key, args...)))
}

// Text renders m in the tracer's language.
func (t *Tracer) Text(m i18n.Msg) string {
	if t == nil {
		return i18n.New(i18n.EN).Render(m)
	}
	return t.Catalog.Render(m)
}

// Enabled reports whether trace lines go anywhere.
func (t *Tracer) Enabled() bool { return t != nil }
