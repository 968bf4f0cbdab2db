//go:build !unix

package fsutil

import "os"

// lockDir does nothing where there is no flock(2).
func lockDir(*os.File) error { return nil }
