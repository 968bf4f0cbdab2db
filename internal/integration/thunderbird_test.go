//go:build unix

package integration

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/templates"
)

// The Thunderbird tests run Debian's real Thunderbird headless (see
// thunderbird_run_test.go) on a fresh profile holding only the user.js that
// templates.Render("thunderbird", ...) writes, byte for byte:
//
//   - TestThunderbirdImportsUserJS (no servers needed) checks that
//     Thunderbird turns user.js into the account we meant, as it runs, in
//     the connections it opens (to a proxy that never answers) and in the
//     prefs.js it writes on quitting.
//   - TestThunderbirdLogsInToRig (needs the real-server rig) checks that
//     the account works: Thunderbird logs in to Dovecot over IMAP or POP3
//     and fetches a message the test put there, and logs in to Postfix.

// renderUserJS renders the thunderbird format and returns its user.js.
func renderUserJS(t *testing.T, a account.Account) []byte {
	t.Helper()
	files, err := templates.Render("thunderbird", a, templates.Options{})
	if err != nil {
		t.Fatalf("templates.Render(thunderbird): %v", err)
	}
	for _, f := range files {
		if f.Name == "user.js" {
			return f.Data
		}
	}
	t.Fatalf("templates.Render(thunderbird): got no user.js among %d files", len(files))
	return nil
}

// newTBProfile makes a fresh profile directory holding userJS.
func newTBProfile(t *testing.T, userJS []byte) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "profile")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "user.js"), userJS, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Thunderbird's numbers for the prefs, from its nsMsgSocketType and
// nsMsgAuthMethod (formats.md §2b), written out here rather than taken from
// the templates package so that a wrong number there shows up.
func tbWantSocketType(t *testing.T, s account.Security) int64 {
	t.Helper()
	switch s {
	case account.None:
		return 0
	case account.STARTTLS:
		return 2
	case account.TLS:
		return 3
	}
	t.Fatalf("no socketType for security %v", s)
	return -1
}

func tbWantAuthMethod(t *testing.T, m account.AuthMethod) int64 {
	t.Helper()
	switch m {
	case account.AuthPasswordCleartext:
		return 3
	case account.AuthPasswordEncrypted:
		return 4
	}
	t.Fatalf("no authMethod for %v in this test", m)
	return -1
}

// tbWantPrefs is what prefs.js must hold for the account after Thunderbird
// has read its user.js: strings, int64 for integers, bools.
func tbWantPrefs(t *testing.T, a account.Account) map[string]any {
	t.Helper()
	in, out := a.Incoming, a.Outgoing
	want := map[string]any{
		"mail.accountmanager.defaultaccount": "account1",
		"mail.account.account1.server":       "server1",
		"mail.account.account1.identities":   "id1",

		"mail.server.server1.type":             in.Protocol.String(),
		"mail.server.server1.name":             a.Email.Display(),
		"mail.server.server1.hostname":         in.Host,
		"mail.server.server1.port":             int64(in.Port),
		"mail.server.server1.socketType":       tbWantSocketType(t, in.Security),
		"mail.server.server1.authMethod":       tbWantAuthMethod(t, in.Auth),
		"mail.server.server1.userName":         in.Username,
		"mail.server.server1.login_at_startup": true,

		"mail.identity.id1.useremail":  a.Email.String(),
		"mail.identity.id1.fullName":   a.DisplayName,
		"mail.identity.id1.smtpServer": "smtp1",
		"mail.identity.id1.valid":      true,

		"mail.smtpservers":                  "smtp1",
		"mail.smtp.defaultserver":           "smtp1",
		"mail.smtpserver.smtp1.hostname":    out.Host,
		"mail.smtpserver.smtp1.port":        int64(out.Port),
		"mail.smtpserver.smtp1.try_ssl":     tbWantSocketType(t, out.Security),
		"mail.smtpserver.smtp1.authMethod":  tbWantAuthMethod(t, out.Auth),
		"mail.smtpserver.smtp1.username":    out.Username,
		"mail.server.server1.directory-rel": "[ProfD]" + tbMailRoot(in.Protocol) + "/" + in.Host,
	}
	if a.POP3 != nil {
		want["mail.server.server1.leave_on_server"] = a.POP3.LeaveOnServer
		want["mail.server.server1.delete_by_age_from_server"] = a.POP3.DaysOnServer > 0
		if a.POP3.DaysOnServer > 0 {
			want["mail.server.server1.num_days_to_leave_on_server"] = int64(a.POP3.DaysOnServer)
		}
	}
	return want
}

