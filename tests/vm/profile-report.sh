#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The fio matrix's profiles (bench 27-fio-matrix, BENCH_MATRIX_PROFILE=1),
# on the host.
#
#   tests/vm/profile-report.sh [OUT]
#
# OUT (default results/vm-bench.out) is a bench run's guest output; its
# "profile STACK JOB | LINE" lines (guest/profile.sh) become
# results/profile-STACK-JOB.txt (STACK ours or intree), perf report's
# self and children views as the guest printed them.  The diff table,
# results/profile-diff.md (also printed), has per job the samples of each
# group of symbols (TCP stack, nvmet-tcp, nvmet core, block layer and
# null_blk, host nvme-tcp, scheduler and idle, copies and crc, memory
# allocation, locks, syscalls and aio, fio and user space, perf's own
# user space, other kernel)
# and the top 30 symbols, in-tree beside ours, each as % of samples and as
# guest microseconds per I/O: % x CPUs / IOPS, the sampled time (both
# CPUs, idle included) one I/O accounts for.  Under icount guest time
# counts instructions, so the per-I/O column compares work.
set -euo pipefail
. "$(dirname "$0")/../../scripts/env.sh"

R=$NVMET_NG_TOP/results
OUT=${1:-$R/vm-bench.out}
MD=$R/profile-diff.md
mkdir -p "$R"

grep -q '^profile ' "$OUT" || { echo "profile-report: no profile in $OUT"; exit 0; }

