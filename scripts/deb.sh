#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The DKMS source tree and the Debian package of nvmet-ng:
#
#   scripts/deb.sh src DIR    copy what dkms builds from into DIR (e.g.
#                             /usr/src/nvmet-ng-<version>), dkms.conf with
#                             its version filled in
#   scripts/deb.sh deb [DIR]  build DIR/nvmet-ng-dkms_<version>_all.deb
#                             (default: the checkout) with dpkg-deb; prints
#                             its path
#
# The version is the one line of VERSION.  The tree holds the kernel
# sources of the modules make install installs, the compatibility layer
# with its probes, dkms.conf and dkms/ (build.sh, setup.sh, the nvme-loop
# stand-in); the test fabric, the tests and the checkout's Makefile are
# left out (dkms/build.sh calls kbuild itself).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
VERSION=$(cat "$TOP/VERSION")
PKG=nvmet-ng-dkms

SRC_PATHS=(Kbuild Kconfig VERSION README.md dkms.conf compat include nvmet
	   nvmet-tcp nvmet-rdma nvmet-fc nvme-fcloop nvme-loop dkms)

# Source files only: what git knows of (tracked or not ignored), or, out of
# a git checkout, everything but build products.
list_src() {
	cd "$TOP"
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files -co --exclude-standard -- "${SRC_PATHS[@]}"
	else
		find "${SRC_PATHS[@]}" -type f -not -name '*.o' -not -name '*.ko' \
			-not -name '*.mod' -not -name '*.mod.c' -not -name '.*.cmd' \
			-not -name '*.order' -not -name '*.symvers' -not -name '.*.d'
	fi | grep -v '^dkms/debian/' | sort -u
}

make_src() {
	local dst=$1 f
	mkdir -p "$dst"
	list_src | while read -r f; do
		[ -f "$TOP/$f" ] || continue	# deleted, not yet committed
		install -D -m 644 "$TOP/$f" "$dst/$f"
	done
	chmod 755 "$dst/dkms/build.sh" "$dst/dkms/setup.sh"
	sed -i "s/@VERSION@/$VERSION/g" "$dst/dkms.conf"
}

make_deb() {
	local out=${1:-$TOP} size deb
	command -v dpkg-deb >/dev/null || { echo "deb.sh: dpkg-deb missing" >&2; exit 1; }
	STAGE=$(mktemp -d)
	local stage=$STAGE
	trap 'rm -rf "$STAGE"' EXIT
	make_src "$stage/usr/src/nvmet-ng-$VERSION"
	install -d "$stage/usr/share/doc/$PKG" "$stage/DEBIAN"
	install -D -m 644 "$TOP/dkms/modules_to_force_install" \
		"$stage/usr/share/dkms/modules_to_force_install/nvmet-ng"
	cat > "$stage/usr/share/doc/$PKG/copyright" <<-COPYRIGHT
	Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
	Upstream-Name: nvmet-ng

	Files: *
	License: GPL-2.0-only
	 On Debian systems the full text of the GNU General Public License
	 version 2 is in /usr/share/common-licenses/GPL-2.
	COPYRIGHT
	size=$(du -sk "$stage/usr" | cut -f1)
	sed -e "s/@VERSION@/$VERSION/g" -e "s/@SIZE@/$size/g" \
		"$TOP/dkms/debian/control" > "$stage/DEBIAN/control"
	for s in postinst prerm; do
		sed "s/@VERSION@/$VERSION/g" "$TOP/dkms/debian/$s" > "$stage/DEBIAN/$s"
		chmod 755 "$stage/DEBIAN/$s"
	done
	deb=$out/${PKG}_${VERSION}_all.deb
	mkdir -p "$out"
	dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
	echo "$deb"
}

case ${1:-} in
src)	[ $# -eq 2 ] || { echo "usage: $0 src DIR" >&2; exit 2; }
	make_src "$2" ;;
deb)	make_deb "${2:-}" ;;
*)	echo "usage: $0 src DIR | deb [DIR]" >&2; exit 2 ;;
esac
