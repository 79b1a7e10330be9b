#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The fio matrix of issue 14: on every fabric (NVMe/TCP on 127.0.0.1,
# NVMe/RDMA over Soft-RoCE, loop, NVMe/FC over fcloop), 4k random read
# and write at QD1 and QD32 and 128k sequential read and write at QD8,
# ours and Debian's in-tree target alternated in the same boot (ours,
# in-tree, ours, in-tree: BENCH_MATRIX_SAMPLES rounds) on one null_blk
# device, and ours on its null backend in each of its rounds (in-tree
# has none).  Each job prints one "matrix ..." line (bf_matrix,
# guest/fio-bench.sh); tests/vm/run.sh hands them to
# tests/vm/matrix-report.sh, which writes the table and the plot under
# results/.  Run with VM_ICOUNT=1 for ratios that repeat; a run without
# it gives the wall-clock column.
#
# Environment: BENCH_FIO_SECONDS (default 10 per job, plus 2 of ramp),
# BENCH_MATRIX_FABRICS (default tcp,rdma,loop,fc), BENCH_MATRIX_JOBS
# (default all: rr4k-qd1,rr4k-qd32,rw4k-qd1,rw4k-qd32,sr128k-qd8,
# sw128k-qd8), BENCH_MATRIX_SAMPLES (default 2).
#
# BENCH_MATRIX_PROFILE=1 adds, after the rounds, one profile round per
# fabric on null_blk (ours, then in-tree): each job again under perf
# (guest/profile.sh), printed as "profile ..." lines, which
# tests/vm/profile-report.sh turns into results/profile-*.txt and a diff
# table; its IOPS ("profile-iops", perf's sampling included) stay out of
# the matrix.  Sourced by
# guest/bench.sh; each fabric runs in a subshell, so a failed step ends
# that fabric only.
. /vm/guest/fio-bench.sh
. /vm/guest/rdma.sh
. /vm/guest/fc.sh
. /vm/guest/profile.sh

FM_NQN=nqn.2026-11.io.nvmet-ng:matrix
FM_FABRICS=$(echo "${BENCH_MATRIX_FABRICS:-tcp,rdma,loop,fc}" | tr ',' ' ')
FM_JOBS=$(echo "${BENCH_MATRIX_JOBS:-$BF_MATRIX_JOBS_ALL}" | tr ',' ' ')
FM_SAMPLES=${BENCH_MATRIX_SAMPLES:-2}
FM_PROFILE=${BENCH_MATRIX_PROFILE:-0}

# fm_mods FABRIC: the target modules of FABRIC, in load order
fm_mods() {
	case $1 in
	tcp)	echo nvmet nvmet-tcp ;;
	rdma)	echo nvmet nvmet-rdma ;;
	loop)	echo nvmet nvme-loop ;;
	fc)	echo nvmet nvmet-fc nvme-fcloop ;;
	esac
}

# fm_load FABRIC ours|in-tree: that target's modules (ours with its null
# backend), and for FC the fcloop ports of pair 1
fm_load() {
	for m in $(fm_mods $1); do
		if [ "$2" = ours ]; then
			modprobe $m || return 1
		else
			intree_load $m || return 1
		fi
	done
	if [ "$2" = ours ]; then
		modprobe nvmet-null || return 1
	fi
	if [ "$1" = fc ]; then
		(fc_add_pair 1) || return 1
	fi
}

# fm_unload FABRIC: whatever fm_load loaded, in reverse order
fm_unload() {
	[ "$1" = fc ] && [ -d $FCCTL ] && fc_del_pair 1
	for m in nvmet_null $(fm_mods $1 |
		   awk '{ for (i = NF; i > 0; i--) print $i }' | tr - _); do
		grep -q "^$m " /proc/modules || continue
		rmmod $m || echo "matrix: cannot rmmod $m"
	done
}

