package cmd

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/prompt"
	"github.com/mailsetup/mailsetup/probe"
	"github.com/mailsetup/mailsetup/templates"
	"github.com/mailsetup/mailsetup/wizard"
)

// SetupOptions are the inputs of `mailsetup setup`.
type SetupOptions struct {
	IO  *iostreams.IOStreams
	Net netDeps
	// Advice is what the live check's fixes may point to (setupAdvice).
	Advice probe.Advice
	// JSON and Quiet are the global --json and --quiet.
	JSON  bool
	Quiet bool
	// Catalog returns the messages in the run's language.
	Catalog func() *i18n.Catalog
	// Getenv reads MAILSETUP_PASSWORD.
	Getenv func(string) string

	Email           string
	Name            string
	Incoming        string
	Servers         serverFlags
	Password        passwordFlags
	Export          []string
	Output          string
	IncludePassword bool
	Force           bool
	Yes             bool
	Discovery       discoveryFlags
	CAFile          string
	// NameProvided and ExportProvided say whether --name and --export
	// were given (an empty --name or --export none is an answer too).
	NameProvided   bool
	ExportProvided bool
}

// NewCmdSetup returns `mailsetup setup`, the guided setup.
func NewCmdSetup(f *Factory, runF func(*SetupOptions) error) *cobra.Command {
	opts := &SetupOptions{IO: f.IOStreams, Catalog: f.Catalog, Getenv: f.getenv()}
	c := &cobra.Command{
		Use:   "setup [EMAIL]",
		Short: "Set up an e-mail account step by step (the guided setup)",
		Long: `Walk through setting up an e-mail account: the address, the discovered settings
and where they came from, IMAP or POP3 with a recommendation, the servers, an
optional password to test the login, a live check, and the files for each device.
Type ? at any question for an explanation. Ctrl-C stops without writing files.

Every question has a flag, so the same setup runs from a script: flags answer
their questions, --yes accepts discovered and default answers, and when stdin or
stdout is not a terminal (or MAILSETUP_NO_PROMPT is set) a missing answer stops
at once with exit code 2, naming the flag to pass. Running mailsetup without
arguments in a terminal starts this setup.

Exit codes: 0 done, 2 a missing or bad answer, 3 nothing found or no such
domain, 4 the servers failed the check (also servers discovery found, in a
script) or the DNS failed, 5 the login was rejected, 130 cancelled.`,
		Example: `  mailsetup setup
  mailsetup setup jane@example.com
  mailsetup setup --email jane@example.com --name "Jane Doe" --incoming imap --export apple,sheet -o out --yes
  printf '%s\n' "$PW" | mailsetup setup jane@example.com --password-stdin --yes --json`,
		Args: argsRange(0, 1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				if opts.Email != "" && opts.Email != args[0] {
					return usageErrorM("err.address-once")
				}
				opts.Email = args[0]
			}
			opts.NameProvided = c.Flags().Changed("name")
			opts.ExportProvided = c.Flags().Changed("export")
			opts.Net, opts.JSON, opts.Quiet = f.netDeps(), f.Global.JSON, f.Global.Quiet
			opts.Advice = setupAdvice(c)
			if runF != nil {
				return runF(opts)
			}
			return setupRun(c.Context(), opts)
		},
	}
	fs := c.Flags()
	fs.StringVar(&opts.Email, "email", "", "the e-mail address")
	fs.StringVar(&opts.Name, "name", "", "the name shown to recipients")
	fs.StringVar(&opts.Incoming, "incoming", "", "incoming protocol: imap or pop3")
	opts.Servers.register(fs)
	opts.Password.register(fs)
	fs.StringSliceVar(&opts.Export, "export", nil, "files to write: "+strings.Join(wizard.ExportTargets, ",")+", json, or none")
	fs.StringVarP(&opts.Output, "output", "o", "", "output `DIR` (default ./mailsetup-<address>)")
	fs.BoolVar(&opts.IncludePassword, "include-password", false, "put the password into the files that can carry one")
	fs.BoolVar(&opts.Force, "force", false, "replace existing files")
	fs.BoolVar(&opts.Yes, "yes", false, "accept discovered settings and default answers")
	opts.Discovery.register(fs)
	fs.StringVar(&opts.CAFile, "ca-file", "", "also trust the CA certificates in PEM `FILE`")
	return c
}

