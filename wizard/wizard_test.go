package wizard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/probe"
	"github.com/mailsetup/mailsetup/templates"
)

// stub answers questions by key and records which were asked.
type stub struct {
	t       *testing.T
	answers map[string][]any // queued answers per key
	asked   []string
	defs    map[string]any // the default each question offered
}

func newStub(t *testing.T, answers map[string][]any) *stub {
	// Every terminal run ends at the review: unless the test answers it,
	// the review is answered once with its default (write the files).
	if _, ok := answers["review"]; !ok {
		answers["review"] = []any{nil}
	}
	return &stub{t: t, answers: answers, defs: map[string]any{}}
}

func (s *stub) next(key string) any {
	s.t.Helper()
	s.asked = append(s.asked, key)
	q := s.answers[key]
	if len(q) == 0 {
		s.t.Fatalf("unexpected question %q (asked so far: %v)", key, s.asked)
	}
	s.answers[key] = q[1:]
	return q[0]
}

func (s *stub) Input(key, message, help, def string, validate func(string) error) (string, error) {
	s.defs[key] = def
	v := s.next(key)
	if v == nil {
		return def, nil
	}
	str := v.(string)
	if validate != nil {
		if err := validate(str); err != nil {
			return "", fmt.Errorf("stub answer %q for %s fails validation: %w", str, key, err)
		}
	}
	return str, nil
}
func (s *stub) Password(key, message, help string) (string, error) { return s.next(key).(string), nil }
func (s *stub) Select(key, message, help string, options []string, def int) (int, error) {
	s.defs[key] = def
	if v := s.next(key); v != nil {
		return v.(int), nil
	}
	return def, nil
}
func (s *stub) MultiSelect(key, message, help string, options []string, defs []int) ([]int, error) {
	s.defs[key] = defs
	if v := s.next(key); v != nil {
		return v.([]int), nil
	}
	return defs, nil
}
func (s *stub) Confirm(key, message, help string, def bool) (bool, error) {
	s.defs[key] = def
	if v := s.next(key); v != nil {
		return v.(bool), nil
	}
	return def, nil
}

func srv(p account.Protocol, host string, sec account.Security) account.Server {
	return account.Server{Protocol: p, Host: host, Port: account.DefaultPort(p, sec), Security: sec,
		Auth: account.AuthPasswordCleartext, Username: "jane@example.com"}
}

func cand(in account.Server, trust account.Trust, src account.Source) *autoconfig.Candidate {
	a := account.Account{Email: account.MustParseAddress("jane@example.com"), Incoming: in,
		Outgoing: srv(account.SMTP, "smtp.example.com", account.TLS), Provenance: account.Provenance{Source: src, Trust: trust}}
	if in.Protocol == account.POP3 {
		a.POP3 = &account.POP3Options{LeaveOnServer: true}
	}
	c := &autoconfig.Candidate{Account: a, Trust: trust, Reasons: []string{"test"}}
	if trust != account.Trusted {
		c.Confirm = []string{"example.com", "provider.test"}
	}
	return c
}

// harness records what the wizard did.
type harness struct {
	deps      Deps
	out       bytes.Buffer
	verifies  []string // passwords verified with
	verdicts  []probe.Verdict
	exported  []string
	exportDir string
	exportPW  string
	// exportCheck is the live check's failure the export was told about.
	exportCheck string
	verified    []account.Account
}

