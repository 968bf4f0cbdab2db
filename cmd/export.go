package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/fsutil"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/termtext"
	"github.com/mailsetup/mailsetup/probe"
	"github.com/mailsetup/mailsetup/templates"
)

// accountFlags build an account from the command line, a JSON file or
// discovery, for export.
type accountFlags struct {
	Servers       serverFlags
	Name          string
	From          string
	LeaveOnServer bool
	DaysOnServer  int
	Yes           bool
	Discovery     discoveryFlags
	CAFile        string
	// Whether --name, --leave-on-server and --days-on-server were given:
	// a given flag replaces what --from or discovery says. Set in RunE by
	// recordProvided.
	NameProvided          bool
	LeaveOnServerProvided bool
	DaysOnServerProvided  bool
}

func (af *accountFlags) register(fs *pflag.FlagSet) {
	af.Servers.register(fs)
	fs.StringVar(&af.Name, "name", "", "the person's display name")
	fs.StringVar(&af.From, "from", "", "read the account from a mailsetup JSON `FILE` (as written by --format json)")
	fs.BoolVar(&af.LeaveOnServer, "leave-on-server", true, "POP3: keep downloaded mail on the server")
	fs.IntVar(&af.DaysOnServer, "days-on-server", 0, "POP3: delete mail from the server this many `DAYS` after download (0: keep; at most 3650)")
	fs.BoolVar(&af.Yes, "yes", false, "accept discovered settings that need confirmation (they come from another domain or over HTTP, or use no encryption)")
	af.Discovery.register(fs)
	fs.StringVar(&af.CAFile, "ca-file", "", "also trust the CA certificates in PEM `FILE`")
}

// recordProvided records which of the flags that override --from or
// discovery were given; RunE calls it once the flags are parsed.
func (af *accountFlags) recordProvided(fs *pflag.FlagSet) {
	af.NameProvided = fs.Changed("name")
	af.LeaveOnServerProvided = fs.Changed("leave-on-server")
	af.DaysOnServerProvided = fs.Changed("days-on-server")
}

// account returns the account for email: from --from, from the server
// flags, or from discovery, in that order, with the warnings about it
// (servers without encryption, servers switched to STARTTLS). A note on
// discovered settings goes to errOut.
func (af *accountFlags) account(ctx context.Context, n netDeps, cat *i18n.Catalog, errOut io.Writer, email string) (account.Account, []templates.Warning, error) {
	a, upgraded, err := af.resolve(ctx, n, cat, errOut, email)
	return a, accountWarnings(cat, a, upgraded), err
}

// accountWarnings are the warnings about a's servers: security.none for
// each server without encryption, security.starttls-upgraded for each
// one discovery switched to STARTTLS (from upgraded, as in
// autoconfig.Candidate.Upgraded), in cat's language.
func accountWarnings(cat *i18n.Catalog, a account.Account, upgraded []string) []templates.Warning {
	var w []templates.Warning
	for _, role := range upgraded {
		s := a.Incoming
		if role == autoconfig.RoleOutgoing {
			s = a.Outgoing
		}
		w = append(w, templates.Warning{Code: "security.starttls-upgraded",
			Message: cat.T("export.starttls-upgraded", s.Address())})
	}
	for _, s := range []account.Server{a.Incoming, a.Outgoing} {
		if s.Security == account.None {
			w = append(w, templates.Warning{Code: string(probe.CodeSecurityNone), Message: cat.T("export.cleartext", s.Address())})
		}
	}
	return w
}

