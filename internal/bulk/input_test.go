package bulk

import (
	"bytes"
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
