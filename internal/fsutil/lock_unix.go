//go:build unix

package fsutil

import (
	"errors"
	"os"
	"syscall"
)

// lockDir takes an exclusive flock(2) on the open folder, without waiting.
func lockDir(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return ErrLocked
	}
	return err
}
