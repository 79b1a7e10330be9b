#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot a Debian kernel (6.12 unless NVMET_NG_KERNEL says otherwise) under
# QEMU (TCG) with our initramfs and run one mode in the guest:
#   check   the VM tests (tests/vm/tests/); ends with
#           "vm: N passed, N failed, N skipped"
#   demo    what make run shows
#   bench   the benchmarks (tests/vm/bench/)
# The guest writes its output to its second serial port, which is this
# script's stdout; the kernel console goes to results/vm-<mode>.console.
# A guest that does not finish within VM_TIMEOUT seconds is killed and
# reported with the tail of its console.
#
# Extra guest settings: VM_ARGS="name=value ..." become environment
# variables of the guest's mode script (nvmet_ng.name=value on the kernel
# command line).  For check: tests=2,13 runs only the tests whose names
# start with 2 or 13; TARGET=intree runs the NVMe/TCP tests (2*), and
# those of the other fabrics whose helpers load the in-tree side (the
# RDMA, FC and loop ANA failover tests 4c, 5c, 3c among them), against
# Debian's in-tree target instead of ours.
#
# NVMET_NG_KERNEL=6.1|newest boots that line's Debian kernel instead
# (scripts/kernels.sh fetches it), with its own modules as the host side
# and ours built for it (NVMET_NG_MODTOP, by default the copy that
# "scripts/line-modules.sh LINE" builds; scripts/vm-line.sh does both);
# the result line then says vm-6.1 or vm-newest.
#
# On a line whose own host source has a known bug that splats in the
# host, the harness is told to allow exactly that splat (known_splats,
# see tests/vm/guest/harness.sh; known_host_splats below decides): today
# only 6.1's nvme-fc, which warns in blk_mq_release() as an FC host
# controller goes.
#
# Second boot (check only): the guest has a disk, /dev/vda, which its
# init formats (ext4) and mounts on /shared; a test that needs state to
# outlive a reboot keeps it there and calls second_boot
# (tests/vm/guest/lib.sh).  When the first boot asked for one, this script
# boots the guest once more with the same disk, not formatted again, and
# nvmet_ng.boot=2 nvmet_ng.tests=<those tests>: they run again, with
# $boot set to 2, and check what the first boot left.  The second boot's
# KTAP follows the first's in the output; each boot's tests and
# dmesg-after-last-test count, so such a test counts once per boot.  The
# disk is $NVMET_NG_SCRATCH/vm/shared.img, made afresh for each run.
#
# VM_KERNEL=debug boots the debug kernel of scripts/debug-kernel.sh (KASAN,
# lockdep, kmemleak) with its modules and ours built against it (run it
# through "scripts/debug-kernel.sh lane", which builds both); its result
# line says vm-debug.  The guest then gets more memory (VM_MEM, for KASAN's
# shadow and kmemleak) and longer time-outs, and the harness fails a test
# on any KASAN, lockdep or kmemleak report.
set -euo pipefail
. "$(dirname "$0")/../../scripts/env.sh"

MODE=${1:-check}
LANE=vm			# name of the result line
INITRD=$NVMET_NG_SCRATCH/vm/initramfs.cpio.gz
if [ "$NVMET_NG_KERNEL" != 6.12 ]; then
	LANE=vm-$NVMET_NG_KERNEL
	INITRD=$NVMET_NG_SCRATCH/vm/initramfs-$NVMET_NG_KERNEL.cpio.gz
	[ -z "${VM_KERNEL:-}" ] ||
		{ echo "VM_KERNEL=$VM_KERNEL is built from 6.12, not $NVMET_NG_KERNEL" >&2; exit 2; }
	[ -f "$NVMET_NG_VMLINUZ" ] && [ -d "$NVMET_NG_MODDIR/kernel" ] ||
		{ echo "$LANE: no Debian kernel $KVER; run scripts/kernels.sh $NVMET_NG_KERNEL"; exit 1; }
	[ -n "$(find "$NVMET_NG_MODTOP" -name nvmet.ko 2>/dev/null)" ] ||
		{ echo "$LANE: no nvmet.ko in $NVMET_NG_MODTOP; run scripts/line-modules.sh $NVMET_NG_KERNEL"; exit 1; }
