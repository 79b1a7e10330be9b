#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench: run every benchmark in /vm/bench/, in order.
. /vm/guest/lib.sh
echo 1 > /proc/sys/kernel/printk
export INTREE_LOAD=intree_load
found=
# benches=PREFIX[,PREFIX...] (make bench BENCH_ONLY=20,21) picks some.
only=$(echo "${benches:-}" | tr ',' ' ')
for b in /vm/bench/[0-9]*.sh; do
	[ -f "$b" ] || continue
	if [ -n "$only" ]; then
		keep=
		for p in $only; do
			case ${b##*/} in "$p"*) keep=1 ;; esac
		done
		[ -n "$keep" ] || continue
	fi
	found=1
	echo "==> benchmark $(basename "$b" .sh)"
	. "$b"
done
[ -n "$found" ] || echo "no benchmarks yet"
