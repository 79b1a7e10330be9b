#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Fetch the Debian kernels other than 6.12 into the cache, the way
# scripts/deps.sh fetches 6.12 (which it still does itself):
#
#   scripts/kernels.sh [LINE...]     LINE: 6.1, newest (default both)
#
# For each line (scripts/env.sh, NVMET_NG_KERNEL), resolved through its
# suite's meta packages, never a point release:
#  - headers: linux-headers-<release> with its -common and linux-kbuild
#    packages, from the meta package linux-headers-amd64;
#  - image: what linux-image-amd64 depends on for that release (6.1: the
#    signed image with its modules; 7.x: the image, binary and modules
#    packages), for the VM lane;
#  - drivers/nvme/host and drivers/nvme/target of linux-source-<major.minor>
#    of the same version (nvme-loop's private headers; the source of the
#    in-tree modules the image lacks, scripts/intree-modules.sh), only those
#    parts unpacked;
#  - the trixie build root for lines that need one (scripts/buildroot.sh).
# Packages are fetched with apt-get download and unpacked with dpkg -x into
# $NVMET_NG_CACHE/kernel/<release>/root; nothing is installed into the host.
# 6.1 comes from the host's bookworm lists; newest from trixie and
# trixie-backports through a private apt configuration under
# $NVMET_NG_CACHE/apt/trixie (the host's apt state is not touched), signed
# by the host's debian-archive-keyring (it carries trixie's keys).
#
# Idempotent: a line whose resolved release is unpacked costs no network.
# Each step prints its time and size.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)

log() { echo "kernels: $*"; }

since() { echo "$(( $(date +%s) - $1 ))s"; }

size() { du -sh "$@" 2>/dev/null | tail -n 1 | cut -f1; }

# apt-get and apt-cache with the line's options.
# shellcheck disable=SC2086 # NVMET_NG_APT is a list of options
line_apt_get() { apt-get -qq $NVMET_NG_APT -o APT::Sandbox::User=root "$@"; }
# shellcheck disable=SC2086
line_apt_cache() { apt-cache $NVMET_NG_APT "$@"; }

