package cmd

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/bulk"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/i18n/i18ntest"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/internal/netx"
)

// cliLangs are the languages the tests here check for English.
var cliLangs = []i18n.Lang{i18n.RO, i18n.LT}

// cliEnglish is the English of the messages these tests cover.
func cliEnglish() map[string]string {
	return i18ntest.English("args.", "err.", "input.", "bulkrow.", "trace.", "discover.", "proto.", "probe.")
}

// TestCommandLineErrorsLang runs command lines that pflag and cobra
// refuse, and values that account and netx refuse, with --lang ro and lt
// given last (after the flag that stops parsing): the error's first line
// is the catalogue's message in that language naming the flag, command
// or value as typed, with no English trigram of the catalogue, and the
// exit code is the usage error's.
func TestCommandLineErrorsLang(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	addr := func(in string, problem string, args ...any) []any {
		return []any{"err.address", in, i18n.M("err.address."+problem, args...)}
	}
	tests := []struct {
		args []string
		want []any // key, values
	}{
		{[]string{"probe", "--bogus"}, []any{"args.flag-unknown", "--bogus"}},
		{[]string{"probe", "-Z"}, []any{"args.flag-unknown", "-Z"}},
		{[]string{"probe", "-vZ"}, []any{"args.flag-unknown", "-Z"}},
		{[]string{"probe", "--imap", "imap.example.test", "--timeout"}, []any{"args.flag-needs-value", "--timeout"}},
		{[]string{"export", "jane@example.test", "-o"}, []any{"args.flag-needs-value", "-o"}},
		{[]string{"--timeout", "soon", "version"}, []any{"args.flag-invalid", "soon", "--timeout", i18n.M("args.type.duration")}},
		{[]string{"--verbose=maybe", "version"}, []any{"args.flag-invalid", "maybe", "--verbose", i18n.M("args.type.bool")}},
		{[]string{"bulk", "x.csv", "-o", "out", "--format", "json", "--jobs", "many"}, []any{"args.flag-invalid", "many", "--jobs", i18n.M("args.type.int")}},
		{[]string{"---x", "version"}, []any{"args.flag-syntax", "---x"}},
		{[]string{"frobnicate"}, []any{"args.command-unknown", "frobnicate", "mailsetup"}},
		{[]string{"probr"}, []any{"args.error-hint", i18n.M("args.command-unknown", "probr", "mailsetup"), i18n.M("args.did-you-mean", "probe")}},
		{[]string{"version", "extra"}, []any{"args.args-none", "mailsetup version", "extra"}},
		{[]string{"discover"}, []any{"args.args-missing", "mailsetup discover", "EMAIL"}},
		{[]string{"discover", "a@example.test", "b@example.test"}, []any{"args.args-too-many", "mailsetup discover", 2}},
		{[]string{"--resolver", "1.2.3.4:99999", "version"}, []any{"err.resolver", i18n.M("err.resolver.port", "1.2.3.4:99999", "99999")}},
		{[]string{"--resolver", ":53", "version"}, []any{"err.resolver", i18n.M("err.resolver.host", ":53")}},
		{[]string{"--resolver", "a:b:c", "version"}, []any{"err.resolver", i18n.M("err.resolver.syntax", "a:b:c")}},
		{[]string{"discover", "jane.example.test"}, addr("jane.example.test", "no-at")},
		{[]string{"discover", "jane@exa..mple.test"}, addr("jane@exa..mple.test", "label-empty")},
		{[]string{"probe", "jane@example"}, addr("jane@example", "domain-no-dot")},
		{[]string{"export", ".jane@example.test", "--format", "json"}, addr(".jane@example.test", "local-dot-ends")},
		{[]string{"export", "jane@[192.0.2.1]", "--format", "json"}, addr("jane@[192.0.2.1]", "ip-literal")},
		{[]string{"setup", "jane@ex_ample.test"}, addr("jane@ex_ample.test", "domain-char", '_')},
		{[]string{"probe", "--imap", "-bad-.example.test"}, []any{"err.flag-value", "imap",
			i18n.M("err.address.host", "-bad-.example.test", i18n.M("err.address.label-hyphen", "-bad-"))}},
		{[]string{"probe", "--imap", "[host:993"}, []any{"err.flag-value", "imap", i18n.M("err.resolver.syntax", "[host:993")}},
		{[]string{"bulk", "x.csv", "--format", "json", "-o", "-"}, []any{"err.bulk-output"}},
		{[]string{"bulk", "/nonexistent/x.csv", "--format", "json", "-o", "out"}, []any{"input.missing", "/nonexistent/x.csv"}},
		{[]string{"probe", "--imap", "imap.example.test", "--ca-file", "/nonexistent/ca.pem"}, []any{"err.file-missing", "--ca-file", "/nonexistent/ca.pem"}},
		{[]string{"export", "--from", "/nonexistent/a.json", "--format", "json"}, []any{"err.file-missing", "--from", "/nonexistent/a.json"}},
		{[]string{"bulk", "x.csv", "--format", "json", "-o", "out", "--jobs", "-1"}, []any{"err.bulk-jobs"}},
		{[]string{"bulk", "x.csv", "--format", "json", "-o", "out", "--login-rate", "0"}, []any{"err.bulk-login-rate"}},
		{[]string{"bulk", "x.csv", "--format", "json", "-o", "out", "--days-on-server", "99999"}, []any{"err.bulk-days", 3650}},
		{[]string{"bulk", "x.csv", "--format", "json", "-o", "out", "--offline", "--probe"}, []any{"err.bulk-offline"}},
		{[]string{"bulk", "x.csv", "--format", "json", "-o", "out", "--input-format", "xml"}, []any{"err.bulk-input-format", i18n.M("input.format", "xml")}},
	}
	english := cliEnglish()
	for _, tt := range tests {
		name := strings.Join(tt.args, " ")
		key, vals := tt.want[0].(string), tt.want[1:]
		for _, lang := range cliLangs {
			args := append(tt.args, "--lang", string(lang))
			if key == "args.flag-needs-value" {
				// The flag without its value must come last.
				args = append([]string{"--lang", string(lang)}, tt.args...)
			}
			code, _, errOut := run(t, args...)
			wantCode := ExitUsage
			if key == "err.file-missing" {
				wantCode = ExitError // a file that cannot be read, as before
			}
			if code != wantCode {
				t.Errorf("%s: %s: exit %d, want %d: %q", name, lang, code, wantCode, errOut)
			}
			first, _, _ := strings.Cut(errOut, "\n")
			if want := i18n.New(lang).Render(i18n.M(key, vals...)); !strings.Contains(first, want) {
				t.Errorf("%s: %s: error line %q lacks %q", name, lang, first, want)
			}
			if leaks := i18ntest.Leaks(first, english); len(leaks) > 0 {
				t.Errorf("%s: %s: English in %q: %q", name, lang, first, leaks)
			}
		}
	}
}

