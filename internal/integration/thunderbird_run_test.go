//go:build unix

package integration

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// This file starts a real Thunderbird (Debian's package) headless on a
// profile directory and talks to it over Marionette, Mozilla's remote
// protocol, in the chrome context: the test runs small privileged scripts
// inside Thunderbird to read what it made of the profile, to trust the
// rig's CA and save a password, and to make it fetch mail, and then asks
// it to quit cleanly so that prefs.js is written out.
//
// It is built on unix only, as are thunderbird_test.go (which drives it)
// and thunderbird_socks_test.go (its proxy): Thunderbird runs in its own
// process group (Setpgid, kill(-pgid)), which Windows does not have, and
// `GOOS=windows go vet ./...` must pass.

// tbRunTimeout bounds one Thunderbird run from start to exit.
const tbRunTimeout = 2 * time.Minute

// tbQuitTimeout is how long a clean quit may take before the process
// group is killed.
const tbQuitTimeout = 20 * time.Second

// requireThunderbird returns the thunderbird command. It skips the test
// when it is not on PATH, unless MAILSETUP_REQUIRE_TOOLS is set (as
// .ci/run does after installing it), in which case it fails.
func requireThunderbird(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("thunderbird")
	if err != nil {
		if os.Getenv("MAILSETUP_REQUIRE_TOOLS") != "" {
			t.Fatalf("thunderbird is not on PATH but MAILSETUP_REQUIRE_TOOLS is set (apt-get install thunderbird)")
		}
		t.Skip("thunderbird is not on PATH (.ci/run installs it: apt-get install thunderbird)")
	}
	return p
}

// tbOptions are the test's own prefs for one run; they go into prefs.js,
// never into the user.js under test (user.js overrides prefs.js).
type tbOptions struct {
	// proxy is the SOCKS5 proxy that all of Thunderbird's connections
	// go through, with remote DNS (see tbProxy).
	proxy *tbProxy
}

// tbInstance is one running Thunderbird.
type tbInstance struct {
	t       *testing.T
	profile string
	logPath string
	cmd     *exec.Cmd
	done    chan struct{} // closed when the process has exited
	waitErr error
	mn      *marionette
}

