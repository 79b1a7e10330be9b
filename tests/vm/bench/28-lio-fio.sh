#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The lio backend against our file backend on the same file (issue 15):
# one image on tmpfs is a LIO fileio backstore (4 KiB blocks, as
# targetcli makes it otherwise: buffered, O_DSYNC) behind namespace 1 of
# ours with device_backend lio, and in turn the file of a namespace with
# our file backend (direct I/O, 4 KiB blocks from tmpfs), alternated in
# one boot (lio, file, lio, file: BENCH_MATRIX_SAMPLES rounds) on each
# fabric of BENCH_LIO_FABRICS, with the fio matrix's 4k jobs (libaio,
# direct, 2 I/O queues).  Each job prints one line "liofio FABRIC
# BACKEND SAMPLE JOB iops=N bw_kib=N" and one "liofio-ctxt FABRIC BACKEND
# SAMPLE JOB SWITCHES IOS" (the guest's context switches during the job,
# and the I/Os the host's disk completed, ramp included); the table at
# the end has every sample, the ratio lio / file and the switches per
# I/O.  Run with VM_ICOUNT=1 for ratios that
# repeat (work per I/O).
#
# Environment: BENCH_FIO_SECONDS (default 10 per job, plus 2 of ramp),
# BENCH_LIO_FABRICS (default tcp,loop), BENCH_MATRIX_JOBS (default
# rr4k-qd1,rr4k-qd32,rw4k-qd1,rw4k-qd32), BENCH_MATRIX_SAMPLES (default
# 2).  Sourced by guest/bench.sh; each fabric runs in a subshell, so a
# failed step ends that fabric only.
. /vm/guest/fio-bench.sh

LF_NQN=nqn.2026-12.io.nvmet-ng:bench-lio
LF_FABRICS=$(echo "${BENCH_LIO_FABRICS:-tcp,loop}" | tr ',' ' ')
LF_JOBS=$(echo "${BENCH_MATRIX_JOBS:-rr4k-qd1,rr4k-qd32,rw4k-qd1,rw4k-qd32}" |
	  tr ',' ' ')
LF_SAMPLES=${BENCH_MATRIX_SAMPLES:-2}
LF_T=/sys/kernel/config/target
LF_BS=$LF_T/core/fileio_0/bench
LF_LUN=$LF_T/nvmet_lio/bench/tpgt_1/lun/lun_0
LF_IMG=/tmp/bench-lio/img
LF_OUT=/tmp/bench-lio.txt

# lf_ctxt: context switches of the guest so far; lf_ios DEV: reads and
# writes DEV completed so far
lf_ctxt() { awk '$1 == "ctxt" { print $2 }' /proc/stat; }
lf_ios() { awk '{ print $1 + $5 }' "/sys/block/${1#/dev/}/stat"; }

# lf_run FABRIC BACKEND SAMPLE: namespace 1 on the image through BACKEND
# (lio or file), connect with 2 I/O queues, the jobs, disconnect, remove
lf_run() {
	lf_spec=$LF_IMG
	[ "$2" = lio ] && lf_spec=lio:fileio_0/bench
	case $1 in
	tcp)	bf_target $LF_NQN $lf_spec tcp ipv4 127.0.0.1 4420 &&
		nvme connect -t tcp -a 127.0.0.1 -s 4420 -n $LF_NQN -i 2 \
			> /dev/null ;;
	loop)	bf_target $LF_NQN $lf_spec loop &&
		nvme connect -t loop -n $LF_NQN -i 2 > /dev/null ;;
	esac || {
		echo "liofio $1 $2 $3: setup failed" | tee -a $LF_OUT
		bf_cleanup $LF_NQN
		return 1
	}
	if lf_dev=$(wait_for_dev $LF_NQN 1 20); then
		# the same geometry on both sides: 4 KiB blocks
		echo "liofio $1 $2 $3: $lf_dev, $(cat "/sys/block/${lf_dev#/dev/}/queue/logical_block_size")-byte blocks"
		for lf_j in $LF_JOBS; do
			lf_c0=$(lf_ctxt) lf_i0=$(lf_ios $lf_dev)
			bf_matrix "$lf_dev" "$1" "$2" x "$3" $lf_j |
				sed 's/^matrix \([^ ]*\) \([^ ]*\) x /liofio \1 \2 /' |
				tee -a $LF_OUT
			lf_c1=$(lf_ctxt) lf_i1=$(lf_ios $lf_dev)
			echo "liofio-ctxt $1 $2 $3 $lf_j $(( lf_c1 - lf_c0 )) $(( lf_i1 - lf_i0 ))" |
				tee -a $LF_OUT
		done
	else
		echo "liofio $1 $2 $3: no namespace" | tee -a $LF_OUT
	fi
	bf_cleanup $LF_NQN
}

