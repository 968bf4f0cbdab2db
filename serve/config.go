package serve

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/templates"
)

// MaxConfigSize caps a configuration file: far more than any real list
// of domains needs, small enough to read whole.
const MaxConfigSize = 4 << 20

// Config is a validated serve configuration: the domains served and
// their settings, each domain's config-v1.1.xml rendered once.
type Config struct {
	// Name is the file the configuration was read from.
	Name      string
	providers []*provider
	byDomain  map[string]*provider
}

// provider is one entry of the configuration: one or more mail domains
// sharing settings.
type provider struct {
	pub        templates.Published
	autoconfig []byte // config-v1.1.xml, rendered at load
}

// Domains returns every configured mail domain in ASCII form, in the
// configuration's order.
func (c *Config) Domains() []string {
	var out []string
	for _, p := range c.providers {
		out = append(out, p.pub.Domains...)
	}
	return out
}

// Published returns the settings published for domain (ASCII, lower
// case) and whether it is configured.
func (c *Config) Published(domain string) (templates.Published, bool) {
	p, ok := c.byDomain[domain]
	if !ok {
		return templates.Published{}, false
	}
	return p.pub, true
}

// ConfigError is a problem in a configuration file, with the line it is on.
// Its message is a catalogue message (serve.config.*), so the command
// prints it in the run's language (it is an i18n.Renderer); Error gives
// the English text.
type ConfigError struct {
	File string
	Line int      // 0 when the problem is not on one line
	Msg  i18n.Msg // what is wrong; zero when Err says it all
	Err  error    // the underlying error, or nil
}

func (e *ConfigError) Error() string { return e.RenderIn(i18n.New(i18n.EN)) }

// RenderIn gives the error in c's language: "file:line: message: cause".
func (e *ConfigError) RenderIn(c *i18n.Catalog) string {
	msg := c.Render(e.Msg)
	if e.Err != nil {
		if msg != "" {
			msg += ": "
		}
		msg += c.ErrorText(e.Err)
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	}
	return e.File + ": " + msg
}

// Unwrap returns the underlying error.
func (e *ConfigError) Unwrap() error { return e.Err }

// ExitCode makes a bad configuration a usage error (exit code 2) in the
// command, which maps errors with ExitCode to its exit codes.
func (e *ConfigError) ExitCode() int { return 2 }

// LoadConfig reads and validates the configuration file path (see
// ParseConfig).
func LoadConfig(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxConfigSize+1)); err != nil {
		return nil, &ConfigError{File: path, Msg: i18n.M("serve.config.read"), Err: err}
	}
	return ParseConfig(buf.Bytes(), path)
}

