package wizard

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/termtext"
	"github.com/mailsetup/mailsetup/probe"
	"github.com/mailsetup/mailsetup/templates"
)

// filesLines returns the end screen's lines from the files heading to the
// next blank line.
func filesLines(t *testing.T, out, heading string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(out, heading)
	if !ok {
		t.Fatalf("no %q in:\n%s", heading, out)
	}
	block, _, _ := strings.Cut(strings.TrimPrefix(rest, "\n"), "\n\n")
	return strings.Split(block, "\n")
}

// TestEndScreenOneLinePerDevice: the end screen lists one line per
// device with its first file, the setup sheet first, however many files
// each format wrote.
func TestEndScreenOneLinePerDevice(t *testing.T) {
	h := newHarness(cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin))
	h.deps.Export = func(ctx context.Context, a account.Account, formats []string, dir, password, checkFailed string) ([]ExportedFile, []templates.Warning, error) {
		return []ExportedFile{
			{Path: "/abs/out/jane.mobileconfig", Format: "apple", HasPassword: true, Use: "AirDrop it"},
			{Path: "/abs/out/config-v1.1.xml", Format: "thunderbird", Use: "copy it"},
			{Path: "/abs/out/user.js", Format: "thunderbird", Use: "copy it too"},
			{Path: "/abs/out/jane.k9s", Format: "android", Use: "import it"},
			{Path: "/abs/out/jane-qr.png", Format: "android", Use: "scan it"},
			{Path: "/abs/out/setup-sheet.html", Format: "sheet", Use: "print it"},
			{Path: "/abs/out/setup-sheet.md", Format: "sheet", Use: "read it"},
		}, nil, nil
	}
	if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com", Yes: true}); err != nil {
		t.Fatal(err)
	}
	en := i18n.New(i18n.EN)
	lines := filesLines(t, h.out.String(), en.T("wizard.files", 7))
	want := []struct{ label, path, extra string }{
		{en.T("wizard.device.sheet"), "/abs/out/setup-sheet.html", en.T("wizard.more-files", 1)},
		{en.T("wizard.device.apple"), "/abs/out/jane.mobileconfig", en.T("wizard.has-password")},
		{en.T("wizard.device.thunderbird"), "/abs/out/config-v1.1.xml", en.T("wizard.more-files", 1)},
		{en.T("wizard.device.android"), "/abs/out/jane.k9s", en.T("wizard.more-files", 1)},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want one per device (%d):\n%s", len(lines), len(want), strings.Join(lines, "\n"))
	}
	for i, w := range want {
		l := lines[i]
		if !strings.HasPrefix(strings.TrimSpace(l), w.label) || !strings.Contains(l, w.path) || !strings.Contains(l, w.extra) {
			t.Errorf("line %d = %q, want %s, %s, %s", i, l, w.label, w.path, w.extra)
		}
	}
	if strings.Contains(h.out.String(), "copy it") || strings.Contains(h.out.String(), "/abs/out/user.js") {
		t.Errorf("the end screen lists more than one line per device:\n%s", h.out.String())
	}
	if !strings.Contains(h.out.String(), en.T("wizard.next-sheet")) {
		t.Errorf("no pointer to the setup sheet:\n%s", h.out.String())
	}
}

// TestAdminFilesNotTickedByDefault: the administrator's files are offered
// but not ticked, and --yes leaves them out.
func TestAdminFilesNotTickedByDefault(t *testing.T) {
	h := newHarness(cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin))
	p := newStub(t, map[string][]any{
		"name": {""}, "use-discovered": {0}, "multi-device": {true}, "protocol": {nil},
		"password": {""}, "export": {nil}, "output": {nil},
	})
	h.deps.Prompter = p
	if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"}); err != nil {
		t.Fatal(err)
	}
	admin := slices.Index(ExportTargets, AdminTarget)
	if admin < 0 {
		t.Fatal("the administrator's files are not offered")
	}
	if defs := p.defs["export"].([]int); slices.Contains(defs, admin) || len(defs) != len(ExportTargets)-1 {
		t.Errorf("ticked by default: %v (admin is %d)", defs, admin)
	}
	if slices.Contains(h.exported, AdminTarget) {
		t.Errorf("exported %v by default", h.exported)
	}
	h = newHarness(cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin))
	if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com", Yes: true}); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(h.exported, AdminTarget) || len(h.exported) == 0 {
		t.Errorf("--yes exported %v", h.exported)
	}
}

