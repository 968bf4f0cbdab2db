// The audit package predicts what each mail client finds for a domain and
// says what to publish so they all agree. This file holds "the fix to
// publish": for the settings the admin confirms, the files and DNS records
// that make every client find them (Publish), written as files
// (Records.WriteDir) or shown to people (Records.Text).
//
// The XML comes from templates.Published, the code `mailsetup serve` uses,
// so a published file and a served one never differ. The zone lines are
// written here: miekg/dns can format one record, but its output (tabs,
// TTL and class on every line) is not the zone-file form an admin pastes,
// and the SRV lines are few and fixed in shape; the tests read them back
// through miekg/dns's zone parser.

package audit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/fsutil"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/templates"
)

// Names of the files WriteDir writes; the zone file is <domain>.zone.
const (
	AutoconfigFile   = "config-v1.1.xml"
	AutodiscoverFile = "autodiscover.xml"
	ServeFile        = "serve.yaml"
	ReadmeFile       = "README.txt"
)

// ErrPublishInput is wrapped by Publish's error when the domain or the
// settings cannot be published.
var ErrPublishInput = errors.New("cannot publish these settings")

// SRV is one SRV record to publish (RFC 2782), in zone-file form.
type SRV struct {
	// Name is the owner name, e.g. "_imaps._tcp.example.com.".
	Name     string
	Priority uint16
	Weight   uint16
	Port     uint16
	// Target is the host with its trailing dot, or "." when the service
	// is not offered (RFC 2782).
	Target string
}

// Line is the record as a zone-file line.
func (s SRV) Line() string {
	return fmt.Sprintf("%s 3600 IN SRV %d %d %d %s", s.Name, s.Priority, s.Weight, s.Port, s.Target)
}

// Records is what a domain publishes so that every client finds the
// confirmed settings.
type Records struct {
	// Domain is the mail domain in ASCII form.
	Domain string
	// Address is the address the Autodiscover response is written for:
	// a POX response names one user's login, so the static file is that
	// user's; `mailsetup serve` answers every user.
	Address account.Address
	// Autoconfig is the config-v1.1.xml for
	// https://autoconfig.<domain>/mail/config-v1.1.xml and
	// https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml.
	Autoconfig []byte
	// Autodiscover is the POX Autodiscover response for Address; nil when
	// Outlook can use none of a server's sign-in methods (OAuth2 only),
	// and AutodiscoverErr says why (it wraps templates.ErrAuthUnsupported).
	Autodiscover    []byte
	AutodiscoverErr error
	// SRV are the SRV records, in the zone file's order.
	SRV []SRV
	// Serve is a `mailsetup serve` configuration (YAML) for the domain.
	Serve []byte
}

// Publish returns what domain publishes for the settings a: a's servers
// are the ones every client should find, their usernames in placeholder
// form (%EMAILADDRESS%, %EMAILLOCALPART%). a.Email may be empty; when it
// is set, its domain must be domain.
func Publish(domain string, a account.Account) (*Records, error) {
	if strings.TrimSpace(domain) == "" {
		return nil, fmt.Errorf("%w: no domain", ErrPublishInput)
	}
	d, err := account.NormalizeHost(strings.TrimSuffix(domain, "."))
	if err != nil {
		return nil, fmt.Errorf("%w: domain %q: %w", ErrPublishInput, domain, err)
	}
	if !strings.Contains(d, ".") {
		return nil, fmt.Errorf("%w: domain %q: not a mail domain", ErrPublishInput, domain)
	}
	addr := a.Email
	if addr.IsZero() {
		if addr, err = account.ParseAddress("user@" + d); err != nil {
			return nil, fmt.Errorf("%w: domain %q: %w", ErrPublishInput, domain, err)
		}
		a.Email = addr
	} else if addr.Domain() != d {
		return nil, fmt.Errorf("%w: the address %s is not in %s", ErrPublishInput, addr, d)
	}
	if err := a.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPublishInput, err)
	}
	in, out := a.Incoming.WithDefaults(), a.Outgoing.WithDefaults()
	pub := templates.Published{Domains: []string{d}, Incoming: []account.Server{in}, Outgoing: []account.Server{out}, Provider: a.Provider}
	if in.Protocol == account.POP3 && a.POP3 != nil {
		o := *a.POP3
		pub.POP3 = &o
	}
	r := &Records{Domain: d, Address: addr}
	if r.Autoconfig, err = pub.AutoconfigXML(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPublishInput, err)
	}
	if r.Autodiscover, err = pub.AutodiscoverXML(addr, ""); err != nil {
		if !errors.Is(err, templates.ErrAuthUnsupported) {
			return nil, fmt.Errorf("%w: %w", ErrPublishInput, err)
		}
		r.Autodiscover, r.AutodiscoverErr = nil, err
	}
	r.SRV = srvRecords(d, in, out)
	if r.Serve, err = serveYAML(d, pub); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPublishInput, err)
	}
	return r, nil
}