// ParseConfig parses and validates a configuration; name is the file
// name errors give. Two forms are accepted, in YAML or JSON (YAML's
// superset):
//
//   - the account JSON that `mailsetup export --format json` writes (a
//     top-level "email"): one domain, the address's, with its servers; a
//     username equal to the address becomes %EMAILADDRESS%, one equal to
//     the local part %EMAILLOCALPART%; the person's name is not
//     published;
//   - a top-level "providers" list, each entry with "domains" and
//     "incoming"/"outgoing" server lists (see README.md).
//
// Unknown keys are errors, and every error names the line.
func ParseConfig(data []byte, name string) (*Config, error) {
	if len(data) > MaxConfigSize {
		return nil, &ConfigError{File: name, Msg: i18n.M("serve.config.too-large", MaxConfigSize)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := yamlErrLine(err)
		return nil, &ConfigError{File: name, Line: line, Msg: i18n.M("serve.config.syntax"), Err: errors.New(msg)}
	}
	p := &parser{file: name}
	cfg, err := p.config(&doc)
	if err != nil {
		return nil, err
	}
	cfg.Name = name
	return cfg, nil
}

// yamlErrLine splits a yaml.v3 syntax error ("yaml: line 3: ...") into
// the line it names (where the parser noticed the problem, which may be
// where the construct that is not closed starts) and the message.
func yamlErrLine(err error) (int, string) {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	rest, ok := strings.CutPrefix(s, "line ")
	if !ok {
		return 0, s
	}
	num, msg, ok := strings.Cut(rest, ": ")
	n, err2 := strconv.Atoi(num)
	if !ok || err2 != nil {
		return 0, s
	}
	return n, msg
}

type parser struct {
	file string
}

// errAt is the error with the catalogue message key at n's line.
func (p *parser) errAt(n *yaml.Node, key string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &ConfigError{File: p.file, Line: line, Msg: i18n.M(key, args...)}
}

// wrapAt is errAt with the cause err; an empty key lets err say it all.
func (p *parser) wrapAt(n *yaml.Node, err error, key string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	e := &ConfigError{File: p.file, Line: line, Err: err}
	if key != "" {
		e.Msg = i18n.M(key, args...)
	}
	return e
}

// fields returns the mapping n's values by key, failing on a key not in
// allowed, a repeated key, or a node that is not a mapping.
// An empty what is the top level: its messages name no path.
func (p *parser) fields(n *yaml.Node, what string, allowed ...string) (map[string]*yaml.Node, error) {
	n = deref(n)
	errAt := func(at *yaml.Node, key string, args ...any) error {
		if what == "" {
			return p.errAt(at, key+"-top", args...)
		}
		return p.errAt(at, key, append([]any{what}, args...)...)
	}
	if n.Kind != yaml.MappingNode {
		return nil, p.errAt(n, "serve.config.not-mapping", what)
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, errAt(k, "serve.config.key-not-string")
		}
		known := false
		for _, a := range allowed {
			if k.Value == a {
				known = true
				break
			}
		}
		if !known {
			return nil, errAt(k, "serve.config.unknown-key", k.Value, strings.Join(allowed, ", "))
		}
		if _, dup := out[k.Value]; dup {
			return nil, errAt(k, "serve.config.key-twice", k.Value)
		}
		out[k.Value] = v
	}
	return out, nil
}

// deref follows an alias to its anchor.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 8; i++ {
		n = n.Alias
	}
	return n
}

func (p *parser) str(n *yaml.Node, what string) (string, error) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.errAt(n, "serve.config.not-string", what)
	}
	if n.Tag != "!!str" && n.Tag != "!!int" && n.Tag != "!!float" && n.Tag != "!!bool" {
		return "", p.errAt(n, "serve.config.not-string", what)
	}
	return n.Value, nil
}

func (p *parser) num(n *yaml.Node, what string) (int, error) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		return 0, p.errAt(n, "serve.config.not-number", what)
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil {
		return 0, p.errAt(n, "serve.config.bad-number", what, n.Value)
	}
	return v, nil
}

func (p *parser) boolean(n *yaml.Node, what string) (bool, error) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		return false, p.errAt(n, "serve.config.not-bool", what)
	}
	return n.Value == "true" || n.Value == "True" || n.Value == "TRUE", nil
}

func (p *parser) list(n *yaml.Node, what string) ([]*yaml.Node, error) {
	n = deref(n)
	if n.Kind != yaml.SequenceNode {
		return nil, p.errAt(n, "serve.config.not-list", what)
	}
	return n.Content, nil
}

// strings reads a string or a list of strings.
func (p *parser) strings(n *yaml.Node, what string) ([]string, []*yaml.Node, error) {
	n = deref(n)
	if n.Kind == yaml.ScalarNode {
		s, err := p.str(n, what)
		return []string{s}, []*yaml.Node{n}, err
	}
	items, err := p.list(n, what)
	if err != nil {
		return nil, nil, err
	}
	var out []string
	for _, it := range items {
		s, err := p.str(it, what)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, s)
	}
	return out, items, nil
}

