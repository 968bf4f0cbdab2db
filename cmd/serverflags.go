package cmd

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// serverFlag is one --imap/--pop3/--smtp flag with its --X-security
// companion. The same flags serve probe, export and setup.
type serverFlag struct {
	proto    account.Protocol
	hostPort string
	security account.Security
}

// serverFlags are the server flags shared by the commands that take
// servers on the command line.
type serverFlags struct {
	IMAP, POP3, SMTP serverFlag
	User             string
}

func (sf *serverFlags) register(fs *pflag.FlagSet) {
	sf.IMAP.proto, sf.POP3.proto, sf.SMTP.proto = account.IMAP, account.POP3, account.SMTP
	for _, f := range []*serverFlag{&sf.IMAP, &sf.POP3, &sf.SMTP} {
		name := f.proto.String()
		fs.StringVar(&f.hostPort, name, "", fmt.Sprintf("%s server `host[:port]`", f.proto.Label()))
		fs.Var(&f.security, name+"-security", fmt.Sprintf("%s security: tls, starttls or none (default: from the port, else tls)", f.proto.Label()))
	}
	fs.StringVar(&sf.User, "user", "", "login username (often the full e-mail address)")
}

// servers returns the servers given on the command line, in the order
// IMAP, POP3, SMTP.
func (sf *serverFlags) servers() ([]account.Server, error) {
	var out []account.Server
	for _, f := range []*serverFlag{&sf.IMAP, &sf.POP3, &sf.SMTP} {
		if f.hostPort == "" {
			if f.security != account.SecurityUnset {
				return nil, usageErrorM("err.security-without-server", f.proto, f.proto)
			}
			continue
		}
		s, err := parseServer(f.proto, f.hostPort, f.security)
		if err != nil {
			return nil, usageErrorM("err.flag-value", f.proto, err)
		}
		s.Username = sf.User
		out = append(out, s)
	}
	return out, nil
}

// parseServer reads "host", "host:port" or "[v6]:port" and fills in the
// security from the port (993/995/465 mean implicit TLS; 143/110/587/25
// STARTTLS) or the port from the security.
func parseServer(p account.Protocol, hostPort string, sec account.Security) (account.Server, error) {
	host, portStr := hostPort, ""
	if h, pt, err := net.SplitHostPort(hostPort); err == nil {
		host, portStr = h, pt
	} else if strings.Count(hostPort, ":") == 1 {
		return account.Server{}, i18n.WrapError(err, "err.resolver.syntax", hostPort)
	}
	host, err := account.NormalizeHost(strings.Trim(host, "[]"))
	if err != nil {
		return account.Server{}, err
	}
	port := 0
	if portStr != "" {
		port, err = strconv.Atoi(portStr)
		if err != nil || port < 1 || port > 65535 {
			return account.Server{}, i18n.Error("err.bad-port", portStr)
		}
	}
	if sec == account.SecurityUnset {
		sec = securityForPort(p, port)
	}
	if port == 0 {
		port = account.DefaultPort(p, sec)
	}
	return account.Server{Protocol: p, Host: host, Port: port, Security: sec, Auth: account.AuthPasswordCleartext}, nil
}

// securityForPort guesses the security from a well-known port.
func securityForPort(p account.Protocol, port int) account.Security {
	switch port {
	case 143, 110, 587, 25:
		return account.STARTTLS
	}
	return account.TLS
}
