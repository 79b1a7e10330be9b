#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/RDMA data path over Soft-RoCE (rdma_rxe on a dummy netdev): fio 4k
# random read and write at QD32, ours and Debian's in-tree nvmet-rdma in
# the same boot, both exporting the same null_blk device.  Prints IOPS,
# bandwidth and the ratio ours / in-tree.
#
# Environment: BENCH_FIO_SECONDS (default 10 per job).  Sourced by
# guest/bench.sh.
. /vm/guest/fio-bench.sh
. /vm/guest/rdma.sh

FOUT=/tmp/rdma-fio.txt
NQN=nqn.2026-11.io.nvmet-ng:rdma-bench
: > "$FOUT"

rdma_run() {	# rdma_run label
	bf_target $NQN /dev/nullb0 rdma ipv4 $RDMA_IP 4420 || return 1
	nvme connect -t rdma -a $RDMA_IP -s 4420 -n $NQN -i 2 > /dev/null ||
		return 1
	dev=$(wait_for_dev $NQN 1 10) || return 1
	bf_job "$FOUT" "$1" "$dev" randread-4k randread 4k 32
	bf_job "$FOUT" "$1" "$dev" randwrite-4k randwrite 4k 32
}

modprobe null_blk nr_devices=1 gb=4 || return 1
modprobe nvme-rdma || return 1
rdma_net_up

echo "==> NVMe/RDMA fio over rxe, ${BF_T}s per job: nvmet-ng on null_blk"
modprobe nvmet && modprobe nvmet-rdma || return 1
rdma_run ours || echo "ours on null_blk failed" | tee -a "$FOUT"
bf_cleanup $NQN
rmmod nvmet_rdma nvmet

echo "==> in-tree nvmet-rdma on null_blk"
$INTREE_LOAD nvmet && $INTREE_LOAD nvmet-rdma || return 1
rdma_run in-tree || echo "in-tree on null_blk failed" | tee -a "$FOUT"
bf_cleanup $NQN
rmmod nvmet_rdma nvmet
rdma_net_down
rmmod null_blk

bf_report "$FOUT" "NVMe/RDMA over rxe (null_blk behind both targets)" \
	randread-4k randwrite-4k
