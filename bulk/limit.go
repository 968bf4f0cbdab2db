package bulk

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
)

// errRecordTooLong is what csvSource returns once a CSV record has used
// up MaxLine bytes.
var errRecordTooLong = errors.New("the record is too long")

// csvSource sits between the input and encoding/csv and caps each CSV
// record at MaxLine bytes, so that neither a huge record nor endless input
// without a line break (/dev/zero) makes the parser's buffers grow. It is
// hand-rolled because encoding/csv has no cap of its own.
//
// It hands the parser at most one line per Read, so the parser, which
// reads line by line, never holds bytes past the line it is on: when a
// record has been parsed, everything read belongs to it. Reader calls
// startRecord before each record; once a record goes over the cap, Read
// fails with errRecordTooLong and skipRest reads on to the record's end,
// following CSV quoting as the parser would, and hands the parser only the
// line breaks of the skipped lines after the first (it counted that one),
// so the parser's line numbers stay right.
type csvSource struct {
	br *bufio.Reader

	max        int  // the cap of a record, MaxLine
	line       int  // the line of the next byte, from 1
	n          int  // bytes of the current record, from its first byte that is not a line break
	recordLine int  // the line where the current record starts
	cut        bool // the current record went over MaxLine
	pendingNL  int  // line breaks to hand the parser before anything else
	q          quoteState
}

func newCSVSource(br *bufio.Reader) *csvSource { return &csvSource{br: br, line: 1, max: MaxLine} }

// csvRecords reads CSV records, each capped at MaxLine bytes.
type csvRecords struct {
	*csv.Reader
	src *csvSource
}

func newCSVRecords(br *bufio.Reader) *csvRecords {
	src := newCSVSource(br)
	c := csv.NewReader(src)
	c.FieldsPerRecord = -1
	c.ReuseRecord = true
	return &csvRecords{Reader: c, src: src}
}

// next reads the next record as csv.Reader.Read does. A record over the
// cap gives tooLong and the line where it starts (rec then holds what was
// read of it); the next call reads past the rest of it first, and an error
// doing so is returned with that line.
func (c *csvRecords) next() (rec []string, tooLong bool, line int, err error) {
	if c.src.cut {
		// The last record went over the cap and has been reported; read
		// past the rest of it (which may never end: /dev/zero).
		if err := c.src.skipRest(); err != nil {
			return nil, false, c.src.recordLine, err
		}
	}
	c.src.startRecord()
	rec, err = c.Read()
	if c.src.cut {
		return rec, true, c.src.recordLine, nil
	}
	return rec, false, 0, err
}

// quoteState follows the fields of a CSV record byte by byte: whether the
// record has ended, and whether a line break is data inside a quoted
// field.
type quoteState struct {
	started bool // a field has begun (not at a field's first byte)
	quoted  bool // inside a quoted field
	pending bool // a quote inside a quoted field: the end, or the first of ""
	ended   bool // a line break outside quotes ended the record
}

func (q *quoteState) step(c byte) {
	if q.quoted {
		if !q.pending {
			q.pending = c == '"'
			return
		}
		q.pending = false
		if c == '"' {
			return // "" is one quote
		}
		q.quoted = false // the closing quote; c follows it
	}
	switch c {
	case ',':
		q.started = false
	case '\n':
		q.started = false
		q.ended = true
	case '"':
		if !q.started {
			q.quoted = true
		}
		q.started = true
	default:
		q.started = true
	}
}

// startRecord is called before the parser reads the next record.
func (s *csvSource) startRecord() {
	s.n, s.cut, s.q = 0, false, quoteState{}
}

// Read implements io.Reader for the parser.
func (s *csvSource) Read(p []byte) (int, error) {
	if s.pendingNL > 0 {
		k := min(len(p), s.pendingNL)
		for i := range k {
			p[i] = '\n'
		}
		s.pendingNL -= k
		return k, nil
	}
	if s.cut {
		return 0, errRecordTooLong
	}
	if s.n == 0 {
		// A blank line before a record is not part of it: it goes to the
		// parser on its own, and the parser skips it.
		b, err := s.br.Peek(1)
		if len(b) == 0 {
			return 0, err
		}
		if b[0] == '\r' {
			b, _ = s.br.Peek(2)
		}
		if k := blankLine(b); k > 0 {
			k = min(k, len(p))
			copy(p, b[:k])
			s.br.Discard(k)
			if p[k-1] == '\n' {
				s.line++
			}
			return k, nil
		}
	}
	b, err := s.buffered()
	if len(b) == 0 {
		return 0, err
	}
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i+1]
	}
	b = b[:min(len(b), len(p))]
	k := 0
	for ; k < len(b); k++ {
		if s.n >= s.max {
			s.cut = true
			break
		}
		if s.n == 0 {
			s.recordLine = s.line
		}
		c := b[k]
		s.n++
		s.q.step(c)
		if c == '\n' {
			s.line++
		}
	}
	copy(p, b[:k])
	s.br.Discard(k)
	if k == 0 {
		return 0, errRecordTooLong
	}
	return k, nil
}

// blankLine returns the length of the line break at the start of b: 1
// for "\n", 2 for "\r\n", else 0.
func blankLine(b []byte) int {
	switch {
	case len(b) > 0 && b[0] == '\n':
		return 1
	case len(b) > 1 && b[0] == '\r' && b[1] == '\n':
		return 2
	}
	return 0
}

// buffered returns the bytes the input has ready, reading when there are
// none.
func (s *csvSource) buffered() ([]byte, error) {
	if s.br.Buffered() == 0 {
		if _, err := s.br.Peek(1); err != nil && s.br.Buffered() == 0 {
			return nil, err
		}
	}
	return s.br.Peek(s.br.Buffered())
}

// skipRest reads past the rest of a record that went over the cap. The
// parser counted the line it was cut in; every further line of the
// record is handed to it as an empty line, which it counts and skips.
func (s *csvSource) skipRest() error {
	first := true
	for !s.q.ended {
		b, err := s.buffered()
		if len(b) == 0 {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		k := 0
		for ; k < len(b) && !s.q.ended; k++ {
			c := b[k]
			s.q.step(c)
			if c == '\n' {
				s.line++
				if !first {
					s.pendingNL++
				}
				first = false
			}
		}
		s.br.Discard(k)
	}
	return nil
}