// resolve builds the account with autoconfig's settings policy
// (Result.Choose): the account read with --from, or the servers given as
// flags (both or none), or the best discovered candidate, with --name,
// --user and the POP3 flags applied.
func (af *accountFlags) resolve(ctx context.Context, n netDeps, cat *i18n.Catalog, errOut io.Writer, email string) (a account.Account, upgraded []string, err error) {
	p := autoconfig.Preferences{User: af.Servers.User, Name: af.Name, NameSet: af.NameProvided}
	if af.LeaveOnServerProvided || af.DaysOnServerProvided {
		p.POP3 = &account.POP3Options{LeaveOnServer: af.LeaveOnServer, DaysOnServer: af.DaysOnServer}
	}
	var res *autoconfig.Result
	discovered := false
	if af.From != "" {
		data, err := os.ReadFile(af.From)
		if err != nil {
			return a, nil, fileError("--from", af.From, err)
		}
		if err := json.Unmarshal(data, &a); err != nil {
			return a, nil, i18n.Error("err.from-json", af.From, err)
		}
		a.Provenance = account.Provenance{Source: account.SourceFile, Trust: account.Trusted, Detail: af.From}
		if email != "" {
			addr, err := account.ParseAddress(email)
			if err != nil {
				return a, nil, &FlagError{Err: nameAdvice(err)}
			}
			if addr != a.Email {
				return a, nil, usageErrorM("err.from-differs", addr, a.Email, af.From)
			}
		}
		p.Email = a.Email
		res = &autoconfig.Result{Email: a.Email.String(), Candidates: []*autoconfig.Candidate{{Account: a, Trust: account.Trusted}}}
	} else {
		if email == "" {
			return a, nil, usageErrorM("err.need-address")
		}
		if p.Email, err = account.ParseAddress(email); err != nil {
			return a, nil, &FlagError{Err: nameAdvice(err)}
		}
		servers, err := af.Servers.servers()
		if err != nil {
			return a, nil, err
		}
		if len(servers) > 0 {
			if p.IncomingServer, p.OutgoingServer, err = splitServers(servers); err != nil {
				return a, nil, err
			}
		} else {
			if res, err = discover(ctx, n, email, &af.Discovery, af.CAFile); err != nil {
				return a, nil, err
			}
			discovered = true
		}
	}
	a, choice, err := res.Choose(p, af.Yes)
	var ce *autoconfig.ConfirmError
	if errors.As(err, &ce) {
		c := ce.Choice.Candidate
		return a, nil, &FlagError{Err: errors.New(cat.T("err.needs-confirm",
			c.Account.Incoming, autoconfig.SourceName(cat, c.Account.Provenance.Source), joinAnd(cat, ce.Choice.ConfirmIn(cat))))}
	}
	if discovered {
		fmt.Fprintln(errOut, cat.T("export.using", autoconfig.SourceName(cat, a.Provenance.Source), autoconfig.TrustName(cat, a.Provenance.Trust), termtext.Safe(choice.Candidate.Account.Incoming.String()), termtext.Safe(choice.Candidate.Account.Outgoing.String())))
	}
	if err != nil {
		return a, nil, &FlagError{Err: err}
	}
	return a, choice.Upgraded, nil
}

// splitServers returns the incoming and outgoing server of the server
// flags: export needs both, or none to discover them.
func splitServers(servers []account.Server) (in, out account.Server, err error) {
	for _, s := range servers {
		switch {
		case s.Protocol == account.SMTP:
			out = s
		case in.Protocol != account.ProtocolUnset:
			return in, out, usageErrorM("err.imap-or-pop3")
		default:
			in = s
		}
	}
	if in.Protocol == account.ProtocolUnset || out.Protocol == account.ProtocolUnset {
		return in, out, usageErrorM("err.need-servers")
	}
	return in, out, nil
}

// ExportOptions are the inputs of `mailsetup export`.
type ExportOptions struct {
	IO  *iostreams.IOStreams
	Net netDeps
	// JSON is the global --json.
	JSON bool
	// Getenv reads MAILSETUP_PASSWORD.
	Getenv func(string) string
	// ReadPassword reads the password prompt's answer without echo.
	ReadPassword func() ([]byte, error)
	// Catalog returns the messages in the run's language (--lang): the
	// human output and each file's instructions follow it.
	Catalog func() *i18n.Catalog

	Email           string
	Account         accountFlags
	Formats         []string
	Output          string
	Force           bool
	IncludePassword bool
	Password        passwordFlags
	Templates       templateFlags
}

