package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/termtext"
)

// discoveryFlags are the discovery options shared by discover, probe
// EMAIL and the commands that build on discovery.
type discoveryFlags struct {
	Offline   bool
	Sources   []string
	ISPDB     string
	AllowHTTP bool
	NoVerify  bool
}

func (d *discoveryFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&d.Offline, "offline", false, "use only the built-in provider database; open no network connection")
	fs.StringSliceVar(&d.Sources, "sources", nil, "only these sources: "+sourceNames())
	fs.StringVar(&d.ISPDB, "ispdb", autoconfig.DefaultISPDB, "Thunderbird ISPDB base `URL`, or \"off\" (it learns the domain, never the address)")
	fs.BoolVar(&d.AllowHTTP, "allow-http", false, "also try autoconfig over plain HTTP (results are marked untrusted)")
	fs.BoolVar(&d.NoVerify, "no-verify", false, "do not check the recommended servers live")
}

func sourceNames() string {
	var n []string
	for _, s := range autoconfig.Sources {
		n = append(n, string(s))
	}
	return strings.Join(n, ",")
}

// options turns the flags into autoconfig options.
func (d *discoveryFlags) options(n netDeps, caFile string) (autoconfig.Options, error) {
	var only []account.Source
	for _, s := range d.Sources {
		s = strings.ToLower(strings.TrimSpace(s))
		ok := false
		for _, known := range autoconfig.Sources {
			ok = ok || string(known) == s
		}
		if !ok {
			return autoconfig.Options{}, UsageErrorf("--sources: unknown source %q (known: %s)", s, sourceNames())
		}
		only = append(only, account.Source(s))
	}
	if d.ISPDB != "off" && !strings.HasPrefix(d.ISPDB, "https://") {
		return autoconfig.Options{}, UsageErrorf("--ispdb must be an https:// URL or \"off\"")
	}
	o := autoconfig.Options{
		ISPDB: d.ISPDB, AllowHTTP: d.AllowHTTP, Offline: d.Offline, Only: only, NoVerify: d.NoVerify,
		Dialer: n.Dialer(), Trace: n.Tracer(), UserAgent: "mailsetup/" + ReadBuildInfo().Version,
	}
	if d.Offline {
		return o, nil
	}
	roots, err := n.CertPool(caFile)
	if err != nil {
		return o, err
	}
	r, err := n.Resolver()
	if err != nil {
		return o, err
	}
	o.RootCAs, o.Resolver = roots, r
	return o, nil
}

// DiscoverOptions are the inputs of `mailsetup discover`.
type DiscoverOptions struct {
	IO        *iostreams.IOStreams
	Net       netDeps
	JSON      bool
	Email     string
	Discovery discoveryFlags
	CAFile    string
}

// NewCmdDiscover returns `mailsetup discover`.
func NewCmdDiscover(f *Factory, runF func(*DiscoverOptions) error) *cobra.Command {
	opts := &DiscoverOptions{IO: f.IOStreams}
	c := &cobra.Command{
		Use:   "discover EMAIL",
		Short: "Find the mail server settings for an e-mail address",
		Long: `Find the incoming (IMAP or POP3) and outgoing (SMTP) server settings for an
e-mail address, and say where they came from and whether to trust them.

Every source is asked at the same time: mailsetup's built-in provider database,
the provider's own autoconfig file over HTTPS, Thunderbird's ISP database, the
domain's MX records (which find the provider behind a custom domain), RFC 6186 SRV
records, Outlook Autodiscover, plain HTTP (only with --allow-http) and, last,
guessed server names checked live. The highest-priority source that answers wins;
the recommended servers are then checked live (connect, TLS and greeting, no login).

No password is ever sent to a discovery source, and Autodiscover never leaves the
address's own domain. --offline uses the built-in database only.

Exit codes: 0 settings found, 3 nothing found.`,
		Example: `  mailsetup discover jane@example.com
  mailsetup discover jane@gmail.com --offline
  mailsetup discover jane@example.com --sources autoconfig,srv --json -v`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Email = args[0]
			opts.Net, opts.JSON = f.netDeps(), f.Global.JSON
			if runF != nil {
				return runF(opts)
			}
			return discoverRun(c.Context(), opts)
		},
	}
	opts.Discovery.register(c.Flags())
	c.Flags().StringVar(&opts.CAFile, "ca-file", "", "also trust the CA certificates in PEM `FILE`")
	return c
}