// tbMailRoot is the profile folder where Thunderbird keeps a server's mail.
func tbMailRoot(p account.Protocol) string {
	if p == account.IMAP {
		return "ImapMail"
	}
	return "Mail"
}

// tbAccountJS reads, inside Thunderbird, the default account as its
// account manager made it from the prefs: what Thunderbird will use.
const tbAccountJS = `
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const am = MailServices.accounts;
const r = { accounts: am.accounts.map(a => a.key + ":" + a.incomingServer.type) };
const acct = am.defaultAccount;
if (!acct) return r;
r.defaultAccount = acct.key;
const s = acct.incomingServer;
r.server = {
  key: s.key, type: s.type, hostName: s.hostname, port: s.port, socketType: s.socketType,
  authMethod: s.authMethod, username: s.username, loginAtStartUp: s.loginAtStartUp,
  prettyName: s.prettyName, localPath: s.localPath.path,
};
if (s.type == "pop3") {
  const p = s.QueryInterface(Ci.nsIPop3IncomingServer);
  r.server.leaveOnServer = p.leaveMessagesOnServer;
  r.server.deleteByAge = p.deleteByAgeFromServer;
  r.server.numDays = p.numDaysToLeaveOnServer;
}
const id = acct.defaultIdentity;
if (id) {
  r.identity = { key: id.key, email: id.email, fullName: id.fullName, valid: id.valid };
  const out = MailServices.outgoingServer.getServerByIdentity(id);
  if (out) {
    const o = out.wrappedJSObject || out;
    r.smtp = {
      key: out.key, type: out.type, hostname: o.hostname, port: o.port,
      socketType: o.socketType, authMethod: o.authMethod, username: o.username,
    };
  }
}
return r;
`

type tbAccount struct {
	Accounts       []string `json:"accounts"`
	DefaultAccount string   `json:"defaultAccount"`
	Server         *struct {
		Key            string `json:"key"`
		Type           string `json:"type"`
		HostName       string `json:"hostName"`
		Port           int    `json:"port"`
		SocketType     int    `json:"socketType"`
		AuthMethod     int    `json:"authMethod"`
		Username       string `json:"username"`
		LoginAtStartUp bool   `json:"loginAtStartUp"`
		PrettyName     string `json:"prettyName"`
		LocalPath      string `json:"localPath"`
		LeaveOnServer  *bool  `json:"leaveOnServer"`
		DeleteByAge    *bool  `json:"deleteByAge"`
		NumDays        *int   `json:"numDays"`
	} `json:"server"`
	Identity *struct {
		Key      string `json:"key"`
		Email    string `json:"email"`
		FullName string `json:"fullName"`
		Valid    bool   `json:"valid"`
	} `json:"identity"`
	SMTP *struct {
		Key        string `json:"key"`
		Type       string `json:"type"`
		Hostname   string `json:"hostname"`
		Port       int    `json:"port"`
		SocketType int    `json:"socketType"`
		AuthMethod int    `json:"authMethod"`
		Username   string `json:"username"`
	} `json:"smtp"`
}

