#!/usr/bin/env bash
# Runs every Go fuzz target in the module for a short time each, so CI
# exercises the fuzzers and not only their seed corpora.
#
#   scripts/fuzz.sh [SECONDS]     (default 10 s per target)
#
# Targets are found by name (func FuzzX in a _test.go file), so a new fuzzer
# is picked up without editing this script. A crash fails the run; the
# failing input is left in the package's testdata/fuzz/FuzzX/ as Go writes it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

secs=${1:-10}
count=0
while IFS= read -r line; do
	file=${line%%:*}
	name=${line#*:}
	pkg=./$(dirname "$file")
	echo "---- $pkg $name (${secs}s)"
	go test -run='^$' -fuzz="^${name}\$" -fuzztime="${secs}s" "$pkg"
	count=$((count + 1))
done < <(grep -rHoE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+' . |
	sed -E 's#^\./##; s#:func #:#' | sort)

if ((count == 0)); then
	echo "fuzz.sh: no fuzz targets found" >&2
	exit 1
fi
echo "fuzz.sh: $count fuzz targets ran for ${secs}s each"
