# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the project's scripts: where the build cache lives and which
# Debian 6.12 kernel the VM and KUnit lanes use.  Nothing here installs.
#
# NVMET_NG_CACHE  cache outside the source tree (kernel debs, linux source,
#                 KUnit build, initramfs staging); default ~/.cache/nvmet-ng
# NVMET_NG_SCRATCH per-checkout build products (VM stage and initramfs, KUnit
#                 build); default the cache.  Two checkouts testing at once
#                 each set their own.
# KVER            release of the Debian kernel we boot and build against,
#                 resolved through the linux-headers-6.12-amd64 meta package

NVMET_NG_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NVMET_NG_CACHE=${NVMET_NG_CACHE:-${HOME:-/root}/.cache/nvmet-ng}
NVMET_NG_SCRATCH=${NVMET_NG_SCRATCH:-$NVMET_NG_CACHE}
NVMET_NG_META=linux-headers-6.12-amd64
NVMET_NG_SRCPKG=linux-source-6.12

# The release the meta package points at today, e.g. 6.12.117+deb12-amd64.
# Falls back to the newest release already unpacked in the cache, so a warm
# machine works without fresh apt lists.
nvmet_ng_kver() {
	local dep
	dep=$(apt-cache depends "$NVMET_NG_META" 2>/dev/null |
	      sed -n 's/^ *Depends: linux-headers-\(6\.12\.[^ ]*\)$/\1/p' |
	      head -n 1)
	if [ -n "$dep" ]; then
		echo "$dep"
		return 0
	fi
	ls -1 "$NVMET_NG_CACHE/kernel" 2>/dev/null | sort -V | tail -n 1
}

KVER=${KVER:-$(nvmet_ng_kver)}
NVMET_NG_KROOT=$NVMET_NG_CACHE/kernel/$KVER/root
NVMET_NG_KDIR=$NVMET_NG_KROOT/usr/src/linux-headers-$KVER
NVMET_NG_VMLINUZ=$NVMET_NG_KROOT/boot/vmlinuz-$KVER
NVMET_NG_MODDIR=$NVMET_NG_KROOT/lib/modules/$KVER
NVMET_NG_SRC=$NVMET_NG_CACHE/linux-source-6.12

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
NVMET_NG_DEBUG_KVER=$(sed -n 's/^\(VERSION\|PATCHLEVEL\|SUBLEVEL\) = //p' \
			"$NVMET_NG_SRC/Makefile" 2>/dev/null | paste -sd.)-nvmet-ng-debug
NVMET_NG_DEBUG_VMLINUZ=$NVMET_NG_DEBUG_KDIR/arch/x86/boot/bzImage
NVMET_NG_DEBUG_MODTOP=$NVMET_NG_SCRATCH/debug-modules
NVMET_NG_MODTOP=$NVMET_NG_TOP
if [ "${VM_KERNEL:-}" = debug ]; then
	KVER=$NVMET_NG_DEBUG_KVER
	NVMET_NG_MODDIR=$NVMET_NG_DEBUG/root/lib/modules/$KVER
	NVMET_NG_VMLINUZ=$NVMET_NG_DEBUG_VMLINUZ
	NVMET_NG_MODTOP=$NVMET_NG_DEBUG_MODTOP
fi