fi
SLOW=1			# time-out factor
MEM=${VM_MEM:-2G}
append="console=ttyS0 panic=-1 rdinit=/init log_buf_len=8M nvmet_ng.mode=$MODE"
# no5lvl: with QEMU's -cpu max the kernel picks 5-level paging, and an
# interrupt taken early in the boot then faults: on the debug kernel,
# KASAN wild-memory-access reports on the direct map from an interrupt in
# arch_cpu_finalize_init() (seen under load, where TCG is slow enough for
# the timer to fire there); on 7.3 in CI, a fatal exception in interrupt
# context in sched_clock_cpu() 2 s into the boot, with LA57 set in CR4.
# Every lane boots with 4-level paging, as most real machines do.
append="$append no5lvl"
# The other lines' lanes come last in make check, often beside other
# work: on this two-core machine at a load of 15, 21-tcp-connect-io took
# 286-306 s of the harness's 300 and the whole subset 836 s of 900.
if [ "$LANE" != vm ]; then
	SLOW=2
	append="$append nvmet_ng.TEST_TIMEOUT=600"
fi
case ${VM_KERNEL:-} in
"")	;;
debug)	LANE=vm-debug SLOW=4 MEM=${VM_MEM:-3G}
	INITRD=$NVMET_NG_SCRATCH/vm/initramfs-debug.cpio.gz
	append="$append kasan_multi_shot nvmet_ng.TEST_TIMEOUT=1200"
	[ -f "$NVMET_NG_VMLINUZ" ] ||
		{ echo "$LANE: no debug kernel; run scripts/debug-kernel.sh"; exit 1; } ;;
*)	echo "VM_KERNEL=$VM_KERNEL: only debug" >&2; exit 2 ;;
esac
case $MODE in
# check: the whole 6.12 lane (LANE vm) took 603 s on a loaded machine
# before stop 20, and 900 s (killed in test 80, its last) beside a
# debug-kernel run once it grew tests 18 and 2a; stop 21 added the
# DH-HMAC-CHAP tests of every fabric (2b 199 s, 3a, 4a, 5a about 40 s
# each on a loaded machine): its watchdog was 1800 s.  Session 31's cold
# rehearsal took 1623 s of it beside other VMs, before 4f and 4g (about
# 85 s) joined: 2400 s now.  Each test has its own TEST_TIMEOUT, so this
# only stops a guest that hangs outside the tests.
check)	TIMEOUT=${VM_TIMEOUT:-$((900 * SLOW))}
	[ "$LANE" = vm ] && TIMEOUT=${VM_TIMEOUT:-2400} ;;
demo)	TIMEOUT=${VM_TIMEOUT:-$((300 * SLOW))} ;;
# Every benchmark in one boot: the fio matrix (27) alone is 40 to 70
# minutes of it, so the whole run gets four hours.
bench)	TIMEOUT=${VM_TIMEOUT:-$((14400 * SLOW))} ;;
*)	echo "usage: $0 check|demo|bench" >&2; exit 2 ;;
esac

RESULTS=$NVMET_NG_TOP/results
CONSOLE=$RESULTS/$LANE-$MODE.console
OUT=$RESULTS/$LANE-$MODE.out
mkdir -p "$RESULTS"

# The bench image has perf too (bench 27's profile round), the others
# not: 8M less for every boot of make check.
if [ "$MODE" = bench ]; then
	INITRD=${INITRD%.cpio.gz}-bench.cpio.gz
	export NVMET_NG_IMAGE_PERF=1
fi
"$(dirname "$0")/mkinitramfs.sh" "$INITRD"

