package cmd

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/mailsetup/mailsetup/internal/iostreams"
)

// Set with -ldflags "-X github.com/mailsetup/mailsetup/cmd.version=v1.2.3
// -X github.com/mailsetup/mailsetup/cmd.commit=abc123" by release builds;
// otherwise read from the Go build information.
var (
	version string
	commit  string
)

// BuildInfo describes this binary.
type BuildInfo struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Modified  bool   `json:"modified,omitempty"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"`
}

// ReadBuildInfo returns the version, commit and Go version of this binary.
// The version is the module version for `go install ...@vX`, "(devel)" for
// a build from a checkout; the commit comes from the VCS stamp when the
// build had one, "unknown" otherwise.
func ReadBuildInfo() BuildInfo {
	bi := BuildInfo{Version: "(devel)", Commit: "unknown", GoVersion: runtime.Version(),
		Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if info, ok := debug.ReadBuildInfo(); ok {
		if v := info.Main.Version; v != "" {
			bi.Version = v
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				bi.Commit = s.Value
			case "vcs.modified":
				bi.Modified = s.Value == "true"
			}
		}
	}
	if version != "" {
		bi.Version = version
	}
	if commit != "" {
		bi.Commit = commit
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
		Short: "Print mailsetup's version, commit and Go version",
		Args:  usageArgs(cobra.NoArgs),
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
	_, err := fmt.Fprintf(out, "mailsetup %s\ncommit %s%s\n%s %s\n", info.Version, info.Commit, dirty, info.GoVersion, info.Platform)
	return err
}