// startThunderbird starts Thunderbird headless on profile (a directory,
// which may hold a user.js) and connects to it over Marionette. The run is
// bounded by tbRunTimeout: after that the whole process group is killed.
// A cleanup kills it too if the test did not quit it.
func startThunderbird(t *testing.T, bin, profile string, o tbOptions) *tbInstance {
	t.Helper()
	if err := writeTestPrefs(profile, o); err != nil {
		t.Fatal(err)
	}
	// Left over from an earlier run of this profile: it would name a dead port.
	_ = os.Remove(filepath.Join(profile, "MarionetteActivePort"))

	home := t.TempDir() // Thunderbird writes ~/.thunderbird, ~/.cache/...
	logPath := filepath.Join(t.TempDir(), "thunderbird.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()

	args := []string{"--headless", "--no-remote", "--profile", profile, "--marionette", "-remote-allow-system-access"}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(tbEnviron(),
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"MOZ_HEADLESS=1",
		"MOZ_CRASHREPORTER_DISABLE=1",
	)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	// Its own process group, so that its content processes go with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	tb := &tbInstance{t: t, profile: profile, logPath: logPath, cmd: cmd, done: make(chan struct{})}
	go func() {
		tb.waitErr = cmd.Wait()
		close(tb.done)
	}()
	timer := time.AfterFunc(tbRunTimeout, tb.killGroup)
	t.Cleanup(func() {
		timer.Stop()
		tb.kill()
	})

	ctx, cancel := context.WithTimeout(t.Context(), tbRunTimeout)
	defer cancel()
	mn, err := tb.connect(ctx)
	if err != nil {
		tb.kill()
		t.Fatalf("Thunderbird on %s: %v%s", profile, err, tb.logTail())
	}
	tb.mn = mn
	t.Logf("Thunderbird started on %s, Marionette ready after %v", profile, time.Since(start).Round(time.Millisecond))
	return tb
}

// tbEnviron is the test's environment without what would make Thunderbird
// look elsewhere for its profile, cache or display.
func tbEnviron() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "HOME", strings.HasPrefix(name, "XDG_"), strings.HasPrefix(name, "MOZ_"),
			name == "DISPLAY", name == "WAYLAND_DISPLAY":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// writeTestPrefs appends the test's prefs to the profile's prefs.js (later
// lines win; Thunderbird rewrites the file on exit).
func writeTestPrefs(profile string, o tbOptions) error {
	var b strings.Builder
	pref := func(name string, v any) {
		val, _ := json.Marshal(v)
		fmt.Fprintf(&b, "user_pref(%q, %s);\n", name, val)
	}
	pref("marionette.port", 0) // any free port, written to MarionetteActivePort
	pref("remote.prefs.recommended", false)
	// Every connection through the test's proxy, names resolved there.
	pref("network.proxy.type", 1)
	pref("network.proxy.socks", "127.0.0.1")
	pref("network.proxy.socks_port", o.proxy.port())
	pref("network.proxy.socks_version", 5)
	pref("network.proxy.socks_remote_dns", true)
	pref("network.proxy.socks5_remote_dns", true)
	pref("network.proxy.no_proxies_on", "")
	pref("network.proxy.allow_hijacking_localhost", true)
	pref("network.proxy.failover_direct", false)
	pref("network.trr.mode", 5)
	pref("network.connectivity-service.enabled", false)
	pref("network.captive-portal-service.enabled", false)
	pref("datareporting.policy.dataSubmissionEnabled", false)
	pref("datareporting.healthreport.uploadEnabled", false)
	pref("toolkit.telemetry.enabled", false)
	pref("app.update.auto", false)
	pref("extensions.update.enabled", false)
	pref("mail.shell.checkDefaultClient", false)
	pref("mailnews.start_page.enabled", false)
	f, err := os.OpenFile(filepath.Join(profile, "prefs.js"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// connect waits for Marionette's port file, connects, and opens a session
// in the chrome context.
func (tb *tbInstance) connect(ctx context.Context) (*marionette, error) {
	portFile := filepath.Join(tb.profile, "MarionetteActivePort")
	var port int
	for {
		data, err := os.ReadFile(portFile)
		if err == nil {
			if p, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil && p > 0 {
				port = p
				break
			}
		}
		select {
		case <-tb.done:
			return nil, fmt.Errorf("exited before Marionette listened: %v", tb.waitErr)
		case <-ctx.Done():
			return nil, fmt.Errorf("no Marionette port in %s: %w", portFile, context.Cause(ctx))
		case <-time.After(100 * time.Millisecond):
		}
	}
	mn, err := dialMarionette(ctx, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, err
	}
	steps := []struct {
		name   string
		params any
	}{
		{"WebDriver:NewSession", map[string]any{"capabilities": map[string]any{}}},
		{"Marionette:SetContext", map[string]any{"value": "chrome"}},
		{"WebDriver:SetTimeouts", map[string]any{"script": 60000}},
	}
	for _, s := range steps {
		if err := mn.call(ctx, s.name, s.params, nil); err != nil {
			mn.close()
			return nil, err
		}
	}
	return mn, nil
}

// eval runs js (the body of a function; arguments holds args) in
// Thunderbird's main window and decodes what it returns, awaiting a
// promise, into out.
func (tb *tbInstance) eval(ctx context.Context, js string, out any, args ...any) error {
	if args == nil {
		args = []any{}
	}
	var res struct {
		Value json.RawMessage `json:"value"`
	}
	if err := tb.mn.call(ctx, "WebDriver:ExecuteScript", map[string]any{"script": js, "args": args}, &res); err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(res.Value, out); err != nil {
		return fmt.Errorf("script result %s: %w", res.Value, err)
	}
	return nil
}

// quit asks Thunderbird to quit as a person would (File > Quit), which
// writes prefs.js, and waits for the process to exit. It fails the test
// if Thunderbird does not exit in time or exits with an error.
func (tb *tbInstance) quit(ctx context.Context) {
	tb.t.Helper()
	start := time.Now()
	err := tb.mn.call(ctx, "Marionette:Quit", map[string]any{"flags": []string{"eAttemptQuit"}}, nil)
	tb.mn.close()
	if err != nil {
		tb.kill()
		tb.t.Fatalf("Marionette:Quit: %v%s", err, tb.logTail())
	}
	select {
	case <-tb.done:
	case <-time.After(tbQuitTimeout):
		tb.kill()
		tb.t.Fatalf("Thunderbird still running %v after Quit; killed it%s", tbQuitTimeout, tb.logTail())
	}
	tb.killGroup() // any content process that outlived the parent
	if tb.waitErr != nil {
		tb.t.Fatalf("Thunderbird exited with %v after Quit%s", tb.waitErr, tb.logTail())
	}
	tb.t.Logf("Thunderbird quit cleanly in %v", time.Since(start).Round(time.Millisecond))
}

// killGroup kills Thunderbird's process group (its own id, set with
// Setpgid), if any process of it is left.
func (tb *tbInstance) killGroup() {
	pgid := tb.cmd.Process.Pid
	if err := syscall.Kill(-pgid, 0); err == nil {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
}

// kill kills the process group and waits for the process to be reaped.
func (tb *tbInstance) kill() {
	if tb.mn != nil {
		tb.mn.close()
	}
	tb.killGroup()
	select {
	case <-tb.done:
	case <-time.After(10 * time.Second):
	}
	tb.killGroup()
}

// logTail is the end of Thunderbird's output without GTK's noise, for
// failure messages.
func (tb *tbInstance) logTail() string {
	data, err := os.ReadFile(tb.logPath)
	if err != nil {
		return ""
	}
	var keep []string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) == "" || strings.Contains(l, "Gtk-CRITICAL") || strings.Contains(l, "gtk_icon_theme") {
			continue
		}
		keep = append(keep, l)
	}
	if len(keep) > 30 {
		keep = keep[len(keep)-30:]
	}
	if len(keep) == 0 {
		return ""
	}
	return "\nThunderbird's output (last lines):\n\t" + strings.Join(keep, "\n\t")
}

// ---- Marionette

// marionette is a client of Mozilla's Marionette protocol: messages are
// "<length>:<json>", commands [0, id, name, params], replies
// [1, id, error, result].
type marionette struct {
	conn net.Conn
	r    *bufio.Reader
	id   int
}

func dialMarionette(ctx context.Context, addr string) (*marionette, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("Marionette: %w", err)
	}
	m := &marionette{conn: conn, r: bufio.NewReader(conn)}
	var hello struct {
		ApplicationType    string `json:"applicationType"`
		MarionetteProtocol int    `json:"marionetteProtocol"`
	}
	if err := m.withDeadline(ctx, func() error {
		data, err := m.read()
		if err != nil {
			return err
		}
		return json.Unmarshal(data, &hello)
	}); err != nil {
		conn.Close()
		return nil, fmt.Errorf("Marionette greeting: %w", err)
	}
	if hello.MarionetteProtocol != 3 {
		conn.Close()
		return nil, fmt.Errorf("Marionette greeting: got protocol %d (%s), want 3", hello.MarionetteProtocol, hello.ApplicationType)
	}
	return m, nil
}

func (m *marionette) close() { _ = m.conn.Close() }

func (m *marionette) withDeadline(ctx context.Context, fn func() error) error {
	stop := context.AfterFunc(ctx, func() { _ = m.conn.SetDeadline(time.Now()) })
	err := fn()
	if !stop() {
		return fmt.Errorf("%w (%v)", context.Cause(ctx), err)
	}
	return err
}

func (m *marionette) read() ([]byte, error) {
	head, err := m.r.ReadString(':')
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(strings.TrimSuffix(head, ":"))
	if err != nil || n < 0 || n > 64<<20 {
		return nil, fmt.Errorf("bad Marionette frame length %q", head)
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(m.r, data); err != nil {
		return nil, err
	}
	return data, nil
}

// marionetteError is an error that Thunderbird reported for a command.
type marionetteError struct {
	Command    string
	Err        string `json:"error"`
	Message    string `json:"message"`
	Stacktrace string `json:"stacktrace"`
}

func (e *marionetteError) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.Command, e.Err, e.Message)
}

// call sends one command and decodes its result into out (when not nil).
func (m *marionette) call(ctx context.Context, name string, params any, out any) error {
	m.id++
	id := m.id
	msg, err := json.Marshal([]any{0, id, name, params})
	if err != nil {
		return err
	}
	return m.withDeadline(ctx, func() error {
		if _, err := fmt.Fprintf(m.conn, "%d:%s", len(msg), msg); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		for {
			data, err := m.read()
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			var reply []json.RawMessage
			if err := json.Unmarshal(data, &reply); err != nil || len(reply) != 4 {
				return fmt.Errorf("%s: got reply %.200s, want [1, id, error, result]", name, data)
			}
			var typ, rid int
			if json.Unmarshal(reply[0], &typ) != nil || json.Unmarshal(reply[1], &rid) != nil || typ != 1 || rid != id {
				continue // not the reply to this command
			}
			if !bytes.Equal(reply[2], []byte("null")) {
				merr := &marionetteError{Command: name}
				if err := json.Unmarshal(reply[2], merr); err != nil {
					return fmt.Errorf("%s: error %s", name, reply[2])
				}
				return merr
			}
			if out == nil {
				return nil
			}
			if err := json.Unmarshal(reply[3], out); err != nil {
				return fmt.Errorf("%s: result %.200s: %w", name, reply[3], err)
			}
			return nil
		}
	})
}
