// Package cmd holds mailsetup's Cobra commands. Each command follows the
// same pattern: an Options struct, a NewCmdX(f, runF) constructor that only
// parses flags, and an xRun(opts) function that does the work, so tests can
// check flag parsing without side effects and run commands against buffers.
package cmd

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/netx"
	"github.com/mailsetup/mailsetup/internal/termtext"
)

// DefaultTimeout is the default for --timeout: the whole run's deadline.
const DefaultTimeout = 20 * time.Second

// GlobalOptions are the persistent flags every command shares.
type GlobalOptions struct {
	JSON     bool
	Timeout  time.Duration
	Resolver string
	Verbose  bool
	NoColor  bool
	// Lang is --lang: "en", "ro", "lt", or "" to follow the locale.
	Lang string
	// TrustAD is --trust-ad: believe the resolver's AD (DNSSEC-validated) bit.
	TrustAD bool
	// Quiet is --quiet: no progress text on stderr (errors still show).
	Quiet bool
}

// Factory gives commands what they need from the outside world. Tests fill
// it with buffers and the in-process network.
type Factory struct {
	IOStreams *iostreams.IOStreams
	Global    GlobalOptions

	// Dialer, when set, replaces the plain TCP dialer for connections to
	// resolved addresses (tests use the in-process network's dialer).
	Dialer netx.Dialer
	// RootCAs, when set, replaces the system roots for verifying servers
	// (tests use the in-process CA); --ca-file adds to it.
	RootCAs *x509.CertPool
	// SystemDNS, when set, replaces the system's DNS configuration
	// without --resolver (tests use a resolv.conf fixture).
	SystemDNS netx.ConfigSource
	// HostResolver, when set, replaces the operating system's resolver
	// for host addresses without --resolver (tests use Go's resolver
	// pointed at the in-process DNS server).
	HostResolver netx.HostResolver
	// Getenv reads the environment: the locale (LC_ALL, LC_MESSAGES,
	// LANG), MAILSETUP_PASSWORD, SOURCE_DATE_EPOCH, GOGC and GOMEMLIMIT.
	// NewFactory sets it to os.Getenv; tests replace it.
	Getenv func(string) string

	readPassword func() ([]byte, error)

	tracer  *netx.Tracer
	catalog *i18n.Catalog
	// resolver is made once per run, so what it learns (a dead nameserver
	// passed over) holds for every lookup of the run.
	resolver *netx.Resolver
}

// NewFactory returns a Factory over the given streams with default options.
func NewFactory(ios *iostreams.IOStreams) *Factory {
	return &Factory{IOStreams: ios, Global: GlobalOptions{Timeout: DefaultTimeout}, Getenv: os.Getenv, readPassword: terminalPassword}
}

// Tracer returns the --verbose tracer writing to stderr, or nil (which
// discards) when --verbose is off.
func (f *Factory) Tracer() *netx.Tracer {
	if !f.Global.Verbose {
		return nil
	}
	if f.tracer == nil {
		f.tracer = netx.NewTracer(f.IOStreams.ErrOut)
		f.tracer.Catalog = f.Catalog()
	}
	return f.tracer
}

// Catalog returns the messages in this run's language: --lang when given,
// else the first of LC_ALL, LC_MESSAGES and LANG that is set, else English.
// The language is resolved once, when the global flags are checked (or on
// first use when a command runs without them, as in unit tests).
func (f *Factory) Catalog() *i18n.Catalog {
	if f.catalog == nil {
		f.catalog = i18n.New(i18n.Detect(f.Global.Lang, f.getenv()))
	}
	return f.catalog
}

