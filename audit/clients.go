package audit

import (
	"mime"
	"slices"
	"strings"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
)

// Client names a mail client (or a family of clients) whose discovery
// audit models. CLIENTS.md describes each rule set and the version it
// describes; a test checks that it names every client here.
type Client string

// The clients audit predicts, in the order it reports them.
const (
	Thunderbird        Client = "thunderbird"
	ThunderbirdAndroid Client = "thunderbird-android"
	Outlook            Client = "outlook"
	AppleMail          Client = "apple-mail"
	SRVClients         Client = "srv-clients"
)

// Rule is one client's discovery: the sources it asks, in its own order
// of priority (the first that gives settings it accepts wins), and what
// it refuses.
type Rule struct {
	Client Client
	// Version is the client version the rule set describes.
	Version string
	// Order lists the sources the client asks, highest priority first.
	Order []account.Source
	// Accept reports whether the client takes a source's candidates; nil
	// accepts every candidate. It sees the whole source, so that a rule
	// can refuse a document for one of its servers.
	Accept func(src *autoconfig.SourceSurvey, c *autoconfig.Candidate) bool
	// Informational rules are reported but do not decide agreement or
	// the exit code (a client with no discovery at all).
	Informational bool
}

// Rules are the modelled clients, in report order.
var Rules = []Rule{
	{
		Client:  Thunderbird,
		Version: "Thunderbird desktop 128 ESR to 153 (accountcreation: FindConfig, FetchConfig, ExchangeAutoDiscover, GuessConfig)",
		Order: []account.Source{account.SourceAutoconfig, account.SourceHTTP, account.SourceISPDB, account.SourceMX,
			account.SourceAutodiscover, account.SourceGuess},
		Accept: func(src *autoconfig.SourceSurvey, c *autoconfig.Candidate) bool {
			// A config-v1.1.xml served as text/plain is rejected.
			if src.Source == account.SourceAutodiscover {
				return true
			}
			d := src.DocumentOf(c)
			return d == nil || XMLContentType(d.ContentType)
		},
	},
	{
		Client:  ThunderbirdAndroid,
		Version: "Thunderbird for Android 8 to 10 / K-9 Mail 6.8 to 8 (feature/autodiscovery)",
		Order:   []account.Source{account.SourceAutoconfig, account.SourceHTTP, account.SourceISPDB, account.SourceMX},
		Accept: func(src *autoconfig.SourceSurvey, c *autoconfig.Candidate) bool {
			// MX-derived settings only with DNSSEC (trusted), and a
			// document with one unencrypted ("plain") server is refused
			// whole.
			if src.Source == account.SourceMX && c.Trust != account.Trusted {
				return false
			}
			// It sends no address: a file that answers only with
			// ?emailaddress= does not answer it.
			if d := src.DocumentOf(c); d != nil && d.WithoutAddress != nil && !*d.WithoutAddress {
				return false
			}
			return !slices.ContainsFunc(src.Candidates, hasCleartext)
		},
	},
	{
		Client:  Outlook,
		Version: "classic Outlook for Windows 2016 to 2024 / Microsoft 365 (POX Autodiscover)",
		Order:   []account.Source{account.SourceAutodiscover},
	},
	{
		Client:        AppleMail,
		Version:       "Apple Mail on macOS 14 to 15 and iOS 17 to 18",
		Informational: true,
	},
	{
		Client:  SRVClients,
		Version: "clients that read RFC 6186 / RFC 8314 SRV records (for example Evolution, KMail, Gnome Online Accounts' mail setup)",
		Order:   []account.Source{account.SourceSRV},
	},
}

// XMLContentType reports whether a Content-Type names XML
// (application/xml, text/xml, or a +xml type), which Thunderbird
// requires of a config-v1.1.xml; an empty one is taken as XML.
func XMLContentType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" {
		return true
	}
	if err != nil {
		return false
	}
	return mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml")
}

// hasCleartext reports whether a candidate names a server without
// encryption (its alternatives included).
func hasCleartext(c *autoconfig.Candidate) bool {
	if c.Account.Incoming.Security == account.None || c.Account.Outgoing.Security == account.None {
		return true
	}
	return slices.ContainsFunc(c.OutgoingAlternatives, func(s account.Server) bool { return s.Security == account.None })
}
