package autoconfig

import (
	"cmp"
	"slices"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/probe"
)

// Found but broken: a server that discovery reached (it accepted a
// connection) but that failed the live check — a wrong, expired or
// self-signed certificate, no encryption, a greeting that never comes —
// is not "nothing found". The guessing source keeps such servers in
// Result.Broken, and Discover returns ErrFoundBroken when they are all it
// found, so a user is told what was found and why it cannot be used, and
// can start editing from it.

// Broken is a server discovery reached that failed the live check.
type Broken struct {
	Source account.Source `json:"source"`
	Server account.Server `json:"server"`
	// Finding is the first problem the check found (its code is stable;
	// its message is the one-line reason, in English unless Localize
	// chose another language).
	Finding probe.Finding `json:"finding"`
}

// ReasonIn is the one-line reason the server failed, in cat's language.
func (b Broken) ReasonIn(cat *i18n.Catalog) string { return b.Finding.In(cat).Message }

// ErrFoundBroken is returned by Discover when no source found usable
// settings but discovery reached servers that failed the live check
// (Result.Broken). It is also ErrNothingFound (errors.Is), for callers
// that only ask whether there is anything to use.
var ErrFoundBroken error = foundBroken{}

type foundBroken struct{}

func (foundBroken) Error() string        { return "servers found, but none passed the check" }
func (foundBroken) Is(target error) bool { return target == ErrNothingFound }

// brokenFinding is the finding that explains why a reached server failed:
// its first error, else its first warning (a server without encryption
// passes the connection check but cannot be used silently). It reports
// false for a server that was not reached (no connection) or that has
// nothing to explain.
func brokenFinding(ep *probe.Endpoint) (probe.Finding, bool) {
	if ep == nil || ep.Connected == "" {
		return probe.Finding{}, false
	}
	for _, sev := range []probe.Severity{probe.SevError, probe.SevWarn} {
		for _, f := range ep.Findings {
			if f.Severity == sev {
				return f, true
			}
		}
	}
	return probe.Finding{}, false
}

// addBroken records a reached server that failed the live check.
func (r *run) addBroken(src account.Source, ep *probe.Endpoint) {
	f, ok := brokenFinding(ep)
	if !ok {
		return
	}
	r.mu.Lock()
	r.broken = append(r.broken, Broken{Source: src, Server: ep.Server, Finding: f})
	r.mu.Unlock()
}

// VerificationFailed reports whether the live check ran and no
// candidate passed it: every candidate found is broken.
func (r *Result) VerificationFailed() bool {
	if r == nil || r.Verified != nil {
		return false
	}
	checked := false
	for _, c := range r.Candidates {
		if c.Verification != nil {
			if c.Verification.OK {
				return false
			}
			checked = true
		}
	}
	return checked
}

// sortBroken orders broken servers as a person reads them: incoming
// before outgoing (IMAP, POP3, SMTP), then by host and port (the sources
// record them as their checks end).
func sortBroken(bs []Broken) []Broken {
	rank := map[account.Protocol]int{account.IMAP: 0, account.POP3: 1, account.SMTP: 2}
	slices.SortStableFunc(bs, func(a, b Broken) int {
		return cmp.Or(cmp.Compare(rank[a.Server.Protocol], rank[b.Server.Protocol]),
			cmp.Compare(a.Server.Host, b.Server.Host), cmp.Compare(a.Server.Port, b.Server.Port))
	})
	return bs
}
