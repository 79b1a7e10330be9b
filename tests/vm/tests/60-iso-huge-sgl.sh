#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Isolation (a): 64 hostile associations claiming huge SGLs hold little
# memory, and a good host on the same port does not notice them.
#
# tcp-hog opens 64 associations, each to the discovery subsystem (any host
# may) and to an I/O subsystem, enables the controllers and asks for data
# it never sends: Set Features with a 512 MiB SGL, Get Log Page of 256 MiB,
# Writes claiming 1 GiB for one block, 32 MiB, 4 MiB and 1 MiB.  On ours
# every claim beyond what the command carries or beyond MDTS (1 MiB) is
# answered with an error before anything is allocated, and the 1 MiB
# Write (exactly MDTS) gets its R2T: memory held while the hog waits
# (MemAvailable before minus during) stays under 64 x (MDTS + 1 MiB for
# the association's queues) = 128 MiB.  Meanwhile a Linux host's fio
# verify on the same port passes.  The same run against Debian's in-tree
# target follows, with its figure printed beside ours (not enforced).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
command -v tcp-hog > /dev/null || skip "no tcp-hog in the VM image"
e2e_begin
HOG=
E2E_CLEANUP='[ -n "$HOG" ] && kill $HOG 2>/dev/null'
CONNS=64
BOUND_KIB=$((128 * 1024))
N=$NQN_BASE:iso

memavail() { sed -n 's/^MemAvailable: *\([0-9]*\) kB/\1/p' /proc/meminfo; }
# report LINE: on stdout and in the kernel log, so a passing run's figures
# reach the console log too (the harness shows stdout only on failure)
report() {
	echo "$*"
	echo "60-iso-huge-sgl: $*" > /dev/kmsg
}

# phase: set up, hog, measure, good host's fio, tear down; sets HELD_KIB
phase() {
	tgt_load
	null_blk_load
	tgt_setup_tcp_subsys $N 1 127.0.0.1 4420 /dev/nullb0
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
	before=$(memavail)
	# Sends nothing more under 600 MiB available: no OOM killer.
	tcp-hog -a 127.0.0.1 -p 4420 -n $CONNS -s $N -f 614400 -t 900 \
		> /tmp/e2e-hog.out 2>&1 &
	HOG=$!
	hog_ready $HOG 600
	sleep 3
	during=$(memavail)
	HELD_KIB=$((before - during))
	while read -r l; do report "$TARGET hog: $l"; done < /tmp/e2e-hog.out
	report "$TARGET: MemAvailable $before KiB before, $during KiB with $CONNS hostile associations: $HELD_KIB KiB held ($((HELD_KIB / 1024)) MiB)"
	cp /tmp/e2e-hog.out /tmp/e2e-hog.$TARGET
	[ "$TARGET" = ours ] && [ $HELD_KIB -ge $BOUND_KIB ] &&
		fail "ours: $HELD_KIB KiB held by the hostile associations, bound $BOUND_KIB KiB"

	host_connect $N --hostnqn=$HOSTNQN_A --hostid=$HOSTID_A ||
		fail "$TARGET: good host cannot connect beside the hog"
	D=$(wait_for_dev $N 1) || fail "$TARGET: no namespace for the good host"
	fio_verify $D 64M
	C=$(ctrl_of $N)
	expect_file /sys/class/nvme/$C/state live

	kill $HOG
	wait $HOG 2>/dev/null
	HOG=
	host_disconnect_all || fail "$TARGET: disconnect"
	tgt_teardown || fail "$TARGET: teardown"
	tgt_unload || fail "$TARGET: unload"
	rmmod null_blk
	sleep 2
	report "$TARGET: MemAvailable $(memavail) KiB after the hog left"
}

# hog_count KIND FIELD: that field of the hog's answer line for KIND
hog_count() {
	sed -n "s/^answer $1: .*$2=\([0-9]*\).*/\1/p" /tmp/e2e-hog.$TARGET
}

TARGET=ours
phase
OURS_KIB=$HELD_KIB
grep -q "^associations: $CONNS," /tmp/e2e-hog.ours ||
	fail "ours: the hog did not open $CONNS associations"
expect_eq "ours: Set Features 512 MiB refused (SGL Data Block Invalid, DNR, More)" \
	$CONNS "$(hog_count disc-set-features-512M 'status\[0x600f\]')"
expect_eq "ours: Get Log Page 256 MiB refused (Invalid Field, DNR, More)" \
	$CONNS "$(hog_count disc-get-log-256M 'status\[0x6002\]')"
expect_eq "ours: Write 1 GiB for one block refused" \
	$CONNS "$(hog_count io-write-1G-for-1-block 'status\[0x600f\]')"
expect_eq "ours: Write 32 MiB refused" \
	$CONNS "$(hog_count io-write-32M 'status\[0x6002\]')"
expect_eq "ours: Write 4 MiB refused" \
	$CONNS "$(hog_count io-write-4M 'status\[0x6002\]')"
expect_eq "ours: Write 1 MiB (MDTS) gets its R2T" \
	$CONNS "$(hog_count io-write-1M r2t)"

if [ -f /lib/modules/intree-target/nvmet-tcp.ko ]; then
	TARGET=intree
	phase
	report "memory held by $CONNS hostile associations: ours $((OURS_KIB / 1024)) MiB (bound $((BOUND_KIB / 1024)) MiB), in-tree $((HELD_KIB / 1024)) MiB"
fi
exit 0