func newHarness(cands ...*autoconfig.Candidate) *harness {
	h := &harness{}
	h.deps = Deps{
		Out: &h.out,
		Discover: func(ctx context.Context, addr account.Address) (*autoconfig.Result, error) {
			if len(cands) == 0 {
				return &autoconfig.Result{}, autoconfig.ErrNothingFound
			}
			return &autoconfig.Result{Candidates: cands}, nil
		},
		Verify: func(ctx context.Context, a account.Account, password string) *probe.Report {
			h.verifies = append(h.verifies, password)
			h.verified = append(h.verified, a)
			v := probe.VerdictOK
			if len(h.verdicts) > 0 {
				v, h.verdicts = h.verdicts[0], h.verdicts[1:]
			}
			ep := &probe.Endpoint{Server: a.Incoming, Verdict: v}
			if v == probe.VerdictFail {
				ep.Findings = []probe.Finding{{Severity: probe.SevError, Code: probe.CodeTCPTimeout, Message: "port timed out", Fix: "try 465"}}
			}
			return &probe.Report{Endpoints: []*probe.Endpoint{ep}, Verdict: v}
		},
		Export: func(ctx context.Context, a account.Account, formats []string, dir, password, checkFailed string) ([]ExportedFile, []templates.Warning, error) {
			h.exported, h.exportDir, h.exportPW, h.exportCheck = formats, dir, password, checkFailed
			var out []ExportedFile
			for _, f := range formats {
				out = append(out, ExportedFile{Path: dir + "/" + f, Format: f, Use: "use it"})
			}
			return out, nil, nil
		},
	}
	return h
}

func TestHappyPath(t *testing.T) {
	h := newHarness(cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin))
	p := newStub(t, map[string][]any{
		"email": {"jane@example.com"}, "name": {"Jane Doe"}, "use-discovered": {0},
		"multi-device": {true}, "protocol": {nil}, "password": {"pw"},
		"export": {[]int{0, 4}}, "output": {nil}, "include-password": {false},
	})
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Account.DisplayName != "Jane Doe" || res.Account.Incoming.Host != "imap.example.com" || res.Account.POP3 != nil {
		t.Errorf("account %+v", res.Account)
	}
	if p.defs["protocol"] != 0 {
		t.Errorf("several devices: IMAP not recommended (default %v)", p.defs["protocol"])
	}
	if !slices.Equal(h.verifies, []string{"pw"}) || !slices.Equal(h.exported, []string{"apple", "sheet"}) || h.exportPW != "" {
		t.Errorf("verify %v export %v pw %q", h.verifies, h.exported, h.exportPW)
	}
	if h.exportDir != "mailsetup-jane@example.com" {
		t.Errorf("default output dir %q", h.exportDir)
	}
	if !strings.Contains(h.out.String(), "mailsetup-jane@example.com/apple") || !strings.Contains(h.out.String(), "mailsetup-jane@example.com/sheet") {
		t.Errorf("summary lacks the files:\n%s", h.out.String())
	}
}

func TestEditPathSecurityAndPort(t *testing.T) {
	h := newHarness(cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin))
	p := newStub(t, map[string][]any{
		// "Edit them" picks one field at a time (IMAP host, security,
		// port, username, SMTP security), then done.
		"name": {""}, "use-discovered": {1}, "multi-device": {true}, "protocol": {0},
		"review-field":  {2, 3, 4, 5, 7, 11},
		"incoming-host": {"mail.example.com"}, "incoming-security": {1}, "incoming-port": {nil}, "incoming-username": {"jane"},
		// Choosing "none" asks again; answering no goes back to the choice.
		"outgoing-security": {2, 1}, "outgoing-security-none": {false},
		"password": {""}, "export": {[]int{}},
	})
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	in, out := res.Account.Incoming, res.Account.Outgoing
	if in.Host != "mail.example.com" || in.Security != account.STARTTLS || in.Port != 143 || in.Username != "jane" {
		t.Errorf("incoming %+v: want STARTTLS with its default port 143", in)
	}
	if out.Security != account.STARTTLS || out.Port != 587 {
		t.Errorf("outgoing %+v", out)
	}
	if p.defs["incoming-port"] != "143" {
		t.Errorf("port default after choosing STARTTLS: %v", p.defs["incoming-port"])
	}
	for _, k := range []string{"outgoing-host", "outgoing-port", "outgoing-username"} {
		if slices.Contains(p.asked, k) {
			t.Errorf("%s asked although not picked: %v", k, p.asked)
		}
	}
}

