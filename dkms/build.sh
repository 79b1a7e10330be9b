#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# What dkms.conf's MAKE and CLEAN run, in dkms's copy of the source:
#
#   dkms/build.sh modules|clean KERNELRELEASE KERNEL_DIR
#
# builds every module make install installs (not the test fabric) against
# KERNEL_DIR, the kernel directory dkms was given (--kernelsourcedir, by
# default /lib/modules/<release>/build).  It calls kbuild itself, not the
# checkout's Makefile, which asks apt about the test lanes' kernels.
#
# nvme-loop needs the private headers of the kernel's NVMe host
# (drivers/nvme/host), which no headers package carries.  They are taken,
# in this order, from
#   - $NVME_HOST_SRC, if the administrator sets it (drivers/nvme/host of
#     the very source the kernel was built from);
#   - /usr/src/linux-source-X.Y.tar.xz of the Debian package
#     linux-source-X.Y, if its version is the kernel's own (the one its
#     UTS_VERSION names, e.g. "Debian 6.1.192-3"): only drivers/nvme/host
#     is unpacked, into this build directory.
# Headers of another version could disagree with the kernel's structures,
# so without a match nvme-loop is not built, and a stand-in nvme-loop
# (dkms/nvme-loop-stub) takes its place in updates/: it refuses to load
# and says why, so neither "nvme connect -t loop" nor a loop port can load
# the in-tree nvme-loop against our nvmet.
set -euo pipefail

cmd=${1:?usage: build.sh modules|clean KERNELRELEASE KERNEL_DIR}
kver=${2:?no kernel release}
kdir=${3:?no kernel directory}
top=$PWD
ver=$(cat "$top/VERSION")
jobs=$(nproc 2>/dev/null || echo 1)

log() { echo "nvmet-ng dkms: $*"; }

# Every module but the test fabric, as the Makefile's KCONFIG has them.
kconfig=(CONFIG_NVMET_NG=m CONFIG_NVMET_NG_TCP=m CONFIG_NVMET_NG_RDMA=m
	 CONFIG_NVMET_NG_FC=m CONFIG_NVMET_NG_FCLOOP=m)

# The Debian package version of the kernel's source, from its UTS_VERSION.
kernel_debian_version() {
	sed -n 's/.*UTS_VERSION ".* Debian \([^ ]*\) .*/\1/p' \
		"$kdir/include/generated/utsversion.h" \
		"$kdir/include/generated/compile.h" 2>/dev/null | head -n 1
}

# Print drivers/nvme/host to build nvme-loop with, or nothing; say why.
find_host_src() {
	local series pkg tarball want have
	if [ -n "${NVME_HOST_SRC:-}" ]; then
		if [ -f "$NVME_HOST_SRC/nvme.h" ]; then
			log "nvme-loop: host headers from NVME_HOST_SRC=$NVME_HOST_SRC" >&2
			echo "$NVME_HOST_SRC"
			return 0
		fi
		log "nvme-loop: NVME_HOST_SRC=$NVME_HOST_SRC has no nvme.h" >&2
	fi
	series=$(echo "$kver" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')
	pkg=linux-source-$series
	tarball=/usr/src/$pkg.tar.xz
	want=$(kernel_debian_version)
	have=$(dpkg-query -W -f '${Status} ${Version}' "$pkg" 2>/dev/null |
	       sed -n 's/^install ok installed //p')
	if [ -z "$have" ] || [ ! -f "$tarball" ]; then
		log "nvme-loop: not built, $pkg is not installed (apt install $pkg=${want:-VERSION}, then dkms install nvmet-ng/$ver -k $kver --force)" >&2
		return 0
	fi
	if [ -z "$want" ] || [ "$have" != "$want" ]; then
		log "nvme-loop: not built, $pkg is $have but the kernel $kver is ${want:-not a Debian build}" >&2
		return 0
	fi
	rm -rf "$top/.host-src"
	mkdir -p "$top/.host-src"
	log "nvme-loop: unpacking drivers/nvme/host of $pkg $have" >&2
	tar -xJf "$tarball" -C "$top/.host-src" --strip-components=1 \
		"$pkg/drivers/nvme/host" >&2 || {
		log "nvme-loop: not built, $tarball has no drivers/nvme/host" >&2
		return 0
	}
	echo "$top/.host-src/drivers/nvme/host"
}

case $cmd in
modules)
	host=$(find_host_src)
	if [ -n "$host" ]; then
		kconfig+=(CONFIG_NVMET_NG_LOOP=m "NVME_HOST_SRC=$host")
	fi
	make -j"$jobs" -C "$kdir" M="$top" "${kconfig[@]}" modules
	if [ -z "$host" ]; then
		make -C "$kdir" M="$top/dkms/nvme-loop-stub" modules
		cp "$top/dkms/nvme-loop-stub/nvme-loop.ko" "$top/nvme-loop/nvme-loop.ko"
		log "nvme-loop: the stand-in goes to updates/ (it refuses to load)"
	fi
	;;
clean)
	make -C "$kdir" M="$top" clean
	make -C "$kdir" M="$top/dkms/nvme-loop-stub" clean
	rm -rf "$top/.host-src" "$top/.compat"
	;;
*)	echo "usage: build.sh modules|clean KERNELRELEASE KERNEL_DIR" >&2
	exit 2 ;;
esac
