package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// TestAddressCheckExitCodes: every command that discovers checks the
// address's domain first. A domain that does not exist (or, offline, a
// near miss of a provider domain) exits 3 with the suggestion in the
// one-line error; a DNS server that refuses exits 4 with the network
// fix, never as a typo. discover --json carries the finding as
// domain_problem with a stable code.
func TestAddressCheckExitCodes(t *testing.T) {
	os.Unsetenv(PasswordEnv)
	n := mailtest.Start(t)
	dir := t.TempDir()
	typo := "did you mean jane@gmail.com?"
	offline := "gmial.com is not in the built-in provider database"
	for _, tt := range []struct {
		name string
		args []string
		want []string
	}{
		{"setup", []string{"setup", "--email", "jane@gmial.com", "--yes", "-o", filepath.Join(dir, "s")}, []string{"the domain gmial.com does not exist", typo}},
		{"setup offline", []string{"setup", "--email", "jane@gmial.com", "--yes", "--offline", "-o", filepath.Join(dir, "so")}, []string{offline, typo}},
		{"setup no suggestion", []string{"setup", "--email", "alice@nonexistent-domain.example", "--yes", "-o", filepath.Join(dir, "sn")}, []string{"the domain nonexistent-domain.example does not exist", "check the spelling of the address"}},
		{"export", []string{"export", "jane@gmial.com", "--format", "json", "--yes", "-o", filepath.Join(dir, "e")}, []string{"the domain gmial.com does not exist", typo}},
		{"export offline", []string{"export", "jane@gmial.com", "--format", "json", "--offline", "-o", filepath.Join(dir, "eo")}, []string{offline, typo}},
		{"discover", []string{"discover", "jane@gmial.com"}, []string{"the domain gmial.com does not exist", typo}},
		{"discover offline", []string{"discover", "jane@gmial.com", "--offline"}, []string{offline, typo}},
		{"probe", []string{"probe", "jane@gmial.com"}, []string{"the domain gmial.com does not exist", typo}},
	} {
		code, out, errOut := runNet(t, n, "", append(tt.args, "--ispdb", "off")...)
		if code != ExitNotFound {
			t.Errorf("%s: exit %d, want %d\n%s%s", tt.name, code, ExitNotFound, out, errOut)
			continue
		}
		first, rest, _ := strings.Cut(errOut, "\n")
		for _, w := range tt.want {
			if !strings.Contains(first, w) {
				t.Errorf("%s: the error line %q lacks %q", tt.name, first, w)
			}
		}
		if strings.TrimSpace(rest) != "" || strings.Contains(out, "No settings") {
			t.Errorf("%s: more than the one-line error:\nstdout %s\nstderr %s", tt.name, out, errOut)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written for a mistyped address: %v", entries)
	}

	// --json: the finding with a stable code.
	for _, tt := range []struct {
		args []string
		code string
	}{
		{[]string{"discover", "jane@gmial.com", "--json"}, autoconfig.CodeDomainNotFound},
		{[]string{"discover", "jane@gmial.com", "--json", "--offline"}, autoconfig.CodeDomainTypo},
	} {
		code, out, _ := runNet(t, n, "", tt.args...)
		var res autoconfig.Result
		if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitNotFound {
			t.Fatalf("%v: exit %d, %v\n%s", tt.args, code, err, out)
		}
		p := res.DomainProblem
		if p == nil || p.Code != tt.code || p.Suggestion != "jane@gmail.com" || p.Domain != "gmial.com" || !strings.Contains(p.Message, typo) {
			t.Errorf("%v: domain_problem %+v\n%s", tt.args, p, out)
		}
		if !strings.Contains(out, `"domain_problem"`) || !strings.Contains(out, `"candidates": []`) {
			t.Errorf("%v: JSON fields\n%s", tt.args, out)
		}
	}

	// A DNS server that refuses everything: a network problem, exit 4.
	n.DNS().SetRcodeAll(dns.RcodeRefused)
	for _, args := range [][]string{
		{"setup", "--email", "jane@example.test", "--yes", "-o", filepath.Join(dir, "r")},
		{"export", "jane@example.test", "--format", "json", "--yes", "-o", filepath.Join(dir, "r")},
		{"discover", "jane@example.test"},
		{"probe", "jane@example.test"},
		{"setup", "--email", "jane@gmial.com", "--yes", "-o", filepath.Join(dir, "r")},
	} {
		code, out, errOut := runNet(t, n, "", append(args, "--ispdb", "off")...)
		if code != ExitServer {
			t.Errorf("%v: exit %d, want %d\n%s%s", args, code, ExitServer, out, errOut)
			continue
		}
		for _, w := range []string{"could not be checked: the DNS server refused to answer (REFUSED)", "check the network connection and the DNS server"} {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: %q lacks %q", args, errOut, w)
			}
		}
		for _, typoWord := range []string{"does not exist", "did you mean", "spelling of the address"} {
			if strings.Contains(errOut, typoWord) {
				t.Errorf("%v: a DNS failure reported as a typo: %q", args, errOut)
			}
		}
	}
	code, out, _ := runNet(t, n, "", "discover", "jane@example.test", "--json")
	var res autoconfig.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitServer || res.DomainProblem == nil || res.DomainProblem.Code != autoconfig.CodeDNSFailed {
		t.Errorf("discover --json with DNS refused: exit %d, %v\n%s", code, err, out)
	}
	// Both servers given: nothing to look up, the DNS is not asked first.
	code, _, errOut := runNet(t, n, "", "setup", "--email", "jane@gmial.com", "--imap", "imap.example.test", "--smtp", "smtp.example.test", "--no-verify", "--export", "none")
	if code != ExitOK {
		t.Errorf("both servers given: exit %d: %s", code, errOut)
	}
}

// TestAddressCheckLang: the address check's error lines in Romanian and
// Lithuanian, the DNS failure's reason included, with no English from
// the catalogue.
func TestAddressCheckLang(t *testing.T) {
	n := mailtest.Start(t)
	for _, lang := range []i18n.Lang{i18n.RO, i18n.LT} {
		cat := i18n.New(lang)
		n.DNS().SetRcodeAll(dns.RcodeSuccess)
		for _, tt := range []struct {
			email, want string
			code        int
		}{
			{"jane@gmial.com", cat.Render(i18n.M("err.domain-not-found-suggest", "jane@gmial.com", "gmial.com", "jane@gmail.com")), ExitNotFound},
			{"jane@goood.example", cat.Render(i18n.M("err.domain-not-found", "jane@goood.example", "goood.example")), ExitNotFound},
			{"jane@example.test", cat.Render(i18n.M("err.dns-failed", "example.test", i18n.M("err.dns-reason.refused"))), ExitServer},
		} {
			if tt.code == ExitServer {
				n.DNS().SetRcodeAll(dns.RcodeRefused)
			}
			code, _, errOut := runNet(t, n, "", "--lang", string(lang), "discover", tt.email, "--ispdb", "off")
			first, _, _ := strings.Cut(errOut, "\n")
			if code != tt.code || !strings.Contains(first, tt.want) {
				t.Errorf("%s %s: exit %d, %q lacks %q", lang, tt.email, code, first, tt.want)
			}
			if leaks := i18n.EnglishLeaks(lang, first, "err."); len(leaks) > 0 {
				t.Errorf("%s %s: English in %q: %q", lang, tt.email, first, leaks)
			}
		}
	}
}
