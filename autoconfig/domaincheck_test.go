package autoconfig

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// TestSuggest: the built-in database's nearest domain within the edit
// limit, with swapped neighbours counted as one edit, and nothing for
// domains in the database or far from all of them.
func TestSuggest(t *testing.T) {
	db, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ typed, want string }{
		{"gmial.com", "gmail.com"},  // swapped neighbours: one edit
		{"gmaill.com", "gmail.com"}, // an extra letter
		{"gmal.com", "gmail.com"},   // a missing letter
		{"gmail.con", "gmail.com"},  // a wrong letter in the ending
		{"GMIAL.COM.", "gmail.com"}, // case and the root dot do not count
		{"hotmial.com", "hotmail.com"},
		{"aol.cm", "aol.com"},         // aol.ca is as near, but aol.com is AOL's main domain
		{"yahooo.com", "yahoo.com"},   // one edit
		{"outlok.com", "outlook.com"}, //
		{"gmx.nett", "gmx.net"},       // seven characters: one edit allowed
		{"gmx.nte", "gmx.net"},        // swapped neighbours at seven characters
		{"gmq.nte", ""},               // two edits at seven characters: too far
		{"gmail.com", ""},             // in the database
		{"example.com", ""},           // far from everything
		{"goood.example", ""},         // far from everything
		{"", ""},
	} {
		if got := db.Suggest(tt.typed); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}

