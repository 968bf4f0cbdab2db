// Package wizard is the guided setup: address, discovery, IMAP or POP3,
// servers, password, live verification, export and summary. The same code
// serves the terminal and scripts: an answer given as a flag skips its
// question, --yes accepts discovered and default answers, and without a
// terminal a missing answer fails at once naming the flag to pass.
package wizard

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/termtext"
	"github.com/mailsetup/mailsetup/probe"
	"github.com/mailsetup/mailsetup/templates"
)

// ExportTargets are the export formats the wizard offers, in order: the
// devices, then AdminTarget.
var ExportTargets = []string{"apple", "thunderbird", "outlook", "android", "sheet", AdminTarget}

// DefaultExportTargets are the targets ticked by default and taken by
// --yes: every device, not AdminTarget.
var DefaultExportTargets = ExportTargets[:len(ExportTargets)-1]

// AdminTarget names the files only an administrator uses (the domain-wide
// autoconfig copy, the Outlook .prf): written only when asked for.
const AdminTarget = "admin"

// Answers are the answers known before the wizard starts (from flags).
// Zero values mean "not given".
type Answers struct {
	Email    string
	Name     string
	NameSet  bool
	Incoming account.Protocol
	// IncomingServer and OutgoingServer come from --imap/--pop3 and
	// --smtp (with their -security flags); Host empty means not given.
	IncomingServer account.Server
	OutgoingServer account.Server
	User           string
	Password       string
	// Export lists formats (--export); ExportSet reports the flag was given.
	Export          []string
	ExportSet       bool
	OutputDir       string
	IncludePassword bool
	// Yes accepts discovered settings (also those needing confirmation)
	// and default answers.
	Yes      bool
	NoVerify bool
}

// Deps are the wizard's connections to the rest of mailsetup.
type Deps struct {
	// Prompter asks questions; nil means not interactive.
	Prompter Prompter
	// Out receives the wizard's messages (stdout).
	Out io.Writer
	// Width wraps the messages to this many columns at spaces; 0 (not a
	// terminal) writes them as they are.
	Width int
	// Colors colours the live check's marks as probe does; nil means none.
	Colors  *iostreams.ColorScheme
	Spinner Spinner
	Catalog *i18n.Catalog
	// Discover finds settings for an address.
	Discover func(ctx context.Context, addr account.Address) (*autoconfig.Result, error)
	// Verify probes the incoming and outgoing servers, with a login when
	// password is not empty.
	Verify func(ctx context.Context, a account.Account, password string) *probe.Report
	// Export renders and writes the formats into dir and returns what was
	// written, each with its instructions, and what was left out
	// (templates.RenderWarn).
	Export func(ctx context.Context, a account.Account, formats []string, dir, password string) ([]ExportedFile, []templates.Warning, error)
}

// ExportedFile is one written file.
type ExportedFile struct {
	Path        string `json:"path"`
	Format      string `json:"format"`
	HasPassword bool   `json:"has_password"`
	Use         string `json:"use"`
}

// Result is what the wizard produced.
type Result struct {
	Account      account.Account `json:"account"`
	Verification *probe.Report   `json:"verification,omitempty"`
	Files        []ExportedFile  `json:"files"`
	// Warnings: servers without encryption (security.none), servers
	// switched to STARTTLS (security.starttls-upgraded), files left out
	// (qr.too-long).
	Warnings []templates.Warning `json:"warnings,omitempty"`
}

// flow is one run.
type flow struct {
	d   Deps
	ans Answers
	t   func(key string, args ...any) string
	out io.Writer

	acct      account.Account
	cands     []*autoconfig.Candidate
	password  string
	verify    *probe.Report
	typedPort map[account.Protocol]bool
	forceEdit bool // the user chose to edit, or there is nothing to use
	// upgraded are the servers discovery switched from no encryption to
	// STARTTLS and the user kept so.
	upgraded []account.Server
}

