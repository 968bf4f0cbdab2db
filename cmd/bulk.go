package cmd

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/bulk"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/termtext"
	"github.com/mailsetup/mailsetup/probe"
)

// BulkOptions are the inputs of `mailsetup bulk`.
type BulkOptions struct {
	IO  *iostreams.IOStreams
	Net netDeps
	// Advice is what the probes' fixes may point to (probeAdvice).
	Advice probe.Advice
	// JSON is the global --json.
	JSON bool
	// Getenv reads GOGC and GOMEMLIMIT (see tuneGCForBulk).
	Getenv func(string) string
	// Catalog returns the messages in the run's language (--lang): the
	// summary, the progress bar, the row error lines and the warnings
	// follow it; codes and JSON field names do not.
	Catalog func() *i18n.Catalog

	Input           string
	InputFormat     string
	Formats         []string
	Output          string
	Force           bool
	IncludePassword bool
	Jobs            int
	Probe           bool
	Login           bool
	LoginRate       float64
	Report          string
	Yes             bool
	Discovery       discoveryFlags
	CAFile          string
	LeaveOnServer   bool
	DaysOnServer    int
	// LeaveOnServerProvided and DaysOnServerProvided say whether
	// --leave-on-server and --days-on-server were given: only then do
	// they replace what discovery says about POP3.
	LeaveOnServerProvided bool
	DaysOnServerProvided  bool
	// Templates are the Apple and Outlook options shared with export.
	Templates templateFlags
}

