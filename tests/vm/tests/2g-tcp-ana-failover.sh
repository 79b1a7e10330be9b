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
# fio, the namespace is disabled and at once enabled again (see
# ana_brief_disable).  The sequence is ana_failover's
# (tests/vm/guest/ana.sh), which 3c, 4c and 5c share.  The figures are
# guest time under TCG: for comparing runs of one machine (TARGET=intree
# beside ours), not absolute.
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

# A short reconnect delay: the relink waits for the reconnect.
host_connect $N --reconnect-delay=1 || fail "connect through port 1"
CA=$(ctrl_of $N) || fail "no controller through port 1"
TRSVCID=4421 host_connect $N --reconnect-delay=1 ||
	fail "connect through port 2"
CB=$(ana_other_ctrl $N $CA) || fail "no controller through port 2"
ana_paths $N $CA $CB
ana_failover $N tcp+tcp

nvme disconnect -n $N > /dev/null || fail "nvme disconnect"
wait_ctrl_gone $N
exit 0
