//go:build !linux

package fsutil

func renameNoReplace(old, new string) error { return renameFallback(old, new) }
