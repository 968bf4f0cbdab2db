package netx

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mailsetup/mailsetup/internal/termtext"
)

// Tracer writes the --verbose trace of lookups and connections, one line
// per event, with every registered secret replaced by "[redacted]". A nil
// *Tracer is valid and discards everything, so callers never check.
type Tracer struct {
	mu      sync.Mutex
	w       io.Writer
	secrets []string
	now     func() time.Time
	start   time.Time
}

// NewTracer returns a Tracer writing to w (normally stderr).
func NewTracer(w io.Writer) *Tracer {
	return &Tracer{w: w, now: time.Now, start: time.Now()}
}

// Redact registers a secret (a password, a token) that must never appear in
// the trace. Empty strings are ignored.
func (t *Tracer) Redact(secret string) {
	if t == nil || secret == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if slices.Contains(t.secrets, secret) {
		return
	}
	// Keep the list longest first, so a secret that contains another is
	// removed whole; insert in place (bulk runs register one per row).
	i := sort.Search(len(t.secrets), func(i int) bool { return len(t.secrets[i]) < len(secret) })
	t.secrets = slices.Insert(t.secrets, i, secret)
}

// Printf writes one trace line, prefixed with the time since the tracer was
// made, after removing secrets.
func (t *Tracer) Printf(format string, args ...any) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	msg := fmt.Sprintf(format, args...)
	for _, s := range t.secrets {
		msg = strings.ReplaceAll(msg, s, "[redacted]")
	}
	msg = strings.TrimRight(msg, "\n")
	msg = strings.ReplaceAll(msg, "\n", "\n        ")
	fmt.Fprintf(t.w, "%6.3fs %s\n", t.now().Sub(t.start).Seconds(), termtext.SafeLines(msg)) // server text, escaped for the terminal
}

// Enabled reports whether trace lines go anywhere.
func (t *Tracer) Enabled() bool { return t != nil }
