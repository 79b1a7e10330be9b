#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Stage trixie's tlshd (ktls-utils) and nvme-cli into the VM's initramfs,
# for the NVMe/TCP TLS tests (tests/vm/tests/2d-tcp-tls.sh).  Bookworm's
# nvme-cli 2.3 has no --tls, gen-tls-key or check-tls-key and bookworm has
# no ktls-utils at all; trixie has nvme-cli 2.13 (libnvme 1.13) and
# ktls-utils 1.0.0.  Called by scripts/deps.sh (fetch) and by
# mkinitramfs.sh (hash, STAGE).
#
#   tests/vm/stage-trixie.sh fetch   download the packages with their
#                                    dependency closure and unpack them
#                                    into the cache (network only when
#                                    not cached yet)
#   tests/vm/stage-trixie.sh hash    print what the staging depends on
#                                    (the package versions)
#   tests/vm/stage-trixie.sh STAGE   copy tlshd, nvme and the libraries
#                                    they load into STAGE/trixie, with
#                                    wrappers /usr/sbin/tlshd and
#                                    /usr/sbin/nvme-tls
#
# The host's apt state is never touched: trixie's lists, the downloaded
# debs and an empty dpkg status (so that apt resolves the whole closure,
# not what bookworm has installed) live under
# $NVMET_NG_CACHE/apt/trixie-guest, and the packages are only unpacked
# (dpkg -x) into $NVMET_NG_CACHE/guest-trixie/root, never installed.
# The archive is checked against the host's debian-archive-keyring, which
# carries trixie's keys.
#
# In the guest the binaries need trixie's glibc, so they keep to their own
# prefix: /trixie/bin holds the programs, /trixie/lib the libraries and
# trixie's dynamic loader, which the wrappers run them through with
# --library-path.  Bookworm's nvme stays the guest's "nvme" (every other
# test uses it); the new one is "nvme-tls".
set -euo pipefail
. "$(dirname "$0")/../../scripts/env.sh"

