#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The CM ids nvmet-rdma parks when their connection's address goes
# (nvmet-rdma/park.c; 4f is the connected host's side of it).  Each case
# connects a host through 10.77.0.2, removes the address under it, waits
# until the old connections' ids are parked (ours: CM ids of nvmet_rdma
# from 10.77.0.2 that are not the listener, "rdma resource show cm_id")
# and disconnects the host; then the ids must go, with nothing hanging:
#  1. the address comes back: the parked ids go within 10 s, the port is
#     live again and a new connect does I/O;
#  2. the rxe device is deleted while ids are parked: the deletion
#     finishes (our ib_client's remove destroys them), the device comes
#     back and the port is live again;
#  3. nvmet-rdma is unloaded while ids are parked (the configuration
#     removed first): the unload finishes and nvmet-rdma is gone.
# In-tree parks nothing: ours only.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
[ "$TARGET" = intree ] && skip "in-tree parks no CM id"
rdma_begin
rdma_tgt_load
IP2=10.77.0.2
E2E_CLEANUP="host_disconnect_all; ip addr del $IP2/24 dev $RDMA_NETDEV 2>/dev/null; $E2E_CLEANUP"
N=$NQN_BASE:rdma-park
IMG=/tmp/e2e-rpark.img
truncate -s 64M $IMG || fail "truncate $IMG"
data_prep

# parked: the number of our CM ids from $IP2 that are not listening
parked() {
	rdma resource show cm_id 2>/dev/null |
		grep 'comm \[nvmet_rdma\]' | grep "src-addr $IP2:" |
		grep -vc 'state LISTEN'
}

# connect_and_park CASE: a host connected through $IP2 does I/O, the
# address goes, the old connections' ids are parked, the host disconnects
connect_and_park() {
	nvme connect -t rdma -a $IP2 -s 4420 -n $N --reconnect-delay=1 \
		--ctrl-loss-tmo=60 --keep-alive-tmo=3 ||
		fail "case $1: nvme connect to $IP2"
	C=$(ctrl_of $N) || fail "case $1: no controller"
	D=$(wait_for_dev $N 1) || fail "case $1: no namespace"
	placed $D $IMG $((2 + $1))
	ip addr del $IP2/24 dev $RDMA_NETDEV || fail "case $1: ip addr del"
	end=$(( $(date +%s) + 30 ))
	until [ "$(parked)" -gt 0 ]; do
		[ "$(date +%s)" -ge $end ] && {
			rdma resource show cm_id
			fail "case $1: no CM id parked 30 s after the address went"
		}
		sleep 0.2
	done
	echo "case $1: $(parked) CM ids parked"
	host_disconnect_all || fail "case $1: host disconnect"
	[ "$(parked)" -gt 0 ] || fail "case $1: the parked ids went with the host"
}

ip addr add $IP2/24 dev $RDMA_NETDEV || fail "ip addr add $IP2"
sleep 2
tgt_subsys $N 1
tgt_ns $N 1 $IMG
rdma_tgt_port 1 $IP2
tgt_link 1 $N
port_state_is 1 live 10

connect_and_park 1
ip addr add $IP2/24 dev $RDMA_NETDEV || fail "case 1: ip addr add again"
end=$(( $(date +%s) + 10 ))
until [ "$(parked)" -eq 0 ]; do
	[ "$(date +%s)" -ge $end ] && {
		rdma resource show cm_id
		fail "case 1: $(parked) CM ids still parked 10 s after the address came back"
	}
	sleep 0.2
done
echo "case 1: the parked ids went once the address was back"
port_state_is 1 live 30

connect_and_park 2
timeout 60 rdma link delete $RDMA_DEV ||
	fail "case 2: rdma link delete $RDMA_DEV with ids parked"
echo "case 2: the rxe device went with ids parked"
rdma_net_up
ip addr add $IP2/24 dev $RDMA_NETDEV || fail "case 2: ip addr add again"
port_state_is 1 live 30
echo "case 2: the port is live on the new device"

connect_and_park 3
tgt_teardown || fail "case 3: target teardown"
timeout 60 rmmod nvmet_rdma || fail "case 3: rmmod nvmet_rdma with ids parked"
grep -q '^nvmet_rdma ' /proc/modules && fail "case 3: nvmet_rdma still loaded"
echo "case 3: nvmet_rdma unloaded with ids parked"
exit 0
