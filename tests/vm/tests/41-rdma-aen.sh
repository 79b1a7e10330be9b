#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Namespace changes reach a connected NVMe/RDMA host by themselves (the
# Namespace Attribute Changed event; no rescan): a namespace enabled on
# the target appears on the host with its size and takes I/O, a disabled
# one disappears, a re-enabled one comes back, a removed one goes.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
rdma_begin
rdma_tgt_load

N=$NQN_BASE:rdma-aen
IMG1=/tmp/e2e-aen1.img
IMG2=/tmp/e2e-aen2.img
truncate -s 64M $IMG1 || fail "truncate"
truncate -s 32M $IMG2 || fail "truncate"
tgt_subsys $N 1
tgt_ns $N 1 $IMG1
rdma_tgt_port 1
tgt_link 1 $N

rdma_connect $N || fail "nvme connect"
C=$(ctrl_of $N) || fail "no controller"
D1=$(wait_for_dev $N 1) || fail "no namespace 1"
dev_of $N 2 && fail "namespace 2 exists before it is created"

tgt_ns $N 2 $IMG2
D2=$(wait_for_dev $N 2 10) || fail "new namespace 2 did not appear"
echo "namespace 2 appeared as $D2"
expect_eq "$D2 size" 33554432 "$(blockdev --getsize64 $D2)"
expect_eq "ns 2 size (id-ns)" 33554432 "$(ns_bytes $D2)"
dd if=/dev/urandom of=/tmp/e2e-blk bs=64k count=1 2>/dev/null
dd if=/tmp/e2e-blk of=$D2 bs=64k seek=3 oflag=direct conv=fsync 2>/dev/null ||
	fail "write to the new namespace"
expect_eq "data on $IMG2" "$(sha256sum < /tmp/e2e-blk)" \
	"$(dd if=$IMG2 bs=64k skip=3 count=1 2>/dev/null | sha256sum)"

write_attr $CFS/subsystems/$N/namespaces/2/enable 0
wait_dev_gone $N 2 10
write_attr $CFS/subsystems/$N/namespaces/2/enable 1
D2=$(wait_for_dev $N 2 10) || fail "re-enabled namespace 2 did not come back"

rmdir $CFS/subsystems/$N/namespaces/2 || fail "rmdir namespace 2"
wait_dev_gone $N 2 10
expect_file /sys/class/nvme/$C/state live
dd if=$D1 of=/dev/null bs=64k count=16 iflag=direct 2>/dev/null ||
	fail "read namespace 1 after the changes"
exit 0
