package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/termtext"
	"github.com/mailsetup/mailsetup/probe"
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
			return autoconfig.Options{}, usageErrorM("err.sources-unknown", s, sourceNames())
		}
		only = append(only, account.Source(s))
	}
	if d.ISPDB != "off" && !strings.HasPrefix(d.ISPDB, "https://") {
		return autoconfig.Options{}, usageErrorM("err.ispdb")
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
	// Catalog returns the messages in the run's language (--lang).
	Catalog func() *i18n.Catalog
}

// NewCmdDiscover returns `mailsetup discover`.
func NewCmdDiscover(f *Factory, runF func(*DiscoverOptions) error) *cobra.Command {
	opts := &DiscoverOptions{IO: f.IOStreams, Catalog: f.Catalog}
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

Exit codes: 0 settings found, 3 nothing found or no such domain (with a "did you
mean" suggestion), 4 servers found but none passed the live check, or the DNS
failed.`,
		Example: `  mailsetup discover jane@example.com
  mailsetup discover jane@gmail.com --offline
  mailsetup discover jane@example.com --sources autoconfig,srv --json -v`,
		Args: argsRange(1, 1),
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

// domainExit gives err, the address check's de, its exit code: 3 (nothing
// to find) for a domain that does not exist or looks mistyped, 4 (a
// server could not be reached) when the DNS failed.
func domainExit(de *autoconfig.DomainError, err error) error {
	if de.Typo() {
		return WithExitCode(err, ExitNotFound)
	}
	return WithExitCode(err, ExitServer)
}

// discover checks that email's domain exists (autoconfig.CheckDomain),
// then runs discovery for it, both under --timeout. A failed check
// returns a Result with only DomainProblem set.
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
	if err := autoconfig.CheckDomain(ctx, addr, o); err != nil {
		var de *autoconfig.DomainError
		if !errors.As(err, &de) {
			return nil, err
		}
		return &autoconfig.Result{Email: addr.String(), Candidates: []*autoconfig.Candidate{}, Trail: []autoconfig.Step{}, DomainProblem: de}, domainExit(de, err)
	}
	res, err := autoconfig.Discover(ctx, addr, o)
	if errors.Is(err, autoconfig.ErrNothingFound) {
		if cerr := ctx.Err(); errors.Is(cerr, context.Canceled) {
			return res, cerr
		}
		if errors.Is(err, autoconfig.ErrFoundBroken) {
			// Servers answered but failed the check: a server problem
			// (exit 4), not "nothing found" (exit 3).
			return res, WithExitCode(i18n.Error("discover.err-broken", addr.Display()), ExitServer)
		}
		return res, WithExitCode(i18n.Error("discover.err-nothing", addr.Display()), ExitNotFound)
	}
	return res, err
}

// DiscoverSchema names the shape of `discover --json`; it changes only
// with an incompatible change (fields are only ever added).
const DiscoverSchema = "mailsetup-discover/1"

func discoverRun(ctx context.Context, opts *DiscoverOptions) error {
	cat := catalogOf(opts.Catalog)
	res, err := discover(ctx, opts.Net, opts.Email, &opts.Discovery, opts.CAFile)
	if res == nil || (res.DomainProblem != nil && !opts.JSON) {
		return err // the one-line error says it all
	}
	if err == nil && res.VerificationFailed() {
		// Settings were found but none passed the live check: shown as
		// found, and exit 4 like servers found by guessing that failed.
		err = WithExitCode(i18n.Error("discover.err-unverified", termtext.Safe(opts.Email)), ExitServer)
	}
	if opts.JSON {
		localizeResult(cat, res)
		if jerr := writeJSON(opts.IO.Out, struct {
			Schema string `json:"schema"`
			*autoconfig.Result
		}{DiscoverSchema, res}); jerr != nil {
			return jerr
		}
		return err
	}
	w := humanOut(opts.IO)
	defer w.Flush()
	switch {
	case len(res.Broken) > 0:
		printBroken(w, opts.IO.ColorScheme(), cat, opts.Email, res)
		return err
	case err != nil && len(res.Candidates) == 0:
		fmt.Fprintln(w, cat.T("discover.nothing", termtext.Safe(opts.Email)))
		printTrail(w, cat, res)
		return err
	}
	printDiscovery(w, opts.IO.ColorScheme(), cat, res)
	return err
}

// printBroken lists the servers discovery reached that failed the live
// check, each with its source and the reason, and what to do.
func printBroken(w io.Writer, cs *iostreams.ColorScheme, cat *i18n.Catalog, email string, res *autoconfig.Result) {
	fmt.Fprintln(w, cs.Bold(cat.T("discover.broken", termtext.Safe(email))))
	for _, b := range res.Broken {
		fmt.Fprintf(w, "  %s %s\n", verdictMark(cs, cat, probe.VerdictFail), cat.T("discover.broken-line", termtext.Safe(b.Server.String()),
			autoconfig.SourceName(cat, b.Source), termtext.Safe(b.ReasonIn(cat))))
	}
	fmt.Fprintf(w, "\n%s\n", cat.T("discover.broken-fix"))
}

// localizeResult puts the human text of a result in cat's language for
// --json: each candidate's reasons and the trail's details that mailsetup
// wrote. Field names, sources, trust levels and outcomes stay as they are.
func localizeResult(cat *i18n.Catalog, res *autoconfig.Result) {
	for _, c := range res.Candidates {
		c.Reasons = c.ReasonsIn(cat)
	}
	for i := range res.Trail {
		res.Trail[i].Detail = res.Trail[i].DetailIn(cat)
	}
	for i := range res.Broken {
		res.Broken[i].Finding = res.Broken[i].Finding.In(cat)
	}
	if p := res.DomainProblem; p != nil {
		p.Message = p.RenderIn(cat)
	}
}

func printTrail(w io.Writer, cat *i18n.Catalog, res *autoconfig.Result) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, s := range res.Trail {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%.0f ms\t%s\n", autoconfig.SourceName(cat, s.Source), outcomeName(cat, s.Outcome), termtext.Safe(s.Target), s.DurationMS, termtext.Safe(s.DetailIn(cat)))
	}
	tw.Flush()
}

// outcomeName names a trail outcome in cat's language.
func outcomeName(cat *i18n.Catalog, o string) string {
	if k := "discover.outcome." + o; i18n.Has(k) {
		return cat.T(k)
	}
	return o
}

// verifiedLabel says what the live check verified, server by server
// ("yes: imap.example.com:143 answers, without encryption; ...").
func verifiedLabel(cat *i18n.Catalog, c *autoconfig.Candidate) string {
	switch {
	case c.Verification == nil:
		return cat.T("discover.verified.not-checked")
	case c.Verification.OK:
		return cat.T("discover.verified.yes", cat.Render(c.Verification.DescribeMsg()))
	}
	return cat.T("discover.verified.failed")
}

// shortVerifiedLabel is verifiedLabel for the list of alternatives.
func shortVerifiedLabel(cat *i18n.Catalog, c *autoconfig.Candidate) string {
	switch {
	case c.Verification == nil:
		return cat.T("discover.verified.not-checked")
	case !c.Verification.OK:
		return cat.T("discover.verified.failed")
	case len(c.Cleartext()) > 0:
		return cat.T("discover.verified.yes-cleartext", joinAnd(cat, c.Cleartext()))
	}
	return cat.T("discover.verified.yes-short")
}

// upgradedNote says that a server offered STARTTLS and is used with it.
func upgradedNote(cat *i18n.Catalog, c *autoconfig.Candidate, role string) string {
	s := c.Account.Incoming
	if role == autoconfig.RoleOutgoing {
		s = c.Account.Outgoing
	}
	return cat.T("discover.upgraded", s.Address(), autoconfig.SourceName(cat, c.Account.Provenance.Source))
}

// securityName names a security type: SSL/TLS and STARTTLS as they are,
// none in words of cat's language.
func securityName(cat *i18n.Catalog, s account.Security) string {
	if s == account.None {
		return cat.T("discover.security.none")
	}
	return s.Label()
}

// provenanceDetail is where the settings came from: the URL or DNS name
// as it is, or mailsetup's own words for the built-in database and for
// guessed names.
func provenanceDetail(cat *i18n.Catalog, a account.Account) string {
	d := a.Provenance.Detail
	switch a.Provenance.Source {
	case account.SourceBuiltin:
		if id, ok := strings.CutPrefix(d, "built-in provider database: "); ok {
			return cat.T("discover.detail.src-builtin", id)
		}
	case account.SourceGuess:
		if a.Incoming.Host == a.Outgoing.Host {
			return cat.T("discover.detail.src-guess-one", a.Incoming.Host)
		}
		return cat.T("discover.detail.src-guess", a.Incoming.Host, a.Outgoing.Host)
	}
	return d
}

func printDiscovery(w io.Writer, cs *iostreams.ColorScheme, cat *i18n.Catalog, res *autoconfig.Result) {
	best := res.Candidates[0]
	a := best.Account
	fmt.Fprintf(w, "%s %s\n\n", cs.Bold(cat.T("discover.recommended")), cs.Bold(termtext.Safe(a.Email.Display())))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  %s\t%s\n", cat.T("discover.incoming", a.Incoming.Protocol.Label()), serverLine(cat, a.Incoming, securityName(cat, a.Incoming.Security)))
	fmt.Fprintf(tw, "  %s\t%s\n", cat.T("discover.outgoing"), serverLine(cat, a.Outgoing, securityName(cat, a.Outgoing.Security)))
	if list := autoconfig.MethodsText(cat, a.Incoming); list != "" {
		fmt.Fprintf(tw, "  %s\t%s\n", cat.T("discover.signin"), list)
	} else if a.Incoming.Auth != account.AuthPasswordCleartext {
		auth := a.Incoming.Auth.Label()
		if k := "discover.auth." + a.Incoming.Auth.String(); i18n.Has(k) {
			auth = cat.T(k)
		}
		fmt.Fprintf(tw, "  %s\t%s\n", cat.T("discover.signin"), auth)
	}
	if list := autoconfig.MethodsText(cat, a.Outgoing); list != "" && !slices.Equal(a.Outgoing.Methods(), a.Incoming.Methods()) {
		fmt.Fprintf(tw, "  %s\t%s\n", cat.T("discover.signin-outgoing"), list)
	}
	for i, o := range best.OutgoingAlternatives {
		label := ""
		if i == 0 {
			label = cat.T("discover.other-outgoing")
		}
		sec := securityName(cat, o.Security)
		if o.Security == account.None {
			sec = cs.Red(sec)
		}
		fmt.Fprintf(tw, "  %s\t%s\n", label, serverLine(cat, o, sec))
	}
	if best.Provider != "" {
		fmt.Fprintf(tw, "  %s\t%s\n", cat.T("discover.provider"), termtext.Safe(best.Provider))
	}
	fmt.Fprintf(tw, "  %s\t%s (%s)\n", cat.T("discover.source"), autoconfig.SourceName(cat, a.Provenance.Source), termtext.Safe(provenanceDetail(cat, a)))
	trust := autoconfig.TrustName(cat, best.Trust)
	switch best.Trust {
	case account.Trusted:
		trust = cs.Green(trust)
	default:
		trust = cs.Yellow(trust)
	}
	fmt.Fprintf(tw, "  %s\t%s: %s\n", cat.T("discover.trust"), trust, termtext.Safe(strings.Join(best.ReasonsIn(cat), "; ")))
	if d := best.ConfirmDomains(); len(d) > 0 {
		fmt.Fprintf(tw, "  %s\t%s\n", cat.T("discover.confirm"), cat.T("discover.confirm-text", termtext.Safe(joinAnd(cat, d))))
	}
	for _, addr := range best.Cleartext() {
		fmt.Fprintf(tw, "  %s\t%s\n", cat.T("discover.warning"), cs.Red(cat.T("discover.cleartext-warning", termtext.Safe(addr))))
	}
	for _, role := range best.Upgraded {
		fmt.Fprintf(tw, "  STARTTLS\t%s\n", termtext.Safe(upgradedNote(cat, best, role)))
	}
	if n := best.Agree(); n > 0 {
		names := make([]string, n)
		for i, s := range best.AgreeingSources {
			names[i] = autoconfig.SourceName(cat, s)
		}
		fmt.Fprintf(tw, "  %s\t%s\n", cat.T("discover.agreeing"), cat.T("discover.agreeing-text", n, strings.Join(names, ", ")))
	}
	fmt.Fprintf(tw, "  %s\t%s\n", cat.T("discover.verified"), verifiedLabel(cat, best))
	tw.Flush()
	for _, n := range best.Notes {
		fmt.Fprintf(w, "  %s %s", cs.Yellow(cat.T("discover.note")), termtext.Safe(n.In(cat)))
		if n.URL != "" {
			fmt.Fprintf(w, " <%s>", termtext.Safe(n.URL))
		}
		fmt.Fprintln(w)
	}
	if v := best.Verification; v != nil && !v.OK {
		fmt.Fprintln(w, cs.Red("  "+cat.T("discover.failed-check")))
	}
	printProviderTexts(w, cs, cat, a.Provider, "")
	if len(res.Candidates) > 1 {
		fmt.Fprintf(w, "\n%s\n", cs.Bold(cat.T("discover.alternatives")))
		for _, c := range res.Candidates[1:] {
			fmt.Fprintf(w, "  %s\n", cat.T("discover.alt-line", termtext.Safe(c.Account.Incoming.DisplayString()), termtext.Safe(account.DisplayHost(c.Account.Outgoing.Host)), c.Account.Outgoing.Port,
				securityName(cat, c.Account.Outgoing.Security), autoconfig.SourceName(cat, c.Account.Provenance.Source), autoconfig.TrustName(cat, c.Trust), termtext.Safe(shortVerifiedLabel(cat, c))))
			// Another source's document may say other things: shown
			// under its alternative; the same texts are not repeated.
			if !reflect.DeepEqual(c.Account.Provider, a.Provider) {
				printProviderTexts(w, cs, cat, c.Account.Provider, "    ")
			}
		}
	}
}

// printProviderTexts prints what the provider's document says beyond its
// servers (the step to enable access, documentation pages) under a
// heading that says these are the provider's words, not mailsetup's;
// autoconfig.ProviderLines has sanitised them. indent prefixes every line.
func printProviderTexts(w io.Writer, cs *iostreams.ColorScheme, cat *i18n.Catalog, info *account.ProviderInfo, indent string) {
	lines := autoconfig.ProviderLines(cat, info)
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s%s\n", indent, cs.Bold(cat.T("discover.provider-says")))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, l := range lines {
		fmt.Fprintf(tw, "%s  %s\t%s\n", indent, l.Label, l)
	}
	tw.Flush()
}

// serverLine describes a server in one line: host, port, security (sec,
// already worded) and the user name, or that it takes no sign-in.
func serverLine(cat *i18n.Catalog, s account.Server, sec string) string {
	host := termtext.Safe(account.DisplayHost(s.Host))
	if !s.Auth.NeedsUsername() {
		return cat.T("discover.server-line-nologin", host, s.Port, sec)
	}
	return cat.T("discover.server-line", host, s.Port, sec, termtext.Safe(account.DisplayUser(s.Username)))
}