// SetupSchema names the shape of `setup --json`; it changes only with an
// incompatible change (fields are only ever added).
const SetupSchema = "mailsetup-setup/1"

func setupRun(ctx context.Context, opts *SetupOptions) error {
	ios, n := opts.IO, opts.Net
	cat := opts.Catalog()
	ans, err := opts.answers()
	if err != nil {
		return err
	}
	if opts.Password.Stdin && ios.CanPrompt() {
		return usageErrorM("err.password-stdin-terminal")
	}
	// Here only the scripted sources: no reader, so no prompt (the wizard
	// asks for the password itself).
	if ans.Password, err = opts.Password.read(cat, ios, opts.Getenv, nil, ""); err != nil {
		return err
	}
	dopts, err := opts.Discovery.options(n, opts.CAFile)
	if err != nil {
		return err
	}
	// Discovery checks the servers live (unless --no-verify), which also
	// switches servers listed without encryption to STARTTLS when they
	// offer it; the wizard verifies the chosen settings again, with the
	// login.
	roots := dopts.RootCAs
	deps := wizard.Deps{
		Out:     ios.Out,
		Colors:  ios.ColorScheme(),
		Catalog: cat,
		CheckDomain: func(ctx context.Context, addr account.Address) error {
			ctx, cancel := context.WithTimeout(ctx, n.Timeout)
			defer cancel()
			return autoconfig.CheckDomain(ctx, addr, dopts)
		},
		Discover: func(ctx context.Context, addr account.Address) (*autoconfig.Result, error) {
			ctx, cancel := context.WithTimeout(ctx, n.Timeout)
			defer cancel()
			return autoconfig.Discover(ctx, addr, dopts)
		},
		Verify: func(ctx context.Context, a account.Account, password string) *probe.Report {
			ctx, cancel := context.WithTimeout(ctx, n.Timeout)
			defer cancel()
			popts := probe.Options{Dialer: n.Dialer(), Resolver: dopts.Resolver, RootCAs: roots, Trace: n.Tracer(), Catalog: cat, Advice: opts.Advice}
			targets := []probe.Target{{Server: a.Incoming, Password: password}, {Server: a.Outgoing, Password: password}}
			return probe.Run(ctx, popts, "", targets)
		},
		Export: func(ctx context.Context, a account.Account, formats []string, dir, password, checkFailed string) ([]wizard.ExportedFile, []templates.Warning, error) {
			return exportForWizard(ctx, a, formats, dir, password, checkFailed, opts.Force, cat.Lang())
		},
	}
	if opts.Discovery.Offline {
		deps.Verify = nil
	}
	if ios.CanPrompt() {
		p, err := prompt.New(ios.In, ios.ErrOut, ios.ErrOut)
		if err == nil {
			prompt.Localize(cat.Lang()) // survey's own hints
			if cat.Lang() != i18n.EN {
				p.YesNo = [2]string{cat.T("wizard.o.yes"), cat.T("wizard.o.no")}
			}
			if ios.IsStderrTTY() {
				p.Width = ios.TerminalWidth()
			}
			deps.Prompter = p
		}
	}
	if ios.IsStderrTTY() && !opts.Quiet {
		deps.Spinner = &prompt.Spinner{W: ios.ErrOut}
	}
	if ios.IsStdoutTTY() {
		deps.Width = ios.TerminalWidth()
	}
	if opts.JSON {
		// Keep stdout for the JSON result; wizard messages go to stderr
		// (none with --quiet), without colour.
		deps.Out, deps.Colors, deps.Width = ios.ErrOut, nil, 0
		if ios.IsStderrTTY() {
			deps.Width = ios.TerminalWidth()
		}
		if opts.Quiet {
			deps.Out = io.Discard
		}
	}
	res, err := wizard.Run(ctx, deps, ans)
	if err != nil {
		return setupError(cat, err)
	}
	if opts.JSON {
		if res.Files == nil {
			res.Files = []wizard.ExportedFile{}
		}
		return writeJSON(ios.Out, struct {
			Schema string `json:"schema"`
			*wizard.Result
		}{SetupSchema, res})
	}
	return nil
}

