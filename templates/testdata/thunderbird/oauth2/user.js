// Thunderbird account jo@oauth.example, written by mailsetup.
// For a new profile: delete this file after the first start (see the instructions).
// No password is stored here: the account signs in with OAuth2, through the provider's sign-in page.
user_pref("mail.accountmanager.accounts", "account1");
user_pref("mail.accountmanager.defaultaccount", "account1");
user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.name", "jo@oauth.example");
user_pref("mail.server.server1.hostname", "imap.oauth.example");
user_pref("mail.server.server1.port", 993);
user_pref("mail.server.server1.socketType", 3);
user_pref("mail.server.server1.authMethod", 10);
user_pref("mail.server.server1.userName", "jo@oauth.example");
user_pref("mail.server.server1.login_at_startup", true);
user_pref("mail.server.server1.oauth2.issuer", "login.oauth.example");
user_pref("mail.server.server1.oauth2.scope", "mail-w");
user_pref("mail.identity.id1.useremail", "jo@oauth.example");
user_pref("mail.identity.id1.fullName", "Jo Example");
user_pref("mail.identity.id1.smtpServer", "smtp1");
user_pref("mail.identity.id1.valid", true);
user_pref("mail.smtpservers", "smtp1");
user_pref("mail.smtp.defaultserver", "smtp1");
user_pref("mail.smtpserver.smtp1.hostname", "smtp.oauth.example");
user_pref("mail.smtpserver.smtp1.port", 465);
user_pref("mail.smtpserver.smtp1.try_ssl", 3);
user_pref("mail.smtpserver.smtp1.authMethod", 10);
user_pref("mail.smtpserver.smtp1.username", "jo@oauth.example");
user_pref("mail.smtpserver.smtp1.oauth2.issuer", "login.oauth.example");
user_pref("mail.smtpserver.smtp1.oauth2.scope", "mail-w");
