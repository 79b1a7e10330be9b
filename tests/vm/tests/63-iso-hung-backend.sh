#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Isolation (c): a backend that hangs on subsystem A must not hurt
# subsystem B's host nor the configuration of the rest of the tree.
#
# A's namespace is a block device on a dm-linear device (over null_blk)
# that is suspended (dmsetup suspend) with host I/O queued on it: direct
# reads and writes (bios held by dm) and Write Zeroes commands (which ours
# runs in a work item of A's namespace, waiting for the device).  B's
# namespace is a file; B's Linux host (nvme-tcp, keep-alive 5 s) runs fio
# with verify, in rounds, for ISO_PERIOD seconds (default 60; for the
# issue's 5 minutes: VM_ARGS="tests=63 ISO_PERIOD=300 TEST_TIMEOUT=900").
# Throughout, B's controller must stay live with the same controller ID
# and no error recovery in dmesg; every fio round must verify clean.
#
# While A's I/O is stuck: rmdir of A's (enabled) namespace returns in
# under 1 s, and mkdir/rmdir of a subsystem, a namespace and a port
# elsewhere in the tree each complete in under 1 s.  Then A is resumed:
# the stuck commands complete, the namespace's drain finishes (ours: the
# debugfs namespace count drops to B's one within 30 s) and after the
# teardown no object is left.
#
# The in-tree target (VM_ARGS="TARGET=intree tests=63") runs the same
# steps; its rmdir waits for A's I/O under configfs' su_mutex, so there
# the configuration checks fail (each blocked command is reported and
# released by the resume).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
command -v dmsetup > /dev/null || skip "no dmsetup in the VM image"
PERIOD=${ISO_PERIOD:-60}
# A configuration step may take LIMIT_MS over the baseline: on the
# debug kernel (lockdep, KASAN, kmemleak: every fork and configfs call
# several times slower) 3000 ms; both stay below the 5 s that tells a
# blocked step (in-tree's) from a slow one.
LIMIT_MS=1000
[ -e /sys/kernel/debug/kmemleak ] && LIMIT_MS=3000
DM=e2e-isoA
export DM_DISABLE_UDEV=1
e2e_begin
# This test's part of the kernel log starts here.
MARK=$(kmsg_mark "63 start")
BG=
IOTMO=
E2E_CLEANUP='dmsetup resume $DM 2>/dev/null; for p in $BG; do kill $p 2>/dev/null; done; wait;
	host_disconnect_all; tgt_teardown; dmsetup remove $DM 2>/dev/null;
	[ -n "$IOTMO" ] && echo $IOTMO > /sys/module/nvme_core/parameters/io_timeout'
modprobe dm-mod 2>/dev/null
tgt_load
null_blk_load

now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
# note TEXT: say it here and in the kernel log (the console keeps the
# figures of a passing run)
note() {
	echo "$*"
	echo "iso-63: $*" > /dev/kmsg 2>/dev/null
}

NA=$NQN_BASE:iso-a
NB=$NQN_BASE:iso-b
NC=$NQN_BASE:iso-c
sectors=$(cat /sys/block/nullb0/size)
echo "0 $sectors linear /dev/nullb0 0" |
	dmsetup create --noudevsync $DM || fail "dmsetup create"
dmsetup mknodes $DM 2> /dev/null
[ -b /dev/mapper/$DM ] || fail "no /dev/mapper/$DM"
truncate -s 128M /tmp/e2e-iso-b.img || fail "truncate"
tgt_setup_tcp_subsys $NA 1 127.0.0.1 4420 /dev/mapper/$DM
tgt_setup_tcp_subsys $NB 1 127.0.0.1 4420 /tmp/e2e-iso-b.img

# A's host must wait for its stuck I/O, not time it out and reset (that
# is A's business, and would muddy the check); set before connecting.
IOTMO=$(cat /sys/module/nvme_core/parameters/io_timeout)
echo 3600 > /sys/module/nvme_core/parameters/io_timeout ||
	fail "nvme_core io_timeout"
