#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/TCP data path on 127.0.0.1: fio 4k random read and write at QD32
# and 128k sequential read, ours and Debian's in-tree nvmet-tcp in the
# same boot, both exporting the same null_blk device (the in-tree target
# has no null backend); ours also with its null backend.  Prints IOPS,
# bandwidth and the ratio ours / in-tree.
#
# Environment: BENCH_FIO_SECONDS (default 10 per job).  Sourced by
# guest/bench.sh.
. /vm/guest/fio-bench.sh

FOUT=/tmp/tcp-fio.txt
NQN=nqn.2026-11.io.nvmet-ng:bench
: > "$FOUT"

tcp_run() {	# tcp_run label device_spec
	bf_target $NQN "$2" tcp ipv4 127.0.0.1 4420 || return 1
	nvme connect -t tcp -a 127.0.0.1 -s 4420 -n $NQN -i 2 > /dev/null ||
		return 1
	dev=$(wait_for_dev $NQN 1 10) || return 1
	bf_job "$FOUT" "$1" "$dev" randread-4k randread 4k 32
	bf_job "$FOUT" "$1" "$dev" randwrite-4k randwrite 4k 32
	bf_job "$FOUT" "$1" "$dev" seqread-128k read 128k 8
}

modprobe nvme-tcp || return 1
modprobe null_blk nr_devices=1 gb=4 || return 1

echo "==> NVMe/TCP fio, ${BF_T}s per job: nvmet-ng on null_blk"
modprobe nvmet && modprobe nvmet-tcp || return 1
tcp_run ours /dev/nullb0 || echo "ours on null_blk failed" | tee -a "$FOUT"
bf_cleanup $NQN
echo "==> nvmet-ng on its null backend"
modprobe nvmet-null
tcp_run ours-null null:4294967296 ||
	echo "ours on null failed" | tee -a "$FOUT"
bf_cleanup $NQN
rmmod nvmet_tcp nvmet_null nvmet

echo "==> in-tree nvmet-tcp on null_blk"
$INTREE_LOAD nvmet && $INTREE_LOAD nvmet-tcp || return 1
tcp_run in-tree /dev/nullb0 ||
	echo "in-tree on null_blk failed" | tee -a "$FOUT"
bf_cleanup $NQN
rmmod nvmet_tcp nvmet
rmmod null_blk

bf_report "$FOUT" "NVMe/TCP on 127.0.0.1 (null_blk behind both targets)" \
	randread-4k randwrite-4k seqread-128k