// TestLangFromArgsOnly: with no --lang reached by the parser, the
// locale decides; a --lang after "--" is an argument, not the flag.
func TestLangFromArgsOnly(t *testing.T) {
	ios, _, _, errOut := iostreams.Test()
	f := NewFactory(ios)
	f.Getenv = func(k string) string {
		if k == "LANG" {
			return "lt_LT.UTF-8"
		}
		return ""
	}
	if code := Execute(context.Background(), f, []string{"probe", "--bogus"}); code != ExitUsage {
		t.Fatalf("exit %d", code)
	}
	if want := i18n.New(i18n.LT).T("args.flag-unknown", "--bogus"); !strings.Contains(errOut.String(), want) {
		t.Errorf("LANG=lt: %q lacks %q", errOut, want)
	}
	code, _, stderr := run(t, "probe", "--bogus", "--", "--lang", "ro")
	if want := i18n.New(i18n.EN).T("args.flag-unknown", "--bogus"); code != ExitUsage || !strings.Contains(stderr, want) {
		t.Errorf("--lang after --: exit %d, %q lacks %q", code, stderr, want)
	}
}

// TestBulkInputErrorsLang runs bulk over inputs whose header is wrong
// and over rows whose values account and encoding/csv refuse, in
// Romanian and Lithuanian: the input error and every row's message (in
// the human output and the report) are in that language, with the
// value as written; the codes do not change.
func TestBulkInputErrorsLang(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	headers := []struct {
		data string
		want i18n.Msg
	}{
		{"email,nope\n", i18n.M("input.column-unknown", 2, "nope", strings.Join(bulk.Columns, ", "))},
		{"email,Email\n", i18n.M("input.column-twice", 2, "Email")},
		{"name,password\n", i18n.M("input.no-email")},
		{"", i18n.M("input.empty")},
	}
	english := cliEnglish()
	for i, h := range headers {
		input := write("h"+string(rune('0'+i))+".csv", h.data)
		for _, lang := range cliLangs {
			code, _, errOut := run(t, "bulk", input, "--format", "json", "-o", filepath.Join(dir, "out"), "--offline", "--lang", string(lang))
			if code != ExitUsage {
				t.Errorf("%q: %s: exit %d: %q", h.data, lang, code, errOut)
			}
			first, _, _ := strings.Cut(errOut, "\n")
			if want := i18n.New(lang).Render(h.want); !strings.Contains(first, want) {
				t.Errorf("%q: %s: %q lacks %q", h.data, lang, first, want)
			}
			if leaks := i18ntest.Leaks(first, english); len(leaks) > 0 {
				t.Errorf("%q: %s: English in %q: %q", h.data, lang, first, leaks)
			}
		}
	}

	rows := "email,incoming,imap,imap_security,smtp\n" +
		"jane@exa..mple.test,,,,\n" +
		"amy@example.test,mapi,,,\n" +
		"bob@example.test,,imap.example.test,weird,smtp.example.test\n" +
		"joe@example.test,,-bad-.example.test,,smtp.example.test\n" +
		"ja\"ne@example.test,,,,\n" +
		"joe@nowhere.test,,,,\n"
	input := write("rows.csv", rows)
	type want struct {
		code string
		msg  i18n.Msg
	}
	wants := []want{
		{"input.email", i18n.M("err.address", "jane@exa..mple.test", i18n.M("err.address.label-empty"))},
		{"input.value", i18n.M("err.enum.protocol", "mapi", "imap, pop3, smtp")},
		{"input.value", i18n.M("err.enum.security", "weird", "tls, starttls, none")},
		{"input.value", i18n.M("err.address.host", "-bad-.example.test", i18n.M("err.address.label-hyphen", "-bad-"))},
		{"input.syntax", i18n.M("bulkrow.input.csv-bare-quote")},
		{"discovery.not-found", i18n.M("bulkrow.discovery-failed", "nowhere.test", i18n.M("discover.err.nothing"))},
	}
	for _, lang := range cliLangs {
		cat := i18n.New(lang)
		report := filepath.Join(dir, "report-"+string(lang)+".json")
		code, out, errOut := run(t, "bulk", input, "--format", "json", "-o", filepath.Join(dir, "rows-"+string(lang)),
			"--offline", "--report", report, "--lang", string(lang))
		if code != ExitError {
			t.Fatalf("%s: exit %d\n%s%s", lang, code, out, errOut)
		}
		data, err := os.ReadFile(report)
		if err != nil {
			t.Fatal(err)
		}
		rep := readReport(t, data)
		var msgs []string
		for _, r := range rep.Rows {
			for _, e := range r.Errors {
				msgs = append(msgs, e.Code+" "+e.Message)
			}
		}
		for _, w := range wants {
			text := w.code + " " + cat.Render(w.msg)
			found := false
			for _, m := range msgs {
				found = found || m == text
			}
			if !found {
				t.Errorf("%s: the report lacks %q: %q", lang, text, msgs)
			}
			if !strings.Contains(errOut, cat.Render(w.msg)) {
				t.Errorf("%s: the human output lacks %q:\n%s", lang, cat.Render(w.msg), errOut)
			}
		}
		if leaks := i18ntest.Leaks(out+errOut+strings.Join(msgs, "\n"), english); len(leaks) > 0 {
			t.Errorf("%s: English in the output: %q\n%s%s", lang, leaks, out, errOut)
		}
	}
}

