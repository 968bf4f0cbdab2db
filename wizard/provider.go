package wizard

import (
	"strings"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/termtext"
	"github.com/mailsetup/mailsetup/probe"
)

// What the provider's settings document says beyond the servers: every
// sign-in method, the other outgoing servers, and its own texts (a step
// to enable access first, documentation). The texts are the provider's
// words, shown under a label that says so (sanitised by
// autoconfig.ProviderLines); the other outgoing servers are offered
// wherever the user changes the outgoing server.

// showMethods says which sign-in methods the provider lists, when it
// lists more than one, and names the other outgoing servers.
func (f *flow) showMethods(a account.Account, alts []account.Server) {
	in := autoconfig.MethodsText(f.d.Catalog, a.Incoming)
	if in != "" {
		f.say("  %s\n", f.t("wizard.signin-methods", in))
	}
	if out := autoconfig.MethodsText(f.d.Catalog, a.Outgoing); out != "" && out != in {
		f.say("  %s\n", f.t("wizard.signin-methods-outgoing", out))
	}
	if len(alts) > 0 {
		names := make([]string, len(alts))
		for i, o := range alts {
			names[i] = termtext.Safe(o.DisplayAddress() + " " + o.Security.Label())
		}
		f.say("  %s\n", f.t("wizard.other-outgoing", strings.Join(names, "; ")))
	}
}

// showProviderTexts prints the provider's own texts under their label,
// labels aligned, indented under the block above; apart (after a blank
// line) when it follows a table.
func (f *flow) showProviderTexts(info *account.ProviderInfo, apart bool) {
	lines := autoconfig.ProviderLines(f.d.Catalog, info)
	if len(lines) == 0 {
		return
	}
	if apart {
		f.say("\n")
	}
	width := 0
	for _, l := range lines {
		width = max(width, termtext.Width(l.Label))
	}
	f.say("  %s\n", f.t("wizard.provider-says"))
	for _, l := range lines {
		f.say("    %s%s  %s\n", l.Label, strings.Repeat(" ", width-termtext.Width(l.Label)), l)
	}
}

// outgoingAlternatives are the provider's outgoing servers other than the
// one in use: those of the candidate the settings came from (its first
// one included, once the user has moved away from it). None when the
// provider lists only one.
func (f *flow) outgoingAlternatives() []account.Server {
	c := f.choice.Candidate
	if c == nil || len(c.OutgoingAlternatives) == 0 {
		return nil
	}
	cur := f.acct.Outgoing
	var out []account.Server
	for _, o := range append([]account.Server{c.Account.Outgoing}, c.OutgoingAlternatives...) {
		if o.Host == cur.Host && o.Port == cur.Port && o.Security == cur.Security {
			continue
		}
		out = append(out, o)
	}
	return out
}

// pickOutgoing offers the provider's other outgoing servers, when it
// lists any, before the outgoing server's own questions. It reports
// whether the user took one; "type another" (the last choice) goes on to
// the questions. A server without encryption takes a second, explicit
// answer (default no), as choosing no encryption does.
func (f *flow) pickOutgoing() (bool, error) {
	alts := f.outgoingAlternatives()
	if len(alts) == 0 {
		return false, nil
	}
	opts := make([]string, 0, len(alts)+1)
	for _, o := range alts {
		opts = append(opts, serverLine(o))
	}
	opts = append(opts, f.t("wizard.o.outgoing-type"))
	for {
		k, err := f.d.Prompter.Select("outgoing-server", f.t("wizard.q.outgoing-alt"), f.t("wizard.h.outgoing-alt"), opts, 0)
		if err != nil || k >= len(alts) {
			return false, err
		}
		o := alts[k]
		if o.Security == account.None {
			ok, err := f.d.Prompter.Confirm("outgoing-security-none", f.t("wizard.q.security-none"), f.t("wizard.h.security-none"), false)
			if err != nil {
				return false, err
			}
			if !ok {
				continue
			}
		}
		f.useOutgoing(o)
		return true, nil
	}
}

// editOutgoing offers the provider's other outgoing servers and, when
// it lists none or the user picks "type another", asks the outgoing
// server's questions.
func (f *flow) editOutgoing() error {
	took, err := f.pickOutgoing()
	if err != nil || took {
		return err
	}
	return f.editServer(&f.acct.Outgoing, "outgoing")
}

// useOutgoing makes o, one of the provider's outgoing servers, the
// account's. Its username follows the one in use when the provider gives
// both servers the same (the user may have changed it, or given --user).
func (f *flow) useOutgoing(o account.Server) {
	if c := f.choice.Candidate; f.ans.User != "" || (c != nil && o.Username == c.Account.Outgoing.Username) {
		o.Username = f.acct.Outgoing.Username
	}
	f.acct.Outgoing = o
}

// outgoingFailed reports whether the check failed at the outgoing server.
func outgoingFailed(rep *probe.Report) bool {
	for _, ep := range rep.Endpoints {
		if ep.Server.Protocol == account.SMTP && ep.Verdict == probe.VerdictFail {
			return true
		}
	}
	return false
}
