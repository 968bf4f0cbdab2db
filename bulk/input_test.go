package bulk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
)

// testParser is a small stand-in for the cmd package's server parser.
func testParser(p account.Protocol, hostPort string, sec account.Security) (account.Server, error) {
	host, port := hostPort, 0
	if h, pt, err := net.SplitHostPort(hostPort); err == nil {
		host = h
		if port, err = strconv.Atoi(pt); err != nil {
			return account.Server{}, fmt.Errorf("bad port %q", pt)
		}
	}
	h, err := account.NormalizeHost(host)
	if err != nil {
		return account.Server{}, err
	}
	if sec == account.SecurityUnset {
		sec = account.TLS
	}
	if port == 0 {
		port = account.DefaultPort(p, sec)
	}
	return account.Server{Protocol: p, Host: h, Port: port, Security: sec, Auth: account.AuthPasswordCleartext}, nil
}

func readAll(t *testing.T, format Format, input string) []*Row {
	t.Helper()
	rd, err := NewReader(strings.NewReader(input), format, testParser)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var rows []*Row
	for {
		r, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		rows = append(rows, r)
	}
}

func codes(r *Row) string {
	var c []string
	for _, is := range r.Errors {
		c = append(c, fmt.Sprintf("%s@%s:%d", is.Code, is.Field, is.Column))
	}
	return strings.Join(c, ",")
}

// The CSV and JSON Lines inputs below hold the same rows.
const csvInput = "\ufeffEmail,Name,PASSWORD,incoming,imap,imap-security,smtp\r\n" +
	"jane@example.com,\"Doe, Jane\",\"pw,with \"\"quotes\"\"\",,,,\r\n" +
	"not-an-address,x,,,,,\r\n" +
	"anna@Bücher.example,Anna,,pop3,,,\r\n" +
	"\r\n" +
	"bob@example.com,\"Bob\nSmith\",,,imap.example.com:143,,smtp.example.com:587\r\n" +
	"carl@example.com,,,smtp,,,\r\n" +
	"dora@example.com,,,,,starttls,\r\n" +
	"eve@example.com,,,pop3,imap.example.com,,\r\n" +
	"fay@example.com,,,,bad_host,,\r\n" +
	"short@example.com,x\r\n" +
	"gus@example.com,a \"quoted\" name,,,,,\r\n" +
	"hal@example.com,,,,,,\r\n"

const jsonlInput = "\ufeff{\"email\":\"jane@example.com\",\"name\":\"Doe, Jane\",\"password\":\"pw,with \\\"quotes\\\"\"}\r\n" +
	"{\"email\":\"not-an-address\",\"name\":\"x\"}\r\n" +
	"{\"email\":\"anna@Bücher.example\",\"name\":\"Anna\",\"incoming\":\"pop3\"}\r\n" +
	"\r\n" +
	"{\"email\":\"bob@example.com\",\"name\":\"Bob\\nSmith\",\"imap\":\"imap.example.com:143\",\"smtp\":\"smtp.example.com:587\"}\r\n" +
	"{\"email\":\"carl@example.com\",\"incoming\":\"smtp\"}\r\n" +
	"{\"email\":\"dora@example.com\", \"imap_security\":\"starttls\"}\r\n" +
	"{\"email\":\"eve@example.com\",\"incoming\":\"pop3\",\"imap\":\"imap.example.com\"}\r\n" +
	"{\"email\":\"fay@example.com\",\"imap\":\"bad_host\"}\r\n" +
	"{\"email\":\"short@example.com\",\"phone\":\"123\"}\r\n" +
	"{\"email\":\"gus@example.com\",\"name\":\"a \\\"quoted\\\" name\"\r\n" +
	"{\"email\":\"hal@example.com\",\"name\":null}\r\n"