func TestPOP3Recommendation(t *testing.T) {
	h := newHarness(cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin),
		cand(srv(account.POP3, "pop.example.com", account.TLS), account.Trusted, account.SourceBuiltin))
	p := newStub(t, map[string][]any{
		"name": {""}, "use-discovered": {0}, "multi-device": {false}, "tight-quota": {true}, "protocol": {nil},
		"leave-on-server": {true}, "days-on-server": {"7"}, "password": {""}, "export": {[]int{4}}, "output": {"out"},
	})
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if p.defs["protocol"] != 1 {
		t.Errorf("one device, tight quota: POP3 not recommended (default %v)", p.defs["protocol"])
	}
	if a := res.Account; a.Incoming.Host != "pop.example.com" || a.POP3 == nil || !a.POP3.LeaveOnServer || a.POP3.DaysOnServer != 7 {
		t.Errorf("account %+v %+v", a.Incoming, a.POP3)
	}
	if !strings.Contains(h.out.String(), "Recommended: POP3") {
		t.Errorf("no recommendation shown:\n%s", h.out.String())
	}
}

func TestFailedVerificationEditRetry(t *testing.T) {
	h := newHarness(cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin))
	h.verdicts = []probe.Verdict{probe.VerdictFail, probe.VerdictOK}
	p := newStub(t, map[string][]any{
		"name": {""}, "use-discovered": {0}, "multi-device": {true}, "protocol": {0}, "password": {"pw"},
		// Change one setting: the IMAP server name (the third field); only
		// its question is asked, then the check runs again.
		"verify-failed": {0}, "review-field": {2}, "incoming-host": {"imap2.example.com"},
		"export": {[]int{}},
	})
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.verified) != 2 || h.verified[1].Incoming.Host != "imap2.example.com" || res.Account.Incoming.Host != "imap2.example.com" {
		t.Errorf("verified %d times, last %+v", len(h.verified), h.verified)
	}
	if !strings.Contains(h.out.String(), "port timed out") || !strings.Contains(h.out.String(), "try 465") {
		t.Errorf("findings and fix not shown:\n%s", h.out.String())
	}
	// Quit ends with ErrQuit and exports nothing.
	h = newHarness(cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin))
	h.verdicts = []probe.Verdict{probe.VerdictFail}
	h.deps.Prompter = newStub(t, map[string][]any{"name": {""}, "use-discovered": {0}, "multi-device": {true}, "protocol": {0}, "password": {""}, "verify-failed": {3}})
	if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"}); !errors.Is(err, ErrQuit) || h.exported != nil {
		t.Errorf("quit: %v, exported %v", err, h.exported)
	}
}

func TestUntrustedSourceConfirmation(t *testing.T) {
	h := newHarness(cand(srv(account.IMAP, "imap.provider.test", account.TLS), account.NeedsConfirmation, account.SourceMX))
	p := newStub(t, map[string][]any{
		"name": {""}, "confirm-source": {true}, "use-discovered": {0}, "multi-device": {true}, "protocol": {0},
		"password": {""}, "export": {[]int{}},
	})
	h.deps.Prompter = p
	if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"}); err != nil {
		t.Fatal(err)
	}
	if p.defs["confirm-source"] != false {
		t.Error("confirmation defaults to yes")
	}
	// Refusing with no alternative goes to editing.
	h = newHarness(cand(srv(account.IMAP, "imap.provider.test", account.TLS), account.NeedsConfirmation, account.SourceMX))
	p = newStub(t, map[string][]any{
		"name": {""}, "confirm-source": {false}, "use-discovered": {0}, "multi-device": {true}, "protocol": {0},
		"incoming-host": {"imap.example.com"}, "incoming-security": {nil}, "incoming-port": {nil}, "incoming-username": {nil},
		"outgoing-host": {nil}, "outgoing-security": {nil}, "outgoing-port": {nil}, "outgoing-username": {nil},
		"password": {""}, "export": {[]int{}},
	})
	h.deps.Prompter = p
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"})
	if err != nil || res.Account.Incoming.Host != "imap.example.com" {
		t.Errorf("refused source: %v %+v", err, res)
	}
}