apt_update() {
	local start
	start=$(date +%s)
	if [ -n "$NVMET_NG_APT" ]; then
		mkdir -p "$NVMET_NG_APT_DIR/lists/partial" \
			 "$NVMET_NG_APT_DIR/cache/archives/partial"
		{
			echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${NVMET_NG_MIRROR:-http://deb.debian.org/debian} trixie main"
			echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${NVMET_NG_MIRROR:-http://deb.debian.org/debian} trixie-backports main"
		} > "$NVMET_NG_APT_DIR/sources.list"
		log "apt-get update (trixie, trixie-backports; private lists)"
	else
		log "apt-get update (host lists)"
	fi
	line_apt_get update > /dev/null
	log "apt lists updated in $(since "$start")${NVMET_NG_APT:+, $(size "$NVMET_NG_APT_DIR")}"
}

# Depends of package $1 whose names match the extended regex $2.
deps_matching() {
	line_apt_cache depends "$1" |
		sed -n 's/^ *Depends: \([^ <>]*\)$/\1/p' | grep -E "$2" || true
}

headers_debs() {
	echo "linux-headers-$KVER"
	deps_matching "linux-headers-$KVER" '^linux-(headers-.*-common|kbuild-.*)$'
}

# linux-image-amd64 -> linux-image-<release> -> (7.x) linux-binary-<release>,
# linux-modules-<release>.
image_debs() {
	local img rel
	img=$(deps_matching "$NVMET_NG_IMAGE_META" '^linux-image-[0-9]' | head -n 1)
	rel=${img#linux-image-}
	[ "$rel" = "$KVER" ] || {
		log "$NVMET_NG_IMAGE_META points at '$rel', $NVMET_NG_META at $KVER"
		exit 1
	}
	echo "$img"
	deps_matching "$img" "^linux-(binary|modules)-$(echo "$KVER" | sed 's/[.+]/\\&/g')\$"
}

download() {
	local dest=$1
	shift
	(cd "$dest" && line_apt_get download "$@" > /dev/null)
}

# The headers' Makefile includes the common tree by absolute path (and
# 7.x's names its own directory as KBUILD_OUTPUT): point both at this
# cache, whatever path they had (/usr/src/ as packaged, or the cache this
# one was copied from, which a build root does not see).  Idempotent.
point_headers() {
	local dir=$NVMET_NG_CACHE/kernel/$KVER mk
	mk=$dir/root/usr/src/linux-headers-$KVER/Makefile
	[ -f "$mk" ] || return 0
	grep -E '^(include |KBUILD_OUTPUT=)' "$mk" |
		grep -qvF -e "include $dir/root/usr/src/" \
			-e "KBUILD_OUTPUT=$dir/root/usr/src/" || return 0
	sed -i -E -e "s|^include (/[^ ]*)?/usr/src/|include $dir/root/usr/src/|" \
		-e "s|^KBUILD_OUTPUT=(/[^ ]*)?/usr/src/|KBUILD_OUTPUT=$dir/root/usr/src/|" "$mk"
	log "headers Makefile of $KVER points at $dir"
}

unpack_kernel() {
	local dir=$NVMET_NG_CACHE/kernel/$KVER tmp deb start
	[ -f "$dir/.done" ] && return 0
	start=$(date +%s)
	rm -rf "$dir"
	mkdir -p "$dir/root"
	tmp=$(mktemp -d "$NVMET_NG_CACHE/kernels.XXXXXX")
	# shellcheck disable=SC2046 # one package name a word
	download "$tmp" $(headers_debs)
	log "headers $KVER: $(ls "$tmp" | paste -sd' '), $(size "$tmp") of debs in $(since "$start")"
	for deb in "$tmp"/*.deb; do
		dpkg -x "$deb" "$dir/root"
	done
	rm -f "$tmp"/*.deb
	start=$(date +%s)
	# shellcheck disable=SC2046
	download "$tmp" $(image_debs)
	log "image $KVER: $(ls "$tmp" | paste -sd' '), $(size "$tmp") of debs in $(since "$start")"
	for deb in "$tmp"/*.deb; do
		dpkg -x "$deb" "$dir/root"
	done
	rm -rf "$tmp"
	point_headers
	[ -f "$dir/root/boot/vmlinuz-$KVER" ] ||
		[ -f "$dir/root/usr/lib/modules/$KVER/vmlinuz" ] ||
		{ log "no vmlinuz for $KVER in the image debs"; exit 1; }
	touch "$dir/.done"
	log "kernel $KVER unpacked: $(size "$dir/root")"
}

# drivers/nvme/host and drivers/nvme/target of linux-source-<major.minor>,
# the headers' version.  A cache unpacked before target/ was wanted gets it
# once.
host_src_done() {
	[ -f "$1/.done" ] && [ -f "$1/drivers/nvme/target/nvmet.h" ]
}
unpack_host_src() {
	local dir=$NVMET_NG_CACHE/kernel/$KVER src ver pkg tmp start
	src=$dir/src
	host_src_done "$src" && return 0
	start=$(date +%s)
	ver=$(line_apt_cache show "linux-headers-$KVER" | sed -n 's/^Version: //p' | head -n 1)
	pkg=linux-source-$(echo "$KVER" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
	rm -rf "$src"
	mkdir -p "$src"
	tmp=$(mktemp -d "$NVMET_NG_CACHE/kernels.XXXXXX")
	download "$tmp" "$pkg=$ver"
	log "$pkg $ver: $(size "$tmp") in $(since "$start")"
	dpkg-deb --fsys-tarfile "$tmp"/*.deb |
		tar -xO "./usr/src/$pkg.tar.xz" |
		tar -xJ -C "$src" --strip-components=1 "$pkg/drivers/nvme/host" \
			"$pkg/drivers/nvme/target"
	rm -rf "$tmp"
	[ -f "$src/drivers/nvme/host/nvme.h" ] || { log "no drivers/nvme/host/nvme.h in $pkg"; exit 1; }
	[ -f "$src/drivers/nvme/target/nvmet.h" ] || { log "no drivers/nvme/target/nvmet.h in $pkg"; exit 1; }
	echo "$pkg $ver" > "$src/.done"
	log "drivers/nvme/host and target of $pkg unpacked in $(since "$start"): $(size "$src")"
}

fetch_line() {
	local line=$1 start
	start=$(date +%s)
	NVMET_NG_KERNEL=$line
	KVER=
	# shellcheck source=scripts/env.sh
	. "$TOP/scripts/env.sh"
	mkdir -p "$NVMET_NG_CACHE/kernel"
	# Debian drops superseded releases: refresh before fetching a new one.
	if [ -z "$KVER" ] || [ ! -f "$NVMET_NG_CACHE/kernel/$KVER/.done" ] ||
	   ! host_src_done "$NVMET_NG_CACHE/kernel/$KVER/src"; then
		apt_update
		KVER=$(nvmet_ng_kver)
	fi
	[ -n "$KVER" ] || { log "$line: cannot resolve $NVMET_NG_META"; exit 1; }
	. "$TOP/scripts/env.sh"
	unpack_kernel
	point_headers
	unpack_host_src
	echo "$KVER" > "$NVMET_NG_CACHE/kernel/line-$line"
	[ -z "$NVMET_NG_BUILDROOT" ] || "$TOP/scripts/buildroot.sh" init "$NVMET_NG_BUILDROOT"
	log "$line ready in $(since "$start"): kernel $KVER, KDIR=$NVMET_NG_KDIR"
}

lines=${*:-6.1 newest}
for l in $lines; do
	case $l in
	6.12)	log "6.12 is scripts/deps.sh's" ;;
	6.1|newest) fetch_line "$l" ;;
	*)	log "unknown kernel line $l (6.1, newest)"; exit 2 ;;
	esac
done
