//go:build !linux

package fsutil

func (d *OutputDir) renameNoReplace(old, new string) error { return d.renameFallback(old, new) }