func TestReadCSVAndJSONL(t *testing.T) {
	type want struct {
		line  int
		email string
		codes string
	}
	csvWant := []want{
		{2, "jane@example.com", ""},
		{3, "not-an-address", "input.email@email:1"},
		{4, "anna@Bücher.example", ""},
		{6, "bob@example.com", ""},
		{8, "carl@example.com", "input.value@incoming:20"},
		{9, "dora@example.com", "input.value@imap_security:22"},
		{10, "eve@example.com", "input.conflict@incoming:19"},
		{11, "fay@example.com", "input.value@imap:20"},
		{12, "", "input.field-count@:0"},
		{13, "", "input.syntax@:19"},
		{14, "hal@example.com", ""},
	}
	jsonWant := []want{
		{1, "jane@example.com", ""},
		{2, "not-an-address", "input.email@email:10"},
		{3, "anna@Bücher.example", ""},
		{5, "bob@example.com", ""},
		{6, "carl@example.com", "input.value@incoming:40"},
		{7, "dora@example.com", "input.value@imap_security:46"},
		{8, "eve@example.com", "input.conflict@incoming:39"},
		{9, "fay@example.com", "input.value@imap:35"},
		{10, "", "input.unknown-field@phone:30"},
		{11, "", "input.syntax@:54"},
		{12, "hal@example.com", ""},
	}
	for _, tc := range []struct {
		format Format
		input  string
		want   []want
	}{{CSV, csvInput, csvWant}, {JSONL, jsonlInput, jsonWant}} {
		t.Run(string(tc.format), func(t *testing.T) {
			rows := readAll(t, tc.format, tc.input)
			if len(rows) != len(tc.want) {
				t.Fatalf("got %d rows, want %d", len(rows), len(tc.want))
			}
			for i, w := range tc.want {
				r := rows[i]
				if r.Line != w.line || (w.email != "" && r.Email != w.email) || codes(r) != w.codes {
					t.Errorf("row %d: got line %d %q %s, want line %d %q %s (%v)", i, r.Line, r.Email, codes(r), w.line, w.email, w.codes, r.Errors)
				}
			}
			jane := rows[0]
			if jane.Name != "Doe, Jane" || jane.Password != `pw,with "quotes"` {
				t.Errorf("quoted fields: name %q", jane.Name)
			}
			if s := fmt.Sprintf("%v %+v %#v", jane, *jane, jane.Password); strings.Contains(s, "quotes") {
				t.Errorf("a password prints: %s", s)
			}
			anna := rows[2]
			if anna.Addr.Domain() != "xn--bcher-kva.example" || anna.Incoming != account.POP3 {
				t.Errorf("IDN row: %q %v", anna.Addr.Domain(), anna.Incoming)
			}
			bob := rows[3]
			if bob.Name != "Bob\nSmith" || bob.IncomingServer == nil || bob.IncomingServer.Port != 143 || bob.OutgoingServer.Port != 587 {
				t.Errorf("server overrides: %+v %+v", bob.IncomingServer, bob.OutgoingServer)
			}
			if rows[0].key == rows[10].key || rows[10].key != readAll(t, tc.format, tc.input)[10].key {
				t.Error("row keys are not content hashes")
			}
		})
	}
}

func TestReadHeaderErrors(t *testing.T) {
	for _, in := range []string{"", "name\nx\n", "email,phone\n", "email,Email\n", "\"email\n"} {
		if _, err := NewReader(strings.NewReader(in), CSV, testParser); err == nil {
			t.Errorf("%q: no error", in)
		} else if _, ok := errors.AsType[*InputError](err); !ok {
			t.Errorf("%q: %T %v, want *InputError", in, err, err)
		}
	}
}

func TestReadLongJSONLine(t *testing.T) {
	in := `{"email":"a@example.com"}` + "\n" + `{"name":"` + strings.Repeat("x", MaxLine) + `"}` + "\n" + `{"email":"b@example.com"}` + "\n"
	rows := readAll(t, JSONL, in)
	if len(rows) != 3 || codes(rows[1]) != "input.line-too-long@:0" || rows[2].Email != "b@example.com" || rows[2].Line != 3 {
		t.Fatalf("rows: %d %v", len(rows), rows)
	}
}

func TestOnPasswordOnce(t *testing.T) {
	rd, _ := NewReader(strings.NewReader("email,password\na@example.com,\nb@example.com,x\nc@example.com,y\n"), CSV, testParser)
	calls := 0
	rd.OnPassword = func() { calls++ }
	for {
		if _, err := rd.Next(); err != nil {
			break
		}
	}
	if calls != 1 {
		t.Errorf("OnPassword called %d times", calls)
	}
}

