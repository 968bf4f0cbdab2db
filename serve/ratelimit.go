package serve

// A token bucket per client address with a bounded map, by hand: the
// module keeps no rate-limiting library (golang.org/x/time is not a
// dependency), and a bucket is a few lines.

import (
	"sync"
	"time"
)

// RateLimit limits requests per client IP address. The zero value
// limits nothing.
type RateLimit struct {
	// PerSecond is the sustained rate each client may send; 0 turns
	// limiting off.
	PerSecond float64
	// Burst is how many requests a client may send at once (at least 1).
	Burst int
	// MaxClients bounds the clients tracked (default 10000); clients
	// beyond it share one bucket, so memory stays bounded under a flood
	// from many addresses.
	MaxClients int
}

type bucket struct {
	tokens float64
	last   time.Time
}

type limiter struct {
	cfg      RateLimit
	mu       sync.Mutex
	clients  map[string]*bucket
	overflow bucket
}

func newLimiter(cfg RateLimit) *limiter {
	if cfg.PerSecond <= 0 {
		return nil
	}
	if cfg.Burst < 1 {
		cfg.Burst = 1
	}
	if cfg.MaxClients <= 0 {
		cfg.MaxClients = 10000
	}
	return &limiter{cfg: cfg, clients: make(map[string]*bucket)}
}

// allow takes a token from client's bucket at time now.
func (l *limiter) allow(client string, now time.Time) bool {
	if l == nil {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.clients[client]
	if !ok {
		if len(l.clients) >= l.cfg.MaxClients {
			l.sweep(now)
		}
		if len(l.clients) >= l.cfg.MaxClients {
			b = &l.overflow
			if b.last.IsZero() {
				b.tokens, b.last = float64(l.cfg.Burst), now
			}
		} else {
			b = &bucket{tokens: float64(l.cfg.Burst), last: now}
			l.clients[client] = b
		}
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(float64(l.cfg.Burst), b.tokens+d.Seconds()*l.cfg.PerSecond)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// sweep forgets the clients whose buckets have filled up again: they are
// the same as new ones.
func (l *limiter) sweep(now time.Time) {
	full := time.Duration(float64(l.cfg.Burst) / l.cfg.PerSecond * float64(time.Second))
	for k, b := range l.clients {
		if now.Sub(b.last) >= full {
			delete(l.clients, k)
		}
	}
}
