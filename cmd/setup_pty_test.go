//go:build !windows

package cmd

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	expect "github.com/Netflix/go-expect"
	pseudotty "github.com/creack/pty"
	"github.com/hinshun/vt10x"
	"github.com/miekg/dns"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// These tests drive the real setup command through a pseudo-terminal, the
// way survey tests itself: go-expect types the answers, vt10x plays the
// terminal (survey asks it for the cursor position), and the command runs
// against the in-process mail network.

const (
	keyDown  = "\x1b[B"
	keyEnter = "\r"
	ctrlC    = "\x03"
)

// ptyRun runs mailsetup with args on a pseudo-terminal while script drives
// it, and returns the exit code. Each of with changes the Factory first.
func ptyRun(t *testing.T, n *mailtest.Network, args []string, script func(c *expect.Console), with ...func(*Factory)) int {
	t.Helper()
	return ptyRunOut(t, n, args, nil, script, with...)
}

// ptyRunOut is ptyRun with stdout sent to out (for --json) when not nil.
//
// A step that fails (or the watchdog) closes the terminal and, if the
// command does not end then, leaves it behind, so a failing test fails
// instead of hanging until go test's timeout.
func ptyRunOut(t *testing.T, n *mailtest.Network, args []string, out io.Writer, script func(c *expect.Console), with ...func(*Factory)) int {
	t.Helper()
	return ptyRunTerm(t, n, args, out, 0, func(c *expect.Console, _ vt10x.Terminal) { script(c) }, with...)
}

// ptyRunTerm is ptyRunOut on a terminal cols columns wide (as the
// command, survey and the vt10x screen all see it) when cols is above 0;
// script also gets the vt10x terminal, whose screen it may read between
// steps.
func ptyRunTerm(t *testing.T, n *mailtest.Network, args []string, out io.Writer, cols int, script func(c *expect.Console, term vt10x.Terminal), with ...func(*Factory)) int {
	t.Helper()
	pty, tty, err := pseudotty.Open()
	if err != nil {
		t.Fatalf("pty: %v", err)
	}
	topts := []vt10x.TerminalOption{vt10x.WithWriter(tty)}
	if cols > 0 {
		const rows = 40
		if err := pseudotty.Setsize(pty, &pseudotty.Winsize{Rows: rows, Cols: uint16(cols)}); err != nil {
			t.Fatalf("pty size: %v", err)
		}
		topts = append(topts, vt10x.WithSize(cols, rows))
		with = append([]func(*Factory){narrow(cols)}, with...)
	}
	term := vt10x.New(topts...)
	c, err := expect.NewConsole(expect.WithStdin(pty), expect.WithStdout(term), expect.WithCloser(pty, tty),
		expect.WithDefaultTimeout(20*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	abandon := make(chan struct{})
	var once sync.Once
	stop := func() {
		once.Do(func() {
			close(abandon)
			_ = c.Close()
		})
	}
	ptyStops.Store(c, stop)
	defer ptyStops.Delete(c)
	ios, _, _, _ := iostreams.Test()
	ios.In, ios.Out, ios.ErrOut = c.Tty(), c.Tty(), c.Tty()
	if out != nil {
		ios.Out = out
	}
	ios.SetTTY(true, true, true)
	f := NewFactory(ios)
	f.Dialer = n
	f.RootCAs = n.CAPool()
	f.readPassword = nil
	f.Getenv = func(string) string { return "" }
	for _, w := range with {
		w(f)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		script(c, term)
		// Keep reading until the command closes the terminal: vt10x answers
		// survey's cursor-position queries only for output that is read.
		_, _ = c.ExpectEOF()
	}()
	// A watchdog: whatever goes wrong, after a minute the command is
	// cancelled and its terminal closed.
	watchdog := time.AfterFunc(time.Minute, func() {
		t.Errorf("the command was still running after a minute")
		cancel()
		stop()
	})
	defer watchdog.Stop()
	codes := make(chan int, 1)
	go func() { codes <- Execute(ctx, f, append([]string{"--resolver", n.ResolverAddr()}, args...)) }()
	var code int
	select {
	case code = <-codes:
	case <-abandon:
		// A step failed. Closing the terminal does not always wake a read
		// the command has waiting in the kernel, so the command gets a few
		// seconds to end and is otherwise left behind: the test has failed
		// already and must not hang until go test's timeout.
		select {
		case code = <-codes:
		case <-time.After(5 * time.Second):
			t.Errorf("the command did not end after its terminal closed; left behind")
			return -1
		}
	}
	c.Tty().Close()
	<-done
	return code
}

// ptyStops maps a running console to the function that closes its
// command's terminal, for step.
var ptyStops sync.Map

// interrupt types Ctrl-C until want appears. A Ctrl-C that arrives after
// survey has drawn a question but before it has put the terminal in raw
// mode is taken by the terminal's line discipline (as a signal for a
// process group the test has not got) and never reaches the command, so
// it is typed again after a while; the first one that arrives in raw
// mode cancels.
func interrupt(t *testing.T, c *expect.Console, want string) {
	t.Helper()
	for range 10 {
		if _, err := c.Send(ctrlC); err != nil {
			t.Errorf("typing Ctrl-C: %v", err)
			return
		}
		if _, err := c.Expect(expect.String(want), expect.WithTimeout(2*time.Second)); err == nil {
			return
		}
	}
	t.Errorf("Ctrl-C typed 10 times, and %q never appeared", want)
	if stop, ok := ptyStops.Load(c); ok {
		stop.(func())()
	}
}

// step waits for text on the terminal, then types input.
func step(t *testing.T, c *expect.Console, want, input string) {
	t.Helper()
	if _, err := c.ExpectString(want); err != nil {
		t.Errorf("waiting for %q: %v", want, err)
		// End the command's pending read, so the test cannot hang.
		if stop, ok := ptyStops.Load(c); ok {
			stop.(func())()
		}
		return
	}
	if _, err := c.Send(input); err != nil {
		t.Errorf("typing %q: %v", input, err)
	}
}

// autoconfigNet serves an autoconfig file for example.test listing the
// given incoming host for IMAP and POP3.
func autoconfigNet(t *testing.T, imapHost string) *mailtest.Network {
	n := mailtest.Start(t)
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "https", Body: `<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
<incomingServer type="imap"><hostname>` + imapHost + `</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<incomingServer type="pop3"><hostname>pop.example.test</hostname><port>995</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`})
	return n
}

