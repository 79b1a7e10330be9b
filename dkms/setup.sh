#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Register nvmet-ng with dkms and build it for the installed kernels, or
# take it away again.  The Debian package's postinst and prerm run it, and
# so do make dkms-install and make dkms-uninstall:
#
#   setup.sh install VERSION [KERNELRELEASE KERNEL_DIR]
#   setup.sh remove VERSION
#
# install adds /usr/src/nvmet-ng-VERSION to dkms and builds and installs it
# for every kernel under /lib/modules that has its headers (a build/
# directory), or for KERNELRELEASE only, against KERNEL_DIR.  A kernel
# that fails to build is reported and skipped, so the package stays
# installable and dkms retries on the next kernel (AUTOINSTALL).  remove
# takes the modules out of every kernel (dkms runs depmod, so the in-tree
# nvmet is what modprobe loads again) and unregisters the version.
set -e

cmd=${1:-}
ver=${2:-}
[ -n "$ver" ] || { echo "usage: setup.sh install|remove VERSION [KERNELRELEASE KERNEL_DIR]" >&2; exit 2; }
mod=nvmet-ng

registered() { dkms status -m "$mod" -v "$ver" 2>/dev/null | grep -q .; }

build_one() {
	# $1 release, $2 kernel directory (empty: dkms's default)
	if dkms install -m "$mod" -v "$ver" -k "$1" ${2:+--kernelsourcedir "$2"}; then
		return 0
	fi
	echo "nvmet-ng: dkms could not build or install $mod $ver for $1; see /var/lib/dkms/$mod/$ver/build/make.log" >&2
	return 1
}

case $cmd in
install)
	registered || dkms add -m "$mod" -v "$ver"
	if [ -n "${3:-}" ]; then
		build_one "$3" "${4:-}"
		exit
	fi
	found=
	for dir in /lib/modules/*; do
		[ -f "$dir/build/Makefile" ] || continue
		found=1
		build_one "$(basename "$dir")" "" || true
	done
	[ -n "$found" ] || echo "nvmet-ng: no kernel headers found; install linux-headers-\$(uname -r) and run: dkms install $mod/$ver" >&2
	;;
remove)
	if registered; then
		dkms remove -m "$mod" -v "$ver" --all
	fi
	;;
*)	echo "usage: setup.sh install|remove VERSION [KERNELRELEASE KERNEL_DIR]" >&2
	exit 2 ;;
esac
