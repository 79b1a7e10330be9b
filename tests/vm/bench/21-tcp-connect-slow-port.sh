#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The seed's point on the connect path: how long `nvme discover` and
# `nvme connect` take on a live TCP port while another port's add_port()
# is held up for D ms, ours and in-tree, against the same with no port
# being enabled.  Ours must not grow with D; in-tree waits on its global
# configuration semaphore, which a port being enabled holds for writing.
#
# Environment: BENCH_CONNECT_DELAY_MS (default 3000), BENCH_CONNECT_RUNS
# (default 3).  Sourced by guest/bench.sh.

CD=${BENCH_CONNECT_DELAY_MS:-3000}
RUNS=${BENCH_CONNECT_RUNS:-3}
MODDIR=${BENCH_MODDIR:-/lib/modules/bench}
COUT=/tmp/tcp-connect.txt
NQN=nqn.2026-11.io.nvmet-ng:bench-connect
: > "$COUT"

now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

# time_ms CMD...: run it, print its wall time in ms
time_ms() {
	t0=$(now_ms)
	"$@" > /dev/null 2>&1 || echo "failed: $*" >&2
	echo $(($(now_ms) - t0))
}

connect_cycle() {
	nvme connect -t tcp -a 127.0.0.1 -s 4420 -n $NQN > /dev/null &&
		nvme disconnect -n $NQN > /dev/null
}

live_port() {
	mkdir $CFS/subsystems/$NQN
	echo 1 > $CFS/subsystems/$NQN/attr_allow_any_host
	mkdir $CFS/ports/1
	echo tcp > $CFS/ports/1/addr_trtype
	echo ipv4 > $CFS/ports/1/addr_adrfam
	echo 127.0.0.1 > $CFS/ports/1/addr_traddr
	echo 4420 > $CFS/ports/1/addr_trsvcid
	ln -s $CFS/subsystems/$NQN $CFS/ports/1/subsystems/$NQN
}

# measure LABEL SLOW(0|1): RUNS rounds of discover and connect+disconnect
measure() {
	i=0
	while [ $i -lt "$RUNS" ]; do
		i=$((i + 1))
		p=$((100 + i))
		if [ "$2" = 1 ]; then
			mkdir $CFS/ports/$p
			echo loop > $CFS/ports/$p/addr_trtype
			ln -s $CFS/subsystems/$NQN $CFS/ports/$p/subsystems/$NQN &
			bg=$!
			sleep 0.3
		fi
		d=$(time_ms nvme discover -t tcp -a 127.0.0.1 -s 4420)
		c=$(time_ms connect_cycle)
		echo "connect $1 slow=$2 discover_ms=$d connect_ms=$c" |
			tee -a "$COUT"
		if [ "$2" = 1 ]; then
			wait $bg
			rm $CFS/ports/$p/subsystems/$NQN
			rmdir $CFS/ports/$p
		fi
	done
}

teardown() {
	rm $CFS/ports/1/subsystems/$NQN
	rmdir $CFS/ports/1 $CFS/subsystems/$NQN
}

echo "==> connect and discover on a live port, another port's add_port held ${CD} ms"
modprobe nvme-tcp || return 1
modprobe nvmet && modprobe nvmet-tcp &&
	modprobe nvmet-test-fabric add_port_delay_ms="$CD" || return 1
live_port
measure ours 0
measure ours 1
teardown
rmmod nvmet_test_fabric nvmet_tcp nvmet

$INTREE_LOAD nvmet && $INTREE_LOAD nvmet-tcp &&
	insmod "$MODDIR/nvmet-intree-delay.ko" add_port_delay_ms="$CD" ||
	return 1
live_port
measure in-tree 0
measure in-tree 1
teardown
rmmod nvmet_intree_delay nvmet_tcp nvmet

awk -v D="$CD" '
/^connect / {
	split($3, s, "="); split($4, d, "="); split($5, c, "=")
	k = $2 SUBSEP s[2]
	dsum[k] += d[2]; csum[k] += c[2]; n[k]++
	if (d[2] > dmax[k]) dmax[k] = d[2]
	if (c[2] > cmax[k]) cmax[k] = c[2]
}
END {
	printf "\nconnect path on a live TCP port, another port add_port %d ms\n", D
	printf "%-8s %-18s %14s %14s %14s %14s\n", "target", "other port",
	       "discover avg", "discover max", "connect avg", "connect max"
	split("ours in-tree", t, " ")
	for (i = 1; i <= 2; i++)
		for (s = 0; s <= 1; s++) {
			k = t[i] SUBSEP s
			if (!n[k])
				continue
			printf "%-8s %-18s %11d ms %11d ms %11d ms %11d ms\n",
			       t[i], s ? "being enabled" : "idle",
			       dsum[k] / n[k], dmax[k], csum[k] / n[k], cmax[k]
		}
}' "$COUT"
