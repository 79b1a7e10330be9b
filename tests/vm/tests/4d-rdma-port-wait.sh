#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# An RDMA port on an address its interface does not have yet (issue 16):
# the rxe netdev has $RDMA_IP, the port is configured on 10.77.0.2.
# Ours: the link succeeds, param_state says "waiting"; ten seconds later
# the address is added to the rxe netdev: the port goes "live" by itself
# (the address notifier, then the backoff while the RoCE GID table
# catches up), the host connects through it and I/O lands in the backing
# file.  The host disconnects and the address is removed: the port waits
# again; the address comes back: the port is live and a new connect does
# I/O.  Then the rxe device itself is deleted and added again: the port
# waits while there is no device and is live again once there is one;
# the host (whose controller went with the shared device) connects again
# and I/O works.
# In-tree (TARGET=intree): the link fails with EADDRNOTAVAIL; the port is
# linked again by hand once the address is up, and the rest runs the same,
# its results printed beside ours.  A connected host through the address
# change: 2l, over TCP.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
rdma_begin
rdma_tgt_load

IP2=10.77.0.2

E2E_CLEANUP="host_disconnect_all; ip addr del $IP2/24 dev $RDMA_NETDEV 2>/dev/null; $E2E_CLEANUP"
ip -4 addr show dev $RDMA_NETDEV | grep -q "inet $IP2/" && fail "$IP2 is up"

N=$NQN_BASE:rdma-wait
IMG=/tmp/e2e-rwait.img
truncate -s 64M $IMG || fail "truncate $IMG"
data_prep
tgt_subsys $N 1
tgt_ns $N 1 $IMG
rdma_tgt_port 1 $IP2

if [ "$TARGET" = intree ]; then
	expect_errno "Cannot assign requested address" \
		ln -s $CFS/subsystems/$N $CFS/ports/1/subsystems/$N
	echo "in-tree: linking into the port failed: EADDRNOTAVAIL"
else
	tgt_link 1 $N
	echo "ours: linking into the port succeeded"
	port_state_is 1 waiting 1
fi
# No discovery through the absent address here: rxe sends its CM request
# into the dummy netdev, and it takes the CM's retries (about 80 s) to
# fail.  2l checks that over TCP.
sleep 10
ip addr add $IP2/24 dev $RDMA_NETDEV || fail "ip addr add $IP2"
echo "$IP2 added"
if [ "$TARGET" = intree ]; then
	sleep 3
	nvme discover -t rdma -a $IP2 -s 4420 > /tmp/e2e-disc.out 2>&1 &&
		echo "in-tree: the port answers after the address appeared" ||
		echo "in-tree: the port still dead 3 s after the address appeared; linking again"
	[ -L $CFS/ports/1/subsystems/$N ] || tgt_link 1 $N
else
	port_state_is 1 live 10
fi

nvme discover -t rdma -a $IP2 -s 4420 -o json > /tmp/e2e-disc.json ||
	fail "discovery through $IP2"
disc_records /tmp/e2e-disc.json | sed 's/^/disc: /'
disc_records /tmp/e2e-disc.json | grep -q "^nvme subsystem|$N|rdma|ipv4|$IP2|4420|1\$" ||
	fail "the discovery log lacks $N on $IP2"

nvme connect -t rdma -a $IP2 -s 4420 -n $N --reconnect-delay=1 \
	--ctrl-loss-tmo=5 --keep-alive-tmo=3 || fail "nvme connect to $IP2"
C=$(ctrl_of $N) || fail "no controller"
D=$(wait_for_dev $N 1) || fail "no namespace"
placed $D $IMG 3
echo "connected: $C, $D; I/O through $IP2 works"

# The address goes and comes back with no host connected: over rxe, a
# host reconnect attempt racing the address's return was seen to hang in
# the host's RDMA-CM connect (no CM event, no message) in 2 of 4 runs on
# ours; 2l covers a connected host over TCP.
host_disconnect_all
wait_ctrl_gone $N
ip addr del $IP2/24 dev $RDMA_NETDEV || fail "ip addr del $IP2"
echo "$IP2 removed"
port_state_is 1 waiting 5
ip addr add $IP2/24 dev $RDMA_NETDEV || fail "ip addr add $IP2 again"
echo "$IP2 added again"
port_state_is 1 live 10
nvme connect -t rdma -a $IP2 -s 4420 -n $N --ctrl-loss-tmo=5 \
	--keep-alive-tmo=3 || fail "nvme connect after the address came back"
C=$(ctrl_of $N) || fail "no controller after the address came back"
D=$(wait_for_dev $N 1) || fail "no namespace after the address came back"
placed $D $IMG 5
echo "connected again: $C; I/O works (address back)"

# The host shares the rxe device: its nvme-rdma deletes its controller
# when the device goes, so it connects again afterwards.
timeout 60 rdma link delete $RDMA_DEV || fail "rdma link delete $RDMA_DEV"
echo "$RDMA_DEV deleted"
port_state_is 1 waiting 10
wait_ctrl_gone $N 60
echo "host: $C deleted with the device"
rdma link add $RDMA_DEV type rxe netdev $RDMA_NETDEV ||
	fail "rdma link add $RDMA_DEV again"
echo "$RDMA_DEV added again"
if [ "$TARGET" = intree ]; then
	sleep 10
	nvme discover -t rdma -a $IP2 -s 4420 > /tmp/e2e-disc.out 2>&1 &&
		echo "in-tree: the port answers after the device came back" ||
		echo "in-tree: the port is dead 10 s after the device came back"
else
	port_state_is 1 live 20
fi
if nvme connect -t rdma -a $IP2 -s 4420 -n $N --ctrl-loss-tmo=5 \
	--keep-alive-tmo=3 > /tmp/e2e-conn.out 2>&1; then
	C=$(ctrl_of $N) || fail "no controller after the device came back"
	D=$(wait_for_dev $N 1) || fail "no namespace after the device came back"
	placed $D $IMG 7
	echo "connected again: $C; I/O works (device back)"
elif [ "$TARGET" = intree ]; then
	echo "in-tree: no connect after the device came back: $(cat /tmp/e2e-conn.out)"
else
	cat /tmp/e2e-conn.out
	fail "nvme connect after the device came back"
fi

host_disconnect_all
wait_ctrl_gone $N
exit 0