// checkTBAccount compares the account Thunderbird runs with a.
func checkTBAccount(t *testing.T, got tbAccount, a account.Account) {
	t.Helper()
	if got.DefaultAccount != "account1" || got.Server == nil || got.Identity == nil || got.SMTP == nil {
		t.Fatalf("Thunderbird's accounts: got %v with default %q, want account1 with a server, an identity and an SMTP server as the default: %+v",
			got.Accounts, got.DefaultAccount, got)
	}
	in, out := a.Incoming, a.Outgoing
	s, id, smtp := got.Server, got.Identity, got.SMTP
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("Thunderbird's %s: got %#v, want %#v", what, got, want)
		}
	}
	check("accounts", strings.Join(got.Accounts, ","), "account1:"+in.Protocol.String()+",account2:none")
	check("server key", s.Key, "server1")
	check("server type", s.Type, in.Protocol.String())
	check("server hostName", s.HostName, in.Host)
	check("server port", int64(s.Port), int64(in.Port))
	check("server socketType", int64(s.SocketType), tbWantSocketType(t, in.Security))
	check("server authMethod", int64(s.AuthMethod), tbWantAuthMethod(t, in.Auth))
	check("server username", s.Username, in.Username)
	check("server loginAtStartUp", s.LoginAtStartUp, true)
	check("server prettyName", s.PrettyName, a.Email.Display())
	check("identity key", id.Key, "id1")
	check("identity email", id.Email, a.Email.String())
	check("identity fullName", id.FullName, a.DisplayName)
	check("identity valid", id.Valid, true)
	check("SMTP server key", smtp.Key, "smtp1")
	check("SMTP server type", smtp.Type, "smtp")
	check("SMTP hostname", smtp.Hostname, out.Host)
	check("SMTP port", int64(smtp.Port), int64(out.Port))
	check("SMTP socketType", int64(smtp.SocketType), tbWantSocketType(t, out.Security))
	check("SMTP authMethod", int64(smtp.AuthMethod), tbWantAuthMethod(t, out.Auth))
	check("SMTP username", smtp.Username, out.Username)
	if a.POP3 != nil {
		if s.LeaveOnServer == nil || s.DeleteByAge == nil || s.NumDays == nil {
			t.Fatalf("Thunderbird's POP3 settings: got none, want them (server type %q)", s.Type)
		}
		check("POP3 leaveMessagesOnServer", *s.LeaveOnServer, a.POP3.LeaveOnServer)
		check("POP3 deleteByAgeFromServer", *s.DeleteByAge, a.POP3.DaysOnServer > 0)
		if a.POP3.DaysOnServer > 0 {
			check("POP3 numDaysToLeaveOnServer", *s.NumDays, a.POP3.DaysOnServer)
		}
	}
}

// checkPrefsJS compares the prefs.js that Thunderbird wrote with want and
// with the user.js it was given.
func checkPrefsJS(t *testing.T, profile string, userJS []byte, want map[string]any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(profile, "prefs.js"))
	if err != nil {
		t.Fatalf("Thunderbird wrote no prefs.js: %v", err)
	}
	got, err := parsePrefsJS(data)
	if err != nil {
		t.Fatalf("parsing Thunderbird's prefs.js: %v", err)
	}
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if got[name] != want[name] {
			t.Errorf("prefs.js %s: got %s, want %s", name, prefString(got[name]), prefString(want[name]))
		}
	}
	// Thunderbird adds its Local Folders account after ours.
	accounts, _ := got["mail.accountmanager.accounts"].(string)
	if list := strings.Split(accounts, ","); list[0] != "account1" {
		t.Errorf("prefs.js mail.accountmanager.accounts: got %s, want account1 first", prefString(got["mail.accountmanager.accounts"]))
	}

	// Every pref of user.js, with its value and type.
	user, err := parsePrefsJS(userJS)
	if err != nil {
		t.Fatalf("parsing our user.js: %v", err)
	}
	same := 0
	for name, v := range user {
		switch {
		case name == "mail.accountmanager.accounts":
		case got[name] != v:
			t.Errorf("prefs.js %s: got %s, want %s as in user.js", name, prefString(got[name]), prefString(v))
		default:
			same++
		}
	}
	t.Logf("prefs.js: %d prefs; %d of the %d in user.js kept as they are, mail.accountmanager.accounts = %q",
		len(got), same, len(user), accounts)
}