// discover runs discovery for email under --timeout.
func discover(ctx context.Context, n netDeps, email string, d *discoveryFlags, caFile string) (*autoconfig.Result, error) {
	addr, err := account.ParseAddress(email)
	if err != nil {
		return nil, &FlagError{Err: err}
	}
	o, err := d.options(n, caFile)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, n.Timeout)
	defer cancel()
	res, err := autoconfig.Discover(ctx, addr, o)
	if errors.Is(err, autoconfig.ErrNothingFound) {
		if cerr := ctx.Err(); errors.Is(cerr, context.Canceled) {
			return res, cerr
		}
		return res, WithExitCode(fmt.Errorf("no settings found for %s", addr.Display()), ExitNotFound)
	}
	return res, err
}

func discoverRun(ctx context.Context, opts *DiscoverOptions) error {
	res, err := discover(ctx, opts.Net, opts.Email, &opts.Discovery, opts.CAFile)
	if res == nil {
		return err
	}
	if opts.JSON {
		if jerr := writeJSON(opts.IO.Out, res); jerr != nil {
			return jerr
		}
		return err
	}
	if err != nil {
		fmt.Fprintf(opts.IO.Out, "No settings found for %s. Lookups tried:\n", termtext.Safe(opts.Email))
		printTrail(opts.IO.Out, res)
		return err
	}
	printDiscovery(opts.IO.Out, opts.IO.ColorScheme(), res)
	return nil
}

func printTrail(w io.Writer, res *autoconfig.Result) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, s := range res.Trail {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%.0f ms\t%s\n", s.Source, s.Outcome, termtext.Safe(s.Target), s.DurationMS, termtext.Safe(s.Detail))
	}
	tw.Flush()
}

// verifiedLabel says what the live check verified, server by server
// ("yes: imap.example.com:143 answers, without encryption; ...").
func verifiedLabel(c *autoconfig.Candidate) string {
	switch {
	case c.Verification == nil:
		return "not checked"
	case c.Verification.OK:
		return "yes: " + c.Verification.Describe()
	}
	return "FAILED"
}

// shortVerifiedLabel is verifiedLabel for the list of alternatives.
func shortVerifiedLabel(c *autoconfig.Candidate) string {
	switch {
	case c.Verification == nil:
		return "not checked"
	case !c.Verification.OK:
		return "FAILED"
	case len(c.Cleartext()) > 0:
		return "yes, without encryption to " + strings.Join(c.Cleartext(), " and ")
	}
	return "yes"
}

// cleartextWarning is the warning about a server without encryption.
func cleartextWarning(addr string) string {
	return addr + " is not encrypted: the password and every message cross the network in the clear"
}

// upgradedNote says that a server offered STARTTLS and is used with it.
func upgradedNote(c *autoconfig.Candidate, role string) string {
	s := c.Account.Incoming
	if role == autoconfig.RoleOutgoing {
		s = c.Account.Outgoing
	}
	return fmt.Sprintf("%s offers STARTTLS and it passed the check: it is used instead of the unencrypted connection %s gave", s.Address(), c.Account.Provenance.Source)
}

