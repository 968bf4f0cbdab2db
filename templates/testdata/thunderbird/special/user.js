// Thunderbird account o'brien+news@example.com, written by mailsetup.
// For a new profile: delete this file after the first start (see the instructions).
// No password is stored here: Thunderbird asks for it and keeps it in its password manager.
user_pref("mail.accountmanager.accounts", "account1");
user_pref("mail.accountmanager.defaultaccount", "account1");
user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.name", "o'brien+news@example.com");
user_pref("mail.server.server1.hostname", "mail.example.com");
user_pref("mail.server.server1.port", 993);
user_pref("mail.server.server1.socketType", 3);
user_pref("mail.server.server1.authMethod", 3);
user_pref("mail.server.server1.userName", "o'brien+news");
user_pref("mail.server.server1.login_at_startup", true);
user_pref("mail.identity.id1.useremail", "o'brien+news@example.com");
user_pref("mail.identity.id1.fullName", "Zoë \"Z\" <O'Brien> & Co — 日本");
user_pref("mail.identity.id1.smtpServer", "smtp1");
user_pref("mail.identity.id1.valid", true);
user_pref("mail.smtpservers", "smtp1");
user_pref("mail.smtp.defaultserver", "smtp1");
user_pref("mail.smtpserver.smtp1.hostname", "mail.example.com");
user_pref("mail.smtpserver.smtp1.port", 465);
user_pref("mail.smtpserver.smtp1.try_ssl", 3);
user_pref("mail.smtpserver.smtp1.authMethod", 3);
user_pref("mail.smtpserver.smtp1.username", "o'brien+news");
