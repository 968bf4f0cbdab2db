// Package fsutil writes files the way every mailsetup command must: atomically
// (a reader sees the old file or the new one, never half of one), with the
// requested permissions from the first byte, and never replacing an
// existing file unless asked to.
package fsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrExists is wrapped by WriteFile's error when the target exists and
// overwriting was not allowed. It names no flag: the command that maps it
// says how to replace the file.
var ErrExists = errors.New("already exists")

// WriteFile writes data to path atomically with mode perm. With overwrite
// false it fails with ErrExists if path exists, without touching it; the
// check and the creation are one atomic step (a hard link), so two writers
// cannot both succeed.
func WriteFile(path string, data []byte, perm fs.FileMode, overwrite bool) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmpName := tmp.Name()
	defer func() {
		if tmp != nil {
			tmp.Close()
		}
		os.Remove(tmpName) // no-op once renamed; cleans up after a failure or a link
	}()
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		tmp = nil
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp = nil
	if overwrite {
		if err := os.Rename(tmpName, path); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return syncDir(dir)
	}
	if err := os.Link(tmpName, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s %w", path, ErrExists)
		}
		// Some file systems have no hard links: fall back to check, then rename.
		if _, statErr := os.Lstat(path); statErr == nil {
			return fmt.Errorf("%s %w", path, ErrExists)
		}
		if err := os.Rename(tmpName, path); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil // best effort: the data itself is synced
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}