func TestGuessFormat(t *testing.T) {
	for _, tc := range []struct {
		name, start string
		want        Format
	}{
		{"users.csv", "{", CSV},
		{"users.JSONL", "email", JSONL},
		{"-", "\ufeff  {\"email\":1}", JSONL},
		{"-", "email,name", CSV},
		{"users", "", CSV},
	} {
		if got := GuessFormat(tc.name, []byte(tc.start)); got != tc.want {
			t.Errorf("GuessFormat(%q, %q) = %s, want %s", tc.name, tc.start, got, tc.want)
		}
	}
}

func TestReportWriterMatchesEncoding(t *testing.T) {
	rows := []RowResult{
		{Line: 2, Email: "a@example.com", Status: StatusOK, Source: account.SourceAutoconfig, Files: []string{"x/a"}, Warnings: []Issue{}, Errors: []Issue{}},
		{Line: 3, Email: "<b>", Status: StatusFailed, Files: []string{}, Warnings: []Issue{}, Errors: []Issue{{Code: "input.email", Message: "bad", Field: "email", Column: 1}}},
	}
	domains := []DomainResult{{Domain: "example.com", Rows: 1, Discovery: &DomainDiscovery{Source: account.SourceAutoconfig, Verified: true}}}
	sum := Summary{Rows: 2, OK: 1, Failed: 1, Domains: 1, Discoveries: 1, DurationMS: 1.5}
	for _, n := range []int{0, 1, 2} {
		var b bytes.Buffer
		rw := NewReportWriter(&b, "in.csv", "out", []string{"apple"})
		for i := range rows[:n] {
			rw.Row(&rows[i])
		}
		if err := rw.Close(domains, sum); err != nil {
			t.Fatal(err)
		}
		want, _ := indentJSON(Report{Schema: Schema, Input: "in.csv", Output: "out", Formats: []string{"apple"}, Rows: append([]RowResult{}, rows[:n]...), Domains: domains, Summary: sum})
		if b.String() != string(want) {
			t.Errorf("%d rows: streamed report\n%s\nwant\n%s", n, b.String(), want)
		}
	}
}

// TestReadLongCSVRecord: a CSV record over MaxLine is a row error, and the
// rows after it are read with their right line numbers, whether the long
// record is one line or has quoted line breaks before and after the cut.
func TestReadLongCSVRecord(t *testing.T) {
	big := strings.Repeat("x", MaxLine)
	in := "email,name\n" +
		"a@example.com,A\n" + // 2
		"b@example.com," + big + "\n" + // 3
		"c@example.com,C\n" + // 4
		"d@example.com,\"one\ntwo " + big + " \"\"three\"\"\nfour, \"\"five\nsix\"\n" + // 5-8
		"\n" +
		"e@example.com,\"E\nE\"\n" + // 10-11
		"f@example.com,\"" + big + "\"\n" + // 12
		"g@example.com,G\n" // 13
	rows := readAll(t, CSV, in)
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%d %s %s", r.Line, r.Email, codes(r)))
	}
	want := []string{"2 a@example.com ", "3  input.line-too-long@:0", "4 c@example.com ", "5  input.line-too-long@:0",
		"10 e@example.com ", "12  input.line-too-long@:0", "13 g@example.com "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rows[4].Name != "E\nE" {
		t.Errorf("the row after the long records: %+v", rows[4])
	}
	// A record of exactly MaxLine bytes with its line break is accepted.
	line := "h@example.com,"
	line += strings.Repeat("y", MaxLine-len(line)-1) + "\n"
	if rows := readAll(t, CSV, "email,name\n"+line+line+"y"+line); len(rows) != 3 || codes(rows[0])+codes(rows[1]) != "" || codes(rows[2]) != "input.line-too-long@:0" {
		t.Errorf("records at the cap: %d rows", len(rows))
	}
}

