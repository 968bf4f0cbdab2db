//go:build unix

package fsutil

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// createFileIn creates the file name in the open folder dir (rel is its
// path relative to root, for messages), which must not exist, holding
// data, and with sync makes it durable. It uses the system calls directly,
// relative to dir's handle: os.OpenFile would also try to register the
// file with the network poller, which costs three more calls per file.
// O_EXCL never follows a symbolic link.
func createFileIn(_ *os.Root, dir *os.File, rel, name string, data []byte, perm fs.FileMode, sync bool) error {
	dfd := int(dir.Fd())
	fd, err := retryEINTR(func() (int, error) {
		return unix.Openat(dfd, name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, uint32(perm))
	})
	if err != nil {
		return &fs.PathError{Op: "open", Path: rel, Err: err}
	}
	for len(data) > 0 {
		n, err := retryEINTR(func() (int, error) { return unix.Write(fd, data) })
		if err != nil {
			unix.Close(fd)
			return &fs.PathError{Op: "write", Path: rel, Err: err}
		}
		data = data[n:]
	}
	if sync {
		if err := unix.Fsync(fd); err != nil {
			unix.Close(fd)
			return &fs.PathError{Op: "fsync", Path: rel, Err: err}
		}
	}
	if err := unix.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: rel, Err: err}
	}
	return nil
}

func retryEINTR(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if err != unix.EINTR {
			return n, err
		}
	}
}
