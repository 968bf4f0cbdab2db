#!/usr/bin/env bash
# realservers.sh - run a real Dovecot (IMAP, POP3) and Postfix (submission)
# on a loopback address, for the integration tests in internal/integration.
#
#   scripts/realservers.sh up     install (if needed), configure and start the
#                                 rig, wait for all six ports, print the env
#   scripts/realservers.sh env    print the env of a running rig
#   scripts/realservers.sh down   stop exactly the daemons the rig started
#
# Typical use:   eval "$(scripts/realservers.sh up)"
#
# Only `export VAR=...` lines go to stdout; all progress goes to stderr.
#
# Everything lives under the state directory ${MAILSETUP_RIG_DIR:-/tmp/mailsetup-rig}:
# a fresh CA and server certificate, the Dovecot and Postfix configuration,
# their runtime directories, queues and logs. /etc is not touched apart from
# what installing the Debian packages does. Needs root (the daemons drop
# privileges to their own users) and Debian's dovecot-imapd, dovecot-pop3d
# and postfix packages, which `up` installs when missing.
#
# Ports on MAILSETUP_RIG_ADDR (default 127.0.0.2, or 127.0.0.1 where that
# cannot be bound):
#   IMAP 143 (STARTTLS) and 993 (implicit TLS)
#   POP3 110 (STLS) and 995 (implicit TLS)
#   SMTP submission 587 (STARTTLS) and 465 (implicit TLS)
# Plaintext authentication before TLS is refused by both daemons, TLS >= 1.2.

set -euo pipefail

