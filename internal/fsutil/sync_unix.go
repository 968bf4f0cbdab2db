//go:build unix && !linux

package fsutil

import (
	"os"
	"syscall"
)

// syncFS: sync(2) schedules every file system's writes; WriteDir fsyncs
// each file on these systems, so this only adds the folder entries.
func syncFS(*os.File) error {
	syscall.Sync()
	return nil
}

// perFileSync is true where there is no syncfs(2) to make a whole batch
// durable at once: WriteDir then fsyncs each file.
const perFileSync = true
