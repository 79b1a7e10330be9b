#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Many namespaces in one subsystem (issue 12): the time to create and
# enable them through configfs (mkdir and attribute writes, as nvmetcli
# does), the memory they take, and what a host then waits for: connect
# (Connect, CC.EN, CSTS.RDY), Identify Controller, every page of the
# active namespace list and the whole ANA log in one read, as the Linux
# host reads it.  The host is nsbench's own minimal NVMe/TCP host, so no
# host kernel makes a block device per namespace.  Then the teardown
# (every namespace disabled, 64 at once, and removed).
#
#   in-tree     Debian's nvmet-tcp at its limit, 1024 namespaces on
#               sparse 1 MiB files (it has no null backend)
#   ours-file   nvmet-ng, the same 1024 files
#   ours-null   nvmet-ng, 1024 and BENCH_NS (default 65536) null
#               namespaces
#
# Environment: BENCH_NS.  Sourced by guest/bench.sh.

NSB_N=${BENCH_NS:-65536}
NSB_NQN=nqn.2026-11.io.nvmet-ng:bench-many-ns
NSB_OUT=/tmp/many-ns.txt
: > "$NSB_OUT"

nsb_kib() { awk -v k="$1" '$1 == k ":" { print $2 }' /proc/meminfo; }

nsb_setup() {
	mkdir $CFS/subsystems/$NSB_NQN &&
	echo 1 > $CFS/subsystems/$NSB_NQN/attr_allow_any_host &&
	mkdir $CFS/ports/1 &&
	echo tcp > $CFS/ports/1/addr_trtype &&
	echo ipv4 > $CFS/ports/1/addr_adrfam &&
	echo 127.0.0.1 > $CFS/ports/1/addr_traddr &&
	echo 4420 > $CFS/ports/1/addr_trsvcid &&
	ln -s $CFS/subsystems/$NSB_NQN $CFS/ports/1/subsystems/$NSB_NQN
}

# nsb_run LABEL COUNT BACKEND: create, measure, host, tear down
nsb_run() {
	ns=$CFS/subsystems/$NSB_NQN/namespaces
	sync
	echo 3 > /proc/sys/vm/drop_caches
	avail=$(nsb_kib MemAvailable) pcpu=$(nsb_kib Percpu)
	tasks=$(ls /proc | grep -c '^[0-9]')
	nsbench create $ns "$2" "$3" "$1" | tee -a "$NSB_OUT"
	sync
	echo 3 > /proc/sys/vm/drop_caches
	awk -v l="$1" -v n="$2" -v a="$avail" -v p="$pcpu" \
	    -v t="$(( $(ls /proc | grep -c '^[0-9]') - tasks ))" '
	$1 == "MemAvailable:" { ma = $2 } $1 == "Percpu:" { pc = $2 }
	END { printf "nsbench memory %s n=%d kib_per_ns=%.2f percpu_kib_per_ns=%.2f new_tasks=%d\n",
	      l, n, (a - ma) / n, (pc - p) / n, t }' /proc/meminfo |
		tee -a "$NSB_OUT"
	nsbench host 127.0.0.1 4420 $NSB_NQN "$1" | tee -a "$NSB_OUT"
	nsbench teardown $ns 64 "$1" | tee -a "$NSB_OUT"
}

nsb_end() {
	rm $CFS/ports/1/subsystems/$NSB_NQN
	rmdir $CFS/ports/1 $CFS/subsystems/$NSB_NQN
}

echo "==> many namespaces: in-tree at its limit, 1024 on files"
mkdir -p /tmp/nsb
$INTREE_LOAD nvmet && $INTREE_LOAD nvmet-tcp || return 1
nsb_setup || return 1
nsb_run in-tree 1024 "file:/tmp/nsb/%u"
nsb_end
rmmod nvmet_tcp nvmet

echo "==> many namespaces: nvmet-ng, 1024 on files, 1024 and $NSB_N null"
modprobe nvmet && modprobe nvmet-tcp && modprobe nvmet-null || return 1
nsb_setup || return 1
nsb_run ours-file 1024 "file:/tmp/nsb/%u"
nsb_run ours-null 1024 null
nsb_run ours-null "$NSB_N" null
nsb_end
rmmod nvmet_tcp nvmet_null nvmet
rm -rf /tmp/nsb

awk '
function v(k,   i) { for (i = 4; i <= NF; i++) if (index($i, k "=") == 1)
	return substr($i, length(k) + 2); return "-" }
$1 == "nsbench" { key = $3 " " v("n") }
$2 == "create" { c[key] = v("ms") "ms (" v("us_per_ns") " us/ns)"; order[++n] = key }
$2 == "memory" { m[key] = v("kib_per_ns") " KiB/ns (per-cpu " v("percpu_kib_per_ns") "), " v("new_tasks") " new tasks" }
$2 == "host" { key = $3 " " v("namespaces")
	h[key] = sprintf("connect %s ms, id-ctrl %s ms, %s list pages %s ms, ANA log %s B %s ms",
	v("connect_ms"), v("id_ctrl_ms"), v("list_pages"), v("list_ms"),
	v("ana_log_bytes"), v("ana_log_ms")) }
$2 == "teardown" { t[key] = "disable " v("disable_ms") " ms, rmdir " v("rmdir_ms") " ms" }
END {
	print "\nmany namespaces in one subsystem"
	for (i = 1; i <= n; i++) {
		k = order[i]
		printf "%-16s create+enable %s; %s\n%16s %s\n%16s teardown %s\n",
		       k, c[k], m[k], "", h[k], "", t[k]
	}
}' "$NSB_OUT"
