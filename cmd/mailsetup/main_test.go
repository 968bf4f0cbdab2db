package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBinaryExitCodes builds the real binary and checks that main passes
// the command's exit code to the operating system.
func TestBinaryExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "mailsetup")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"version"}, 0, "mailsetup "},
		{[]string{"--help"}, 0, "Exit codes:"},
		{[]string{"completion", "bash"}, 0, "bash completion"},
		{[]string{"bogus"}, 2, ""},
	}
	for _, tt := range tests {
		c := exec.Command(bin, tt.args...)
		c.Env = append(c.Environ(), "NO_COLOR=1")
		out, err := c.Output()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tt.code || !strings.Contains(string(out), tt.out) {
			t.Errorf("mailsetup %v: exit %d, stdout %.60q; want exit %d and %q", tt.args, code, out, tt.code, tt.out)
		}
	}
}