// srvRecords gives the RFC 6186/8314 records for the servers in and out,
// and _autodiscover._tcp (the Autodiscover host's HTTPS port).
//
// RFC 8314 §5.1: the implicit-TLS services (_imaps, _pop3s,
// _submissions) name the server when it uses implicit TLS; the
// cleartext-port services (_imap, _pop3, _submission) are the ports
// STARTTLS runs on, so they name the server when it uses STARTTLS (or no
// encryption) and are "." (RFC 2782: not offered) otherwise, which tells
// an SRV-aware client not to try the cleartext port. A protocol the
// settings do not use (POP3 for an IMAP account) is "." on both
// services: the admin confirmed only these servers.
func srvRecords(domain string, in, out account.Server) []SRV {
	type svc struct {
		implicit, cleartext string
		proto               account.Protocol
	}
	var list []SRV
	add := func(service string, s *account.Server) {
		r := SRV{Name: service + "._tcp." + domain + ".", Target: "."}
		if s != nil {
			r.Target = s.Host + "."
			r.Port = uint16(s.Port)
			r.Weight = 1
		}
		list = append(list, r)
	}
	for _, sv := range []svc{{"_imaps", "_imap", account.IMAP}, {"_pop3s", "_pop3", account.POP3}, {"_submissions", "_submission", account.SMTP}} {
		s := in
		if sv.proto == account.SMTP {
			s = out
		}
		var tls, clear *account.Server
		if s.Protocol == sv.proto {
			if s.Security == account.TLS {
				tls = &s
			} else {
				clear = &s
			}
		}
		add(sv.implicit, tls)
		add(sv.cleartext, clear)
	}
	list = append(list, SRV{Name: "_autodiscover._tcp." + domain + ".", Weight: 1, Port: 443, Target: "autodiscover." + domain + "."})
	return list
}

// serveYAML writes pub as a `mailsetup serve` providers list.
func serveYAML(domain string, pub templates.Published) ([]byte, error) {
	type server struct {
		Protocol string   `yaml:"protocol"`
		Host     string   `yaml:"host"`
		Port     int      `yaml:"port"`
		Security string   `yaml:"security"`
		Auth     []string `yaml:"auth,flow"`
		Username string   `yaml:"username,omitempty"`
	}
	type pop3 struct {
		LeaveOnServer bool `yaml:"leave_on_server"`
		DaysOnServer  int  `yaml:"days_on_server,omitempty"`
	}
	type provider struct {
		Domains  []string `yaml:"domains,flow"`
		Incoming []server `yaml:"incoming"`
		Outgoing []server `yaml:"outgoing"`
		POP3     *pop3    `yaml:"pop3,omitempty"`
	}
	conv := func(list []account.Server) []server {
		var out []server
		for _, s := range list {
			v := server{Protocol: s.Protocol.String(), Host: s.Host, Port: s.Port, Security: s.Security.String(), Username: s.Username}
			for _, m := range s.Methods() {
				v.Auth = append(v.Auth, m.String())
			}
			if v.Username == "" {
				v.Username = account.PlaceholderAddress
			}
			out = append(out, v)
		}
		return out
	}
	p := provider{Domains: []string{domain}, Incoming: conv(pub.Incoming), Outgoing: conv(pub.Outgoing)}
	if pub.POP3 != nil {
		p.POP3 = &pop3{LeaveOnServer: pub.POP3.LeaveOnServer, DaysOnServer: pub.POP3.DaysOnServer}
	}
	body, err := yaml.Marshal(struct {
		Providers []provider `yaml:"providers"`
	}{[]provider{p}})
	if err != nil {
		return nil, fmt.Errorf("serve configuration: %w", err)
	}
	head := "# mailsetup serve configuration for " + domain + "\n# run: mailsetup serve --config serve.yaml --tls-cert FILE --tls-key FILE\n"
	return append([]byte(head), body...), nil
}

