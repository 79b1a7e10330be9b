#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Shared by the fio benchmarks (tests/vm/bench/*-fio.sh): subsystem NQN
# with namespace 1 on port 1, fio jobs whose results go to a file, and the
# ours/in-tree table.  Sourced after lib.sh; brings in nvme.sh.
#
# Environment: BENCH_FIO_SECONDS (default 10 per job).
. /vm/guest/nvme.sh

BF_T=${BENCH_FIO_SECONDS:-10}

# bf_fio PREFIX DEV NAME RW BS QD: one fio job on DEV; prints
# "PREFIX iops=N bw_kib=N", or "PREFIX failed: ..."  BF_FIO_WRAP, when
# set, is a command fio runs under (the profile's perf record: its
# "COMMAND --" words)
bf_fio() {
	# shellcheck disable=SC2086 # the wrapper's words
	res=$(${BF_FIO_WRAP:-} fio --name="$3" --filename="$2" --rw="$4" --bs="$5" \
		--iodepth="$6" --ioengine=libaio --direct=1 --time_based \
		--runtime="$BF_T" --ramp_time=2 --numjobs=1 --minimal 2>&1 |
		tail -n 1)
	# terse v3: field 7/8 read KiB/s and IOPS, 48/49 write.
	echo "$res" | awk -F';' -v p="$1" '
		NF > 50 { bw = $7 + $48; iops = $8 + $49
			  printf "%s iops=%d bw_kib=%d\n", p, iops, bw }
		NF <= 50 { printf "%s failed: %s\n", p, $0 }'
}

# bf_job OUT LABEL DEV NAME RW BS QD: one fio job on DEV; appends
# "fio LABEL NAME iops=N bw_kib=N" (or "fio LABEL NAME failed: ...") to OUT
bf_job() {
	bf_fio "fio $2 $4" "$3" "$4" "$5" "$6" "$7" | tee -a "$1"
}

# The jobs of the fio matrix (bench 27-fio-matrix), by name: fio's rw,
# block size and queue depth.
BF_MATRIX_JOBS_ALL="rr4k-qd1 rr4k-qd32 rw4k-qd1 rw4k-qd32 sr128k-qd8 sw128k-qd8"

# bf_matrix_spec JOB: "RW BS QD" of a matrix job; fails on an unknown one
bf_matrix_spec() {
	case $1 in
	rr4k-qd1)	echo "randread 4k 1" ;;
	rr4k-qd32)	echo "randread 4k 32" ;;
	rw4k-qd1)	echo "randwrite 4k 1" ;;
	rw4k-qd32)	echo "randwrite 4k 32" ;;
	sr128k-qd8)	echo "read 128k 8" ;;
	sw128k-qd8)	echo "write 128k 8" ;;
	*)		return 1 ;;
	esac
}

# bf_matrix DEV FABRIC BACKEND TARGET SAMPLE JOB...: the matrix jobs on
# DEV, each printing one line "matrix FABRIC BACKEND TARGET SAMPLE JOB
# iops=N bw_kib=N" (or "... failed: ..."), which the host's
# tests/vm/matrix-report.sh turns into the table
bf_matrix() {
	d=$1 pre="matrix $2 $3 $4 $5"
	shift 5
	for j in "$@"; do
		spec=$(bf_matrix_spec "$j") || {
			echo "$pre $j failed: no such job"
			continue
		}
		# shellcheck disable=SC2086 # RW BS QD, three words
		bf_fio "$pre $j" "$d" "$j" $spec
	done
}

# bf_target NQN SPEC TRTYPE [ADRFAM TRADDR TRSVCID]: subsystem NQN (any
# host) with namespace 1 on SPEC (a device path, null:SIZE for our null
# backend, or lio:HBA/DEV for a LIO backstore an nvmet_lio LUN links),
# offered on port 1 of TRTYPE at that address
bf_target() {
	s=$CFS/subsystems/$1
	mkdir $s && echo 1 > $s/attr_allow_any_host || return 1
	mkdir $s/namespaces/1 || return 1
	case $2 in
	null:*)	echo null > $s/namespaces/1/device_backend
		echo "${2#null:}" > $s/namespaces/1/device_size ;;
	lio:*)	echo lio > $s/namespaces/1/device_backend
		echo "${2#lio:}" > $s/namespaces/1/device_path ;;
	*)	echo "$2" > $s/namespaces/1/device_path ;;
	esac
	echo 1 > $s/namespaces/1/enable || return 1
	mkdir $CFS/ports/1 && echo $3 > $CFS/ports/1/addr_trtype || return 1
	if [ -n "${4:-}" ]; then
		echo $4 > $CFS/ports/1/addr_adrfam
		echo $5 > $CFS/ports/1/addr_traddr
		[ -z "${6:-}" ] || echo $6 > $CFS/ports/1/addr_trsvcid
	fi
	ln -s $s $CFS/ports/1/subsystems/$1
}

# bf_cleanup NQN: undo whatever bf_target and a connect got to, so a
# failure does not spill over into the next run
bf_cleanup() {
	nvme disconnect -n $1 > /dev/null 2>&1
	rm -f $CFS/ports/1/subsystems/$1
	rmdir $CFS/ports/1 2>/dev/null
	ns=$CFS/subsystems/$1/namespaces/1
	[ -d $ns ] && echo 0 > $ns/enable && rmdir $ns
	rmdir $CFS/subsystems/$1 2>/dev/null
}

# bf_report OUT TITLE JOB...: IOPS of ours and in-tree per job, ours'
# bandwidth, the ratio, and ours on the null backend where it ran
bf_report() {
	out=$1 title=$2
	shift 2
	awk -v title="$title" -v jobs="$*" '
	/^fio / { split($4, a, "="); split($5, b, "=")
		  iops[$2, $3] = a[2]; bw[$2, $3] = b[2]
		  if ($2 == "ours-null") null = 1 }
	END {
		printf "\n%s\n", title
		printf "%-14s %12s %12s %12s %8s", "job", "ours IOPS",
		       "in-tree IOPS", "ours MiB/s", "ratio"
		if (null)
			printf " %14s", "ours-null IOPS"
		printf "\n"
		n = split(jobs, order, " ")
		for (i = 1; i <= n; i++) {
			j = order[i]
			r = 0
			if (iops["in-tree", j] > 0)
				r = iops["ours", j] / iops["in-tree", j]
			printf "%-14s %12d %12d %12.1f %7.2fx", j,
			       iops["ours", j], iops["in-tree", j],
			       bw["ours", j] / 1024, r
			if (null)
				printf " %14d", iops["ours-null", j]
			printf "\n"
		}
	}' "$out"
}
