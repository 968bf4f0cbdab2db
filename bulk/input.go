package bulk

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// Format is the input format: CSV with a header row, or JSON Lines.
type Format string

// Input formats.
const (
	CSV   Format = "csv"
	JSONL Format = "jsonl"
)

// ParseFormat parses --input-format.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "csv":
		return CSV, nil
	case "jsonl", "ndjson", "json":
		return JSONL, nil
	}
	return "", i18n.Error("input.format", s)
}

// GuessFormat picks the format from the file name's extension (.csv,
// .jsonl, .ndjson, .json) or, when that says nothing (stdin), from the
// first byte of the data: '{' means JSON Lines.
func GuessFormat(name string, start []byte) Format {
	if f, ok := FormatFromName(name); ok {
		return f
	}
	start = bytes.TrimPrefix(start, utf8BOM)
	if t := bytes.TrimLeft(start, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		return JSONL
	}
	return CSV
}

// FormatFromName returns the format that the file name's extension names,
// if it names one.
func FormatFromName(name string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv", ".txt":
		return CSV, true
	case ".jsonl", ".ndjson", ".json":
		return JSONL, true
	}
	return "", false
}

// PeekStart returns the start of br's data that GuessFormat needs: the
// first byte that is not a BOM or white space, or what there is before
// the end or 512 bytes. It waits only for that much, so a slow writer's
// first row is not held back.
func PeekStart(br *bufio.Reader) []byte {
	for n := 1; ; n = br.Buffered() + 1 {
		b, err := br.Peek(n)
		if err != nil || len(b) >= 512 || len(bytes.TrimLeft(bytes.TrimPrefix(b, utf8BOM), " \t\r\n")) > 0 {
			return b
		}
	}
}

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// Columns are the input columns (CSV header names, JSON Lines field
// names), in the order the documentation lists them. Header names are
// matched case-insensitively, and "-" may stand for "_".
var Columns = []string{"email", "name", "username", "password", "incoming",
	"imap", "imap_security", "pop3", "pop3_security", "smtp", "smtp_security", "lang"}

// MaxLine is the longest input line (a JSON Lines row or a CSV record,
// with its line break) accepted; longer ones are row errors
// (input.line-too-long) and the run goes on after them. A CSV header row
// over it stops the run.
const MaxLine = 1 << 20

// MaxEcho is the most bytes of an input value that an error message
// quotes; a longer value is cut, with "…" at the end.
const MaxEcho = 200

// clip cuts s to at most n bytes, at a UTF-8 boundary, and marks the cut
// with "…".
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// clipEcho cuts the echo of value in an error message to MaxEcho bytes,
// quoted or not, and the whole message to a few times that.
func clipEcho(msg, value string) string {
	if len(value) > MaxEcho {
		short := clip(value, MaxEcho)
		msg = strings.ReplaceAll(msg, strconv.Quote(value), strconv.Quote(short))
		msg = strings.ReplaceAll(msg, value, short)
	}
	return clip(msg, 4*MaxEcho)
}

// Secret is a value that must never be shown: it prints and marshals as
// "[redacted]".
type Secret string

// String implements fmt.Stringer.
func (Secret) String() string { return "[redacted]" }

// GoString implements fmt.GoStringer.
func (Secret) GoString() string { return `"[redacted]"` }

// MarshalText implements encoding.TextMarshaler.
func (Secret) MarshalText() ([]byte, error) { return []byte("[redacted]"), nil }

// ServerParser reads a "host[:port]" override with an optional security
// into a server; the cmd package passes the parser of its --imap/--pop3/
// --smtp flags, so a column means exactly what the flag means.
type ServerParser func(p account.Protocol, hostPort string, sec account.Security) (account.Server, error)

// Row is one validated input row.
type Row struct {
	// Line is the line number where the row starts (the header is line 1
	// of a CSV file).
	Line int
	// Email is the address as written, trimmed.
	Email string
	Addr  account.Address
	Name  string
	// Username, when set, is the login name for both servers.
	Username string
	Password Secret
	// Incoming is imap or pop3 when the row chooses; unset otherwise.
	Incoming account.Protocol
	// IncomingServer and OutgoingServer are the row's server overrides.
	IncomingServer *account.Server
	OutgoingServer *account.Server
	// Lang is the row's language (its lang column, parsed with
	// i18n.Parse); empty when the row gives none, and then the run's
	// language applies.
	Lang i18n.Lang
	// Errors are the validation errors; a row with errors is reported as
	// failed and not processed.
	Errors []Issue
	// key identifies the row's content for duplicate detection.
	key uint64
	// first marks the domain's first valid row (in input order).
	first bool
}