func (p *parser) config(doc *yaml.Node) (*Config, error) {
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &ConfigError{File: p.file, Msg: i18n.M("serve.config.empty")}
	}
	root := deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, p.errAt(root, "serve.config.root")
	}
	isAccount := false
	for i := 0; i < len(root.Content); i += 2 {
		if root.Content[i].Value == "email" {
			isAccount = true
		}
	}
	var provs []*provider
	var where []*yaml.Node
	if isAccount {
		pr, err := p.account(root)
		if err != nil {
			return nil, err
		}
		provs, where = []*provider{pr}, []*yaml.Node{root}
	} else {
		f, err := p.fields(root, "", "providers")
		if err != nil {
			return nil, err
		}
		pn, ok := f["providers"]
		if !ok {
			return nil, p.errAt(root, "serve.config.missing-top", "providers")
		}
		items, err := p.list(pn, "providers")
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return nil, p.errAt(pn, "serve.config.empty-list", "providers")
		}
		for i, it := range items {
			pr, err := p.provider(it, fmt.Sprintf("providers[%d]", i))
			if err != nil {
				return nil, err
			}
			provs = append(provs, pr)
			where = append(where, it)
		}
	}
	cfg := &Config{providers: provs, byDomain: map[string]*provider{}}
	for i, pr := range provs {
		for _, d := range pr.pub.Domains {
			if _, dup := cfg.byDomain[d]; dup {
				return nil, p.errAt(where[i], "serve.config.domain-twice", d)
			}
			cfg.byDomain[d] = pr
		}
		xml, err := pr.pub.AutoconfigXML()
		if err != nil {
			return nil, p.wrapAt(where[i], err, "serve.config.render")
		}
		pr.autoconfig = xml
	}
	return cfg, nil
}

// domainName checks a mail domain and returns its ASCII form.
func (p *parser) domainName(n *yaml.Node, s string) (string, error) {
	a, err := account.ParseAddress("postmaster@" + strings.TrimSpace(s))
	if err != nil || strings.ContainsAny(s, "@%") {
		if err == nil {
			err = i18n.Error("serve.config.not-domain")
		}
		return "", p.wrapAt(n, err, "serve.config.domain", s)
	}
	return a.Domain(), nil
}

// provider reads one entry of the providers list.
func (p *parser) provider(n *yaml.Node, what string) (*provider, error) {
	f, err := p.fields(n, what, "domains", "display_name", "short_name", "username", "incoming", "outgoing", "pop3", "provider_info")
	if err != nil {
		return nil, err
	}
	pr := &provider{}
	dn, ok := f["domains"]
	if !ok {
		return nil, p.errAt(n, "serve.config.missing", what, "domains")
	}
	names, nodes, err := p.strings(dn, what+".domains")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, p.errAt(dn, "serve.config.empty-list", what+".domains")
	}
	for i, s := range names {
		d, err := p.domainName(nodes[i], s)
		if err != nil {
			return nil, err
		}
		pr.pub.Domains = append(pr.pub.Domains, d)
	}
	if v, ok := f["display_name"]; ok {
		if pr.pub.DisplayName, err = p.text(v, what+".display_name"); err != nil {
			return nil, err
		}
	}
	if v, ok := f["short_name"]; ok {
		if pr.pub.ShortName, err = p.text(v, what+".short_name"); err != nil {
			return nil, err
		}
	}
	user := account.PlaceholderAddress
	if v, ok := f["username"]; ok {
		if user, err = p.username(v, what+".username"); err != nil {
			return nil, err
		}
	}
	for _, side := range []string{"incoming", "outgoing"} {
		v, ok := f[side]
		if !ok {
			return nil, p.errAt(n, "serve.config.missing", what, side)
		}
		items, err := p.list(v, what+"."+side)
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return nil, p.errAt(v, "serve.config.empty-list", what+"."+side)
		}
		for i, it := range items {
			s, err := p.server(it, fmt.Sprintf("%s.%s[%d]", what, side, i), side == "incoming", user, nil)
			if err != nil {
				return nil, err
			}
			if side == "incoming" {
				pr.pub.Incoming = append(pr.pub.Incoming, s)
			} else {
				pr.pub.Outgoing = append(pr.pub.Outgoing, s)
			}
		}
	}
	if v, ok := f["pop3"]; ok {
		if pr.pub.POP3, err = p.pop3(v, what+".pop3", pr.pub.Incoming); err != nil {
			return nil, err
		}
	}
	if v, ok := f["provider_info"]; ok {
		if pr.pub.Provider, err = p.providerInfo(v, what+".provider_info"); err != nil {
			return nil, err
		}
	}
	return pr, nil
}

