package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/audit"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/termtext"
)

// AuditOptions are the inputs of `mailsetup audit`.
type AuditOptions struct {
	IO   *iostreams.IOStreams
	Net  netDeps
	JSON bool
	// Catalog returns the messages in the run's language (--lang).
	Catalog func() *i18n.Catalog

	// Target is the DOMAIN or EMAIL argument.
	Target    string
	Discovery discoveryFlags
	CAFile    string
	// Servers are --imap/--pop3/--smtp/--user: the settings to publish,
	// instead of the majority answer.
	Servers serverFlags
	// OutDir is -o: write the records to publish as files there.
	OutDir string
	Force  bool
}

// NewCmdAudit returns `mailsetup audit`.
func NewCmdAudit(f *Factory, runF func(*AuditOptions) error) *cobra.Command {
	opts := &AuditOptions{IO: f.IOStreams, Catalog: f.Catalog}
	c := &cobra.Command{
		Use:   "audit DOMAIN|EMAIL",
		Short: "Predict what each mail client finds for a domain, and what to fix",
		Long: `Predict, for a mail domain, what each mail client's own discovery will find:
Thunderbird, Thunderbird for Android / K-9 Mail, classic Outlook (Autodiscover),
Apple Mail (which has none for custom domains) and clients that read RFC 6186 SRV
records. Every source is asked to its end (autoconfig and .well-known, over HTTPS and,
as Thunderbird does, over plain HTTP without the address; the ISPDB, the MX's
provider, SRV, Autodiscover, guessing), every server found is checked
live (connect, TLS, greeting; no login), and each client's own order and trust
rules pick its settings. Findings say where clients disagree, find nothing, get a
failing or unencrypted server, or are sent outside the domain, each with a fix.

Then it prints what to publish so that every client agrees: the config-v1.1.xml for
autoconfig.DOMAIN, the Autodiscover XML, the DNS records as zone-file lines and a
mailsetup serve configuration, for the working settings most clients get, or for the
servers given with --imap/--pop3/--smtp (and --user). -o DIR writes them as files.

With DOMAIN, the address postmaster@DOMAIN is used where a lookup sends one.

Exit codes: 0 every client finds the same working settings, 3 no source publishes
anything, 4 a client gets broken, unencrypted, different or no settings.`,
		Example: `  mailsetup audit example.com
  mailsetup audit jane@example.com --json
  mailsetup audit example.com --imap mail.example.com --smtp mail.example.com:465 -o publish`,
		Args: argsRange(1, 1),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Target = args[0]
			opts.Net, opts.JSON = f.netDeps(), f.Global.JSON
			if runF != nil {
				return runF(opts)
			}
			return auditRun(c.Context(), opts)
		},
	}
	opts.Discovery.register(c.Flags())
	opts.Servers.register(c.Flags())
	c.Flags().StringVar(&opts.CAFile, "ca-file", "", "also trust the CA certificates in PEM `FILE`")
	c.Flags().StringVarP(&opts.OutDir, "output", "o", "", "write the records to publish as files into `DIR`")
	c.Flags().BoolVar(&opts.Force, "force", false, "with -o: replace files that exist")
	return c
}

// AuditSchema names the shape of `audit --json`; it changes only with an
// incompatible change (fields are only ever added).
const AuditSchema = "mailsetup-audit/1"

// auditAddress turns DOMAIN or EMAIL into the address the lookups use.
func auditAddress(target string) (account.Address, error) {
	if !strings.Contains(target, "@") {
		target = "postmaster@" + target
	}
	a, err := account.ParseAddress(target)
	if err != nil {
		return a, &FlagError{Err: err}
	}
	return a, nil
}

func auditRun(ctx context.Context, opts *AuditOptions) error {
	cat := catalogOf(opts.Catalog)
	addr, err := auditAddress(opts.Target)
	if err != nil {
		return err
	}
	given, err := opts.Servers.servers()
	if err != nil {
		return err
	}
	o, err := opts.Discovery.options(opts.Net, opts.CAFile)
	if err != nil {
		return err
	}
	// Thunderbird asks plain-HTTP autoconfig too (never with the address).
	o.AllowHTTP = true
	ctx, cancel := context.WithTimeout(ctx, opts.Net.Timeout)
	defer cancel()
	if err := autoconfig.CheckDomain(ctx, addr, o); err != nil {
		var de *autoconfig.DomainError
		if errors.As(err, &de) {
			return domainExit(de, err)
		}
		return err
	}
	rep, err := audit.Run(ctx, addr, audit.Options{Discovery: o})
	if err != nil {
		return err
	}
	if cerr := ctx.Err(); errors.Is(cerr, context.Canceled) {
		return cerr
	}
	rep.Localize(cat)
	records, err := auditRecords(rep, addr, given)
	if err != nil {
		return err
	}
	if records != nil && opts.OutDir != "" {
		if err := records.WriteDir(opts.OutDir, opts.Force); err != nil {
			return forceAdvice(err)
		}
	}
	var exit error
	switch rep.Status {
	case audit.StatusNothing:
		exit = WithExitCode(i18n.Error("audit.status.nothing"), ExitNotFound)
	case audit.StatusBroken:
		exit = WithExitCode(i18n.Error("audit.status.broken"), ExitServer)
	}
	if opts.JSON {
		if jerr := writeJSON(opts.IO.Out, struct {
			Schema string `json:"schema"`
			*audit.Report
		}{AuditSchema, rep}); jerr != nil {
			return jerr
		}
		return exit
	}
	w := humanOut(opts.IO)
	printAudit(w, opts.IO.ColorScheme(), cat, rep)
	if records != nil {
		fmt.Fprintf(w, "\n%s\n\n", opts.IO.ColorScheme().Bold(cat.T("audit.publish.title", termtext.Safe(rep.Publish.Settings.String()))))
		fmt.Fprint(w, records.Text(cat))
	}
	w.Flush()
	return exit
}

