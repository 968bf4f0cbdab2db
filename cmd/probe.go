package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/termtext"
	"github.com/mailsetup/mailsetup/probe"
)

// ProbeOptions are the inputs of `mailsetup probe`.
type ProbeOptions struct {
	IO  *iostreams.IOStreams
	Net netDeps
	// JSON, Verbose and Quiet are the global --json, -v and --quiet.
	JSON    bool
	Verbose bool
	Quiet   bool
	// Getenv reads MAILSETUP_PASSWORD.
	Getenv func(string) string
	// ReadPassword reads the password prompt's answer without echo.
	ReadPassword func() ([]byte, error)
	// Catalog returns the messages in the run's language (--lang).
	Catalog func() *i18n.Catalog

	Email             string
	Discovery         discoveryFlags
	Servers           serverFlags
	Password          passwordFlags
	Domain            string
	Deep              bool
	AllowInsecureAuth bool
	CAFile            string
	Yes               bool
	// Advice is what the findings' fixes may point to (probeAdvice).
	Advice probe.Advice
}

// NewCmdProbe returns `mailsetup probe`.
func NewCmdProbe(f *Factory, runF func(*ProbeOptions) error) *cobra.Command {
	opts := &ProbeOptions{IO: f.IOStreams, Getenv: f.getenv(), ReadPassword: f.readPassword, Catalog: f.Catalog}
	c := &cobra.Command{
		Use:   "probe [EMAIL] [--imap HOST[:PORT]] [--pop3 HOST[:PORT]] [--smtp HOST[:PORT]]",
		Short: "Check IMAP, POP3 and SMTP servers live and explain what to fix",
		Long: `Check mail servers live: connect to every address, read the greeting, bring up
TLS (implicit, or STARTTLS really upgraded), check the certificate, list the
capabilities before and after TLS and, when you give a password, try one login.
All servers are checked at the same time. Every problem comes with a fix.

The password is only sent over TLS with a verified certificate, and only once per
server. For POP3 the probe quits right after logging in and never deletes mail;
for SMTP it never sends a message.

The password comes from --password-stdin, --password-file, the MAILSETUP_PASSWORD
environment variable, or a prompt when running in a terminal. Without one, the
login is not tested.

With EMAIL and no server flags, the servers come from discovery (see mailsetup
discover; its flags apply), and the login uses the discovered username unless
--user is given.

Exit codes: 0 every server is usable, 3 discovery found nothing, 4 a server or TLS
problem, 5 the login was rejected.`,
		Example: `  mailsetup probe --imap imap.example.com --smtp smtp.example.com:587 --user jane@example.com
  mailsetup probe jane@example.com
  mailsetup probe --pop3 mail.example.com:110 --domain example.com --deep
  printf '%s\n' "$PW" | mailsetup probe --imap imap.example.com --user jane --password-stdin --json`,
		Args: argsRange(0, 1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Email = args[0]
			}
			opts.Net, opts.JSON, opts.Verbose, opts.Quiet = f.netDeps(), f.Global.JSON, f.Global.Verbose, f.Global.Quiet
			opts.Advice = probeAdvice(c)
			if runF != nil {
				return runF(opts)
			}
			return probeRun(c.Context(), opts)
		},
	}
	fs := c.Flags()
	opts.Servers.register(fs)
	opts.Discovery.register(fs)
	opts.Password.register(fs)
	fs.StringVar(&opts.Domain, "domain", "", "mail domain for the DNS section (default: the domain of --user when it is an address)")
	fs.BoolVar(&opts.Deep, "deep", false, "also test legacy TLS 1.0/1.1 and STARTTLS command injection (slower)")
	fs.BoolVar(&opts.AllowInsecureAuth, "allow-insecure-auth", false, "allow the login test without verified TLS (lab servers only)")
	fs.StringVar(&opts.CAFile, "ca-file", "", "also trust the CA certificates in PEM `FILE`")
	fs.BoolVar(&opts.Yes, "yes", false, "with EMAIL: log in also to discovered servers that need confirmation")
	return c
}

// ProbeSchema names the shape of `probe --json`; it changes only with an
// incompatible change (fields are only ever added).
const ProbeSchema = "mailsetup-probe/1"