// zeros is /dev/zero.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestReadEndlessCSV: endless input without a line break (/dev/zero) is a
// row error as soon as it passes the cap, not a record that grows
// without end; the reading of the rest stops when the run is
// interrupted.
func TestReadEndlessCSV(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rd, err := NewReader(Interruptible(ctx, io.MultiReader(strings.NewReader("email\n"), zeros{})), CSV, testParser)
	if err != nil {
		t.Fatal(err)
	}
	row, err := rd.Next()
	if err != nil || row.Line != 2 || codes(row) != "input.line-too-long@:0" {
		t.Fatalf("Next = %+v, %v", row, err)
	}
	cancel()
	if _, err := rd.Next(); !errors.Is(err, context.Canceled) {
		t.Errorf("after cancel: %v, want context.Canceled", err)
	}
}

// TestReadLongHeader: a header row over the cap stops the run, and an
// unknown column is quoted only in part.
func TestReadLongHeader(t *testing.T) {
	for _, in := range []string{"email," + strings.Repeat("h", 10<<20) + "\na@example.com,x\n", "email," + strings.Repeat("h", MaxLine/2) + "\n"} {
		_, err := NewReader(strings.NewReader(in), CSV, testParser)
		ie, ok := errors.AsType[*InputError](err)
		if !ok || ie.Line != 1 || len(err.Error()) > 2*MaxEcho+200 || !strings.Contains(err.Error(), `"email,hhh`) && !strings.Contains(err.Error(), `"hhh`) {
			t.Errorf("%d-byte header: %d-byte error %.300q", len(in), len(err.Error()), err)
		}
	}
}

// TestEchoesClipped: an error about a long value quotes at most MaxEcho
// bytes of it.
func TestEchoesClipped(t *testing.T) {
	long := strings.Repeat("é", 3000)
	in := "email,imap,incoming\n" + long + "@example.com,,\n" + "a@example.com," + long + ",\n" + "b@example.com,," + long + "\n"
	jl := `{"email":"c@example.com","` + long + `":"x"}` + "\n"
	rows := append(readAll(t, CSV, in), readAll(t, JSONL, jl)...)
	if len(rows) != 4 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		if len(r.Errors) != 1 || len(r.Errors[0].Message) > 2*MaxEcho+200 || len(r.Errors[0].Field) > MaxEcho+3 || !strings.Contains(r.Errors[0].Message, "éé…") {
			t.Errorf("line %d: %d-byte message %.300v", r.Line, len(r.Errors[0].Message), r.Errors)
		}
	}
	if res := (&engine{}).newResult(rows[0]); len(res.Email) > MaxEcho+3 {
		t.Errorf("the report quotes %d bytes of the e-mail field", len(res.Email))
	}
}

// blocked is input that never comes: a stalled pipe.
type blocked struct{ stop chan struct{} }

func (b blocked) Read([]byte) (int, error) {
	<-b.stop
	return 0, io.EOF
}

// TestInterruptedInput: reading input that never comes ends when the
// run is cancelled, in the header and between rows; the rows finished
// before are reported.
func TestInterruptedInput(t *testing.T) {
	never := blocked{make(chan struct{})}
	defer close(never.stop)
	ctx, cancel := context.WithCancel(context.Background())
	go cancel()
	if _, err := NewReader(Interruptible(ctx, never), CSV, testParser); !errors.Is(err, context.Canceled) {
		t.Errorf("header: %v, want context.Canceled", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	defer pw.Close()
	go pw.Write([]byte(`{"email":"a@one.test","imap":"imap.one.test","smtp":"smtp.one.test"}` + "\n"))
	rd, err := NewReader(Interruptible(ctx, pr), JSONL, testParser)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	reported := make(chan *RowResult, 1)
	done := make(chan error, 1)
	var out *Outcome
	go func() {
		var err error
		out, err = Run(ctx, rd, Config{Dir: dir, Formats: []string{"json"}, OnRow: func(r *RowResult) { reported <- r }})
		done <- err
	}()
	if r := <-reported; r.Status != StatusOK {
		t.Errorf("row %+v", r)
	}
	cancel() // the input stalls after the first row
	if err := <-done; !errors.Is(err, context.Canceled) || out.Summary.Rows != 1 || out.Summary.OK != 1 {
		t.Errorf("Run = %+v, %v; want 1 row and context.Canceled", out.Summary, err)
	}
}
