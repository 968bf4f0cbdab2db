package netx

import (
	"bytes"
	"strings"
	"testing"
)

// TestTracerPrintsTextUnchanged: the tracer changes no text (no secret
// list, no substring replacement); lines after the first are indented.
func TestTracerPrintsTextUnchanged(t *testing.T) {
	var buf bytes.Buffer
	tr := NewTracer(&buf)
	tr.Printf("IMAP imap.good.test:993: S: %s\nsecond line", "m1 NO [AUTHENTICATIONFAILED] context deadline exceeded")
	got := buf.String()
	if !strings.Contains(got, "IMAP imap.good.test:993: S: m1 NO [AUTHENTICATIONFAILED] context deadline exceeded\n") {
		t.Errorf("trace changed the text: %q", got)
	}
	if strings.Count(got, "\n") != 2 || !strings.Contains(got, "\n        second line") {
		t.Errorf("multi-line message not indented: %q", got)
	}
	var nilTracer *Tracer
	nilTracer.Printf("nothing %d", 1) // must not panic
	if nilTracer.Enabled() {
		t.Error("nil tracer enabled")
	}
}

func TestParseServerAddr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"192.0.2.53", "192.0.2.53:53"},
		{"192.0.2.53:5353", "192.0.2.53:5353"},
		{"::1", "[::1]:53"},
		{"[::1]:5353", "[::1]:5353"},
		{"dns.example", "dns.example:53"},
		{"dns.example:54", "dns.example:54"},
	}
	for _, tt := range tests {
		if got, err := ParseServerAddr(tt.in, 53); err != nil || got != tt.want {
			t.Errorf("ParseServerAddr(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", ":53", "host:0", "host:65536", "host:x", "a:b:c", "host:053"} {
		if got, err := ParseServerAddr(in, 53); err == nil {
			t.Errorf("ParseServerAddr(%q) = %q, want error", in, got)
		}
	}
}

// TestTracerEscapesControls: server text in a trace line reaches the
// terminal with its control characters escaped; the line breaks of a
// multi-line message stay.
func TestTracerEscapesControls(t *testing.T) {
	var buf bytes.Buffer
	tr := NewTracer(&buf)
	tr.Printf("S: %s\nnext \u202e", "* OK \x1b]52;c;cm0gLXJmIH4K\x07\r \u009b31m \xff")
	got := buf.String()
	want := `S: * OK \x1b]52;c;cm0gLXJmIH4K\x07\r \u009b31m \xff` + "\n        next \\u202e\n"
	if !strings.HasSuffix(got, want) {
		t.Errorf("trace = %q, want it to end in %q", got, want)
	}
}
