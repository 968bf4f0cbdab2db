package integration

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/cmd"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/probe"
)

// runProbe runs `mailsetup probe` against the rig's six endpoints through
// the real command: DNS for the rig's host name comes from an in-process
// DNS server given with --resolver, the CA with --ca-file, the password on
// stdin.
func runProbe(t *testing.T, r *rig, password string, extra ...string) (int, *probe.Report, string) {
	t.Helper()
	n := mailtest.Start(t, mailtest.Bare())
	if err := n.DNS().Add(r.host + ". 60 IN A " + r.addr); err != nil {
		t.Fatal(err)
	}
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(password + "\n")
	args := append([]string{"--resolver", n.ResolverAddr(), "--json", "probe",
		"--ca-file", os.Getenv(envCA), "--user", r.user, "--password-stdin",
		"--imap", r.host, "--pop3", r.host, "--smtp", r.host}, extra...)
	code := cmd.Execute(context.Background(), cmd.NewFactory(ios), args)
	var rep probe.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("probe --json: %v\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
	}
	return code, &rep, errOut.String()
}

// TestProbeImplicitTLS logs in on 993, 995 and 465 with the probe command.
func TestProbeImplicitTLS(t *testing.T) {
	r := requireRig(t)
	code, rep, errOut := runProbe(t, r, r.password)
	if code != cmd.ExitOK || rep.Verdict != probe.VerdictOK {
		t.Fatalf("exit %d, verdict %s: %s\n%+v", code, rep.Verdict, errOut, rep.Endpoints)
	}
	for _, e := range rep.Endpoints {
		checkRealEndpoint(t, e)
	}
}

// TestProbeSTARTTLS logs in on 143, 110 and 587, with STARTTLS really
// upgraded.
func TestProbeSTARTTLS(t *testing.T) {
	r := requireRig(t)
	code, rep, errOut := runProbe(t, r, r.password, "--imap", r.host+":143", "--pop3", r.host+":110", "--smtp", r.host+":587")
	if code != cmd.ExitOK || rep.Verdict != probe.VerdictOK {
		t.Fatalf("exit %d, verdict %s: %s\n%+v", code, rep.Verdict, errOut, rep.Endpoints)
	}
	for _, e := range rep.Endpoints {
		checkRealEndpoint(t, e)
		if e.TLS.Mode != "starttls" || len(e.CapsBefore) == 0 {
			t.Errorf("%s: TLS mode %q, capabilities before TLS %v; want starttls and a list", e.Server, e.TLS.Mode, e.CapsBefore)
		}
	}
}

// checkRealEndpoint checks that the report describes Dovecot and Postfix.
func checkRealEndpoint(t *testing.T, e *probe.Endpoint) {
	t.Helper()
	if e.Login == nil || e.Login.Outcome != probe.LoginOK {
		t.Errorf("%s: login %+v, want ok; findings %v", e.Server, e.Login, e.Findings)
	}
	if e.TLS == nil || !e.TLS.Verified || !strings.HasPrefix(e.TLS.Version, "TLS 1.") {
		t.Errorf("%s: TLS %+v, want a verified TLS 1.2+ session", e.Server, e.TLS)
	}
	caps := strings.Join(e.CapsAfter, " ")
	switch e.Server.Protocol.String() {
	case "imap":
		if !strings.Contains(e.Greeting, "Dovecot") || !strings.Contains(caps, "IMAP4rev1") || !strings.Contains(caps, "AUTH=PLAIN") {
			t.Errorf("%s: greeting %q, capabilities %q; want Dovecot IMAP4rev1 with AUTH=PLAIN", e.Server, e.Greeting, caps)
		}
	case "pop3":
		if !strings.Contains(e.Greeting, "Dovecot") || !strings.Contains(caps, "USER") {
			t.Errorf("%s: greeting %q, capabilities %q; want Dovecot with USER", e.Server, e.Greeting, caps)
		}
	case "smtp":
		if !strings.Contains(e.Greeting, "ESMTP") || !strings.Contains(caps, "AUTH") {
			t.Errorf("%s: greeting %q, capabilities %q; want ESMTP with AUTH", e.Server, e.Greeting, caps)
		}
	}
}

// TestProbeWrongPassword: Dovecot and Postfix reject the login, and the
// probe classifies it as wrong credentials (exit 5).
func TestProbeWrongPassword(t *testing.T) {
	r := requireRig(t)
	code, rep, _ := runProbe(t, r, wrongPassword)
	if code != cmd.ExitAuth {
		t.Errorf("exit %d, want %d", code, cmd.ExitAuth)
	}
	for _, e := range rep.Endpoints {
		if e.Login == nil || e.Login.Outcome != probe.LoginWrongCredentials {
			t.Errorf("%s: login %+v, want wrong-credentials", e.Server, e.Login)
		}
	}
}