// needsDiscovery reports whether the row leaves a server to discovery.
func (r *Row) needsDiscovery() bool { return r.IncomingServer == nil || r.OutgoingServer == nil }

// Issue is one error or warning about a row, with a stable code. Field
// and Column locate input errors: the column (field) name, and the
// 1-based byte position in the line where the value starts.
type Issue struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	Column  int    `json:"column,omitempty"`
}

// InputError is a problem with the whole input (a bad header, a read
// error): the run cannot start or go on.
type InputError struct {
	Line int
	Err  error
}

func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return e.Err.Error()
}

func (e *InputError) Unwrap() error { return e.Err }

// RenderIn implements i18n.Renderer: the error in c's language.
func (e *InputError) RenderIn(c *i18n.Catalog) string {
	if e.Line > 0 {
		return c.T("input.line", e.Line, c.ErrorText(e.Err))
	}
	return c.ErrorText(e.Err)
}

// Reader reads rows from CSV or JSON Lines input one at a time, so the
// input is never held in memory whole: at most MaxLine bytes of a row. It
// reads only when asked; input that may stall (stdin, a FIFO) should go
// through Interruptible, so that a cancelled run stops reading.
type Reader struct {
	format Format
	parse  ServerParser
	// OnPassword, when set, is called once, the first time a row holds a
	// password.
	OnPassword func()
	sawPW      bool
	// lang is the language of the messages about a row that gives no
	// (valid) language of its own; Run sets it to the run's language.
	lang i18n.Lang

	// CSV
	csv    *csvRecords
	header []string // canonical column names, by position

	// JSON Lines
	br   *bufio.Reader
	line int
}

// NewReader starts reading r. For CSV it reads and checks the header row
// at once: an unknown, repeated or missing required column is an
// *InputError.
func NewReader(r io.Reader, format Format, parse ServerParser) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, utf8BOM) {
		br.Discard(3)
	}
	rd := &Reader{format: format, parse: parse}
	switch format {
	case CSV:
		rd.csv = newCSVRecords(br)
		return rd, rd.readHeader()
	case JSONL:
		rd.br = br
		return rd, nil
	}
	return nil, fmt.Errorf("unknown input format %q", format)
}

func canonicalColumn(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_")
}

func (rd *Reader) readHeader() error {
	rec, tooLong, _, err := rd.csv.next()
	if tooLong {
		return &InputError{Line: 1, Err: i18n.Error("input.header-long", MaxLine, clip(strings.Join(rec, ","), MaxEcho))}
	}
	if errors.Is(err, io.EOF) {
		return &InputError{Err: i18n.Error("input.empty")}
	}
	if err != nil {
		return &InputError{Line: 1, Err: i18n.Error("input.header", err)}
	}
	seen := map[string]bool{}
	for i, h := range rec {
		c := canonicalColumn(h)
		switch {
		case !slices.Contains(Columns, c):
			return &InputError{Line: 1, Err: i18n.Error("input.column-unknown", i+1, clip(h, MaxEcho), strings.Join(Columns, ", "))}
		case seen[c]:
			return &InputError{Line: 1, Err: i18n.Error("input.column-twice", i+1, clip(h, MaxEcho))}
		}
		seen[c] = true
		rd.header = append(rd.header, c)
	}
	if !seen["email"] {
		return &InputError{Line: 1, Err: i18n.Error("input.no-email")}
	}
	return nil
}

// Next returns the next row, io.EOF at the end, or an *InputError when
// the input cannot be read on. Rows with bad values are returned with
// Errors set: a bad row never stops the batch.
func (rd *Reader) Next() (*Row, error) {
	if rd.format == CSV {
		return rd.nextCSV()
	}
	return rd.nextJSONL()
}

func (rd *Reader) nextCSV() (*Row, error) {
	rec, tooLong, line, err := rd.csv.next()
	if tooLong {
		row := &Row{Line: line}
		row.fail("input.line-too-long", "", 0, "%s", rd.cat(row).T("bulkrow.input.record-too-long", MaxLine))
		return row, nil
	}
	if err != nil && line > 0 {
		return nil, &InputError{Line: line, Err: err}
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				// FieldsPerRecord is -1, so this does not happen.
				return nil, &InputError{Line: pe.Line, Err: pe.Err}
			}
			row := &Row{Line: pe.StartLine}
			row.fail("input.syntax", "", pe.Column, "%s", csvProblem(rd.cat(row), pe.Err))
			return row, nil
		}
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, &InputError{Err: err}
	}
	line, _ = rd.csv.FieldPos(0)
	row := &Row{Line: line}
	if len(rec) != len(rd.header) {
		row.fail("input.field-count", "", 0, "%s", rd.cat(row).T("bulkrow.input.field-count", len(rec), len(rd.header)))
		return row, nil
	}
	fields := make(map[string]field, len(rec))
	for i, v := range rec {
		_, col := rd.csv.FieldPos(i)
		fields[rd.header[i]] = field{value: v, column: col}
	}
	rd.fill(row, fields)
	return row, nil
}