// templateFlags are the Apple and Outlook options; export and bulk share
// them.
type templateFlags struct {
	OrgID          string
	Org            string
	Consent        string
	Device         string
	SignCert       string
	SignKey        string
	SignChain      []string
	OutlookXMLPath string
	// OutlookDefaultProfile makes the .prf's profile Outlook's default.
	OutlookDefaultProfile bool
}

// NewCmdExport returns `mailsetup export`.
func NewCmdExport(f *Factory, runF func(*ExportOptions) error) *cobra.Command {
	opts := &ExportOptions{IO: f.IOStreams, Getenv: f.getenv(), ReadPassword: f.readPassword, Catalog: f.Catalog}
	c := &cobra.Command{
		Use:   "export [EMAIL] --format FORMATS [-o DIR]",
		Short: "Write ready-to-import settings files for mail clients",
		Long: `Write settings files that mail clients import, for an account given by flags,
read from a mailsetup JSON file (--from), or discovered from the address.

Formats:
  apple        .mobileconfig profile for iPhone, iPad and Mac (optionally signed)
  thunderbird  config-v1.1.xml, a domain-wide copy to host at autoconfig.<domain>, and user.js
  outlook      Autodiscover XML + .reg for classic Outlook on Windows, and a best-effort .prf
  android      .k9s for Thunderbird for Android / K-9 Mail, and the "Export for Mobile" QR code
  sheet        printable setup sheet (HTML and Markdown) with steps for every client
  json         mailsetup's own JSON, readable back with --from
  all          every format

Files are written atomically and never replace existing files unless --force is
given. Passwords are left out unless --include-password is given; files that
contain one are written with mode 0600. -o - writes a single one-file format to
stdout.`,
		Example: `  mailsetup export jane@example.com --format all -o ./jane
  mailsetup export jane@example.com --imap imap.example.com --smtp smtp.example.com:587 --format apple,sheet -o out
  mailsetup export --from account.json --format apple --org-id com.example --sign-cert c.pem --sign-key k.pem -o out
  mailsetup export jane@gmail.com --offline --format json -o -`,
		Args: argsRange(0, 1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Email = args[0]
			}
			opts.Account.recordProvided(c.Flags())
			opts.Net, opts.JSON = f.netDeps(), f.Global.JSON
			if runF != nil {
				return runF(opts)
			}
			return exportRun(c.Context(), opts)
		},
	}
	fs := c.Flags()
	opts.Account.register(fs)
	fs.StringSliceVarP(&opts.Formats, "format", "f", nil, "formats to write: apple, thunderbird, outlook, android, sheet, json, or all")
	fs.StringVarP(&opts.Output, "output", "o", "", "output `DIR` (default ./mailsetup-<address>), or - for stdout")
	fs.BoolVar(&opts.Force, "force", false, "replace existing files")
	fs.BoolVar(&opts.IncludePassword, "include-password", false, "put the password into the formats that can carry one (mobileconfig, .k9s, QR code)")
	opts.Password.register(fs)
	opts.Templates.register(fs)
	return c
}

