#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Controller resets under I/O over NVMe/RDMA: while fio writes
# mixed-size blocks for 60 s and verifies each batch as it goes
# (in-capsule, RDMA READ and RDMA WRITE all in flight), the host resets
# its controller three times, which tears every queue down on the target
# with commands outstanding and connects new ones; fio, checked running
# at each reset, still verifies every block and exits 0, the controller
# ends up live, no kernel splat; the configuration then tears down fully
# (on ours, every live-object count in debugfs is zero).
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

# fio runs for a fixed time, longer than the three resets take, so each
# reset lands in the middle of I/O: fio is checked running before and
# after every one.
FIO=
E2E_CLEANUP="kill \$FIO 2>/dev/null; $E2E_CLEANUP"
fio_verify_open /tmp/e2e-fio.out $D 96M
for i in 1 2 3; do
	sleep 2
	fio_running "reset $i"
	echo 1 > /sys/class/nvme/$C/reset_controller ||
		fail "reset $i of $C"
	s=$(wait_ctrl_state $C live 30) || fail "$C not live after reset $i"
	echo "reset $i: $C is $s"
done
sleep 1
fio_running "the end of the run, after the resets"
fio_stop 180
fio_verified /tmp/e2e-fio.out $D
expect_file /sys/class/nvme/$C/state live

tgt_teardown || fail "teardown"
expect_no_objects
exit 0
