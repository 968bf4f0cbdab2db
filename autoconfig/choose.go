package autoconfig

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// The settings policy: Result.Choose is the one place that turns a
// discovery result and what the user said (flags, a bulk row, the
// wizard's answers) into the account to use. The wizard, export and bulk
// all call it, so a rule fixed here holds for every path.

// Preferences are what the user said about an account; each given value
// replaces what discovery found. Zero values mean "not given".
type Preferences struct {
	// Email is the account's address (required). Settings discovered for
	// another address of the same domain are turned into settings for
	// this one: a login name that followed that address follows this.
	Email account.Address
	// Incoming is the wanted incoming protocol: the best candidate that
	// offers it is chosen. Unset: the best candidate. Ignored when
	// IncomingServer is given (the candidate then only gives the
	// outgoing server).
	Incoming account.Protocol
	// IncomingServer and OutgoingServer replace the candidate's servers
	// (Host empty: not given). With both, no candidate is needed. A
	// server given without a username gets User, or else the address.
	IncomingServer account.Server
	OutgoingServer account.Server
	// User is the login name for both servers.
	User string
	// Name is the display name; it replaces the candidate's when NameSet,
	// and is used when the candidate has none.
	Name    string
	NameSet bool
	// POP3, when set, replaces the POP3 options of a POP3 account
	// (DaysOnServer is dropped when LeaveOnServer is off).
	POP3 *account.POP3Options
	// Pick is the candidate the user picked from the result's candidates;
	// nil: the best one (with Incoming).
	Pick *Candidate
}

// Choice says where a chosen account came from and what using it needs
// the user's consent for.
type Choice struct {
	// Candidate is the discovered candidate used; nil when the
	// preferences gave both servers.
	Candidate *Candidate
	// NeedsConfirmation reports that the candidate's settings need the
	// user's consent (yes): they come from a source that is not trusted
	// for the domain, or keep a server without encryption.
	NeedsConfirmation bool
	// Domains are the other domains (and plain-HTTP sources) the
	// candidate involves (Candidate.ConfirmDomains), when
	// NeedsConfirmation.
	Domains []string
	// Cleartext are the addresses (host:port) of the candidate's servers
	// without encryption that the account keeps (a server replaced by a
	// preference is not listed), when NeedsConfirmation.
	Cleartext []string
	// Upgraded are the roles (RoleIncoming, RoleOutgoing) of the kept
	// servers that discovery switched from no encryption to STARTTLS.
	Upgraded []string
}

// ConfirmIn lists what using the choice needs confirmed, in cat's
// language: the other domains, then each connection without encryption
// (as Candidate.ConfirmIn, less the servers the preferences replaced).
func (ch Choice) ConfirmIn(cat *i18n.Catalog) []string {
	out := append([]string(nil), ch.Domains...)
	for _, addr := range ch.Cleartext {
		out = append(out, cat.T("err.confirm-cleartext", addr))
	}
	return out
}

// ConfirmError is returned by Choose when the chosen candidate needs the
// user's consent and yes was false. Choose returns the account it would
// use along with it, so a wizard can show it and ask.
type ConfirmError struct {
	Choice Choice
}

func (e *ConfirmError) Error() string {
	c := e.Choice.Candidate
	return fmt.Sprintf("the discovered settings (%s, from %s) need confirmation: they involve %s",
		c.Account.Incoming, c.Account.Provenance.Source, strings.Join(e.Choice.ConfirmIn(i18n.New(i18n.EN)), " and "))
}

// NoCandidateError is returned by Choose when no candidate offers the
// wanted incoming protocol.
type NoCandidateError struct {
	Protocol account.Protocol
}

func (e *NoCandidateError) Error() string {
	return fmt.Sprintf("no %s settings found", e.Protocol.Label())
}