func probeRun(ctx context.Context, opts *ProbeOptions) error {
	ios := opts.IO
	cat := catalogOf(opts.Catalog)
	servers, err := opts.Servers.servers()
	if err != nil {
		return err
	}
	user := opts.Servers.User
	domain := opts.Domain
	unconfirmed := "" // why discovered servers may not get the password
	if opts.Email != "" {
		addr, err := account.ParseAddress(opts.Email)
		if err != nil {
			return &FlagError{Err: err}
		}
		domain = orDefault(domain, addr.Domain())
		if len(servers) == 0 {
			d := opts.Discovery
			d.NoVerify = true // the probe below is the verification
			res, err := discover(ctx, opts.Net, opts.Email, &d, opts.CAFile)
			if err != nil {
				return err
			}
			// The settings policy picks the servers and login; the
			// password goes only to settings that need no confirmation,
			// unless --yes.
			best, choice, err := res.Choose(autoconfig.Preferences{Email: addr, User: opts.Servers.User}, true)
			if err != nil {
				return err
			}
			if choice.NeedsConfirmation {
				c := choice.Candidate.Account
				unconfirmed = cat.T("probe.report.unconfirmed",
					c.Incoming, autoconfig.SourceName(cat, c.Provenance.Source), joinAnd(cat, choice.ConfirmIn(cat)))
			}
			progress(opts.Quiet, ios.ErrOut, cat.T("probe.report.probing-found", autoconfig.SourceName(cat, best.Provenance.Source), autoconfig.TrustName(cat, best.Provenance.Trust)))
			servers = []account.Server{best.Incoming, best.Outgoing}
			user = best.Incoming.Username
		}
		user = orDefault(user, addr.String())
	}
	if len(servers) == 0 {
		return UsageErrorf("%s", cat.T("probe.report.need-server"))
	}
	roots, err := opts.Net.CertPool(opts.CAFile)
	if err != nil {
		return err
	}
	resolver, err := opts.Net.Resolver()
	if err != nil {
		return err
	}
	password, err := opts.Password.read(cat, ios, opts.Getenv, opts.ReadPassword, cat.T("probe.report.password-prompt", termtext.Safe(orDefault(user, cat.T("probe.report.the-account")))))
	if err != nil {
		return err
	}
	if password != "" && user == "" {
		return UsageErrorf("%s", cat.T("probe.report.user-needed"))
	}
	if password != "" && unconfirmed != "" && !opts.Yes {
		return UsageErrorf("%s", unconfirmed)
	}
	if domain == "" {
		if _, d, ok := strings.Cut(user, "@"); ok {
			domain = d
		}
	}
	targets := make([]probe.Target, len(servers))
	for i, s := range servers {
		targets[i] = probe.Target{Server: s, Username: orDefault(s.Username, user), Password: password}
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Net.Timeout)
	defer cancel()
	popts := probe.Options{
		Dialer:            opts.Net.Dialer(),
		Resolver:          resolver,
		RootCAs:           roots,
		Deep:              opts.Deep,
		AllowInsecureAuth: opts.AllowInsecureAuth,
		Trace:             opts.Net.Tracer(),
		Catalog:           cat,
		Advice:            opts.Advice,
	}
	if opts.Verbose {
		progress(opts.Quiet, ios.ErrOut, cat.T("probe.report.probing", len(targets)))
	}
	rep := probe.Run(ctx, popts, domain, targets)
	if err := ctx.Err(); errors.Is(err, context.Canceled) {
		return err
	}
	if opts.JSON {
		if err := writeJSON(ios.Out, struct {
			Schema string `json:"schema"`
			*probe.Report
		}{ProbeSchema, rep}); err != nil {
			return err
		}
	} else {
		w := humanOut(ios)
		printReport(w, ios.ColorScheme(), cat, rep)
		w.Flush()
	}
	switch {
	case rep.AuthFailed():
		return WithExitCode(errors.New(cat.T("probe.report.err-auth")), ExitAuth)
	case rep.Verdict == probe.VerdictFail:
		return WithExitCode(errors.New(cat.T("probe.report.err-server")), ExitServer)
	}
	return nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// catalogOf returns the run's catalogue, English when the command was
// built without one (as some tests do).
func catalogOf(f func() *i18n.Catalog) *i18n.Catalog {
	if f == nil {
		return i18n.New(i18n.EN)
	}
	return f()
}

// joinAnd joins items with the language's "and".
func joinAnd(cat *i18n.Catalog, items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return cat.T("probe.list.two", strings.Join(items[:len(items)-1], ", "), items[len(items)-1])
}

// printReport writes the human report, grouped per server, in cat's
// language. What servers and DNS sent is quoted as it is.
func printReport(w io.Writer, cs *iostreams.ColorScheme, cat *i18n.Catalog, rep *probe.Report) {
	marks := findingMarks(cs, cat)
	indent := strings.Repeat(" ", marks.width+3)
	for i, e := range rep.Endpoints {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s  %s\n", cs.Bold(termtext.Safe(e.Server.DisplayString())), verdictMark(cs, cat, e.Verdict))
		if e.Connected != "" {
			fmt.Fprintf(w, "  %s\n", cat.T("probe.report.connected", termtext.Safe(e.Connected)))
		}
		if e.Greeting != "" {
			fmt.Fprintf(w, "  %s %s\n", cat.T("probe.report.greeting"), cs.Gray(termtext.Safe(e.Greeting)))
		}
		if t := e.TLS; t != nil && t.Version != "" {
			fmt.Fprintf(w, "  TLS: %s %s (%s)\n", termtext.Safe(t.Version), termtext.Safe(t.Cipher), cat.T("probe.report.mode."+t.Mode))
		}
		if len(e.AuthAfter) > 0 {
			fmt.Fprintf(w, "  %s %s\n", cat.T("probe.report.login-methods"), termtext.Safe(strings.Join(e.AuthAfter, " ")))
		}
		for _, fd := range e.Findings {
			fmt.Fprintf(w, "  %s %s\n", marks.of(fd.Severity), termtext.Safe(fd.Message))
			if fd.Fix != "" && fd.Severity >= probe.SevWarn {
				fmt.Fprintf(w, "%s%s %s\n", indent, cat.T("probe.report.fix"), termtext.Safe(fd.Fix))
			}
		}
	}
	if d := rep.DNS; d != nil {
		fmt.Fprintf(w, "\n%s\n", cs.Bold(cat.T("probe.report.dns-for", termtext.Safe(account.DisplayHost(d.Domain)))))
		if len(d.MX) == 0 {
			fmt.Fprintf(w, "  %s%s\n", cat.T("probe.report.mx-none"), termtext.Safe(parenIf(d.MXError)))
		}
		for _, mx := range d.MX {
			fmt.Fprintf(w, "  MX %d %s\n", mx.Pref, termtext.Safe(account.DisplayHost(mx.Host)))
		}
		for _, s := range d.SRV {
			switch {
			case s.NotOffered:
				fmt.Fprintf(w, "  %s\n", cat.T("probe.report.srv-not-offered", s.Service))
			case len(s.Records) > 0:
				for _, r := range s.Records {
					fmt.Fprintf(w, "  %s\n", cat.T("probe.report.srv-record", s.Service, termtext.Safe(r.Target), r.Port, r.Priority, r.Weight))
				}
			}
		}
		in := d.Inbound
		if len(in.MTASTS)+len(in.TLSRPT)+len(in.TLSA) > 0 {
			fmt.Fprintf(w, "  %s\n", cat.T("probe.report.inbound"))
			for _, t := range in.MTASTS {
				fmt.Fprintf(w, "    MTA-STS: %s\n", termtext.Safe(t))
			}
			for _, t := range in.TLSRPT {
				fmt.Fprintf(w, "    TLS-RPT: %s\n", termtext.Safe(t))
			}
			for host, recs := range in.TLSA {
				fmt.Fprintf(w, "    %s\n", cat.T("probe.report.tlsa", termtext.Safe(host), len(recs)))
			}
		}
	}
	fmt.Fprintf(w, "\n%s %s\n", cat.T("probe.report.overall"), verdictMark(cs, cat, rep.Verdict))
}

func parenIf(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func verdictMark(cs *iostreams.ColorScheme, cat *i18n.Catalog, v probe.Verdict) string {
	switch v {
	case probe.VerdictOK:
		return cs.Green(cat.T("probe.report.verdict.ok"))
	case probe.VerdictWarn:
		return cs.Yellow(cat.T("probe.report.verdict.warn"))
	}
	return cs.Red(cat.T("probe.report.verdict.fail"))
}

// marks are the severity marks of one language, padded to one width so
// the messages line up.
type marks struct {
	cs    *iostreams.ColorScheme
	text  [4]string
	width int
}

func findingMarks(cs *iostreams.ColorScheme, cat *i18n.Catalog) marks {
	m := marks{cs: cs}
	for i, k := range []string{"ok", "info", "warn", "fail"} {
		m.text[i] = "[" + cat.T("probe.report.mark."+k) + "]"
		m.width = max(m.width, utf8.RuneCountInString(m.text[i]))
	}
	for i, t := range m.text {
		m.text[i] = t + strings.Repeat(" ", m.width-utf8.RuneCountInString(t))
	}
	return m
}

func (m marks) of(s probe.Severity) string {
	switch s {
	case probe.SevOK:
		return m.cs.Green(m.text[0])
	case probe.SevInfo:
		return m.cs.Gray(m.text[1])
	case probe.SevWarn:
		return m.cs.Yellow(m.text[2])
	}
	return m.cs.Red(m.text[3])
}
