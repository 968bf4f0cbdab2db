package wizard

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/termtext"
	"github.com/mailsetup/mailsetup/probe"
	"github.com/mailsetup/mailsetup/templates"
)

// ---- 7a. review before writing ----

// A field is one setting the review lets the user change on its own.
type field int

// The fields, in the order the review lists them.
const (
	fieldEmail field = iota
	fieldName
	fieldInHost
	fieldInSecurity
	fieldInPort
	fieldInUser
	fieldOutHost
	fieldOutSecurity
	fieldOutPort
	fieldOutUser
	fieldPassword
	fieldFormats
	fieldFolder
	fieldInclude
)

// review shows every setting and the live check's status, then lets the
// user write the files, change one setting (only its question is asked
// again), go back to the questions about the files, or quit. Scripts and
// --yes do not see it.
func (f *flow) review(ctx context.Context) error {
	if !f.interactive() || f.ans.Yes {
		return nil
	}
	for {
		f.showReview()
		opts := []string{f.t("wizard.o.write"), f.t("wizard.o.change-one"), f.t("wizard.o.back"), f.t("wizard.o.quit")}
		k, err := f.d.Prompter.Select("review", f.t("wizard.q.review"), f.t("wizard.h.review"), opts, 0)
		if err != nil {
			return err
		}
		switch k {
		case 0:
			return nil
		case 1:
			again, err := f.changeOne(ctx, false)
			if err != nil {
				return err
			}
			if again && f.verifies() {
				if err := f.check(ctx); err != nil {
					return err
				}
			}
		case 2:
			if err := f.goBack(); err != nil {
				return err
			}
		default:
			return ErrQuit
		}
	}
}

