#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/RDMA data path over Soft-RoCE (rdma_rxe on a dummy netdev): fio 4k
# random read and write at QD32, ours and Debian's in-tree nvmet-rdma in
# the same boot, both exporting the same null_blk device.  Prints IOPS,
# bandwidth and the ratio ours / in-tree.
#
# Environment: BENCH_FIO_SECONDS (default 10 per job).  Sourced by
# guest/bench.sh.
. /vm/guest/rdma.sh

T=${BENCH_FIO_SECONDS:-10}
FOUT=/tmp/rdma-fio.txt
NQN=nqn.2026-11.io.nvmet-ng:rdma-bench
: > "$FOUT"

rdma_fio_job() {	# rdma_fio_job label dev name rw bs qd
	res=$(fio --name="$3" --filename="$2" --rw="$4" --bs="$5" \
		--iodepth="$6" --ioengine=libaio --direct=1 --time_based \
		--runtime="$T" --ramp_time=2 --numjobs=1 --minimal 2>&1 |
		tail -n 1)
	echo "$res" | awk -F';' -v l="$1" -v n="$3" '
		NF > 50 { bw = $7 + $48; iops = $8 + $49
			  printf "fio %s %s iops=%d bw_kib=%d\n", l, n, iops, bw }
		NF <= 50 { printf "fio %s %s failed: %s\n", l, n, $0 }' |
		tee -a "$FOUT"
}

rdma_target() {	# rdma_target label
	mkdir $CFS/subsystems/$NQN
	echo 1 > $CFS/subsystems/$NQN/attr_allow_any_host
	ns=$CFS/subsystems/$NQN/namespaces/1
	mkdir $ns
	echo /dev/nullb0 > $ns/device_path
	echo 1 > $ns/enable || return 1
	mkdir $CFS/ports/1
	echo rdma > $CFS/ports/1/addr_trtype
	echo ipv4 > $CFS/ports/1/addr_adrfam
	echo $RDMA_IP > $CFS/ports/1/addr_traddr
	echo 4420 > $CFS/ports/1/addr_trsvcid
	ln -s $CFS/subsystems/$NQN $CFS/ports/1/subsystems/$NQN || return 1
	nvme connect -t rdma -a $RDMA_IP -s 4420 -n $NQN -i 2 > /dev/null ||
		return 1
	dev=
	for i in 1 2 3 4 5 6 7 8 9 10; do
		for d in /sys/class/nvme/nvme*; do
			[ "$(cat $d/subsysnqn 2>/dev/null)" = $NQN ] || continue
			[ -e /dev/${d##*/}n1 ] && dev=/dev/${d##*/}n1
		done
		[ -n "$dev" ] && break
		sleep 1
	done
	[ -n "$dev" ] || return 1
	rdma_fio_job "$1" "$dev" randread-4k randread 4k 32
	rdma_fio_job "$1" "$dev" randwrite-4k randwrite 4k 32
}

# Undo whatever rdma_target got to, so a failure does not spill over.
rdma_cleanup() {
	nvme disconnect -n $NQN > /dev/null 2>&1
	rm -f $CFS/ports/1/subsystems/$NQN
	rmdir $CFS/ports/1 2>/dev/null
	ns=$CFS/subsystems/$NQN/namespaces/1
	[ -d $ns ] && echo 0 > $ns/enable && rmdir $ns
	rmdir $CFS/subsystems/$NQN 2>/dev/null
}

say() { echo "==> $*"; }
modprobe null_blk nr_devices=1 gb=4 || return 1
modprobe nvme-rdma || return 1
rdma_net_up

say "NVMe/RDMA fio over rxe, ${T}s per job: nvmet-ng on null_blk"
modprobe nvmet && modprobe nvmet-rdma || return 1
rdma_target ours || echo "ours on null_blk failed" | tee -a "$FOUT"
rdma_cleanup
rmmod nvmet_rdma nvmet

say "in-tree nvmet-rdma on null_blk"
$INTREE_LOAD nvmet && $INTREE_LOAD nvmet-rdma || return 1
rdma_target in-tree || echo "in-tree on null_blk failed" | tee -a "$FOUT"
rdma_cleanup
rmmod nvmet_rdma nvmet
rdma_net_down
rmmod null_blk

awk '
/^fio / { split($4, a, "="); split($5, b, "=")
	  iops[$2, $3] = a[2]; bw[$2, $3] = b[2] }
END {
	printf "\nNVMe/RDMA over rxe (null_blk behind both targets)\n"
	printf "%-14s %12s %12s %12s %8s\n", "job", "ours IOPS",
	       "in-tree IOPS", "ours MiB/s", "ratio"
	n = split("randread-4k randwrite-4k", order, " ")
	for (i = 1; i <= n; i++) {
		j = order[i]
		r = 0
		if (iops["in-tree", j] > 0)
			r = iops["ours", j] / iops["in-tree", j]
		printf "%-14s %12d %12d %12.1f %7.2fx\n", j, iops["ours", j],
		       iops["in-tree", j], bw["ours", j] / 1024, r
	}
}' "$FOUT"
