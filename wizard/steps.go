package wizard

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/termtext"
	"github.com/mailsetup/mailsetup/probe"
	"github.com/mailsetup/mailsetup/templates"
)

// ---- 3. IMAP or POP3 ----

func (f *flow) incoming(ctx context.Context) error {
	want := f.ans.Incoming
	if f.ans.IncomingServer.Host != "" {
		want = f.ans.IncomingServer.Protocol
	}
	if want == account.ProtocolUnset {
		switch {
		case f.interactive() && !f.ans.Yes:
			p, err := f.recommend()
			if err != nil {
				return err
			}
			want = p
		case f.interactive() || f.ans.Yes:
			want = f.acct.Incoming.Protocol
		default:
			return f.missing("wizard.q.protocol", AnswerIncoming, AnswerYes)
		}
	}
	if want != f.acct.Incoming.Protocol {
		if err := f.switchProtocol(want); err != nil {
			return err
		}
	}
	f.acct = autoconfig.WithPOP3Options(f.acct, nil)
	if want == account.POP3 {
		return f.pop3Options()
	}
	return nil
}

// recommend explains IMAP and POP3, asks about devices and quota, and lets
// the user choose with the recommendation preselected.
func (f *flow) recommend() (account.Protocol, error) {
	p := f.d.Prompter
	f.say("%s\n\n", f.t("explain.imap-vs-pop3.short"))
	multi, err := p.Confirm("multi-device", f.t("wizard.q.multi-device"), f.t("explain.imap-vs-pop3.long"), true)
	if err != nil {
		return 0, err
	}
	rec := account.IMAP
	if !multi {
		tight, err := p.Confirm("tight-quota", f.t("wizard.q.tight-quota"), f.t("wizard.h.tight-quota"), false)
		if err != nil {
			return 0, err
		}
		if tight {
			rec = account.POP3
		}
	}
	why := f.t("wizard.rec.imap")
	if rec == account.POP3 {
		why = f.t("wizard.rec.pop3")
	}
	f.say("%s\n", why)
	opts := []string{f.t("wizard.o.imap"), f.t("wizard.o.pop3")}
	def := 0
	if rec == account.POP3 {
		def = 1
	}
	k, err := p.Select("protocol", f.t("wizard.q.protocol"), f.t("explain.imap-vs-pop3.long"), opts, def)
	if err != nil {
		return 0, err
	}
	if k == 1 {
		return account.POP3, nil
	}
	return account.IMAP, nil
}

// switchProtocol changes the incoming protocol: to the best discovered
// candidate for it (autoconfig.Result.Choose, confirmed like the first
// one), else to a server derived from the current one that the user must
// check.
func (f *flow) switchProtocol(p account.Protocol) error {
	if f.res != nil {
		prefs := f.prefs(nil)
		prefs.Incoming = p
		a, ch, err := f.res.Choose(prefs, f.ans.Yes)
		var nc *autoconfig.NoCandidateError
		var ce *autoconfig.ConfirmError
		ok := !errors.As(err, &nc)
		if ok && errors.As(err, &ce) {
			f.showCandidate(ch.Candidate)
			if ok, err = f.confirm(ch); err != nil {
				return err
			}
			if ok {
				a, ch, _ = f.res.Choose(prefs, true)
			}
		}
		if ok {
			f.use(a, ch)
			return f.keepUpgrades()
		}
	}
	in := f.acct.Incoming
	in.Protocol = p
	in.Port = account.DefaultPort(p, in.Security)
	if p == account.POP3 && strings.HasPrefix(in.Host, "imap.") {
		in.Host = "pop." + strings.TrimPrefix(in.Host, "imap.")
	}
	f.acct.Incoming = in
	f.forceEdit = true // a derived server must be checked by the user
	return nil
}