// Choose turns the result and the preferences into the account to use.
// The rules, the same for the wizard, export and bulk:
//
//   - Both servers given: they are the account (source manual, trusted);
//     r may be nil.
//   - Otherwise the candidate is p.Pick, else the best candidate offering
//     p.Incoming (any when unset or when p.IncomingServer is given). No
//     candidates: ErrNothingFound; none with the protocol: a
//     *NoCandidateError.
//   - The given servers replace the candidate's; a given server without
//     a username gets p.User or the address, any server without an
//     authentication method gets the cleartext password. p.User replaces
//     both usernames. p.Name replaces the display name when p.NameSet or
//     when there is none.
//   - POP3 accounts get p.POP3 when given, else keep the candidate's
//     options, else leave mail on the server (no deletion); IMAP accounts
//     have no POP3 options.
//   - A candidate that is not trusted needs confirmation, unless all it
//     needed confirming were servers without encryption that the
//     preferences replaced. Without yes, Choose returns the account with a
//     *ConfirmError.
//   - The account is expanded (placeholders) and validated; a validation
//     error is returned as it is, with the account.
func (r *Result) Choose(p Preferences, yes bool) (account.Account, Choice, error) {
	var a account.Account
	var ch Choice
	inGiven, outGiven := p.IncomingServer.Host != "", p.OutgoingServer.Host != ""
	if inGiven && outGiven {
		a = account.Account{Email: p.Email, Provenance: account.Provenance{Source: account.SourceManual, Trust: account.Trusted}}
	} else {
		c, err := r.pick(p, inGiven)
		if err != nil {
			return a, ch, err
		}
		ch.Candidate = c
		a = retarget(c.Account, p.Email)
		for _, role := range c.Upgraded {
			if (role == RoleIncoming && !inGiven) || (role == RoleOutgoing && !outGiven) {
				ch.Upgraded = append(ch.Upgraded, role)
			}
		}
	}
	if inGiven {
		a.Incoming = p.IncomingServer
	}
	if outGiven {
		a.Outgoing = p.OutgoingServer
	}
	// A server that takes no sign-in (authentication none, the client's
	// address, a certificate) gets no user name.
	for _, s := range []*account.Server{&a.Incoming, &a.Outgoing} {
		if s.Auth == account.AuthUnset {
			s.Auth = account.AuthPasswordCleartext
		}
		if !s.Auth.NeedsUsername() {
			continue
		}
		if p.User != "" {
			s.Username = p.User
		}
		if s.Username == "" {
			s.Username = p.Email.String()
		}
	}
	if p.NameSet || a.DisplayName == "" {
		a.DisplayName = p.Name
	}
	a = Finish(WithPOP3Options(a, p.POP3).Expand())
	if c := ch.Candidate; c != nil && c.Trust != account.Trusted {
		ch.Domains = c.ConfirmDomains()
		if !inGiven && c.Account.Incoming.Security == account.None {
			ch.Cleartext = append(ch.Cleartext, c.Account.Incoming.Address())
		}
		if !outGiven && c.Account.Outgoing.Security == account.None {
			ch.Cleartext = append(ch.Cleartext, c.Account.Outgoing.Address())
		}
		// A candidate that needed confirming only for servers without
		// encryption needs none once those servers are replaced.
		onlyCleartext := len(ch.Domains) == 0 && len(c.Cleartext()) > 0
		ch.NeedsConfirmation = !onlyCleartext || len(ch.Cleartext) > 0
		if !ch.NeedsConfirmation {
			ch.Domains, ch.Cleartext = nil, nil
		}
	}
	if ch.NeedsConfirmation && !yes {
		return a, ch, &ConfirmError{Choice: ch}
	}
	if err := a.Validate(); err != nil {
		return a, ch, err
	}
	return a, ch, nil
}

// Finish applies the rules every final account follows, whoever edited
// it last (Choose calls it; the wizard again after the user's edits): each
// server's list of authentication methods starts with the method it uses
// (Server.WithAuth: a method changed after discovery leaves no stale
// list, e.g. in JSON), and an account with a server without encryption is
// not labelled trusted (LabelCleartext).
func Finish(a account.Account) account.Account {
	for _, s := range []*account.Server{&a.Incoming, &a.Outgoing} {
		if s.Auth != account.AuthUnset {
			*s = s.WithAuth(s.Auth)
		}
	}
	return LabelCleartext(a)
}

// WithPOP3Options returns a with the POP3 options Choose gives: for a
// POP3 account the given ones (DaysOnServer dropped when LeaveOnServer is
// off), else its own, else leave mail on the server without deleting it;
// none for an IMAP account. The options are copied, never shared.
func WithPOP3Options(a account.Account, given *account.POP3Options) account.Account {
	switch {
	case a.Incoming.Protocol != account.POP3:
		a.POP3 = nil
	case given != nil:
		o := *given
		if !o.LeaveOnServer {
			o.DaysOnServer = 0
		}
		a.POP3 = &o
	case a.POP3 == nil:
		a.POP3 = &account.POP3Options{LeaveOnServer: true}
	default:
		o := *a.POP3
		a.POP3 = &o
	}
	return a
}

// pick returns the candidate Choose uses: p.Pick, else the best one with
// the wanted incoming protocol (any when anyProtocol).
func (r *Result) pick(p Preferences, anyProtocol bool) (*Candidate, error) {
	if p.Pick != nil {
		return p.Pick, nil
	}
	if r == nil || len(r.Candidates) == 0 {
		return nil, ErrNothingFound
	}
	want := p.Incoming
	if anyProtocol {
		want = account.ProtocolUnset
	}
	for _, c := range r.Candidates {
		if want == account.ProtocolUnset || c.Account.Incoming.Protocol == want {
			return c, nil
		}
	}
	return nil, &NoCandidateError{Protocol: want}
}

// retarget turns settings discovered for one address of a domain into
// the same settings for another address of that domain (to): a login
// name that followed the first address follows the second. The POP3
// options are copied, so the result shares nothing with a.
func retarget(a account.Account, to account.Address) account.Account {
	if a.POP3 != nil {
		o := *a.POP3
		a.POP3 = &o
	}
	from := a.Email
	switch {
	case to.IsZero() || from == to:
		return a
	case from.IsZero():
		a.Email = to
		return a
	}
	fix := func(s *account.Server) {
		switch s.Username {
		case from.String():
			s.Username = to.String()
		case from.LocalPart():
			s.Username = to.LocalPart()
		}
	}
	fix(&a.Incoming)
	fix(&a.Outgoing)
	a.Email = to
	a.Provenance.Detail = strings.NewReplacer(url.QueryEscape(from.String()), url.QueryEscape(to.String()),
		from.String(), to.String()).Replace(a.Provenance.Detail)
	return a
}
