#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# ANA failover over NVMe/TCP: one file namespace exported through two
# ports (127.0.0.1:4420 and :4421) to the host's native NVMe multipath,
# one controller per port, the NUMA I/O policy (one path at a time).
# While fio writes and verifies (crc32c) through the multipath head, ANA
# group 1 changes state on the ports: optimized on port 1 and
# non-optimized on port 2 to begin with; port 1 then goes inaccessible,
# persistent loss and change, each time back to optimized; the two ports
# swap optimized and non-optimized and back; both go inaccessible for two
# seconds (I/O waits, no path) before port 2 becomes optimized; and
# port 1 is unlinked from the subsystem and linked again.  Each time the
# I/O moves to the other path (its path disk's counters grow; the old one
# stays idle for a second) and the time from the change to the first I/O
# completed on the new path is printed ("failover: TARGET: WHAT: N ms").
# fio verifies everything it wrote and the kernel log shows no I/O error:
# no path error reached the host's user with DNR.  Then, under a second
# fio, the namespace is disabled and at once enabled again (see below).
# The figures are guest time under TCG: for comparing runs of one
# machine (TARGET=intree beside ours), not absolute.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/ana.sh
e2e_begin
tgt_load

[ "$(cat /sys/module/nvme_core/parameters/multipath)" = Y ] ||
	skip "the host has no native NVMe multipath"
N=$NQN_BASE:ana
IMG=/tmp/e2e-ana.img
truncate -s 128M $IMG || fail "truncate $IMG"
tgt_subsys $N 1
tgt_ns $N 1 $IMG
tgt_port 1 127.0.0.1 4420
tgt_port 2 127.0.0.1 4421
ana_state 1 optimized
ana_state 2 non-optimized
tgt_link 1 $N
tgt_link 2 $N

# A short reconnect delay: the relink below waits for the reconnect.
host_connect $N --reconnect-delay=1 || fail "connect through port 1"
CA=$(ctrl_of $N) || fail "no controller through port 1"
TRSVCID=4421 host_connect $N --reconnect-delay=1 ||
	fail "connect through port 2"
CB=
for c in /sys/class/nvme/nvme*; do
	[ "$(cat $c/subsysnqn 2>/dev/null)" = "$N" ] && [ ${c##*/} != $CA ] &&
		CB=${c##*/}
done
[ -n "$CB" ] || fail "no controller through port 2"
D=$(wait_for_dev $N 1) || fail "no namespace"
PA=$(ana_path $CA) || fail "no path disk under $CA"
PB=$(ana_path $CB) || fail "no path disk under $CB"
SUBSYS=$(ls -d /sys/block/${D#/dev/}/device 2>/dev/null) ||
	fail "no subsystem device for $D"
expect_file $SUBSYS/iopolicy numa
i=0
until [ "$(cat $PA/ana_state)" = optimized ] &&
      [ "$(cat $PB/ana_state)" = non-optimized ]; do
	i=$((i + 1))
	[ $i -gt 50 ] && fail "paths: ${PA##*/} $(cat $PA/ana_state), ${PB##*/} $(cat $PB/ana_state)"
	sleep 0.2
done
echo "$D: ${PA##*/} over $CA ($(cat /sys/class/nvme/$CA/address)) optimized," \
	"${PB##*/} over $CB ($(cat /sys/class/nvme/$CB/address)) non-optimized"

MARK=$(kmsg_mark "2g: fio starts")
# Small blocks at a low depth: each I/O is short, so the first one to
# complete on the new path comes soon after the host sends it there.
fio_verify_start /tmp/e2e-fio.out $D 64M 50 --bsrange=4k-16k --iodepth=4
ana_wait_io $PA $(ana_ios $PA) 20 || fail "no I/O over the optimized path"
ana_idle $PB 1 || fail "the host uses the non-optimized path"
ANA_FIGURES=

ana_switch inaccessible $PB $PA ana_state 1 inaccessible
ana_switch inaccessible-back $PA $PB ana_state 1 optimized
ana_switch persistent-loss $PB $PA ana_state 1 persistent-loss
ana_switch persistent-loss-back $PA $PB ana_state 1 optimized
# Shorter than twice ANATT (the host resets a controller whose group
# stays in change longer).
ana_switch change $PB $PA ana_state 1 change
ana_switch change-back $PA $PB ana_state 1 optimized

swap_to_b() {
	ana_state 2 optimized
	ana_state 1 non-optimized
}
swap_to_a() {
	ana_state 1 optimized
	ana_state 2 non-optimized
}
ana_switch non-optimized $PB $PA swap_to_b
ana_switch non-optimized-back $PA $PB swap_to_a

# No usable path: the head queues the I/O, and it resumes on the first
# path that becomes usable.
ana_state 1 inaccessible
ana_state 2 inaccessible
ana_idle $PA 2 || fail "I/O over ${PA##*/} with both paths inaccessible"
ana_idle $PB 0 || fail "I/O over ${PB##*/} with both paths inaccessible"
kill -0 $FIO || { cat $FIO_OUT; fail "fio ended with no usable path"; }
ana_switch no-path-then-b $PB - swap_to_b
ana_switch no-path-back $PA $PB swap_to_a

ana_switch unlink-port-1 $PB $PA rm $CFS/ports/1/subsystems/$N
s=$(cat /sys/class/nvme/$CA/state)
case $s in
resetting|connecting) ;;
*) fail "$CA is '$s' after the unlink, not reconnecting" ;;
esac
ana_switch relink-port-1 $PA $PB tgt_link 1 $N
expect_file /sys/class/nvme/$CA/state live

fio_wait 120
fio_verified /tmp/e2e-fio.out $D
ana_no_io_errors "$MARK"
echo "failover figures: $TARGET:$ANA_FIGURES (ms)"

# The namespace disabled and at once enabled again under fio: while it is
# disabled its I/O gets a path error without DNR, which the host retries
# on either path until it is back.  The host's own rescan, on the event
# the disable raises, removes a namespace it finds inactive (in-tree or
# ours alike): if that rescan ran inside the window, the head disk is a
# new one (another diskseq) and this part says so and counts nothing.
# Else fio verifies all it wrote and no I/O failed.
SEQ=$(cat /sys/block/${D#/dev/}/diskseq)
MARK=$(kmsg_mark "2g: brief disable")
fio_verify_start /tmp/e2e-fio2.out $D 16M 10 --bsrange=4k-16k --iodepth=4
ana_wait_io $PA $(ana_ios $PA) 20 || fail "no I/O before the brief disable"
sleep 1
NSEN=$CFS/subsystems/$N/namespaces/1/enable
write_attr $NSEN 0
write_attr $NSEN 1
fio_wait 60
if [ "$(cat /sys/block/${D#/dev/}/diskseq 2>/dev/null)" = "$SEQ" ]; then
	fio_verified /tmp/e2e-fio2.out $D
	ana_no_io_errors "$MARK"
	echo "brief disable: $TARGET: the host kept $D, no I/O error"
else
	echo "brief disable: $TARGET: the host's rescan ran while the namespace was disabled and removed $D (fio exit $FIO_RC); not counted"
fi

nvme disconnect -n $N > /dev/null || fail "nvme disconnect"
wait_ctrl_gone $N
exit 0
