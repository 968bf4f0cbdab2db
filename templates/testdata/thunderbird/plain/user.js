// Thunderbird account lab@lab.example, written by mailsetup.
// For a new profile: delete this file after the first start (see the instructions).
// No password is stored here: Thunderbird asks for it and keeps it in its password manager.
user_pref("mail.accountmanager.accounts", "account1");
user_pref("mail.accountmanager.defaultaccount", "account1");
user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.server.server1.type", "pop3");
user_pref("mail.server.server1.name", "lab@lab.example");
user_pref("mail.server.server1.hostname", "mail.lab.example");
user_pref("mail.server.server1.port", 110);
user_pref("mail.server.server1.socketType", 0);
user_pref("mail.server.server1.authMethod", 3);
user_pref("mail.server.server1.userName", "lab");
user_pref("mail.server.server1.login_at_startup", true);
user_pref("mail.server.server1.leave_on_server", false);
user_pref("mail.server.server1.delete_by_age_from_server", false);
user_pref("mail.identity.id1.useremail", "lab@lab.example");
user_pref("mail.identity.id1.fullName", "Lab User");
user_pref("mail.identity.id1.smtpServer", "smtp1");
user_pref("mail.identity.id1.valid", true);
user_pref("mail.smtpservers", "smtp1");
user_pref("mail.smtp.defaultserver", "smtp1");
user_pref("mail.smtpserver.smtp1.hostname", "mail.lab.example");
user_pref("mail.smtpserver.smtp1.port", 587);
user_pref("mail.smtpserver.smtp1.try_ssl", 0);
user_pref("mail.smtpserver.smtp1.authMethod", 3);
user_pref("mail.smtpserver.smtp1.username", "lab");
