package autoconfig

import (
	"slices"
	"strings"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/probe"
)

// Cleartext settings: a source may list a server without encryption
// (socketType plain, Autodiscover SSL off). Such a candidate is never used
// silently: when its live check finds that the server offers STARTTLS on
// that port and STARTTLS passes the check, the candidate switches to
// STARTTLS (Candidate.Upgraded says so); a server still without
// encryption makes the candidate need confirmation like an other-domain
// result, with Confirm naming the unencrypted connection.

// Roles of a candidate's servers, as in Candidate.Upgraded.
const (
	RoleIncoming = "incoming"
	RoleOutgoing = "outgoing"
)

// CleartextConfirm is the Confirm entry of a server without encryption:
// "an unencrypted connection to imap.example.com:143".
func CleartextConfirm(s account.Server) string {
	return "an unencrypted connection to " + s.Address()
}

// Cleartext returns the addresses (host:port) of the candidate's servers
// that use no encryption.
func (c *Candidate) Cleartext() []string {
	var out []string
	for _, s := range []account.Server{c.Account.Incoming, c.Account.Outgoing} {
		if s.Security == account.None {
			out = append(out, s.Address())
		}
	}
	return out
}

// ConfirmDomains returns the Confirm entries that are domains, without
// the CleartextConfirm entries of the candidate's unencrypted servers.
func (c *Candidate) ConfirmDomains() []string {
	var out []string
	for _, d := range c.Confirm {
		if !c.isCleartextEntry(d) {
			out = append(out, d)
		}
	}
	return out
}

// ConfirmIn lists what using the candidate needs confirmed, in cat's
// language: the other domains, then each connection without encryption.
// Confirm keeps the English entries for JSON.
func (c *Candidate) ConfirmIn(cat *i18n.Catalog) []string {
	out := c.ConfirmDomains()
	for _, addr := range c.Cleartext() {
		out = append(out, cat.T("err.confirm-cleartext", addr))
	}
	return out
}

// isCleartextEntry reports whether a Confirm entry is the CleartextConfirm
// entry of one of the candidate's servers.
func (c *Candidate) isCleartextEntry(entry string) bool {
	for _, s := range []account.Server{c.Account.Incoming, c.Account.Outgoing} {
		if s.Security == account.None && entry == CleartextConfirm(s) {
			return true
		}
	}
	return false
}

// markCleartext makes a candidate with a server without encryption need
// confirmation: a Confirm entry and a reason per such server (unless the
// live check gave one). Reasons and
// Confirm may be shared with the candidate's siblings, so they are
// copied before they grow.
func (c *Candidate) markCleartext() {
	for _, s := range []account.Server{c.Account.Incoming, c.Account.Outgoing} {
		if s.Security != account.None {
			continue
		}
		entry := CleartextConfirm(s)
		if slices.Contains(c.Confirm, entry) {
			continue
		}
		c.Confirm = append(slices.Clip(c.Confirm), entry)
		// The live check may have said why already (no STARTTLS offered,
		// or STARTTLS failed).
		if !slices.ContainsFunc(c.Reasons, func(r string) bool { return strings.HasPrefix(r, s.Address()+" ") }) {
			c.addReason(i18n.M("discover.reason.cleartext", s.Address()))
		}
		if c.Trust == account.Trusted {
			c.Trust = account.NeedsConfirmation
		}
		if c.Account.Provenance.Trust == account.Trusted {
			c.Account.Provenance.Trust = account.NeedsConfirmation
		}
	}
}

// encryptedFirst orders servers with encryption before those without.
func encryptedFirst(a, b account.Server) int {
	return b2i(a.Security == account.None) - b2i(b.Security == account.None)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// preferEncrypted returns the first server with encryption, or the first
// server when none has any. servers is not empty.
func preferEncrypted(servers []account.Server) account.Server {
	for _, s := range servers {
		if s.Security != account.None {
			return s
		}
	}
	return servers[0]
}

// offersStartTLS reports whether an endpoint checked without encryption
// announced STARTTLS (STLS for POP3) before any TLS.
func offersStartTLS(e *probe.Endpoint) bool {
	for _, c := range e.CapsBefore {
		f := strings.Fields(c)
		if len(f) == 0 {
			continue
		}
		switch e.Server.Protocol {
		case account.POP3:
			if strings.EqualFold(f[0], "STLS") {
				return true
			}
		default:
			if strings.EqualFold(f[0], "STARTTLS") {
				return true
			}
		}
	}
	return false
}

// Describe says in one line what the live check verified, server by
// server: "imap.example.com:993 answers with valid TLS; smtp.example.com:25
// answers, without encryption".
func (v *Verification) Describe() string {
	return i18n.New(i18n.EN).Render(v.DescribeMsg())
}

// DescribeMsg is Describe unrendered, for any language.
func (v *Verification) DescribeMsg() i18n.Msg {
	var parts msgList
	for _, e := range []*probe.Endpoint{v.Incoming, v.Outgoing} {
		if e == nil {
			continue
		}
		addr := e.Server.Address()
		switch {
		case e.Verdict == probe.VerdictFail:
			parts = append(parts, i18n.M("discover.verify.failed", addr, firstProblemMsg(e)))
		case e.Server.Security == account.None:
			parts = append(parts, i18n.M("discover.verify.plain", addr))
		case e.Server.Security == account.STARTTLS && e.TLS != nil && e.TLS.Verified:
			parts = append(parts, i18n.M("discover.verify.starttls", addr))
		case e.TLS != nil && e.TLS.Verified:
			parts = append(parts, i18n.M("discover.verify.tls", addr))
		default:
			parts = append(parts, i18n.M("discover.verify.answers", addr))
		}
	}
	return i18n.M("discover.verify.list", parts)
}
