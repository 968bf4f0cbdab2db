package bulk

import (
	"bytes"
	"encoding/json"
	"io"
)

// Schema names the report's JSON shape; it changes only with an
// incompatible change of the shape.
const Schema = "mailsetup-bulk/1"

// Report is the whole JSON report, as ReportWriter writes it. Rows are in
// input order.
type Report struct {
	Schema  string         `json:"schema"`
	Input   string         `json:"input"`
	Output  string         `json:"output"`
	Formats []string       `json:"formats"`
	Rows    []RowResult    `json:"rows"`
	Domains []DomainResult `json:"domains"`
	Summary Summary        `json:"summary"`
}

// ReportWriter streams a Report: the rows are written as they come, so a
// report of any size needs no memory for its rows. The output is the
// indented JSON that encoding/json would give for the whole Report.
type ReportWriter struct {
	w    io.Writer
	rows int
	err  error
}

// NewReportWriter starts a report on w.
func NewReportWriter(w io.Writer, input, output string, formats []string) *ReportWriter {
	rw := &ReportWriter{w: w}
	if formats == nil {
		formats = []string{}
	}
	rw.write("{\n")
	rw.field("schema", Schema, false)
	rw.field("input", input, false)
	rw.field("output", output, false)
	rw.field("formats", formats, false)
	rw.write(`  "rows": [`)
	return rw
}

func (rw *ReportWriter) write(s string) {
	if rw.err == nil {
		_, rw.err = io.WriteString(rw.w, s)
	}
}

func (rw *ReportWriter) marshal(v any, prefix string) string {
	b, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil && rw.err == nil {
		rw.err = err
	}
	return string(b)
}

func (rw *ReportWriter) field(name string, v any, last bool) {
	key, _ := json.Marshal(name)
	rw.write("  " + string(key) + ": " + rw.marshal(v, "  "))
	if !last {
		rw.write(",")
	}
	rw.write("\n")
}

// Row adds one row.
func (rw *ReportWriter) Row(r *RowResult) {
	sep := ",\n    "
	if rw.rows == 0 {
		sep = "\n    "
	}
	rw.rows++
	rw.write(sep + rw.marshal(r, "    "))
}

// Close ends the report with the domains and the summary, and returns the
// first write error.
func (rw *ReportWriter) Close(domains []DomainResult, s Summary) error {
	if rw.rows > 0 {
		rw.write("\n  ")
	}
	rw.write("],\n")
	if domains == nil {
		domains = []DomainResult{}
	}
	rw.field("domains", domains, false)
	rw.field("summary", s, true)
	rw.write("}\n")
	return rw.err
}

// indentJSON is the layout ReportWriter reproduces (used by its test).
func indentJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	err := enc.Encode(v)
	return b.Bytes(), err
}