# lf_fabric FABRIC: its modules, then the rounds
lf_fabric() {
	case $1 in
	tcp)	modprobe nvme-tcp && modprobe nvmet-tcp || return 1 ;;
	loop)	modprobe nvme-loop || return 1 ;;
	*)	echo "liofio: no fabric $1"
		return 1 ;;
	esac
	lf_round=1
	while [ $lf_round -le "$LF_SAMPLES" ]; do
		for lf_be in lio file; do
			echo "==> lio bench $1, round $lf_round: $lf_be"
			lf_run $1 $lf_be $lf_round
		done
		lf_round=$((lf_round + 1))
	done
	[ "$1" = loop ] && rmmod nvme_loop
	[ "$1" = tcp ] && rmmod nvmet_tcp
	return 0
}

# lf_report: every sample of lio and file per fabric and job, the ratio
# of their means
lf_report() {
	awk -v jobs="$LF_JOBS" -v fabrics="$LF_FABRICS" '
	$1 == "liofio" && $6 ~ /^iops=/ {
		split($6, a, "="); k = $2 SUBSEP $3 SUBSEP $5
		s[k] = s[k] (s[k] == "" ? "" : ", ") a[2]; t[k] += a[2]; n[k]++
	}
	$1 == "liofio-ctxt" && $7 > 0 {
		k = $2 SUBSEP $3 SUBSEP $5; cs[k] += $6; io[k] += $7
	}
	function cpi(k) { return io[k] ? sprintf("%.1f", cs[k] / io[k]) : "-" }
	END {
		printf "\nlio (fileio backstore) against file, one image on tmpfs; cs/io: the guest'"'"'s context switches per I/O\n"
		printf "| fabric | job | lio | file | lio / file | cs/io lio | cs/io file |\n"
		printf "|---|---|---|---|---|---|---|\n"
		nf = split(fabrics, F, " "); nj = split(jobs, J, " ")
		for (f = 1; f <= nf; f++) for (j = 1; j <= nj; j++) {
			l = F[f] SUBSEP "lio" SUBSEP J[j]
			m = F[f] SUBSEP "file" SUBSEP J[j]
			r = (n[l] && n[m] && t[m] > 0) ?
			    sprintf("%.2f", (t[l] / n[l]) / (t[m] / n[m])) : "-"
			printf "| %s | %s | %s | %s | %s | %s | %s |\n", F[f], J[j],
			       n[l] ? s[l] : "-", n[m] ? s[m] : "-", r,
			       cpi(l), cpi(m)
		}
	}' $LF_OUT
}

lf_main() {
	lf_clock=wall
	[ "${icount:-0}" = 1 ] && lf_clock=icount
	echo "liofio-clock $lf_clock seconds=$BF_T samples=$LF_SAMPLES"
	for m in target_core_mod target_core_file; do
		modprobe $m 2>/dev/null || [ -d /sys/module/$m ] || {
			echo "liofio: this kernel has no $m"
			return 1
		}
	done
	modprobe nvmet && modprobe nvmet-lio || return 1
	mkdir -p /tmp/bench-lio
	# written once, so that neither side reads holes
	dd if=/dev/zero of=$LF_IMG bs=1M count=512 status=none || return 1
	# (the block size after enable, which sets it to the hardware's)
	mkdir -p $LF_BS && echo \
		"fd_dev_name=$LF_IMG,fd_dev_size=$(( 512 << 20 ))" \
		> $LF_BS/control && echo 1 > $LF_BS/enable &&
		echo 4096 > $LF_BS/attrib/block_size || return 1
	mkdir -p $LF_LUN && ln -s $LF_BS $LF_LUN/bench || return 1
	: > $LF_OUT
	for lf_f in $LF_FABRICS; do
		echo "==> lio against file on $lf_f, ${BF_T}s per job ($lf_clock)"
		(lf_fabric $lf_f) || echo "liofio $lf_f: failed"
	done
	lf_report
}

lf_main || echo "liofio: setup failed"
rm -f $LF_LUN/bench
rmdir $LF_LUN $LF_T/nvmet_lio/bench/tpgt_1 $LF_T/nvmet_lio/bench \
	$LF_T/nvmet_lio 2>/dev/null
rmdir $LF_BS $LF_T/core/fileio_0 2>/dev/null
# (target_core_mod loads its backstore modules itself)
for m in nvmet_lio nvmet target_core_file target_core_iblock \
	 target_core_pscsi target_core_user target_core_mod; do
	grep -q "^$m " /proc/modules && rmmod $m
done
rm -rf /tmp/bench-lio $LF_OUT
echo "liofio-end"
