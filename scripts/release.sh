#!/usr/bin/env bash
# Builds a mailsetup release: every artifact a helpdesk installs, reproducibly.
#
#   scripts/release.sh VERSION [DIR]           (DIR defaults to dist/VERSION)
#   scripts/release.sh --check VERSION [DIR]   (the same, then checks that
#                                               it is reproducible)
#
# VERSION is semantic (1.2.3, 1.2.3-rc.1, 0.0.0-ci), with or without a
# leading v; the binaries report it as v1.2.3, as `go install ...@v1.2.3`
# does. DIR must be empty or not exist. It receives:
#
#   mailsetup_VERSION_{linux,darwin}_{amd64,arm64}.tar.gz
#   mailsetup_VERSION_windows_{amd64,arm64}.zip
#       one folder mailsetup_VERSION_OS_ARCH holding the binary, README.md
#       and the licence file, if the repository has one
#   mailsetup_VERSION_linux_{amd64,arm64}.deb   /usr/bin/mailsetup and the
#   mailsetup_VERSION_linux_{amd64,arm64}.rpm   README in /usr/share/doc
#   SHA256SUMS                                  over all of the above
#
# The binaries are built with CGO_ENABLED=0, -trimpath and -buildvcs=false,
# with the version, the commit and the commit's date stamped in with
# -ldflags -X (see cmd/version.go). Every timestamp (in the binaries, the
# archives and the packages) is the commit's time, `git log -1 --format=%ct`,
# or SOURCE_DATE_EPOCH when that is set; never the clock. So the same commit
# built with the same Go version gives the same bytes, wherever the checkout
# lies. --check proves it: it clones the commit into another folder, builds
# it there again and compares the two SHA256SUMS files (with
# RELEASE_CHECK_FRESH_CACHE=1 from an empty Go build cache).
#
# The tree must be clean (no uncommitted or untracked files), since the
# binaries name the commit; RELEASE_ALLOW_DIRTY=1 builds anyway, for trying
# the script out. RELEASE_MAINTAINER sets the packages' Maintainer field.
#
# Tools, and why:
# - Archives: GNU tar with --sort=name, a fixed --mtime and numeric root
#   ownership, through `gzip -n` (no name or time in the gzip header); Info-ZIP
#   `zip` (Debian's zip package) with -X (no extra attributes: no uid/gid or
#   Unix times), -D (no folder entries), files given in sorted order with the
#   fixed mtime and TZ=UTC (zip stores local time). Both are the standard
#   tools on the Debian machines that build releases; no code of ours.
# - Packages: nfpm (github.com/goreleaser/nfpm), a maintained pure-Go
#   packager that writes .deb and .rpm without dpkg-deb or rpmbuild and
#   honours SOURCE_DATE_EPOCH. It is installed at a pinned version into a
#   throwaway GOBIN, so go.mod stays free of it (NFPM=/path/to/nfpm uses a
#   binary you have). goreleaser would wrap the same steps, but needs a
#   config of its own, a tag and a much larger tool; the steps are few.
set -euo pipefail

NFPM_MODULE=github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0
PKG=github.com/mailsetup/mailsetup/cmd
TARGETS=(darwin/amd64 darwin/arm64 linux/amd64 linux/arm64 windows/amd64 windows/arm64)

die() {
	printf 'release.sh: %s\n' "$*" >&2
	exit 1
}
usage() {
	echo "usage: scripts/release.sh [--check] VERSION [DIR]" >&2
	exit 2
}

check=false
if [[ ${1:-} == --check ]]; then
	check=true
	shift