# the per-job files, the last run's lines for each
jobs=$(sed -n 's/^profile \([a-z-]*\) \([a-z0-9-]*\) | .*/\1 \2/p' "$OUT" | sort -u)
while read -r stack job; do
	f=$R/profile-${stack//-/}-$job.txt
	awk -v k="profile $stack $job | " '
		index($0, k) == 1 { print substr($0, length(k) + 1) }' "$OUT" > "$f"
done <<< "$jobs"

head=$(git -C "$NVMET_NG_TOP" describe --always --dirty 2>/dev/null || echo "?")
awk -v md="$MD" -v head="$head" -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" '
function group(dso, sym) {
	if (dso == "[nvmet_tcp]") return "nvmet-tcp"
	if (dso ~ /^\[nvmet/) return "nvmet core"
	if (dso == "[nvme_tcp]" || dso == "[nvme_core]" || dso == "[nvme_fabrics]")
		return "host nvme-tcp"
	if (dso == "[null_blk]") return "block/null_blk"
	if (dso ~ /^\[crc32c/) return "copies/crc"
	if (dso == "perf") return "perf itself"
	if (dso !~ /^\[/ || dso == "[unknown]") return "fio/user"
	if (dso != "[kernel.kallsyms]") return "other kernel"
	# with the module files hidden (guest/profile.sh), kallsyms puts the
	# symbols of modules under the kernel: their names say whose they are
	if (sym ~ /^nvmet_tcp_|^nvmet_try_|^nvmet_prepare_receive|^nvmet_setup_/) return "nvmet-tcp"
	if (sym ~ /^nvmet_|^__nvmet_/) return "nvmet core"
	if (sym ~ /^nvme_|^nvmf_|^__nvme_/) return "host nvme-tcp"
	if (sym ~ /^null_/) return "block/null_blk"
	if (sym ~ /^(rep_mov|memcpy|__memcpy|memmove|__memmove|memset|__memset|copy_|_copy_|__copy_|csum_|crc32|__crc32|clear_page|simple_copy)/ ||
	    sym ~ /_copy_(to|from)_/)
		return "copies/crc"
	if (sym ~ /^(__?tcp|tcp_|tcp4_|__?ip_|ip_|ipv4_|inet|__inet|__?sock_|sock_|sk_|__sk_|skb_|__skb|kfree_skb|consume_skb|__kfree_skb|alloc_skb|__alloc_skb|__?netif|netif|net_|__net|napi|__napi|__?dev_|dev_|loopback|validate_xmit|neigh|__neigh|dst_|raw_v4|sch_|__qdisc|qdisc|pfifo|lock_sock|release_sock|__release_sock|security_sock|bpf_|nf_|__nf|eth_|sk_stream|sock_def|sock_rfree|sock_wfree|__sys_sendmsg|__sys_recvmsg|tcp_v4|mptcp)/)
		return "TCP stack"
	if (sym ~ /^(__?blk|blk_|bio_|__bio|submit_bio|__submit_bio|bdev_|blkdev_|disk_|part_|bvec_|__bvec|dd_|elv_|kyber|rq_qos|wbt_|iocost|ioc_|bio$)/)
		return "block/null_blk"
	if (sym ~ /^(schedule|__schedule|pick_next|__pick|finish_task_switch|try_to_wake_up|ttwu|wake_up|__wake_up|enqueue_|dequeue_|update_curr|update_load|update_cfs|update_rq|sched_|__sched|set_next|put_prev|native_safe_halt|default_idle|cpuidle|do_idle|cpu_startup|arch_cpu_idle|acpi_idle|mwait|poll_idle|process_one_work|worker_thread|kthread|__queue_work|queue_work|insert_work|psi_|switch_mm|__switch_to|context_switch|io_schedule|select_task_rq|check_preempt|resched|newidle|load_balance|idle_|pv_|native_sched|__update_idle|wq_|pwq_|__kthread|kick_pool|available_idle|activate_task|reweight|place_entity|hrtick|account_|cgroup_rstat|vtime|irqtime|cpuacct|tick_nohz|menu_|nohz|ktime_get|__cond_resched|yield|smpboot|set_task_cpu|migrate|sched$)/)
		return "scheduler/idle"
	if (sym ~ /^(kmem_cache|kmalloc|__kmalloc|kfree|__kfree|slab|__slab|___slab|mempool|alloc_pages|__alloc_pages|free_pages|__free_pages|free_unref|page_frag|__page_frag|get_page_from|rmqueue|memcg|__memcg|obj_cgroup|mod_objcg|refill_obj|__mod_memcg|kmalloc_|krealloc|kvfree|kvmalloc|__put_page|put_page|folio_|__folio|free_pcppages|get_partial|deactivate_slab|__refill_stock|drain_obj|mod_memcg)/)
		return "memory allocation"
	if (sym ~ /^(_raw_spin|queued_spin|native_queued|__raw_spin|_raw_read|_raw_write|mutex_|__mutex|down_|up_read|up_write|up$|down$|percpu_ref|refcount_|__percpu|local_bh|__local_bh|rcu_read|__rcu_read)/)
		return "locks/atomics"
	if (sym ~ /^(entry_SYSCALL|do_syscall|syscall_|__x64_sys|__do_sys|aio_|__io_submit|io_submit|io_getevents|read_events|lookup_ioctx|__fget|fget|fput|__fput|do_io_getevents|ioctx_|__se_sys|x64_sys_call|exit_to_user|syscall_exit|__rseq|rseq|fpregs|restore_fpregs|switch_fpu|do_sys|ksys_|vfs_|rw_verify|security_file|blkdev_direct|__blkdev_direct|iomap_|iov_iter|import_iovec|__import_iovec|__check_object_size|check_heap|__virt_addr_valid)/)
		return "syscalls/aio"
	return "other kernel"
}
function cell(q) { return q == "" ? "-" : sprintf("%.2f", q) }
function us(q, iops) { return (q == "" || iops <= 0) ? "-" : sprintf("%.1f", q / 100 * ncpu * 1e6 / iops) }
function usn(q, iops) { return (q == "" || iops <= 0) ? 0 : q / 100 * ncpu * 1e6 / iops }
BEGIN { ncpu = 2 }
/^profile-iops / {	# profile-iops FABRIC STACK JOB iops=N bw_kib=N
	split($5, a, "="); iops[$3, $4] = a[2]; next
}
/^profile [a-z-]+ [a-z0-9-]+ \| / {
	stack = $2; job = $3
	if (!((job) in jseen)) { jseen[job] = 1; jorder[++nj] = job }
	line = $0; sub(/^[^|]*\| /, "", line)
	if (line ~ /^## /) { sect[stack, job] = line; next }
	if (sect[stack, job] != "## self") next
	if (line ~ /^# Samples: /) { split(line, a, " "); nsamples[stack, job] = a[3] }
	# "    12.34%  [kernel.kallsyms]  [k] symbol"
	if (line !~ /^ +[0-9.]+%/) next
	n = split(line, f, " ")
	pct = f[1]; sub(/%/, "", pct)
	dso = f[2]
	sym = f[4]
	for (i = 5; i <= n; i++) sym = sym " " f[i]
	if (f[3] !~ /^\[[k.]\]$/) { sym = f[3]; for (i = 4; i <= n; i++) sym = sym " " f[i] }
	key = dso SUBSEP sym
	p[stack, job, key] += pct
	if (!((job, key) in kseen)) { kseen[job, key] = 1; keys[job, ++nk[job]] = key }
	g = group(dso, sym)
	gp[stack, job, g] += pct
	if (!((g) in gseen)) { gseen[g] = 1 }
	next
}
END {
	ng = split("TCP stack|nvmet-tcp|nvmet core|block/null_blk|host nvme-tcp|scheduler/idle|copies/crc|memory allocation|locks/atomics|syscalls/aio|fio/user|perf itself|other kernel", gorder, "|")
	printf "# Where the instructions go: perf profiles, in-tree against ours\n\n" > md
	printf "Generated %s from %s by tests/vm/profile-report.sh.  `perf record -a -e cpu-clock` over the measured window of each fio job (4k, libaio, direct, NVMe/TCP on 127.0.0.1, null_blk behind both targets, 2 I/O queues), under `VM_ICOUNT=1`: guest time counts instructions, so samples are proportional to work.  %% is of all samples (both CPUs, idle included); us/IO is that share of the sampled guest time (%d CPUs) per I/O at the IOPS of the profiled run (perf included), so its rows add up to %d s / IOPS and a difference in it is a difference in work per I/O.\n", date, head, ncpu, ncpu >> md
	for (jj = 1; jj <= nj; jj++) {
		job = jorder[jj]
		ia = iops["in-tree", job]; ib = iops["ours", job]
		printf "\n## %s: in-tree %s IOPS, ours %s IOPS (under perf; %s and %s samples)\n\n", job, ia, ib, nsamples["in-tree", job], nsamples["ours", job] >> md
		printf "| group | in-tree %% | ours %% | in-tree us/IO | ours us/IO | ours - in-tree us/IO |\n|---|---|---|---|---|---|\n" >> md
		ta = tb = 0
		for (gi = 1; gi <= ng; gi++) {
			g = gorder[gi]
			va = gp["in-tree", job, g]; vb = gp["ours", job, g]
			if (va == "" && vb == "") continue
			ta += usn(va, ia); tb += usn(vb, ib)
			printf "| %s | %s | %s | %s | %s | %+.1f |\n", g, cell(va), cell(vb), us(va, ia), us(vb, ib), usn(vb, ib) - usn(va, ia) >> md
		}
		printf "| all listed | | | %.1f | %.1f | %+.1f |\n", ta, tb, tb - ta >> md
		# top 30 by the larger share of either side
		n = nk[job]
		for (i = 1; i <= n; i++) {
			k = keys[job, i]
			va = p["in-tree", job, k] + 0; vb = p["ours", job, k] + 0
			m[i] = va > vb ? va : vb; idx[i] = i
		}
		for (i = 2; i <= n; i++) {	# insertion sort, descending
			v = m[i]; x = idx[i]
			for (j = i - 1; j >= 1 && m[j] < v; j--) { m[j + 1] = m[j]; idx[j + 1] = idx[j] }
			m[j + 1] = v; idx[j + 1] = x
		}
		printf "\n| # | symbol | module | group | in-tree %% | ours %% | in-tree us/IO | ours us/IO | ours - in-tree us/IO |\n|---|---|---|---|---|---|---|---|---|\n" >> md
		for (i = 1; i <= n && i <= 30; i++) {
			k = keys[job, idx[i]]
			split(k, kk, SUBSEP)
			va = p["in-tree", job, k]; vb = p["ours", job, k]
			printf "| %d | %s | %s | %s | %s | %s | %s | %s | %+.1f |\n", i, kk[2], kk[1], group(kk[1], kk[2]), cell(va), cell(vb), us(va, ia), us(vb, ib), usn(vb, ib) - usn(va, ia) >> md
		}
		delete m; delete idx
	}
}' "$OUT"
cat "$MD"
