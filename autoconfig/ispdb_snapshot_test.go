package autoconfig

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// The whole-snapshot regression test: every domain of the ISPDB
// snapshot (the reference copy in testdata/ispdb), asked through the real
// ispdb source of an in-process HTTPS ISPDB, must give candidates that
// match its file. The expected candidates are worked out here from the
// file (decoded by the test's own structs, rawDoc) with mailsetup's
// documented rules, not with the parser under test.

// wantServer is a server as a candidate must carry it.
type wantServer struct {
	proto    account.Protocol
	host     string
	port     string
	security account.Security
	username string // expanded for the address
	auth     []account.AuthMethod
}

func (w wantServer) String() string {
	return fmt.Sprintf("%s %s:%s %s user=%q auth=%v", w.proto, w.host, w.port, w.security, w.username, w.auth)
}

func gotServer(s account.Server) wantServer {
	return wantServer{s.Protocol, s.Host, fmt.Sprint(s.Port), s.Security, s.Username, s.Methods()}
}

func (w wantServer) same(o wantServer) bool {
	return w.String() == o.String()
}

// wantCandidate is a candidate's incoming and outgoing server and the
// other outgoing servers offered as alternatives.
type wantCandidate struct {
	in, out wantServer
	alts    []wantServer
}

// Mozilla's <authentication> values, as the ISPDB writes them.
var mozAuth = map[string]account.AuthMethod{
	"password-cleartext": account.AuthPasswordCleartext, "plain": account.AuthPasswordCleartext,
	"password-encrypted": account.AuthPasswordEncrypted, "secure": account.AuthPasswordEncrypted,
	"OAuth2": account.AuthOAuth2, "NTLM": account.AuthNTLM, "GSSAPI": account.AuthGSSAPI,
	"client-IP-address": account.AuthClientIP, "TLS-client-cert": account.AuthTLSClientCert, "none": account.AuthNone,
}

// expected turns a server of the file into what a candidate for addr
// carries: the socket type as security, placeholders expanded, every
// authentication method in document order, once each (password-cleartext
// when the file names none).
func expected(s rawServer, addr account.Address) wantServer {
	w := wantServer{port: strings.TrimSpace(s.Port)}
	switch strings.TrimSpace(s.Type) {
	case "imap":
		w.proto = account.IMAP
	case "pop3":
		w.proto = account.POP3
	case "smtp":
		w.proto = account.SMTP
	}
	switch strings.ToUpper(strings.TrimSpace(s.SocketType)) {
	case "SSL", "TLS":
		w.security = account.TLS
	case "STARTTLS":
		w.security = account.STARTTLS
	default:
		w.security = account.None
	}
	expand := strings.NewReplacer("%EMAILADDRESS%", addr.String(), "%EMAILLOCALPART%", addr.LocalPart(), "%EMAILDOMAIN%", addr.Domain())
	w.host = strings.ToLower(expand.Replace(strings.TrimSpace(s.Hostname)))
	w.username = expand.Replace(strings.TrimSpace(s.Username))
	for _, a := range s.Auth {
		if m, ok := mozAuth[strings.TrimSpace(a)]; ok && !slices.Contains(w.auth, m) {
			w.auth = append(w.auth, m)
		}
	}
	if len(s.Auth) == 0 {
		w.auth = []account.AuthMethod{account.AuthPasswordCleartext}
	}
	return w
}

// withLogin gives an outgoing server that logs in but names no username
// Thunderbird's rule: the incoming server's username, else the address.
func withLogin(o, in wantServer, addr account.Address) wantServer {
	if login := !slices.Contains([]account.AuthMethod{account.AuthNone, account.AuthClientIP, account.AuthTLSClientCert}, o.auth[0]); o.username == "" && login {
		o.username = in.username
		if o.username == "" {
			o.username = addr.String()
		}
	}
	return o
}