RIG_DIR=${MAILSETUP_RIG_DIR:-/tmp/mailsetup-rig}
RIG_HOST=${MAILSETUP_RIG_HOST:-mail.mailsetup.test}
RIG_DOMAIN=${RIG_HOST#*.}
RIG_USER=${MAILSETUP_RIG_USER:-tester@${RIG_DOMAIN}}
PORTS=(143 993 110 995 587 465)
PACKAGES=(dovecot-core dovecot-imapd dovecot-pop3d postfix openssl)
WAIT_SECONDS=${MAILSETUP_RIG_WAIT:-30}

TLS_DIR=$RIG_DIR/tls
DOVECOT_DIR=$RIG_DIR/dovecot
DOVECOT_CONF=$DOVECOT_DIR/dovecot.conf
DOVECOT_BASE=$DOVECOT_DIR/run
POSTFIX_DIR=$RIG_DIR/postfix/conf
POSTFIX_QUEUE=$RIG_DIR/postfix/spool
POSTFIX_DATA=$RIG_DIR/postfix/data
POSTFIX_LOG=$RIG_DIR/postfix/maillog
ENV_FILE=$RIG_DIR/env
ADDR_FILE=$RIG_DIR/addr
PASSWORD_FILE=$RIG_DIR/password
AUTH_SOCKET=$DOVECOT_BASE/postfix-auth

log() { printf 'realservers: %s\n' "$*" >&2; }
# Set once `up` starts daemons: a failure after that stops them again, so
# that a failed `up` leaves nothing running (the logs stay in the state dir).
STARTING=""

die() {
	log "ERROR: $*"
	if [[ -n $STARTING ]]; then
		STARTING=""
		log "stopping what this attempt started; logs are kept in $RIG_DIR"
		stop_postfix || true
		stop_dovecot || true
	fi
	exit 1
}

usage() {
	cat >&2 <<'EOF'
usage: scripts/realservers.sh up|down|env

  up    install, configure and start Dovecot and Postfix on a loopback
        address; prints `export VAR=...` lines for eval
  env   reprint the exports of a running rig
  down  stop the rig's daemons

Environment: MAILSETUP_RIG_DIR (state dir, default /tmp/mailsetup-rig),
MAILSETUP_RIG_ADDR (listen address, default 127.0.0.2 if bindable, else
127.0.0.1), MAILSETUP_RIG_HOST (TLS name, default mail.mailsetup.test),
MAILSETUP_RIG_USER, MAILSETUP_RIG_WAIT (seconds to wait for ports, default 30).
EOF
}

need_root() {
	[[ $(id -u) -eq 0 ]] || die "must run as root (installs packages, starts daemons that drop privileges)"
}

# ---------------------------------------------------------------- install

packages_missing() {
	local p status
	for p in "${PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		if [[ $status != "install ok installed" ]]; then
			return 0
		fi
	done
	return 1
}

install_packages() {
	if ! packages_missing; then
		return
	fi
	command -v apt-get >/dev/null || die "apt-get not found: this script needs Debian (bookworm)"
	log "installing ${PACKAGES[*]} (apt-get update first)"

	# Keep the packages' maintainer scripts from starting the system-wide
	# daemons (they would grab ports 25/143/993/... on every address). A
	# policy-rc.d that exits 101 is Debian's standard way to say "don't".
	local own_policy=""
	if [[ ! -e /usr/sbin/policy-rc.d ]]; then
		own_policy=/usr/sbin/policy-rc.d
		printf '#!/bin/sh\n# temporary, from mailsetup scripts/realservers.sh\nexit 101\n' >"$own_policy"
		chmod 0755 "$own_policy"
		# shellcheck disable=SC2064 # expand now: remove exactly this file
		trap "rm -f '$own_policy'" EXIT
	fi

	# No main.cf in /etc/postfix, no questions asked.
	debconf-set-selections <<EOF
postfix postfix/main_mailer_type select No configuration
postfix postfix/mailname string ${RIG_HOST}
EOF
	export DEBIAN_FRONTEND=noninteractive
	local rc=0
	{
		apt-get update -q &&
			apt-get install -y -q --no-install-recommends \
				-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
				"${PACKAGES[@]}"
	} >&2 || rc=$?
	if [[ -n $own_policy ]]; then
		rm -f "$own_policy"
		trap - EXIT
	fi
	[[ $rc -eq 0 ]] || die "apt-get failed (exit $rc)"
	packages_missing && die "packages still missing after apt-get install: ${PACKAGES[*]}"
	return 0
}

# ---------------------------------------------------------------- address

can_bind() {
	perl -MIO::Socket::INET -e \
		'IO::Socket::INET->new(LocalAddr => $ARGV[0], Proto => "tcp", Listen => 1) or exit 1' \
		"$1" 2>/dev/null
}

choose_addr() {
	if [[ -n ${MAILSETUP_RIG_ADDR:-} ]]; then
		ADDR=$MAILSETUP_RIG_ADDR
	elif [[ -s $ADDR_FILE ]]; then
		ADDR=$(<"$ADDR_FILE")
	elif can_bind 127.0.0.2; then
		ADDR=127.0.0.2
	else
		# Dovecot treats a client whose address equals the server's as
		# secure and allows plaintext login; tests that look for
		# LOGINDISABLED then fail. Say so loudly.
		log "WARNING: cannot bind 127.0.0.2, falling back to 127.0.0.1 (Dovecot will not advertise LOGINDISABLED to clients on 127.0.0.1)"
		ADDR=127.0.0.1
	fi
	[[ $ADDR =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "MAILSETUP_RIG_ADDR must be an IPv4 address, got '$ADDR'"
}

# ---------------------------------------------------------------- TLS

make_certs() {
	if [[ -s $TLS_DIR/ca.pem && -s $TLS_DIR/server.pem && -s $TLS_DIR/server.key && -s $TLS_DIR/addr ]] &&
		[[ $(<"$TLS_DIR/addr") == "$ADDR $RIG_HOST" ]] &&
		openssl verify -CAfile "$TLS_DIR/ca.pem" "$TLS_DIR/server.pem" >/dev/null 2>&1 &&
		openssl x509 -checkend 86400 -noout -in "$TLS_DIR/server.pem" >/dev/null 2>&1; then
		return
	fi
	log "generating CA and server certificate for $RIG_HOST / $ADDR"
	rm -rf "$TLS_DIR"
	mkdir -p "$TLS_DIR"
	(
		cd "$TLS_DIR"
		umask 077
		openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout ca.key -out ca.pem -days 30 -sha256 \
			-subj "/O=mailsetup test rig/CN=mailsetup test rig CA $(date -u +%Y%m%dT%H%M%SZ)" \
			-addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=critical,keyCertSign,cRLSign"
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout server.key -out server.csr -subj "/O=mailsetup test rig/CN=$RIG_HOST"
		cat >server.ext <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:$RIG_HOST,IP:$ADDR
EOF
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
			-out server.pem -days 30 -sha256 -extfile server.ext
		rm -f server.csr server.ext ca.srl
	) >&2 2>&1 || die "openssl failed"
	chmod 0644 "$TLS_DIR/ca.pem" "$TLS_DIR/server.pem"
	chmod 0600 "$TLS_DIR/ca.key" "$TLS_DIR/server.key"
	chmod 0755 "$TLS_DIR"
	printf '%s %s\n' "$ADDR" "$RIG_HOST" >"$TLS_DIR/addr"
}

# ---------------------------------------------------------------- Dovecot

write_dovecot_conf() {
	mkdir -p "$DOVECOT_DIR" "$DOVECOT_DIR/state" "$RIG_DIR/mail"
	chown nobody:nogroup "$RIG_DIR/mail"
	if [[ ! -s $PASSWORD_FILE ]]; then
		(umask 077 && openssl rand -hex 12 >"$PASSWORD_FILE")
	fi
	local password hash
	password=$(<"$PASSWORD_FILE")
	hash=$(openssl passwd -6 -stdin <<<"$password")
	(umask 027 && printf '%s:{SHA512-CRYPT}%s\n' "$RIG_USER" "$hash" >"$DOVECOT_DIR/passwd")
	chgrp dovecot "$DOVECOT_DIR/passwd"

	cat >"$DOVECOT_CONF" <<EOF
# Generated by scripts/realservers.sh; do not edit, it is rewritten by "up".
base_dir = $DOVECOT_BASE
state_dir = $DOVECOT_DIR/state
instance_name = mailsetup-rig
log_path = $DOVECOT_DIR/dovecot.log
protocols = imap pop3
listen = $ADDR
shutdown_clients = yes

ssl = yes
ssl_cert = <$TLS_DIR/server.pem
ssl_key = <$TLS_DIR/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_verbose = yes

passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT $DOVECOT_DIR/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$RIG_DIR/mail/%u
}
mail_location = maildir:~/Maildir

service imap-login {
  inet_listener imap {
    port = 143
  }
  inet_listener imaps {
    port = 993
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 110
  }
  inet_listener pop3s {
    port = 995
    ssl = yes
  }
}
service auth {
  unix_listener ${AUTH_SOCKET##*/} {
    mode = 0660
    user = postfix
    group = postfix
  }
}
EOF
	doveconf -c "$DOVECOT_CONF" -n >/dev/null || die "doveconf rejected $DOVECOT_CONF"
}

dovecot_pid() {
	local pid
	[[ -s $DOVECOT_BASE/master.pid ]] || return 1
	pid=$(<"$DOVECOT_BASE/master.pid")
	[[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
		[[ $(readlink "/proc/$pid/exe" 2>/dev/null) == */dovecot ]] || return 1
	printf '%s\n' "$pid"
}

start_dovecot() {
	log "starting dovecot on $ADDR (config $DOVECOT_CONF)"
	# The daemons must not hold on to our stdout/stderr: `eval "$(... up)"`
	# would wait for them forever.
	dovecot -c "$DOVECOT_CONF" </dev/null >"$DOVECOT_DIR/start.log" 2>&1 || {
		dump_logs
		die "dovecot failed to start"
	}
}

stop_dovecot() {
	local pid
	pid=$(dovecot_pid) || return 0
	log "stopping dovecot (pid $pid)"
	dovecot -c "$DOVECOT_CONF" stop >&2 2>&1 || kill -TERM "$pid" 2>/dev/null || true
	wait_gone "$pid" dovecot
}

# ---------------------------------------------------------------- Postfix

write_postfix_conf() {
	# The queue must not live inside the config dir: postfix-script wants
	# everything under the config dir owned by root.
	mkdir -p "$POSTFIX_DIR" "$POSTFIX_QUEUE" "$POSTFIX_DATA"
	chown postfix:postfix "$POSTFIX_DATA"
	cat >"$POSTFIX_DIR/main.cf" <<EOF
# Generated by scripts/realservers.sh; do not edit, it is rewritten by "up".
compatibility_level = 3.6
queue_directory = $POSTFIX_QUEUE
data_directory = $POSTFIX_DATA
maillog_file_prefixes = $RIG_DIR
maillog_file = $POSTFIX_LOG
myhostname = $RIG_HOST
mydomain = $RIG_DOMAIN
myorigin = \$mydomain
mydestination =
# Postfix only accepts interface addresses here, and 127.0.0.2 is not one;
# the listeners below name their address explicitly.
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
biff = no
# Nothing ever leaves this machine.
relayhost =
default_transport = error:mailsetup test rig does not deliver mail
relay_transport = error:mailsetup test rig does not deliver mail
local_transport = error:mailsetup test rig does not deliver mail

smtpd_tls_cert_file = $TLS_DIR/server.pem
smtpd_tls_key_file = $TLS_DIR/server.key
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_loglevel = 1
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $AUTH_SOCKET
smtpd_sasl_authenticated_header = no
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
EOF
	cat >"$POSTFIX_DIR/master.cf" <<EOF
# Generated by scripts/realservers.sh; do not edit, it is rewritten by "up".
# service type  private unpriv  chroot  wakeup  maxproc command + args
$ADDR:587 inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
$ADDR:465 inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
	postfix -c "$POSTFIX_DIR" check >&2 2>&1 || {
		postfix_diag check
		die "postfix check rejected $POSTFIX_DIR"
	}
}

# Postfix writes errors to stderr only when it is a terminal (otherwise to
# syslog or postlogd, neither of which runs before Postfix does): rerun a
# failed command under script(1) so that its error reaches our stderr.
postfix_diag() {
	script -qec "postfix -c '$POSTFIX_DIR' $*" /dev/null >&2 2>&1 || true
}

postfix_pid() {
	local pid
	[[ -s $POSTFIX_QUEUE/pid/master.pid ]] || return 1
	pid=$(tr -d ' \n' <"$POSTFIX_QUEUE/pid/master.pid")
	[[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
		[[ $(readlink "/proc/$pid/exe" 2>/dev/null) == */master ]] || return 1
	printf '%s\n' "$pid"
}

start_postfix() {
	log "starting postfix on $ADDR (config $POSTFIX_DIR)"
	postfix -c "$POSTFIX_DIR" start </dev/null >"$RIG_DIR/postfix/start.log" 2>&1 || {
		postfix_diag check
		dump_logs
		die "postfix failed to start"
	}
}

stop_postfix() {
	local pid
	pid=$(postfix_pid) || return 0
	log "stopping postfix (pid $pid)"
	postfix -c "$POSTFIX_DIR" stop >&2 2>&1 || kill -TERM "$pid" 2>/dev/null || true
	wait_gone "$pid" postfix
}

# ---------------------------------------------------------------- helpers

wait_gone() {
	local pid=$1 name=$2 i
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	log "$name (pid $pid) still running after 10s, sending SIGKILL"
	kill -KILL "$pid" 2>/dev/null || true
}

port_open() {
	# shellcheck disable=SC2016 # expanded by the inner bash, from its args
	timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$ADDR" "$1" 2>/dev/null
}

wait_ports() {
	local deadline=$((SECONDS + WAIT_SECONDS)) port pending
	while :; do
		pending=()
		for port in "${PORTS[@]}"; do
			port_open "$port" || pending+=("$port")
		done
		if [[ ${#pending[@]} -eq 0 ]]; then
			return 0
		fi
		if ((SECONDS >= deadline)); then
			dump_logs
			die "ports not accepting on $ADDR after ${WAIT_SECONDS}s: ${pending[*]}"
		fi
		sleep 0.2
	done
}

dump_logs() {
	local f
	for f in "$DOVECOT_DIR/start.log" "$DOVECOT_DIR/dovecot.log" "$RIG_DIR/postfix/start.log" "$POSTFIX_LOG"; do
		[[ -s $f ]] || continue
		printf '==== %s (last 60 lines) ====\n' "$f" >&2
		tail -n 60 "$f" >&2
	done
}

write_env() {
	local password
	password=$(<"$PASSWORD_FILE")
	{
		printf 'export MAILSETUP_IT_HOST=%q\n' "$RIG_HOST"
		printf 'export MAILSETUP_IT_ADDR=%q\n' "$ADDR"
		printf 'export MAILSETUP_IT_USER=%q\n' "$RIG_USER"
		printf 'export MAILSETUP_IT_PASSWORD=%q\n' "$password"
		printf 'export MAILSETUP_IT_CA=%q\n' "$TLS_DIR/ca.pem"
	} >"$ENV_FILE.tmp"
	mv "$ENV_FILE.tmp" "$ENV_FILE"
}

running() {
	dovecot_pid >/dev/null && postfix_pid >/dev/null
}

all_ports_open() {
	local port
	for port in "${PORTS[@]}"; do
		port_open "$port" || return 1
	done
}

# ---------------------------------------------------------------- commands

cmd_up() {
	need_root
	install_packages
	mkdir -p "$RIG_DIR"
	chmod 0755 "$RIG_DIR"
	choose_addr

	if [[ -s $ENV_FILE && -s $ADDR_FILE ]] && [[ $(<"$ADDR_FILE") == "$ADDR" ]] &&
		running && all_ports_open; then
		log "rig already running on $ADDR (state $RIG_DIR); reusing it"
		cat "$ENV_FILE"
		return
	fi

	# Anything half-running from an earlier attempt goes first.
	stop_postfix
	stop_dovecot

	make_certs
	printf '%s\n' "$ADDR" >"$ADDR_FILE"
	write_dovecot_conf
	write_postfix_conf
	: >"$DOVECOT_DIR/dovecot.log"
	: >"$POSTFIX_LOG"
	rm -f "$DOVECOT_DIR/start.log" "$RIG_DIR/postfix/start.log"
	STARTING=1
	start_dovecot
	start_postfix
	wait_ports
	STARTING=""
	write_env
	log "rig up on $ADDR ($RIG_HOST): IMAP 143/993, POP3 110/995, submission 587/465; user $RIG_USER"
	cat "$ENV_FILE"
}

cmd_env() {
	[[ -s $ENV_FILE && -s $ADDR_FILE ]] || die "no rig state in $RIG_DIR: run 'scripts/realservers.sh up'"
	ADDR=$(<"$ADDR_FILE")
	running || die "rig in $RIG_DIR is not running: run 'scripts/realservers.sh up'"
	cat "$ENV_FILE"
}

cmd_down() {
	if [[ ! -d $RIG_DIR ]]; then
		log "no rig state in $RIG_DIR; nothing to stop"
		return
	fi
	if command -v postfix >/dev/null && [[ -s $POSTFIX_DIR/main.cf ]]; then
		stop_postfix
	fi
	if command -v dovecot >/dev/null && [[ -s $DOVECOT_CONF ]]; then
		stop_dovecot
	fi
	rm -f "$ENV_FILE"
	log "rig down (state kept in $RIG_DIR)"
}

main() {
	case ${1:-} in
	up) cmd_up ;;
	down) cmd_down ;;
	env) cmd_env ;;
	-h | --help | help)
		usage
		;;
	*)
		usage
		exit 2
		;;
	esac
}

main "$@"
