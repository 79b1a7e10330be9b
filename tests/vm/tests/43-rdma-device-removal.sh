#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The RDMA device going away under a connected NVMe/RDMA host (rdma link
# delete of the rxe device): the target lets go of its queues and of the
# listener, the host's controller goes away, with no kernel splat; the
# configuration then tears down fully (on ours, every live-object count in
# debugfs is zero) and the target modules unload.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
rdma_begin
rdma_tgt_load

N=$NQN_BASE:rdma-devrm
IMG=/tmp/e2e-devrm.img
truncate -s 64M $IMG || fail "truncate"
tgt_subsys $N 1
tgt_ns $N 1 $IMG
rdma_tgt_port 1
tgt_link 1 $N

rdma_connect $N --reconnect-delay=1 --ctrl-loss-tmo=5 || fail "nvme connect"
C=$(ctrl_of $N) || fail "no controller"
D=$(wait_for_dev $N 1) || fail "no namespace"
dd if=/dev/zero of=$D bs=64k count=16 oflag=direct 2>/dev/null ||
	fail "write before the removal"

timeout 60 rdma link delete $RDMA_DEV || fail "rdma link delete $RDMA_DEV"
[ -e /sys/class/infiniband/$RDMA_DEV ] && fail "$RDMA_DEV still exists"
wait_ctrl_gone $N 30
wait_dev_gone $N 1 10
echo "after the removal: $C is gone"

tgt_teardown || fail "teardown"
expect_no_objects
rmmod nvmet_rdma || fail "rmmod nvmet_rdma"
rmmod nvmet || fail "rmmod nvmet"
exit 0