// pop3Options asks what to do with downloaded mail, starting from the
// options autoconfig.WithPOP3Options gave.
func (f *flow) pop3Options() error {
	if !f.interactive() || f.ans.Yes {
		return nil
	}
	keep, err := f.d.Prompter.Confirm("leave-on-server", f.t("wizard.q.leave-on-server"), f.t("wizard.h.leave-on-server"), f.acct.POP3.LeaveOnServer)
	if err != nil {
		return err
	}
	f.acct.POP3.LeaveOnServer = keep
	f.acct.POP3.DaysOnServer = 0
	if keep {
		v, err := f.d.Prompter.Input("days-on-server", f.t("wizard.q.days-on-server"), f.t("wizard.h.days-on-server"), "0", f.validDays)
		if err != nil {
			return err
		}
		f.acct.POP3.DaysOnServer, _ = strconv.Atoi(strings.TrimSpace(v))
	}
	return nil
}

func (f *flow) validDays(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > account.MaxDaysOnServer {
		return errors.New(f.t("wizard.e.days", account.MaxDaysOnServer))
	}
	return nil
}

// ---- 4. servers ----

// servers lets the user edit the servers when needed (the answers given
// were applied by autoconfig.Result.Choose) and checks the account.
func (f *flow) servers(ctx context.Context) error {
	if f.pickEdit && !f.forceEdit && f.interactive() {
		f.pickEdit = false
		if err := f.editFields(ctx); err != nil {
			return err
		}
	}
	if f.forceEdit && f.interactive() {
		before := f.acct.Incoming.Host
		if err := f.editServer(&f.acct.Incoming, "incoming"); err != nil {
			return err
		}
		if f.outGuessed && f.acct.Incoming.Host != before {
			f.acct.Outgoing.Host = outgoingFor(f.acct.Incoming.Host)
		}
		if err := f.editOutgoing(); err != nil {
			return err
		}
	}
	f.acct = f.acct.Expand()
	if err := f.acct.Validate(); err != nil {
		if !f.interactive() {
			return &InputError{Answer: AnswerServers, Err: err}
		}
		f.say("%s\n", termtext.Safe(f.d.Catalog.ErrorText(err)))
		f.forceEdit = true
		return f.servers(ctx)
	}
	return nil
}

// outgoingFor is the outgoing server a typed incoming host suggests:
// smtp.example.com for imap.example.com or pop.example.com, the host
// itself for a host that serves both (mail.example.com).
func outgoingFor(incoming string) string {
	for _, pre := range []string{"imap.", "pop3.", "pop."} {
		if rest, ok := strings.CutPrefix(incoming, pre); ok && strings.Contains(rest, ".") {
			return "smtp." + rest
		}
	}
	return incoming
}

// editServer asks for host, security, port and username, each prefilled.
func (f *flow) editServer(s *account.Server, role string) error {
	for _, ask := range []func(*account.Server, string) error{f.askHost, f.askSecurity, f.askPort, f.askUsername} {
		if err := ask(s, role); err != nil {
			return err
		}
	}
	return nil
}

// askHost asks for a server's host name, prefilled.
func (f *flow) askHost(s *account.Server, role string) error {
	host, err := f.d.Prompter.Input(role+"-host", f.t("wizard.q.host", s.Protocol.Label()), f.t("wizard.h.host."+role), s.Host, func(v string) error {
		_, err := account.NormalizeHost(v)
		return f.inLang(err)
	})
	if err != nil {
		return err
	}
	s.Host, _ = account.NormalizeHost(host)
	return nil
}

// askSecurity asks for a server's connection security (no encryption
// takes a second answer); the port follows unless the user typed one.
func (f *flow) askSecurity(s *account.Server, role string) error {
	p, label := f.d.Prompter, s.Protocol.Label()
	secs := []account.Security{account.TLS, account.STARTTLS, account.None}
	opts := []string{f.t("wizard.o.sec-tls"), f.t("wizard.o.sec-starttls"), f.t("wizard.o.sec-none")}
	def := max(slices.Index(secs, s.Security), 0)
	for {
		k, err := p.Select(role+"-security", f.t("wizard.q.security", label), f.t("explain.security.long"), opts, def)
		if err != nil {
			return err
		}
		if secs[k] == account.None {
			ok, err := p.Confirm(role+"-security-none", f.t("wizard.q.security-none"), f.t("wizard.h.security-none"), false)
			if err != nil {
				return err
			}
			if !ok {
				def = 0
				continue
			}
		}
		if secs[k] != s.Security && !f.typedPort[s.Protocol] {
			s.Port = account.DefaultPort(s.Protocol, secs[k])
		}
		s.Security = secs[k]
		return nil
	}
}

