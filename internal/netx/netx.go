// Package netx holds the network plumbing every mailsetup package shares:
// the Dialer contract that lets tests substitute an in-process network, the
// one DNS resolver that --resolver points elsewhere, and the --verbose trace.
package netx

import (
	"context"
	"net"
)

// Dialer opens connections. *net.Dialer satisfies it, and so does the
// in-process test network in internal/mailtest, which maps
// host:standard-port to its loopback listeners.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}
