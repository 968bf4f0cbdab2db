package probe

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// MaxLineLength caps every line read from a server. A longer line ends the
// session with protocol.line-too-long instead of growing a buffer.
const MaxLineLength = 64 << 10

// errLineTooLong is returned by readLine for a line over MaxLineLength.
var errLineTooLong = i18n.Error("proto.line-too-long")

// phaseError marks where a session failed, for choosing the finding.
type phaseError struct {
	phase string // "greeting", "command", "starttls", "tls"
	err   error
}

func (e *phaseError) Error() string { return e.phase + ": " + e.err.Error() }
func (e *phaseError) Unwrap() error { return e.err }

// session is one connection to one endpoint, with per-phase deadlines and
// a capped line reader. The reader is replaced after STARTTLS.
type session struct {
	ctx     context.Context
	read    int      // bytes read in this phase, capped at maxPhaseBytes
	conn    net.Conn // current: raw, or TLS on top of raw
	r       *bufio.Reader
	timeout time.Duration
	trace   func(format string, args ...any)
	// sentCredentials holds the wire form of every credentials line sent
	// (see writeCredentials), to recognise a server line that repeats one.
	sentCredentials []string
}

func newSession(ctx context.Context, c net.Conn, timeout time.Duration, trace func(string, ...any)) *session {
	return &session{ctx: ctx, conn: c, r: bufio.NewReaderSize(c, 4096), timeout: timeout, trace: trace}
}

// maxPhaseBytes caps what one phase (a greeting, one command's response)
// may read, so that an endless stream of short lines ends too.
const maxPhaseBytes = 1 << 20

// errTooMuch is returned when a phase reads more than maxPhaseBytes.
var errTooMuch = i18n.Error("proto.too-much")

// deadline starts a phase: the connection deadline becomes the phase
// timeout, never past the context's deadline, and the byte budget resets.
// Reads within the phase share that one deadline, so a server trickling
// lines cannot keep a phase alive.
func (s *session) deadline() {
	s.read = 0
	d := time.Now().Add(s.timeout)
	if cd, ok := s.ctx.Deadline(); ok && cd.Before(d) {
		d = cd
	}
	_ = s.conn.SetDeadline(d)
}

// readLine reads one line without its line ending, within the current
// phase's deadline and byte budget.
func (s *session) readLine() (string, error) {
	var buf []byte
	for {
		frag, err := s.r.ReadSlice('\n')
		if len(buf)+len(frag) > MaxLineLength {
			return "", errLineTooLong
		}
		buf = append(buf, frag...)
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) && len(buf) > 0 {
			return "", i18n.Error("proto.closed-mid-line", io.ErrUnexpectedEOF)
		}
		return "", s.ctxErr(err)
	}
	s.read += len(buf)
	if s.read > maxPhaseBytes {
		return "", errTooMuch
	}
	line := strings.TrimRight(string(buf), "\r\n")
	if s.repeatsCredentials(line) {
		s.trace("S: %s", echoWithheld)
	} else {
		s.trace("S: %s", line)
	}
	return line, nil
}

// credentialsMark stands in the trace for the part of a line that carries
// credentials. The credentials themselves are never formatted into text.
const credentialsMark = "[credentials]"

// echoWithheld replaces, in the trace and in findings, a server line that
// repeats a credentials line the probe sent.
const echoWithheld = "[a server line repeating the credentials sent, not shown]"

// writeLine sends one command line that carries no credentials and starts
// a new phase for its response; the trace shows the line as sent.
func (s *session) writeLine(line string) error {
	return s.write(line, line)
}

// writeCredentials sends the line public+cred, where cred is the part that
// carries credentials (a password, a SASL response). The trace shows
// public followed by credentialsMark, so cred never reaches any text. echo
// is what a server repeating the line back would quote (the SASL response,
// the quoted password, "PASS secret"): repeatsCredentials recognises it.
func (s *session) writeCredentials(public, cred, echo string) error {
	s.sentCredentials = append(s.sentCredentials, echo)
	return s.write(public+cred, public+credentialsMark)
}

// writeLiteral sends an IMAP literal's octets that carry credentials,
// followed by the line end that ends the command. It is traced as
// credentialsMark. A literal is data, not a command, so no server repeats
// it as one: it is not remembered for repeatsCredentials.
func (s *session) writeLiteral(cred string) error {
	return s.write(cred, credentialsMark)
}

// repeatsCredentials reports whether a server line quotes a credentials
// line the probe sent (its echo form): a server that echoes a command
// back. Such a line is never quoted; it is a decision about one line, not
// a replacement inside text.
func (s *session) repeatsCredentials(line string) bool {
	for _, c := range s.sentCredentials {
		if strings.Contains(line, c) {
			return true
		}
	}
	return false
}

// write sends line and starts a new phase for its response; shown is what
// the trace prints.
func (s *session) write(line, shown string) error {
	s.deadline()
	s.trace("C: %s", shown)
	if _, err := io.WriteString(s.conn, line+"\r\n"); err != nil {
		return s.ctxErr(err)
	}
	return nil
}

// ctxErr prefers the context's error (cancellation, the overall deadline)
// to the connection's.
func (s *session) ctxErr(err error) error {
	if ce := s.ctx.Err(); ce != nil {
		return fmt.Errorf("%w (%w)", ce, err)
	}
	return err
}

// isTimeout reports whether err is a deadline expiry.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		errors.As(err, &ne) && ne.Timeout()
}