var setupArgs = []string{"setup", "--ispdb", "off", "--sources", "autoconfig"}

func TestPTYHappyPath(t *testing.T) {
	n := autoconfigNet(t, "imap.example.test")
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRun(t, n, setupArgs, func(c *expect.Console) {
		step(t, c, "E-mail address", "jane@example.test"+keyEnter)
		step(t, c, "Name shown to recipients", "Jane Doe"+keyEnter)
		step(t, c, "Use these settings?", keyEnter)
		step(t, c, "more than one device", "y"+keyEnter)
		step(t, c, "Incoming mail protocol", keyEnter)
		step(t, c, "Password for", mailtest.DefaultPassword+keyEnter)
		step(t, c, "Logged in as", "")
		step(t, c, "Which devices", keyEnter)
		step(t, c, "Folder for the files", dir+keyEnter)
		step(t, c, "Put the password", "n"+keyEnter)
		step(t, c, "Write the files", keyEnter) // the review
		step(t, c, "Done.", "")
	})
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, name := range []string{"jane@example.test.mobileconfig", "user.js", "setup-sheet.html", "jane@example.test.k9s", "outlook-autodiscover.reg"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestPTYEditPath(t *testing.T) {
	n := autoconfigNet(t, "imap.example.test")
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRun(t, n, append(setupArgs, "--email", "jane@example.test", "--name", "Jane", "-o", dir, "--export", "json"), func(c *expect.Console) {
		step(t, c, "Use these settings?", keyDown+keyEnter) // Edit them: one field at a time
		step(t, c, "more than one device", "y"+keyEnter)
		step(t, c, "Incoming mail protocol", keyEnter)
		step(t, c, "Which setting?", strings.Repeat(keyDown, 2)+keyEnter) // IMAP server name
		step(t, c, "(imap.example.test)", strings.Repeat("\b", 40)+"mail.example.test"+keyEnter)
		step(t, c, "Which setting?", strings.Repeat(keyDown, 3)+keyEnter)  // IMAP connection security
		step(t, c, "STARTTLS (starts plain", keyDown+keyEnter)             // the port follows: 143
		step(t, c, "Which setting?", strings.Repeat(keyDown, 11)+keyEnter) // Done: use these settings
		step(t, c, "Password for", keyEnter)
		step(t, c, "Write the files", keyEnter) // the review
		step(t, c, "Done.", "")
	})
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "account.json"))
	if !strings.Contains(string(data), `"host": "mail.example.test"`) || !strings.Contains(string(data), `"port": 143`) || !strings.Contains(string(data), `"security": "starttls"`) {
		t.Errorf("edited account:\n%s", data)
	}
}

