#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Connect, queues and discovery at scale (issue 14's "Scale"), in-tree
# and ours in one boot, over NVMe/TCP on 127.0.0.1, with scalebench's own
# minimal host (tests/bench/scalebench.c) so that no host kernel makes a
# controller per connect:
# - creating 1, 100 and N subsystems (mkdir, attr_allow_any_host, the
#   port link: each step's total, and the time per subsystem with 0, N/2
#   and 9N/10 already there) and removing them;
# - connect (admin queue up to CSTS.RDY) and shutdown, the median of
#   BENCH_SCALE_REPS (default 20), with 1, 100 and BENCH_SCALE_N (default
#   10000) subsystems on the port, and as host 1 and host 1000 of a
#   1,000-host allowed_hosts list;
# - a discovery controller's reads (the 1 KiB header, a 4 KiB page at
#   the last record) with 1, 100 and N subsystems of which the host may
#   see one, and with all N visible (a log of N entries), plus the whole
#   log read 4 KiB at a time;
# - one controller with 128 I/O queues: connect them one at a time and 8
#   at once, then shut down and close.
# The figures are wall-clock under TCG: compare within a row (the
# growth with N) and ours beside in-tree of the same boot.
#
# Environment: BENCH_SCALE_N, BENCH_SCALE_REPS.  Sourced by guest/bench.sh.

SCB_N=${BENCH_SCALE_N:-10000}
SCB_REPS=${BENCH_SCALE_REPS:-20}
SCB_PFX=nqn.2026-12.io.nvmet-ng:scale
SCB_OUT=/tmp/scale.txt
: > "$SCB_OUT"

# scb ARGS: scalebench ARGS, its line on the console and in $SCB_OUT; its
# exit status (a pipe into tee would lose it)
scb() {
	scalebench "$@" > /tmp/scale.line
	set -- $?
	cat /tmp/scale.line
	cat /tmp/scale.line >> "$SCB_OUT"
	return "$1"
}

scb_port() {
	mkdir $CFS/ports/1 &&
	echo tcp > $CFS/ports/1/addr_trtype &&
	echo ipv4 > $CFS/ports/1/addr_adrfam &&
	echo 127.0.0.1 > $CFS/ports/1/addr_traddr &&
	echo 4420 > $CFS/ports/1/addr_trsvcid
}

# scb_run TARGET: every figure for the target whose modules are loaded
scb_run() {
	scb_port || return 1
	for n in 1 100 $SCB_N; do
		scb subsys $CFS $SCB_PFX $n 1 1 "$1" || return 1
		scb connect 127.0.0.1 4420 $SCB_PFX:1 0 $SCB_REPS "$1:subsys=$n"
		scb discover 127.0.0.1 4420 0 $SCB_REPS "$1:subsys=$n,visible=1"
		if [ $n = $SCB_N ]; then
			scb open $CFS $SCB_PFX 2 $n
			scb discover 127.0.0.1 4420 0 5 "$1:subsys=$n,visible=$n" ||
				echo "scalebench discover $1:subsys=$n,visible=$n failed" |
				tee -a "$SCB_OUT"
		fi
		scb unsubsys $CFS $SCB_PFX $n 1 "$1" || return 1
	done
	scb subsys $CFS $SCB_PFX 1 1 1 "$1" || return 1
	scb hosts $CFS $SCB_PFX:1 1000 || return 1
	scb connect 127.0.0.1 4420 $SCB_PFX:1 1 $SCB_REPS "$1:hosts=1000,host=1"
	scb connect 127.0.0.1 4420 $SCB_PFX:1 1000 $SCB_REPS "$1:hosts=1000,host=1000"
	scb unhosts $CFS $SCB_PFX:1 1000
	echo 1 > $CFS/subsystems/$SCB_PFX:1/attr_allow_any_host
	scb queues 127.0.0.1 4420 $SCB_PFX:1 128 1 "$1:par=1"
	scb queues 127.0.0.1 4420 $SCB_PFX:1 128 8 "$1:par=8"
	scb unsubsys $CFS $SCB_PFX 1 1 "$1"
	rmdir $CFS/ports/1
}

echo "==> scale: in-tree"
$INTREE_LOAD nvmet && $INTREE_LOAD nvmet-tcp || return 1
scb_run in-tree
rmmod nvmet_tcp nvmet

echo "==> scale: nvmet-ng"
modprobe nvmet && modprobe nvmet-tcp || return 1
scb_run ours
rmmod nvmet_tcp nvmet

awk '
function v(k,   i) { for (i = 4; i <= NF; i++) if (index($i, k "=") == 1)
	return substr($i, length(k) + 2); return "-" }
$1 != "scalebench" { next }
{ split($3, lt, ":"); t = lt[1]; w = lt[2] }
$2 == "subsys" && v("n") > 1 { mk[v("n"), $3] = v("ms") " (mkdir " v("mkdir_ms") ", attr " v("attr_ms") ", link " v("link_ms") "; us/subsys " v("first_tenth_us") " -> " v("mid_tenth_us") " -> " v("last_tenth_us") ")"; if (!(v("n") in mw)) { mw[v("n")] = 1; mo[++nm] = v("n") } }
$2 == "unsubsys" && v("n") > 1 { rm[v("n"), $3] = v("ms") " (unlink " v("unlink_ms") ", rmdir " v("rmdir_ms") ")" }
$2 == "connect" { c[w, t] = v("connect_ms") " / " v("shutdown_ms"); if (!(w in cw)) { cw[w] = 1; co[++nc] = w } }
$2 == "discover" && $4 == "failed" { d[w, t] = "failed (its error is above)"; if (!(w in dw)) { dw[w] = 1; dor[++nd] = w } next }
$2 == "discover" { d[w, t] = v("numrec") " rec: hdr " v("header_ms") ", page " v("page_ms") ", identify " v("identify_ms") ", whole " v("whole_ms"); if (!(w in dw)) { dw[w] = 1; dor[++nd] = w } }
$2 == "queues" { q[w, t] = v("queues") " queues: connect " v("io_connect_ms") " (" v("per_queue_ms") "/queue), teardown " v("teardown_ms"); if (!(w in qw)) { qw[w] = 1; qo[++nq] = w } }
END {
	print "\nscale: creating and removing subsystems, ms (us per subsystem at 0, N/2 and 9N/10 there)"
	for (i = 1; i <= nm; i++)
		printf "%-24s in-tree %s\n%-24s ours    %s\n%-24s in-tree remove %s\n%-24s ours    remove %s\n", "n=" mo[i], mk[mo[i], "in-tree"], "", mk[mo[i], "ours"], "", rm[mo[i], "in-tree"], "", rm[mo[i], "ours"]
	print "\nscale: connect / shutdown, median ms"
	printf "%-24s %-22s %-22s\n", "", "in-tree", "ours"
	for (i = 1; i <= nc; i++)
		printf "%-24s %-22s %-22s\n", co[i], c[co[i], "in-tree"], c[co[i], "ours"]
	print "\nscale: discovery reads, median ms"
	for (i = 1; i <= nd; i++)
		printf "%-24s in-tree %s\n%-24s ours    %s\n", dor[i], d[dor[i], "in-tree"], "", d[dor[i], "ours"]
	print "\nscale: one controller, 128 I/O queues, ms"
	for (i = 1; i <= nq; i++)
		printf "%-24s in-tree %s\n%-24s ours    %s\n", qo[i], q[qo[i], "in-tree"], "", q[qo[i], "ours"]
}' "$SCB_OUT"