// NewCmdBulk returns `mailsetup bulk`.
func NewCmdBulk(f *Factory, runF func(*BulkOptions) error) *cobra.Command {
	opts := &BulkOptions{IO: f.IOStreams, Getenv: f.getenv(), Catalog: f.Catalog}
	c := &cobra.Command{
		Use:   "bulk FILE|- --format FORMATS [-o DIR]",
		Short: "Set up many accounts from a CSV or JSON Lines file",
		Long: `Generate (and optionally verify) settings files for many accounts in one run.

The input is CSV with a header row, or JSON Lines (one object per line); the
format is guessed from the file extension (or the first byte on stdin) unless
--input-format is given. Columns (or fields):

  email          the address (required)
  name           the person's display name
  username       the login name, when it is not the address
  password       used only with --include-password (exports) and --login (test)
  incoming       imap or pop3, to choose between discovered settings
  imap, pop3, smtp                             server host[:port], as the export flags
  imap_security, pop3_security, smtp_security  tls, starttls or none

Unknown columns are an error. A bad row is reported with its line and column and
never stops the batch. Rows that give an incoming server and smtp are used as
they are; for the others, settings are discovered once per domain (discover's
flags apply; discovered settings that need confirmation are refused unless
--yes). --timeout applies to each discovery, probe and login.

Files go to DIR/<address>/ in the chosen formats; each domain gets one
DIR/_domains/<domain>/config-v1.1.xml (the placeholder version an admin can host
at autoconfig.<domain>) instead of a copy in every folder. A row's folder appears
complete or not at all; on Linux the run syncs the disk every 2 seconds and at the
end rather than after every file. The output folder is locked during a run. Rows
whose files exist are skipped unless --force, so re-running an interrupted or
crashed run resumes it (empty or missing files are written again). An address
with characters other than a-z, 0-9 and ._+- before the @ (upper case included)
gets "=" and a short hash in its folder name, so no two addresses share one.
Symbolic links in the output folder are never followed: the row fails.

A CSV record or JSON Lines line over 1 MiB is a row error and the run goes on.
Ctrl-C or SIGTERM stops the run at once, even while it waits for input (exit 130).

--probe checks each distinct server once (no login). --login tests each row's
password once on its incoming server, never more than --login-rate logins per
second per server. Passwords go into the files only with --include-password, in
files of mode 0600; they never appear in the report or the output.

A progress bar is shown on stderr when it is a terminal. The end shows a summary;
--report FILE writes the JSON report (every row's status, files, warnings and
errors with codes), --json writes it to stdout.

Exit codes: 0 every row succeeded (or was skipped), 1 a row failed (the report
says which), 2 bad flags or an unreadable input.`,
		Example: `  mailsetup bulk staff.csv --format apple,sheet -o ./profiles --report report.json
  mailsetup bulk staff.jsonl --format all --sign-cert c.pem --sign-key k.pem --org-id com.example -o out
  mailsetup bulk staff.csv --format apple --include-password --login --login-rate 2 -o out
  generate-users | mailsetup bulk - --input-format jsonl --format json --json -o out`,
		Args: argsRange(1, 1),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Input = args[0]
			opts.LeaveOnServerProvided = c.Flags().Changed("leave-on-server")
			opts.DaysOnServerProvided = c.Flags().Changed("days-on-server")
			opts.Net, opts.JSON = f.netDeps(), f.Global.JSON
			opts.Advice = probeAdvice(c)
			if runF != nil {
				return runF(opts)
			}
			return bulkRun(c.Context(), opts)
		},
	}
	fs := c.Flags()
	fs.StringVar(&opts.InputFormat, "input-format", "", "input format: csv or jsonl (default: from the file extension)")
	fs.StringSliceVarP(&opts.Formats, "format", "f", nil, "formats to write: apple, thunderbird, outlook, android, sheet, json, or all")
	fs.StringVarP(&opts.Output, "output", "o", "mailsetup-bulk", "output `DIR`")
	fs.BoolVar(&opts.Force, "force", false, "replace existing files (without it, rows whose files exist are skipped)")
	fs.BoolVar(&opts.IncludePassword, "include-password", false, "put each row's password into the formats that can carry one (mobileconfig, .k9s, QR code)")
	fs.IntVar(&opts.Jobs, "jobs", 0, "rows processed at once (default: the number of CPUs)")
	fs.BoolVar(&opts.Probe, "probe", false, "check each distinct server live once (no login)")
	fs.BoolVar(&opts.Login, "login", false, "test each row's password once on its incoming server")
	fs.Float64Var(&opts.LoginRate, "login-rate", 1, "most logins per second per server with --login")
	fs.StringVar(&opts.Report, "report", "", "write the JSON report to `FILE`")
	fs.BoolVar(&opts.Yes, "yes", false, "accept discovered settings that need confirmation (they come from another domain or over HTTP, or use no encryption)")
	opts.Discovery.register(fs)
	fs.StringVar(&opts.CAFile, "ca-file", "", "also trust the CA certificates in PEM `FILE`")
	fs.BoolVar(&opts.LeaveOnServer, "leave-on-server", true, "POP3: keep downloaded mail on the server")
	fs.IntVar(&opts.DaysOnServer, "days-on-server", 0, "POP3: delete mail from the server this many `DAYS` after download (0: keep; at most 3650)")
	opts.Templates.register(fs)
	return c
}

// bulkRun checks the flags, opens the input, runs the rows through the
// bulk engine, writes the report safely and prints the summary.
func bulkRun(ctx context.Context, opts *BulkOptions) error {
	cfg, format, err := opts.config()
	if err != nil {
		return err
	}
	in, err := openBulkInput(ctx, opts.IO, opts.catalog(), opts.Input, format)
	if err != nil {
		return err
	}
	defer in.close()
	cfg.Input = in.name
	report, err := newBulkReport(opts, in.name, cfg.Formats)
	if err != nil {
		return err
	}
	defer report.discard()

	out, runErr := runBulkRows(ctx, opts, cfg, in, report)
	if err := report.commit(out); err != nil {
		return i18n.Error("err.bulk-report", err)
	}
	printBulkEnd(opts, in, out)
	return bulkError(opts.catalog(), in.name, out.Summary, runErr)
}

