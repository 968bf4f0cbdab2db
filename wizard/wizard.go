// Package wizard is the guided setup: address, discovery, IMAP or POP3,
// servers, password, live verification, export and summary. The same code
// serves the terminal and scripts: an answer given as a flag skips its
// question, --yes accepts discovered and default answers, and without a
// terminal a missing answer fails at once naming the flag to pass.
package wizard

import (
	"context"
	"errors"
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
	// CheckDomain checks that an address's domain exists before any
	// server question (autoconfig.CheckDomain); nil skips the check. A
	// *autoconfig.DomainError lets the user type the address again (a
	// typo) or retry or go on by hand (a DNS failure); in scripts it is
	// returned.
	CheckDomain func(ctx context.Context, addr account.Address) error
	// Discover finds settings for an address.
	Discover func(ctx context.Context, addr account.Address) (*autoconfig.Result, error)
	// Verify probes the incoming and outgoing servers, with a login when
	// password is not empty.
	Verify func(ctx context.Context, a account.Account, password string) *probe.Report
	// Export renders and writes the formats into dir and returns what was
	// written, each with its instructions, and what was left out
	// (templates.RenderWarn). checkFailed is not empty when the user
	// continued past a failed live check: why it failed, for the files
	// that can say so (the setup sheet's warning).
	Export func(ctx context.Context, a account.Account, formats []string, dir, password, checkFailed string) ([]ExportedFile, []templates.Warning, error)
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
	Verification *Verification   `json:"verification,omitempty"`
	Files        []ExportedFile  `json:"files"`
	// Warnings: servers without encryption (security.none), servers
	// switched to STARTTLS (security.starttls-upgraded), files left out
	// (qr.too-long), settings that failed the live check
	// (verification.failed).
	Warnings []templates.Warning `json:"warnings,omitempty"`
}

// Verification is the last live check: the probe's report, and when the
// user continued past a failed check, that fact and why it failed.
type Verification struct {
	*probe.Report
	// Continued: the check failed and the user wrote the files anyway.
	Continued bool `json:"continued_after_failure,omitempty"`
	// Failure is the first error the check found ("server: message").
	Failure string `json:"failure,omitempty"`
}

// flow is one run.
type flow struct {
	d   Deps
	ans Answers
	t   func(key string, args ...any) string
	out io.Writer

	acct      account.Account
	res       *autoconfig.Result // nil when nothing was discovered
	cands     []*autoconfig.Candidate
	password  string
	verify    *probe.Report
	typedPort map[account.Protocol]bool
	forceEdit bool // there is nothing to use: every server question is asked
	// pickEdit: the user chose to edit the settings found, one field at
	// a time.
	pickEdit bool
	// choice is what autoconfig.Result.Choose said about the account.
	choice autoconfig.Choice
	// outGuessed: the outgoing server is the usual name, not found by
	// discovery, so its default follows the incoming host the user types.
	outGuessed bool
	// upgraded are the servers discovery switched from no encryption to
	// STARTTLS and the user kept so.
	upgraded []account.Server
	// The export answers: formats, folder, password in the files;
	// exportAsked once they are known.
	formats     []string
	dir         string
	include     bool
	exportAsked bool
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
	steps := []func(context.Context) error{f.address, f.settings, f.incoming, f.servers, f.askPassword, f.verifyLoop,
		func(context.Context) error { return f.exportAnswers() }, f.review}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	// The rules every final account follows, after the user's edits
	// (the same as autoconfig.Result.Choose applies).
	f.acct = autoconfig.Finish(f.acct)
	files, exportWarnings, err := f.export(ctx)
	if err != nil {
		return nil, err
	}
	warnings := append(append(f.checkWarnings(), f.serverWarnings()...), exportWarnings...)
	f.summary(files, warnings)
	return &Result{Account: f.acct, Verification: f.verification(), Files: files, Warnings: warnings}, nil
}

func (f *flow) interactive() bool { return f.d.Prompter != nil }

func (f *flow) say(format string, args ...any) { fmt.Fprintf(f.out, format, args...) }

