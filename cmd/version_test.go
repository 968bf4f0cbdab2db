package cmd

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/internal/iostreams"
)

// TestBuildInfoMerge checks which source wins for each field: the values
// stamped in with -ldflags over the Go build information, and the build
// information (module version, VCS stamp) over the defaults.
func TestBuildInfoMerge(t *testing.T) {
	vcs := &debug.BuildInfo{
		Main: debug.Module{Version: "v1.0.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123abc"},
			{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	tests := []struct {
		name                  string
		info                  *debug.BuildInfo
		version, commit, date string
		want                  BuildInfo
	}{
		{name: "no build information", want: BuildInfo{Version: "(devel)", Commit: "unknown"}},
		{name: "devel build without VCS stamp", info: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			want: BuildInfo{Version: "(devel)", Commit: "unknown"}},
		{name: "VCS stamp", info: vcs,
			want: BuildInfo{Version: "v1.0.0", Commit: "0123abc", Date: "2026-01-02T03:04:05Z", Modified: true}},
		{name: "release stamp without VCS stamp", info: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			version: "v2.3.4", commit: "fedcba9876", date: "2026-05-06T07:08:09Z",
			want: BuildInfo{Version: "v2.3.4", Commit: "fedcba9876", Date: "2026-05-06T07:08:09Z"}},
		{name: "release stamp wins over VCS stamp", info: vcs,
			version: "v2.3.4", commit: "fedcba9876", date: "2026-05-06T07:08:09Z",
			want: BuildInfo{Version: "v2.3.4", Commit: "fedcba9876", Date: "2026-05-06T07:08:09Z", Modified: true}},
		{name: "only the version stamped", info: vcs, version: "v2.3.4",
			want: BuildInfo{Version: "v2.3.4", Commit: "0123abc", Date: "2026-01-02T03:04:05Z", Modified: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := buildInfo(tt.info, tt.version, tt.commit, tt.date)
			tt.want.GoVersion = runtime.Version()
			tt.want.Platform = runtime.GOOS + "/" + runtime.GOARCH
			if got != tt.want {
				t.Errorf("buildInfo() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestVersionShowsDate checks that the human output names the commit date
// when there is one, and leaves the line out when there is none.
func TestVersionShowsDate(t *testing.T) {
	for _, date := range []string{"2026-05-06T07:08:09Z", ""} {
		ios, _, out, _ := iostreams.Test()
		opts := &VersionOptions{IO: ios, Info: func() BuildInfo {
			return BuildInfo{Version: "v2.3.4", Commit: "fedcba9876", Date: date, GoVersion: "go1.26", Platform: "linux/amd64"}
		}}
		if err := versionRun(opts); err != nil {
			t.Fatal(err)
		}
		want := "mailsetup v2.3.4\ncommit fedcba9876\n"
		if date != "" {
			want += "date " + date + "\n"
		}
		want += "go1.26 linux/amd64\n"
		if out.String() != want {
			t.Errorf("version output %q, want %q", out.String(), want)
		}
	}
}

// TestVersionStampedBuild builds the real binary the way scripts/release.sh
// does (-trimpath, -buildvcs=false, -ldflags -X) and checks that `version`
// and `version --json` report what was stamped in.
func TestVersionStampedBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	// go test puts its own GOROOT/bin first in PATH.
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool to build with")
	}
	const (
		ver  = "v0.0.0-stamped.1"
		com  = "0123456789abcdef0123456789abcdef01234567"
		when = "2026-05-06T07:08:09Z"
	)
	bin := filepath.Join(t.TempDir(), "mailsetup")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	pkg := "github.com/mailsetup/mailsetup/cmd"
	build := exec.Command(goTool, "build", "-trimpath", "-buildvcs=false", "-o", bin,
		"-ldflags", "-s -w -X "+pkg+".version="+ver+" -X "+pkg+".commit="+com+" -X "+pkg+".date="+when,
		"github.com/mailsetup/mailsetup/cmd/mailsetup")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	out, err := exec.Command(bin, "version", "--json").Output()
	if err != nil {
		t.Fatalf("version --json: %v", err)
	}
	var bi BuildInfo
	if err := json.Unmarshal(out, &bi); err != nil {
		t.Fatalf("version --json: %v in %q", err, out)
	}
	if bi.Version != ver || bi.Commit != com || bi.Date != when || bi.Modified {
		t.Errorf("version --json = %+v, want version %s, commit %s, date %s", bi, ver, com, when)
	}
	out, err = exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("version: %v", err)
	}
	for _, want := range []string{"mailsetup " + ver + "\n", "commit " + com + "\n", "date " + when + "\n"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("version output %q lacks %q", out, want)
		}
	}
}