// printBulkEnd prints the end of a run: the warning about files holding
// passwords on stderr and, without --json, the summary on stdout.
func printBulkEnd(opts *BulkOptions, in *bulkInput, out *bulk.Outcome) {
	s := out.Summary
	if opts.IncludePassword && in.sawPassword && s.OK+s.Warnings > 0 {
		fmt.Fprintln(opts.IO.ErrOut, opts.catalog().T("bulk.password-files"))
	}
	if !opts.JSON {
		printBulkSummary(opts.IO.Out, opts.IO.ColorScheme(), opts, s, out.Domains)
	}
}

// bulkError is the run's error with its exit code: a broken input is a
// usage error, failed rows exit with ExitError.
func bulkError(cat *i18n.Catalog, input string, s bulk.Summary, runErr error) error {
	var inErr *bulk.InputError
	switch {
	case errors.As(runErr, &inErr):
		return WithExitCode(&renderedError{text: cat.T("input.stopped", input, cat.ErrorText(runErr), cat.T("bulk.rows-before")), err: runErr}, ExitUsage)
	case runErr != nil:
		return runErr
	case s.Failed > 0:
		return WithExitCode(errors.New(cat.T("bulk.failed", s.Failed, s.Rows)), ExitError)
	}
	return nil
}

// config checks the flags and turns them into the engine's configuration
// (without the input's name and the OnRow callback, which bulkRun and
// runBulkRows add) and the input format ("" when --input-format is not given).
func (opts *BulkOptions) config() (cfg bulk.Config, format bulk.Format, err error) {
	formats, err := selectedFormats(opts.Formats)
	if err != nil {
		return cfg, "", err
	}
	topts, err := opts.Templates.options(false) // the engine adds each row's password
	if err != nil {
		return cfg, "", err
	}
	topts.Lang = opts.catalog().Lang()
	switch {
	case opts.Output == "" || opts.Output == "-":
		return cfg, "", usageErrorM("err.bulk-output")
	case opts.Jobs < 0:
		return cfg, "", usageErrorM("err.bulk-jobs")
	case opts.LoginRate <= 0:
		return cfg, "", usageErrorM("err.bulk-login-rate")
	case opts.DaysOnServer < 0 || opts.DaysOnServer > account.MaxDaysOnServer:
		return cfg, "", usageErrorM("err.bulk-days", account.MaxDaysOnServer)
	case opts.Discovery.Offline && (opts.Probe || opts.Login):
		return cfg, "", usageErrorM("err.bulk-offline")
	}
	if opts.InputFormat != "" {
		if format, err = bulk.ParseFormat(opts.InputFormat); err != nil {
			return cfg, "", usageErrorM("err.bulk-input-format", err)
		}
	}
	dopts, err := opts.Discovery.options(opts.Net, opts.CAFile)
	if err != nil {
		return cfg, "", err
	}
	var pop3 *account.POP3Options // applied by autoconfig.Result.Choose
	if opts.LeaveOnServerProvided || opts.DaysOnServerProvided {
		pop3 = &account.POP3Options{LeaveOnServer: opts.LeaveOnServer, DaysOnServer: opts.DaysOnServer}
	}
	timeout := opts.Net.Timeout
	cfg = bulk.Config{
		Formats:         formats,
		Templates:       topts,
		IncludePassword: opts.IncludePassword,
		Dir:             opts.Output,
		Force:           opts.Force,
		Jobs:            opts.Jobs,
		Yes:             opts.Yes,
		POP3:            pop3,
		Timeout:         timeout,
		Discover: func(ctx context.Context, addr account.Address, all bool) (*autoconfig.Result, error) {
			o := dopts
			o.NoVerify = o.NoVerify || all
			o.GuessDelay = bulkGuessDelayFor(timeout)
			res, err := autoconfig.Discover(ctx, addr, o)
			if errors.Is(err, autoconfig.ErrNothingFound) && !errors.Is(err, autoconfig.ErrFoundBroken) && !all {
				// Nothing found: a domain that does not exist (or, offline,
				// one close to a provider's) is said so with the "did you
				// mean" suggestion, as setup says it; this costs the lookups
				// only for domains that found nothing, once per domain.
				var de *autoconfig.DomainError
				if cerr := autoconfig.CheckDomain(ctx, addr, dopts); errors.As(cerr, &de) {
					return res, de
				}
			}
			return res, err
		},
		Verify:       !opts.Discovery.NoVerify && !opts.Discovery.Offline,
		Probe:        opts.Probe,
		Login:        opts.Login,
		LoginRate:    opts.LoginRate,
		ProbeOptions: probe.Options{Dialer: opts.Net.Dialer(), Resolver: dopts.Resolver, RootCAs: dopts.RootCAs, Trace: opts.Net.Tracer(), Advice: opts.Advice},
	}
	if cfg.Jobs == 0 {
		cfg.Jobs = runtime.NumCPU()
	}
	return cfg, format, nil
}

