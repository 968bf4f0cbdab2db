package fsutil

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// renameNoReplace renames old to new, both directly in d, relative to d's
// handle, and never replaces new (a symbolic link at new is not followed:
// it is there, so the rename fails).
func (d *OutputDir) renameNoReplace(old, new string) error {
	fd := int(d.f.Fd())
	err := unix.Renameat2(fd, old, fd, new, unix.RENAME_NOREPLACE)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EEXIST):
		return fs.ErrExist
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS):
		// A file system without RENAME_NOREPLACE.
		return d.renameFallback(old, new)
	}
	return &os.LinkError{Op: "rename", Old: d.Path(old), New: d.Path(new), Err: err}
}

// syncFS makes everything written to the file system of f durable,
// syncfs(2), and reports write errors since f was opened.
func syncFS(f *os.File) error { return unix.Syncfs(int(f.Fd())) }

// perFileSync is true where there is no syncfs(2) to make a whole batch
// durable at once: WriteDir then fsyncs each file.
const perFileSync = false
