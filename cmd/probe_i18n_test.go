package cmd

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/probe"
)

// TestProbeLangLT probes a server with an expired certificate and a
// working one with --lang lt: the findings, fixes, labels, verdicts and
// the error are Lithuanian, and no English text of the catalogue shows.
func TestProbeLangLT(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	n := mailtest.Start(t)
	n.SetCertKind("imap.example.test", mailtest.CertExpired)
	args := []string{"probe", "--imap", "imap.example.test", "--smtp", "smtp.example.test:587"}

	code, out, errOut := runNet(t, n, "", append(args, "--lang", "lt")...)
	if code != ExitServer {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, ExitServer, out, errOut)
	}
	lt := i18n.New(i18n.LT)
	for _, want := range []string{
		"sertifikato galiojimas baigėsi",               // the expired finding
		lt.T("probe.tls.cert.expired.fix"),             // its fix
		lt.T("probe.report.fix"),                       // the fix label
		lt.T("probe.auth.skipped-no-password.message"), // the SMTP server works
		lt.T("probe.report.verdict.fail"),
		lt.T("probe.report.overall"),
		"[KLAIDA]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, lt.T("probe.report.err-server")) {
		t.Errorf("the error is not Lithuanian: %q", errOut)
	}
	if leaks := i18n.EnglishLeaks(i18n.LT, out+errOut, "probe.", "discover."); len(leaks) > 0 {
		t.Errorf("English in the Lithuanian report: %q\n%s%s", leaks, out, errOut)
	}
	for _, english := range []string{"expired", "certificate", "Overall", "fix:", "FAILED", "login"} {
		if strings.Contains(out+errOut, english) {
			t.Errorf("English word %q in the Lithuanian report:\n%s%s", english, out, errOut)
		}
	}

	// A usage mistake is explained in Lithuanian too.
	if code, _, errOut := runNet(t, n, "", "probe", "--lang", "lt"); code != ExitUsage || !strings.Contains(errOut, lt.T("probe.report.need-server")) {
		t.Errorf("usage error: exit %d: %q", code, errOut)
	}

	// The same run in English still reads as before: the English text comes
	// from the same catalogue.
	_, enOut, _ := runNet(t, n, "", append(args, "--lang", "en")...)
	if !strings.Contains(enOut, "The server's administrator must renew the certificate") || !strings.Contains(enOut, "Overall: FAILED") {
		t.Errorf("English report:\n%s", enOut)
	}
}

// TestProbeJSONLang checks that --json keeps field names and codes in
// every language while message and fix follow --lang.
func TestProbeJSONLang(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	n := mailtest.Start(t)
	n.SetCertKind("imap.example.test", mailtest.CertExpired)
	args := []string{"probe", "--imap", "imap.example.test", "--smtp", "smtp.example.test:587", "--json"}
	reports := map[string]*probe.Report{}
	for _, lang := range []string{"en", "ro"} {
		_, out, errOut := runNet(t, n, "", append(args, "--lang", lang)...)
		var rep probe.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("--lang %s: %v\n%s\n%s", lang, err, out, errOut)
		}
		if !strings.Contains(out, `"findings"`) || !strings.Contains(out, `"code": "tls.cert.expired"`) && !strings.Contains(out, `"code":"tls.cert.expired"`) {
			t.Errorf("--lang %s: JSON lacks the field names or the code:\n%s", lang, out)
		}
		reports[lang] = &rep
	}
	en, ro := reports["en"], reports["ro"]
	roCat := i18n.New(i18n.RO)
	for i, e := range en.Endpoints {
		re := ro.Endpoints[i]
		if len(re.Findings) != len(e.Findings) {
			t.Fatalf("endpoint %d: %d findings in ro, %d in en", i, len(re.Findings), len(e.Findings))
		}
		for j, f := range e.Findings {
			g := re.Findings[j]
			if g.Code != f.Code || g.Severity != f.Severity {
				t.Errorf("code %s/%s in ro, %s/%s in en", g.Code, g.Severity, f.Code, f.Severity)
			}
			if g.Message == f.Message || (f.Fix != "" && g.Fix == f.Fix) {
				t.Errorf("%s: ro message or fix is the English one: %q / %q", g.Code, g.Message, g.Fix)
			}
		}
	}
	var expired probe.Finding
	for _, f := range ro.Endpoints[0].Findings {
		if f.Code == probe.CodeTLSCertExpired {
			expired = f
		}
	}
	if expired.Fix != roCat.T("probe.tls.cert.expired.fix") || !strings.Contains(expired.Message, "a expirat la") {
		t.Errorf("ro expired finding: %+v", expired)
	}
}