func TestScripted(t *testing.T) {
	trusted := cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin)
	tests := []struct {
		name    string
		cands   []*autoconfig.Candidate
		ans     Answers
		answer  Answer // the answer the MissingError must name; "" = success
		formats []string
	}{
		{"no email", []*autoconfig.Candidate{trusted}, Answers{}, AnswerEmail, nil},
		{"discovered needs --yes", []*autoconfig.Candidate{trusted}, Answers{Email: "jane@example.com", ExportSet: true}, AnswerYes, nil},
		{"--yes takes defaults", []*autoconfig.Candidate{trusted}, Answers{Email: "jane@example.com", Yes: true}, "", DefaultExportTargets},
		{"untrusted needs --yes", []*autoconfig.Candidate{cand(srv(account.IMAP, "imap.provider.test", account.TLS), account.NeedsConfirmation, account.SourceMX)},
			Answers{Email: "jane@example.com", Incoming: account.IMAP, ExportSet: true}, AnswerYes, nil},
		{"all flags", nil, Answers{Email: "jane@example.com", IncomingServer: srv(account.IMAP, "imap.example.com", account.TLS),
			OutgoingServer: srv(account.SMTP, "smtp.example.com", account.STARTTLS), Export: []string{"apple"}, ExportSet: true, OutputDir: "out"}, "", []string{"apple"}},
		{"export missing", nil, Answers{Email: "jane@example.com", IncomingServer: srv(account.IMAP, "imap.example.com", account.TLS),
			OutgoingServer: srv(account.SMTP, "smtp.example.com", account.TLS)}, AnswerExport, nil},
		{"output missing", nil, Answers{Email: "jane@example.com", IncomingServer: srv(account.IMAP, "imap.example.com", account.TLS),
			OutgoingServer: srv(account.SMTP, "smtp.example.com", account.TLS), Export: []string{"apple"}, ExportSet: true}, AnswerOutputDir, nil},
		{"nothing found", nil, Answers{Email: "jane@example.com", Yes: true}, AnswerServers, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(tt.cands...)
			_, err := Run(context.Background(), h.deps, tt.ans)
			if tt.answer == "" {
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(h.exported, tt.formats) {
					t.Errorf("exported %v, want %v", h.exported, tt.formats)
				}
				return
			}
			var me *MissingError
			if !errors.As(err, &me) || !slices.Contains(me.Answers, tt.answer) {
				t.Errorf("err %v, want a MissingError naming %s", err, tt.answer)
			}
			// The wizard names no flags: cmd says how to give an answer.
			if strings.Contains(err.Error(), "--") {
				t.Errorf("err %q names a flag", err)
			}
		})
	}
	// A failed check in scripted mode is an error.
	h := newHarness(trusted)
	h.verdicts = []probe.Verdict{probe.VerdictFail}
	var ve *VerifyError
	if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com", Yes: true}); !errors.As(err, &ve) {
		t.Errorf("scripted failed verification: %v", err)
	}
	// A bad --email is an input error.
	var ie *InputError
	if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@"}); !errors.As(err, &ie) || ie.Answer != AnswerEmail {
		t.Errorf("bad email: %v", err)
	}
}

func TestCancelled(t *testing.T) {
	h := newHarness(cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin))
	ctx, cancel := context.WithCancel(context.Background())
	h.deps.Discover = func(ctx context.Context, addr account.Address) (*autoconfig.Result, error) {
		cancel()
		return nil, ctx.Err()
	}
	if _, err := Run(ctx, h.deps, Answers{Email: "jane@example.com", Yes: true}); !errors.Is(err, context.Canceled) || h.exported != nil {
		t.Errorf("cancelled: %v, exported %v", err, h.exported)
	}
}
