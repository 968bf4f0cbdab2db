package i18n

// ExplainTopics are the topics of `mailsetup explain`, in the order they are
// listed. Each topic has the keys explain.<topic>.title (one line, also the
// summary in the topic list), explain.<topic>.short (one or two sentences)
// and explain.<topic>.long.
//
// Long texts are plain text: paragraphs are single lines separated by a
// blank line, and a line starting with "- " is a list item. Callers wrap
// them to the screen width.
var ExplainTopics = []string{"imap-vs-pop3", "smtp", "security", "ports", "app-passwords", "oauth2"}

func init() { add(EN, enExplain) }

var enExplain = map[string]string{
	"explain.list.header": "Topics:",
	"explain.list.hint":   `Read one with "mailsetup explain TOPIC", for example "mailsetup explain smtp".`,

	"explain.imap-vs-pop3.title": "IMAP or POP3: keep mail on the server, or download it",
	"explain.imap-vs-pop3.short": "IMAP (Internet Message Access Protocol) keeps your mail on the server and shows the same mailbox on every device. POP3 (Post Office Protocol 3) downloads mail to one device and usually deletes it from the server, so choose it only if you read your mail on a single device.",
	"explain.imap-vs-pop3.long": `IMAP (Internet Message Access Protocol) and POP3 (Post Office Protocol 3) are two ways for a mail app to receive your mail. Sending is a separate thing, done by SMTP.

IMAP keeps your messages and folders on the mail server. Your phone, laptop and webmail all show the same mailbox: the read, deleted and flagged (starred) state of every message is synced between devices, so a message you read, move, delete or flag on one device is read, moved, deleted or flagged on all of them, and your sent mail is saved on the server too. Because everything stays on the server, it needs room there: when the mailbox is full, new mail can bounce.

POP3 downloads new messages to one device. Most apps then delete them from the server, so other devices never see them, and if that device breaks or is lost, the mail is gone unless it was backed up. Apps can be told to "leave messages on the server", but even then folders, read status and sent mail are not synced between devices.

Which one to choose:
- IMAP, for almost everyone, and always when the mailbox is used on more than one device (for example a phone and a computer).
- POP3, only for a mailbox read on a single device, when the server has little space, or when the provider offers nothing else.`,

	"explain.smtp.title": "SMTP: how your mail is sent",
	"explain.smtp.short": "SMTP is what your mail app uses to send messages; it never receives any. Every account needs settings for the outgoing (SMTP) server as well as for the incoming (IMAP or POP3) one.",
	"explain.smtp.long": `SMTP (Simple Mail Transfer Protocol) only sends mail. When you press Send, your mail app hands the message to your provider's outgoing (SMTP) server, which delivers it to the recipient's mail server. Receiving is done by IMAP or POP3, so every account needs two sets of settings: incoming (IMAP or POP3) and outgoing (SMTP).

The outgoing server asks you to sign in before it sends anything, so that strangers cannot use it to send spam. It normally takes the same username and password as the incoming server. Some apps show this as a checkbox called "My outgoing server requires authentication": turn it on.

Use the outgoing server of the provider that gives you your e-mail address. Mail sent through another server, such as your internet provider's, is often marked as spam or rejected.

If you can receive mail but not send it, check the outgoing settings: the server name, port 465 with SSL/TLS or 587 with STARTTLS, and the sign-in. Port 25 is for servers passing mail to each other and is often blocked on home and office connections.`,

	"explain.security.title": "Connection security: SSL/TLS, STARTTLS or none",
	"explain.security.short": `SSL/TLS encrypts the connection from the very start and is the best choice. STARTTLS connects unencrypted and switches encryption on before your password is sent; "none" sends your password and mail readable to anyone on the network.`,
	"explain.security.long": `Connection security decides whether the connection between your mail app and the server is encrypted, so that nobody on the same network (a café's Wi-Fi, for example) can read your password or your mail. There are three choices.

SSL/TLS (also called "implicit TLS"): the connection is encrypted from the very first moment. This is the safest choice, and the current standard, RFC 8314, recommends it for mail apps: port 993 for IMAP, 995 for POP3 and 465 for sending. "SSL" is the old name; today the encryption is TLS, but many apps still label it "SSL/TLS" or just "SSL".

STARTTLS: the app connects without encryption, then asks the server to switch encryption on before anything private is sent. It is used on port 143 for IMAP, 110 for POP3 and 587 for sending. It is safe as long as the app refuses to continue when encryption cannot be switched on; when the server offers both, prefer SSL/TLS.

None: nothing is encrypted, and your password and messages travel in readable form. Use it only for tests on a network you trust; mailsetup asks you to confirm it twice.

The security setting must match the port: SSL/TLS on port 143 or STARTTLS on port 993 does not work, and the app usually just waits and then reports a timeout. If the app warns that the server's certificate is not valid, do not simply accept it: check the server name first, because a wrong name is the usual cause.`,

	"explain.ports.title": "Ports: which number goes with which setting",
	"explain.ports.short": "Use 993 for IMAP, 995 for POP3 and 465 for sending, all with SSL/TLS. Ports 143, 110 and 587 are the same services with STARTTLS; port 25 is for servers, not for mail apps.",
	"explain.ports.long": `A port is a number that tells the app which "door" of the server to knock on. Each mail service has its own ports, and each port goes with one kind of security:
- 993: IMAP with SSL/TLS (recommended)
- 143: IMAP with STARTTLS
- 995: POP3 with SSL/TLS (recommended)
- 110: POP3 with STARTTLS
- 465: SMTP (sending) with SSL/TLS (recommended)
- 587: SMTP (sending) with STARTTLS
- 25: SMTP between mail servers; mail apps should not use it, and many networks block it

The current standard, RFC 8314, recommends the SSL/TLS ports 993, 995 and 465, because the connection is encrypted from the very start.

If the port and the security setting do not match, for example SSL/TLS on port 143, the connection fails or hangs. If a network (in a hotel or an office, for example) blocks one port, try the other port of the same service with its matching security: 587 with STARTTLS instead of 465 with SSL/TLS, for example.`,

	"explain.app-passwords.title": "App passwords: a separate password for your mail app",
	"explain.app-passwords.short": "An app password is a password your provider generates for one mail app, to use there instead of your normal password. Gmail, iCloud and Yahoo need one for mail apps that cannot sign in through the provider's own page (OAuth2).",
	"explain.app-passwords.long": `An app password is a long, random password that your provider generates for you to type into one mail app instead of your normal password. It is needed when your account uses two-step verification (a code on your phone, for example): a mail app that signs in with just a password has no way to ask for that code, so the provider gives it a password of its own.

Where you need one:
- Gmail: when 2-Step Verification is on and the mail app cannot sign in with Google (OAuth2). Create it in your Google Account (myaccount.google.com): search for "App passwords".
- iCloud: every mail app other than Apple's own needs one. Create it at account.apple.com, under "Sign-In and Security", "App-Specific Passwords".
- Yahoo: for mail apps that cannot sign in with Yahoo. Create it under "Account security" in your Yahoo account settings.
- Outlook.com and Microsoft 365: app passwords work only in a few older setups; these accounts now require signing in through Microsoft's page (OAuth2) instead.

Good to know:
- Copy the app password exactly; you usually see it only once. Google shows it in groups of four letters; the spaces do not matter.
- Use the app password only in the mail app. On the provider's website you keep signing in with your normal password.
- If a device is lost, delete its app password in your account settings; your main password stays the same.
- Changing your main password can cancel your app passwords (Google does this). Then create a new one.`,

	"explain.oauth2.title": "OAuth2: signing in through your provider's page",
	"explain.oauth2.short": "With OAuth2 your mail app opens your provider's own sign-in page, and you sign in there instead of typing your password into the app. The app must support it; Outlook.com and Microsoft 365 require it.",
	"explain.oauth2.long": `OAuth2 is a way to sign in without giving your password to the mail app. When you add the account, the app opens your provider's own sign-in page (Google, Microsoft, Yahoo and so on). You sign in there, with two-step verification if it is on, and allow the app to read and send your mail. The provider then gives the app a key to your mailbox; your password never passes through the app.

What you need:
- A mail app that supports OAuth2 for your provider. Thunderbird, Apple Mail, Outlook and the mail apps on most phones do for Gmail and Microsoft accounts.
- When adding the account, choose the provider by name (Google, Microsoft, Outlook.com) instead of "Other" or manual settings; otherwise the app may ask for a password.

Who requires it:
- Outlook.com (also Hotmail and Live addresses) and Microsoft 365 work or school accounts: a plain password no longer works in mail apps, so the app must support OAuth2. For a work account, your IT administrator may first have to allow the app.
- Gmail: OAuth2 is the recommended way; the alternative is an app password.

If the app only shows a password field and your provider requires OAuth2, that app cannot be used for this account: update it or choose another app. Now and then the provider asks you to sign in again, for example after you change your password; the app then shows the sign-in page again.`,
}
