package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/internal/iostreams"
)

// run executes mailsetup with args against buffers and returns the exit
// code, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runCtx(t, context.Background(), args...)
}

func runCtx(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	code := Execute(ctx, NewFactory(ios), args)
	return code, out.String(), errOut.String()
}

func TestHelpListsOnlyWorkingCommands(t *testing.T) {
	code, out, _ := run(t, "--help")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"version", "docs", "completion", "--json", "--timeout", "--resolver",
		"--verbose", "--no-color", "--lang", "130  cancelled"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help lacks %q", want)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, errOut := run(t, "version")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.HasPrefix(out, "mailsetup ") || !strings.Contains(out, "go1.") {
		t.Errorf("version output %q", out)
	}
	code, out, _ = run(t, "version", "--json")
	var bi BuildInfo
	if err := json.Unmarshal([]byte(out), &bi); err != nil || code != ExitOK {
		t.Fatalf("version --json: exit %d, %v, %q", code, err, out)
	}
	if bi.GoVersion == "" || bi.Version == "" || bi.Commit == "" || bi.Platform == "" {
		t.Errorf("version --json has empty fields: %+v", bi)
	}
}

func TestVersionLdflagsOverride(t *testing.T) {
	version, commit = "v9.9.9", "abc123"
	defer func() { version, commit = "", "" }()
	if bi := ReadBuildInfo(); bi.Version != "v9.9.9" || bi.Commit != "abc123" {
		t.Errorf("ReadBuildInfo() = %+v", bi)
	}
}

func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		code, out, _ := run(t, "completion", sh)
		if code != ExitOK || !strings.Contains(out, "mailsetup") {
			t.Errorf("completion %s: exit %d, %d bytes", sh, code, len(out))
		}
	}
	// The hidden __complete command runs the persistent pre-run; it must
	// print nothing but completions.
	code, out, _ := run(t, "__complete", "ver")
	if code != ExitOK || !strings.HasPrefix(out, "version") {
		t.Errorf("__complete ver: exit %d, %q", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"bogus"}, `unknown command "bogus"`},
		{[]string{"version", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"version", "extra"}, "takes no arguments"},
		{[]string{"--timeout", "0", "version"}, "--timeout must be positive"},
		{[]string{"--timeout", "soon", "version"}, `invalid value "soon" for --timeout`},
		{[]string{"--resolver", "1.2.3.4:99999", "version"}, "--resolver"},
		{[]string{"--resolver", "::1:53:x", "version"}, "--resolver"},
		{[]string{"--lang", "de", "version"}, `--lang "de" is not supported`},
		{[]string{"docs"}, "exactly one of --man DIR or --markdown DIR"},
		{[]string{"docs", "--man", "a", "--markdown", "b"}, "exactly one"},
	}
	for _, tt := range tests {
		code, out, errOut := run(t, tt.args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", tt.args, code, ExitUsage, errOut)
		}
		if out != "" {
			t.Errorf("%v: wrote to stdout: %q", tt.args, out)
		}
		if !strings.Contains(errOut, tt.msg) || !strings.Contains(errOut, "Usage:") {
			t.Errorf("%v: stderr %q, want %q and the usage", tt.args, errOut, tt.msg)
		}
	}
}

func TestRuntimeErrorPrintsNoUsage(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "docs", "--markdown", filepath.Join(file, "sub"))
	if code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	if strings.Contains(errOut, "Usage:") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("runtime error should be one line without usage, got %q", errOut)
	}
}

func TestDocs(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	for _, kind := range []string{"--man", "--markdown"} {
		dir := filepath.Join(t.TempDir(), "out")
		code, out, errOut := run(t, "docs", kind, dir)
		if code != ExitOK {
			t.Fatalf("docs %s: exit %d: %s", kind, code, errOut)
		}
		if !strings.Contains(out, "Wrote ") {
			t.Errorf("docs %s: stdout %q", kind, out)
		}
		want := map[string]string{"--man": "mailsetup-version.1", "--markdown": "mailsetup_version.md"}[kind]
		first, err := os.ReadFile(filepath.Join(dir, want))
		if err != nil {
			t.Fatalf("docs %s: %v", kind, err)
		}
		if !bytes.Contains(first, []byte("version")) {
			t.Errorf("%s does not document version", want)
		}
		// Without --force nothing is replaced; with it, the bytes are the same.
		if code, _, errOut := run(t, "docs", kind, dir); code != ExitError || !strings.Contains(errOut, "already exists; use --force to replace it") {
			t.Errorf("docs %s again: exit %d, %q; want a refusal naming --force", kind, code, errOut)
		}
		if code, _, errOut := run(t, "docs", kind, dir, "--force"); code != ExitOK {
			t.Fatalf("docs %s --force: exit %d: %s", kind, code, errOut)
		}
		again, _ := os.ReadFile(filepath.Join(dir, want))
		if !bytes.Equal(first, again) {
			t.Errorf("docs %s output is not deterministic", kind)
		}
	}
}

func TestExitCodeFor(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{errors.New("boom"), ExitError},
		{UsageErrorf("bad"), ExitUsage},
		{fmt.Errorf("wrapped: %w", WithExitCode(errors.New("no settings"), ExitNotFound)), ExitNotFound},
		{WithExitCode(errors.New("tls"), ExitServer), ExitServer},
		{WithExitCode(errors.New("auth"), ExitAuth), ExitAuth},
		{fmt.Errorf("dial: %w", context.Canceled), ExitCancelled},
		{fmt.Errorf("%w: x", errInterrupted), ExitCancelled},
	}
	for _, tt := range tests {
		if got := ExitCodeFor(tt.err); got != tt.want {
			t.Errorf("ExitCodeFor(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
	if WithExitCode(nil, ExitAuth) != nil {
		t.Error("WithExitCode(nil) != nil")
	}
}

func TestGlobalFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	ios.SetColorEnabled(true)
	f := NewFactory(ios)
	if code := Execute(context.Background(), f, []string{"--no-color", "-v", "--resolver", "127.0.0.1:5353", "version"}); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	if ios.ColorEnabled() {
		t.Error("--no-color left colour on")
	}
	if f.Tracer() == nil {
		t.Error("-v gave no tracer")
	}
	r, err := f.Resolver()
	if err != nil || r.Server != "127.0.0.1:5353" {
		t.Errorf("Resolver() = %+v, %v", r, err)
	}
	if r.Trace == nil {
		t.Error("resolver does not trace under -v")
	}
	if r2, _ := f.Resolver(); r2 != r {
		t.Error("Resolver() made a second resolver in one run: what the first learnt about dead nameservers is lost")
	}
}
