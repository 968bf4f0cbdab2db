package fsutil

import "os"

// syncFS: Windows has no call for a whole file system that a normal user
// may make; WriteDir flushes each file instead.
func syncFS(*os.File) error { return nil }

// perFileSync is true where there is no syncfs(2) to make a whole batch
// durable at once: WriteDir then fsyncs each file.
const perFileSync = true
