# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the project's scripts: where the build cache lives and which
# Debian 6.12 kernel the VM and KUnit lanes use.  Nothing here installs.
#
# NVMET_NG_CACHE  cache outside the source tree (kernel debs, linux source,
#                 KUnit build, initramfs staging); default ~/.cache/nvmet-ng
# NVMET_NG_SCRATCH per-checkout build products (VM stage and initramfs, KUnit
#                 build); default the cache.  Two checkouts testing at once
#                 each set their own.
# NVMET_NG_KERNEL the kernel line, default 6.12 (what the VM, KUnit and
#                 debug lanes use); 6.1 is Debian 12's default kernel
#                 (bookworm's linux-headers-amd64), newest the newest
#                 Debian kernel (trixie-backports' linux-headers-amd64,
#                 built in a trixie build root: scripts/buildroot.sh).
#                 scripts/kernels.sh fetches the lines other than 6.12.
# KVER            release of that Debian kernel, resolved through its
#                 suite's meta package (never a hard-coded point release)

NVMET_NG_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NVMET_NG_CACHE=${NVMET_NG_CACHE:-${HOME:-/root}/.cache/nvmet-ng}
NVMET_NG_SCRATCH=${NVMET_NG_SCRATCH:-$NVMET_NG_CACHE}
# linux-source-6.12 stays the tools' source (checkpatch, kernel-doc, KUnit,
# the userspace lane's xarray) whatever line is built.
NVMET_NG_SRCPKG=linux-source-6.12
NVMET_NG_KERNEL=${NVMET_NG_KERNEL:-6.12}
# NVMET_NG_APT: apt options of the line's suite (none: the host's apt);
# NVMET_NG_BUILDROOT: the build root suite its headers need (none: the host).
NVMET_NG_APT=
NVMET_NG_BUILDROOT=
case $NVMET_NG_KERNEL in
6.12)	NVMET_NG_META=linux-headers-6.12-amd64 ;;
6.1)	NVMET_NG_META=linux-headers-amd64 ;;
newest)	NVMET_NG_META=linux-headers-amd64
	NVMET_NG_APT_DIR=$NVMET_NG_CACHE/apt/trixie
	NVMET_NG_APT="-o Dir::Etc::sourcelist=$NVMET_NG_APT_DIR/sources.list
		-o Dir::Etc::sourceparts=/dev/null
		-o Dir::State::Lists=$NVMET_NG_APT_DIR/lists
		-o Dir::Cache=$NVMET_NG_APT_DIR/cache
		-o APT::Default-Release=trixie-backports"
	NVMET_NG_BUILDROOT=trixie ;;
*)	echo "env.sh: unknown NVMET_NG_KERNEL=$NVMET_NG_KERNEL (6.1, 6.12, newest)" >&2
	return 1 ;;
esac
NVMET_NG_IMAGE_META=linux-image-amd64

# The release the meta package points at today, e.g. 6.12.117+deb12-amd64.
# Falls back to the release scripts/kernels.sh last unpacked for the line
# (for 6.12, the newest 6.12 release in the cache), so a warm machine works
# without fresh apt lists.
nvmet_ng_kver() {
	local dep
	# shellcheck disable=SC2086 # NVMET_NG_APT is a list of options
	dep=$(apt-cache $NVMET_NG_APT depends "$NVMET_NG_META" 2>/dev/null |
	      sed -n 's/^ *Depends: linux-headers-\([0-9][^ ]*\)$/\1/p' |
	      head -n 1)
	if [ -n "$dep" ]; then
		echo "$dep"
		return 0
	fi
	if [ -f "$NVMET_NG_CACHE/kernel/line-$NVMET_NG_KERNEL" ]; then
		cat "$NVMET_NG_CACHE/kernel/line-$NVMET_NG_KERNEL"
		return 0
	fi
	[ "$NVMET_NG_KERNEL" = 6.12 ] || return 0
	{ ls -1 "$NVMET_NG_CACHE/kernel" 2>/dev/null || true; } |
		{ grep '^6\.12\.' || true; } | sort -V | tail -n 1
}

KVER=${KVER:-$(nvmet_ng_kver)}
NVMET_NG_KROOT=$NVMET_NG_CACHE/kernel/$KVER/root
NVMET_NG_KDIR=$NVMET_NG_KROOT/usr/src/linux-headers-$KVER
NVMET_NG_VMLINUZ=$NVMET_NG_KROOT/boot/vmlinuz-$KVER
NVMET_NG_MODDIR=$NVMET_NG_KROOT/lib/modules/$KVER
# Merged /usr: the 7.x packages ship modules and vmlinuz in /usr/lib/modules.
[ -d "$NVMET_NG_MODDIR" ] || [ ! -d "$NVMET_NG_KROOT/usr/lib/modules/$KVER" ] ||
	NVMET_NG_MODDIR=$NVMET_NG_KROOT/usr/lib/modules/$KVER