// bulkInput is the opened input of a bulk run.
type bulkInput struct {
	// path is the input as given (- for stdin); name is how messages
	// call it ("stdin" for -).
	path, name string
	format     bulk.Format
	rows       *bulk.Reader
	file       *os.File // nil for stdin
	// sawPassword is set when a row carries a password.
	sawPassword bool
}

// openBulkInput opens the input (path, or stdin for -) and starts reading
// it in format ("" guesses from the name, else from the first byte). The input is streamed; Ctrl-C and SIGTERM stop
// the reading at once, however it stalls (a FIFO nobody writes to, a
// quiet pipe). A row with a password warns on ios.ErrOut when the file
// is readable by other users.
func openBulkInput(ctx context.Context, ios *iostreams.IOStreams, cat *i18n.Catalog, path string, format bulk.Format) (*bulkInput, error) {
	in := &bulkInput{path: path, name: path, format: format}
	var r io.Reader = ios.In
	if path == "-" {
		in.name = "stdin"
	} else {
		fh, err := openInput(ctx, path)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, WithExitCode(inputOpenError(path, err), ExitUsage)
		}
		in.file, r = fh, fh
	}
	br := bufio.NewReaderSize(bulk.Interruptible(ctx, r), 64<<10)
	if in.format == "" {
		var ok bool
		if in.format, ok = bulk.FormatFromName(path); !ok {
			in.format = bulk.GuessFormat(path, bulk.PeekStart(br))
		}
	}
	rd, err := bulk.NewReader(br, in.format, parseServer)
	if err != nil {
		in.close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, WithExitCode(i18n.Error("input.in", in.name, err), ExitUsage)
	}
	rd.OnPassword = func() {
		in.sawPassword = true
		if path == "-" {
			return
		}
		if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
			fmt.Fprintln(ios.ErrOut, cat.T("bulk.input-readable", termtext.Safe(path), st.Mode().Perm()))
		}
	}
	in.rows = rd
	return in, nil
}

// close closes the input file, if any.
func (in *bulkInput) close() {
	if in.file != nil {
		in.file.Close()
	}
}

// runBulkRows runs the rows through the engine with the progress bar, each
// failed row's errors on stderr and each row into the report.
func runBulkRows(ctx context.Context, opts *BulkOptions, cfg bulk.Config, in *bulkInput, report *bulkReport) (*bulk.Outcome, error) {
	ios := opts.IO
	cat := opts.catalog()
	bar := newBulkProgress(ios, cat, in.path, in.format)
	var sum bulk.Summary
	cfg.OnRow = func(r *bulk.RowResult) {
		sum.Rows++
		switch r.Status {
		case bulk.StatusFailed:
			sum.Failed++
			bar.clear()
			for _, is := range r.Errors {
				fmt.Fprintf(ios.ErrOut, "%s\n", rowErrorLine(cat, in.name, r, is))
			}
		case bulk.StatusWarning:
			sum.Warnings++
		}
		bar.row(&sum)
		report.row(r)
	}
	defer tuneGCForBulk(opts.Getenv, cfg.Jobs)()
	out, err := bulk.Run(ctx, in.rows, cfg)
	bar.finish(&sum)
	return out, err
}