// register adds the Apple and Outlook flags.
func (opts *templateFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&opts.OrgID, "org-id", "", "reverse-DNS prefix of Apple profile identifiers (default org.mailsetup)")
	fs.StringVar(&opts.Org, "org", "", "organisation shown in Apple profiles")
	fs.StringVar(&opts.Consent, "consent", "", "text an Apple device shows before installing the profile")
	fs.StringVar(&opts.Device, "device", "", "Apple target device: ios or mac (default: any)")
	fs.StringVar(&opts.SignCert, "sign-cert", "", "sign Apple profiles with this PEM certificate `FILE` (read once)")
	fs.StringVar(&opts.SignKey, "sign-key", "", "PEM private key `FILE` of --sign-cert")
	fs.StringSliceVar(&opts.SignChain, "sign-chain", nil, "PEM intermediate certificate `FILE`s to include")
	fs.StringVar(&opts.OutlookXMLPath, "outlook-xml-path", `C:\Users\Public\mailsetup\`, "Windows folder the Outlook .reg file points at")
	fs.BoolVar(&opts.OutlookDefaultProfile, "outlook-default-profile", false, "make the profile outlook.prf adds Outlook's default profile (DefaultProfile=Yes; by default it is only added)")
}

// selectedFormats expands --format.
func selectedFormats(list []string) ([]string, error) {
	if len(list) == 0 {
		return nil, usageErrorM("err.format-required", strings.Join(templates.Formats(), ", "))
	}
	known := templates.Formats()
	var out []string
	for _, f := range list {
		f = strings.ToLower(strings.TrimSpace(f))
		switch {
		case f == "all":
			return known, nil
		case slices.Contains(known, f):
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		default:
			return nil, usageErrorM("err.format-unknown", f, strings.Join(known, ", "))
		}
	}
	return out, nil
}

// options checks the flags and returns the template options they give,
// with the signer loaded.
func (opts *templateFlags) options(includePassword bool) (templates.Options, error) {
	o := templates.Options{OrgID: opts.OrgID, Org: opts.Org, Consent: opts.Consent, Device: templates.Device(opts.Device),
		OutlookXMLPath: opts.OutlookXMLPath, OutlookDefaultProfile: opts.OutlookDefaultProfile, IncludePassword: includePassword}
	switch opts.Device {
	case "", "ios", "mac":
	default:
		return o, usageErrorM("err.device")
	}
	if (opts.SignCert == "") != (opts.SignKey == "") {
		return o, usageErrorM("err.sign-pair")
	}
	if opts.SignCert != "" {
		s, err := templates.LoadSigner(opts.SignCert, opts.SignKey, opts.SignChain...)
		if err != nil {
			return o, i18n.Error("err.signing", err)
		}
		o.Sign = s
	}
	return o, nil
}

func exportRun(ctx context.Context, opts *ExportOptions) error {
	ios := opts.IO
	formats, err := selectedFormats(opts.Formats)
	if err != nil {
		return err
	}
	topts, err := opts.Templates.options(opts.IncludePassword)
	if err != nil {
		return err
	}
	cat := opts.catalog()
	topts.Lang = cat.Lang()
	a, warnings, err := opts.Account.account(ctx, opts.Net, cat, ios.ErrOut, opts.Email)
	if err != nil {
		return err
	}
	if opts.IncludePassword {
		pw, err := opts.Password.read(cat, ios, opts.Getenv, opts.ReadPassword, cat.T("export.password-prompt", termtext.Safe(a.Email.Display())))
		if err != nil {
			return err
		}
		if pw == "" {
			return usageErrorM("err.include-password-none", PasswordEnv)
		}
		topts.Password = pw
	} else if opts.Password.Stdin || opts.Password.File != "" {
		return usageErrorM("err.password-unused")
	}
	// A format that can use none of the servers' sign-in methods is left
	// out with a warning while the others are written; the export fails
	// only when nothing could be written.
	files, ws, err := templates.RenderEach(formats, a, topts)
	if err != nil {
		return err
	}
	warnings = append(warnings, ws...)
	for _, w := range warnings {
		kind := "export.warning"
		if w.Code == "security.starttls-upgraded" {
			kind = "export.note"
		}
		fmt.Fprintln(ios.ErrOut, cat.T(kind, termtext.Safe(w.Message)))
	}
	withPassword := slices.ContainsFunc(files, func(fl templates.File) bool { return fl.HasPassword })
	if withPassword {
		fmt.Fprintln(ios.ErrOut, cat.T("export.password-files"))
	}
	if opts.Output == "-" {
		if len(files) != 1 {
			names := make([]string, len(files))
			for i, fl := range files {
				names[i] = fl.Name
			}
			return usageErrorM("err.stdout-one-file", strings.Join(formats, ","), strings.Join(names, ", "))
		}
		_, err := ios.Out.Write(files[0].Data)
		return err
	}
	dir := opts.Output
	if dir == "" {
		dir = "mailsetup-" + a.Email.FileName()
	}
	written, err := writeFiles(dir, files, opts.Force)
	if err != nil {
		return err
	}
	if opts.JSON {
		r := exportReport(a, files, written)
		r.Warnings = warnings
		return writeJSON(ios.Out, r)
	}
	w := humanOut(ios)
	printWritten(w, cat, files, written)
	if err := w.Flush(); err != nil {
		return err
	}
	// The QR code is drawn as it is: its light modules are spaces.
	if slices.Contains(formats, "android") && ios.IsStdoutTTY() && !slices.ContainsFunc(warnings, isQRTooLong) {
		if qr, err := templates.AndroidQRTerminal(a, topts); err == nil {
			fmt.Fprintf(ios.Out, "\n%s\n%s\n", cat.T("export.scan-qr"), qr)
		}
	}
	return nil
}

// writeFiles writes every file into dir. It checks first that none exists
// (unless force) and that none is a symbolic link (never followed nor
// replaced, even with force), so a refused export leaves nothing behind.
func writeFiles(dir string, files []templates.File, force bool) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	paths := make([]string, len(files))
	for i, fl := range files {
		paths[i] = filepath.Join(dir, fl.Name)
		st, err := os.Lstat(paths[i])
		switch {
		case err == nil && st.Mode()&os.ModeSymlink != 0:
			return nil, i18n.WrapError(fsutil.ErrSymlink, "err.file-symlink", paths[i])
		case err == nil && !force:
			return nil, i18n.WrapError(fsutil.ErrExists, "err.file-exists", paths[i])
		}
	}
	for i, fl := range files {
		if err := fsutil.WriteFile(paths[i], fl.Data, fl.Mode, force); err != nil {
			return paths[:i], forceAdvice(err)
		}
		if force {
			// Rename keeps the new file's mode; make sure a replaced file
			// that held a password does not widen.
			if err := os.Chmod(paths[i], fl.Mode); err != nil {
				return paths[:i+1], err
			}
		}
	}
	return paths, nil
}

type exportedFile struct {
	Path        string `json:"path"`
	Format      string `json:"format"`
	Mode        string `json:"mode"`
	HasPassword bool   `json:"has_password"`
	Use         string `json:"use"`
}

// exportJSON is the --json output of export.
type exportJSON struct {
	Account account.Account `json:"account"`
	Files   []exportedFile  `json:"files"`
	// Warnings: servers without encryption (security.none), servers
	// switched to STARTTLS (security.starttls-upgraded), QR codes left
	// out (qr.too-long), formats left out because they cannot use any of
	// the servers' sign-in methods (format.auth-unsupported).
	Warnings []templates.Warning `json:"warnings,omitempty"`
}

func isQRTooLong(w templates.Warning) bool { return w.Code == "qr.too-long" }

func exportReport(a account.Account, files []templates.File, paths []string) exportJSON {
	r := exportJSON{Account: a, Files: []exportedFile{}}
	for i, p := range paths {
		fl := files[i]
		r.Files = append(r.Files, exportedFile{Path: p, Format: fl.Format, Mode: fmt.Sprintf("%04o", fl.Mode.Perm()), HasPassword: fl.HasPassword, Use: fl.Use})
	}
	return r
}

func printWritten(w io.Writer, cat *i18n.Catalog, files []templates.File, paths []string) {
	fmt.Fprintln(w, cat.T("export.wrote", len(paths)))
	for i, fl := range files {
		mark := ""
		if fl.HasPassword {
			mark = " " + cat.T("export.password-mark")
		}
		fmt.Fprintf(w, "\n  %s%s\n", termtext.Safe(paths[i]), mark)
		if fl.Use != "" {
			fmt.Fprintf(w, "    %s\n", termtext.Safe(fl.Use))
		}
	}
	fmt.Fprintln(w, "\n"+cat.T("export.no-import-file"))
}

// catalog returns the run's catalogue; English when none is set (tests
// that build the options by hand).
func (opts *ExportOptions) catalog() *i18n.Catalog {
	if opts.Catalog == nil {
		return i18n.New(i18n.EN)
	}
	return opts.Catalog()
}