// Run runs the wizard.
func Run(ctx context.Context, d Deps, ans Answers) (*Result, error) {
	if d.Spinner == nil {
		d.Spinner = noSpinner{}
	}
	if d.Catalog == nil {
		d.Catalog = i18n.New(i18n.EN)
	}
	if d.Colors == nil {
		d.Colors = &iostreams.ColorScheme{}
	}
	out := termtext.NewWrapWriter(d.Out, d.Width)
	defer out.Flush()
	f := &flow{d: d, ans: ans, t: d.Catalog.T, out: out, password: ans.Password, typedPort: map[account.Protocol]bool{}}
	steps := []func(context.Context) error{f.address, f.settings, f.incoming, f.servers, f.askPassword, f.verifyLoop}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	files, exportWarnings, err := f.export(ctx)
	if err != nil {
		return nil, err
	}
	warnings := append(f.serverWarnings(), exportWarnings...)
	f.summary(files, warnings)
	return &Result{Account: f.acct, Verification: f.verify, Files: files, Warnings: warnings}, nil
}

func (f *flow) interactive() bool { return f.d.Prompter != nil }

func (f *flow) say(format string, args ...any) { fmt.Fprintf(f.out, format, args...) }

// missing builds the scripted-mode error for a question.
func (f *flow) missing(questionKey string, answers ...Answer) error {
	return &MissingError{Question: f.t(questionKey), Answers: answers}
}

// ---- 1. address and name ----

func (f *flow) address(ctx context.Context) error {
	email := f.ans.Email
	if email == "" {
		if !f.interactive() {
			return f.missing("wizard.q.email", AnswerEmail)
		}
		v, err := f.d.Prompter.Input("email", f.t("wizard.q.email"), f.t("wizard.h.email"), "", func(s string) error {
			_, err := account.ParseAddress(s)
			return err
		})
		if err != nil {
			return err
		}
		email = v
	}
	addr, err := account.ParseAddress(email)
	if err != nil {
		return &InputError{Answer: AnswerEmail, Err: err}
	}
	f.acct.Email = addr
	f.acct.DisplayName = f.ans.Name
	if !f.ans.NameSet && f.interactive() && !f.ans.Yes {
		name, err := f.d.Prompter.Input("name", f.t("wizard.q.name"), f.t("wizard.h.name"), "", nil)
		if err != nil {
			return err
		}
		f.acct.DisplayName = strings.TrimSpace(name)
	}
	return nil
}

// InputError is a bad answer given in Answers (by a flag, in cmd).
type InputError struct {
	Answer Answer
	Err    error
}

