#!/usr/bin/env bash
# Runs every Go fuzz target in the module for a short time each, so CI
# exercises the fuzzers and not only their seed corpora.
#
#   scripts/fuzz.sh [SECONDS]     (default 10 s per target)
#
# Targets are found by name (func FuzzX in a _test.go file), so a new fuzzer
# is picked up without editing this script. A crash fails the run; the
# failing input is left in the package's testdata/fuzz/FuzzX/ as Go writes it.
#
# Go 1.26's fuzzing coordinator can end a duration-limited run with a bare
# "context deadline exceeded" and no failing input when a worker is busy as
# the time runs out (go.dev/issue/75804, fixed in Go 1.27). Such a run wrote
# no input to testdata/fuzz/FuzzX/, so it is reported as a warning, not a
# failure; any run that wrote an input, or failed otherwise, fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

secs=${1:-10}
# files DIR: how many files DIR holds (0 when it does not exist).
files() { if [[ -d $1 ]]; then find "$1" -type f | wc -l; else echo 0; fi; }
count=0
flaked=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
while IFS= read -r line; do
	file=${line%%:*}
	name=${line#*:}
	dir=$(dirname "$file")
	corpus=$dir/testdata/fuzz/$name
	before=$(files "$corpus")
	echo "---- ./$dir $name (${secs}s)"
	if go test -run='^$' -fuzz="^${name}\$" -fuzztime="${secs}s" "./$dir" >"$log" 2>&1; then
		grep -v '^fuzz: elapsed' "$log" || true
	else
		cat "$log"
		after=$(files "$corpus")
		if ((after == before)) && grep -q '^    context deadline exceeded$' "$log" &&
			! grep -q 'Failing input written\|panic:' "$log"; then
			echo "fuzz.sh: warning: $name stopped with Go's fuzztime race (go.dev/issue/75804), no failing input"
			flaked=$((flaked + 1))
		else
			echo "fuzz.sh: $name failed" >&2
			exit 1
		fi
	fi
	count=$((count + 1))
done < <(grep -rHoE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+' . |
	sed -E 's#^\./##; s#:func #:#' | sort)

if ((count == 0)); then
	echo "fuzz.sh: no fuzz targets found" >&2
	exit 1
fi
echo "fuzz.sh: $count fuzz targets ran for ${secs}s each ($flaked stopped by the fuzztime race)"