// wantCandidates applies mailsetup's documented order (run.candidates)
// to the file: one candidate per IMAP or POP3 server, IMAP before POP3
// and encrypted before unencrypted, document order otherwise; a server
// listed twice once; at most MaxCandidates; each with the first encrypted
// SMTP server (the first one when none is) and the file's other SMTP
// servers, in document order, as alternatives. Candidates whose servers
// (protocol, host, port, security) repeat an earlier one's are one
// candidate, as discovery merges them.
func wantCandidates(d *rawDoc, addr account.Address) []wantCandidate {
	var in []wantServer
	for _, s := range d.Provider.Incoming {
		if t := strings.TrimSpace(s.Type); t == "imap" || t == "pop3" {
			in = append(in, expected(s, addr))
		}
	}
	rank := func(w wantServer) int {
		r := 0
		if w.proto == account.POP3 {
			r += 2
		}
		if w.security == account.None {
			r++
		}
		return r
	}
	slices.SortStableFunc(in, func(a, b wantServer) int { return rank(a) - rank(b) })
	var out []wantServer
	for _, s := range d.Provider.Outgoing {
		if strings.TrimSpace(s.Type) == "smtp" {
			out = append(out, expected(s, addr))
		}
	}
	first := out[0]
	for _, o := range out {
		if o.security != account.None {
			first = o
			break
		}
	}
	var cands []wantCandidate
	for _, i := range in {
		if slices.ContainsFunc(cands, func(c wantCandidate) bool { return c.in.same(i) }) {
			continue
		}
		c := wantCandidate{in: i, out: withLogin(first, i, addr)}
		for _, o := range out {
			o = withLogin(o, i, addr)
			if o.same(c.out) || slices.ContainsFunc(c.alts, o.same) {
				continue
			}
			c.alts = append(c.alts, o)
		}
		cands = append(cands, c)
	}
	cands = cands[:min(len(cands), MaxCandidates)]
	endpoint := func(w wantServer) string { return fmt.Sprintf("%s %s:%s %s", w.proto, w.host, w.port, w.security) }
	var merged []wantCandidate
	for _, c := range cands {
		if !slices.ContainsFunc(merged, func(m wantCandidate) bool {
			return endpoint(m.in) == endpoint(c.in) && endpoint(m.out) == endpoint(c.out)
		}) {
			merged = append(merged, c)
		}
	}
	return merged
}

// TestISPDBSnapshot asks the real ispdb source, against an in-process
// HTTPS ISPDB that serves every file of the snapshot under the URL layout
// of Thunderbird's (base/v1.1/DOMAIN), for user@DOMAIN for each of the
// snapshot's domains, and checks every candidate against the domain's
// file: protocol, host, port, security, username (expanded), every
// authentication method in order, the order of the candidates and the
// outgoing alternatives.
func TestISPDBSnapshot(t *testing.T) {
	ref, byDomain, domains := loadISPDBRef(t)
	n := mailtest.Start(t)
	n.AddHost("ispdb.example.test", mailtest.HTTPS)
	for _, d := range domains {
		n.HandleHTTP("ispdb.example.test", "/v1.1/"+d, xmlRoute(string(ref[byDomain[d].file])))
	}
	opts := Options{
		Resolver: &netx.Resolver{Server: n.ResolverAddr(), Timeout: 5 * time.Second},
		Dialer:   n, RootCAs: n.CAPool(),
		ISPDB:    "https://ispdb.example.test/v1.1/",
		Only:     []account.Source{account.SourceISPDB},
		NoVerify: true,
		DB:       &DB{byDomain: map[string]*Config{}},
	}

	start := time.Now()
	var mu sync.Mutex
	checked := 0
	work := make(chan string)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for d := range work {
				msgs := checkSnapshotDomain(d, byDomain[d], opts)
				mu.Lock()
				checked++
				for _, m := range msgs {
					t.Error(m)
				}
				mu.Unlock()
			}
		})
	}
	for _, d := range domains {
		work <- d
	}
	close(work)
	wg.Wait()
	t.Logf("%d domains of %d files checked in %v", checked, len(ref), time.Since(start).Round(time.Millisecond))
}

// checkSnapshotDomain runs the discovery of user@d and returns what does
// not match the file.
func checkSnapshotDomain(d string, e refEntry, opts Options) []string {
	addr, err := account.ParseAddress("user@" + d)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", d, err)}
	}
	where := fmt.Sprintf("%s (%s)", d, e.file)
	res, err := Discover(context.Background(), addr, opts)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", where, err)}
	}
	want := wantCandidates(e.doc, addr)
	var msgs []string
	if len(res.Candidates) != len(want) {
		msgs = append(msgs, fmt.Sprintf("%s: %d candidates, want %d", where, len(res.Candidates), len(want)))
	}
	for i, c := range res.Candidates[:min(len(res.Candidates), len(want))] {
		w := want[i]
		if src := c.Account.Provenance.Source; src != account.SourceISPDB {
			msgs = append(msgs, fmt.Sprintf("%s: candidate %d from %s", where, i+1, src))
		}
		if g := gotServer(c.Account.Incoming); !g.same(w.in) {
			msgs = append(msgs, fmt.Sprintf("%s: candidate %d incoming\n got %v\nwant %v", where, i+1, g, w.in))
		}
		if g := gotServer(c.Account.Outgoing); !g.same(w.out) {
			msgs = append(msgs, fmt.Sprintf("%s: candidate %d outgoing\n got %v\nwant %v", where, i+1, g, w.out))
		}
		var alts []string
		for _, a := range c.OutgoingAlternatives {
			alts = append(alts, gotServer(a).String())
		}
		var wantAlts []string
		for _, a := range w.alts {
			wantAlts = append(wantAlts, a.String())
		}
		if !slices.Equal(alts, wantAlts) {
			msgs = append(msgs, fmt.Sprintf("%s: candidate %d outgoing alternatives\n got %v\nwant %v", where, i+1, alts, wantAlts))
		}
	}
	return msgs
}