// TestVerifyMarksColoured: with colour on, the live check's marks are
// coloured as probe's are; without, the output has no escape at all.
func TestVerifyMarksColoured(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	ios.SetColorEnabled(true)
	for _, tc := range []struct {
		colors  *iostreams.ColorScheme
		verdict probe.Verdict
		want    string
	}{
		{ios.ColorScheme(), probe.VerdictOK, "\x1b[32m[ok]\x1b[0m"},
		{ios.ColorScheme(), probe.VerdictFail, "\x1b[31m[FAIL]\x1b[0m"},
		{nil, probe.VerdictOK, "[ok]"},
	} {
		h := newHarness(cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin))
		h.deps.Colors = tc.colors
		h.verdicts = []probe.Verdict{tc.verdict}
		Run(context.Background(), h.deps, Answers{Email: "jane@example.com", Yes: true})
		out := h.out.String()
		if !strings.Contains(out, tc.want) {
			t.Errorf("no %q in:\n%s", tc.want, out)
		}
		if tc.colors == nil && strings.Contains(out, "\x1b") {
			t.Errorf("colour without a colour scheme:\n%q", out)
		}
	}
}

// TestWizardWrapsToWidth: with a width, every line of the wizard's text
// fits (a single word longer than the width excepted), words are never
// cut, and without a width nothing is wrapped.
func TestWizardWrapsToWidth(t *testing.T) {
	ro := i18n.New(i18n.RO)
	run := func(width int) string {
		h := newHarness(cand(srv(account.IMAP, "imap.example.com", account.TLS), account.Trusted, account.SourceBuiltin))
		h.deps.Catalog, h.deps.Width = ro, width
		p := newStub(t, map[string][]any{
			"name": {""}, "use-discovered": {0}, "multi-device": {true}, "protocol": {nil},
			"password": {""}, "export": {[]int{0}}, "output": {nil},
		})
		h.deps.Prompter = p
		if _, err := Run(context.Background(), h.deps, Answers{Email: "jane@example.com"}); err != nil {
			t.Fatal(err)
		}
		return h.out.String()
	}
	raw, wrapped := run(0), run(40)
	long := false
	for _, l := range strings.Split(raw, "\n") {
		long = long || termtext.Width(l) > 40
	}
	if !long {
		t.Fatal("nothing to wrap: no line is wider than 40 columns")
	}
	for _, l := range strings.Split(wrapped, "\n") {
		if termtext.Width(l) > 40 && len(strings.Fields(l)) > 1 {
			t.Errorf("line of %d columns: %q", termtext.Width(l), l)
		}
	}
	if strings.Join(strings.Fields(raw), " ") != strings.Join(strings.Fields(wrapped), " ") {
		t.Errorf("wrapping changed the words:\n%s\n----\n%s", raw, wrapped)
	}
	// The IMAP-or-POP3 explanation, one long Romanian line unwrapped.
	if !strings.Contains(raw, ro.T("explain.imap-vs-pop3.short")) {
		t.Errorf("unwrapped output lacks the explanation as one line:\n%s", raw)
	}
}

// TestUnicodeDomainShown: servers under an IDN domain are shown in
// Unicode, and the account and the check keep the ASCII form.
func TestUnicodeDomainShown(t *testing.T) {
	in := srv(account.IMAP, "imap.xn--bcher-kva.example", account.TLS)
	in.Username = "jane@xn--bcher-kva.example"
	c := cand(in, account.Trusted, account.SourceBuiltin)
	c.Account.Email = account.MustParseAddress("jane@bücher.example")
	h := newHarness(c)
	res, err := Run(context.Background(), h.deps, Answers{Email: "jane@bücher.example", Yes: true})
	if err != nil {
		t.Fatal(err)
	}
	// Everything but the file paths (named portably, in ASCII).
	out, _, _ := strings.Cut(h.out.String(), i18n.New(i18n.EN).T("wizard.files", 5))
	if strings.Contains(out, "xn--") || !strings.Contains(out, "imap.bücher.example:993") || !strings.Contains(out, "(jane@bücher.example)") {
		t.Errorf("IDN not shown in Unicode:\n%s", out)
	}
	if res.Account.Incoming.Host != "imap.xn--bcher-kva.example" || h.verified[0].Incoming.Host != "imap.xn--bcher-kva.example" {
		t.Errorf("the servers are not kept in ASCII: %q", res.Account.Incoming.Host)
	}
}
