package cmd

import (
	"crypto/x509"
	"os"
	"time"

	"github.com/mailsetup/mailsetup/internal/netx"
)

// How a command gets what it needs (the pattern of cli/cli): its Options
// struct holds only what its xRun uses — the streams, functions returning
// the resolver, dialer, tracer, catalogue or password reader, plain values
// copied from the global flags in RunE (they are parsed by then), and
// "was this flag given" booleans recorded in RunE
// (opts.NameProvided = c.Flags().Changed("name")). No Options struct, nor
// any flag helper it holds, keeps the *cobra.Command or the whole
// *Factory: TestOptionsAreNarrow checks it.

// netDeps are the network dependencies of the commands that discover or
// probe servers. NewCmdX leaves it empty; RunE fills it with f.netDeps().
type netDeps struct {
	// Resolver returns the run's one DNS resolver (--resolver, --trust-ad).
	Resolver func() (*netx.Resolver, error)
	// Dialer returns the dialer for connections to resolved addresses;
	// nil means plain TCP (tests return the in-process network's).
	Dialer func() netx.Dialer
	// Tracer returns the --verbose tracer, or nil (which discards).
	Tracer func() *netx.Tracer
	// CertPool returns the roots to verify servers with, plus the PEM
	// certificates in caFile when given.
	CertPool func(caFile string) (*x509.CertPool, error)
	// Timeout is --timeout: the deadline of each discovery and probe.
	Timeout time.Duration
}

// netDeps returns the network dependencies, with --timeout as parsed.
func (f *Factory) netDeps() netDeps {
	return netDeps{
		Resolver: f.Resolver,
		Dialer:   func() netx.Dialer { return f.Dialer },
		Tracer:   f.Tracer,
		CertPool: f.CertPool,
		Timeout:  f.Global.Timeout,
	}
}

// getenv returns Factory.Getenv, or os.Getenv when it is not set.
func (f *Factory) getenv() func(string) string {
	if f.Getenv == nil {
		return os.Getenv
	}
	return f.Getenv
}