// text reads a one-line text for people.
func (p *parser) text(n *yaml.Node, what string) (string, error) {
	s, err := p.str(n, what)
	if err != nil {
		return "", err
	}
	if strings.ContainsFunc(s, isControl) || len(s) > 200 {
		return "", p.errAt(n, "serve.config.text", what)
	}
	return s, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// username reads a username form: "address", "localpart", or a login
// name with placeholders.
func (p *parser) username(n *yaml.Node, what string) (string, error) {
	s, err := p.str(n, what)
	if err != nil {
		return "", err
	}
	switch s {
	case "address":
		return account.PlaceholderAddress, nil
	case "localpart":
		return account.PlaceholderLocalPart, nil
	}
	if strings.ContainsFunc(s, isControl) || len(s) > 256 {
		return "", p.errAt(n, "serve.config.username", what)
	}
	return s, nil
}

// server reads one server. incoming says which list it is in; user is
// the username form when the server names none. fromAccount, when set,
// is the address whose username is turned back into placeholders.
func (p *parser) server(n *yaml.Node, what string, incoming bool, user string, fromAccount *account.Address) (account.Server, error) {
	var s account.Server
	f, err := p.fields(n, what, "protocol", "host", "port", "security", "auth", "auth_methods", "username")
	if err != nil {
		return s, err
	}
	if v, ok := f["protocol"]; ok {
		str, err := p.str(v, what+".protocol")
		if err != nil {
			return s, err
		}
		if s.Protocol, err = account.ParseProtocol(str); err != nil {
			return s, p.wrapAt(v, err, "serve.config.value", what+".protocol")
		}
	} else if incoming {
		return s, p.errAt(n, "serve.config.protocol-missing", what)
	} else {
		s.Protocol = account.SMTP
	}
	if incoming && !s.Protocol.Incoming() {
		return s, p.errAt(f["protocol"], "serve.config.not-incoming", what+".protocol", s.Protocol.String())
	}
	if !incoming && s.Protocol != account.SMTP {
		return s, p.errAt(f["protocol"], "serve.config.not-smtp", what+".protocol", s.Protocol.String())
	}
	hn, ok := f["host"]
	if !ok {
		return s, p.errAt(n, "serve.config.missing", what, "host")
	}
	host, err := p.str(hn, what+".host")
	if err != nil {
		return s, err
	}
	if s.Host, err = account.NormalizeHost(host); err != nil {
		return s, p.wrapAt(hn, err, "serve.config.value", what+".host")
	}
	if v, ok := f["security"]; ok {
		str, err := p.str(v, what+".security")
		if err != nil {
			return s, err
		}
		if s.Security, err = account.ParseSecurity(str); err != nil {
			return s, p.wrapAt(v, err, "serve.config.value", what+".security")
		}
	}
	if v, ok := f["port"]; ok {
		if s.Port, err = p.num(v, what+".port"); err != nil {
			return s, err
		}
		if s.Port < 1 || s.Port > 65535 {
			return s, p.errAt(v, "serve.config.port", what+".port", s.Port)
		}
	}
	var methods []account.AuthMethod
	var authNode *yaml.Node
	for _, key := range []string{"auth", "auth_methods"} {
		v, ok := f[key]
		if !ok {
			continue
		}
		authNode = v
		names, nodes, err := p.strings(v, what+"."+key)
		if err != nil {
			return s, err
		}
		var ms []account.AuthMethod
		for i, name := range names {
			m, err := account.ParseAuthMethod(name)
			if err != nil {
				return s, p.wrapAt(nodes[i], err, "serve.config.value", what+"."+key)
			}
			ms = append(ms, m)
		}
		if len(ms) == 0 {
			return s, p.errAt(v, "serve.config.empty-list", what+"."+key)
		}
		if key == "auth_methods" && len(methods) > 0 && ms[0] != methods[0] {
			return s, p.errAt(v, "serve.config.auth-order", what+".auth_methods", methods[0].String())
		}
		if key == "auth_methods" || len(methods) == 0 {
			methods = ms
		}
	}
	if len(methods) > 0 {
		s.Auth = methods[0]
		if len(methods) > 1 {
			s.Auths = methods
		}
	}
	s.Username = user
	if v, ok := f["username"]; ok {
		if fromAccount != nil {
			u, err := p.str(v, what+".username")
			if err != nil {
				return s, err
			}
			form, ok := account.Unexpand(u, *fromAccount)
			if !ok && u != "" && !strings.Contains(u, "%") {
				return s, p.errAt(v, "serve.config.username-fixed", what+".username", u, fromAccount.String(), fromAccount.Domain())
			}
			s.Username = form
		} else if s.Username, err = p.username(v, what+".username"); err != nil {
			return s, err
		}
	}
	s = s.WithDefaults()
	if !s.Auth.NeedsUsername() && f["username"] == nil {
		s.Username = ""
	}
	// Validate with a sample address, so that placeholders expand.
	sample, _ := account.ParseAddress("user@example.com")
	check := s
	check.Username = account.Expand(s.Username, sample, "")
	if err := check.Validate(what); err != nil {
		at := n
		if authNode != nil && strings.Contains(err.Error(), ".auth") {
			at = authNode
		}
		return s, p.wrapAt(at, err, "")
	}
	return s, nil
}

func (p *parser) pop3(n *yaml.Node, what string, incoming []account.Server) (*account.POP3Options, error) {
	f, err := p.fields(n, what, "leave_on_server", "days_on_server")
	if err != nil {
		return nil, err
	}
	hasPOP := false
	for _, s := range incoming {
		hasPOP = hasPOP || s.Protocol == account.POP3
	}
	if !hasPOP {
		return nil, p.errAt(n, "serve.config.pop3-without", what)
	}
	o := &account.POP3Options{}
	if v, ok := f["leave_on_server"]; ok {
		if o.LeaveOnServer, err = p.boolean(v, what+".leave_on_server"); err != nil {
			return nil, err
		}
	}
	if v, ok := f["days_on_server"]; ok {
		if o.DaysOnServer, err = p.num(v, what+".days_on_server"); err != nil {
			return nil, err
		}
		switch {
		case o.DaysOnServer < 0 || o.DaysOnServer > account.MaxDaysOnServer:
			return nil, p.errAt(v, "serve.config.days", what+".days_on_server", o.DaysOnServer, account.MaxDaysOnServer)
		case o.DaysOnServer > 0 && !o.LeaveOnServer:
			return nil, p.errAt(v, "serve.config.days-no-leave", what+".days_on_server")
		}
	}
	return o, nil
}

// texts reads a list of {lang, text}.
func (p *parser) texts(n *yaml.Node, what string) ([]account.Text, error) {
	items, err := p.list(n, what)
	if err != nil {
		return nil, err
	}
	var out []account.Text
	for i, it := range items {
		w := fmt.Sprintf("%s[%d]", what, i)
		f, err := p.fields(it, w, "lang", "text")
		if err != nil {
			return nil, err
		}
		var t account.Text
		if v, ok := f["lang"]; ok {
			if t.Lang, err = p.text(v, w+".lang"); err != nil {
				return nil, err
			}
		}
		v, ok := f["text"]
		if !ok {
			return nil, p.errAt(it, "serve.config.missing", w, "text")
		}
		if t.Text, err = p.str(v, w+".text"); err != nil {
			return nil, err
		}
		if len(t.Text) > 2000 {
			return nil, p.errAt(v, "serve.config.text-long", w+".text")
		}
		out = append(out, t)
	}
	return out, nil
}

func (p *parser) webURL(n *yaml.Node, what string) (string, error) {
	s, err := p.str(n, what)
	if err != nil {
		return "", err
	}
	if !(strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) || strings.ContainsFunc(s, isControl) || strings.ContainsAny(s, " \"<>") || len(s) > 2000 {
		return "", p.errAt(n, "serve.config.url", what, s)
	}
	return s, nil
}

func (p *parser) providerInfo(n *yaml.Node, what string) (*account.ProviderInfo, error) {
	f, err := p.fields(n, what, "documentation", "enable", "oauth2")
	if err != nil {
		return nil, err
	}
	info := &account.ProviderInfo{}
	if v, ok := f["documentation"]; ok {
		items, err := p.list(v, what+".documentation")
		if err != nil {
			return nil, err
		}
		for i, it := range items {
			w := fmt.Sprintf("%s.documentation[%d]", what, i)
			df, err := p.fields(it, w, "url", "descriptions")
			if err != nil {
				return nil, err
			}
			var l account.Link
			u, ok := df["url"]
			if !ok {
				return nil, p.errAt(it, "serve.config.missing", w, "url")
			}
			if l.URL, err = p.webURL(u, w+".url"); err != nil {
				return nil, err
			}
			if d, ok := df["descriptions"]; ok {
				if l.Descr, err = p.texts(d, w+".descriptions"); err != nil {
					return nil, err
				}
			}
			info.Documentation = append(info.Documentation, l)
		}
	}
	if v, ok := f["enable"]; ok {
		ef, err := p.fields(v, what+".enable", "url", "instructions")
		if err != nil {
			return nil, err
		}
		e := &account.Enable{}
		if u, ok := ef["url"]; ok {
			if e.URL, err = p.webURL(u, what+".enable.url"); err != nil {
				return nil, err
			}
		}
		if d, ok := ef["instructions"]; ok {
			if e.Instructions, err = p.texts(d, what+".enable.instructions"); err != nil {
				return nil, err
			}
		}
		info.Enable = e
	}
	if v, ok := f["oauth2"]; ok {
		// Accepted so that export's JSON loads, but not published: a
		// domain's own OAuth2 client set-up is beyond config-v1.1.xml.
		if _, err := p.fields(v, what+".oauth2", "issuer", "scope", "auth_url", "token_url"); err != nil {
			return nil, err
		}
	}
	if info.IsZero() {
		return nil, nil
	}
	return info, nil
}

// account reads the account JSON export writes as a one-domain
// configuration.
func (p *parser) account(root *yaml.Node) (*provider, error) {
	f, err := p.fields(root, "", "email", "name", "incoming", "outgoing", "pop3", "provenance", "provider_info")
	if err != nil {
		return nil, err
	}
	en := f["email"]
	email, err := p.str(en, "email")
	if err != nil {
		return nil, err
	}
	addr, err := account.ParseAddress(email)
	if err != nil {
		return nil, p.wrapAt(en, err, "serve.config.value", "email")
	}
	if v, ok := f["name"]; ok {
		if _, err := p.str(v, "name"); err != nil {
			return nil, err
		}
	}
	pr := &provider{pub: templates.Published{Domains: []string{addr.Domain()}}}
	for _, side := range []string{"incoming", "outgoing"} {
		v, ok := f[side]
		if !ok {
			return nil, p.errAt(root, "serve.config.missing-top", side)
		}
		s, err := p.server(v, side, side == "incoming", account.PlaceholderAddress, &addr)
		if err != nil {
			return nil, err
		}
		if side == "incoming" {
			pr.pub.Incoming = []account.Server{s}
		} else {
			pr.pub.Outgoing = []account.Server{s}
		}
	}
	if v, ok := f["pop3"]; ok && deref(v).Tag != "!!null" {
		if pr.pub.POP3, err = p.pop3(v, "pop3", pr.pub.Incoming); err != nil {
			return nil, err
		}
	}
	if v, ok := f["provider_info"]; ok && deref(v).Tag != "!!null" {
		if pr.pub.Provider, err = p.providerInfo(v, "provider_info"); err != nil {
			return nil, err
		}
	}
	return pr, nil
}
