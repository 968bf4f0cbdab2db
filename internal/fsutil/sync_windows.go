package fsutil

// SyncFS makes everything written to the file system that holds path
// durable. Windows has no call for a whole file system that a normal user
// may make; files written by WriteDir reach the disk when Windows flushes
// its cache.
func SyncFS(path string) error { return nil }