[ -f "$NVMET_NG_VMLINUZ" ] || [ ! -f "$NVMET_NG_MODDIR/vmlinuz" ] ||
	NVMET_NG_VMLINUZ=$NVMET_NG_MODDIR/vmlinuz
NVMET_NG_SRC=$NVMET_NG_CACHE/linux-source-6.12
# drivers/nvme/host of the line's own source (nvme-loop's private headers):
# the whole 6.12 source, or the part scripts/kernels.sh unpacks.
# NVMET_NG_LINE_SRC: the top of that source, whose drivers/nvme/target is
# what scripts/intree-modules.sh builds the in-tree modules the line's
# image lacks from (a preset value wins: another unpacked copy of the same
# version).  NVMET_NG_INTREE_EXTRA: where those modules end up.
if [ "$NVMET_NG_KERNEL" = 6.12 ]; then
	NVMET_NG_HOST_SRC=$NVMET_NG_SRC/drivers/nvme/host
	NVMET_NG_LINE_SRC=${NVMET_NG_LINE_SRC:-$NVMET_NG_SRC}
else
	NVMET_NG_HOST_SRC=$NVMET_NG_CACHE/kernel/$KVER/src/drivers/nvme/host
	NVMET_NG_LINE_SRC=${NVMET_NG_LINE_SRC:-$NVMET_NG_CACHE/kernel/$KVER/src}
fi
NVMET_NG_INTREE_EXTRA=$NVMET_NG_SCRATCH/intree-$NVMET_NG_KERNEL

# The debug kernel (KASAN, lockdep, kmemleak) that scripts/debug-kernel.sh
# builds from that source, cached under a key of the source version and
# scripts/debug-kernel.config.  VM_KERNEL=debug makes the VM lane boot it:
# KVER, NVMET_NG_MODDIR and NVMET_NG_VMLINUZ then name it, and our modules
# come from NVMET_NG_MODTOP, a copy of the checkout built against it.
NVMET_NG_DEBUG_KEY=$({ cat "$NVMET_NG_SRC/.nvmet-ng-unpacked" 2>/dev/null
			cat "$NVMET_NG_TOP/scripts/debug-kernel.config"; } |
		     sha1sum | cut -c1-12)
NVMET_NG_DEBUG=$NVMET_NG_CACHE/debug-kernel/$NVMET_NG_DEBUG_KEY
NVMET_NG_DEBUG_KDIR=$NVMET_NG_DEBUG/build
# (No source unpacked yet, on a fresh machine: no version, and no failure,
# since the scripts source this file under set -e and pipefail.)
NVMET_NG_DEBUG_KVER=$({ sed -n 's/^\(VERSION\|PATCHLEVEL\|SUBLEVEL\) = //p' \
			"$NVMET_NG_SRC/Makefile" 2>/dev/null || true; } |
		      paste -sd.)-nvmet-ng-debug
NVMET_NG_DEBUG_VMLINUZ=$NVMET_NG_DEBUG_KDIR/arch/x86/boot/bzImage
NVMET_NG_DEBUG_MODTOP=$NVMET_NG_SCRATCH/debug-modules
# NVMET_NG_MODTOP: the directory whose *.ko files are the VM's modules of
# ours.  A preset value wins (modules built another way, e.g. by DKMS);
# else the checkout for 6.12, and for the other lines and the debug kernel
# the copy scripts/line-modules.sh builds for them.
if [ "$NVMET_NG_KERNEL" = 6.12 ]; then
	NVMET_NG_LINE_MODTOP=$NVMET_NG_TOP
else
	NVMET_NG_LINE_MODTOP=$NVMET_NG_SCRATCH/modules-$NVMET_NG_KERNEL
fi
if [ "${VM_KERNEL:-}" = debug ]; then
	KVER=$NVMET_NG_DEBUG_KVER
	NVMET_NG_MODDIR=$NVMET_NG_DEBUG/root/lib/modules/$KVER
	NVMET_NG_VMLINUZ=$NVMET_NG_DEBUG_VMLINUZ
	NVMET_NG_LINE_MODTOP=$NVMET_NG_DEBUG_MODTOP
fi
NVMET_NG_MODTOP=${NVMET_NG_MODTOP:-$NVMET_NG_LINE_MODTOP}
