//go:build unix && !linux

package fsutil

import "syscall"

// SyncFS makes everything written to the file system that holds path
// durable (syncfs(2) on Linux, sync(2) on other Unix systems).
func SyncFS(path string) error {
	syscall.Sync()
	return nil
}
