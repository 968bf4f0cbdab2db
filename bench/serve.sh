#!/usr/bin/env bash
# bench/serve.sh [--smoke]: how fast `mailsetup serve` answers and how
# much memory it keeps for idle clients, over loopback on this machine.
#
# It builds mailsetup and bench/idleconns, makes a throwaway certificate
# (openssl) and a one-domain configuration, starts
# `mailsetup serve --tls-cert ... --listen 127.0.0.1:PORT` with the rate
# limit off, and then:
#   1. autoconfig: wrk sends GET /mail/config-v1.1.xml?emailaddress=...
#      (Host autoconfig.example.com) over keep-alive HTTPS connections;
#   2. Autodiscover: wrk POSTs Outlook's POX request to
#      /autodiscover/autodiscover.xml the same way;
#   3. idle connections: bench/idleconns opens IDLE HTTPS connections,
#      one GET /healthz on each, holds them and reads serve's RSS from
#      /proc.
# Every figure is printed with the machine and the commands. It fails if
# wrk saw an error or a non-2xx answer, or a connection was not held.
#
# wrk is Debian's package (installed here when missing and run as root).
# serve, wrk and the idle client share the machine's cores: on a 2-core
# machine the figures are serve's throughput with the load generator
# taking part of the CPU, as a README reader's own test would be.
#
# --smoke: a short run (1 s each, 200 idle connections) that CI runs to
# keep the script and the tools working; its figures mean nothing.
#
# Environment: BENCH_DURATION (default 10s), BENCH_CONNS (64),
# BENCH_THREADS (2), BENCH_IDLE (10000), BENCH_PORT (18443).
set -euo pipefail

export PATH=/usr/local/go/bin:$PATH
cd "$(dirname "${BASH_SOURCE[0]}")/.."

duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNS:-64}
threads=${BENCH_THREADS:-2}
idle=${BENCH_IDLE:-10000}
port=${BENCH_PORT:-18443}
hold=5s
if [[ ${1:-} == --smoke ]]; then
	duration=1s conns=8 idle=200 hold=1s
elif [[ $# -gt 0 ]]; then
	echo "usage: bench/serve.sh [--smoke]" >&2
	exit 2
fi

if ! command -v wrk >/dev/null; then
	if [[ $(id -u) != 0 ]]; then
		echo "bench/serve.sh: wrk is missing: apt-get install wrk" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
command -v openssl >/dev/null || { echo "bench/serve.sh: openssl is missing" >&2; exit 1; }

work=$(mktemp -d)
serve_pid=
cleanup() {
	if [[ -n $serve_pid ]] && kill -0 "$serve_pid" 2>/dev/null; then
		kill -TERM "$serve_pid"
		wait "$serve_pid" || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# 10,000 connections need as many descriptors in serve and in the client.
hard=$(ulimit -Hn)
[[ $hard == unlimited ]] && hard=65536
ulimit -n "$hard"
if (($(ulimit -n) < idle + 1000)); then
	echo "bench/serve.sh: ulimit -n is $(ulimit -n), too few for $idle connections" >&2
	exit 1
fi

go build -o "$work/mailsetup" ./cmd/mailsetup
go build -o "$work/idleconns" ./bench/idleconns

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj /CN=autoconfig.example.com \
	-addext subjectAltName=DNS:autoconfig.example.com,DNS:autodiscover.example.com \
	-keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

cat >"$work/serve.yaml" <<'EOF'
providers:
  - domains: [example.com]
    display_name: Example Mail
    username: address
    incoming:
      - {protocol: imap, host: imap.example.com, port: 993, security: tls}
      - {protocol: pop3, host: pop.example.com, port: 995, security: tls}
    outgoing:
      - {host: smtp.example.com, port: 465, security: tls}
      - {host: smtp.example.com, port: 587, security: starttls}
EOF

cat >"$work/autodiscover.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/xml"
wrk.headers["Host"] = "autodiscover.example.com"
wrk.body = [[<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request>
    <EMailAddress>jane@example.com</EMailAddress>
    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
  </Request>
</Autodiscover>]]
EOF

serve_cmd=("$work/mailsetup" serve --config "$work/serve.yaml" --listen "127.0.0.1:$port"
	--tls-cert "$work/cert.pem" --tls-key "$work/key.pem" --rate 0)

# start_serve starts a fresh serve and waits until /healthz answers
# (idleconns with one connection).
start_serve() {
	"${serve_cmd[@]}" >"$work/serve.log" 2>&1 &
	serve_pid=$!
	for i in $(seq 100); do
		if "$work/idleconns" -addr "127.0.0.1:$port" -tls -n 1 -hold 0s -sources 0 >/dev/null 2>&1; then
			return
		fi
		if ! kill -0 "$serve_pid" 2>/dev/null || ((i == 100)); then
			echo "bench/serve.sh: serve did not start:" >&2
			cat "$work/serve.log" >&2
			exit 1
		fi
		sleep 0.1
	done
}

stop_serve() {
	kill -TERM "$serve_pid"
	wait "$serve_pid" || { echo "bench/serve.sh: serve exited with an error:" >&2; tail "$work/serve.log" >&2; exit 1; }
	serve_pid=
}

printf '==== machine\n'
printf '%s, %s logical CPUs, %s GiB memory; %s; %s; %s\n' \
	"$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)" "$(nproc)" \
	"$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)" \
	"$(uname -sr)" "$(go version | cut -d' ' -f3)" "$(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
printf 'serve: %s\n' "${serve_cmd[*]//$work\//}"
start_serve

# runwrk NAME ARGS...: runs wrk, prints its report and fails on errors.
runwrk() {
	local name=$1
	shift
	local shown="$*"
	printf '\n==== %s: wrk -t%s -c%s -d%s %s\n' "$name" "$threads" "$conns" "$duration" "${shown//$work\//}"
	local out
	out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency "$@")
	echo "$out"
	if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
		echo "bench/serve.sh: $name: wrk saw errors or non-2xx answers" >&2
		exit 1
	fi
	grep -q 'Requests/sec' <<<"$out" || { echo "bench/serve.sh: $name: no Requests/sec from wrk" >&2; exit 1; }
	printf '%s: %s requests/s\n' "$name" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" >>"$work/summary"
}

runwrk autoconfig -H "Host: autoconfig.example.com" \
	"https://127.0.0.1:$port/mail/config-v1.1.xml?emailaddress=jane%40example.com"
runwrk Autodiscover -s "$work/autodiscover.lua" "https://127.0.0.1:$port/autodiscover/autodiscover.xml"

# The idle connections go to a fresh serve, so that its memory before
# them is a server's at rest, not after the load above.
stop_serve
start_serve
printf '\n==== idle connections: idleconns -tls -n %s -hold %s -pid SERVE\n' "$idle" "$hold"
"$work/idleconns" -addr "127.0.0.1:$port" -tls -n "$idle" -hold "$hold" -pid "$serve_pid" | tee "$work/idle"
grep 'idle connections:' "$work/idle" | sed 's/^server //' >>"$work/summary"

printf '\n==== summary\n'
cat "$work/summary"
