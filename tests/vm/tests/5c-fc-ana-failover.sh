#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# ANA failover over NVMe/FC: one file namespace exported through two FC
# target ports (fcloop pairs 1 and 2, nvmet ports 1 and 2) to one host
# with a local port on each, the host's native NVMe multipath on the
# NUMA I/O policy.  Under fio verify the same sequence as 2g
# (ana_failover, tests/vm/guest/ana.sh): port 1 inaccessible, persistent
# loss and change, each time back; the two ports swap optimized and
# non-optimized and back; both inaccessible, then port 2 optimized, then
# port 1 again; port 1 unlinked (its controller reconnects, the I/O runs
# over port 2) and linked again.  Each move is timed; fio verifies all it
# wrote and the kernel log shows no I/O error; then the namespace is
# disabled and at once enabled again under fio.  TARGET=intree runs it
# against Debian's nvmet, nvmet-fc and nvme-fcloop.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/fc.sh
. /vm/guest/ana.sh
fc_begin

[ "$(cat /sys/module/nvme_core/parameters/multipath)" = Y ] ||
	skip "the host has no native NVMe multipath"
N=$NQN_BASE:ana-fc
IMG=/tmp/e2e-ana5c.img
truncate -s 128M $IMG || fail "truncate $IMG"
fc_add_pair 1
fc_add_pair 2
tgt_subsys $N 1
tgt_ns $N 1 $IMG
fc_port 1 "$(fc_traddr tgt 1)"
fc_port 2 "$(fc_traddr tgt 2)"
ana_state 1 optimized
ana_state 2 non-optimized
tgt_link 1 $N
tgt_link 2 $N

fc_connect $N 1 --reconnect-delay=1 || fail "connect through pair 1"
CA=$(ctrl_of $N) || fail "no controller through pair 1"
fc_wait_live $CA
fc_connect $N 2 --reconnect-delay=1 || fail "connect through pair 2"
CB=$(ana_other_ctrl $N $CA) || fail "no controller through pair 2"
fc_wait_live $CB
ana_paths $N $CA $CB
ana_failover $N fc+fc

nvme disconnect -n $N > /dev/null || fail "nvme disconnect"
wait_ctrl_gone $N
exit 0