func TestThunderbirdImportsUserJS(t *testing.T) {
	bin := requireThunderbird(t)
	cases := []struct {
		name string
		acct account.Account
	}{
		{"IMAP", account.Account{
			Email: account.MustParseAddress("jane@example.com"), DisplayName: "Jane Doe",
			Incoming: account.Server{Protocol: account.IMAP, Host: "imap.example.com", Port: 993,
				Security: account.TLS, Auth: account.AuthPasswordCleartext, Username: "jane@example.com"},
			Outgoing: account.Server{Protocol: account.SMTP, Host: "smtp.example.com", Port: 465,
				Security: account.TLS, Auth: account.AuthPasswordCleartext, Username: "jane@example.com"},
		}},
		{"POP3", account.Account{
			// Quotes, a backslash and non-ASCII go through the prefs parser.
			Email: account.MustParseAddress("o'brien+news@example.org"), DisplayName: `Zoë "Z" O'Brien \ Co — 日本`,
			Incoming: account.Server{Protocol: account.POP3, Host: "pop.example.org", Port: 110,
				Security: account.STARTTLS, Auth: account.AuthPasswordEncrypted, Username: "obrien"},
			Outgoing: account.Server{Protocol: account.SMTP, Host: "smtp.example.org", Port: 587,
				Security: account.STARTTLS, Auth: account.AuthPasswordCleartext, Username: "obrien"},
			POP3: &account.POP3Options{LeaveOnServer: true, DaysOnServer: 14},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			userJS := renderUserJS(t, tc.acct)
			profile := newTBProfile(t, userJS)
			ctx, cancel := context.WithTimeout(t.Context(), tbRunTimeout)
			defer cancel()

			// The proxy holds every connection: the account's example.com
			// servers are never contacted, and Thunderbird waits instead
			// of failing with an error dialog.
			proxy := startTBProxy(t, nil)
			tb := startThunderbird(t, bin, profile, tbOptions{proxy: proxy})
			var got tbAccount
			if err := tb.eval(ctx, tbAccountJS, &got); err != nil {
				t.Fatalf("reading Thunderbird's account: %v%s", err, tb.logTail())
			}
			checkTBAccount(t, got, tc.acct)

			// login_at_startup: Thunderbird connects to the incoming
			// server by itself; the SMTP server when it sends (here, when
			// its SMTP client is told to connect).
			in, out := tc.acct.Incoming, tc.acct.Outgoing
			if err := proxy.waitFor(ctx, in.Address(), 30*time.Second); err != nil {
				t.Errorf("Thunderbird at start-up: %v", err)
			}
			if err := tb.eval(ctx, tbSMTPConnectJS, nil); err != nil {
				t.Fatalf("connecting Thunderbird's SMTP client: %v%s", err, tb.logTail())
			}
			if err := proxy.waitFor(ctx, out.Address(), 30*time.Second); err != nil {
				t.Errorf("Thunderbird's SMTP client: %v", err)
			}
			t.Logf("Thunderbird's connections (held by the proxy): %q", proxy.requests())
			tb.quit(ctx)

			checkPrefsJS(t, profile, userJS, tbWantPrefs(t, tc.acct))
			dir := filepath.Join(profile, tbMailRoot(tc.acct.Incoming.Protocol), tc.acct.Incoming.Host)
			if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
				t.Errorf("the account's mail folder %s: got %v, want a directory that Thunderbird made", dir, err)
			}
			if got.Server != nil && got.Server.LocalPath != dir {
				t.Errorf("Thunderbird's server localPath: got %q, want %q", got.Server.LocalPath, dir)
			}
		})
	}
}

// ---- against the rig

// tbSeedJS trusts the rig's CA in the profile (as a person would by
// importing it in the certificate manager) and saves the password for
// IMAP, POP3 ("mailbox") and SMTP on the rig's host in the password
// manager, as Thunderbird does when a person ticks "remember password".
const tbSeedJS = `
const [caBase64, host, user, password] = arguments;
return (async () => {
  const certdb = Cc["@mozilla.org/security/x509certdb;1"].getService(Ci.nsIX509CertDB);
  const ca = certdb.addCertFromBase64(caBase64, "C,,");
  const origins = [];
  for (const scheme of ["imap", "mailbox", "smtp"]) {
    const origin = scheme + "://" + host;
    const login = Cc["@mozilla.org/login-manager/loginInfo;1"].createInstance(Ci.nsILoginInfo);
    login.init(origin, null, origin, user, password, "", "");
    await Services.logins.addLoginAsync(login);
    origins.push(origin);
  }
  return { ca: ca.subjectName, logins: origins, count: (await Services.logins.getAllLogins()).length };
})();
`