# fm_run FABRIC BACKEND TARGET SAMPLE: NQN on BACKEND (null_blk or null),
# connect with 2 I/O queues, the jobs (under perf when SAMPLE is
# profile), disconnect and remove.  (The
# fm_ prefix of variables here and below: the helpers' sh variables are
# global, bf_target's s among them.)
fm_run() {
	fm_spec=/dev/nullb0
	[ "$2" = null ] && fm_spec=null:4294967296
	case $1 in
	tcp)	bf_target $FM_NQN $fm_spec tcp ipv4 127.0.0.1 4420 &&
		nvme connect -t tcp -a 127.0.0.1 -s 4420 -n $FM_NQN -i 2 \
			> /dev/null ;;
	rdma)	bf_target $FM_NQN $fm_spec rdma ipv4 $RDMA_IP 4420 &&
		nvme connect -t rdma -a $RDMA_IP -s 4420 -n $FM_NQN -i 2 \
			> /dev/null ;;
	loop)	bf_target $FM_NQN $fm_spec loop &&
		nvme connect -t loop -n $FM_NQN -i 2 > /dev/null ;;
	fc)	bf_target $FM_NQN $fm_spec fc fc "$(fc_traddr tgt 1)" &&
		fc_connect $FM_NQN 1 -i 2 > /dev/null ;;
	esac || {
		echo "matrix $1 $2 $3 $4: setup failed"
		bf_cleanup $FM_NQN
		return 1
	}
	if ! fm_dev=$(wait_for_dev $FM_NQN 1 20); then
		echo "matrix $1 $2 $3 $4: no namespace"
	elif [ "$4" = profile ]; then
		for fm_j in $FM_JOBS; do
			bp_job "$fm_dev" $1 $3 $fm_j
		done
	else
		# shellcheck disable=SC2086 # the job names, one word each
		bf_matrix "$fm_dev" "$@" $FM_JOBS
	fi
	bf_cleanup $FM_NQN
}

# fm_fabric FABRIC: the host side, then the rounds
fm_fabric() {
	case $1 in
	tcp)	modprobe nvme-tcp || return 1 ;;
	rdma)	modprobe nvme-rdma || return 1
		(rdma_net_up) || return 1 ;;
	loop)	;;
	fc)	modprobe nvme-fc || return 1 ;;
	*)	echo "matrix: no fabric $1"
		return 1 ;;
	esac
	fm_round=1
	while [ $fm_round -le "$FM_SAMPLES" ]; do
		echo "==> matrix $1, round $fm_round: ours"
		if fm_load $1 ours; then
			fm_run $1 null_blk ours $fm_round
			fm_run $1 null ours $fm_round
		else
			echo "matrix $1: cannot load ours"
		fi
		fm_unload $1
		echo "==> matrix $1, round $fm_round: in-tree"
		if fm_load $1 in-tree; then
			fm_run $1 null_blk in-tree $fm_round
		else
			echo "matrix $1: cannot load in-tree"
		fi
		fm_unload $1
		fm_round=$((fm_round + 1))
	done
	if [ "$FM_PROFILE" = 1 ]; then
		fm_profile $1
	fi
	[ "$1" = rdma ] && rdma_net_down
	return 0
}

# fm_profile FABRIC: the profile round, ours then in-tree, on null_blk
fm_profile() {
	bp_ready || {
		echo "matrix $1: no perf in the image, no profile"
		return 0
	}
	for fm_t in ours in-tree; do
		echo "==> matrix $1, profile: $fm_t"
		if fm_load $1 $fm_t; then
			fm_run $1 null_blk $fm_t profile
		else
			echo "matrix $1: cannot load $fm_t"
		fi
		fm_unload $1
	done
}

fm_clock=wall
[ "${icount:-0}" = 1 ] && fm_clock=icount
echo "matrix-clock $fm_clock seconds=$BF_T samples=$FM_SAMPLES"
modprobe null_blk nr_devices=1 gb=4 || return 1
for fm_f in $FM_FABRICS; do
	echo "==> fio matrix on $fm_f, ${BF_T}s per job ($fm_clock)"
	(fm_fabric $fm_f) || echo "matrix $fm_f: failed"
done
rmmod null_blk
echo "matrix-end"