// showReview prints every setting, one per line, and the check's status.
func (f *flow) showReview() {
	a := f.acct
	none := f.t("wizard.r.none")
	rows := [][2]string{
		{f.t("wizard.r.email"), termtext.Safe(a.Email.Display())},
		{f.t("wizard.r.name"), cmpOr(termtext.Safe(a.DisplayName), none)},
		{f.t("wizard.incoming"), serverLine(a.Incoming)},
		{f.t("wizard.outgoing"), serverLine(a.Outgoing)},
	}
	files := f.formatLabels()
	if len(files) == 0 {
		files = []string{none}
	}
	for i, l := range files {
		label := ""
		if i == 0 {
			label = f.t("wizard.r.files")
		}
		rows = append(rows, [2]string{label, l})
	}
	if len(f.formats) > 0 {
		rows = append(rows, [2]string{f.t("wizard.r.folder"), termtext.Safe(f.dir)})
		if f.password != "" {
			rows = append(rows, [2]string{f.t("wizard.r.password"), f.yesNo(f.include)})
		}
	}
	status := f.t("wizard.r.check-off")
	if v := f.verify; v != nil {
		switch v.Verdict {
		case probe.VerdictFail:
			status = f.t("wizard.r.check-fail", termtext.Safe(failureReason(v)))
		case probe.VerdictWarn:
			status = f.t("wizard.r.check-warn")
		default:
			status = f.t("wizard.r.check-ok")
		}
	}
	rows = append(rows, [2]string{f.t("wizard.r.check"), status})
	width := 0
	for _, r := range rows {
		width = max(width, utf8.RuneCountInString(r[0]))
	}
	f.say("\n%s\n", f.t("wizard.review"))
	for _, r := range rows {
		f.say("  %s%s  %s\n", r[0], strings.Repeat(" ", width-utf8.RuneCountInString(r[0])), r[1])
	}
	if f.failure() != "" {
		f.say("  %s\n", f.t("wizard.r.check-fail-note"))
	}
	f.showProviderTexts(a.Provider, true)
	f.say("\n")
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (f *flow) yesNo(b bool) string {
	if b {
		return f.t("wizard.o.yes")
	}
	return f.t("wizard.o.no")
}

// fields lists the settings the user can change now: the account's
// always, the password when it is checked, the files' once asked.
func (f *flow) fields() []field {
	ids := []field{fieldEmail, fieldName, fieldInHost, fieldInSecurity, fieldInPort, fieldInUser,
		fieldOutHost, fieldOutSecurity, fieldOutPort, fieldOutUser}
	if f.verifies() {
		ids = append(ids, fieldPassword)
	}
	if f.exportAsked {
		ids = append(ids, fieldFormats)
		if len(f.formats) > 0 {
			ids = append(ids, fieldFolder)
			if f.password != "" {
				ids = append(ids, fieldInclude)
			}
		}
	}
	return ids
}

// fieldLabel names a field with its current value, for the picker.
func (f *flow) fieldLabel(id field) string {
	a := f.acct
	in, out := a.Incoming.Protocol.Label(), a.Outgoing.Protocol.Label()
	var label, value string
	switch id {
	case fieldEmail:
		label, value = f.t("wizard.r.email"), a.Email.Display()
	case fieldName:
		label, value = f.t("wizard.r.name"), cmpOr(a.DisplayName, f.t("wizard.r.none"))
	case fieldInHost:
		label, value = f.t("wizard.q.host", in), a.Incoming.Host
	case fieldInSecurity:
		label, value = f.t("wizard.q.security", in), a.Incoming.Security.Label()
	case fieldInPort:
		label, value = f.t("wizard.q.port", in), strconv.Itoa(a.Incoming.Port)
	case fieldInUser:
		label, value = f.t("wizard.q.username", in), a.Incoming.Username
	case fieldOutHost:
		label, value = f.t("wizard.q.host", out), a.Outgoing.Host
	case fieldOutSecurity:
		label, value = f.t("wizard.q.security", out), a.Outgoing.Security.Label()
	case fieldOutPort:
		label, value = f.t("wizard.q.port", out), strconv.Itoa(a.Outgoing.Port)
	case fieldOutUser:
		label, value = f.t("wizard.q.username", out), a.Outgoing.Username
	case fieldPassword:
		return f.t("wizard.r.password-field")
	case fieldFormats:
		label, value = f.t("wizard.r.files"), cmpOr(strings.Join(f.formatLabels(), "; "), f.t("wizard.r.none"))
	case fieldFolder:
		label, value = f.t("wizard.r.folder"), f.dir
	case fieldInclude:
		label, value = f.t("wizard.r.password"), f.yesNo(f.include)
	}
	return termtext.Safe(label + ": " + value)
}

// changeOne lets the user pick one setting and asks only its question.
// It reports whether the change needs the live check run again (servers,
// usernames, address, password); "back" changes nothing. With
// passwordFirst (a rejected login) the password is preselected.
func (f *flow) changeOne(ctx context.Context, passwordFirst bool) (bool, error) {
	id, ok, err := f.pickField(passwordFirst, "wizard.o.review-back")
	if err != nil || !ok {
		return false, err
	}
	return f.changeField(ctx, id)
}

// editFields lets the user change the settings found one field at a
// time ("Edit them"), until done.
func (f *flow) editFields(ctx context.Context) error {
	for {
		id, ok, err := f.pickField(false, "wizard.o.edit-done")
		if err != nil || !ok {
			return err
		}
		if _, err := f.changeField(ctx, id); err != nil {
			return err
		}
	}
}

// pickField asks which setting to change; the last choice (backKey)
// picks none.
func (f *flow) pickField(passwordFirst bool, backKey string) (field, bool, error) {
	ids := f.fields()
	opts := make([]string, 0, len(ids)+1)
	for _, id := range ids {
		opts = append(opts, f.fieldLabel(id))
	}
	opts = append(opts, f.t(backKey))
	def := 0
	if i := slices.Index(ids, fieldPassword); passwordFirst && i >= 0 {
		def = i
	}
	k, err := f.d.Prompter.Select("review-field", f.t("wizard.q.review-field"), f.t("wizard.h.review-field"), opts, def)
	if err != nil || k >= len(ids) {
		return 0, false, err
	}
	return ids[k], true, nil
}

// changeField asks the question of one setting. It reports whether the
// change needs the live check run again.
func (f *flow) changeField(ctx context.Context, id field) (bool, error) {
	var err error
	in, out := &f.acct.Incoming, &f.acct.Outgoing
	switch id {
	case fieldEmail:
		return true, f.changeEmail(ctx)
	case fieldName:
		v, err := f.d.Prompter.Input("name", f.t("wizard.q.name"), f.t("wizard.h.name"), f.acct.DisplayName, nil)
		if err == nil {
			f.acct.DisplayName = strings.TrimSpace(v)
		}
		return false, err
	case fieldInHost:
		before := in.Host
		err = f.askHost(in, "incoming")
		if f.outGuessed && in.Host != before {
			out.Host = outgoingFor(in.Host)
		}
	case fieldInSecurity:
		err = f.askSecurity(in, "incoming")
	case fieldInPort:
		err = f.askPort(in, "incoming")
	case fieldInUser:
		err = f.askUsername(in, "incoming")
	case fieldOutHost, fieldOutSecurity, fieldOutPort:
		// The provider's other outgoing servers first, when it lists any.
		took, perr := f.pickOutgoing()
		switch {
		case perr != nil:
			err = perr
		case took:
		case id == fieldOutHost:
			err = f.askHost(out, "outgoing")
		case id == fieldOutSecurity:
			err = f.askSecurity(out, "outgoing")
		default:
			err = f.askPort(out, "outgoing")
		}
	case fieldOutUser:
		err = f.askUsername(out, "outgoing")
	case fieldPassword:
		err = f.rePassword()
	case fieldFormats:
		return false, f.askFormats(f.formatIndexes())
	case fieldFolder:
		return false, f.askDir()
	case fieldInclude:
		return false, f.askInclude()
	}
	return true, err
}

// changeEmail asks for the address again; usernames that were the old
// address and the default folder follow it. A new domain is checked as
// the first answer was (checkDomain): a domain that does not exist brings
// the question back with the suggestion.
func (f *flow) changeEmail(ctx context.Context) error {
	old, oldDir := f.acct.Email, f.defaultDir()
	def := old.Display()
	for {
		v, err := f.d.Prompter.Input("email", f.t("wizard.q.email"), f.t("wizard.h.email"), def, func(s string) error {
			_, err := account.ParseAddress(s)
			return f.inLang(err)
		})
		if err != nil {
			return err
		}
		addr, err := account.ParseAddress(v)
		if err != nil {
			return &InputError{Answer: AnswerEmail, Err: err}
		}
		f.acct.Email = addr
		if addr.Domain() != old.Domain() {
			retype, err := f.checkDomain(ctx)
			if err != nil {
				f.acct.Email = old
				return err
			}
			if retype != "" {
				f.acct.Email, def = old, retype
				continue
			}
		}
		break
	}
	for _, s := range []*account.Server{&f.acct.Incoming, &f.acct.Outgoing} {
		if s.Username == old.String() {
			s.Username = f.acct.Email.String()
		}
	}
	if f.dir == oldDir {
		f.dir = f.defaultDir()
	}
	return nil
}

// formatLabels names the chosen formats as the files question does.
func (f *flow) formatLabels() []string {
	var ls []string
	for _, t := range f.formats {
		if slices.Contains(ExportTargets, t) {
			ls = append(ls, f.t("wizard.o.export."+t))
		} else {
			ls = append(ls, t) // json: the format's own name
		}
	}
	return ls
}

// formatIndexes are the indexes in ExportTargets of the chosen formats.
func (f *flow) formatIndexes() []int {
	var ks []int
	for i, t := range ExportTargets {
		if slices.Contains(f.formats, t) {
			ks = append(ks, i)
		}
	}
	return ks
}

// goBack asks the questions before the review again, prefilled with the
// answers: which files, the folder, the password in the files.
func (f *flow) goBack() error {
	if err := f.askFormats(f.formatIndexes()); err != nil {
		return err
	}
	if len(f.formats) == 0 {
		return nil
	}
	if f.dir == "" {
		f.dir = f.defaultDir()
	}
	if err := f.askDir(); err != nil {
		return err
	}
	if f.password != "" {
		return f.askInclude()
	}
	return nil
}

// failure is why the last live check failed, empty when it did not (or
// did not run): the user continued past it.
func (f *flow) failure() string {
	if f.verify == nil || f.verify.Verdict != probe.VerdictFail {
		return ""
	}
	return failureReason(f.verify)
}

// failureReason is the first error of a failed check, "server: message".
func failureReason(rep *probe.Report) string {
	for _, ep := range rep.Endpoints {
		for _, fd := range ep.Findings {
			if fd.Severity == probe.SevError {
				return ep.Server.String() + ": " + fd.Message
			}
		}
	}
	for _, ep := range rep.Endpoints {
		if ep.Verdict == probe.VerdictFail {
			return ep.Server.String()
		}
	}
	return string(rep.Verdict)
}

// verification is the result's record of the last check.
func (f *flow) verification() *Verification {
	if f.verify == nil {
		return nil
	}
	v := &Verification{Report: f.verify}
	if r := f.failure(); r != "" {
		v.Continued, v.Failure = true, r
	}
	return v
}

// checkWarnings is the warning that the settings failed the live check,
// when the user continued past it.
func (f *flow) checkWarnings() []templates.Warning {
	if r := f.failure(); r != "" {
		return []templates.Warning{{Code: "verification.failed", Message: f.t("wizard.warn.check-failed", r)}}
	}
	return nil
}
