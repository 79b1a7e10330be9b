#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Install what nvmet-ng's build and test lanes need, from Debian only
# (libelf-dev, libssl-dev, time: the debug kernel's build).
# targetcli-fb, python3-rtslib-fb, dbus-daemon: staged into the VM for
# the LIO backstore tests (tests/vm/stage-python.sh, mkinitramfs.sh).
# Idempotent and quick when everything is present.
#
#   scripts/deps.sh [bench] [LINE...]
#                               LINE: 6.1, newest: also fetch those kernels
#                               (scripts/kernels.sh; 6.12 is always fetched;
#                               make check passes "6.1 newest"); bench:
#                               also what make bench alone needs (gnuplot-nox
#                               for the fio matrix's plot, linux-perf for its
#                               profile round: the guest runs the host's perf)
#
# Host packages come from apt.  The Debian 6.12 kernel (headers, kbuild and
# the unsigned image with its modules) is *not* installed into the host: its
# debs are fetched with apt-get download and unpacked with dpkg -x into the
# cache, so the host keeps its own kernel and no initramfs hook runs.
# The VM's TLS tools (trixie's ktls-utils and nvme-cli, which bookworm lacks
# or has too old) are fetched by tests/vm/stage-trixie.sh with apt state of
# their own and unpacked into the cache, never installed.
set -euo pipefail
. "$(dirname "$0")/env.sh"

PKGS="make gcc gcc-12 libc6-dev libelf1 libssl3 zlib1g pahole xz-utils
      python3 bc bison flex perl kmod cpio busybox-static nvme-cli fio
      qemu-system-x86 liburcu-dev e2fsprogs iproute2 $NVMET_NG_SRCPKG
      libelf-dev libssl-dev time debootstrap python3-configshell-fb
      sg3-utils targetcli-fb python3-rtslib-fb dbus-daemon"
BENCH_PKGS="gnuplot-nox linux-perf"
for a in "$@"; do
	[ "$a" = bench ] && PKGS="$PKGS $BENCH_PKGS"
done

log() { echo "deps: $*"; }

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return 0
	log "apt-get update"
	apt-get update -qq >/dev/null
	apt_updated=1
}

install_host_packages() {
	local missing=() p
	for p in $PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	apt_update
	log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
}

# linux-headers-<kver> depends on linux-headers-<x>-common and linux-kbuild-<x>
kernel_debs() {
	local hdr=linux-headers-$KVER
	echo "$hdr" "linux-image-$KVER-unsigned"
	apt-cache depends "$hdr" | sed -n \
		-e 's/^ *Depends: \(linux-headers-[^ ]*-common\)$/\1/p' \
		-e 's/^ *Depends: \(linux-kbuild-[^ ]*\)$/\1/p'
}

unpack_kernel() {
	local dir=$NVMET_NG_CACHE/kernel/$KVER tmp deb
	[ -f "$dir/.done" ] && return 0
	log "fetching Debian kernel $KVER into $dir"
	rm -rf "$dir"
	mkdir -p "$dir/root"
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root $(kernel_debs) >/dev/null)
	for deb in "$tmp"/*.deb; do
		dpkg -x "$deb" "$dir/root"
	done
	rm -rf "$tmp"
	# The headers' Makefile includes the common tree by absolute path.
	sed -i "s|^include /usr/src/|include $dir/root/usr/src/|" \
		"$dir/root/usr/src/linux-headers-$KVER/Makefile"
	[ -f "$NVMET_NG_VMLINUZ" ] || { log "no vmlinuz in image deb"; exit 1; }
	touch "$dir/.done"
}

unpack_source() {
	local tarball=/usr/src/$NVMET_NG_SRCPKG.tar.xz stamp ver
	ver=$(dpkg-query -W -f='${Version}' "$NVMET_NG_SRCPKG")
	stamp=$NVMET_NG_SRC/.nvmet-ng-unpacked
	[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$ver" ] && return 0
	log "unpacking $NVMET_NG_SRCPKG $ver into $NVMET_NG_SRC"
	rm -rf "$NVMET_NG_SRC"
	mkdir -p "$NVMET_NG_CACHE"
	tar -C "$NVMET_NG_CACHE" -xf "$tarball"
	echo "$ver" > "$stamp"
}

mkdir -p "$NVMET_NG_CACHE"
install_host_packages
# Unpacked already: no network.  Otherwise refresh the lists first, since
# Debian drops superseded point releases from the archive.
if [ -z "$KVER" ] || [ ! -f "$NVMET_NG_CACHE/kernel/$KVER/.done" ]; then
	apt_update
	KVER=$(nvmet_ng_kver)
	. "$(dirname "$0")/env.sh"
fi
[ -n "$KVER" ] || { log "cannot resolve $NVMET_NG_META"; exit 1; }
unpack_kernel
# A cache copied from elsewhere: the headers' Makefile still names the old
# path (scripts/kernels.sh does the same for its lines).
grep -q "^include $NVMET_NG_KROOT/usr/src/" "$NVMET_NG_KDIR/Makefile" ||
	sed -i -E "s|^include (/[^ ]*)?/usr/src/linux-headers-|include $NVMET_NG_KROOT/usr/src/linux-headers-|" \
		"$NVMET_NG_KDIR/Makefile"
unpack_source
"$NVMET_NG_TOP/tests/vm/stage-trixie.sh" fetch
log "ready: kernel $KVER, KDIR=$NVMET_NG_KDIR"
lines=
for l in "$@"; do
	[ "$l" = 6.12 ] || [ "$l" = bench ] || lines="$lines $l"
done
[ -z "$lines" ] || "$NVMET_NG_TOP/scripts/kernels.sh" $lines