fi
(($# >= 1 && $# <= 2)) || usage
version=${1#v}
[[ $version =~ ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$ ]] ||
	die "VERSION must be semantic, like 1.2.3 or 1.2.3-rc.1, not ${1@Q}"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${2:-$root/dist/$version}
mkdir -p "$out"
out=$(cd "$out" && pwd)
[[ -z $(ls -A "$out") ]] || die "$out is not empty"
cd "$root"

# The commit, its time, and a clean tree.
commit=$(git rev-parse HEAD) || die "not a git checkout"
if [[ -n $(git status --porcelain) ]]; then
	[[ ${RELEASE_ALLOW_DIRTY:-} == 1 ]] ||
		die "the tree has uncommitted or untracked files (git status); commit them, or set RELEASE_ALLOW_DIRTY=1 to try the script out"
	echo "release.sh: warning: building a dirty tree; the binaries name commit $commit all the same" >&2
fi
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
[[ $epoch =~ ^[0-9]+$ ]] || die "SOURCE_DATE_EPOCH must be seconds since 1970, not ${epoch@Q}"
export SOURCE_DATE_EPOCH=$epoch
date=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)

licence=
for f in LICENSE LICENSE.md LICENSE.txt COPYING; do
	if [[ -f $f ]]; then
		licence=$f
		break
	fi
done
[[ -n $licence ]] || echo "release.sh: warning: the repository has no LICENSE file; the archives hold only the binary and README.md" >&2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The environment of every build: only what is set here varies the bytes.
export CGO_ENABLED=0 GOFLAGS=-mod=readonly GOAMD64=v1 GOARM64=v8.0 GOEXPERIMENT= TZ=UTC LC_ALL=C
umask 022

if [[ -n ${NFPM:-} ]]; then
	nfpm=$NFPM
else
	GOBIN=$work/bin go install "$NFPM_MODULE"
	nfpm=$work/bin/nfpm
fi

echo "release.sh: mailsetup v$version, commit $commit, date $date, $(go version)"
ldflags="-s -w -X $PKG.version=v$version -X $PKG.commit=$commit -X $PKG.date=$date"
for target in "${TARGETS[@]}"; do
	goos=${target%/*} goarch=${target#*/}
	name=mailsetup_${version}_${goos}_${goarch}
	exe=mailsetup
	[[ $goos == windows ]] && exe=mailsetup.exe
	stage=$work/$name
	mkdir -p "$stage"
	echo "---- $goos/$goarch"
	GOOS=$goos GOARCH=$goarch go build -trimpath -buildvcs=false -ldflags "$ldflags" \
		-o "$stage/$exe" ./cmd/mailsetup
	install -m 0644 README.md "$stage/README.md"
	files=("$name/$exe" "$name/README.md")
	if [[ -n $licence ]]; then
		install -m 0644 "$licence" "$stage/$licence"
		files+=("$name/$licence")
	fi
	chmod 0755 "$stage" "$stage/$exe"
	touch -h -d "@$epoch" "$stage" "$stage"/*
	mapfile -t files < <(printf '%s\n' "${files[@]}" | sort)

	if [[ $goos == windows ]]; then
		(cd "$work" && zip -q -X -D -9 "$out/$name.zip" "${files[@]}")
	else
		tar -C "$work" --format=gnu --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
			-cf - "$name" | gzip -n -9 >"$out/$name.tar.gz"
	fi

	if [[ $goos == linux ]]; then
		for packager in deb rpm; do
			NFPM_ARCH=$goarch NFPM_VERSION=$version RELEASE_BIN=$stage/$exe RELEASE_README=$stage/README.md \
				RELEASE_MAINTAINER=${RELEASE_MAINTAINER:-mailsetup maintainers} \
				"$nfpm" package --config scripts/nfpm.yaml --packager "$packager" \
				--target "$out/$name.$packager" >/dev/null
		done
	fi
done

(cd "$out" && find . -maxdepth 1 -type f -name 'mailsetup_*' -printf '%f\n' | sort | xargs sha256sum --) >"$out/SHA256SUMS"
echo "release.sh: wrote $out:"
(cd "$out" && ls -l --time-style=+ -- *)

if $check; then
	# Build the same commit again from a clone elsewhere, with the same
	# inputs, and compare: any byte that depends on the folder, the clock or
	# the order of the run shows up as a different checksum.
	echo "release.sh: --check: building commit $commit again from another folder"
	git clone -q --no-checkout "$root" "$work/again"
	git -C "$work/again" checkout -q --detach "$commit"
	if [[ ${RELEASE_ALLOW_DIRTY:-} == 1 ]]; then
		# Carry the uncommitted changes over, so the two trees match.
		git diff HEAD --binary | git -C "$work/again" apply --allow-empty
		git ls-files --others --exclude-standard -z | xargs -0 -r cp --parents -t "$work/again"
	fi
	# The Go build cache is shared unless RELEASE_CHECK_FRESH_CACHE=1, which
	# also recompiles every package (minutes more) to catch a compiler output
	# that varies; the link and the archives are redone either way.
	cache=$(go env GOCACHE)
	if [[ ${RELEASE_CHECK_FRESH_CACHE:-} == 1 ]]; then
		cache=$work/gocache
	fi
	GOCACHE=$cache NFPM=$nfpm SOURCE_DATE_EPOCH=$epoch RELEASE_ALLOW_DIRTY=${RELEASE_ALLOW_DIRTY:-} \
		"$work/again/scripts/release.sh" "$version" "$work/again-out" >/dev/null
	if ! diff -u "$out/SHA256SUMS" "$work/again-out/SHA256SUMS"; then
		die "--check: not reproducible: a second build of commit $commit differs (diff above)"
	fi
	echo "release.sh: --check: a second build from $work/again gave the same bytes"
fi
