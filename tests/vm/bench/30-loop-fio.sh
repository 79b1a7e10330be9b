#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe loop data path: fio 4k random read and write at QD32 and 128k
# sequential read on a loop controller (2 I/O queues), ours (nvme-loop on
# nvmet-ng) and Debian's in-tree nvme-loop in the same boot, both
# exporting the same null_blk device; ours also with its null backend.
# Prints IOPS, bandwidth and the ratio ours / in-tree.
#
# Environment: BENCH_FIO_SECONDS (default 10 per job).  Sourced by
# guest/bench.sh.
. /vm/guest/fio-bench.sh

LOOP_FOUT=/tmp/loop-fio.txt
LOOP_NQN=nqn.2026-11.io.nvmet-ng:loop-bench
: > "$LOOP_FOUT"

loop_run() {	# loop_run label device_spec
	bf_target $LOOP_NQN "$2" loop || return 1
	nvme connect -t loop -n $LOOP_NQN -i 2 > /dev/null || return 1
	dev=$(wait_for_dev $LOOP_NQN 1 10) || return 1
	bf_job "$LOOP_FOUT" "$1" "$dev" randread-4k randread 4k 32
	bf_job "$LOOP_FOUT" "$1" "$dev" randwrite-4k randwrite 4k 32
	bf_job "$LOOP_FOUT" "$1" "$dev" seqread-128k read 128k 8
}

echo "==> NVMe loop fio, ${BF_T}s per job: nvmet-ng nvme-loop on null_blk"
modprobe null_blk nr_devices=1 gb=4 || return 1
modprobe nvmet && modprobe nvme-loop || return 1
loop_run ours /dev/nullb0 ||
	echo "ours on null_blk failed" | tee -a "$LOOP_FOUT"
bf_cleanup $LOOP_NQN
echo "==> nvmet-ng nvme-loop on its null backend"
modprobe nvmet-null
loop_run ours-null null:4294967296 ||
	echo "ours on null failed" | tee -a "$LOOP_FOUT"
bf_cleanup $LOOP_NQN
rmmod nvme_loop nvmet_null nvmet

echo "==> in-tree nvme-loop on null_blk"
$INTREE_LOAD nvmet && $INTREE_LOAD nvme-loop || return 1
loop_run in-tree /dev/nullb0 ||
	echo "in-tree on null_blk failed" | tee -a "$LOOP_FOUT"
bf_cleanup $LOOP_NQN
rmmod nvme_loop nvmet
rmmod null_blk

bf_report "$LOOP_FOUT" "NVMe loop (null_blk behind both targets)" \
	randread-4k randwrite-4k seqread-128k