MODE=${1:?usage: stage-trixie.sh fetch|hash|STAGE}
# What the guest runs from trixie, and the programs staged from them.
PKGS="ktls-utils nvme-cli"
BINS="usr/sbin/tlshd usr/sbin/nvme"
SUITE=trixie
MIRROR=${NVMET_NG_MIRROR:-http://deb.debian.org/debian}
APT_DIR=$NVMET_NG_CACHE/apt/trixie-guest
ROOT=$NVMET_NG_CACHE/guest-trixie/root
DONE=$ROOT/.done	# the package=version list it was unpacked from

log() { echo "stage-trixie: $*" >&2; }

# apt-get with the private state: trixie main only, amd64 only, no
# translations, an empty dpkg status.
tapt() {
	apt-get -qq -o Dir::Etc::sourcelist="$APT_DIR/sources.list" \
		-o Dir::Etc::sourceparts=/dev/null \
		-o Dir::State="$APT_DIR/state" \
		-o Dir::State::Lists="$APT_DIR/lists" \
		-o Dir::State::status="$APT_DIR/status" \
		-o Dir::Cache="$APT_DIR/cache" \
		-o APT::Architecture=amd64 -o APT::Architectures::=amd64 \
		-o Acquire::Languages=none \
		-o APT::Sandbox::User=root "$@"
}

tapt_update() {
	mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/state" \
		 "$APT_DIR/cache/archives/partial"
	: > "$APT_DIR/status"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $SUITE main" \
		> "$APT_DIR/sources.list"
	log "apt-get update ($SUITE; private lists in $APT_DIR)"
	tapt update > /dev/null
}

# closure: PKGS and everything they depend on, as name=version lines,
# sorted (what a fresh system would install, without recommends)
closure() {
	# shellcheck disable=SC2086 # PKGS is a list
	tapt -s install --no-install-recommends $PKGS |
		sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*/\1=\2/p' | sort
}

fetch() {
	local start list tmp deb
	[ -f "$DONE" ] && return 0
	start=$(date +%s)
	tapt_update
	list=$(closure)
	[ -n "$list" ] || { log "apt resolved nothing for $PKGS"; exit 1; }
	tmp=$ROOT.tmp
	rm -rf "$tmp" "$APT_DIR/debs"
	mkdir -p "$tmp" "$APT_DIR/debs"
	log "downloading $(echo "$list" | grep -c .) packages for $PKGS"
	# shellcheck disable=SC2086 # one word per package
	(cd "$APT_DIR/debs" && tapt download $list) > /dev/null
	for deb in "$APT_DIR"/debs/*.deb; do
		dpkg -x "$deb" "$tmp"
	done
	rm -rf "$APT_DIR/debs"
	echo "$list" > "$tmp/.done"
	rm -rf "$ROOT"
	mv "$tmp" "$ROOT"
	log "$PKGS unpacked in $(( $(date +%s) - start ))s: $(grep -E "^(${PKGS// /|}|libnvme[^=]*)=" "$DONE" | paste -sd' ')"
}

if [ "$MODE" = fetch ]; then
	fetch
	exit 0
fi
[ -f "$DONE" ] ||
	{ log "no trixie packages in $ROOT (scripts/deps.sh fetches them)"; exit 1; }
if [ "$MODE" = hash ]; then
	cat "$DONE" "$0"
	exit 0
fi

STAGE=$MODE
[ -d "$STAGE" ] || { log "no staging tree $STAGE"; exit 1; }
# Trixie is merged-/usr: the loader and the libraries are in
# usr/lib/x86_64-linux-gnu (usr/lib64 has a link to the loader).
LIBDIRS=$ROOT/usr/lib/x86_64-linux-gnu:$ROOT/lib/x86_64-linux-gnu
LDSO=$ROOT/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
[ -x "$LDSO" ] || { log "no loader $LDSO"; exit 1; }
P=$STAGE/trixie
rm -rf "$P"
mkdir -p "$P/bin" "$P/lib"
cp -L "$LDSO" "$P/lib/"
for b in $BINS; do
	[ -x "$ROOT/$b" ] || { log "no $b in $ROOT"; exit 1; }
	install -m 755 "$ROOT/$b" "$P/bin/"
	# The loader lists what it would load, from the staged root only
	# (any library missing there is "not found": a failure here, not in
	# the guest).
	out=$("$LDSO" --library-path "$LIBDIRS" --list "$ROOT/$b") ||
		{ echo "$out" >&2; log "$b: cannot list its libraries"; exit 1; }
	if echo "$out" | grep -q 'not found'; then
		echo "$out" >&2
		log "$b: libraries missing from $ROOT"
		exit 1
	fi
	for lib in $(echo "$out" | sed -n 's/^.* => \(\/[^ ]*\) (0x.*$/\1/p'); do
		case $lib in "$ROOT"/*) ;; *)
			log "$b: $lib is not from $ROOT"; exit 1 ;;
		esac
		[ -e "$P/lib/${lib##*/}" ] || cp -L "$lib" "$P/lib/"
	done
done

# wrapper NAME PROGRAM: /usr/sbin/NAME runs /trixie/bin/PROGRAM
wrapper() {
	mkdir -p "$STAGE/usr/sbin"
	cat > "$STAGE/usr/sbin/$1" <<-EOF
	#!/bin/sh
	# trixie's $2, with trixie's libraries (tests/vm/stage-trixie.sh)
	exec /trixie/lib/ld-linux-x86-64.so.2 --library-path /trixie/lib --argv0 $1 /trixie/bin/$2 "\$@"
	EOF
	chmod 755 "$STAGE/usr/sbin/$1"
}
wrapper tlshd tlshd
wrapper nvme-tls nvme

# The staged programs run here the way the guest runs them (this host's
# kernel is new enough for trixie's glibc): a broken staging fails the
# build, not the test.
"$P/lib/ld-linux-x86-64.so.2" --library-path "$P/lib" "$P/bin/nvme" version \
	> /dev/null || { log "the staged nvme does not run"; exit 1; }
"$P/lib/ld-linux-x86-64.so.2" --library-path "$P/lib" "$P/bin/tlshd" --version \
	> /dev/null 2>&1 || { log "the staged tlshd does not run"; exit 1; }
log "staged $(sed -n 's/^\(ktls-utils\|nvme-cli\|libnvme[^=]*\)=/\1 /p' "$DONE" | paste -sd, -) ($(du -sh "$P" | cut -f1))"