type field struct {
	value  string
	column int
}

func (rd *Reader) nextJSONL() (*Row, error) {
	for {
		data, tooLong, err := rd.readLine()
		if errors.Is(err, io.EOF) && len(data) == 0 && !tooLong {
			return nil, io.EOF
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, &InputError{Line: rd.line, Err: err}
		}
		row := &Row{Line: rd.line}
		if tooLong {
			row.fail("input.line-too-long", "", 0, "%s", rd.cat(row).T("bulkrow.input.line-too-long", MaxLine))
			return row, nil
		}
		data = bytes.TrimRight(data, "\r\n")
		if len(bytes.TrimSpace(data)) == 0 {
			continue
		}
		fields, issue := parseJSONObject(data, rd.cat(row))
		if issue != nil {
			row.Errors = append(row.Errors, *issue)
			return row, nil
		}
		rd.fill(row, fields)
		return row, nil
	}
}

// readLine reads one line, capped at MaxLine bytes; the rest of a longer
// line is discarded.
func (rd *Reader) readLine() (line []byte, tooLong bool, err error) {
	rd.line++
	var buf []byte
	for {
		chunk, err := rd.br.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLine {
			tooLong = true
		} else {
			buf = append(buf, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if tooLong {
			return nil, true, err
		}
		return buf, false, err
	}
}

// parseJSONObject reads one JSON Lines row: an object whose values are
// strings (or null). It records each key's column. Error messages never
// quote the input, which may hold a password.
func parseJSONObject(data []byte, c *i18n.Catalog) (map[string]field, *Issue) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	syntax := func(key string, args ...any) *Issue {
		return &Issue{Code: "input.syntax", Message: c.T(key, args...), Column: int(dec.InputOffset()) + 1}
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, syntax("bulkrow.input.json")
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, &Issue{Code: "input.syntax", Message: c.T("bulkrow.input.json-object"), Column: 1}
	}
	fields := map[string]field{}
	for dec.More() {
		start := skipSpace(data, int(dec.InputOffset()))
		tok, err := dec.Token()
		if err != nil {
			return nil, syntax("bulkrow.input.json")
		}
		key, _ := tok.(string)
		col := start + 1
		name := canonicalColumn(key)
		if !slices.Contains(Columns, name) {
			return nil, &Issue{Code: "input.unknown-field", Field: clip(key, MaxEcho), Column: col,
				Message: c.T("bulkrow.input.unknown-field", clip(key, MaxEcho), strings.Join(Columns, ", "))}
		}
		if _, dup := fields[name]; dup {
			return nil, &Issue{Code: "input.syntax", Field: clip(key, MaxEcho), Column: col, Message: c.T("bulkrow.input.field-twice", clip(key, MaxEcho))}
		}
		col = skipSpace(data, int(dec.InputOffset())) + 1 // where the value starts
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, syntax("bulkrow.input.json")
		}
		var v string
		switch {
		case string(raw) == "null":
		case len(raw) > 0 && raw[0] == '"':
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, syntax("bulkrow.input.json")
			}
		default:
			return nil, &Issue{Code: "input.value", Field: name, Column: col, Message: c.T("bulkrow.input.not-string")}
		}
		fields[name] = field{value: v, column: col}
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntax("bulkrow.input.json")
	}
	if dec.More() {
		return nil, syntax("bulkrow.input.json-more")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, syntax("bulkrow.input.json-more")
	}
	return fields, nil
}

// skipSpace returns the offset of the next token at or after i: JSON's
// Decoder elides the separators between tokens.
func skipSpace(data []byte, i int) int {
	for i < len(data) && strings.IndexByte(" \t\r\n,:", data[i]) >= 0 {
		i++
	}
	return i
}

func (row *Row) fail(code, name string, col int, format string, args ...any) {
	row.Errors = append(row.Errors, Issue{Code: code, Field: name, Column: col, Message: fmt.Sprintf(format, args...)})
}