// traceAutoconfig is an autoconfig file with what discovery ignores or
// changes: a <mailsetup> block (only the built-in database may add
// notes) and a POP3 days value over the limit.
const traceAutoconfig = `<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
<incomingServer type="pop3"><hostname>pop.example.test</hostname><port>995</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>
<pop3><leaveMessagesOnServer>true</leaveMessagesOnServer><daysToLeaveMessagesOnServer>99999</daysToLeaveMessagesOnServer></pop3></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider><mailsetup xmlns="urn:mailsetup:provider:1"><note kind="info">remote note</note></mailsetup></clientConfig>`

// TestTraceAndTrailLang runs discover and probe with -v in Romanian and
// Lithuanian: the trace's own words (how DNS is asked, connections, TLS,
// HTTP, the discovery steps and their outcomes) and the trail's details
// that mailsetup writes (what a remote file had ignored, the POP3 days
// limit, the SRV answer's DNSSEC note, every AD rule) are in that
// language; server text and names stay as they are.
func TestTraceAndTrailLang(t *testing.T) {
	n := mailtest.Start(t)
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", Body: traceAutoconfig})
	n.DNS().AddSRV("_imaps._tcp.example.test", 0, 1, 993, "imap.example.test")
	n.DNS().AddSRV("_submissions._tcp.example.test", 0, 1, 465, "smtp.example.test")
	n.DNS().SetADAll(true)
	english := cliEnglish()
	u := "https://autoconfig.example.test/mail/config-v1.1.xml?emailaddress=jane%40example.test"
	for _, lang := range cliLangs {
		cat := i18n.New(lang)
		detailsOf := func(out string) string {
			t.Helper()
			var res autoconfig.Result
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("%s: %v\n%s", lang, err, out)
			}
			var b strings.Builder
			for _, s := range res.Trail {
				b.WriteString(s.Detail + "\n")
			}
			return b.String()
		}
		discover := []string{"discover", "jane@example.test", "--ispdb", "off", "--sources", "autoconfig,srv", "--json", "-v", "--lang", string(lang)}
		code, out, errOut := runNet(t, n, "", append([]string{"--trust-ad"}, discover...)...)
		if code != ExitOK {
			t.Fatalf("%s: discover: exit %d\n%s", lang, code, errOut)
		}
		trail := detailsOf(out)
		for _, m := range []i18n.Msg{
			i18n.M("discover.detail.ignored", i18n.M("discover.ignored.notes"), "autoconfig.example.test", i18n.M("discover.ignored.notes-why")),
			i18n.M("discover.detail.ignored", i18n.M("discover.ignored.days-clamped", 3650, "99999"), "autoconfig.example.test", i18n.M("discover.ignored.days-limit", 3650)),
			i18n.M("discover.detail.srv-ad", "imap.example.test:993", i18n.M("discover.ad.validated", i18n.M("discover.adrule.paren", i18n.M("discover.adrule.flag")))),
		} {
			if want := cat.Render(m); !strings.Contains(trail, want) {
				t.Errorf("%s: the trail lacks %q:\n%s", lang, want, trail)
			}
		}
		for _, m := range []i18n.Msg{
			i18n.M("trace.dns.server", n.ResolverAddr()),
			i18n.M("trace.discover", "autoconfig", u, i18n.M("discover.outcome.found"), i18n.M("discover.detail.counts", 1, 1)),
		} {
			if want := cat.Render(m); !strings.Contains(errOut, want) {
				t.Errorf("%s: the trace lacks %q:\n%s", lang, want, errOut)
			}
		}
		for _, key := range []string{"trace.dns.records-note", "trace.connect.ok", "trace.http"} {
			if want := longestPiece(cat.T(key)); !strings.Contains(errOut, want) {
				t.Errorf("%s: the trace lacks %s (%q):\n%s", lang, key, want, errOut)
			}
		}
		if leaks := i18ntest.Leaks(errOut+trail, english); len(leaks) > 0 {
			t.Errorf("%s: English in the discover trace or trail: %q\n%s%s", lang, leaks, errOut, trail)
		}

		// The system's DNS configuration, which cannot mark a resolver as
		// validating: the AD bit is ignored, and the trail says why.
		code, out, errOut = runSystemDNS(t, n, netx.SystemConfig{Servers: []string{n.ResolverAddr()}, Source: "test"}, "", discover...)
		if code != ExitOK {
			t.Fatalf("%s: discover with the system's DNS: exit %d\n%s", lang, code, errOut)
		}
		trail = detailsOf(out)
		host, _, _ := net.SplitHostPort(n.ResolverAddr())
		if want := cat.Render(i18n.M("discover.ad.ignored", host, i18n.M("discover.adrule.paren", i18n.M("discover.adrule.no-system-trust")))); !strings.Contains(trail, want) {
			t.Errorf("%s: the trail lacks %q:\n%s", lang, want, trail)
		}
		if want := longestPiece(cat.T("trace.dns.system")); !strings.Contains(errOut, want) {
			t.Errorf("%s: the trace lacks %q:\n%s", lang, want, errOut)
		}
		if leaks := i18ntest.Leaks(errOut+trail, english); len(leaks) > 0 {
			t.Errorf("%s: English in the system-DNS trace or trail: %q\n%s%s", lang, leaks, errOut, trail)
		}

		// probe -v: connections, TLS.
		code, out, errOut = runNet(t, n, "", "probe", "--imap", "imap.example.test", "--smtp", "smtp.example.test", "-v", "--lang", string(lang))
		if code != ExitOK {
			t.Fatalf("%s: probe: exit %d\n%s%s", lang, code, out, errOut)
		}
		for _, key := range []string{"trace.probe.connect-ok", "trace.probe.tls", "trace.dns.records-note"} {
			if want := longestPiece(cat.T(key)); !strings.Contains(errOut, want) {
				t.Errorf("%s: the probe trace lacks %s (%q):\n%s", lang, key, want, errOut)
			}
		}
		if leaks := i18ntest.Leaks(errOut, english); len(leaks) > 0 {
			t.Errorf("%s: English in the probe trace: %q\n%s", lang, leaks, errOut)
		}
	}
}

