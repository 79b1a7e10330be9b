#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/RDMA on shared receive queues: nvmet-rdma refuses srq_size=100
# (load and sysfs write, -EINVAL); loaded with use_srq=1 srq_size=256 it
# shows both parameters, gives the rxe device its SRQs (ours says so in
# the kernel log) and attaches the queues' QPs to them, several to one
# (rdma resource show srq); fio verify runs on two CPUs at once, so over
# two I/O queues, with 4k writes in-capsule and larger ones by RDMA READ;
# after disconnect and teardown no object is left and the module unloads.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
rdma_begin
RDMA_SRQ=0

if [ "$TARGET" = intree ]; then
	intree_load nvmet || fail "insmod in-tree nvmet"
	expect_errno "Invalid" intree_load nvmet-rdma srq_size=100
else
	modprobe nvmet || fail "modprobe nvmet"
	expect_errno "Invalid" modprobe nvmet-rdma srq_size=100
	expect_errno "Invalid" modprobe nvmet-rdma srq_size=65536
fi
grep -q '^nvmet_rdma ' /proc/modules && fail "nvmet-rdma loaded with srq_size=100"

M=$(kmsg_mark 4e)
rdma_tgt_load use_srq=1 srq_size=256
P=/sys/module/nvmet_rdma/parameters
expect_file $P/use_srq Y
expect_file $P/srq_size 256
bad $P/srq_size 100 "Invalid argument"

N=$NQN_BASE:rdma-srq
IMG=/tmp/e2e-srq.img
truncate -s 128M $IMG || fail "truncate $IMG"
tgt_subsys $N 1
tgt_ns $N 1 $IMG
rdma_tgt_port 1
tgt_link 1 $N

ncpu=$(nproc)
[ "$ncpu" -ge 2 ] || skip "needs two CPUs for two I/O queues, has $ncpu"
rdma_connect $N -i 2 || fail "nvme connect"
C=$(ctrl_of $N) || fail "no controller"
D=$(wait_for_dev $N 1) || fail "no namespace"
expect_file /sys/class/nvme/$C/queue_count 3

if [ "$TARGET" != intree ]; then
	dmesg_since "$M" | grep -q "$RDMA_DEV: [0-9]* shared receive queues of 256 entries" ||
		fail "no shared receive queues of 256 entries on $RDMA_DEV in the log"
fi
rdma resource show srq dev $RDMA_DEV > /tmp/e2e-srq.txt 2>&1 ||
	fail "rdma resource show srq: $(cat /tmp/e2e-srq.txt)"
sed 's/^/  srq: /' /tmp/e2e-srq.txt
# Each of our SRQs lists the QPs on it (lqpn); a range or a list is two
# or more: admin and I/O queues share the SRQ of their vector.
grep 'nvmet_rdma' /tmp/e2e-srq.txt | grep -q 'lqpn [0-9]*[-,]' ||
	fail "no SRQ of nvmet_rdma with two or more QPs on $RDMA_DEV"

( fio_verify $D 12M --cpus_allowed=0 --offset=0 ) & f1=$!
( fio_verify $D 12M --cpus_allowed=1 --offset=64M ) & f2=$!
wait $f1 || fail "fio verify on CPU 0"
wait $f2 || fail "fio verify on CPU 1"

nvme disconnect -n $N > /dev/null || fail "nvme disconnect"
wait_ctrl_gone $N
tgt_teardown || fail "teardown"
expect_no_objects
rmmod nvmet_rdma || fail "rmmod nvmet_rdma"
exit 0
