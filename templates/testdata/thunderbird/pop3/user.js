// Thunderbird account max@example.org, written by mailsetup.
// For a new profile: delete this file after the first start (see the instructions).
// No password is stored here: Thunderbird asks for it and keeps it in its password manager.
user_pref("mail.accountmanager.accounts", "account1");
user_pref("mail.accountmanager.defaultaccount", "account1");
user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.server.server1.type", "pop3");
user_pref("mail.server.server1.name", "max@example.org");
user_pref("mail.server.server1.hostname", "pop.example.org");
user_pref("mail.server.server1.port", 995);
user_pref("mail.server.server1.socketType", 3);
user_pref("mail.server.server1.authMethod", 3);
user_pref("mail.server.server1.userName", "max");
user_pref("mail.server.server1.login_at_startup", true);
user_pref("mail.server.server1.leave_on_server", true);
user_pref("mail.server.server1.delete_by_age_from_server", true);
user_pref("mail.server.server1.num_days_to_leave_on_server", 14);
user_pref("mail.identity.id1.useremail", "max@example.org");
user_pref("mail.identity.id1.fullName", "Max Mustermann");
user_pref("mail.identity.id1.smtpServer", "smtp1");
user_pref("mail.identity.id1.valid", true);
user_pref("mail.smtpservers", "smtp1");
user_pref("mail.smtp.defaultserver", "smtp1");
user_pref("mail.smtpserver.smtp1.hostname", "smtp.example.org");
user_pref("mail.smtpserver.smtp1.port", 587);
user_pref("mail.smtpserver.smtp1.try_ssl", 2);
user_pref("mail.smtpserver.smtp1.authMethod", 3);
user_pref("mail.smtpserver.smtp1.username", "max");
