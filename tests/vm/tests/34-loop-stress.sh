#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Loop teardown under load, several rounds: with fio running on a file
# namespace and a null_blk one, a controller reset brings the controller
# back live; then unlinking the port deletes the host controller under
# the running fio (fio ends, the devices go) without a splat.  nvme-loop
# cannot be unloaded while a loop port is enabled; at the end every
# live-object count in debugfs is zero and the modules unload.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/loop.sh

E2E_CLEANUP="kill \$FIO 2>/dev/null; loop_cleanup"
FIO=
e2e_begin
loop_load

N=$NQN_BASE:loop-stress
IMG=/tmp/e2e-loop34.img
truncate -s 128M $IMG || fail "truncate"
null_blk_load
tgt_subsys $N 1
tgt_ns $N 1 $IMG
tgt_ns $N 2 /dev/nullb0
loop_port 1

for round in 1 2 3; do
	tgt_link 1 $N
	rmmod nvme_loop 2> /dev/null &&
		fail "nvme-loop unloaded while a loop port is enabled"
	nvme connect -t loop -n $N > /dev/null || fail "round $round: connect"
	C=$(ctrl_of $N) || fail "round $round: no controller"
	D1=$(wait_for_dev $N 1) || fail "round $round: no namespace 1"
	D2=$(wait_for_dev $N 2) || fail "round $round: no namespace 2"
	fio --name=a --filename=$D1 --rw=randrw --bs=4k --iodepth=32 \
		--ioengine=libaio --direct=1 --time_based --runtime=60 \
		--name=b --filename=$D2 --rw=randrw --bsrange=4k-256k \
		--iodepth=16 --ioengine=libaio --direct=1 --time_based \
		--runtime=60 > /dev/null 2>&1 &
	FIO=$!
	sleep 2
	nvme reset /dev/$C || fail "round $round: reset under I/O"
	wait_ctrl_state $C live 30 > /dev/null ||
		fail "round $round: $C not live after reset"
	sleep 1
	kill -0 $FIO 2> /dev/null || fail "round $round: fio died over a reset"
	rm $CFS/ports/1/subsystems/$N || fail "round $round: unlink"
	wait_ctrl_gone $N 30
	wait_dev_gone $N 1 10
	wait_dev_gone $N 2 10
	i=0
	while kill -0 $FIO 2> /dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "round $round: fio still runs, its devices gone"
		sleep 0.2
	done
	wait $FIO
	FIO=
	echo "round $round: reset and unlink under I/O done"
done

tgt_teardown || fail "teardown"
expect_no_objects
rmmod nvme_loop || fail "rmmod nvme_loop"
rmmod nvmet || fail "rmmod nvmet"
exit 0
