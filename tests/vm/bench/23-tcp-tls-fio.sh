#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/TCP over TLS 1.3 on 127.0.0.1: fio 4k random read at QD32 and 128k
# sequential read, ours and Debian's in-tree nvmet-tcp in the same boot,
# each exporting the same null_blk device through a port with addr_tsas
# tls1.3 (treq required), the host connecting with --tls and a retained
# PSK, tlshd doing the handshakes.  Each target also runs the same jobs
# in plain TCP on the same boot, so the table gives what TLS costs each
# (kTLS encrypts in the kernel on both ends: the target's share is its
# receive path, which checks every record's type, and its send path).
# Prints IOPS, bandwidth and the ratio ours / in-tree, TLS and plain.
# Run with VM_ICOUNT=1 for ratios that repeat.
#
# Environment: BENCH_FIO_SECONDS (default 10 per job).  Sourced by
# guest/bench.sh; runs in a subshell, so a failed step ends this
# benchmark only.  Skipped without net/handshake (6.1).
(
. /vm/guest/fio-bench.sh
. /vm/guest/tls.sh

FOUT=/tmp/tcp-tls-fio.txt
NQN=nqn.2026-11.io.nvmet-ng:bench-tls
: > "$FOUT"
grep -q ' tls_server_hello_psk$' /proc/kallsyms || {
	echo "no net/handshake in this kernel: no TLS benchmark"
	exit 0
}

# tls_run LABEL TLS|plain: the jobs against whichever target is loaded
tls_run() {
	bf_target $NQN /dev/nullb0 tcp ipv4 127.0.0.1 4420 || return 1
	opt=
	if [ "$2" = TLS ]; then
		rm $CFS/ports/1/subsystems/$NQN &&
			echo tls1.3 > $CFS/ports/1/addr_tsas &&
			ln -s $CFS/subsystems/$NQN $CFS/ports/1/subsystems/$NQN ||
			return 1
		opt=--tls
	fi
	$NVME_TLS connect -t tcp -a 127.0.0.1 -s 4420 -n $NQN -i 2 \
		-q $HOSTNQN_A -I $HOSTID_A $opt > /dev/null || return 1
	dev=$(wait_for_dev $NQN 1 10) || return 1
	if [ "$2" = TLS ]; then
		c=$(ctrl_of $NQN) && [ -e /sys/class/nvme/$c/tls_key ] || {
			echo "$1: the controller has no TLS key"
			return 1
		}
	fi
	bf_job "$FOUT" "$1" "$dev" randread-4k randread 4k 32
	bf_job "$FOUT" "$1" "$dev" seqread-128k read 128k 8
}

modprobe nvme-tcp || exit 1
modprobe null_blk nr_devices=1 gb=4 || exit 1
tls_prep
tls_start
tls_key_insert $HOSTNQN_A $NQN

for mode in TLS plain; do
	label=ours
	[ $mode = plain ] && label=ours-plain
	echo "==> NVMe/TCP fio, ${BF_T}s per job, $mode: nvmet-ng on null_blk"
	modprobe nvmet && modprobe nvmet-tcp || exit 1
	tls_run "$label" $mode || echo "ours, $mode, failed" | tee -a "$FOUT"
	bf_cleanup $NQN
	rmmod nvmet_tcp nvmet
	echo "==> in-tree nvmet-tcp on null_blk, $mode"
	$INTREE_LOAD nvmet && $INTREE_LOAD nvmet-tcp || exit 1
	l=in-tree
	[ $mode = plain ] && l=in-tree-plain
	tls_run "$l" $mode || echo "in-tree, $mode, failed" | tee -a "$FOUT"
	bf_cleanup $NQN
	rmmod nvmet_tcp nvmet
done
tls_stop > /dev/null
rmmod null_blk

bf_report "$FOUT" "NVMe/TCP with TLS 1.3 on 127.0.0.1 (null_blk behind both targets)" \
	randread-4k seqread-128k
sed -n 's/^fio \(ours\|in-tree\)-plain /fio \1 /p' "$FOUT" > "$FOUT.plain"
bf_report "$FOUT.plain" "The same in plain TCP, same boot" randread-4k seqread-128k
)
