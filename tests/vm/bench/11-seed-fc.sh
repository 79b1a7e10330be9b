#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The seed's scenario on NVMe/FC, where slow port enables come from: N FC
# target ports registered through nvme-fcloop, N subsystems on N nvmet
# ports each bound to its own target port, set up by 1 and by 4
# processes, every add_port() delayed D ms (nvmet-fc's add_port_delay_ms,
# standing in for an HBA whose firmware resets on port enable), while a
# fifth process times unrelated configfs operations.  Debian's in-tree
# nvmet-fc has no such knob: its line is the same scenario with no delay.
#
# Environment as 10-seed-configfs.sh.  Sourced by guest/bench.sh.

D=${BENCH_DELAY_MS:-1000}
N=${BENCH_PORTS:-64}
FCOUT=/tmp/seed-fc.txt
CTL=/sys/class/fcloop/ctl
: > "$FCOUT"

# fc_ports add|del: the target ports cfsbench -t fc binds ports 1..N to
fc_ports() {
	i=0
	while [ $i -lt "$N" ]; do
		printf 'wwnn=0x%016x,wwpn=0x%016x\n' \
			$((0x2000000000000001 + i)) $((0x2100000000000001 + i)) \
			> $CTL/$1_target_port || return 1
		i=$((i + 1))
	done
}

fc_pair() {	# fc_pair label
	for p in 1 4; do
		cfsbench -n "$N" -p "$p" -t fc -a fc -l "$1" | tee -a "$FCOUT" ||
			echo "cfsbench $1 -p $p failed" | tee -a "$FCOUT"
	done
}

echo "==> seed scenario on FC: $N target ports, add_port delay ${D} ms (ours)"
modprobe nvmet && modprobe nvmet-fc add_port_delay_ms="$D" &&
	modprobe nvme-fcloop || return 1
fc_ports add || return 1
fc_pair ours
fc_ports del
rmmod nvme_fcloop nvmet_fc nvmet

echo "==> the same on the in-tree nvmet-fc, no delay"
$INTREE_LOAD nvmet && $INTREE_LOAD nvmet-fc && $INTREE_LOAD nvme-fcloop ||
	return 1
fc_ports add || return 1
fc_pair in-tree-nodelay
# Debian's fcloop oopses deleting a target port that never had a remote
# port (fcloop_delete_target_port); its module exit removes them safely.
rmmod nvme_fcloop nvmet_fc nvmet

awk -v D="$D" -v N="$N" -v TITLE="seed scenario on FC (in-tree: no delay)" \
	-f /vm/guest/seed-report.awk "$FCOUT"
