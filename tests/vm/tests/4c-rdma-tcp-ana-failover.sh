#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# ANA failover between two fabrics: one file namespace exported through
# an RDMA port (Soft-RoCE, $RDMA_IP:4420, port 1) and a TCP port
# (127.0.0.1:4421, port 2) to the host's native NVMe multipath, one
# controller over each, the NUMA I/O policy.  Under fio verify the same
# sequence as 2g (ana_failover, tests/vm/guest/ana.sh): port 1 (RDMA)
# inaccessible, persistent loss and change, each time back; the two
# swap optimized and non-optimized (the I/O moves to TCP) and back; both
# inaccessible, then TCP optimized, then RDMA again; the RDMA port
# unlinked (its controller reconnects, the I/O runs over TCP) and linked
# again (back on RDMA).  Each move is timed; fio verifies all it wrote and
# the kernel log shows no I/O error; then the namespace is disabled and
# at once enabled again under fio.  TARGET=intree runs it against
# Debian's nvmet, nvmet-rdma and nvmet-tcp.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
. /vm/guest/ana.sh
rdma_begin
rdma_tgt_load
if [ "$TARGET" = intree ]; then
	intree_load nvmet-tcp || fail "insmod in-tree nvmet-tcp"
else
	modprobe nvmet-tcp || fail "modprobe nvmet-tcp"
fi

[ "$(cat /sys/module/nvme_core/parameters/multipath)" = Y ] ||
	skip "the host has no native NVMe multipath"
N=$NQN_BASE:ana-rdma-tcp
IMG=/tmp/e2e-ana4c.img
truncate -s 128M $IMG || fail "truncate $IMG"
tgt_subsys $N 1
tgt_ns $N 1 $IMG
rdma_tgt_port 1
tgt_port 2 127.0.0.1 4421
ana_state 1 optimized
ana_state 2 non-optimized
tgt_link 1 $N
tgt_link 2 $N

rdma_connect $N --reconnect-delay=1 || fail "connect over rdma (port 1)"
CA=$(ctrl_of $N) || fail "no controller over rdma"
expect_file /sys/class/nvme/$CA/transport rdma
TRSVCID=4421 host_connect $N --reconnect-delay=1 ||
	fail "connect over tcp (port 2)"
CB=$(ana_other_ctrl $N $CA) || fail "no controller over tcp"
expect_file /sys/class/nvme/$CB/transport tcp
ana_paths $N $CA $CB
# RDMA under TCG takes longer per step than TCP: fio runs longer.
ana_failover $N rdma+tcp

nvme disconnect -n $N > /dev/null || fail "nvme disconnect"
wait_ctrl_gone $N
exit 0