// ZoneFile is the zone-file lines to add to domain's zone: the SRV
// records, and as comments the host names autoconfig and Autodiscover
// clients look up, which point at the machine `mailsetup serve` runs on.
func (r *Records) ZoneFile() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "; mail client discovery records for %s (RFC 6186, RFC 8314)\n", r.Domain)
	fmt.Fprintf(&b, "$ORIGIN %s.\n", r.Domain)
	for _, s := range r.SRV {
		b.WriteString(s.Line())
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "; point these at the host that runs mailsetup serve (or serves the files):\n")
	fmt.Fprintf(&b, "; autoconfig.%s. 3600 IN CNAME serve-host.example.\n", r.Domain)
	fmt.Fprintf(&b, "; autodiscover.%s. 3600 IN CNAME serve-host.example.\n", r.Domain)
	fmt.Fprintf(&b, "; or: autoconfig.%s. 3600 IN A 192.0.2.1 (the host's address)\n", r.Domain)
	return []byte(b.String())
}

// ZoneFileName is the zone file's name in WriteDir's folder.
func (r *Records) ZoneFileName() string { return r.Domain + ".zone" }

// Readme is the README.txt WriteDir writes: where each file goes.
func (r *Records) Readme() []byte {
	d := r.Domain
	noPOX := ""
	if r.AutodiscoverErr != nil {
		noPOX = "\n  Not written: " + r.AutodiscoverErr.Error() + "."
	}
	return []byte(fmt.Sprintf(`Files to publish for the mail domain %[1]s

%[2]s
  Serve it over HTTPS at
    https://autoconfig.%[1]s/mail/config-v1.1.xml
    https://%[1]s/.well-known/autoconfig/mail/config-v1.1.xml
  with the content type text/xml. Thunderbird and Thunderbird for Android read it.

%[3]s
  The Autodiscover (POX) response Outlook reads at
    https://autodiscover.%[1]s/autodiscover/autodiscover.xml
  It names the login of %[4]s only: a response for every user needs a server
  that reads the request, such as mailsetup serve.%[7]s

%[5]s
  Add these lines to the DNS zone of %[1]s: SRV records for SRV-aware clients
  (RFC 6186, RFC 8314; "." means the service is not offered) and
  _autodiscover._tcp for Outlook; the comments say which host names must point
  at the machine that serves the files above.

%[6]s
  A configuration for mailsetup serve, which answers autoconfig, .well-known
  and Autodiscover requests for every user of %[1]s:
    mailsetup serve --config %[6]s --tls-cert FILE --tls-key FILE
  (or --acme-email ADDRESS for certificates from Let's Encrypt).
`, d, AutoconfigFile, AutodiscoverFile, r.Address, r.ZoneFileName(), ServeFile, noPOX))
}

// WriteDir writes the records into dir as files (AutoconfigFile,
// AutodiscoverFile unless AutodiscoverErr, <domain>.zone, ServeFile, ReadmeFile), each
// atomically; with force false an existing file is left alone and the
// error wraps fsutil.ErrExists. dir is created when missing.
func (r *Records) WriteDir(dir string, force bool) error {
	if err := mkdir(dir); err != nil {
		return err
	}
	type file struct {
		name string
		data []byte
	}
	files := []file{{AutoconfigFile, r.Autoconfig}}
	if r.AutodiscoverErr == nil {
		files = append(files, file{AutodiscoverFile, r.Autodiscover})
	}
	files = append(files, file{r.ZoneFileName(), r.ZoneFile()}, file{ServeFile, r.Serve}, file{ReadmeFile, r.Readme()})
	if !force {
		for _, f := range files {
			if exists(filepath.Join(dir, f.name)) {
				return fmt.Errorf("%s %w", filepath.Join(dir, f.name), fsutil.ErrExists)
			}
		}
	}
	for _, f := range files {
		if err := fsutil.WriteFile(filepath.Join(dir, f.name), f.data, 0o644, force); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
	}
	return nil
}

// Text is the records for people: localized labels, values as they are
// published.
func (r *Records) Text(cat *i18n.Catalog) string {
	var b strings.Builder
	section := func(key string, args ...any) {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(cat.T(key, args...))
		b.WriteString("\n\n")
	}
	block := func(data []byte) {
		b.Write(data)
		if len(data) > 0 && data[len(data)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	section("audit.publish.autoconfig", "https://autoconfig."+r.Domain+"/mail/config-v1.1.xml", "https://"+r.Domain+"/.well-known/autoconfig/mail/config-v1.1.xml")
	block(r.Autoconfig)
	if r.AutodiscoverErr != nil {
		section("audit.publish.no-autodiscover", cat.ErrorText(r.AutodiscoverErr))
	} else {
		section("audit.publish.autodiscover", "https://autodiscover."+r.Domain+"/autodiscover/autodiscover.xml", r.Address.String())
		block(r.Autodiscover)
	}
	section("audit.publish.dns", r.Domain)
	block(r.ZoneFile())
	section("audit.publish.serve", "mailsetup serve --config "+ServeFile)
	block(r.Serve)
	return b.String()
}

func mkdir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
