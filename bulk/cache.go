package bulk

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/probe"
)

// once runs a keyed piece of work once per run: concurrent callers share
// one call (singleflight), later callers get the stored result. Results of
// calls cut short by the run's cancellation are not stored.
type once[T any] struct {
	g    singleflight.Group
	mu   sync.Mutex
	done map[string]T
	runs atomic.Int64
}

func (o *once[T]) lookup(key string) (T, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	v, ok := o.done[key]
	return v, ok
}

// get returns the result for key, calling f at most once per key unless
// ctx ends while f runs, and never once ctx has ended.
func (o *once[T]) get(ctx context.Context, key string, f func() T) (T, error) {
	if v, ok := o.lookup(key); ok {
		return v, nil
	}
	ch := o.g.DoChan(key, func() (any, error) {
		// A call that started after the previous one finished must not
		// run again: check the store inside the flight.
		if v, ok := o.lookup(key); ok {
			return v, nil
		}
		// Nor may one start once the run is cancelled: its result would
		// not be kept, so every later row would start it again.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		o.runs.Add(1)
		v := f()
		if ctx.Err() == nil {
			o.mu.Lock()
			if o.done == nil {
				o.done = map[string]T{}
			}
			o.done[key] = v
			o.mu.Unlock()
		}
		return v, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			var zero T
			return zero, r.Err
		}
		return r.Val.(T), nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// acquire takes a slot of sem, or fails when ctx ends first.
func acquire(ctx context.Context, sem chan struct{}) error {
	select {
	case sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// discovery is the outcome of one domain's discovery.
type discovery struct {
	// addr is the address discovery ran with: the first row of the
	// domain that needed it.
	addr account.Address
	res  *autoconfig.Result
	err  error
}

// discoveryCache runs discovery once per domain.
type discoveryCache struct {
	once[*discovery]
	discover func(ctx context.Context, addr account.Address, all bool) (*autoconfig.Result, error)
	sem      chan struct{}
	timeout  time.Duration

	lotMu   sync.Mutex
	lots    map[string]*parkingLot
	queue   []lotJob // domains whose discovery has not started
	workers int      // goroutines running queued discoveries
}

// parkingLot holds the rows waiting for one domain's discovery, as
// functions rather than goroutines, so thousands can wait for a slow
// domain while the rows of other domains go on.
type parkingLot struct {
	done bool
	rows []func()
}

// whenDiscovered arranges for f to run once the discovery of addr's
// domain (the normal one, not "all") has finished. It returns true,
// without keeping f, when it has finished already; otherwise f runs later
// on another goroutine. Domains waiting for a discovery slot cost no
// goroutine: they queue for at most as many workers as there are slots.
func (c *discoveryCache) whenDiscovered(ctx context.Context, addr account.Address, f func()) (now bool) {
	key := addr.Domain()
	if _, ok := c.lookup(key); ok {
		return true
	}
	c.lotMu.Lock()
	defer c.lotMu.Unlock()
	if c.lots == nil {
		c.lots = map[string]*parkingLot{}
	}
	lot := c.lots[key]
	if lot == nil {
		lot = &parkingLot{}
		c.lots[key] = lot
		c.queue = append(c.queue, lotJob{ctx, addr, lot})
		if c.workers < cap(c.sem) {
			c.workers++
			go c.work()
		}
	}
	if lot.done {
		return true
	}
	lot.rows = append(lot.rows, f)
	return false
}

// lotJob is a domain waiting for its discovery.
type lotJob struct {
	ctx  context.Context
	addr account.Address
	lot  *parkingLot
}

// work runs queued discoveries until the queue is empty, and hands each
// domain's parked rows to a goroutine of their own, so a worker never
// waits for rows.
func (c *discoveryCache) work() {
	for {
		c.lotMu.Lock()
		if len(c.queue) == 0 {
			c.workers--
			c.lotMu.Unlock()
			return
		}
		j := c.queue[0]
		c.queue[0] = lotJob{}
		c.queue = c.queue[1:]
		c.lotMu.Unlock()

		c.get(j.ctx, j.addr, false)
		c.lotMu.Lock()
		j.lot.done = true
		rows := j.lot.rows
		j.lot.rows = nil
		c.lotMu.Unlock()
		if len(rows) > 0 {
			go func() {
				for _, f := range rows {
					f()
				}
			}()
		}
	}
}

// get returns the domain's discovery; with all, the one that keeps every
// candidate of the deciding source and skips the live check.
func (c *discoveryCache) get(ctx context.Context, addr account.Address, all bool) *discovery {
	key := addr.Domain()
	if all {
		key += "|all"
	}
	d, err := c.once.get(ctx, key, func() *discovery {
		if err := acquire(ctx, c.sem); err != nil {
			return &discovery{addr: addr, err: err}
		}
		defer func() { <-c.sem }()
		dctx, cancel := withTimeout(ctx, c.timeout)
		defer cancel()
		res, err := c.discover(dctx, addr, all)
		if err == nil && (res == nil || len(res.Candidates) == 0) {
			err = autoconfig.ErrNothingFound
		}
		return &discovery{addr: addr, res: res, err: err}
	})
	if err != nil {
		return &discovery{addr: addr, err: err}
	}
	return d
}

func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

// serverKey identifies an endpoint: what is probed once.
func serverKey(s account.Server) string {
	return fmt.Sprintf("%s|%s|%d|%s", s.Protocol, s.Host, s.Port, s.Security)
}

// probeCache probes each distinct endpoint once, without a login.
type probeCache struct {
	once[*probe.Endpoint]
	opts    probe.Options
	sem     chan struct{}
	timeout time.Duration
}

func (c *probeCache) get(ctx context.Context, s account.Server) (*probe.Endpoint, error) {
	s.Username = "" // the same endpoint whoever logs in
	return c.once.get(ctx, serverKey(s), func() *probe.Endpoint {
		if err := acquire(ctx, c.sem); err != nil {
			return nil
		}
		defer func() { <-c.sem }()
		pctx, cancel := withTimeout(ctx, c.timeout)
		defer cancel()
		return probe.ProbeEndpoint(pctx, c.opts, probe.Target{Server: s})
	})
}

// loginCache tests each distinct (endpoint, username, password) once,
// never starting more than rate logins per second per server.
type loginCache struct {
	once[*probe.Endpoint]
	opts     probe.Options
	sem      chan struct{}
	timeout  time.Duration
	interval time.Duration

	mu   sync.Mutex
	next map[string]time.Time // per server: when the next login may start

	// sent counts the logins whose credentials reached a server; a test
	// the probe refused to send (no verified TLS) is not one.
	sent atomic.Int64
}

func (c *loginCache) get(ctx context.Context, s account.Server, user string, password Secret) (*probe.Endpoint, error) {
	// The key holds a hash of the password, never the password, and only
	// in memory.
	sum := sha256.Sum256([]byte(serverKey(s) + "\x00" + user + "\x00" + string(password)))
	return c.once.get(ctx, string(sum[:]), func() *probe.Endpoint {
		if err := c.wait(ctx, s.Address()); err != nil {
			return nil
		}
		if err := acquire(ctx, c.sem); err != nil {
			return nil
		}
		defer func() { <-c.sem }()
		pctx, cancel := withTimeout(ctx, c.timeout)
		defer cancel()
		ep := probe.ProbeEndpoint(pctx, c.opts, probe.Target{Server: s, Username: user, Password: string(password)})
		if ep.Login != nil && ep.Login.Outcome != probe.LoginNotAttempted {
			c.sent.Add(1)
		}
		return ep
	})
}

// wait blocks until a login to server may start: logins to one server are
// spaced by the interval, so at most 1/interval start per second.
func (c *loginCache) wait(ctx context.Context, server string) error {
	if c.interval <= 0 {
		return nil
	}
	c.mu.Lock()
	now := time.Now()
	at := c.next[server]
	if at.Before(now) {
		at = now
	}
	c.next[server] = at.Add(c.interval)
	c.mu.Unlock()
	t := time.NewTimer(time.Until(at))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// discoveryCode maps a discovery error to a row error code.
func discoveryCode(err error) string {
	var de *autoconfig.DomainError
	switch {
	case errors.As(err, &de):
		return de.Code // domain.not-found, domain.typo or dns.failed
	case errors.Is(err, autoconfig.ErrNothingFound):
		return "discovery.not-found"
	case errors.Is(err, context.DeadlineExceeded):
		return "discovery.timeout"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	return "discovery.failed"
}
