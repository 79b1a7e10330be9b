#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A Debian build root for kernels whose headers the host cannot build
# against: Debian builds its 7.x kernels (trixie-backports) with gcc-14 and
# passes options gcc-12 rejects, and their kbuild tools (fixdep, modpost,
# objtool) link against trixie's libraries.
#
#   scripts/buildroot.sh init [SUITE]        create it (cached; default trixie)
#   scripts/buildroot.sh run SUITE CMD...    run CMD in it, as root, with the
#                                            checkout and the cache mounted
#                                            at their own paths and /proc
#                                            mounted (objtool reads it)
#
# The root lives in $NVMET_NG_CACHE/buildroot/SUITE, made by debootstrap
# (minbase) from deb.debian.org and checked against the host's
# debian-archive-keyring.  The mounts are made in a private mount
# namespace (unshare -m): they go away with CMD, nothing is left mounted.
set -euo pipefail
. "$(dirname "$0")/env.sh"

MIRROR=${NVMET_NG_MIRROR:-http://deb.debian.org/debian}
# gcc-14 and what Debian's linux-kbuild and headers packages run.
# pahole: the kernel's BTF for modules, and its version check.
PKGS=gcc-14,make,libc6-dev,libelf1t64,libssl3t64,zlib1g,libzstd1,perl,bc,bison,flex,kmod,python3,xz-utils,pahole

log() { echo "buildroot: $*" >&2; }

root_of() { echo "$NVMET_NG_CACHE/buildroot/$1"; }

init() {
	local suite=$1 root tmp start
	root=$(root_of "$suite")
	[ -f "$root/.done" ] && [ "$(cat "$root/.done")" = "$PKGS" ] && return 0
	if [ -f "$root/.done" ]; then
		log "adding packages to $root"
		chroot "$root" /bin/sh -c "apt-get update -qq &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends $(echo "$PKGS" | tr , ' ') &&
			apt-get clean" > "$NVMET_NG_CACHE/buildroot/$suite.log" 2>&1 || {
			tail -n 20 "$NVMET_NG_CACHE/buildroot/$suite.log"
			log "apt-get install in $root failed"
			exit 1
		}
		echo "$PKGS" > "$root/.done"
		return 0
	fi
	command -v debootstrap >/dev/null || {
		log "debootstrap missing (scripts/deps.sh installs it)"; exit 1; }
	start=$(date +%s)
	log "debootstrap $suite into $root"
	tmp=$root.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	debootstrap --variant=minbase --include="$PKGS" \
		--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
		"$suite" "$tmp" "$MIRROR" > "$NVMET_NG_CACHE/buildroot/$suite.log" 2>&1 || {
		tail -n 20 "$NVMET_NG_CACHE/buildroot/$suite.log"
		log "debootstrap failed (log: $NVMET_NG_CACHE/buildroot/$suite.log)"
		exit 1
	}
	# The downloaded debs are not needed once unpacked.
	rm -rf "$tmp"/var/cache/apt/archives/*.deb
	rm -rf "$root"
	mv "$tmp" "$root"
	echo "$PKGS" > "$root/.done"
	log "$suite ready in $(( $(date +%s) - start ))s, $(du -sh "$root" | cut -f1)"
}

# run SUITE CMD...: the mount namespace is private, so the bind mounts and
# /proc are gone when CMD ends, however it ends.
run() {
	local suite=$1 root
	shift
	root=$(root_of "$suite")
	init "$suite"
	unshare -m --propagation private /bin/bash -euc '
		root=$1 top=$2 cache=$3 scratch=$4
		shift 4
		for d in "$top" "$cache"; do
			mkdir -p "$root$d"
			mount --bind "$d" "$root$d"
		done
		mount -t proc proc "$root/proc"
		exec chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin \
			HOME=/root LANG=C.UTF-8 NVMET_NG_CACHE="$cache" \
			NVMET_NG_SCRATCH="$scratch" \
			/bin/bash -c "cd \"\$0\" && exec \"\$@\"" "$PWD" "$@"
	' buildroot "$root" "$NVMET_NG_TOP" "$NVMET_NG_CACHE" \
		"$NVMET_NG_SCRATCH" "$@"
}

case ${1:-} in
init)	init "${2:-trixie}" ;;
run)	[ $# -ge 3 ] || { echo "usage: $0 run SUITE CMD..."; exit 2; }
	shift
	run "$@" ;;
*)	echo "usage: $0 init [SUITE] | run SUITE CMD..."; exit 2 ;;
esac