// tbSeedFiles are what tbSeedJS changes in a profile: NSS's certificate and
// key databases and the encrypted logins.
var tbSeedFiles = []string{"cert9.db", "key4.db", "logins.json"}

// seedTBProfile runs Thunderbird once on an empty profile to trust the
// rig's CA and save the rig's password, and returns that profile.
func seedTBProfile(t *testing.T, bin string, r *rig) string {
	t.Helper()
	caPEM, err := os.ReadFile(os.Getenv(envCA))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(caPEM)
	if block == nil {
		t.Fatalf("%s: got no PEM block", os.Getenv(envCA))
	}
	seed := filepath.Join(t.TempDir(), "seed")
	if err := os.Mkdir(seed, 0o700); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), tbRunTimeout)
	defer cancel()
	tb := startThunderbird(t, bin, seed, tbOptions{proxy: startTBProxy(t, nil)})
	var res struct {
		CA     string   `json:"ca"`
		Logins []string `json:"logins"`
		Count  int      `json:"count"`
	}
	err = tb.eval(ctx, tbSeedJS, &res, base64.StdEncoding.EncodeToString(block.Bytes), r.host, r.user, r.password)
	if err != nil {
		t.Fatalf("trusting the rig's CA and saving the password in Thunderbird: %v%s", err, tb.logTail())
	}
	if res.Count != 3 {
		t.Fatalf("Thunderbird's password manager: got %d logins, want 3 (%v)", res.Count, res.Logins)
	}
	t.Logf("seed profile: trusts %s; passwords for %v", res.CA, res.Logins)
	tb.quit(ctx)
	for _, f := range tbSeedFiles {
		if _, err := os.Stat(filepath.Join(seed, f)); err != nil {
			t.Fatalf("seed profile: %v", err)
		}
	}
	return seed
}