// TestBulkProgressLang runs bulk with stderr a terminal in Romanian and
// Lithuanian: the progress bar's counts and rate are in that language,
// never the bar library's English units ("/hr", "it/s").
func TestBulkProgressLang(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "rows.csv")
	rows := "email,imap,smtp\n"
	for i := range 20 {
		rows += "u" + string(rune('a'+i)) + "@example.test,imap.example.test,smtp.example.test\n"
	}
	if err := os.WriteFile(input, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, lang := range cliLangs {
		cat := i18n.New(lang)
		code, _, stderr := runBulk(t, context.Background(), nil, true, "", "bulk", input, "--format", "json",
			"-o", filepath.Join(dir, "out-"+string(lang)), "--offline", "--lang", string(lang))
		if code != ExitOK {
			t.Fatalf("%s: exit %d\n%s", lang, code, stderr)
		}
		if want := cat.T("bulk.progress", 20, 0, 0); !strings.Contains(stderr, want) {
			t.Errorf("%s: the bar lacks %q:\n%q", lang, want, stderr)
		}
		for _, unit := range []string{"/hr", "it/s", "/min)", "/s)"} {
			if strings.Contains(stderr, unit) {
				t.Errorf("%s: the bar shows the library's unit %q:\n%q", lang, unit, stderr)
			}
		}
		if want := longestPiece(cat.T("progress.rate")); !strings.Contains(stderr, want) && !strings.Contains(stderr, longestPiece(cat.T("progress.rate-min"))) {
			t.Errorf("%s: the bar lacks the rate %q:\n%q", lang, want, stderr)
		}
	}
}