// TestSuggestTies: of equally near domains the one with the typed
// top-level label wins, then a provider's main domain, then the
// alphabetically first.
func TestSuggestTies(t *testing.T) {
	db := &DB{byDomain: map[string]*Config{}}
	for _, c := range []*Config{
		{Domains: []string{"mailbox.org", "mailbox.de"}},
		{Domains: []string{"mailbux.org"}},
		{Domains: []string{"mailbox.fr"}},
		{Domains: []string{"zmail.net", "amail.net"}},
	} {
		for _, d := range c.Domains {
			db.byDomain[d] = c
		}
	}
	for _, tt := range []struct{ typed, want string }{
		{"mailbax.org", "mailbox.org"}, // mailbox.org and mailbux.org: one edit each, both main: alphabetical
		{"mailbax.de", "mailbox.de"},   // mailbox.de one edit, the others more
		{"mailbox.dr", "mailbox.fr"},   // .de and .fr one edit each, neither is .dr: mailbox.fr is a main domain
		{"xmail.net", "zmail.net"},     // amail.net is as near and first alphabetically, but an alias
	} {
		if got := db.Suggest(tt.typed); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"gmial.com", "gmail.com", 2, 1},
		{"abc", "abc", 2, 0},
		{"abc", "", 5, 3},
		{"kitten", "sitting", 5, 3},
		{"kitten", "sitting", 2, 3}, // beyond the limit: limit+1
		{"ab", "ba", 2, 1},
		{"ca", "abc", 5, 3}, // optimal string alignment, not full Damerau
	} {
		if got := editDistance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

// TestCheckDomain asks the in-process DNS: a domain with MX or addresses
// exists, so does one with other records only; one answered NXDOMAIN for
// everything does not (with the built-in database's suggestion when one
// is close); a refusing, failing or silent DNS server is a DNS failure,
// never a missing domain.
func TestCheckDomain(t *testing.T) {
	e := newDEnv(t)
	e.opts.DB = nil // the built-in database: gmail.com and friends
	e.opts.Resolver.Timeout = 300 * time.Millisecond
	e.opts.PhaseTimeout = time.Second
	z := e.n.DNS()
	z.AddMX("mxonly.test", 10, "mx.example.test")
	z.AddTXT("txtonly.test", "v=spf1 -all")
	check := func(email string) error {
		t.Helper()
		return CheckDomain(context.Background(), account.MustParseAddress(email), e.opts)
	}
	for _, email := range []string{"jane@example.test", "jane@mxonly.test", "jane@txtonly.test", "jane@gmail.com"} {
		if err := check(email); err != nil {
			t.Errorf("%s: %v", email, err)
		}
	}
	// gmail.com is known: not even asked.
	if n := z.QueryCount("gmail.com", dns.TypeANY); n != 0 {
		t.Errorf("a provider domain was looked up %d times", n)
	}

	var de *DomainError
	err := check("alice@gmial.com")
	if !errors.As(err, &de) || de.Code != CodeDomainNotFound || de.Suggestion != "alice@gmail.com" || !de.Typo() {
		t.Fatalf("gmial.com: %#v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "gmial.com does not exist") || !strings.Contains(msg, "did you mean alice@gmail.com?") || de.Message != msg {
		t.Errorf("gmial.com message %q (Message %q)", msg, de.Message)
	}
	if ro := de.RenderIn(i18n.New(i18n.RO)); !strings.Contains(ro, "ați vrut să scrieți alice@gmail.com?") {
		t.Errorf("Romanian: %q", ro)
	}
	err = check("alice@goood.example")
	if !errors.As(err, &de) || de.Code != CodeDomainNotFound || de.Suggestion != "" || !strings.Contains(err.Error(), "check the spelling") {
		t.Fatalf("goood.example: %#v", err)
	}

	for _, tt := range []struct {
		name   string
		set    func()
		reason string
	}{
		{"refused", func() { z.SetRcodeAll(dns.RcodeRefused) }, "refused to answer (REFUSED)"},
		{"servfail", func() { z.SetRcodeAll(dns.RcodeServerFailure) }, "failed to answer (SERVFAIL)"},
		{"timeout", func() { z.SetDelayAll(time.Hour) }, "did not answer in time"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.set()
			defer z.SetRcodeAll(dns.RcodeSuccess)
			defer z.SetDelayAll(0)
			for _, email := range []string{"jane@example.test", "alice@gmial.com"} {
				err := check(email)
				if !errors.As(err, &de) || de.Code != CodeDNSFailed || de.Typo() || de.Suggestion != "" {
					t.Fatalf("%s: %#v", email, err)
				}
				msg := err.Error()
				if !strings.Contains(msg, tt.reason) || !strings.Contains(msg, "check the network connection and the DNS server") || strings.Contains(msg, "did you mean") {
					t.Errorf("%s: %q", email, msg)
				}
			}
		})
	}

	// Nothing listens: no route to a DNS server.
	o := e.opts
	o.Resolver = &netx.Resolver{Server: "127.0.0.1:1", Timeout: 300 * time.Millisecond}
	err = CheckDomain(context.Background(), account.MustParseAddress("jane@example.test"), o)
	if !errors.As(err, &de) || de.Code != CodeDNSFailed {
		t.Errorf("no DNS server: %#v", err)
	}

	// A cancelled run is a cancellation, not a DNS failure.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := CheckDomain(ctx, account.MustParseAddress("jane@nowhere.test"), e.opts); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestNXDOMAINOnly: a host lookup whose A query said NXDOMAIN while the
// AAAA query was refused (errors.Join, as netx.Resolver.LookupHost
// returns it) is not a missing domain.
func TestNXDOMAINOnly(t *testing.T) {
	nx := &netx.DNSError{Name: "x.test.", Type: "A", Rcode: dns.RcodeNameError, Err: netx.ErrNotFound}
	refused := &netx.DNSError{Name: "x.test.", Type: "AAAA", Rcode: dns.RcodeRefused, Err: errors.New("server answered REFUSED")}
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{nx, true},
		{errors.Join(nx, nx), true},
		{errors.Join(nx, refused), false},
		{refused, false},
		{context.DeadlineExceeded, false},
	} {
		if got := nxdomainOnly(tt.err); got != tt.want {
			t.Errorf("nxdomainOnly(%v) = %v", tt.err, got)
		}
	}
}

// TestCheckDomainOffline: without DNS only the built-in database speaks:
// a near miss of one of its domains is a typo, anything else cannot be
// judged.
func TestCheckDomainOffline(t *testing.T) {
	for _, opts := range []Options{{Offline: true}, {}} {
		err := CheckDomain(context.Background(), account.MustParseAddress("alice@gmial.com"), opts)
		var de *DomainError
		if !errors.As(err, &de) || de.Code != CodeDomainTypo || de.Suggestion != "alice@gmail.com" || !de.Typo() {
			t.Fatalf("gmial.com offline: %#v", err)
		}
		if !strings.Contains(err.Error(), "not in the built-in provider database") || !strings.Contains(err.Error(), "did you mean alice@gmail.com?") {
			t.Errorf("message %q", err)
		}
		for _, email := range []string{"alice@gmail.com", "alice@nonexistent-domain.example", "alice@example.com"} {
			if err := CheckDomain(context.Background(), account.MustParseAddress(email), opts); err != nil {
				t.Errorf("%s offline: %v", email, err)
			}
		}
	}
}

// osa is the optimal-string-alignment distance without a limit, written
// the textbook way (a full matrix), for FuzzEditDistance.
func osa(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// FuzzEditDistance: the bounded, two-row editDistance agrees with the
// textbook matrix up to the limit, and says limit+1 beyond it.
func FuzzEditDistance(f *testing.F) {
	for _, s := range [][2]string{{"gmial.com", "gmail.com"}, {"ca", "abc"}, {"", "x"}, {"kitten", "sitting"}, {"aol.cm", "aol.com"}} {
		f.Add(s[0], s[1], uint8(2))
	}
	f.Fuzz(func(t *testing.T, a, b string, limit uint8) {
		if len(a) > 64 || len(b) > 64 {
			return
		}
		l := int(limit % 8)
		want := min(osa(a, b), l+1)
		if got := editDistance(a, b, l); got != want {
			t.Fatalf("editDistance(%q, %q, %d) = %d, want %d", a, b, l, got, want)
		}
	})
}

// TestDomainErrorFor: the error for one address reads right for another
// address of the same domain: its own address and suggestion.
func TestDomainErrorFor(t *testing.T) {
	jane, _ := account.ParseAddress("jane@gmial.com")
	joe, _ := account.ParseAddress("joe@gmial.com")
	e := &DomainError{Code: CodeDomainNotFound, Email: jane.String(), Domain: "gmial.com", Suggestion: "jane@gmail.com",
		msg: i18n.M("err.domain-not-found-suggest", jane.Display(), jane.UnicodeDomain(), "jane@gmail.com")}
	e.done()
	got := e.For(joe)
	if got.Email != "joe@gmial.com" || got.Suggestion != "joe@gmail.com" || !strings.Contains(got.Message, "did you mean joe@gmail.com?") ||
		strings.Contains(got.Message, "jane") {
		t.Errorf("For(joe) = %+v", got)
	}
	if e.Suggestion != "jane@gmail.com" || e.For(jane) != e {
		t.Errorf("For changed the original or copied it for its own address: %+v", e)
	}
}