func TestPTYPOP3Recommendation(t *testing.T) {
	n := autoconfigNet(t, "imap.example.test")
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRun(t, n, append(setupArgs, "jane@example.test", "--name", "Jane", "-o", dir, "--export", "json"), func(c *expect.Console) {
		step(t, c, "Use these settings?", keyEnter)
		step(t, c, "more than one device", "n"+keyEnter)
		step(t, c, "small or often full", "y"+keyEnter)
		step(t, c, "Recommended: POP3", "")
		step(t, c, "Incoming mail protocol", keyEnter) // the recommendation is preselected
		step(t, c, "Keep a copy", "y"+keyEnter)
		step(t, c, "how many days", "7"+keyEnter)
		step(t, c, "Password for", keyEnter)
		step(t, c, "Write the files", keyEnter) // the review
		step(t, c, "Done.", "")
	})
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "account.json"))
	if !strings.Contains(string(data), `"protocol": "pop3"`) || !strings.Contains(string(data), `"days_on_server": 7`) {
		t.Errorf("POP3 account:\n%s", data)
	}
}

func TestPTYFailedVerificationThenEdit(t *testing.T) {
	n := autoconfigNet(t, "mail.example.test")
	n.SetCertKind("mail.example.test", mailtest.CertWrongName)
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRun(t, n, append(setupArgs, "jane@example.test", "--name", "Jane", "--incoming", "imap", "-o", dir, "--export", "json"), func(c *expect.Console) {
		step(t, c, "Use these settings?", keyEnter)
		step(t, c, "Password for", keyEnter)
		step(t, c, "certificate is for", "")
		step(t, c, "The check failed", keyEnter)                                                 // Change one setting
		step(t, c, "Which setting?", keyDown+keyDown+keyEnter)                                   // the IMAP server name
		step(t, c, "(mail.example.test)", strings.Repeat("\b", 40)+"imap.example.test"+keyEnter) // only its question
		step(t, c, "Write the files", keyEnter)                                                  // the review
		step(t, c, "Done.", "")
	})
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "account.json"))
	if !strings.Contains(string(data), `"host": "imap.example.test"`) {
		t.Errorf("account after edit:\n%s", data)
	}
}

func TestPTYUntrustedConfirmation(t *testing.T) {
	n := mailtest.Start(t)
	n.HandleHTTP("autoconfig.example.test", "/mail/config-v1.1.xml", mailtest.Route{Scheme: "http", Body: `<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
<incomingServer type="imap"><hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`})
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRun(t, n, []string{"setup", "jane@example.test", "--ispdb", "off", "--sources", "http", "--allow-http", "--name", "J", "--incoming", "imap", "-o", dir, "--export", "json"}, func(c *expect.Console) {
		step(t, c, "involve example.test", "y"+keyEnter)
		step(t, c, "Use these settings?", keyEnter)
		step(t, c, "Password for", keyEnter)
		step(t, c, "Write the files", keyEnter) // the review
		step(t, c, "Done.", "")
	})
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
}

func TestPTYCtrlC(t *testing.T) {
	n := autoconfigNet(t, "imap.example.test")
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRun(t, n, append(setupArgs, "-o", dir), func(c *expect.Console) {
		step(t, c, "E-mail address", "jane@example.test"+keyEnter)
		step(t, c, "Name shown to recipients", "")
		interrupt(t, c, i18n.New(i18n.EN).T("cli.cancelled"))
	})
	if code != ExitCancelled {
		t.Errorf("exit %d, want %d", code, ExitCancelled)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("Ctrl-C left an output folder behind")
	}
}

func TestPTYRomanian(t *testing.T) {
	ro := i18n.New(i18n.RO)
	if ro.T("wizard.q.email") == i18n.New(i18n.EN).T("wizard.q.email") {
		t.Fatal("no Romanian translation of wizard.q.email")
	}
	n := autoconfigNet(t, "imap.example.test")
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRun(t, n, append([]string{"--lang", "ro"}, append(setupArgs, "-o", dir, "--export", "json")...), func(c *expect.Console) {
		step(t, c, ro.T("wizard.q.email"), "jane@example.test"+keyEnter)
		step(t, c, ro.T("wizard.q.name"), "Ion Popescu"+keyEnter)
		step(t, c, ro.T("wizard.q.use-discovered"), keyEnter)
		step(t, c, ro.T("wizard.q.multi-device"), keyEnter) // Da/Nu choice, Da preselected
		step(t, c, ro.T("wizard.o.yes"), "")
		step(t, c, ro.T("wizard.q.protocol"), keyEnter)
		step(t, c, ro.T("wizard.q.password", "jane@example.test"), keyEnter)
		step(t, c, ro.T("wizard.o.write"), keyEnter) // the review
		step(t, c, strings.Split(ro.T("wizard.summary", "x"), " ")[0], "")
	}, narrow(200)) // the long questions unwrapped, so that each is matched whole
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
}

