#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The VM lane's debug kernel (KASAN, lockdep, kmemleak, debug objects):
# built from the linux source in the cache, out of tree, and cached.
#
#   scripts/debug-kernel.sh config   only configure and check the .config
#   scripts/debug-kernel.sh kernel   build it unless cached; print where
#   scripts/debug-kernel.sh modules  and our modules against it
#   scripts/debug-kernel.sh lane     and run the vm-debug lane on it
#   scripts/debug-kernel.sh bench    and run benchmarks on it (DEBUG_BENCHES,
#                                    default 50: the 1 M-PDU fuzzer run)
#
# The configuration is x86_64_defconfig + kvm_guest.config with
# scripts/debug-kernel.config merged on top; every symbol of that fragment
# must come out of olddefconfig as written, or the build stops.  The cache
# entry ($NVMET_NG_DEBUG, see scripts/env.sh) is keyed by the source
# version and the fragment, so a change to either builds a new kernel:
#   build/                      the O= tree: bzImage, and KDIR for our
#                               modules (make KDIR=.../build)
#   root/lib/modules/<release>/ modules_install output, for the initramfs
#   time.txt                    /usr/bin/time -v of the build
# Our modules are built in a copy of the checkout under
# $NVMET_NG_SCRATCH/debug-modules (scripts/line-modules.sh debug), so the
# checkout keeps the modules built for Debian's kernel.
#
# DEBUG_KERNEL_JOBS sets make -j (default: the number of CPUs).  The lane
# runs the VM tests named in DEBUG_LANE_TESTS (default 0,6,2t: load and
# reload, the isolation, deadline and fuzzer tests, which run real Linux
# hosts with fio verify beside the hostile peers, and the LIO backstores'
# 2t, whose configfs links lockdep watches).  The TCP fault run
# (70) is not in it: on the debug kernel it passed in 456 s but overran
# the harness's 1,200 s per test at a load of 20 (VM_ARGS=TEST_TIMEOUT=2400
# gives it room), and an earlier run there saw fio with no request in
# flight for about 100 s after the port relink, not seen since.  0,1,2,6 adds the
# configfs and every TCP test: 34 minutes under KASAN, more than make
# check's budget leaves.
set -euo pipefail
. "$(dirname "$0")/env.sh"

CMD=${1:-kernel}
SRC=$NVMET_NG_SRC
OUT=$NVMET_NG_DEBUG
BUILD=$NVMET_NG_DEBUG_KDIR
FRAG=$NVMET_NG_TOP/scripts/debug-kernel.config
JOBS=${DEBUG_KERNEL_JOBS:-$(nproc)}

log() { echo "debug-kernel: $*"; }
die() { echo "debug-kernel: $*" >&2; exit 1; }

# Each fragment line, "CONFIG_X=v" or "# CONFIG_X is not set", must be in
# the final .config the same way ("not set" also when the symbol vanished).
verify_config() {
	local cfg=$BUILD/.config line sym bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$cfg" || {
				sym=${line%%=*}
				log "wanted $line, got: $(grep -E "^(# )?${sym}[= ]" "$cfg" || echo "$sym absent")"
				bad=1
			} ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			if grep -qE "^$sym=" "$cfg"; then
				log "wanted $sym unset, got: $(grep -E "^$sym=" "$cfg")"
				bad=1
			fi ;;
		esac
	done < "$FRAG"
	[ $bad -eq 0 ] || die "configuration differs from $FRAG"
}

configure() {
	mkdir -p "$BUILD"
	make -s -C "$SRC" O="$BUILD" x86_64_defconfig > /dev/null
	(cd "$BUILD" && "$SRC/scripts/kconfig/merge_config.sh" -m -O "$BUILD" \
		.config "$SRC/kernel/configs/kvm_guest.config" "$FRAG" > /dev/null)
	make -s -C "$SRC" O="$BUILD" olddefconfig > /dev/null
	verify_config
}

build_kernel() {
	local release
	[ -f "$OUT/.done" ] && return 0
	[ -f "$SRC/Makefile" ] || die "no linux source at $SRC (run scripts/deps.sh)"
	log "building $NVMET_NG_DEBUG_KVER into $OUT (-j$JOBS; about 20 minutes of 2 CPUs)"
	# An interrupted build of the same key resumes where it stopped.
	rm -rf "$OUT/root"
	configure
	/usr/bin/time -v -o "$OUT/time.txt" \
		make -s -C "$SRC" O="$BUILD" -j"$JOBS" bzImage modules > "$OUT/build.log" 2>&1 ||
		{ tail -n 30 "$OUT/build.log" >&2; die "build failed, log in $OUT/build.log"; }
	release=$(cat "$BUILD/include/config/kernel.release")
	[ "$release" = "$NVMET_NG_DEBUG_KVER" ] ||
		die "release $release, env.sh expects $NVMET_NG_DEBUG_KVER"
	make -s -C "$SRC" O="$BUILD" INSTALL_MOD_PATH="$OUT/root" \
		INSTALL_MOD_STRIP=1 DEPMOD=/sbin/depmod modules_install \
		>> "$OUT/build.log" 2>&1 ||
		{ tail -n 30 "$OUT/build.log" >&2; die "modules_install failed"; }
	# The install's links back to the O= tree are not needed in the cache.
	rm -f "$OUT/root/lib/modules/$release/build" "$OUT/root/lib/modules/$release/source"
	[ -f "$NVMET_NG_DEBUG_VMLINUZ" ] || die "no $NVMET_NG_DEBUG_VMLINUZ"
	touch "$OUT/.done"
	log "built in $(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$OUT/time.txt") wall," \
	    "$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.0f", u+s}' \
	       "$OUT/time.txt")s CPU"
}

# One builder at a time per cache entry; others wait and then reuse it.
kernel() {
	mkdir -p "$OUT"
	exec 9> "$OUT/.lock"
	flock 9
	build_kernel
	flock -u 9
	log "kernel $NVMET_NG_DEBUG_KVER: $NVMET_NG_DEBUG_VMLINUZ, KDIR=$BUILD"
}

# Our modules, with the test fabric, in a copy of the checkout built
# against the debug kernel (scripts/line-modules.sh, where every line's
# modules are built).
modules() {
	"$NVMET_NG_TOP/scripts/line-modules.sh" debug
}

case $CMD in
config)	configure; log "configuration in $BUILD/.config matches $FRAG" ;;
kernel)	kernel ;;
modules) kernel; modules ;;
lane)	kernel
	modules || { echo "vm-debug: 0 passed, 1 failed, 0 skipped"; exit 1; }
	VM_KERNEL=debug VM_ARGS="tests=${DEBUG_LANE_TESTS:-0,6,2t} ${VM_ARGS:-}" \
		exec "$NVMET_NG_TOP/tests/vm/run.sh" check ;;
bench)	kernel
	modules
	VM_KERNEL=debug VM_ARGS="benches=${DEBUG_BENCHES:-50} ${VM_ARGS:-}" \
		exec "$NVMET_NG_TOP/tests/vm/run.sh" bench ;;
*)	echo "usage: $0 config|kernel|modules|lane|bench" >&2; exit 2 ;;
esac
