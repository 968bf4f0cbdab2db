package bulk

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// FuzzCSVRecords checks the capped CSV reading against encoding/csv read
// directly, with a cap of 1 to 64 bytes: for input that encoding/csv reads
// without an error, every record within the cap comes out the same, on
// the same line, and every record over it is reported too long with the
// line where it starts, the records after it unharmed.
func FuzzCSVRecords(f *testing.F) {
	for _, s := range []string{
		"email,name\na@example.com,A\n",
		"a,\"b\nc\"\r\n\r\n\nlong,record,with,many,fields\nx,y\n",
		"\"a\"\"b\",\"\"\"\"\r\n\"multi\nline\nfield\",z\nshort\n",
		"a,b\r\nc,d",
		"\"quoted, with comma\",\"and \"\"quotes\"\" and\r\nbreaks\"\n\n\nend\n",
		"\ra\n\r\n",
	} {
		f.Add(s, uint8(8))
	}
	f.Fuzz(func(t *testing.T, in string, capacity uint8) {
		max := int(capacity%64) + 1
		type record struct {
			fields []string
			line   int
			size   int
		}
		ref := csv.NewReader(strings.NewReader(in))
		ref.FieldsPerRecord = -1
		var want []record
		for {
			off := ref.InputOffset()
			rec, err := ref.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return // only input encoding/csv reads
			}
			raw := []byte(in[off:ref.InputOffset()])
			for k := blankLine(raw); k > 0; k = blankLine(raw) {
				raw = raw[k:]
			}
			line, _ := ref.FieldPos(0)
			want = append(want, record{slices.Clone(rec), line, len(raw)})
		}
		c := newCSVRecords(bufio.NewReaderSize(strings.NewReader(in), 16))
		c.src.max = max
		for i, w := range want {
			rec, tooLong, line, err := c.next()
			if err != nil {
				t.Fatalf("record %d: %v", i, err)
			}
			if w.size > max {
				if !tooLong || line != w.line {
					t.Fatalf("record %d (%d bytes, line %d, cap %d): too long %v, line %d", i, w.size, w.line, max, tooLong, line)
				}
				continue
			}
			if line, _ = c.FieldPos(0); tooLong || !slices.Equal(rec, w.fields) || line != w.line {
				t.Fatalf("record %d (%d bytes, cap %d): %q line %d too long %v; want %q line %d", i, w.size, max, rec, line, tooLong, w.fields, w.line)
			}
		}
		if _, tooLong, _, err := c.next(); !errors.Is(err, io.EOF) || tooLong {
			t.Fatalf("after %d records: %v, too long %v; want EOF", len(want), err, tooLong)
		}
	})
}
