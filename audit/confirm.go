package audit

import (
	"github.com/mailsetup/mailsetup/account"
)

// Confirmed returns the settings to publish when the admin names none:
// the working settings (live check passed) that most of the counted
// clients get, ties going to the client first in Rules order, with
// usernames in placeholder form (WithPlaceholders). ok is false when no
// client gets working settings.
func (r *Report) Confirmed() (s Settings, ok bool) {
	count := map[string]int{}
	best := ""
	for _, p := range r.Clients {
		if p.Informational || p.Settings == nil || p.Live != LiveOK {
			continue
		}
		k := p.Settings.key()
		count[k]++
		if best == "" || count[k] > count[best] {
			best = k
		}
	}
	if best == "" {
		return Settings{}, false
	}
	for _, p := range r.Clients {
		if !p.Informational && p.Settings != nil && p.Live == LiveOK && p.Settings.key() == best {
			addr, _ := account.ParseAddress(r.Email)
			return Settings{Incoming: WithPlaceholders(p.Settings.Incoming, addr), Outgoing: WithPlaceholders(p.Settings.Outgoing, addr)}, true
		}
	}
	return Settings{}, false
}

// WithPlaceholders returns s with a username that is the audited address
// (or its local part) written as %EMAILADDRESS% (or %EMAILLOCALPART%), so
// that the published files serve every user of the domain.
func WithPlaceholders(s account.Server, addr account.Address) account.Server {
	s.Username, _ = account.Unexpand(s.Username, addr)
	return s
}

// PublishView is the records to publish as the report's JSON carries
// them.
type PublishView struct {
	// Settings are the settings the records publish.
	Settings Settings `json:"settings"`
	// Autoconfig is the config-v1.1.xml for autoconfig.<domain> and
	// <domain>/.well-known.
	Autoconfig string `json:"autoconfig"`
	// Autodiscover is the POX response, empty when Outlook can use none
	// of the sign-in methods.
	Autodiscover string `json:"autodiscover,omitempty"`
	// Zone is the DNS records as zone-file lines.
	Zone []string `json:"zone"`
	// Serve is a `mailsetup serve` configuration.
	Serve string `json:"serve"`
}

// View returns the records for the report's JSON, for settings s.
func (r *Records) View(s Settings) *PublishView {
	v := &PublishView{Settings: s, Autoconfig: string(r.Autoconfig), Autodiscover: string(r.Autodiscover), Serve: string(r.Serve), Zone: []string{}}
	for _, rec := range r.SRV {
		v.Zone = append(v.Zone, rec.Line())
	}
	return v
}
