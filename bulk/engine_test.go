package bulk

import (
	"context"
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
