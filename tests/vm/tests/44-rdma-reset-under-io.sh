#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Controller resets under I/O over NVMe/RDMA: while fio writes and then
# verifies mixed-size blocks (in-capsule, RDMA READ and RDMA WRITE all in
# flight), the host resets its controller three times, which tears every
# queue down on the target with commands outstanding and connects new
# ones; fio still verifies every block, the controller ends up live, no
# kernel splat; the configuration then tears down fully (on ours, every
# live-object count in debugfs is zero).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
rdma_begin
rdma_tgt_load

N=$NQN_BASE:rdma-reset
null_blk_load
tgt_subsys $N 1
tgt_ns $N 1 /dev/nullb0
rdma_tgt_port 1
tgt_link 1 $N

rdma_connect $N --reconnect-delay=1 --ctrl-loss-tmo=30 || fail "nvme connect"
C=$(ctrl_of $N) || fail "no controller"
D=$(wait_for_dev $N 1) || fail "no namespace"

(fio_verify $D 96M) > /tmp/e2e-fio.out 2>&1 &
FIO=$!
for i in 1 2 3; do
	sleep 2
	kill -0 $FIO 2>/dev/null || break
	echo 1 > /sys/class/nvme/$C/reset_controller ||
		fail "reset $i of $C"
	s=$(wait_ctrl_state $C live 30) || fail "$C not live after reset $i"
	echo "reset $i: $C is $s"
done
wait $FIO
rc=$?
cat /tmp/e2e-fio.out
[ $rc -eq 0 ] || fail "fio under resets: exit $rc"
expect_file /sys/class/nvme/$C/state live

tgt_teardown || fail "teardown"
expect_no_objects
exit 0