// copySeed copies the seed's certificate and password files into profile.
func copySeed(t *testing.T, seed, profile string) {
	t.Helper()
	for _, f := range tbSeedFiles {
		data, err := os.ReadFile(filepath.Join(seed, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(profile, f), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// tbFetchJS makes Thunderbird fetch new mail for the default account as
// the Get Messages button does: IMAP updates the Inbox, POP3 downloads
// into the local Inbox. It returns the URL's status (0 is success) and the
// subjects in the Inbox.
const tbFetchJS = `
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const server = MailServices.accounts.defaultAccount.incomingServer;
const inbox = server.rootFolder.getFolderWithFlags(Ci.nsMsgFolderFlags.Inbox);
if (!inbox) return { error: "no Inbox folder (yet)" };
const subjects = () => [...inbox.messages].map(h => h.mime2DecodedSubject);
return new Promise(resolve => {
  const listener = {
    OnStartRunningUrl() {},
    OnStopRunningUrl(url, status) { resolve({ status, url: url.spec, subjects: subjects() }); },
  };
  if (server.type == "imap") {
    inbox.QueryInterface(Ci.nsIMsgImapMailFolder).updateFolderWithListener(null, listener);
  } else {
    MailServices.pop3.GetNewMail(null, listener, inbox, server);
  }
});
`

// tbInboxJS lists the subjects in the default account's Inbox.
const tbInboxJS = `
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const inbox = MailServices.accounts.defaultAccount.incomingServer.rootFolder.getFolderWithFlags(Ci.nsMsgFolderFlags.Inbox);
return inbox ? [...inbox.messages].map(h => h.mime2DecodedSubject) : [];
`

// tbSMTPJS connects to the default SMTP server with Thunderbird's own SMTP
// client and its settings and saved password, up to the point where a
// message could be sent (after AUTH), and says QUIT. No mail is sent.
// authMethod and secure come from the client's internals: the SASL
// mechanism it used (none when the server offered no AUTH) and whether the
// connection was TLS when it got there.
const tbSMTPJS = `
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const { SmtpClient } = ChromeUtils.importESModule("resource:///modules/SmtpClient.sys.mjs");
const id = MailServices.accounts.defaultAccount.defaultIdentity;
const server = MailServices.outgoingServer.getServerByIdentity(id).wrappedJSObject;
return new Promise(resolve => {
  const client = new SmtpClient(server);
  client.onidle = () => {
    resolve({ ok: true, authMethod: client._currentAuthMethod || "", secure: !!client._secureTransport });
    client.quit();
  };
  client.onerror = (status, message) => resolve({ ok: false, status, message: String(message) });
  client.connect();
});
`

// tbSMTPConnectJS makes Thunderbird's SMTP client connect to the default
// SMTP server and does not wait for it.
const tbSMTPConnectJS = `
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const { SmtpClient } = ChromeUtils.importESModule("resource:///modules/SmtpClient.sys.mjs");
const id = MailServices.accounts.defaultAccount.defaultIdentity;
new SmtpClient(MailServices.outgoingServer.getServerByIdentity(id).wrappedJSObject).connect();
return true;
`

// tbProbe is a message the rig test appends to the rig's INBOX and
// deletes again when it ends.
type tbProbe struct {
	subject string
	uid     imap.UID
}

// rigIMAP logs in to the rig's IMAP server (993) and runs fn.
func rigIMAP(ctx context.Context, r *rig, fn func(c *imapclient.Client, raw net.Conn) error) error {
	var seen tlsSeen
	raw, err := dial(ctx, r.hostPort("993"))
	if err != nil {
		return err
	}
	defer raw.Close()
	tc, err := handshake(ctx, raw, r.tlsConfig(&seen))
	if err != nil {
		return err
	}
	c := imapclient.New(tc, nil)
	defer c.Close()
	if err := within(ctx, raw, "greeting", c.WaitGreeting); err != nil {
		return err
	}
	if err := within(ctx, raw, "LOGIN", func() error { return c.Login(r.user, r.password).Wait() }); err != nil {
		return err
	}
	if err := within(ctx, raw, "SELECT INBOX", func() error { _, err := c.Select("INBOX", nil).Wait(); return err }); err != nil {
		return err
	}
	if err := fn(c, raw); err != nil {
		return err
	}
	return within(ctx, raw, "LOGOUT", func() error { return c.Logout().Wait() })
}

// appendProbe puts a message with a random subject into the rig's INBOX
// and deletes it when the test ends.
func appendProbe(t *testing.T, r *rig) tbProbe {
	t.Helper()
	var nonce [8]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		t.Fatal(err)
	}
	tag := hex.EncodeToString(nonce[:])
	p := tbProbe{subject: "mailsetup Thunderbird probe " + tag}
	msg := strings.Join([]string{
		"From: " + r.user,
		"To: " + r.user,
		"Subject: " + p.subject,
		"Message-ID: <thunderbird-probe-" + tag + "@mailsetup.test>",
		"Date: " + time.Now().UTC().Format(time.RFC1123Z),
		"",
		"Appended by TestThunderbirdLogsInToRig, which deletes it again.",
		"",
	}, "\r\n")
	err := rigIMAP(t.Context(), r, func(c *imapclient.Client, raw net.Conn) error {
		return within(t.Context(), raw, "APPEND", func() error {
			cmd := c.Append("INBOX", int64(len(msg)), nil)
			if _, err := cmd.Write([]byte(msg)); err != nil {
				return err
			}
			if err := cmd.Close(); err != nil {
				return err
			}
			data, err := cmd.Wait()
			if err != nil {
				return err
			}
			if data.UID == 0 {
				return errors.New("got no APPENDUID, want the new message's UID")
			}
			p.uid = data.UID
			return nil
		})
	})
	if err != nil {
		t.Fatalf("appending the probe message to the rig's INBOX: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		err := rigIMAP(ctx, r, func(c *imapclient.Client, raw net.Conn) error {
			uids := imap.UIDSetNum(p.uid)
			return within(ctx, raw, "STORE/EXPUNGE", func() error {
				store := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}
				if err := c.Store(uids, store, nil).Close(); err != nil {
					return err
				}
				return c.UIDExpunge(uids).Close()
			})
		})
		if err != nil {
			t.Errorf("deleting the probe message (UID %d) from the rig's INBOX: %v", p.uid, err)
		}
	})
	return p
}