// missing builds the scripted-mode error for a question.
func (f *flow) missing(questionKey string, answers ...Answer) error {
	return &MissingError{Question: f.t(questionKey), Answers: answers}
}

// ---- 1. address and name ----

func (f *flow) address(ctx context.Context) error {
	email, def := f.ans.Email, ""
	for {
		if email == "" {
			if !f.interactive() {
				return f.missing("wizard.q.email", AnswerEmail)
			}
			v, err := f.d.Prompter.Input("email", f.t("wizard.q.email"), f.t("wizard.h.email"), def, func(s string) error {
				_, err := account.ParseAddress(s)
				return f.inLang(err)
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
		retype, err := f.checkDomain(ctx)
		if err != nil {
			return err
		}
		if retype == "" {
			break
		}
		email, def = "", retype
	}
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

// checkDomain checks that the address's domain exists, unless both
// servers are given. For a domain that does not exist it says so with
// the suggestion, and returns the default for typing the address again
// (the suggestion, or the address as typed). When the DNS failed it
// offers to check again, to go on by hand (no discovery) or to quit. In
// scripts it returns the *autoconfig.DomainError.
func (f *flow) checkDomain(ctx context.Context) (retype string, err error) {
	if f.d.CheckDomain == nil || (f.ans.IncomingServer.Host != "" && f.ans.OutgoingServer.Host != "") {
		return "", nil
	}
	addr := f.acct.Email
	for {
		f.d.Spinner.Start(f.t("wizard.checking-domain", termtext.Safe(addr.UnicodeDomain())))
		err := f.d.CheckDomain(ctx, addr)
		f.d.Spinner.Stop()
		if cerr := ctx.Err(); cerr != nil {
			return "", cerr
		}
		var de *autoconfig.DomainError
		if !errors.As(err, &de) || !f.interactive() {
			return "", err
		}
		if de.Typo() {
			if de.Code == autoconfig.CodeDomainTypo {
				f.say("\n%s\n", f.t("wizard.domain-typo-offline", termtext.Safe(addr.UnicodeDomain())))
			} else {
				f.say("\n%s\n", f.t("wizard.domain-not-found", termtext.Safe(addr.UnicodeDomain()), termtext.Safe(addr.Display())))
			}
			retype = addr.Display()
			if de.Suggestion != "" {
				retype = de.Suggestion
				f.say("%s\n", f.t("wizard.did-you-mean", termtext.Safe(de.Suggestion)))
			}
			f.say("%s\n\n", f.t("wizard.retype-address", termtext.Safe(retype)))
			return retype, nil
		}
		f.say("\n%s\n", f.t("wizard.dns-failed", termtext.Safe(addr.UnicodeDomain()), f.d.Catalog.Render(de.Reason())))
		f.say("  %s %s\n\n", f.t("wizard.fix"), f.t("wizard.dns-failed-fix"))
		opts := []string{f.t("wizard.o.dns-retry"), f.t("wizard.o.dns-by-hand"), f.t("wizard.o.quit")}
		k, err := f.d.Prompter.Select("dns-failed", f.t("wizard.q.dns-failed"), f.t("wizard.h.dns-failed"), opts, 0)
		if err != nil {
			return "", err
		}
		switch k {
		case 0:
			continue
		case 1:
			// Without DNS discovery could only wait for its timeouts: the
			// servers are entered by hand.
			f.d.Discover = func(context.Context, account.Address) (*autoconfig.Result, error) {
				return nil, autoconfig.ErrNothingFound
			}
			return "", nil
		}
		return "", ErrQuit
	}
}

// inLang returns err worded in the run's language (account's errors
// carry codes, not words), or nil.
func (f *flow) inLang(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(f.d.Catalog.ErrorText(err))
}

// InputError is a bad answer given in Answers (by a flag, in cmd).
type InputError struct {
	Answer Answer
	Err    error
}

func (e *InputError) Error() string { return string(e.Answer) + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// ---- 2. discovery ----

// prefs are the answers that replace discovered settings, for
// autoconfig.Result.Choose (the one settings policy); pick is the
// candidate the user picked, nil for the best one.
func (f *flow) prefs(pick *autoconfig.Candidate) autoconfig.Preferences {
	return autoconfig.Preferences{Email: f.acct.Email, Incoming: f.ans.Incoming,
		IncomingServer: f.ans.IncomingServer, OutgoingServer: f.ans.OutgoingServer, User: f.ans.User,
		Name: f.acct.DisplayName, NameSet: true, Pick: pick}
}

// use takes the account Choose made. A validation error is left to the
// servers step, which checks the account after the user's edits (as it
// does for typed settings).
func (f *flow) use(a account.Account, ch autoconfig.Choice) {
	f.acct = a
	f.choice = ch
}

func (f *flow) settings(ctx context.Context) error {
	in, out := f.ans.IncomingServer, f.ans.OutgoingServer
	if in.Host != "" && out.Host != "" {
		a, ch, _ := f.res.Choose(f.prefs(nil), true) // both servers given: nothing to confirm
		f.use(a, ch)
		return nil
	}
	f.d.Spinner.Start(f.t("wizard.discovering", termtext.Safe(f.acct.Email.Display())))
	res, err := f.d.Discover(ctx, f.acct.Email)
	f.d.Spinner.Stop()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil || res == nil || len(res.Candidates) == 0 {
		var broken []autoconfig.Broken
		if res != nil {
			broken = res.Broken
		}
		if len(broken) > 0 {
			f.showBroken(broken)
		} else {
			f.say("%s\n", f.t("wizard.nothing-found", termtext.Safe(f.acct.Email.Display())))
		}
		if !f.interactive() {
			if len(broken) > 0 {
				return &FoundBrokenError{Email: f.acct.Email.Display(), Broken: broken}
			}
			return f.missing("wizard.q.servers", AnswerServers)
		}
		// What was found, else the usual host names, as a trusted
		// starting point for editing, with the answers given applied.
		manual := account.Account{Email: f.acct.Email, Provenance: account.Provenance{Source: account.SourceManual, Trust: account.Trusted},
			Incoming: account.Server{Protocol: account.IMAP, Host: "imap." + f.acct.Email.Domain()}.WithDefaults(),
			Outgoing: account.Server{Protocol: account.SMTP, Host: "smtp." + f.acct.Email.Domain()}.WithDefaults()}
		f.outGuessed = true
		if in, ok := brokenServer(broken, account.IMAP, account.POP3); ok {
			manual.Incoming = in
		}
		if out, ok := brokenServer(broken, account.SMTP); ok {
			manual.Outgoing, f.outGuessed = out, false
		}
		start := &autoconfig.Candidate{Account: manual, Trust: account.Trusted}
		a, ch, _ := (&autoconfig.Result{Candidates: []*autoconfig.Candidate{start}}).Choose(f.prefs(start), true)
		f.use(a, ch)
		f.forceEdit = true
		return nil
	}
	f.res, f.cands = res, res.Candidates
	return f.choose(nil)
}

// choose shows the candidate Choose picks (pick, or the best one for the
// answers) and lets the user use it, edit it or pick an alternative.
func (f *flow) choose(pick *autoconfig.Candidate) error {
	a, ch, err := f.res.Choose(f.prefs(pick), f.ans.Yes)
	var nc *autoconfig.NoCandidateError
	if errors.As(err, &nc) {
		// Nothing offers the protocol asked for (--incoming): a script
		// gets no guessed server; in the terminal the best candidate is
		// the starting point, and the incoming step derives a server the
		// user then checks.
		if !f.interactive() {
			return f.missing("wizard.q.servers", AnswerServers)
		}
		pick = f.cands[0]
		a, ch, err = f.res.Choose(f.prefs(pick), f.ans.Yes)
	}
	c := ch.Candidate
	f.showCandidate(c)
	var ce *autoconfig.ConfirmError
	if errors.As(err, &ce) {
		if !f.interactive() {
			return f.confirmMissing(ch)
		}
		ok, err := f.confirm(ch)
		if err != nil {
			return err
		}
		if !ok {
			if len(f.cands) > 1 {
				return f.pickAlternative()
			}
			f.forceEdit = true
		} else {
			a, ch, _ = f.res.Choose(f.prefs(pick), true)
		}
	}
	f.use(a, ch)
	if err := f.keepUpgrades(); err != nil {
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
		f.pickEdit = true
	case 2:
		return f.pickAlternative()
	}
	return nil
}

// showBroken lists the servers discovery reached that failed the live
// check: each with its source and the reason.
func (f *flow) showBroken(broken []autoconfig.Broken) {
	f.say("%s\n", f.t("wizard.found-broken", termtext.Safe(f.acct.Email.Display())))
	for _, b := range broken {
		f.say("  %s %s\n", f.t("wizard.v.fail"), f.t("wizard.broken-line", termtext.Safe(b.Server.String()),
			autoconfig.SourceName(f.d.Catalog, b.Source), termtext.Safe(b.ReasonIn(f.d.Catalog))))
	}
	if f.interactive() {
		f.say("%s\n", f.t("wizard.broken-edit"))
	}
}

// brokenServer returns the first broken server with one of the
// protocols, in their order.
func brokenServer(broken []autoconfig.Broken, protocols ...account.Protocol) (account.Server, bool) {
	for _, p := range protocols {
		for _, b := range broken {
			if b.Server.Protocol == p {
				return b.Server, true
			}
		}
	}
	return account.Server{}, false
}

// FoundBrokenError is returned in scripted mode when discovery reached
// servers but none passed the live check (listed in Broken, and shown).
type FoundBrokenError struct {
	Email  string
	Broken []autoconfig.Broken
}

func (e *FoundBrokenError) Error() string {
	return fmt.Sprintf("servers were found for %s, but none passed the live check", e.Email)
}

// confirmMissing is the scripted-mode error for settings that need
// confirmation.
func (f *flow) confirmMissing(ch autoconfig.Choice) error {
	if len(ch.Domains) == 0 && len(ch.Cleartext) > 0 {
		return &MissingError{Question: f.t("wizard.q.confirm-cleartext", strings.Join(ch.Cleartext, ", ")), Answers: []Answer{AnswerYes, AnswerServers}}
	}
	return &MissingError{Question: f.t("wizard.q.confirm-source", strings.Join(ch.Domains, ", ")), Answers: []Answer{AnswerYes, AnswerServers}}
}

// confirm asks the user to accept what ch needs confirmed: the source
// (when it involves other domains, or says nothing else), then the
// servers without encryption. Both default to no.
func (f *flow) confirm(ch autoconfig.Choice) (bool, error) {
	domains, plain := ch.Domains, ch.Cleartext
	ok := true
	var err error
	if len(domains) > 0 || len(plain) == 0 {
		ok, err = f.d.Prompter.Confirm("confirm-source", f.t("wizard.q.confirm-source", termtext.Safe(strings.Join(domains, ", "))), f.t("wizard.h.confirm-source"), false)
	}
	if ok && err == nil && len(plain) > 0 {
		ok, err = f.d.Prompter.Confirm("confirm-cleartext", f.t("wizard.q.confirm-cleartext", termtext.Safe(strings.Join(plain, ", "))), f.t("wizard.h.confirm-cleartext"), false)
	}
	return ok, err
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
	return f.choose(f.cands[k])
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
	f.showMethods(a, c.OutgoingAlternatives)
	f.showProviderTexts(a.Provider, false)
	f.say("\n")
}

// serverLine describes a server in one line, escaped for the terminal
// (the host and username may come from a remote file), with IDN host
// names shown in Unicode.
func serverLine(s account.Server) string {
	if !s.Auth.NeedsUsername() || s.Username == "" {
		return termtext.Safe(fmt.Sprintf("%s %s %s", s.Protocol.Label(), s.DisplayAddress(), s.Security.Label()))
	}
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
// to STARTTLS (those of the choice the account keeps): kept with --yes or
// in scripts; in the terminal the user is asked (default yes), and going
// back to no encryption takes a second, explicit answer (default no).
func (f *flow) keepUpgrades() error {
	f.upgraded = nil
	for _, role := range f.choice.Upgraded {
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
