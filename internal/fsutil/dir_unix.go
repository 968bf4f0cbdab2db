//go:build unix

package fsutil

import (
	"io/fs"
	"syscall"
)

// createFile creates path, which must not exist, holding data, and with
// sync makes it durable. It uses the
// system calls directly: os.OpenFile would also try to register the file
// with the network poller, which costs three more calls per file.
func createFile(path string, data []byte, perm fs.FileMode, sync bool) error {
	fd, err := retryEINTR(func() (int, error) {
		return syscall.Open(path, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, uint32(perm))
	})
	if err != nil {
		return &fs.PathError{Op: "open", Path: path, Err: err}
	}
	for len(data) > 0 {
		n, err := retryEINTR(func() (int, error) { return syscall.Write(fd, data) })
		if err != nil {
			syscall.Close(fd)
			return &fs.PathError{Op: "write", Path: path, Err: err}
		}
		data = data[n:]
	}
	if sync {
		if err := syscall.Fsync(fd); err != nil {
			syscall.Close(fd)
			return &fs.PathError{Op: "fsync", Path: path, Err: err}
		}
	}
	if err := syscall.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: path, Err: err}
	}
	return nil
}

func retryEINTR(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if err != syscall.EINTR {
			return n, err
		}
	}
}