# calls FILE FUNC CALL: the definition of FUNC in FILE (from its name at
# the start of a line, optionally after "static TYPE", to the first "}"
# at the start of a line) calls CALL
calls() {
	awk -v f="$2" -v c="$3(" '
	!body && $0 ~ "^(static [a-z_ ]+ )?" f "\\(" && $0 !~ /;$/ { body = 1 }
	body && index($0, c) { found = 1 }
	body && /^}/ { body = 0 }
	END { exit !found }' "$1"
}

# known_host_splats: the known_splats names for the booted kernel, each
# decided from the kernel's own source, so that each goes by itself once
# Debian ships the fix.  nvme-fc-6.1-admin-q: 6.1's nvme_free_ctrl() puts
# the admin queue (the backport of upstream 03b3bcd319b3) while
# nvme_fc_ctrl_free(), which runs after it, still destroys it (6.1 lacks
# upstream ea3442efabd0, which moved that to nvme_fc_delete_ctrl()).
known_host_splats() {
	local h=$NVMET_NG_HOST_SRC
	[ "$NVMET_NG_KERNEL" = 6.1 ] && [ -z "${VM_KERNEL:-}" ] || return 0
	[ -f "$h/core.c" ] && [ -f "$h/fc.c" ] || return 0
	if calls "$h/core.c" nvme_free_ctrl blk_put_queue &&
	   calls "$h/fc.c" nvme_fc_ctrl_free nvme_remove_admin_tag_set; then
		echo nvme-fc-6.1-admin-q
	fi
}
known=$(known_host_splats | paste -sd,)
if [ "$MODE" = check ] && [ -n "$known" ]; then
	echo "$LANE: allowing the known host splats $known (tests/vm/guest/harness.sh)"
	append="$append nvmet_ng.known_splats=$known"
fi

for kv in ${VM_ARGS:-}; do
	append="$append nvmet_ng.$kv"
done
[ "$MODE" = check ] || append="$append quiet loglevel=3"

# VM_ICOUNT=1: guest time counts instructions (-icount shift=3,sleep=off),
# so a benchmark's times and rates measure work, repeatable within about
# 1 %, where wall-clock figures under TCG swing by 15 %: for ratios of
# ours against in-tree in the same boot.  Idle guest time then passes at
# once, and TCG runs one vCPU thread.
# The guest's scripts see it as icount=1.
icount=()
if [ "${VM_ICOUNT:-0}" = 1 ]; then
	icount=(-icount shift=3,sleep=off)
	append="$append nvmet_ng.icount=1"
fi

# The disk of a second boot (above), for check only.
disk=()
if [ "$MODE" = check ]; then
	SHARED=$NVMET_NG_SCRATCH/vm/shared.img
	mkdir -p "$(dirname "$SHARED")"
	rm -f "$SHARED"
	truncate -s 256M "$SHARED"
	disk=(-drive "file=$SHARED,format=raw,if=virtio")
	# QEMU's emulated NVMe controller with a 64 MiB disk, for the
	# passthru test (2z); unbound until a test loads the nvme driver.
	PTIMG=$NVMET_NG_SCRATCH/vm/passthru.img
	rm -f "$PTIMG"
	truncate -s 64M "$PTIMG"
	disk+=(-drive "file=$PTIMG,format=raw,if=none,id=ptdisk"
	       -device "nvme,serial=nvmetngpt01,drive=ptdisk")
	# A second one, serial nvmetngpi64: 131072 blocks of 512 bytes, each with 16
	# bytes of metadata (QEMU keeps it after the data), all PI type 1 with the
	# 64-bit guard (pif=2): the guest's host driver gives it the NVMe
	# CRC64 integrity profile, for the 64-bit guard PI test (2w6).
	PI64IMG=$NVMET_NG_SCRATCH/vm/pi64.img
	rm -f "$PI64IMG"
	truncate -s 69206016 "$PI64IMG"
	disk+=(-drive "file=$PI64IMG,format=raw,if=none,id=pi64disk"
	       -device "nvme,id=pi64ctrl,serial=nvmetngpi64"
	       -device "nvme-ns,bus=pi64ctrl,drive=pi64disk,nsid=1,ms=16,pi=1,pif=2")
fi

