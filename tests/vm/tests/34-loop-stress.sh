#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Loop teardown under load, several rounds: with fio writing and
# verifying (crc32c) on a file namespace and a null_blk one, a controller
# reset in the middle of the run brings the controller back live and fio
# ends with every block verified and exit 0; then unlinking the port
# deletes the host controller under a running fio, which ends with an
# I/O error (it would run for minutes otherwise), and the devices go,
# without a splat.  nvme-loop
# cannot be unloaded while a loop port is enabled; at the end every
# live-object count in debugfs is zero and the modules unload.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/loop.sh

# Two fio processes, one per namespace: FIO1, FIO2 (the helpers work on
# FIO, FIO_OUT, FIO_DEV, FIO_SECTORS: use picks one).
FIO1= FIO2=
E2E_CLEANUP="kill \$FIO1 \$FIO2 2>/dev/null; loop_cleanup"
e2e_begin
loop_load
use() {
	case $1 in
	1) FIO=$FIO1 FIO_OUT=/tmp/e2e-fio34-1.out FIO_DEV=$D1 FIO_SECTORS=$S1 ;;
	2) FIO=$FIO2 FIO_OUT=/tmp/e2e-fio34-2.out FIO_DEV=$D2 FIO_SECTORS=$S2 ;;
	esac
}

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

	# A reset in the middle of a verified write run: every block
	# written before, across and after it reads back intact.
	fio_verify_open /tmp/e2e-fio34-1.out $D1 64M
	FIO1=$FIO S1=$FIO_SECTORS
	fio_verify_open /tmp/e2e-fio34-2.out $D2 64M --bsrange=4k-256k
	FIO2=$FIO S2=$FIO_SECTORS
	sleep 3
	use 1; fio_running "round $round: the reset"
	use 2; fio_running "round $round: the reset"
	nvme reset /dev/$C || fail "round $round: reset under I/O"
	wait_ctrl_state $C live 30 > /dev/null ||
		fail "round $round: $C not live after reset"
	sleep 1
	use 1; fio_running "round $round: the end of the run, after the reset"
	use 2; fio_running "round $round: the end of the run, after the reset"
	for j in 1 2; do
		use $j
		fio_stop 120
		echo "round $round: verify job $j over the reset:"
		fio_verified $FIO_OUT $FIO_DEV
	done
	FIO1= FIO2=

	# Unlinking the port under running fio: both end with an I/O error.
	fio_start /tmp/e2e-fio34-1.out $D1 600 --iodepth=32
	FIO1=$FIO
	fio_start /tmp/e2e-fio34-2.out $D2 600 --bsrange=4k-256k
	FIO2=$FIO
	sleep 2
	use 1; fio_running "round $round: the unlink"
	use 2; fio_running "round $round: the unlink"
	rm $CFS/ports/1/subsystems/$N || fail "round $round: unlink"
	wait_ctrl_gone $N 30
	wait_dev_gone $N 1 10
	wait_dev_gone $N 2 10
	for j in 1 2; do
		use $j
		fio_wait 20
		echo "round $round: job $j over the unlink: exit $FIO_RC"
		fio_cut_off $FIO_OUT
	done
	FIO1= FIO2=
	echo "round $round: reset and unlink under I/O done"
done

tgt_teardown || fail "teardown"
expect_no_objects
rmmod nvme_loop || fail "rmmod nvme_loop"
rmmod nvmet || fail "rmmod nvmet"
exit 0
