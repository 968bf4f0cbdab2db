package bulk

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
)

// TestParkingLotGoroutines: thousands of domains waiting for discovery
// cost no goroutine each; every parked row runs once its domain is done,
// and each domain is discovered once.
func TestParkingLotGoroutines(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int64
	c := &discoveryCache{
		sem: make(chan struct{}, 4),
		discover: func(ctx context.Context, addr account.Address, all bool) (*autoconfig.Result, error) {
			calls.Add(1)
			<-release
			return nil, autoconfig.ErrNothingFound
		},
	}
	before := runtime.NumGoroutine()
	const domains, rowsPer = 2000, 3
	var ran sync.WaitGroup
	ran.Add(domains * rowsPer)
	for d := range domains {
		for range rowsPer {
			addr := account.MustParseAddress(fmt.Sprintf("u@d%d.test", d))
			if c.whenDiscovered(context.Background(), addr, ran.Done) {
				t.Fatal("a domain was discovered before its discovery ran")
			}
		}
	}
	// Workers and their singleflight calls, at most two per slot.
	if n := runtime.NumGoroutine() - before; n > 2*cap(c.sem)+2 {
		t.Errorf("%d goroutines for %d waiting domains", n, domains)
	}
	close(release)
	done := make(chan struct{})
	go func() { ran.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("parked rows did not all run")
	}
	if calls.Load() != domains {
		t.Errorf("%d discoveries for %d domains", calls.Load(), domains)
	}
	// A finished domain runs new rows at once.
	if !c.whenDiscovered(context.Background(), account.MustParseAddress("v@d7.test"), func() {}) {
		t.Error("a discovered domain parked a row")
	}
}
