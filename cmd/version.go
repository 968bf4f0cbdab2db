package cmd

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/mailsetup/mailsetup/internal/iostreams"
)

// Set by release builds (scripts/release.sh) with
//
//	-ldflags "-X github.com/mailsetup/mailsetup/cmd.version=v1.2.3
//	          -X github.com/mailsetup/mailsetup/cmd.commit=<full hash>
//	          -X github.com/mailsetup/mailsetup/cmd.date=2026-01-02T03:04:05Z"
//
// (date is the commit's time, never the build's, so builds are
// reproducible); whatever is left empty is read from the Go build
// information, as for `go install` and `go build`.
var (
	version string
	commit  string
	date    string
)

// BuildInfo describes this binary.
type BuildInfo struct {
	Version  string `json:"version"`
	Commit   string `json:"commit"`
	Modified bool   `json:"modified,omitempty"`
	// Date is the commit's time (RFC 3339), empty when unknown.
	Date      string `json:"date,omitempty"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"`
}

// ReadBuildInfo returns the version, commit, commit date and Go version of
// this binary. What a release build stamped in with -ldflags wins;
// otherwise the version is the module version for `go install ...@vX`,
// "(devel)" for a build from a checkout, and the commit and date come from
// the VCS stamp when the build had one ("unknown" and empty otherwise).
func ReadBuildInfo() BuildInfo {
	info, _ := debug.ReadBuildInfo()
	return buildInfo(info, version, commit, date)
}

// buildInfo merges the Go build information (nil when there is none) with
// the values stamped in with -ldflags; a stamped value wins when set.
func buildInfo(info *debug.BuildInfo, version, commit, date string) BuildInfo {
	bi := BuildInfo{Version: "(devel)", Commit: "unknown", GoVersion: runtime.Version(),
		Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if info != nil {
		if v := info.Main.Version; v != "" {
			bi.Version = v
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				bi.Commit = s.Value
			case "vcs.modified":
				bi.Modified = s.Value == "true"
			case "vcs.time":
				bi.Date = s.Value
			}
		}
	}
	if version != "" {
		bi.Version = version
	}
	if commit != "" {
		bi.Commit = commit
	}
	if date != "" {
		bi.Date = date
	}
	return bi
}

// VersionOptions are the inputs of `mailsetup version`.
type VersionOptions struct {
	IO *iostreams.IOStreams
	// JSON is the global --json.
	JSON bool
	Info func() BuildInfo
}

// NewCmdVersion returns `mailsetup version`. runF replaces the run function
// in tests.
func NewCmdVersion(f *Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: f.IOStreams, Info: ReadBuildInfo}
	return &cobra.Command{
		Use:   "version",
		Short: "Print mailsetup's version, commit, commit date and Go version",
		Args:  argsRange(0, 0),
		RunE: func(c *cobra.Command, args []string) error {
			opts.JSON = f.Global.JSON
			if runF != nil {
				return runF(opts)
			}
			return versionRun(opts)
		},
	}
}

func versionRun(opts *VersionOptions) error {
	info := opts.Info()
	out := opts.IO.Out
	if opts.JSON {
		return writeJSON(out, info)
	}
	dirty := ""
	if info.Modified {
		dirty = " (modified)"
	}
	built := ""
	if info.Date != "" {
		built = "date " + info.Date + "\n"
	}
	_, err := fmt.Fprintf(out, "mailsetup %s\ncommit %s%s\n%s%s %s\n", info.Version, info.Commit, dirty, built, info.GoVersion, info.Platform)
	return err
}
