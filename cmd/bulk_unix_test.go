//go:build unix

package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/internal/bulk"
)

// unchangedOutside fails unless the folder outside holds exactly the files
// want, unchanged.
func unchangedOutside(t *testing.T, outside string, want map[string]string) {
	t.Helper()
	filepath.Walk(outside, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(outside, p)
		data, _ := os.ReadFile(p)
		if w, ok := want[rel]; !ok || string(data) != w {
			t.Errorf("outside the output folder: %s holds %q", rel, data)
		}
		return nil
	})
}

// TestBulkRefusesSymlinks plants symbolic links to folders and a file
// outside the output folder where a row folder, the _domains folder and a
// row's file go: each is a row error (output.symlink), and nothing is
// written outside, with --force too.
func TestBulkRefusesSymlinks(t *testing.T) {
	tmp := t.TempDir()
	out, outside := filepath.Join(tmp, "out"), filepath.Join(tmp, "outside")
	for _, d := range []string{out, filepath.Join(outside, "rows"), filepath.Join(outside, "domains"), filepath.Join(out, "amy@three.test")} {
		os.MkdirAll(d, 0o755)
	}
	victim := filepath.Join(outside, "victim.mobileconfig")
	os.WriteFile(victim, []byte("keep"), 0o644)
	for link, target := range map[string]string{
		"jane@one.test": filepath.Join(outside, "rows"),
		"_domains":      filepath.Join(outside, "domains"),
		"amy@three.test/amy@three.test.mobileconfig": victim,
	} {
		if err := os.Symlink(target, filepath.Join(out, link)); err != nil {
			t.Fatal(err)
		}
	}
	input := filepath.Join(tmp, "users.csv")
	os.WriteFile(input, []byte("email,password,imap,smtp\n"+
		"jane@one.test,Pw-1,imap.one.test,smtp.one.test\n"+
		"max@two.test,Pw-2,imap.two.test,smtp.two.test\n"+
		"amy@three.test,Pw-3,imap.three.test,smtp.three.test\n"), 0o600)
	for _, force := range []bool{false, true} {
		args := []string{"bulk", input, "--offline", "--format", "apple,json", "--include-password", "-o", out, "--json"}
		if force {
			args = append(args, "--force")
		}
		code, stdout, stderr := runBulk(t, context.Background(), nil, false, "", args...)
		if code != ExitError {
			t.Fatalf("force %v: exit %d\n%s", force, code, stderr)
		}
		rep := readReport(t, []byte(stdout))
		for i, r := range rep.Rows {
			if r.Status != bulk.StatusFailed || r.Errors[0].Code != "output.symlink" {
				t.Errorf("force %v, row %d: %+v", force, i, r)
			}
		}
		if !strings.Contains(stderr, filepath.Join(out, "jane@one.test")+" is a symbolic link") || !strings.Contains(stderr, "[output.symlink]") {
			t.Errorf("stderr:\n%s", stderr)
		}
		unchangedOutside(t, outside, map[string]string{"victim.mobileconfig": "keep"})
	}
	// max's own folder was written; the domain file was not.
	if _, err := os.Stat(filepath.Join(out, "max@two.test", "account.json")); err != nil {
		t.Error(err)
	}
}

// TestExportRefusesSymlinks: export -o DIR does not write through a
// symbolic link at a file's name, with --force either.
func TestExportRefusesSymlinks(t *testing.T) {
	tmp := t.TempDir()
	dir, outside := filepath.Join(tmp, "out"), filepath.Join(tmp, "outside")
	os.MkdirAll(dir, 0o755)
	os.MkdirAll(outside, 0o755)
	os.WriteFile(filepath.Join(outside, "victim"), []byte("keep"), 0o644)
	os.Symlink(filepath.Join(outside, "victim"), filepath.Join(dir, "account.json"))
	args := []string{"export", "jane@example.com", "--imap", "imap.example.com", "--smtp", "smtp.example.com:587", "--format", "json", "-o", dir}
	for _, extra := range [][]string{nil, {"--force"}} {
		code, _, errOut := run(t, append(args, extra...)...)
		if code != ExitError || !strings.Contains(errOut, "is a symbolic link") {
			t.Errorf("%v: exit %d %s", extra, code, errOut)
		}
		unchangedOutside(t, outside, map[string]string{"victim": "keep"})
		if st, err := os.Lstat(filepath.Join(dir, "account.json")); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%v: the link was replaced (%v)", extra, err)
		}
	}
}
