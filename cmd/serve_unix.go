//go:build unix

package cmd

import (
	"os"
	"os/signal"
	"syscall"
)

// reloadSignal delivers SIGHUP, the signal that makes serve read its
// configuration again.
func reloadSignal() (<-chan os.Signal, func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	return ch, func() { signal.Stop(ch) }
}