// probeOnServer reports whether the probe is still in the rig's INBOX.
func probeOnServer(ctx context.Context, r *rig, p tbProbe) (bool, error) {
	var found bool
	err := rigIMAP(ctx, r, func(c *imapclient.Client, raw net.Conn) error {
		return within(ctx, raw, "UID FETCH", func() error {
			msgs, err := c.Fetch(imap.UIDSetNum(p.uid), &imap.FetchOptions{UID: true, Envelope: true}).Collect()
			if err != nil {
				return err
			}
			for _, m := range msgs {
				if m.UID == p.uid && m.Envelope != nil && m.Envelope.Subject == p.subject {
					found = true
				}
			}
			return nil
		})
	})
	return found, err
}

// TestThunderbirdLogsInToRig gives Thunderbird our user.js for the rig's
// account and checks that it logs in with it: it fetches the probe message
// over IMAP or POP3 (every incoming endpoint of the rig, each with one of
// the submission endpoints) and authenticates to Postfix.
//
// Thunderbird must trust the rig's CA and know the password, which a
// user.js cannot say: a first run on an empty profile imports the CA and
// saves the password (as a person would in the certificate and password
// managers), and each case gets a copy of those files in a fresh profile
// with only our user.js besides. The account uses the rig's host name,
// which the test's SOCKS proxy (network.proxy prefs in prefs.js, with
// remote DNS) connects to the rig's address, so TLS is verified for that
// name.
func TestThunderbirdLogsInToRig(t *testing.T) {
	r := requireRig(t)
	bin := requireThunderbird(t)
	seed := seedTBProfile(t, bin, r)
	probe := appendProbe(t, r)

	server := func(p account.Protocol, port int, s account.Security) account.Server {
		return account.Server{Protocol: p, Host: r.host, Port: port, Security: s,
			Auth: account.AuthPasswordCleartext, Username: r.user}
	}
	cases := []struct {
		name     string
		in, out  account.Server
		pop3Opts *account.POP3Options
	}{
		{name: "IMAP 993 TLS, SMTP 587 STARTTLS",
			in: server(account.IMAP, 993, account.TLS), out: server(account.SMTP, 587, account.STARTTLS)},
		{name: "IMAP 143 STARTTLS, SMTP 465 TLS",
			in: server(account.IMAP, 143, account.STARTTLS), out: server(account.SMTP, 465, account.TLS)},
		// Leave on server: POP3 must not delete the rig's mail.
		{name: "POP3 995 TLS, SMTP 465 TLS",
			in: server(account.POP3, 995, account.TLS), out: server(account.SMTP, 465, account.TLS),
			pop3Opts: &account.POP3Options{LeaveOnServer: true}},
		{name: "POP3 110 STARTTLS, SMTP 587 STARTTLS",
			in: server(account.POP3, 110, account.STARTTLS), out: server(account.SMTP, 587, account.STARTTLS),
			pop3Opts: &account.POP3Options{LeaveOnServer: true}},
	}
	t.Run("accounts", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				a := account.Account{
					Email: account.MustParseAddress(r.user), DisplayName: "mailsetup rig tester",
					Incoming: tc.in, Outgoing: tc.out, POP3: tc.pop3Opts,
				}
				userJS := renderUserJS(t, a)
				profile := newTBProfile(t, userJS)
				copySeed(t, seed, profile)
				ctx, cancel := context.WithTimeout(t.Context(), tbRunTimeout)
				defer cancel()

				// The proxy takes Thunderbird to the rig for the rig's
				// host name only.
				proxy := startTBProxy(t, func(host string) (string, bool) { return r.addr, host == r.host })
				tb := startThunderbird(t, bin, profile, tbOptions{proxy: proxy})
				var got tbAccount
				if err := tb.eval(ctx, tbAccountJS, &got); err != nil {
					t.Fatalf("reading Thunderbird's account: %v%s", err, tb.logTail())
				}
				checkTBAccount(t, got, a)
				// login_at_startup: it connects by itself first.
				if err := proxy.waitFor(ctx, a.Incoming.Address(), 30*time.Second); err != nil {
					t.Errorf("Thunderbird at start-up: %v", err)
				}
				checkTBFetch(ctx, t, tb, probe)
				checkTBSMTP(ctx, t, tb, a.Outgoing)
				tb.quit(ctx)
				for _, s := range []account.Server{a.Incoming, a.Outgoing} {
					if !slices.Contains(proxy.requests(), s.Address()) {
						t.Errorf("Thunderbird's connections: got %q, want one to %s", proxy.requests(), s.Address())
					}
				}
				t.Logf("Thunderbird's connections: %q", proxy.requests())
			})
		}
	})
	// No case may have removed the probe: IMAP only reads, and POP3 was
	// told to leave messages on the server.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if on, err := probeOnServer(ctx, r, probe); err != nil {
		t.Errorf("looking for the probe message on the rig: %v", err)
	} else if !on {
		t.Errorf("probe message after Thunderbird's runs: got it gone from the rig's INBOX, want it left on the server")
	}
}

