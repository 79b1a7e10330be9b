#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fault runs over NVMe/TCP (tests/vm/guest/faults.sh), each while the
# Linux host runs fio with verify on namespace 1: host loss until the
# target's keep-alive expiry, port unlink and relink, namespace disable,
# enable and rmdir, a backend returning I/O errors, rmmod nvmet_tcp while
# in use; then teardown with every live-object count back to 0.
#
# Host loss: the host is in a network namespace behind a veth pair; the
# target listens on the init_net end's address.  The host's first
# connect runs in the namespace (nvme-tcp creates its sockets with
# sock_create() in the caller's netns), so its queues really cross the
# veth (checked: the veth's counters grow).  Both ends go down: the
# sockets go silent, and only the keep-alive timer can tell the target
# (KATO 5 s).  The host's reconnects run in a kworker, i.e. in init_net,
# where the target's address is a local one, reached over lo whatever
# the veth's state (init_net keeps the local route of an address on a
# down device).  So "link down" also takes the address off the init_net
# end (the listening socket stays bound to it): the reconnects then find
# no route while the link is down, and succeed, over lo, once it is up
# and the address back (the controller's src_addr shows where from).
#
# VM_ARGS="TARGET=intree tests=70" runs it against Debian's target.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/faults.sh
NS=e2e-faults
VT=e2e-fvt
VH=e2e-fvh
TADDR=10.89.0.1
IP=/usr/bin/ip		# iproute2's (busybox sh would run its own applet)
HADDR=10.89.0.2
e2e_begin
E2E_CLEANUP="$F_CLEANUP; host_disconnect_all; tgt_teardown; fault_dm_remove;
	\$IP netns del \$NS 2>/dev/null; \$IP link del \$VT 2>/dev/null"
out=$($IP netns list 2>&1) || fail "no ip netns (iproute2) in the VM image: $out"
tgt_load
null_blk_load

modprobe veth || fail "modprobe veth"
$IP netns add $NS || fail "ip netns add"
$IP link add $VT type veth peer name $VH || fail "ip link add veth"
$IP link set $VH netns $NS || fail "move $VH into $NS"
$IP addr add $TADDR/24 dev $VT || fail "address on $VT"
$IP link set $VT up || fail "$VT up"
$IP -n $NS addr add $HADDR/24 dev $VH || fail "address on $VH"
$IP -n $NS link set $VH up || fail "$VH up"
$IP -n $NS link set lo up

fault_link_down() {
	b=$(veth_bytes)
	echo "veth $VT: $(( (b - B0) >> 20 )) MiB across it since the connect"
	[ $((b - B0)) -gt 1048576 ] || fail "the host's I/O did not cross the veth"
	$IP -n $NS link set $VH down || fail "$VH down"
	$IP link set $VT down || fail "$VT down"
	$IP addr del $TADDR/24 dev $VT || fail "address off $VT"
	out=$($IP route get $TADDR 2>&1) &&
		fail "init_net still routes to $TADDR: $out"
	echo "link down: $VT and $VH down, $TADDR unreachable"
}
fault_link_up() {
	$IP addr add $TADDR/24 dev $VT || fail "address on $VT"
	$IP link set $VT up || fail "$VT up"
	$IP -n $NS link set $VH up || fail "$VH up"
	echo "link up"
}
veth_bytes() {
	echo $(( $(cat /sys/class/net/$VT/statistics/rx_bytes) +
		$(cat /sys/class/net/$VT/statistics/tx_bytes) ))
}

F_NQN=$NQN_BASE:faults
F_PORT=1
F_MOD=nvmet_tcp
F_KATO=5
F_LOSS_BY=kato
fault_images
tgt_setup_tcp_subsys $F_NQN $F_PORT $TADDR 4420 $F_IMG1

fault_connect() {
	$IP netns exec $NS nvme connect -t tcp -a $TADDR -s 4420 -n $F_NQN \
		--keep-alive-tmo=$F_KATO --reconnect-delay=1 \
		--ctrl-loss-tmo=600 || fail "nvme connect from $NS"
	fault_found
}
fault_connect
addr=$(cat /sys/class/nvme/$F_CTRL/address)
echo "connected from $NS: $F_CTRL ($addr), $F_D1"
case $addr in
*src_addr=$HADDR*) ;;
*) fail "the host's connection does not come from $HADDR: $addr" ;;
esac

# fault_run_all starts with the host loss, while the host's queues are
# the ones its connect made in the namespace (the reconnects after it
# come from init_net).
B0=$(veth_bytes)
fault_run_all /dev/nullb0
$IP netns del $NS || fail "ip netns del"
exit 0
