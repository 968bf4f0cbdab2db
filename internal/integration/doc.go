// Package integration holds tests that talk to real mail servers: Dovecot
// (IMAP, POP3) and Postfix (SMTP submission), started on a loopback address
// by scripts/realservers.sh with a freshly generated CA.
//
// The package has no non-test code. Its tests read the rig from the
// environment that the script prints:
//
//	MAILSETUP_IT_HOST      TLS server name in the rig's certificate
//	MAILSETUP_IT_ADDR      IP address the daemons listen on (dialled)
//	MAILSETUP_IT_USER      test account
//	MAILSETUP_IT_PASSWORD  its password
//	MAILSETUP_IT_CA        path to the rig's CA certificate (PEM)
//
// When none of these is set the tests skip, so `go test ./...` stays
// hermetic. When some are set but not all, or the CA cannot be read, they
// fail. Setting MAILSETUP_IT_REQUIRED=1 (as .ci/run does) turns the skip
// into a failure too, so CI cannot pass without having run them.
//
// To run them (as root, on Debian 12; the first `up` installs dovecot-imapd,
// dovecot-pop3d and postfix from Debian's packages):
//
//	eval "$(scripts/realservers.sh up)"
//	go test -race -count=1 -v ./internal/integration/...
//	scripts/realservers.sh down
//
// The rig serves IMAP on 143 (STARTTLS) and 993 (implicit TLS), POP3 on 110
// (STLS) and 995, and submission on 587 (STARTTLS) and 465, and refuses
// plaintext authentication before TLS. The tests log in to each endpoint,
// check that a wrong password is refused and that TLS verifies against the
// rig's CA only, and check what IMAP, POP3 and SMTP advertise before TLS.
// They also run mailsetup probe against the rig, and a headless Thunderbird
// on the user.js mailsetup exports (TestThunderbirdImportsUserJS needs no
// rig; TestThunderbirdLogsInToRig fetches a probe message over IMAP and
// POP3 and authenticates to SMTP). TestThunderbirdLooksUpServe (no rig)
// has Thunderbird run its own autoconfig lookup against `mailsetup serve`.
// No test sends mail; the Thunderbird rig test appends one probe message
// to the test user's INBOX and deletes it at the end.
package integration
