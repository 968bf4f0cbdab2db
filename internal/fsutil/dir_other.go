//go:build !unix

package fsutil

import (
	"io/fs"
	"os"
)

// createFileIn creates rel, relative to root, which must not exist,
// holding data, and with sync makes it durable.
func createFileIn(root *os.Root, _ *os.File, rel, _ string, data []byte, perm fs.FileMode, sync bool) error {
	f, err := root.OpenFile(rel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if sync {
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
