#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The RDMA device going away under a connected NVMe/RDMA host with I/O in
# flight (rdma link delete of the rxe device while fio runs, checked
# running with requests in flight at the removal): the target lets go of
# its queues and of the listener, the host's controller goes away, fio
# ends with an I/O error (it would run for minutes otherwise), with no
# kernel splat; the configuration then tears down fully (on ours, every
# live-object count in debugfs is zero) and the target modules unload.
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

# fio runs far longer than the test: at the removal it is still running
# with requests in flight; it can only end by the removal, with an error
# once the host gives the controller up (ctrl-loss-tmo 5 s).
FIO=
E2E_CLEANUP="kill \$FIO 2>/dev/null; $E2E_CLEANUP"
fio_start /tmp/e2e-fio43.out $D 600
sleep 2
fio_running "the device removal"

timeout 60 rdma link delete $RDMA_DEV || fail "rdma link delete $RDMA_DEV"
[ -e /sys/class/infiniband/$RDMA_DEV ] && fail "$RDMA_DEV still exists"
wait_ctrl_gone $N 30
wait_dev_gone $N 1 10
fio_wait 30
echo "fio after the removal: exit $FIO_RC"
fio_cut_off /tmp/e2e-fio43.out
echo "after the removal: $C is gone"

tgt_teardown || fail "teardown"
expect_no_objects
rmmod nvmet_rdma || fail "rmmod nvmet_rdma"
rmmod nvmet || fail "rmmod nvmet"
exit 0