host_connect $NA --keep-alive-tmo=5 > /dev/null || fail "connect A"
host_connect $NB --keep-alive-tmo=5 > /dev/null || fail "connect B"
DA=$(wait_for_dev $NA 1) || fail "no namespace of A"
DB=$(wait_for_dev $NB 1) || fail "no namespace of B"
CB=$(ctrl_of $NB) || fail "no controller of B"
CNTLID=$(cat /sys/class/nvme/$CB/cntlid)
expect_file /sys/class/nvme/$CB/kato 5
note "target $TARGET; A: $DA on /dev/mapper/$DM; B: $DB, controller $CB (cntlid $CNTLID); period $PERIOD s"

# B's load: fio verify rounds until the period ends; the status of the
# first failing round (or 0) goes to a file.
rm -f /tmp/e2e-iso-fio.rc
(
	end=$(( $(date +%s) + PERIOD ))
	n=0
	while [ "$(date +%s)" -lt $end ]; do
		n=$((n + 1))
		echo "fio round $n on B"
		( fio_verify $DB 32M ) || { echo 1 > /tmp/e2e-iso-fio.rc; exit; }
	done
	echo "$n rounds" > /tmp/e2e-iso-fio.rounds
	echo 0 > /tmp/e2e-iso-fio.rc
) > /tmp/e2e-iso-fio.log 2>&1 &
FIO=$!
BG="$BG $FIO"
T0=$(date +%s)

# Hang A: suspend the device, then queue host I/O on it.
dmsetup suspend $DM || fail "dmsetup suspend"
STUCK=
for i in 1 2 3 4; do
	dd if=$DA of=/dev/null bs=4k count=1 skip=$((i * 8)) iflag=direct \
		2> /dev/null &
	STUCK="$STUCK $!"
	dd if=/dev/zero of=$DA bs=4k count=1 seek=$((1000 + i * 8)) \
		oflag=direct 2> /dev/null &
	STUCK="$STUCK $!"
	nvme write-zeroes $DA --start-block=$((4096 + i * 64)) \
		--block-count=7 > /dev/null 2>&1 &
	STUCK="$STUCK $!"
done
BG="$BG $STUCK"
sleep 3
nstuck=0
for p in $STUCK; do
	kill -0 $p 2>/dev/null && nstuck=$((nstuck + 1))
done
note "A: $nstuck of 12 commands stuck on the suspended device"
[ $nstuck -ge 8 ] || fail "A's I/O did not hang ($nstuck of 12 still waiting)"

# timed NAME CMD...: run CMD in the background; its time in ms, or
# "blocked" if it has not returned after 5 s (it is left to finish when
# A resumes).  Sets T_MS (ms, or 99999 if blocked).  The limit applies to
# the time less BASE_MS, what starting and timing `true` the same way
# costs on this (emulated, loaded) machine.
FAILS=
CHECKED=
BASE_MS=0
timed() {
	what=$1
	shift
	t0=$(now_ms)
	"$@" > /tmp/e2e-iso-timed.out 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		if [ $(( $(now_ms) - t0 )) -gt 5000 ]; then
			note "  $what: still blocked after 5 s"
			BG="$BG $pid"
			T_MS=99999
			FAILS="$FAILS; $what blocked"
			return
		fi
		sleep 0.05
	done
	wait $pid || FAILS="$FAILS; $what failed: $(cat /tmp/e2e-iso-timed.out)"
	T_MS=$(( $(now_ms) - t0 ))
	note "  $what: $T_MS ms ($((T_MS - BASE_MS)) ms over the baseline)"
	[ -z "$CHECKED" ] || [ $((T_MS - BASE_MS)) -lt $LIMIT_MS ] ||
		FAILS="$FAILS; $what took $T_MS ms (baseline $BASE_MS, limit $LIMIT_MS)"
}