func printDiscovery(w io.Writer, cs *iostreams.ColorScheme, res *autoconfig.Result) {
	best := res.Candidates[0]
	a := best.Account
	fmt.Fprintf(w, "%s %s\n\n", cs.Bold("Recommended settings for"), cs.Bold(termtext.Safe(a.Email.Display())))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  Incoming (%s)\t%s port %d, %s, user %s\n", a.Incoming.Protocol.Label(), a.Incoming.Host, a.Incoming.Port, a.Incoming.Security.Label(), termtext.Safe(a.Incoming.Username))
	fmt.Fprintf(tw, "  Outgoing (SMTP)\t%s port %d, %s, user %s\n", a.Outgoing.Host, a.Outgoing.Port, a.Outgoing.Security.Label(), termtext.Safe(a.Outgoing.Username))
	if a.Incoming.Auth != account.AuthPasswordCleartext {
		fmt.Fprintf(tw, "  Sign-in\t%s\n", a.Incoming.Auth.Label())
	}
	if best.Provider != "" {
		fmt.Fprintf(tw, "  Provider\t%s\n", termtext.Safe(best.Provider))
	}
	fmt.Fprintf(tw, "  Source\t%s (%s)\n", a.Provenance.Source, termtext.Safe(a.Provenance.Detail))
	trust := string(best.Trust)
	switch best.Trust {
	case account.Trusted:
		trust = cs.Green(trust)
	default:
		trust = cs.Yellow(trust)
	}
	fmt.Fprintf(tw, "  Trust\t%s: %s\n", trust, termtext.Safe(strings.Join(best.Reasons, "; ")))
	if d := best.ConfirmDomains(); len(d) > 0 {
		fmt.Fprintf(tw, "  Confirm\tthese settings involve %s: use them only if that is expected\n", termtext.Safe(strings.Join(d, " and ")))
	}
	for _, addr := range best.Cleartext() {
		fmt.Fprintf(tw, "  Warning\t%s\n", cs.Red(termtext.Safe(cleartextWarning(addr))+"; use it only if that is expected (scripts need --yes)"))
	}
	for _, role := range best.Upgraded {
		fmt.Fprintf(tw, "  STARTTLS\t%s\n", termtext.Safe(upgradedNote(best, role)))
	}
	if n := best.Agree(); n > 0 {
		fmt.Fprintf(tw, "  Agreeing\t%d other source(s): %v\n", n, best.AgreeingSources)
	}
	fmt.Fprintf(tw, "  Verified\t%s\n", verifiedLabel(best))
	tw.Flush()
	for _, n := range best.Notes {
		fmt.Fprintf(w, "  %s %s", cs.Yellow("Note:"), termtext.Safe(n.Text))
		if n.URL != "" {
			fmt.Fprintf(w, " <%s>", termtext.Safe(n.URL))
		}
		fmt.Fprintln(w)
	}
	if v := best.Verification; v != nil && !v.OK {
		fmt.Fprintln(w, cs.Red("  The servers did not pass the live check; run mailsetup probe for details."))
	}
	if len(res.Candidates) > 1 {
		fmt.Fprintf(w, "\n%s\n", cs.Bold("Alternatives"))
		for _, c := range res.Candidates[1:] {
			fmt.Fprintf(w, "  %s + SMTP %s:%d %s  [%s, %s, verified: %s]\n", termtext.Safe(c.Account.Incoming.String()), termtext.Safe(c.Account.Outgoing.Host), c.Account.Outgoing.Port,
				c.Account.Outgoing.Security.Label(), c.Account.Provenance.Source, c.Trust, termtext.Safe(shortVerifiedLabel(c)))
		}
	}
}

// sourceName names a discovery source in cat's language.
func sourceName(cat *i18n.Catalog, s account.Source) string {
	if k := "discover.source." + string(s); i18n.Has(k) {
		return cat.T(k)
	}
	return string(s)
}

// trustName names a trust level in cat's language.
func trustName(cat *i18n.Catalog, t account.Trust) string {
	if k := "discover.trust." + string(t); i18n.Has(k) {
		return cat.T(k)
	}
	return string(t)
}
