#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The seed's configfs scalability scenario, run inside the test VM by
# make bench: N subsystems on N ports, each linked into its own port, set
# up by 4 processes and by 1, every add_port() delayed by D ms; a fifth
# process times unrelated configfs operations meanwhile (cfsbench.c).
#
# Runs, in one boot:
#   ours        nvmet-ng + its test fabric (add_port sleeps D ms)
#   in-tree     Debian's nvmet + nvmet-intree-delay (add_port sleeps D ms)
#   in-tree-tcp Debian's nvmet + nvmet-tcp on 127.0.0.1, no injected delay
#
# Environment: BENCH_DELAY_MS (default 1000), BENCH_PORTS (default 64),
# BENCH_MODDIR (where the benchmark-only .ko files are), INTREE_LOAD (the
# command that loads one of Debian's target modules and what it needs).
# Sourced by guest/bench.sh.

D=${BENCH_DELAY_MS:-1000}
N=${BENCH_PORTS:-64}
MODDIR=${BENCH_MODDIR:-/lib/modules/bench}
OUT=/tmp/seed-configfs.txt
: > "$OUT"

say() { echo "==> $*"; }

run_pair() {	# run_pair label trtype adrfam
	for p in 1 4; do
		cfsbench -n "$N" -p "$p" -t "$2" -a "$3" -l "$1" | tee -a "$OUT" ||
			echo "cfsbench $1 -p $p failed" | tee -a "$OUT"
	done
}

say "seed scenario: $N subsystems on $N ports, add_port delay ${D} ms"

say "nvmet-ng with its test fabric"
modprobe nvmet || return 1
modprobe nvmet-test-fabric add_port_delay_ms="$D" || return 1
run_pair ours loop ipv4
rmmod nvmet_test_fabric nvmet

say "in-tree nvmet with the same add_port delay"
$INTREE_LOAD nvmet || return 1
insmod "$MODDIR/nvmet-intree-delay.ko" add_port_delay_ms="$D" || return 1
run_pair in-tree loop ipv4
rmmod nvmet_intree_delay

say "in-tree nvmet over real TCP ports, no injected delay"
$INTREE_LOAD nvmet-tcp || return 1
run_pair in-tree-tcp tcp ipv4
rmmod nvmet_tcp nvmet

# Ratios: setup time with 1 process over setup time with 4.
awk -v D="$D" -v N="$N" -v TITLE="seed scenario" -f /vm/guest/seed-report.awk "$OUT"