// TestPTYRomanianPromptHints checks that survey's own words follow --lang:
// the input's help hint, the invalid-answer line, the select hint, and the
// line mailsetup prints when cancelled.
func TestPTYRomanianPromptHints(t *testing.T) {
	ro, en := i18n.New(i18n.RO), i18n.New(i18n.EN)
	for _, k := range []string{"prompt.help", "prompt.invalid", "prompt.select-hint", "cli.cancelled"} {
		if ro.T(k) == en.T(k) {
			t.Fatalf("no Romanian translation of %s", k)
		}
	}
	n := autoconfigNet(t, "imap.example.test")
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRun(t, n, append([]string{"--lang", "ro"}, append(setupArgs, "-o", dir, "--export", "json")...), func(c *expect.Console) {
		step(t, c, "?"+ro.T("prompt.help")+"]", "not-an-address"+keyEnter)
		step(t, c, ro.T("prompt.invalid"), strings.Repeat("\b", 20)+"jane@example.test"+keyEnter)
		step(t, c, ro.T("wizard.q.name"), "Ion Popescu"+keyEnter)
		step(t, c, ro.T("prompt.select-hint"), "")
		interrupt(t, c, ro.T("cli.cancelled"))
	}, narrow(200)) // the hints unwrapped, so that each is matched whole
	if code != ExitCancelled {
		t.Errorf("exit %d, want %d", code, ExitCancelled)
	}
}

// TestPTYTypoRetyped: a domain that does not exist is caught before any
// server question; the address question comes back with the suggestion
// from the provider database as its default, and Enter takes it: the
// settings for the corrected address are found.
func TestPTYTypoRetyped(t *testing.T) {
	n := mailtest.Start(t)
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRun(t, n, []string{"setup", "--ispdb", "off", "--sources", "builtin", "--no-verify", "-o", dir, "--export", "json"}, func(c *expect.Console) {
		step(t, c, "E-mail address", "jane@gmial.com"+keyEnter)
		step(t, c, "The domain gmial.com does not exist", "")
		step(t, c, "Did you mean jane@gmail.com?", "")
		step(t, c, "E-mail address", keyEnter) // the suggestion is the default
		step(t, c, "Name shown to recipients", "Jane"+keyEnter)
		step(t, c, "imap.gmail.com", "")
		step(t, c, "Use these settings?", keyEnter)
		step(t, c, "more than one device", "y"+keyEnter)
		step(t, c, "Incoming mail protocol", keyEnter)
		step(t, c, "Write the files", keyEnter) // the review
		step(t, c, "Done.", "")
	})
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "account.json"))
	if !strings.Contains(string(data), `"email": "jane@gmail.com"`) || !strings.Contains(string(data), `"host": "imap.gmail.com"`) {
		t.Errorf("account after the corrected address:\n%s", data)
	}
}

// TestPTYDNSRefused: a DNS server that refuses is reported as a network
// problem with its fix, not as a typo (the wizard test
// TestDNSFailedRetryThenByHand checks no typo words appear); the user
// checks again (still refused), fixes the network, checks again and the
// settings are found.
func TestPTYDNSRefused(t *testing.T) {
	n := autoconfigNet(t, "imap.example.test")
	n.DNS().SetRcodeAll(dns.RcodeRefused)
	dir := filepath.Join(t.TempDir(), "out")
	code := ptyRun(t, n, append(setupArgs, "jane@example.test", "--name", "Jane", "--incoming", "imap", "-o", dir, "--export", "json"), func(c *expect.Console) {
		for i := range 2 {
			step(t, c, "could not be checked: the DNS server refused to answer (REFUSED)", "")
			step(t, c, "not a spelling mistake", "")
			if i == 1 {
				n.DNS().SetRcodeAll(dns.RcodeSuccess) // the network works again
			}
			step(t, c, "What now?", keyEnter) // Check again
		}
		step(t, c, "Use these settings?", keyEnter)
		step(t, c, "Password for", keyEnter)
		step(t, c, "Write the files", keyEnter) // the review
		step(t, c, "Done.", "")
	}, narrow(200)) // the long lines unwrapped, so that each is matched whole
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "account.json"))
	if !strings.Contains(string(data), `"host": "imap.example.test"`) {
		t.Errorf("account:\n%s", data)
	}
}