# boot [APPEND [TEE_OPTION]]: one run of the guest, with APPEND added to
# its command line; its exit status in $status
boot() {
	set +e
	timeout -k 10 "$TIMEOUT" qemu-system-x86_64 \
		-machine q35 -accel tcg -cpu max -smp 2 -m "$MEM" "${icount[@]}" \
		-device virtio-rng-pci "${disk[@]}" \
		-display none -monitor none -no-reboot \
		-kernel "$NVMET_NG_VMLINUZ" -initrd "$INITRD" \
		-append "$append${1:-}" \
		-serial "file:$CONSOLE" -serial stdio < /dev/null |
		tr -d '\r' | tee ${2:-} "$OUT"
	status=${PIPESTATUS[0]}
	set -e
}

# A kernel that panics while it boots, before the guest's init has run
# anything of ours (no KTAP plan, no demo or bench output on the second
# port), is not a result of the code under test (see no5lvl above: the
# same 7.3 kernel then booted and passed).  Such a boot is retried once,
# and says so; the first console is kept as $CONSOLE.boot1.
start=$(date +%s)
boot
if [ "$status" -ne 124 ] && [ "$status" -ne 137 ] && [ ! -s "$OUT" ] &&
   grep -q 'Kernel panic' "$CONSOLE"; then
	echo "$LANE: the guest kernel panicked while booting, before our init ran; booting once more"
	{ grep -m 1 -B 2 -A 6 -E 'Oops|BUG:|RIP:|Kernel panic' "$CONSOLE" ||
	  true; } | sed 's/^/    /'
	mv "$CONSOLE" "$CONSOLE.boot1"
	boot
fi
boots=1
again=$(sed -n 's/^nvmet-ng-vm: reboot tests=\([0-9A-Za-z_,.-]*\)$/\1/p' "$OUT" |
	head -n 1)
if [ -n "$again" ] && grep -q '^nvmet-ng-vm: done' "$OUT"; then
	echo "$LANE: second boot for $again"
	mv "$CONSOLE" "$CONSOLE.first"
	boot " nvmet_ng.boot=2 nvmet_ng.tests=$again" -a
	boots=2
fi
elapsed=$(( $(date +%s) - start ))

finished=0
[ "$(grep -c '^nvmet-ng-vm: done' "$OUT")" -eq $boots ] && finished=1
if [ $finished -eq 0 ]; then
	if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
		echo "$LANE: guest killed after ${TIMEOUT}s"
	else
		echo "$LANE: guest stopped before finishing (qemu exit $status)"
	fi
	echo "$LANE: last lines of the console ($CONSOLE):"
	tail -n 40 "$CONSOLE" | sed 's/^/    /'
fi
echo "$LANE: $MODE took ${elapsed}s"

# The fio matrix (bench 27): its table and plot under results/.
if [ "$MODE" = bench ] && grep -q '^matrix-clock ' "$OUT"; then
	"$(dirname "$0")/matrix-report.sh" "$OUT" ||
		echo "$LANE: no fio matrix report"
fi
# Its profile round (BENCH_MATRIX_PROFILE=1): results/profile-*.
if [ "$MODE" = bench ] && grep -q '^profile ' "$OUT"; then
	"$(dirname "$0")/profile-report.sh" "$OUT" ||
		echo "$LANE: no profile report"
fi

[ "$MODE" = check ] || exit $(( finished ? 0 : 1 ))

# KTAP: tests that never reported (the guest died) count as failed.
planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$OUT" |
	awk '{ n += $1 } END { if (NR) print n }')
skipped=$(grep -cE '^ok [0-9]+ .*# SKIP' "$OUT" || true)
passed=$(( $(grep -cE '^ok [0-9]+ ' "$OUT" || true) - skipped ))
failed=$(grep -cE '^not ok [0-9]+ ' "$OUT" || true)
missing=$(( ${planned:-1} - passed - skipped - failed ))
[ $missing -gt 0 ] && failed=$((failed + missing))
echo "$LANE: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ] && [ $finished -eq 1 ]
