#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The file backend over NVMe/TCP on 127.0.0.1: fio 4k random write and
# read at QD1 and QD32 on a namespace backed by a file on tmpfs (direct
# I/O: tmpfs has O_DIRECT from 6.6), ours and Debian's in-tree nvmet-tcp
# alternated twice in one boot (ours, in-tree, ours, in-tree), so that
# with VM_ICOUNT=1 the ratio measures work per I/O.  Prints both runs of
# each and the table of the second.
#
# Environment: BENCH_FIO_SECONDS (default 10 per job).  Sourced by
# guest/bench.sh.
. /vm/guest/fio-bench.sh

FFOUT=/tmp/tcp-file-fio.txt
FNQN=nqn.2026-12.io.nvmet-ng:bench-file
FFILE=/tmp/bench-file/ns1
: > "$FFOUT"

file_run() {	# file_run LABEL
	bf_target $FNQN "$FFILE" tcp ipv4 127.0.0.1 4420 || return 1
	nvme connect -t tcp -a 127.0.0.1 -s 4420 -n $FNQN -i 2 > /dev/null ||
		return 1
	dev=$(wait_for_dev $FNQN 1 10) || return 1
	bf_job "$FFOUT" "$1" "$dev" randwrite-4k-qd1 randwrite 4k 1
	bf_job "$FFOUT" "$1" "$dev" randread-4k-qd1 randread 4k 1
	bf_job "$FFOUT" "$1" "$dev" randwrite-4k-qd32 randwrite 4k 32
	bf_job "$FFOUT" "$1" "$dev" randread-4k-qd32 randread 4k 32
}

file_side() {	# file_side ours|in-tree
	if [ "$1" = ours ]; then
		modprobe nvmet && modprobe nvmet-tcp || return 1
	else
		$INTREE_LOAD nvmet && $INTREE_LOAD nvmet-tcp || return 1
	fi
	file_run "$1" || echo "fio $1 file failed" | tee -a "$FFOUT"
	bf_cleanup $FNQN
	rmmod nvmet_tcp nvmet
}

modprobe nvme-tcp || return 1
mkdir -p /tmp/bench-file
# Written once, so that neither side reads holes.
dd if=/dev/zero of="$FFILE" bs=1M count=512 status=none || return 1

for pass in 1 2; do
	echo "==> file backend over NVMe/TCP, pass $pass: nvmet-ng"
	file_side ours
	echo "==> file backend over NVMe/TCP, pass $pass: in-tree"
	file_side in-tree
done
rm -rf /tmp/bench-file

bf_report "$FFOUT" "NVMe/TCP, file on tmpfs behind both targets (second pass)" \
	randwrite-4k-qd1 randread-4k-qd1 randwrite-4k-qd32 randread-4k-qd32