// bulkReport is the JSON report of a run, streamed to --report and to
// stdout with --json. --report is written into a temporary file beside
// it and renamed over it only once complete, so an interrupted run leaves
// the previous report (if any) whole. A nil *bulkReport writes nothing.
type bulkReport struct {
	w    *bulk.ReportWriter
	buf  *bufio.Writer
	tmp  *os.File // the temporary file, or nil without --report
	path string   // --report
}

// newBulkReport starts the report, or returns nil when neither --report
// nor --json asks for one.
func newBulkReport(opts *BulkOptions, input string, formats []string) (*bulkReport, error) {
	var outs []io.Writer
	r := &bulkReport{path: opts.Report}
	if opts.Report != "" {
		tmp, err := os.CreateTemp(filepath.Dir(opts.Report), "."+filepath.Base(opts.Report)+".tmp-*")
		if err != nil {
			return nil, i18n.Error("err.bulk-report", err)
		}
		r.tmp = tmp
		outs = append(outs, tmp)
	}
	if opts.JSON {
		outs = append(outs, opts.IO.Out)
	}
	if len(outs) == 0 {
		return nil, nil
	}
	r.buf = bufio.NewWriter(io.MultiWriter(outs...))
	r.w = bulk.NewReportWriter(r.buf, input, opts.Output, formats)
	return r, nil
}

// row adds one row's result.
func (r *bulkReport) row(rr *bulk.RowResult) {
	if r != nil {
		r.w.Row(rr)
	}
}

// commit ends the report with the domains and the summary, flushes it and
// moves the --report file into place.
func (r *bulkReport) commit(out *bulk.Outcome) error {
	if r == nil {
		return nil
	}
	err := r.w.Close(out.Domains, out.Summary)
	if err == nil {
		err = r.buf.Flush()
	}
	if err == nil && r.tmp != nil {
		if err = r.tmp.Close(); err == nil {
			err = os.Rename(r.tmp.Name(), r.path)
		}
	}
	return err
}

// discard removes the temporary file of a report that was not committed
// (after a commit there is nothing left to remove).
func (r *bulkReport) discard() {
	if r != nil && r.tmp != nil {
		r.tmp.Close()
		os.Remove(r.tmp.Name())
	}
}