// checkTBFetch makes Thunderbird fetch mail and checks that the probe
// message arrived in its Inbox, which it can only have done by logging in.
func checkTBFetch(ctx context.Context, t *testing.T, tb *tbInstance, p tbProbe) {
	t.Helper()
	var res struct {
		Error    string   `json:"error"`
		Status   int64    `json:"status"`
		URL      string   `json:"url"`
		Subjects []string `json:"subjects"`
	}
	// The IMAP Inbox exists once Thunderbird has listed the folders,
	// which it does at start-up (login_at_startup).
	deadline := time.Now().Add(30 * time.Second)
	for {
		res.Error = ""
		if err := tb.eval(ctx, tbFetchJS, &res); err != nil {
			t.Fatalf("fetching mail in Thunderbird: %v%s", err, tb.logTail())
		}
		if res.Error == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("fetching mail in Thunderbird: %s after 30s%s", res.Error, tb.logTail())
		}
		time.Sleep(250 * time.Millisecond)
	}
	if res.Status != 0 {
		t.Fatalf("Thunderbird fetching mail (%s): got status 0x%x, want 0 (success)%s", res.URL, uint32(res.Status), tb.logTail())
	}
	// The folder's message list can lag behind the URL's end.
	for deadline := time.Now().Add(15 * time.Second); !slices.Contains(res.Subjects, p.subject) && time.Now().Before(deadline); {
		time.Sleep(250 * time.Millisecond)
		if err := tb.eval(ctx, tbInboxJS, &res.Subjects); err != nil {
			t.Fatalf("listing Thunderbird's Inbox: %v", err)
		}
	}
	if !slices.Contains(res.Subjects, p.subject) {
		t.Fatalf("Thunderbird's Inbox after fetching (%s): got subjects %q, want %q among them", res.URL, res.Subjects, p.subject)
	}
	t.Logf("Thunderbird fetched %q (%s, %d messages in its Inbox)", p.subject, res.URL, len(res.Subjects))
}

// checkTBSMTP checks that Thunderbird authenticates to the SMTP server.
func checkTBSMTP(ctx context.Context, t *testing.T, tb *tbInstance, out account.Server) {
	t.Helper()
	var res struct {
		OK         bool   `json:"ok"`
		AuthMethod string `json:"authMethod"`
		Secure     bool   `json:"secure"`
		Status     int64  `json:"status"`
		Message    string `json:"message"`
	}
	if err := tb.eval(ctx, tbSMTPJS, &res); err != nil {
		t.Fatalf("connecting Thunderbird's SMTP client: %v%s", err, tb.logTail())
	}
	switch {
	case !res.OK:
		t.Errorf("Thunderbird's SMTP client on %s: got error 0x%x %q, want an authenticated connection", out, uint32(res.Status), res.Message)
	case res.AuthMethod != "PLAIN" && res.AuthMethod != "LOGIN":
		t.Errorf("Thunderbird's SMTP client on %s: got ready with SASL mechanism %q, want PLAIN or LOGIN (did it authenticate?)", out, res.AuthMethod)
	case !res.Secure:
		t.Errorf("Thunderbird's SMTP client on %s: got an authenticated connection without TLS, want TLS", out)
	default:
		t.Logf("Thunderbird authenticated to SMTP on %s with %s over TLS", out, res.AuthMethod)
	}
}
