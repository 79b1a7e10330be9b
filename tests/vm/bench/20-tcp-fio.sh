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

T=${BENCH_FIO_SECONDS:-10}
FOUT=/tmp/tcp-fio.txt
NQN=nqn.2026-11.io.nvmet-ng:bench
: > "$FOUT"

fio_job() {	# fio_job label dev name rw bs qd
	res=$(fio --name="$3" --filename="$2" --rw="$4" --bs="$5" \
		--iodepth="$6" --ioengine=libaio --direct=1 --time_based \
		--runtime="$T" --ramp_time=2 --numjobs=1 --minimal 2>&1 |
		tail -n 1)
	# terse v3: field 7/8 read KiB/s and IOPS, 48/49 write.
	echo "$res" | awk -F';' -v l="$1" -v n="$3" '
		NF > 50 { bw = $7 + $48; iops = $8 + $49
			  printf "fio %s %s iops=%d bw_kib=%d\n", l, n, iops, bw }
		NF <= 50 { printf "fio %s %s failed: %s\n", l, n, $0 }' |
		tee -a "$FOUT"
}

tcp_target() {	# tcp_target label device_spec
	mkdir $CFS/subsystems/$NQN
	echo 1 > $CFS/subsystems/$NQN/attr_allow_any_host
	ns=$CFS/subsystems/$NQN/namespaces/1
	mkdir $ns
	case $2 in
	null:*)	echo null > $ns/device_backend
		echo "${2#null:}" > $ns/device_size ;;
	*)	echo "$2" > $ns/device_path ;;
	esac
	echo 1 > $ns/enable || return 1
	mkdir $CFS/ports/1
	echo tcp > $CFS/ports/1/addr_trtype
	echo ipv4 > $CFS/ports/1/addr_adrfam
	echo 127.0.0.1 > $CFS/ports/1/addr_traddr
	echo 4420 > $CFS/ports/1/addr_trsvcid
	ln -s $CFS/subsystems/$NQN $CFS/ports/1/subsystems/$NQN || return 1
	nvme connect -t tcp -a 127.0.0.1 -s 4420 -n $NQN -i 2 > /dev/null ||
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
	fio_job "$1" "$dev" randread-4k randread 4k 32
	fio_job "$1" "$dev" randwrite-4k randwrite 4k 32
	fio_job "$1" "$dev" seqread-128k read 128k 8
}

# Undo whatever tcp_target got to, so a failure does not spill over.
tcp_cleanup() {
	nvme disconnect -n $NQN > /dev/null 2>&1
	rm -f $CFS/ports/1/subsystems/$NQN
	rmdir $CFS/ports/1 2>/dev/null
	ns=$CFS/subsystems/$NQN/namespaces/1
	[ -d $ns ] && echo 0 > $ns/enable && rmdir $ns
	rmdir $CFS/subsystems/$NQN 2>/dev/null
}

say() { echo "==> $*"; }
modprobe nvme-tcp || return 1
modprobe null_blk nr_devices=1 gb=4 || return 1

say "NVMe/TCP fio, ${T}s per job: nvmet-ng on null_blk"
modprobe nvmet && modprobe nvmet-tcp || return 1
tcp_target ours /dev/nullb0 || echo "ours on null_blk failed" | tee -a "$FOUT"
tcp_cleanup
say "nvmet-ng on its null backend"
modprobe nvmet-null
tcp_target ours-null null:4294967296 ||
	echo "ours on null failed" | tee -a "$FOUT"
tcp_cleanup
rmmod nvmet_tcp nvmet_null nvmet

say "in-tree nvmet-tcp on null_blk"
$INTREE_LOAD nvmet && $INTREE_LOAD nvmet-tcp || return 1
tcp_target in-tree /dev/nullb0 ||
	echo "in-tree on null_blk failed" | tee -a "$FOUT"
tcp_cleanup
rmmod nvmet_tcp nvmet
rmmod null_blk

awk '
/^fio / { split($4, a, "="); split($5, b, "=")
	  iops[$2, $3] = a[2]; bw[$2, $3] = b[2]; jobs[$3] = 1 }
END {
	printf "\nNVMe/TCP on 127.0.0.1 (null_blk behind both targets)\n"
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
}' "$FOUT"