// openInput opens the input file. Opening a FIFO waits for a writer, so
// the open runs on a goroutine of its own and gives up when ctx ends (the
// file is closed if the open finishes later).
func openInput(ctx context.Context, path string) (*os.File, error) {
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.Open(path)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		return o.f, o.err
	case <-ctx.Done():
		go func() {
			if o := <-ch; o.f != nil {
				o.f.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// rowErrorLine is a failed row's line on stderr: FILE:LINE[:COLUMN]:
// EMAIL: message [code].
func rowErrorLine(cat *i18n.Catalog, input string, r *bulk.RowResult, is bulk.Issue) string {
	pos := fmt.Sprintf("%s:%d", input, r.Line)
	if is.Column > 0 {
		pos += fmt.Sprintf(":%d", is.Column)
	}
	who := r.Email
	if who == "" {
		who = cat.T("bulk.no-address")
	}
	field := ""
	if is.Field != "" {
		field = is.Field + ": "
	}
	msg := is.Message
	if is.Code == "write.exists" {
		msg += cat.T("bulk.use-force") // the engine names no flags
	}
	// The input's text is echoed: escaped, so a row cannot drive the terminal.
	return termtext.Safe(fmt.Sprintf("%s: %s: %s%s [%s]", pos, who, field, msg, is.Code))
}

func printBulkSummary(w io.Writer, cs *iostreams.ColorScheme, opts *BulkOptions, s bulk.Summary, domains []bulk.DomainResult) {
	cat := opts.catalog()
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	d := time.Duration(s.DurationMS * float64(time.Millisecond))
	rate := 0.0
	if d > 0 {
		rate = float64(s.Rows) / d.Seconds()
	}
	failed := fmt.Sprintf("%6d", s.Failed)
	if s.Failed > 0 {
		failed = cs.Red(failed)
	}
	fmt.Fprintf(w, "%s %s\n", cs.Bold(cat.T("bulk.title")), cs.Bold(termtext.Safe(opts.Output)))
	fmt.Fprintf(tw, "  %s\t%6d\n", cat.T("bulk.s.rows"), s.Rows)
	fmt.Fprintf(tw, "  %s\t%6d\n", cat.T("bulk.s.ok"), s.OK)
	fmt.Fprintf(tw, "  %s\t%6d\n", cat.T("bulk.s.warnings"), s.Warnings)
	fmt.Fprintf(tw, "  %s\t%s\n", cat.T("bulk.s.failed"), failed)
	fmt.Fprintf(tw, "  %s\t%6d\n", cat.T("bulk.s.skipped"), s.Skipped)
	fmt.Fprintf(tw, "  %s\t%6d\n", cat.T("bulk.s.domains"), s.Domains)
	fmt.Fprintf(tw, "  %s\t%6d\n", cat.T("bulk.s.discoveries"), s.Discoveries)
	if opts.Probe || opts.Login {
		fmt.Fprintf(tw, "  %s\t%6d\n", cat.T("bulk.s.probes"), s.Probes)
		fmt.Fprintf(tw, "  %s\t%6d\n", cat.T("bulk.s.logins"), s.Logins)
	}
	fmt.Fprintf(tw, "  %s\t%6s\n", cat.T("bulk.s.time"), d.Round(time.Millisecond))
	fmt.Fprintf(tw, "  %s\t%6.0f\n", cat.T("bulk.s.rate"), rate)
	tw.Flush()
	for _, dr := range domains {
		if dr.Discovery != nil && dr.Discovery.Error != nil {
			fmt.Fprintf(w, "  %s %s: %s\n", cs.Red(cat.T("bulk.domain")), termtext.Safe(dr.Domain), termtext.Safe(dr.Discovery.Error.Message))
		}
	}
	if opts.Report != "" {
		fmt.Fprintln(w, cat.T("bulk.report", termtext.Safe(opts.Report)))
	}
}

// catalog returns the run's catalogue; English when none is set (tests
// that build the options by hand).
func (opts *BulkOptions) catalog() *i18n.Catalog {
	if opts.Catalog == nil {
		return i18n.New(i18n.EN)
	}
	return opts.Catalog()
}

// inputOpenError says why the input could not be opened: the system's
// words for anything but a missing or unreadable file.
func inputOpenError(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return i18n.WrapError(err, "input.missing", path)
	case errors.Is(err, fs.ErrPermission):
		return i18n.WrapError(err, "input.permission", path)
	}
	return i18n.Error("input.open", err)
}

// bulkProgress is the progress bar on stderr; every method is a no-op
// when stderr is not a terminal.
type bulkProgress struct {
	bar   *progressbar.ProgressBar
	cat   *i18n.Catalog
	start time.Time
}

// Garbage collection during a bulk run: rendering allocates about 150 KB
// per row and almost none of it outlives the row, so at Go's default pace
// (a collection whenever the heap has doubled) the collector takes a
// fifth of the run's CPU. A run lets the heap grow to five times what is
// live instead, under a soft limit (96 MiB plus 16 MiB per job: each job
// holds rendered rows) that keeps a 2-core run well below 200 MB; GOGC or
// GOMEMLIMIT in the environment win over both.
const (
	bulkGCPercent      = 400
	bulkMemoryBase     = 96 << 20
	bulkMemoryPerJob   = 16 << 20
	bulkMemoryMaxLimit = 1 << 30
)

// tuneGCForBulk applies the bulk run's collector settings for jobs
// workers and returns the function that restores the previous ones.
func tuneGCForBulk(getenv func(string) string, jobs int) (restore func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := debug.SetMemoryLimit(min(bulkMemoryBase+int64(jobs)*bulkMemoryPerJob, bulkMemoryMaxLimit))
	percent := debug.SetGCPercent(bulkGCPercent)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}

// bulkGuessDelay holds back guessing host names in bulk discoveries: a
// domain that publishes its settings is decided well within it, so its
// discovery opens none of the 18 guessing connections.
const bulkGuessDelay = time.Second

// bulkGuessDelayFor caps the delay at a quarter of the per-discovery
// timeout, so that guessing still has time to run.
func bulkGuessDelayFor(timeout time.Duration) time.Duration {
	return min(bulkGuessDelay, timeout/4)
}

func newBulkProgress(ios *iostreams.IOStreams, cat *i18n.Catalog, input string, format bulk.Format) *bulkProgress {
	if !ios.IsStderrTTY() {
		return &bulkProgress{}
	}
	max := int64(-1)
	if n, ok := estimateRows(input, format); ok {
		max = n
	}
	bar := progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(ios.ErrOut),
		progressbar.OptionSetDescription(cat.T("bulk.progress.rows")),
		progressbar.OptionShowCount(),
		// The rate is in the description, in the run's language: the
		// bar's own says "it/s", "/min" and "/hr".
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetSpinnerChangeInterval(0), // no render goroutine: one writer to stderr
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(ios.ErrOut) }),
	)
	return &bulkProgress{bar: bar, cat: cat, start: time.Now()}
}

