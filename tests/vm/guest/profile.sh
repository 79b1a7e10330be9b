#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A profile of one fio job (bench 27-fio-matrix, BENCH_MATRIX_PROFILE=1):
# perf record -a -e cpu-clock over fio's measured window (after its
# ramp), then perf report in the guest while the target's modules are
# still loaded, so that /proc/kallsyms names the symbols of ours and of
# Debian's in-tree target alike.  Software clock sampling: under icount
# (VM_ICOUNT=1) guest time counts instructions, so a symbol's samples are
# proportional to the instructions spent in it.
#
# Every line goes to the guest's output as "profile STACK JOB | LINE";
# tests/vm/profile-report.sh turns them into results/profile-*.txt and
# the diff table.  Sourced after fio-bench.sh.
#
# Environment: BENCH_PROFILE_HZ (default 2000 samples per second per CPU).

BP_HZ=${BENCH_PROFILE_HZ:-2000}
# perf's module files would be looked up by name under /lib/modules:
# for Debian's nvmet_tcp (loaded by path from /lib/modules/intree-target)
# that finds ours.  An empty symfs leaves kallsyms as the only source.
BP_SYMFS=/tmp/profile-symfs

# bp_ready: perf is in the image (mkinitramfs.sh stages it when the host
# has it) and may sample the kernel
bp_ready() {
	command -v perf > /dev/null || return 1
	echo 0 > /proc/sys/kernel/kptr_restrict
	echo -1 > /proc/sys/kernel/perf_event_paranoid
	mkdir -p $BP_SYMFS
}

# bp_job DEV FABRIC STACK JOB: JOB (a matrix job) on DEV under perf; prints
# "profile-iops FABRIC STACK JOB iops=N bw_kib=N" and the reports.  perf
# runs fio itself: its set-up (reading /proc/kallsyms and the threads,
# seconds of guest time under TCG) is over before fio starts, and the
# record ends with fio, ramp included.  (Started beside fio, the set-up
# took fio's CPU and the record went on idle after fio's end: 98 % of
# the samples were in the idle loop.)
bp_job() {
	bp_spec=$(bf_matrix_spec "$4") || {
		echo "profile $3 $4 | failed: no such job"
		return 1
	}
	bp_data=/tmp/perf-$3-$4.data
	rm -f "$bp_data"
	# shellcheck disable=SC2034 # bf_fio (fio-bench.sh) reads it
	BF_FIO_WRAP="perf record -a -g -e cpu-clock -F $BP_HZ -N -B -q -o $bp_data --"
	# shellcheck disable=SC2086 # RW BS QD, three words
	bf_fio "profile-iops $2 $3 $4" "$1" "$4" $bp_spec
	# shellcheck disable=SC2034 # as above
	BF_FIO_WRAP=""
	[ -s "$bp_data" ] || {
		echo "profile $3 $4 | failed: perf recorded nothing"
		return 1
	}
	bp_report "$bp_data" "$3 $4"
	rm -f "$bp_data"
}

# bp_report DATA "STACK JOB": the flat profile (self samples by symbol,
# with its module) and the inclusive one (children: a function with all
# it calls), each line prefixed
bp_report() {
	{
		echo "## self"
		perf report -i "$1" --stdio --no-children -g none \
			--sort dso,sym --percent-limit 0.02 \
			--symfs=$BP_SYMFS --kallsyms=/proc/kallsyms 2>&1
		echo "## children"
		perf report -i "$1" --stdio --children -g none \
			--sort dso,sym --percent-limit 0.5 \
			--symfs=$BP_SYMFS --kallsyms=/proc/kallsyms 2>&1
	} | sed "s/^/profile $2 | /"
}