// TestDNSErrorsLang probes a host name that does not exist and discovers
// settings for a domain that does not exist in DNS (but is in the built-in
// database, so the address check lets discovery run), in Romanian and
// Lithuanian:
// the DNS error quoted in the finding, the trace and the trail ("dns
// lookup A x: no such domain") is in that language.
func TestDNSErrorsLang(t *testing.T) {
	n := mailtest.Start(t)
	english := cliEnglish()
	for _, lang := range cliLangs {
		cat := i18n.New(lang)
		notFound := func(typ, name string) string {
			return cat.Render(i18n.M("err.dns", typ, name, i18n.M("err.dns.not-found")))
		}
		code, out, errOut := runNet(t, n, "", "probe", "--imap", "nosuch.example.test", "-v", "--lang", string(lang))
		if code == ExitOK {
			t.Errorf("%s: probe: exit 0", lang)
		}
		if want := notFound("A", "nosuch.example.test"); !strings.Contains(out, want) {
			t.Errorf("%s: the report lacks %q:\n%s", lang, want, out)
		}
		if want := cat.Render(i18n.M("trace.dns.error", "A", "nosuch.example.test", i18n.M("err.dns.not-found"))); !strings.Contains(errOut, want) {
			t.Errorf("%s: the trace lacks %q:\n%s", lang, want, errOut)
		}
		if leaks := i18ntest.Leaks(out+errOut, english); len(leaks) > 0 {
			t.Errorf("%s: English in the probe output: %q\n%s%s", lang, leaks, out, errOut)
		}
		// aol.com is in the built-in database, so the address check lets
		// discovery run, and the test network has no such domain.
		code, out, _ = runNet(t, n, "", "discover", "jane@aol.com", "--ispdb", "off", "--sources", "mx,srv", "--json", "--lang", string(lang))
		if code != ExitNotFound {
			t.Errorf("%s: discover: exit %d", lang, code)
		}
		if want := strings.TrimPrefix(strings.TrimSuffix(notFound("MX", "aol.com"), `"`), `"`); !strings.Contains(out, want) {
			t.Errorf("%s: the trail lacks %q:\n%s", lang, want, out)
		}
	}
}