// answers turns the flags into the wizard's known answers, validating each
// with the same rules the questions use.
func (opts *SetupOptions) answers() (wizard.Answers, error) {
	ans := wizard.Answers{
		Email: opts.Email, Name: opts.Name, NameSet: opts.NameProvided,
		User: opts.Servers.User, OutputDir: opts.Output, IncludePassword: opts.IncludePassword,
		Yes: opts.Yes, NoVerify: opts.Discovery.NoVerify || opts.Discovery.Offline,
	}
	if opts.Incoming != "" {
		p, err := account.ParseProtocol(opts.Incoming)
		if err != nil || !p.Incoming() {
			return ans, usageErrorM("err.incoming")
		}
		ans.Incoming = p
	}
	servers, err := opts.Servers.servers()
	if err != nil {
		return ans, err
	}
	for _, s := range servers {
		switch {
		case s.Protocol == account.SMTP:
			ans.OutgoingServer = s
		case ans.IncomingServer.Host != "":
			return ans, usageErrorM("err.imap-or-pop3")
		default:
			ans.IncomingServer = s
		}
	}
	if ans.Incoming != account.ProtocolUnset && ans.IncomingServer.Host != "" && ans.Incoming != ans.IncomingServer.Protocol {
		return ans, usageErrorM("err.incoming-contradicts", ans.Incoming, ans.IncomingServer.Protocol)
	}
	if opts.ExportProvided {
		ans.ExportSet = true
		for _, e := range opts.Export {
			e = strings.ToLower(strings.TrimSpace(e))
			switch {
			case e == "none" || e == "":
			case e == "all": // every device; the administrator's files only by name
				ans.Export = append(ans.Export, wizard.DefaultExportTargets...)
			case e == "json" || slices.Contains(wizard.ExportTargets, e):
				ans.Export = append(ans.Export, e)
			default:
				return ans, usageErrorM("err.export-target", e, strings.Join(wizard.ExportTargets, ", "))
			}
		}
	}
	return ans, nil
}

// answerFlags are the ways to give each of the wizard's answers on the
// command line, the flag first: the wizard names answers, cmd its flags.
var answerFlags = map[wizard.Answer][]string{
	wizard.AnswerEmail:     {"--email", "setup.email-arg"}, // a catalogue key: not a flag
	wizard.AnswerIncoming:  {"--incoming imap|pop3"},
	wizard.AnswerServers:   {"--imap/--pop3 and --smtp"},
	wizard.AnswerExport:    {"--export"},
	wizard.AnswerOutputDir: {"-o DIR"},
	wizard.AnswerYes:       {"--yes"},
}

// answerWords are catalogue keys that say how to give an answer in
// words where its flags alone would mislead: the servers need both an
// incoming server and --smtp.
var answerWords = map[wizard.Answer]string{
	wizard.AnswerServers: "setup.servers-flags",
}

// flagsFor lists the flags that give any of answers, joined with "or",
// in cat's language.
func flagsFor(cat *i18n.Catalog, answers []wizard.Answer) string {
	var flags []string
	for _, a := range answers {
		if k, ok := answerWords[a]; ok {
			flags = append(flags, cat.T(k))
			continue
		}
		for _, f := range answerFlags[a] {
			if !strings.HasPrefix(f, "-") {
				f = cat.T(f)
			}
			flags = append(flags, f)
		}
	}
	return strings.Join(flags, cat.T("setup.or"))
}

// rewordedError is an error with a message of cmd's own (naming flags);
// it unwraps to the error it rewords.
type rewordedError struct {
	msg string
	err error
}

