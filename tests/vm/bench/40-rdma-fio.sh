#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/RDMA data path over Soft-RoCE (rdma_rxe on a dummy netdev): fio 4k
# random read and write at QD32, ours and Debian's in-tree nvmet-rdma in
# the same boot, both exporting the same null_blk device.  Prints IOPS,
# bandwidth and the ratio ours / in-tree; then the same again with both
# loaded with use_srq=1 (shared receive queues), and each one's SRQ
# against its plain figures.
#
# Environment: BENCH_FIO_SECONDS (default 10 per job); BENCH_RDMA_SRQ=0
# leaves the use_srq=1 runs out.  Sourced by guest/bench.sh.
. /vm/guest/fio-bench.sh
. /vm/guest/rdma.sh

FOUT=/tmp/rdma-fio.txt
FOUT_SRQ=/tmp/rdma-fio-srq.txt
NQN=nqn.2026-11.io.nvmet-ng:rdma-bench
: > "$FOUT"
: > "$FOUT_SRQ"

rdma_run() {	# rdma_run label [out]
	bf_target $NQN /dev/nullb0 rdma ipv4 $RDMA_IP 4420 || return 1
	nvme connect -t rdma -a $RDMA_IP -s 4420 -n $NQN -i 2 > /dev/null ||
		return 1
	dev=$(wait_for_dev $NQN 1 10) || return 1
	bf_job "${2:-$FOUT}" "$1" "$dev" randread-4k randread 4k 32
	bf_job "${2:-$FOUT}" "$1" "$dev" randwrite-4k randwrite 4k 32
}

# rdma_pair [MODULE_PARAMS...]: ours, then in-tree, nvmet-rdma loaded
# with those parameters; the figures go to $FOUT, or $FOUT_SRQ with any
rdma_pair() {
	out=$FOUT
	[ $# -gt 0 ] && out=$FOUT_SRQ
	echo "==> NVMe/RDMA fio over rxe, ${BF_T}s per job: nvmet-ng on null_blk${*:+, $*}"
	modprobe nvmet && modprobe nvmet-rdma "$@" || return 1
	rdma_run ours "$out" || echo "ours on null_blk failed" | tee -a "$out"
	bf_cleanup $NQN
	rmmod nvmet_rdma nvmet

	echo "==> in-tree nvmet-rdma on null_blk${*:+, $*}"
	$INTREE_LOAD nvmet && $INTREE_LOAD nvmet-rdma "$@" || return 1
	rdma_run in-tree "$out" ||
		echo "in-tree on null_blk failed" | tee -a "$out"
	bf_cleanup $NQN
	rmmod nvmet_rdma nvmet
}

modprobe null_blk nr_devices=1 gb=4 || return 1
modprobe nvme-rdma || return 1
rdma_net_up

rdma_pair || return 1
[ "${BENCH_RDMA_SRQ:-1}" = 0 ] || rdma_pair use_srq=1 || return 1
rdma_net_down
rmmod null_blk

bf_report "$FOUT" "NVMe/RDMA over rxe (null_blk behind both targets)" \
	randread-4k randwrite-4k
[ "${BENCH_RDMA_SRQ:-1}" = 0 ] && return 0
bf_report "$FOUT_SRQ" "NVMe/RDMA over rxe, both with use_srq=1" \
	randread-4k randwrite-4k
# Each target's use_srq=1 IOPS against its own plain IOPS.
awk '/^fio / { split($4, a, "=")
	       if (FILENAME ~ /srq/) srq[$2 " " $3] = a[2]
	       else plain[$2 " " $3] = a[2] }
     END { printf "\n%-24s %12s %12s %8s\n", "target job", "plain IOPS",
	          "srq IOPS", "srq/plain"
	   for (k in plain)
		if (plain[k] > 0)
			printf "%-24s %12d %12d %7.2fx\n", k, plain[k],
			       srq[k], srq[k] / plain[k] }' "$FOUT" "$FOUT_SRQ"