// auditRecords returns the records to publish, and puts them in the
// report: for the servers given on the command line (a role not given
// keeps the majority answer's server), else for the majority answer;
// nil when there are no settings to publish.
func auditRecords(rep *audit.Report, addr account.Address, given []account.Server) (*audit.Records, error) {
	s, ok := rep.Confirmed()
	var in, out bool
	for _, g := range given {
		if g.Username == "" {
			g.Username = account.PlaceholderAddress
		}
		g = audit.WithPlaceholders(g, addr)
		if g.Protocol == account.SMTP {
			s.Outgoing, out = g, true
		} else {
			s.Incoming, in = g, true
		}
	}
	if !ok && !(in && out) {
		if len(given) > 0 {
			return nil, usageErrorM("err.audit.servers")
		}
		return nil, nil
	}
	a := account.Account{Incoming: s.Incoming, Outgoing: s.Outgoing}
	if s.Incoming.Protocol == account.POP3 {
		a.POP3 = &account.POP3Options{LeaveOnServer: true}
	}
	rec, err := audit.Publish(addr.Domain(), a)
	if err != nil {
		return nil, &FlagError{Err: err}
	}
	rep.Publish = rec.View(s)
	return rec, nil
}

// printAudit writes the report for people: the clients × settings table,
// each source's answer, and the findings with their fixes.
func printAudit(w io.Writer, cs *iostreams.ColorScheme, cat *i18n.Catalog, rep *audit.Report) {
	fmt.Fprintln(w, cs.Bold(cat.T("audit.title", termtext.Safe(rep.Domain))))
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", cat.T("audit.col.client"), cat.T("audit.col.incoming"), cat.T("audit.col.outgoing"), cat.T("audit.col.from"), cat.T("audit.col.live"))
	for _, p := range rep.Clients {
		name := cat.T("audit.client." + string(p.Client))
		if p.Settings == nil {
			fmt.Fprintf(tw, "  %s\t%s\t\t\t\n", name, cat.T("audit.nothing"))
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", name, termtext.Safe(serverCell(p.Settings.Incoming)), termtext.Safe(serverCell(p.Settings.Outgoing)),
			autoconfig.SourceName(cat, p.Source), cat.T("audit.live."+string(p.Live)))
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%s\n", cat.T("audit.sources"))
	for _, s := range rep.Sources {
		name := autoconfig.SourceName(cat, s.Source)
		switch {
		case !s.Tried:
			fmt.Fprintf(w, "  %s\n", cat.T("audit.source.skipped", name))
		case len(s.Settings) == 0:
			fmt.Fprintf(w, "  %s\n", cat.T("audit.source.none", name))
		default:
			for _, st := range s.Settings {
				fmt.Fprintf(w, "  %s\n", cat.T("audit.source.found", name,
					termtext.Safe(serverCell(st.Incoming)+" + "+serverCell(st.Outgoing))+" ("+cat.T("audit.live."+string(st.Live))+")"))
			}
		}
		if !slices.Contains(auditShownTrails, s.Source) {
			continue
		}
		for _, t := range s.Trail {
			fmt.Fprintf(w, "      %s  %s  %s\n", outcomeName(cat, t.Outcome), termtext.Safe(t.Target), termtext.Safe(t.Detail))
		}
	}
	fmt.Fprintf(w, "\n%s\n", cat.T("audit.findings"))
	if len(rep.Findings) == 0 {
		fmt.Fprintf(w, "  %s\n", cat.T("audit.no-findings"))
	}
	for _, f := range rep.Findings {
		fmt.Fprintf(w, "  [%s] %s: %s\n", cat.T("audit.severity."+string(f.Severity)), f.Code, termtext.Safe(f.Message))
		fmt.Fprintf(w, "      %s\n", cat.T("audit.fix", termtext.Safe(f.Fix)))
	}
	fmt.Fprintf(w, "\n%s\n", cs.Bold(cat.T("audit.status."+string(rep.Status))))
}

// auditShownTrails are the sources whose every lookup (URL or DNS name,
// status) the human report lists under the source: the ones a domain
// publishes itself.
var auditShownTrails = []account.Source{account.SourceAutoconfig, account.SourceSRV, account.SourceAutodiscover}

// serverCell is a server as the table shows it: protocol, host:port and
// encryption.
func serverCell(s account.Server) string {
	return fmt.Sprintf("%s %s:%d %s", s.Protocol, s.Host, s.Port, s.Security)
}