// TestAccountFileErrorsLang exports from an account file whose settings
// are not valid, in Romanian and Lithuanian: the field error is in that
// language, the field name as in the file.
func TestAccountFileErrorsLang(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	server := func(proto, host string, port int) string {
		return `{"protocol":"` + proto + `","host":"` + host + `","port":` + strconv.Itoa(port) + `,"security":"tls","auth":"password-cleartext","username":"jane@example.test"}`
	}
	tests := []struct {
		data string
		want i18n.Msg
	}{
		{`{"email":"jane@example.test","incoming":` + server("imap", "imap.example.test", 99999) + `,"outgoing":` + server("smtp", "smtp.example.test", 465) + `}`,
			i18n.M("err.field.port", "incoming.port", 99999)},
		{`{"email":"jane@example.test","incoming":` + server("smtp", "smtp.example.test", 465) + `,"outgoing":` + server("smtp", "smtp.example.test", 465) + `}`,
			i18n.M("err.field.not-incoming", "incoming.protocol", "smtp")},
		{`{"email":"jane@example.test","incoming":` + server("imap", "IMAP.example.test", 993) + `,"outgoing":` + server("smtp", "smtp.example.test", 465) + `}`,
			i18n.M("err.field.not-normal", "incoming.host", "IMAP.example.test", "imap.example.test")},
	}
	english := cliEnglish()
	for i, tt := range tests {
		file := write("a"+strconv.Itoa(i)+".json", tt.data)
		for _, lang := range cliLangs {
			code, _, errOut := run(t, "export", "--from", file, "--format", "json", "-o", filepath.Join(dir, "out"), "--lang", string(lang))
			if code != ExitUsage {
				t.Errorf("%d: %s: exit %d: %q", i, lang, code, errOut)
			}
			first, _, _ := strings.Cut(errOut, "\n")
			if want := i18n.New(lang).Render(tt.want); !strings.Contains(first, want) {
				t.Errorf("%d: %s: %q lacks %q", i, lang, first, want)
			}
			if leaks := i18ntest.Leaks(first, english); len(leaks) > 0 {
				t.Errorf("%d: %s: English in %q: %q", i, lang, first, leaks)
			}
		}
	}
}