# The baseline is the median of five runs of `true`: one sample swung
# from 270 ms to 2020 ms on a loaded debug kernel.  It is not checked
# against the limit itself.
base=
for i in 1 2 3 4 5; do
	timed "baseline (true) $i" true
	base="$base $T_MS"
done
BASE_MS=$(echo $base | tr ' ' '\n' | sort -n | sed -n 3p)
note "  baseline: $BASE_MS ms (median of$base)"
CHECKED=1
echo "configuration while A's I/O is stuck:"
timed "rmdir A's enabled namespace" rmdir $CFS/subsystems/$NA/namespaces/1
timed "mkdir subsystem C" mkdir $CFS/subsystems/$NC
timed "mkdir C's namespace 1" mkdir $CFS/subsystems/$NC/namespaces/1
timed "rmdir C's namespace 1" rmdir $CFS/subsystems/$NC/namespaces/1
timed "rmdir subsystem C" rmdir $CFS/subsystems/$NC
timed "mkdir port 9" mkdir $CFS/ports/9
timed "rmdir port 9" rmdir $CFS/ports/9

# B for the rest of the period: live, same controller, no recovery.
samples=0
while kill -0 $FIO 2>/dev/null; do
	s=$(cat /sys/class/nvme/$CB/state 2>/dev/null || echo gone)
	[ "$s" = live ] ||
		fail "B's controller $CB is '$s' after $(( $(date +%s) - T0 )) s"
	expect_file /sys/class/nvme/$CB/cntlid $CNTLID
	samples=$((samples + 1))
	[ $(( $(date +%s) - T0 )) -gt $((PERIOD + 240)) ] &&
		fail "fio on B still running $((PERIOD + 240)) s after the start"
	sleep 1
done
wait $FIO
sed 's/^/  /' /tmp/e2e-iso-fio.log | grep -v '^  fio round'
expect_eq "fio verify rounds on B" 0 "$(cat /tmp/e2e-iso-fio.rc 2>/dev/null)"
note "B: live in $samples samples over $(( $(date +%s) - T0 )) s, $(cat /tmp/e2e-iso-fio.rounds) of fio verify"
dmesg_since "$MARK" | grep -E "$CB: .*(error recovery|[Rr]econnect|[Rr]esetting|timeout)" &&
	fail "B's controller went through error recovery"
nvme list-subsys 2>/dev/null | grep -A3 "$NB" | grep -q "$CB .*live" ||
	fail "nvme list-subsys does not show $CB live: $(nvme list-subsys 2>&1)"
for p in $STUCK; do
	kill -0 $p 2>/dev/null && continue
	echo "(a command on A ended while the device was suspended)"
	break
done

# Resume A: its commands complete, its namespace's drain finishes.
dmsetup resume $DM || fail "dmsetup resume"
end=$(( $(date +%s) + 30 ))
for p in $STUCK; do
	while kill -0 $p 2>/dev/null; do
		[ "$(date +%s)" -ge $end ] &&
			fail "A's commands still waiting 30 s after the resume"
		sleep 0.2
	done
done
note "A: stuck commands done after the resume"
if [ "$TARGET" != intree ]; then
	OBJ=/sys/kernel/debug/nvmet-ng/objects
	end=$(( $(date +%s) + 30 ))
	while [ "$(sed -n 's/^namespaces //p' $OBJ)" != 1 ]; do
		[ "$(date +%s)" -ge $end ] &&
			fail "A's namespace not released 30 s after the resume: $(cat $OBJ)"
		sleep 0.2
	done
	note "A: namespace drained and released"
fi
# Whatever blocked (in-tree) has returned by now.
wait

[ -z "$FAILS" ] || fail "configuration while A was stuck:${FAILS#;}"
host_disconnect_all || fail "disconnect"
tgt_teardown || fail "teardown"
dmsetup remove $DM || fail "dmsetup remove"
expect_no_objects
exit 0