// fill validates the fields into row.
func (rd *Reader) fill(row *Row, fields map[string]field) {
	get := func(name string) (string, int) {
		f := fields[name]
		return f.value, f.column
	}
	// The language first: the row's other messages come in it.
	if v, col := get("lang"); strings.TrimSpace(v) != "" {
		if l, ok := i18n.Parse(v); ok {
			row.Lang = l
		} else {
			row.fail("input.value", "lang", col, "%s", rd.cat(row).T("bulkrow.input.lang", clip(strings.TrimSpace(v), MaxEcho)))
		}
	}
	c := rd.cat(row)
	email, col := get("email")
	row.Email = strings.TrimSpace(email)
	if row.Email == "" {
		row.fail("input.email", "email", col, "%s", c.T("bulkrow.input.email-missing"))
	} else if a, err := account.ParseAddress(row.Email); err != nil {
		row.fail("input.email", "email", col, "%s", clipEcho(c.ErrorText(err), row.Email))
	} else {
		row.Addr = a
	}
	row.Name, _ = get("name")
	row.Name = strings.TrimSpace(row.Name)
	row.Username, col = get("username")
	row.Username = strings.TrimSpace(row.Username)
	if strings.ContainsFunc(row.Username, isControl) {
		row.fail("input.value", "username", col, "%s", c.T("bulkrow.input.username-control"))
	}
	pw, col := get("password")
	if strings.ContainsAny(pw, "\r\n\x00") {
		row.fail("input.value", "password", col, "%s", c.T("bulkrow.input.password-break"))
	} else {
		row.Password = Secret(pw)
	}
	if pw != "" && !rd.sawPW {
		rd.sawPW = true
		if rd.OnPassword != nil {
			rd.OnPassword()
		}
	}
	if v, col := get("incoming"); strings.TrimSpace(v) != "" {
		p, err := account.ParseProtocol(v)
		switch {
		case err != nil:
			row.fail("input.value", "incoming", col, "%s", clipEcho(c.ErrorText(err), strings.TrimSpace(v)))
		case !p.Incoming():
			row.fail("input.value", "incoming", col, "%s", c.T("bulkrow.input.not-incoming", p))
		default:
			row.Incoming = p
		}
	}
	servers := map[account.Protocol]*account.Server{}
	for _, p := range []account.Protocol{account.IMAP, account.POP3, account.SMTP} {
		name := p.String()
		host, hcol := get(name)
		secText, scol := get(name + "_security")
		host, secText = strings.TrimSpace(host), strings.TrimSpace(secText)
		var sec account.Security
		if secText != "" {
			s, err := account.ParseSecurity(secText)
			if err != nil {
				row.fail("input.value", name+"_security", scol, "%s", clipEcho(c.ErrorText(err), secText))
				continue
			}
			sec = s
			if host == "" {
				row.fail("input.value", name+"_security", scol, "%s", c.T("bulkrow.input.security-alone", name, name))
				continue
			}
		}
		if host == "" {
			continue
		}
		s, err := rd.parse(p, host, sec)
		if err != nil {
			row.fail("input.value", name, hcol, "%s", clipEcho(c.ErrorText(err), host))
			continue
		}
		servers[p] = &s
	}
	imap, pop := servers[account.IMAP], servers[account.POP3]
	switch {
	case imap != nil && pop != nil:
		_, col := get("pop3")
		row.fail("input.conflict", "pop3", col, "%s", c.T("bulkrow.input.imap-and-pop3"))
	case imap != nil:
		row.IncomingServer = imap
	case pop != nil:
		row.IncomingServer = pop
	}
	if in := row.IncomingServer; in != nil && row.Incoming != account.ProtocolUnset && row.Incoming != in.Protocol {
		_, col := get("incoming")
		row.fail("input.conflict", "incoming", col, "%s", c.T("bulkrow.input.incoming-conflict", row.Incoming, in.Protocol))
	}
	row.OutgoingServer = servers[account.SMTP]
	row.key = rowKey(fields)
}

// cat returns the catalogue of the row's messages: the row's language,
// else the run's.
func (rd *Reader) cat(row *Row) *i18n.Catalog {
	if row.Lang != "" {
		return i18n.New(row.Lang)
	}
	return i18n.New(rd.lang)
}

// csvProblem words encoding/csv's quoting errors in c's language.
func csvProblem(c *i18n.Catalog, err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return c.T("bulkrow.input.csv-bare-quote")
	case errors.Is(err, csv.ErrQuote):
		return c.T("bulkrow.input.csv-quote")
	}
	return err.Error()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// rowKey hashes the row's values (FNV-1a, each value ended by a NUL), so
// an exact duplicate can be told from a conflicting row for the same
// address without keeping the row, or its password, in memory.
func rowKey(fields map[string]field) uint64 {
	h := fnv.New64a()
	for _, c := range Columns {
		if c == "lang" && fields[c].value == "" {
			continue // rows without the newer lang column keep their keys
		}
		io.WriteString(h, fields[c].value)
		h.Write([]byte{0})
	}
	return h.Sum64()
}
