package bulk

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// TestSyncEveryKeepsTheFirstError: a write error that only a periodic
// sync saw still fails the run, and the final sync always happens.
func TestSyncEveryKeepsTheFirstError(t *testing.T) {
	errDisk := errors.New("input/output error")
	var calls atomic.Int32
	stop := syncEvery(func() error {
		if calls.Add(1) == 1 {
			return errDisk
		}
		return nil
	}, time.Millisecond)
	for calls.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	if err := stop(); !errors.Is(err, errDisk) {
		t.Errorf("stop() = %v, want the periodic sync's error", err)
	}
	var final atomic.Int32
	if err := syncEvery(func() error { final.Add(1); return nil }, time.Hour)(); err != nil || final.Load() != 1 {
		t.Errorf("no tick: stop() = %v after %d syncs, want nil after the one final sync", err, final.Load())
	}
}