// Resolver returns the DNS resolver of this run: --resolver for every
// lookup, or the system's (host addresses from the operating system's
// resolver, record lookups to the system's nameservers in turn). The
// first call says which in the -v trace.
func (f *Factory) Resolver() (*netx.Resolver, error) {
	if f.resolver != nil {
		return f.resolver, nil
	}
	var r *netx.Resolver
	if f.Global.Resolver == "" {
		var src netx.ConfigSource = netx.SystemSource()
		if f.SystemDNS != nil {
			src = f.SystemDNS
		}
		var hosts netx.HostResolver = net.DefaultResolver
		if f.HostResolver != nil {
			hosts = f.HostResolver
		}
		r = netx.NewSystemResolver(src, hosts)
	} else {
		var err error
		if r, err = netx.NewResolver(f.Global.Resolver); err != nil {
			return nil, err
		}
	}
	r.Trace = f.Tracer()
	if m := r.DescribeMsg(); r.Trace.Enabled() {
		r.Trace.Say(m.Key, m.Args...)
	}
	if f.Global.TrustAD {
		r.TrustAD, r.ADRule = true, netx.ADRuleFlag
	}
	f.resolver = r
	return r, nil
}

// NetDialer returns the dialer commands connect through: host names are
// resolved by Resolver, so --resolver applies to connections too.
func (f *Factory) NetDialer() (netx.Dialer, error) {
	r, err := f.Resolver()
	if err != nil {
		return nil, err
	}
	return &netx.ResolvingDialer{Resolver: r, Dialer: f.Dialer, Trace: f.Tracer()}, nil
}

// CertPool returns the roots to verify servers with: Factory.RootCAs or
// the system's, plus the PEM certificates in caFile when given.
func (f *Factory) CertPool(caFile string) (*x509.CertPool, error) {
	pool := f.RootCAs
	if pool == nil {
		sys, err := x509.SystemCertPool()
		if err != nil {
			sys = x509.NewCertPool()
		}
		pool = sys
	} else {
		pool = pool.Clone()
	}
	if caFile == "" {
		return pool, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fileError("--ca-file", caFile, err)
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, i18n.Error("err.ca-file-empty", caFile)
	}
	return pool, nil
}

