package bulk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
)

// runRows runs the engine on CSV rows that give their own servers, so no
// discovery runs.
func runRows(t *testing.T, cfg Config, csv string) []*RowResult {
	t.Helper()
	rd, err := NewReader(strings.NewReader(csv), CSV, testParser)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	cfg.Formats = []string{"json"}
	cfg.Discover = func(context.Context, account.Address, bool) (*autoconfig.Result, error) {
		t.Error("discovery asked for a row with its own servers")
		return nil, context.Canceled
	}
	var got []*RowResult
	cfg.OnRow = func(r *RowResult) { got = append(got, r) }
	if _, err := Run(context.Background(), rd, cfg); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestFolderTakenInRun: a row whose folder name (case-folded) is already
// another address's in the run fails, naming the first row, and nothing is
// written into the first row's folder for it. FileName never gives two
// addresses one name, so the test names folders by the local part.
func TestFolderTakenInRun(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Dir: dir, folderName: func(a account.Address) string { return a.LocalPart() }}
	rows := runRows(t, cfg, "email,name,imap,smtp\n"+
		"jane@one.test,One,imap.one.test,smtp.one.test\n"+
		"Jane@two.test,Two,imap.two.test,smtp.two.test\n"+
		"bob@two.test,Bob,imap.two.test,smtp.two.test\n")
	if len(rows) != 3 || rows[0].Status != StatusOK || rows[2].Status != StatusOK {
		t.Fatalf("rows %+v", rows)
	}
	r := rows[1]
	if r.Status != StatusFailed || len(r.Errors) != 1 || r.Errors[0].Code != "output.folder-taken" || !strings.Contains(r.Errors[0].Message, "line 2") {
		t.Errorf("second row: %+v", r)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "jane", "account.json"))
	if !strings.Contains(string(data), "jane@one.test") || strings.Contains(string(data), "two.test") {
		t.Errorf("jane/account.json:\n%s", data)
	}
}

// TestDomainFolderNames: a domain whose first label is a Windows device
// name, or that is too long for a portable name, gets its domain file in
// an escaped folder under _domains (a folder named "nul.test" cannot be
// made on Windows); other domains keep their own name. The report's
// domain file is where the file is.
func TestDomainFolderNames(t *testing.T) {
	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:6])
	}
	label := strings.Repeat("d", 63)
	long := label + "." + label + "." + label + "." + strings.Repeat("d", 51) + ".test" // 250 bytes
	want := map[string]string{
		"one.test":         "one.test",
		"nul.test":         "nul=" + hash("nul.test") + ".test",
		"con.example.test": "con=" + hash("con.example.test") + ".example.test",
		"com1.test":        "com1=" + hash("com1.test") + ".test",
		long:               (label + "=" + hash(long) + "." + long[64:])[:account.MaxFileName],
	}
	var csv strings.Builder
	csv.WriteString("email,name,imap,smtp\n")
	for _, d := range []string{"one.test", "nul.test", "con.example.test", "com1.test", long} {
		fmt.Fprintf(&csv, "jane@%s,Jane,imap.one.test,smtp.one.test\n", d)
	}
	dir := t.TempDir()
	rd, err := NewReader(strings.NewReader(csv.String()), CSV, testParser)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Run(context.Background(), rd, Config{
		Dir:     dir,
		Formats: []string{"json"},
		Discover: func(context.Context, account.Address, bool) (*autoconfig.Result, error) {
			t.Error("discovery asked for a row with its own servers")
			return nil, context.Canceled
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.Summary.OK != len(want) {
		t.Errorf("summary %+v", out.Summary)
	}
	entries, err := os.ReadDir(filepath.Join(dir, DomainsDir))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if len(got) != len(want) {
		t.Errorf("domain folders %q, want %d", got, len(want))
	}
	for _, d := range out.Domains {
		name, ok := want[d.Domain]
		if !ok {
			t.Errorf("unexpected domain %q", d.Domain)
			continue
		}
		file := filepath.Join(dir, DomainsDir, name, DomainFileName)
		if d.File != file {
			t.Errorf("%s: domain file %q, want %q", d.Domain, d.File, file)
		}
		if _, err := os.Stat(file); err != nil {
			t.Error(err)
		}
	}
}
