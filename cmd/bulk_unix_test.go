//go:build unix

package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/bulk"
	"github.com/mailsetup/mailsetup/internal/iostreams"
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

// TestBulkFIFOInterrupted: bulk reading a FIFO stops with exit 130 when
// interrupted, whether nobody has opened the FIFO for writing yet or the
// writer has gone quiet after a row; the rows finished are reported.
func TestBulkFIFOInterrupted(t *testing.T) {
	tmp := t.TempDir()
	fifo := func(name string) string {
		path := filepath.Join(tmp, name)
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		// Unblocks an open still waiting for a writer once the test is
		// done.
		t.Cleanup(func() {
			if f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
		})
		return path
	}
	type result struct {
		code           int
		stdout, stderr string
	}
	start := func(ctx context.Context, input, out string) chan result {
		done := make(chan result, 1)
		go func() {
			code, stdout, stderr := runBulk(t, ctx, nil, true, "", "bulk", input, "--offline", "--format", "json", "-o", out, "--json")
			done <- result{code, stdout, stderr}
		}()
		return done
	}

	// No writer: bulk waits in the open.
	ctx, cancel := context.WithCancel(context.Background())
	done := start(ctx, fifo("nobody.csv"), filepath.Join(tmp, "out1"))
	cancel()
	if r := <-done; r.code != ExitCancelled {
		t.Errorf("no writer: exit %d\n%s", r.code, r.stderr)
	}

	// A writer that sends a header and a row, then nothing.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	out, input := filepath.Join(tmp, "out2"), fifo("users.csv")
	done = start(ctx, input, out)
	w, err := os.OpenFile(input, os.O_WRONLY, 0) // waits for bulk to open it
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := fmt.Fprintf(w, "email,imap,smtp\njane@one.test,imap.one.test,smtp.one.test\n"); err != nil {
		t.Fatal(err)
	}
	for {
		// Wait for the row's files; the run then waits for more input.
		if _, err := os.Stat(filepath.Join(out, "jane@one.test", "account.json")); err == nil {
			break
		}
		select {
		case r := <-done:
			t.Fatalf("the run ended before the row was written: exit %d\n%s", r.code, r.stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	r := <-done
	if r.code != ExitCancelled {
		t.Fatalf("stalled writer: exit %d\n%s", r.code, r.stderr)
	}
	// The row finished is in the report.
	rep := readReport(t, []byte(r.stdout))
	if len(rep.Rows) != 1 || rep.Rows[0].Status != bulk.StatusOK || rep.Summary.Rows != 1 {
		t.Errorf("report: %+v", rep)
	}
}

// stalled is a standard input where nothing comes, ever.
type stalled struct{ stop chan struct{} }

func (s stalled) Read([]byte) (int, error) {
	<-s.stop
	return 0, io.EOF
}

// TestBulkStalledStdinInterrupted: bulk - with a standard input that
// sends nothing stops with exit 130 when interrupted.
func TestBulkStalledStdinInterrupted(t *testing.T) {
	for _, format := range []string{"csv", "jsonl"} {
		ios, _, _, errOut := iostreams.Test()
		in := stalled{make(chan struct{})}
		defer close(in.stop)
		ios.In = in
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan int, 1)
		go func() {
			done <- Execute(ctx, NewFactory(ios), []string{"bulk", "-", "--input-format", format, "--offline", "--format", "json", "-o", filepath.Join(t.TempDir(), "out")})
		}()
		cancel()
		if code := <-done; code != ExitCancelled {
			t.Errorf("%s: exit %d\n%s", format, code, errOut)
		}
	}
}