// estimateRows counts the lines of a regular input file (less a CSV
// header), to size the bar; the count is corrected at the end. Anything
// else (a FIFO, a device) is not opened: it would wait or never end, and
// reading a FIFO would take the rows away from the run.
func estimateRows(input string, format bulk.Format) (int64, bool) {
	if input == "-" {
		return 0, false
	}
	if st, err := os.Stat(input); err != nil || !st.Mode().IsRegular() {
		return 0, false
	}
	fh, err := os.Open(input)
	if err != nil {
		return 0, false
	}
	defer fh.Close()
	buf := make([]byte, 64<<10)
	var n int64
	last := byte('\n')
	for {
		k, err := fh.Read(buf)
		if k > 0 {
			n += int64(bytes.Count(buf[:k], []byte{'\n'}))
			last = buf[k-1]
		}
		if err != nil {
			break
		}
	}
	if last != '\n' {
		n++
	}
	if format == bulk.CSV {
		n-- // the header
	}
	return max(n, 1), true
}

func (p *bulkProgress) describe(s *bulk.Summary) {
	desc := p.cat.T("bulk.progress", s.Rows-s.Failed-s.Warnings, s.Warnings, s.Failed)
	if rate := rowRate(p.cat, s.Rows, time.Since(p.start)); rate != "" {
		desc += "  " + rate
	}
	p.bar.Describe(desc)
}

// rowRate says how many rows a second (or a minute, when fewer) the run
// has done, in cat's language; "" before the first row.
func rowRate(cat *i18n.Catalog, rows int, elapsed time.Duration) string {
	if rows == 0 || elapsed <= 0 {
		return ""
	}
	perSecond := float64(rows) / elapsed.Seconds()
	if perSecond >= 1 {
		return cat.T("progress.rate", perSecond)
	}
	return cat.T("progress.rate-min", perSecond*60)
}

func (p *bulkProgress) row(s *bulk.Summary) {
	if p.bar == nil {
		return
	}
	p.describe(s)
	if max := p.bar.GetMax64(); max > 0 && int64(s.Rows) > max {
		p.bar.ChangeMax64(int64(s.Rows))
	}
	p.bar.Add(1)
}

func (p *bulkProgress) clear() {
	if p.bar != nil {
		p.bar.Clear()
	}
}

func (p *bulkProgress) finish(s *bulk.Summary) {
	if p.bar == nil {
		return
	}
	p.describe(s)
	if p.bar.GetMax64() > 0 {
		p.bar.ChangeMax64(int64(max(s.Rows, 1)))
	}
	p.bar.Finish()
}