func (e *rewordedError) Error() string { return e.msg }
func (e *rewordedError) Unwrap() error { return e.err }

// setupError maps wizard errors to exit codes, and the answers a missing
// or bad answer names to the flags that give them (worded in cat's
// language).
func setupError(cat *i18n.Catalog, err error) error {
	var me *wizard.MissingError
	var ie *wizard.InputError
	var ve *wizard.VerifyError
	var be *wizard.FoundBrokenError
	var de *autoconfig.DomainError
	switch {
	case errors.As(err, &de):
		return domainExit(de, err)
	case errors.As(err, &be):
		return WithExitCode(&rewordedError{cat.T("setup.broken", be.Email, flagsFor(cat, []wizard.Answer{wizard.AnswerServers})), err}, ExitServer)
	case errors.As(err, &me):
		return &FlagError{Err: &rewordedError{cat.T("setup.cannot-ask", me.Question, flagsFor(cat, me.Answers)), err}}
	case errors.As(err, &ie):
		flag := string(ie.Answer)
		if f := answerFlags[ie.Answer]; len(f) > 0 {
			flag = f[0]
		}
		return &FlagError{Err: &rewordedError{flag + ": " + errorText(cat, nameAdvice(ie.Err)), err}}
	case errors.As(err, &ve):
		if ve.Report.AuthFailed() {
			return WithExitCode(err, ExitAuth)
		}
		return WithExitCode(err, ExitServer)
	case errors.Is(err, wizard.ErrQuit):
		// Quit is a cancellation, as Ctrl-C is.
		return WithExitCode(err, ExitCancelled)
	}
	return err
}

// exportForWizard renders the formats and writes them into dir, made
// absolute so that the end screen and the JSON name every file wherever
// it is read from. The administrator's files (templates.File.Admin) are
// written only for wizard.AdminTarget. If ctx is cancelled while writing,
// the files written so far are removed, so an interrupted setup leaves no
// partial set behind.
func exportForWizard(ctx context.Context, a account.Account, formats []string, dir, password, checkFailed string, force bool, lang i18n.Lang) ([]wizard.ExportedFile, []templates.Warning, error) {
	topts := templates.Options{Password: password, IncludePassword: password != "", Lang: lang, CheckFailed: checkFailed}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	admin := slices.Contains(formats, wizard.AdminTarget)
	var files []templates.File
	var warnings []templates.Warning
	var fileFormats []string // the format each file is listed under
	var skipped i18n.Errors
	for _, format := range formats {
		if format == wizard.AdminTarget {
			continue
		}
		fs, ws, err := templates.RenderWarn(format, a, topts)
		if w, ok := templates.Skipped(err, lang); ok {
			// The format cannot use any of the servers' sign-in methods:
			// left out with a warning, as export does.
			skipped = append(skipped, err)
			warnings = append(warnings, w)
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		for _, fl := range fs {
			if !fl.Admin {
				files, fileFormats = append(files, fl), append(fileFormats, format)
			}
		}
		warnings = append(warnings, ws...)
	}
	if admin {
		for _, format := range []string{"thunderbird", "outlook"} {
			fs, err := templates.Render(format, a, topts)
			if w, ok := templates.Skipped(err, lang); ok {
				warnings = append(warnings, w)
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			for _, fl := range fs {
				if fl.Admin {
					files, fileFormats = append(files, fl), append(fileFormats, wizard.AdminTarget)
				}
			}
		}
	}
	if len(files) == 0 && len(skipped) > 0 {
		return nil, nil, skipped
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	paths, err := writeFiles(dir, files, force)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		for _, p := range paths {
			os.Remove(p)
		}
		return nil, nil, err
	}
	out := make([]wizard.ExportedFile, len(files))
	for i, fl := range files {
		out[i] = wizard.ExportedFile{Path: paths[i], Format: fileFormats[i], HasPassword: fl.HasPassword, Use: fl.Use}
	}
	return out, warnings, nil
}
