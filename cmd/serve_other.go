//go:build !unix

package cmd

import "os"

// reloadSignal: this system has no SIGHUP; restart serve to reload.
func reloadSignal() (<-chan os.Signal, func()) { return nil, func() {} }
