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

LOOP_T=${BENCH_FIO_SECONDS:-10}
LOOP_FOUT=/tmp/loop-fio.txt
LOOP_NQN=nqn.2026-11.io.nvmet-ng:loop-bench
: > "$LOOP_FOUT"

loop_fio_job() {	# loop_fio_job label dev name rw bs qd
	res=$(fio --name="$3" --filename="$2" --rw="$4" --bs="$5" \
		--iodepth="$6" --ioengine=libaio --direct=1 --time_based \
		--runtime="$LOOP_T" --ramp_time=2 --numjobs=1 --minimal 2>&1 |
		tail -n 1)
	# terse v3: field 7/8 read KiB/s and IOPS, 48/49 write.
	echo "$res" | awk -F';' -v l="$1" -v n="$3" '
		NF > 50 { bw = $7 + $48; iops = $8 + $49
			  printf "fio %s %s iops=%d bw_kib=%d\n", l, n, iops, bw }
		NF <= 50 { printf "fio %s %s failed: %s\n", l, n, $0 }' |
		tee -a "$LOOP_FOUT"
}

loop_bench_dev() {	# prints /dev/nvmeXn1 of LOOP_NQN once it exists
	for i in 1 2 3 4 5 6 7 8 9 10; do
		for d in /sys/class/nvme/nvme*; do
			[ "$(cat $d/subsysnqn 2>/dev/null)" = $LOOP_NQN ] || continue
			[ -e /dev/${d##*/}n1 ] && { echo /dev/${d##*/}n1; return 0; }
		done
		sleep 1
	done
	return 1
}

loop_target() {	# loop_target label device_spec
	s=$CFS/subsystems/$LOOP_NQN
	mkdir $s
	echo 1 > $s/attr_allow_any_host
	mkdir $s/namespaces/1
	case $2 in
	null:*)	echo null > $s/namespaces/1/device_backend
		echo "${2#null:}" > $s/namespaces/1/device_size ;;
	*)	echo "$2" > $s/namespaces/1/device_path ;;
	esac
	echo 1 > $s/namespaces/1/enable || return 1
	mkdir $CFS/ports/1
	echo loop > $CFS/ports/1/addr_trtype
	ln -s $s $CFS/ports/1/subsystems/$LOOP_NQN || return 1
	nvme connect -t loop -n $LOOP_NQN -i 2 > /dev/null || return 1
	dev=$(loop_bench_dev) || return 1
	loop_fio_job "$1" "$dev" randread-4k randread 4k 32
	loop_fio_job "$1" "$dev" randwrite-4k randwrite 4k 32
	loop_fio_job "$1" "$dev" seqread-128k read 128k 8
	nvme disconnect -n $LOOP_NQN > /dev/null
	rm $CFS/ports/1/subsystems/$LOOP_NQN
	rmdir $CFS/ports/1
	echo 0 > $s/namespaces/1/enable
	rmdir $s/namespaces/1 $s
}

echo "==> NVMe loop fio, ${LOOP_T}s per job: nvmet-ng nvme-loop on null_blk"
modprobe null_blk nr_devices=1 gb=4 || return 1
modprobe nvmet && modprobe nvme-loop || return 1
loop_target ours /dev/nullb0 ||
	echo "ours on null_blk failed" | tee -a "$LOOP_FOUT"
echo "==> nvmet-ng nvme-loop on its null backend"
modprobe nvmet-null
loop_target ours-null null:4294967296 ||
	echo "ours on null failed" | tee -a "$LOOP_FOUT"
rmmod nvme_loop nvmet_null nvmet

echo "==> in-tree nvme-loop on null_blk"
$INTREE_LOAD nvmet && $INTREE_LOAD nvme-loop || return 1
loop_target in-tree /dev/nullb0 ||
	echo "in-tree on null_blk failed" | tee -a "$LOOP_FOUT"
rmmod nvme_loop nvmet
rmmod null_blk

awk '
/^fio / { split($4, a, "="); split($5, b, "=")
	  iops[$2, $3] = a[2]; bw[$2, $3] = b[2] }
END {
	printf "\nNVMe loop (null_blk behind both targets)\n"
	printf "%-14s %12s %12s %12s %8s %12s\n", "job", "ours IOPS",
	       "in-tree IOPS", "ours MiB/s", "ratio", "ours-null IOPS"
	n = split("randread-4k randwrite-4k seqread-128k", order, " ")
	for (i = 1; i <= n; i++) {
		j = order[i]
		r = 0
		if (iops["in-tree", j] > 0)
			r = iops["ours", j] / iops["in-tree", j]
		printf "%-14s %12d %12d %12.1f %7.2fx %12d\n", j,
		       iops["ours", j], iops["in-tree", j],
		       bw["ours", j] / 1024, r, iops["ours-null", j]
	}
}' "$LOOP_FOUT"