func (e *InputError) Error() string { return string(e.Answer) + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// ---- 2. discovery ----

func (f *flow) settings(ctx context.Context) error {
	in, out := f.ans.IncomingServer, f.ans.OutgoingServer
	if in.Host != "" && out.Host != "" {
		f.acct.Incoming, f.acct.Outgoing = in, out
		f.acct.Provenance = account.Provenance{Source: account.SourceManual, Trust: account.Trusted}
		return nil
	}
	f.d.Spinner.Start(f.t("wizard.discovering", termtext.Safe(f.acct.Email.Display())))
	res, err := f.d.Discover(ctx, f.acct.Email)
	f.d.Spinner.Stop()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil || res == nil || len(res.Candidates) == 0 {
		f.say("%s\n", f.t("wizard.nothing-found", termtext.Safe(f.acct.Email.Display())))
		if !f.interactive() {
			return f.missing("wizard.q.servers", AnswerServers)
		}
		f.acct.Incoming = account.Server{Protocol: account.IMAP, Host: "imap." + f.acct.Email.Domain()}.WithDefaults()
		f.acct.Outgoing = account.Server{Protocol: account.SMTP, Host: "smtp." + f.acct.Email.Domain()}.WithDefaults()
		f.acct.Provenance = account.Provenance{Source: account.SourceManual, Trust: account.Trusted}
		f.forceEdit = true
		return nil
	}
	f.cands = res.Candidates
	return f.choose(0)
}

// choose shows candidate i and lets the user use it, edit it or pick an
// alternative.
func (f *flow) choose(i int) error {
	c := f.cands[i]
	f.showCandidate(c)
	if c.Trust != account.Trusted {
		domains, plain := c.ConfirmDomains(), c.Cleartext()
		if !f.interactive() {
			if !f.ans.Yes {
				if len(domains) == 0 && len(plain) > 0 {
					return &MissingError{Question: f.t("wizard.q.confirm-cleartext", strings.Join(plain, ", ")), Answers: []Answer{AnswerYes, AnswerServers}}
				}
				return &MissingError{Question: f.t("wizard.q.confirm-source", strings.Join(domains, ", ")), Answers: []Answer{AnswerYes, AnswerServers}}
			}
		} else {
			ok := true
			var err error
			if len(domains) > 0 || len(plain) == 0 {
				ok, err = f.d.Prompter.Confirm("confirm-source", f.t("wizard.q.confirm-source", termtext.Safe(strings.Join(domains, ", "))), f.t("wizard.h.confirm-source"), false)
			}
			if ok && err == nil && len(plain) > 0 {
				ok, err = f.d.Prompter.Confirm("confirm-cleartext", f.t("wizard.q.confirm-cleartext", termtext.Safe(strings.Join(plain, ", "))), f.t("wizard.h.confirm-cleartext"), false)
			}
			if err != nil {
				return err
			}
			if !ok {
				if len(f.cands) > 1 {
					return f.pickAlternative()
				}
				f.forceEdit = true
			}
		}
	}
	f.acct.Incoming, f.acct.Outgoing, f.acct.POP3, f.acct.Provenance = c.Account.Incoming, c.Account.Outgoing, c.Account.POP3, c.Account.Provenance
	if err := f.keepUpgrades(c); err != nil {
		return err
	}
	if !f.interactive() {
		if !f.ans.Yes && !f.serversGiven() {
			return f.missing("wizard.q.use-discovered", AnswerYes, AnswerServers)
		}
		return nil
	}
	if f.ans.Yes {
		return nil
	}
	opts := []string{f.t("wizard.o.use"), f.t("wizard.o.edit")}
	if len(f.cands) > 1 {
		opts = append(opts, f.t("wizard.o.alternatives", len(f.cands)-1))
	}
	k, err := f.d.Prompter.Select("use-discovered", f.t("wizard.q.use-discovered"), f.t("wizard.h.use-discovered"), opts, 0)
	if err != nil {
		return err
	}
	switch k {
	case 1:
		f.forceEdit = true
	case 2:
		return f.pickAlternative()
	}
	return nil
}

func (f *flow) serversGiven() bool {
	return f.ans.IncomingServer.Host != "" || f.ans.OutgoingServer.Host != ""
}

func (f *flow) pickAlternative() error {
	opts := make([]string, len(f.cands))
	for i, c := range f.cands {
		opts[i] = termtext.Safe(fmt.Sprintf("%s + SMTP %s (%s, %s)", c.Account.Incoming.DisplayString(), c.Account.Outgoing.DisplayAddress(),
			autoconfig.SourceName(f.d.Catalog, c.Account.Provenance.Source), autoconfig.TrustName(f.d.Catalog, c.Trust)))
	}
	k, err := f.d.Prompter.Select("alternative", f.t("wizard.q.alternative"), f.t("wizard.h.alternative"), opts, 0)
	if err != nil {
		return err
	}
	return f.choose(k)
}

func (f *flow) showCandidate(c *autoconfig.Candidate) {
	a := c.Account
	f.say("\n%s\n", f.t("wizard.found", autoconfig.SourceName(f.d.Catalog, a.Provenance.Source), autoconfig.TrustName(f.d.Catalog, c.Trust)))
	f.say("  %-10s %s\n", f.t("wizard.incoming"), serverLine(a.Incoming))
	f.say("  %-10s %s\n", f.t("wizard.outgoing"), serverLine(a.Outgoing))
	if len(c.Reasons) > 0 {
		f.say("  %s\n", termtext.Safe(strings.Join(c.ReasonsIn(f.d.Catalog), "; ")))
	}
	if v := c.Verification; v != nil {
		switch {
		case !v.OK:
			f.say("  %s\n", f.t("wizard.discovery-unverified"))
		case len(c.Cleartext()) == 0:
			f.say("  %s\n", f.t("wizard.discovery-verified"))
		default:
			// Say exactly what was checked: never "valid TLS" for a
			// connection without encryption.
			for _, e := range []*probe.Endpoint{v.Incoming, v.Outgoing} {
				if e == nil {
					continue
				}
				if e.Server.Security == account.None {
					f.say("  %s\n", f.t("wizard.discovery-verified-plain", e.Server.Address()))
				} else {
					f.say("  %s\n", f.t("wizard.discovery-verified-tls", e.Server.Address()))
				}
			}
		}
	}
	for _, role := range c.Upgraded {
		f.say("  %s\n", f.t("wizard.starttls-upgraded", roleServer(c.Account, role).Address()))
	}
	for _, addr := range c.Cleartext() {
		f.say("  %s\n", f.t("wizard.cleartext", addr))
	}
	for _, n := range c.Notes {
		line := n.In(f.d.Catalog)
		if n.URL != "" {
			line += " <" + n.URL + ">"
		}
		f.say("  %s %s\n", f.t("wizard.note"), termtext.Safe(line))
	}
	f.say("\n")
}

// serverLine describes a server in one line, escaped for the terminal
// (the host and username may come from a remote file), with IDN host
// names shown in Unicode.
func serverLine(s account.Server) string {
	return termtext.Safe(fmt.Sprintf("%s %s %s (%s)", s.Protocol.Label(), s.DisplayAddress(), s.Security.Label(), account.DisplayUser(s.Username)))
}

// roleServer returns a's server for a role of autoconfig.Candidate.Upgraded.
func roleServer(a account.Account, role string) account.Server {
	if role == autoconfig.RoleOutgoing {
		return a.Outgoing
	}
	return a.Incoming
}

// keepUpgrades handles the servers discovery switched from no encryption
// to STARTTLS: kept with --yes or in scripts; in the terminal the user
// is asked (default yes), and going back to no encryption takes a
// second, explicit answer (default no).
func (f *flow) keepUpgrades(c *autoconfig.Candidate) error {
	f.upgraded = nil
	for _, role := range c.Upgraded {
		s := &f.acct.Incoming
		if role == autoconfig.RoleOutgoing {
			s = &f.acct.Outgoing
		}
		if f.interactive() && !f.ans.Yes {
			ok, err := f.d.Prompter.Confirm(role+"-starttls", f.t("wizard.q.starttls-upgrade", s.Address()), f.t("wizard.h.starttls-upgrade"), true)
			if err != nil {
				return err
			}
			if !ok {
				none, err := f.d.Prompter.Confirm(role+"-security-none", f.t("wizard.q.security-none"), f.t("wizard.h.security-none"), false)
				if err != nil {
					return err
				}
				if none {
					s.Security = account.None
					continue
				}
			}
		}
		f.upgraded = append(f.upgraded, *s)
	}
	return nil
}

// serverWarnings are the warnings about the final servers: each one
// switched to STARTTLS by discovery, each one without encryption.
func (f *flow) serverWarnings() []templates.Warning {
	var w []templates.Warning
	for _, s := range []account.Server{f.acct.Incoming, f.acct.Outgoing} {
		for _, u := range f.upgraded {
			if u.Host == s.Host && u.Port == s.Port && s.Security == account.STARTTLS {
				w = append(w, templates.Warning{Code: "security.starttls-upgraded", Message: f.t("wizard.starttls-upgraded", s.Address())})
			}
		}
	}
	for _, s := range []account.Server{f.acct.Incoming, f.acct.Outgoing} {
		if s.Security == account.None {
			w = append(w, templates.Warning{Code: string(probe.CodeSecurityNone), Message: f.t("wizard.cleartext", s.Address())})
		}
	}
	return w
}