// TestDocsLang: docs says what it wrote, and refuses to replace a page,
// in the run's language (the pages themselves are --help text).
func TestDocsLang(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	for _, lang := range cliLangs {
		cat := i18n.New(lang)
		dir := filepath.Join(t.TempDir(), "md")
		code, out, errOut := run(t, "docs", "--markdown", dir, "--lang", string(lang))
		if code != ExitOK || !strings.Contains(out, longestPiece(cat.T("docs.wrote"))) {
			t.Errorf("%s: exit %d, %q lacks %q: %s", lang, code, out, cat.T("docs.wrote"), errOut)
		}
		code, _, errOut = run(t, "docs", "--markdown", dir, "--lang", string(lang))
		if want := cat.T("err.file-exists", filepath.Join(dir, "mailsetup.md")); code != ExitError || !strings.Contains(errOut, want) {
			t.Errorf("%s: again: exit %d, %q lacks %q", lang, code, errOut, want)
		}
	}
}

// TestFetchErrorsLang discovers with autoconfig answers that discovery
// refuses to follow (a redirect to plain HTTP, to an IP address, a 404),
// in Romanian and Lithuanian: the trail says so in that language, and the
// note about connecting to the lab network's loopback addresses too.
func TestFetchErrorsLang(t *testing.T) {
	n := mailtest.Start(t)
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", Status: http.StatusFound, Location: "http://autoconfig.example.test/plain.xml"})
	n.HandleHTTP("example.test", "/.well-known/autoconfig/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", Status: http.StatusFound, Location: "https://192.0.2.1/config.xml"})
	english := cliEnglish()
	first := "https://autoconfig.example.test/mail/config-v1.1.xml?emailaddress=jane%40example.test"
	for _, lang := range cliLangs {
		cat := i18n.New(lang)
		code, out, errOut := runNet(t, n, "", "discover", "jane@example.test", "--ispdb", "off", "--sources", "autoconfig", "--json", "--lang", string(lang))
		if code != ExitNotFound {
			t.Fatalf("%s: exit %d\n%s%s", lang, code, out, errOut)
		}
		var res autoconfig.Result
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		var trail strings.Builder
		for _, s := range res.Trail {
			trail.WriteString(s.Detail + "\n")
		}
		for _, m := range []i18n.Msg{
			i18n.M("discover.err.redirect-http", first, "http://autoconfig.example.test/plain.xml"),
			i18n.M("discover.err.redirect-ip", "https://example.test/.well-known/autoconfig/mail/config-v1.1.xml", "192.0.2.1"),
		} {
			if want := cat.Render(m); !strings.Contains(trail.String(), want) {
				t.Errorf("%s: the trail lacks %q:\n%s", lang, want, trail.String())
			}
		}
		if want := longestPiece(cat.T("discover.detail.guard-lab")); !strings.Contains(trail.String(), want) {
			t.Errorf("%s: the trail lacks the dial guard's note %q:\n%s", lang, want, trail.String())
		}
		if leaks := i18ntest.Leaks(trail.String(), english); len(leaks) > 0 {
			t.Errorf("%s: English in the trail: %q\n%s", lang, leaks, trail.String())
		}
	}
}