// supportedLangs lists the --lang values, for help and errors.
func supportedLangs() string {
	s := make([]string, len(i18n.Supported))
	for i, l := range i18n.Supported {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

// NewCmdRoot builds the root command and registers every subcommand.
func NewCmdRoot(f *Factory) *cobra.Command {
	g := &f.Global
	root := &cobra.Command{
		Use:   "mailsetup",
		Short: "Set up e-mail accounts: discover, verify and export mail client settings",
		Long: `mailsetup walks you through setting up an e-mail account and hands you
working settings for every mail client you use.

IMAP keeps mail on the server and syncs every device. POP3 downloads mail to one
device and usually deletes it from the server. SMTP only sends mail.

Exit codes:
  0    success
  1    error
  2    usage error (bad flags or arguments, or a missing answer when not interactive)
  3    nothing found
  4    server or TLS problem
  5    authentication failed
  130  cancelled (Ctrl-C)`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          argsRange(0, 0),
		// Without a subcommand: the guided setup on a terminal, help otherwise.
		RunE: func(c *cobra.Command, args []string) error {
			if f.IOStreams.CanPrompt() {
				setup := NewCmdSetup(f, nil)
				setup.SetContext(c.Context())
				return setup.RunE(setup, nil)
			}
			return c.Help()
		},
		PersistentPreRunE: func(c *cobra.Command, args []string) error {
			// Runs for cobra's hidden __complete command too: print nothing here.
			return g.check(f)
		},
	}
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetFlagErrorFunc(flagError)

	pf := root.PersistentFlags()
	pf.BoolVar(&g.JSON, "json", false, "print stable machine-readable JSON on stdout")
	pf.DurationVar(&g.Timeout, "timeout", DefaultTimeout, "deadline for the whole run's network work")
	pf.StringVar(&g.Resolver, "resolver", "", "DNS server `host[:port]` for every lookup (default: the system's)")
	pf.BoolVar(&g.TrustAD, "trust-ad", false, "believe the resolver's AD (DNSSEC-validated) bit; only for a validating resolver reached over a trusted path (default: only when resolv.conf has 'options trust-ad')")
	pf.BoolVarP(&g.Verbose, "verbose", "v", false, "trace every lookup and connection on stderr (credentials shown as [credentials])")
	pf.BoolVar(&g.NoColor, "no-color", false, "never use colour (NO_COLOR is honoured too)")
	pf.BoolVarP(&g.Quiet, "quiet", "q", false, "print no progress text on stderr (the setup's messages with --json, spinners, \"probing\" lines); errors still show")
	pf.StringVar(&g.Lang, "lang", "", "language of messages: "+supportedLangs()+" (default: from LC_ALL, LC_MESSAGES or LANG, else en)")

	root.AddCommand(NewCmdSetup(f, nil))
	root.AddCommand(NewCmdDiscover(f, nil))
	root.AddCommand(NewCmdExport(f, nil))
	root.AddCommand(NewCmdProbe(f, nil))
	root.AddCommand(NewCmdBulk(f, nil))
	root.AddCommand(NewCmdVersion(f, nil))
	root.AddCommand(NewCmdDocs(f, nil))
	root.AddCommand(NewCmdExplain(f, nil))
	root.AddCommand(NewCmdServe(f, nil))
	root.AddCommand(NewCmdAudit(f, nil))
	root.CompletionOptions.HiddenDefaultCmd = false
	return root
}

// check validates the global flags and applies them to the streams.
func (g *GlobalOptions) check(f *Factory) error {
	if g.Lang != "" {
		ok := false
		for _, l := range i18n.Supported {
			ok = ok || g.Lang == string(l)
		}
		if !ok {
			// Not a language: its messages follow the locale.
			lang := g.Lang
			g.Lang, f.catalog = "", nil
			return usageErrorM("args.lang-unsupported", lang, supportedLangs())
		}
	}
	// Resolve the language now that the flags are parsed.
	f.catalog = nil
	if cat := f.Catalog(); f.tracer != nil {
		f.tracer.Catalog = cat
	}
	if g.Timeout <= 0 {
		return usageErrorM("err.timeout", g.Timeout)
	}
	if g.Resolver != "" {
		if _, err := netx.ParseServerAddr(g.Resolver, 53); err != nil {
			return usageErrorM("err.resolver", err)
		}
	}
	if g.NoColor || !iostreams.ColorAllowed(f.getenv()) {
		f.IOStreams.SetColorEnabled(false)
	}
	return nil
}

// Execute runs mailsetup with args and returns the process exit code. Errors
// are printed to stderr; usage errors are followed by the command's usage.
// When ctx is cancelled (Ctrl-C), it returns ExitCancelled.
func Execute(ctx context.Context, f *Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	c, err := root.ExecuteContextC(ctx)
	if err != nil && !root.PersistentFlags().Lookup("lang").Changed {
		// Parsing stopped before --lang: take it from args.
		if l := langArg(args); slices.Contains(i18n.Supported, i18n.Lang(l)) {
			f.Global.Lang, f.catalog = l, nil
		}
	}
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("%w: %w", errInterrupted, err)
	}
	code := ExitCodeFor(err)
	if err != nil {
		printError(f.IOStreams.ErrOut, f.Catalog(), c, err, code)
	}
	return code
}

func printError(w io.Writer, cat *i18n.Catalog, c *cobra.Command, err error, code int) {
	// Errors quote flags, input and server text: the one place they reach
	// the terminal clips each echo to termtext.MaxEcho bytes (libraries
	// such as pflag quote a value whole) and shows control characters
	// escaped.
	msg := termtext.Safe(termtext.ClipEchoes(errorText(cat, err), termtext.MaxEcho))
	switch {
	case code == ExitCancelled:
		fmt.Fprintln(w, cat.T("cli.cancelled"))
	case code == ExitUsage:
		fmt.Fprintln(w, cat.T("cli.error", msg))
		if c != nil {
			fmt.Fprintf(w, "\n%s", c.UsageString())
		}
	default:
		fmt.Fprintln(w, cat.T("cli.error", msg))
	}
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
