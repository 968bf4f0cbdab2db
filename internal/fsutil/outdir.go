package fsutil

import (
	"errors"
	"fmt"
	"os"
)

// ErrLocked is wrapped by OpenOutputDir's error when another process
// holds the folder.
var ErrLocked = errors.New("another mailsetup run is writing to it")

// OutputDir is a folder that one run writes many files into with
// WriteDir: it is locked against a second run at the same time (where the
// system has flock(2)), and synced through one handle, so a write error
// anywhere in the run is reported by the next Sync however long ago it
// happened.
type OutputDir struct {
	f *os.File
}

// OpenOutputDir makes the folder path if needed, opens and locks it.
func OpenOutputDir(path string) (*OutputDir, error) {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	if err := lockDir(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("output folder %s: %w", path, err)
	}
	return &OutputDir{f: f}, nil
}

// Sync makes everything written to the folder's file system durable
// (syncfs(2) on Linux; elsewhere WriteDir syncs each file) and reports
// write errors since the folder was opened.
func (d *OutputDir) Sync() error {
	if err := syncFS(d.f); err != nil {
		return fmt.Errorf("sync %s: %w", d.f.Name(), err)
	}
	return nil
}

// Close unlocks the folder.
func (d *OutputDir) Close() error { return d.f.Close() }
