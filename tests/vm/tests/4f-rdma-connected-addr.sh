#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# An RDMA host connected through an address that is removed and added
# again, four times (issue 16; 4d does it with no host connected, 2l over
# TCP): the host's controller must leave "live" once the address goes
# and be "live" again within 60 s of its return, with I/O landing in the
# backing file each time.
# In-tree (TARGET=intree, stop 28): passes, the host live again 3 s after
# the address came back in all four rounds.  Ours: flaky.  Stop 28 saw it
# fail in round 1, session 29 once in round 2 of four (machine loaded by
# other VMs), the host still "connecting" 60 s after the address came
# back though the port was live again at once; then it passed three runs
# of four and eight rounds on an idle machine.  Quarantined
# (VM_QUARANTINE) until understood: on a failure it prints the IB CM's
# message counters and CM ids (cm_state), and E2E_DYNDBG=1 turns on
# nvme_rdma, rdma_cm and ib_cm's debug messages.  Ours takes the listener
# down when the address goes and makes a new one when it comes back;
# in-tree keeps its listener bound through the absence.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
rdma_begin
rdma_tgt_load
IP2=10.77.0.2
E2E_CLEANUP="host_disconnect_all; ip addr del $IP2/24 dev $RDMA_NETDEV 2>/dev/null; $E2E_CLEANUP"
N=$NQN_BASE:rdma-conn
IMG=/tmp/e2e-rconn.img
truncate -s 64M $IMG || fail "truncate $IMG"
data_prep
ip addr add $IP2/24 dev $RDMA_NETDEV || fail "ip addr add $IP2"
sleep 2
tgt_subsys $N 1
tgt_ns $N 1 $IMG
rdma_tgt_port 1 $IP2
tgt_link 1 $N
nvme connect -t rdma -a $IP2 -s 4420 -n $N --reconnect-delay=1 \
	--ctrl-loss-tmo=120 --keep-alive-tmo=3 || fail "nvme connect to $IP2"
C=$(ctrl_of $N) || fail "no controller"
D=$(wait_for_dev $N 1) || fail "no namespace"
placed $D $IMG 3
echo "connected: $C"
# cm_state: the IB CM's message counters and the CM ids, for a failure
cm_state() {
	for f in /sys/class/infiniband_cm/*/1/*/*; do
		v=$(cat $f 2>/dev/null)
		[ "$v" != 0 ] && echo "${f#/sys/class/infiniband_cm/} $v"
	done
	rdma resource show cm_id 2>&1
}
[ -n "$E2E_DYNDBG" ] && [ -e /sys/kernel/debug/dynamic_debug/control ] &&
	echo "module nvme_rdma +p; module rdma_cm +p; module ib_cm +p" > /sys/kernel/debug/dynamic_debug/control 2>/dev/null
for round in 1 2 3 4; do
	ip addr del $IP2/24 dev $RDMA_NETDEV || fail "ip addr del"
	t0=$(date +%s)
	end=$((t0 + 30))
	while [ "$(cat /sys/class/nvme/$C/state)" = live ]; do
		[ $(date +%s) -ge $end ] && fail "round $round: still live 30 s after removal"
		sleep 0.5
	done
	echo "round $round: $(cat /sys/class/nvme/$C/state) after $(( $(date +%s) - t0 )) s"
	sleep 3
	ip addr add $IP2/24 dev $RDMA_NETDEV || fail "ip addr add again"
	t0=$(date +%s)
	end=$((t0 + 60))
	until [ "$(cat /sys/class/nvme/$C/state)" = live ]; do
		[ $(date +%s) -ge $end ] && { dmesg | tail -40; cm_state; fail "round $round: not live 60 s after the address came back ($(cat /sys/class/nvme/$C/state))"; }
		sleep 0.5
	done
	echo "round $round: live again after $(( $(date +%s) - t0 )) s"
	placed $D $IMG $((3 + round))
done
exit 0