// askPort asks for a server's port, prefilled.
func (f *flow) askPort(s *account.Server, role string) error {
	port, err := f.d.Prompter.Input(role+"-port", f.t("wizard.q.port", s.Protocol.Label()), f.t("explain.ports.long"), strconv.Itoa(s.Port), f.validPort)
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(strings.TrimSpace(port))
	if n != s.Port {
		f.typedPort[s.Protocol] = true
	}
	s.Port = n
	return nil
}

// askUsername asks for a server's username, prefilled.
func (f *flow) askUsername(s *account.Server, role string) error {
	user, err := f.d.Prompter.Input(role+"-username", f.t("wizard.q.username", s.Protocol.Label()), f.t("wizard.h.username"), s.Username, func(v string) error {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("%s", f.t("wizard.e.username"))
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.Username = strings.TrimSpace(user)
	return nil
}

func (f *flow) validPort(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 65535 {
		return errors.New(f.t("wizard.e.port"))
	}
	return nil
}

// ---- 5. password ----

func (f *flow) askPassword(ctx context.Context) error {
	if f.password != "" || !f.interactive() || f.ans.Yes || f.ans.NoVerify {
		return nil
	}
	pw, err := f.d.Prompter.Password("password", f.t("wizard.q.password", termtext.Safe(f.acct.Email.Display())), f.t("wizard.h.password"))
	if err != nil {
		return err
	}
	f.password = pw
	return nil
}

// ---- 6. live verification ----

func (f *flow) verifyLoop(ctx context.Context) error {
	if !f.verifies() {
		return nil
	}
	check := true
	for {
		if check {
			if err := f.check(ctx); err != nil {
				return err
			}
		}
		rep := f.verify
		if rep.Verdict != probe.VerdictFail {
			return nil
		}
		if !f.interactive() {
			return &VerifyError{Report: rep}
		}
		opts := []string{f.t("wizard.o.change-one"), f.t("wizard.o.retry"), f.t("wizard.o.continue"), f.t("wizard.o.quit")}
		// The outgoing server failed and the provider lists others: said,
		// and offered as the last choice but one (before quitting).
		alts := f.outgoingAlternatives()
		offerAlts := outgoingFailed(rep) && len(alts) > 0
		if offerAlts {
			names := make([]string, len(alts))
			for i, o := range alts {
				names[i] = termtext.Safe(o.DisplayAddress() + " " + o.Security.Label())
			}
			f.say("%s\n", f.t("wizard.outgoing-failed-alternatives", strings.Join(names, "; ")))
			opts = slices.Insert(opts, 3, f.t("wizard.o.outgoing-alt"))
		}
		k, err := f.d.Prompter.Select("verify-failed", f.t("wizard.q.verify-failed"), f.t("wizard.h.verify-failed"), opts, 0)
		if err != nil {
			return err
		}
		if offerAlts {
			switch {
			case k == 3:
				if err := f.editOutgoing(); err != nil {
					return err
				}
				check = true
				continue
			case k > 3:
				k--
			}
		}
		switch k {
		case 0:
			// One setting, then the check again (a rejected login offers
			// the password first); "back" changes nothing and asks again.
			if check, err = f.changeOne(ctx, rep.AuthFailed()); err != nil {
				return err
			}
		case 1:
			check = true
		case 2:
			return nil
		default:
			return ErrQuit
		}
	}
}

// verifies reports whether the settings are checked live.
func (f *flow) verifies() bool { return !f.ans.NoVerify && f.d.Verify != nil }

// check runs the live check of the current settings and shows it.
func (f *flow) check(ctx context.Context) error {
	f.d.Spinner.Start(f.t("wizard.verifying"))
	rep := f.d.Verify(ctx, f.acct, f.password)
	f.d.Spinner.Stop()
	if err := ctx.Err(); err != nil {
		return err
	}
	f.verify = rep
	f.showVerification(rep)
	return nil
}

func (f *flow) rePassword() error {
	pw, err := f.d.Prompter.Password("password", f.t("wizard.q.password", termtext.Safe(f.acct.Email.Display())), f.t("wizard.h.password"))
	if err != nil {
		return err
	}
	f.password = pw
	return nil
}

// VerifyError is a failed verification in scripted mode.
type VerifyError struct{ Report *probe.Report }

func (e *VerifyError) Error() string {
	for _, ep := range e.Report.Endpoints {
		for _, fd := range ep.Findings {
			if fd.Severity == probe.SevError {
				return "verification failed: " + ep.Server.String() + ": " + fd.Message
			}
		}
	}
	return "verification failed"
}

func (f *flow) showVerification(rep *probe.Report) {
	for _, ep := range rep.Endpoints {
		f.say("  %s  %s\n", f.verdictMark(ep.Verdict), termtext.Safe(ep.Server.DisplayString()))
		for _, fd := range ep.Findings {
			if fd.Severity < probe.SevWarn && fd.Code != probe.CodeAuthOK {
				continue
			}
			f.say("      %s\n", termtext.Safe(fd.Message))
			if fd.Fix != "" && fd.Severity >= probe.SevWarn {
				f.say("      %s %s\n", f.t("wizard.fix"), termtext.Safe(fd.Fix))
			}
		}
	}
	f.say("\n")
}

// verdictMark is the live check's mark for v, coloured as probe's are
// (green, yellow, red) when colour is on; the padding stays uncoloured.
func (f *flow) verdictMark(v probe.Verdict) string {
	key, colour := "wizard.v.ok", f.d.Colors.Green
	switch v {
	case probe.VerdictWarn:
		key, colour = "wizard.v.warn", f.d.Colors.Yellow
	case probe.VerdictFail:
		key, colour = "wizard.v.fail", f.d.Colors.Red
	}
	mark := f.t(key)
	text := strings.TrimRight(mark, " ")
	return colour(text) + mark[len(text):]
}

// ---- 7. export and 8. summary ----

// exportAnswers asks which files to write, into which folder and whether
// with the password: the questions the answers given did not answer.
func (f *flow) exportAnswers() error {
	f.formats, f.dir = f.ans.Export, f.ans.OutputDir
	if !f.ans.ExportSet {
		switch {
		case f.interactive() && !f.ans.Yes:
			var defs []int
			for i, t := range ExportTargets {
				if slices.Contains(DefaultExportTargets, t) {
					defs = append(defs, i)
				}
			}
			if err := f.askFormats(defs); err != nil {
				return err
			}
		case f.ans.Yes:
			f.formats = DefaultExportTargets
		default:
			return f.missing("wizard.q.export", AnswerExport, AnswerYes)
		}
	}
	f.exportAsked = true
	if len(f.formats) == 0 {
		return nil
	}
	if f.dir == "" {
		f.dir = f.defaultDir()
		switch {
		case f.interactive() && !f.ans.Yes:
			if err := f.askDir(); err != nil {
				return err
			}
		case f.ans.Yes:
		default:
			return f.missing("wizard.q.output", AnswerOutputDir, AnswerYes)
		}
	}
	f.include = f.ans.IncludePassword && f.password != ""
	if f.password != "" && !f.ans.IncludePassword && f.interactive() && !f.ans.Yes {
		return f.askInclude()
	}
	return nil
}

func (f *flow) defaultDir() string { return "mailsetup-" + f.acct.Email.FileName() }

// askFormats asks which files to write, with defs ticked.
func (f *flow) askFormats(defs []int) error {
	opts := make([]string, len(ExportTargets))
	for i, t := range ExportTargets {
		opts[i] = f.t("wizard.o.export." + t)
	}
	ks, err := f.d.Prompter.MultiSelect("export", f.t("wizard.q.export"), f.t("wizard.h.export"), opts, defs)
	if err != nil {
		return err
	}
	// Formats the question does not offer (json, from the answers) stay.
	var keep []string
	for _, t := range f.formats {
		if !slices.Contains(ExportTargets, t) {
			keep = append(keep, t)
		}
	}
	f.formats = nil
	for _, k := range ks {
		f.formats = append(f.formats, ExportTargets[k])
	}
	f.formats = append(f.formats, keep...)
	return nil
}

// askDir asks for the output folder, prefilled.
func (f *flow) askDir() error {
	v, err := f.d.Prompter.Input("output", f.t("wizard.q.output"), f.t("wizard.h.output"), f.dir, nil)
	if err != nil {
		return err
	}
	if f.dir = strings.TrimSpace(v); f.dir == "" {
		f.dir = f.defaultDir()
	}
	return nil
}

// askInclude asks whether the files carry the password.
func (f *flow) askInclude() error {
	ok, err := f.d.Prompter.Confirm("include-password", f.t("wizard.q.include-password"), f.t("wizard.h.include-password"), f.include)
	if err != nil {
		return err
	}
	f.include = ok
	return nil
}

// export writes the files the answers chose, saying in them when the
// settings failed the live check.
func (f *flow) export(ctx context.Context) ([]ExportedFile, []templates.Warning, error) {
	if len(f.formats) == 0 {
		return nil, nil, nil
	}
	pw := ""
	if f.include {
		pw = f.password
	}
	return f.d.Export(ctx, f.acct, f.formats, f.dir, pw, f.failure())
}

func (f *flow) summary(files []ExportedFile, warnings []templates.Warning) {
	a := f.acct
	f.say("\n%s\n", f.t("wizard.summary", termtext.Safe(a.Email.Display())))
	f.say("  %-10s %s\n", f.t("wizard.incoming"), serverLine(a.Incoming))
	f.say("  %-10s %s\n", f.t("wizard.outgoing"), serverLine(a.Outgoing))
	qr := false
	for _, w := range warnings {
		msg := w.Message
		if w.Code == "qr.too-long" {
			// One line, in the user's language, for every QR code left out.
			if qr {
				continue
			}
			msg, qr = f.t("wizard.qr-too-long"), true
		}
		f.say("  %s\n", termtext.Safe(msg))
	}
	if len(files) == 0 {
		return
	}
	f.say("\n%s\n", f.t("wizard.files", len(files)))
	groups := deviceGroups(files)
	labels := make([]string, len(groups))
	pad := 0
	for i, g := range groups {
		labels[i] = g[0].Format
		if k := "wizard.device." + g[0].Format; i18n.Has(k) {
			labels[i] = f.t(k)
		}
		pad = max(pad, termtext.Width(labels[i]))
	}
	sheet := false
	for i, g := range groups {
		// One line per device: its label, its first file (the folder
		// holds the others) and a mark when any of them has the password.
		line := "  " + labels[i] + strings.Repeat(" ", pad-termtext.Width(labels[i])) + "  " + termtext.Safe(g[0].Path)
		if n := len(g) - 1; n > 0 {
			line += " " + f.t("wizard.more-files", n)
		}
		if slices.ContainsFunc(g, func(fl ExportedFile) bool { return fl.HasPassword }) {
			line += " " + f.t("wizard.has-password")
		}
		f.say("%s\n", line)
		sheet = sheet || g[0].Format == "sheet"
	}
	if sheet {
		f.say("\n%s\n", f.t("wizard.next-sheet"))
	} else {
		f.say("\n%s\n", f.t("wizard.next-steps"))
	}
}

// deviceGroups groups files by format, in the order the end screen shows
// them: the setup sheet first, then the devices in ExportTargets' order,
// then any other format (json).
func deviceGroups(files []ExportedFile) [][]ExportedFile {
	rank := func(format string) int {
		if format == "sheet" {
			return -1
		}
		if i := slices.Index(ExportTargets, format); i >= 0 {
			return i
		}
		return len(ExportTargets)
	}
	var groups [][]ExportedFile
	for _, fl := range files {
		i := slices.IndexFunc(groups, func(g []ExportedFile) bool { return g[0].Format == fl.Format })
		if i < 0 {
			groups = append(groups, []ExportedFile{fl})
			continue
		}
		groups[i] = append(groups[i], fl)
	}
	slices.SortStableFunc(groups, func(a, b []ExportedFile) int { return rank(a[0].Format) - rank(b[0].Format) })
	return groups
}