// TestParseErrorsLang discovers with an autoconfig file that has no
// usable incoming server, in Romanian and Lithuanian: the trail says why
// in that language, the file's values as they are.
func TestParseErrorsLang(t *testing.T) {
	n := mailtest.Start(t)
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", Body: `<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
<incomingServer type="imap"><hostname>imap.example.test</hostname><port>993</port><socketType>weird</socketType><username>%EMAILADDRESS%</username></incomingServer>
<incomingServer type="imap"><hostname>imap..example.test</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username></outgoingServer>
</emailProvider></clientConfig>`})
	english := cliEnglish()
	for _, lang := range cliLangs {
		cat := i18n.New(lang)
		code, out, errOut := runNet(t, n, "", "discover", "jane@example.test", "--ispdb", "off", "--sources", "autoconfig", "--json", "--lang", string(lang))
		if code != ExitNotFound {
			t.Fatalf("%s: exit %d\n%s%s", lang, code, out, errOut)
		}
		var res autoconfig.Result
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		var trail strings.Builder
		for _, s := range res.Trail {
			trail.WriteString(s.Detail + "\n")
		}
		want := cat.Render(i18n.M("discover.err.doc-no-servers-why", i18n.M("args.error-hint",
			i18n.M("discover.err.server-socket", "imap", "imap.example.test", "weird"),
			i18n.M("discover.err.server-host", "imap", i18n.M("err.address.host", "imap..example.test", i18n.M("err.address.label-empty"))))))
		if !strings.Contains(trail.String(), want) {
			t.Errorf("%s: the trail lacks %q:\n%s", lang, want, trail.String())
		}
		if leaks := i18ntest.Leaks(trail.String(), english); len(leaks) > 0 {
			t.Errorf("%s: English in the trail: %q\n%s", lang, leaks, trail.String())
		}
	}
}

// TestProbeServerAnswersLang probes servers whose greetings the probe
// refuses (not an IMAP greeting, an SMTP 554), in Romanian and
// Lithuanian: the finding's words about the answer are in that language,
// what the server sent is quoted as it is.
func TestProbeServerAnswersLang(t *testing.T) {
	n := mailtest.Start(t)
	n.SetBehavior("imap.example.test:993", mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		if strings.HasPrefix(line, "* OK") {
			return "hello there\r\n"
		}
		return line
	}})
	n.SetBehavior("smtp.example.test:465", mailtest.Behavior{RewriteServerLine: func(line string, afterTLS bool) string {
		if strings.HasPrefix(line, "220 ") {
			return "554 go away\r\n"
		}
		return line
	}})
	english := cliEnglish()
	for _, lang := range cliLangs {
		cat := i18n.New(lang)
		_, out, errOut := runNet(t, n, "", "probe", "--imap", "imap.example.test", "--smtp", "smtp.example.test", "--lang", string(lang))
		for _, m := range []i18n.Msg{i18n.M("proto.not-imap-greeting", "hello there"), i18n.M("proto.server-said", "554 go away")} {
			if want := cat.Render(m); !strings.Contains(out, want) {
				t.Errorf("%s: the report lacks %q:\n%s%s", lang, want, out, errOut)
			}
		}
		if leaks := i18ntest.Leaks(out+errOut, english); len(leaks) > 0 {
			t.Errorf("%s: English in the report: %q\n%s", lang, leaks, out)
		}
	}
}
