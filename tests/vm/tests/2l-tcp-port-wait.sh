#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A TCP port on an address the host does not have yet (issue 16).  lo
# gets 127.0.0.1/32 instead of /8, so 127.0.0.2 is absent until added.
# Port 1 listens on 127.0.0.1, port 2 is configured on 127.0.0.2.
# Ours: linking a subsystem into port 2 succeeds, param_state says
# "waiting", a discovery through 127.0.0.2 fails and port 1's log lists
# only 127.0.0.1; ten seconds later the address is added: port 2 goes
# "live" by itself, the host discovers it there, connects, and I/O lands
# in the backing file.  The address is then removed under the connected
# host: the port goes back to "waiting", the host's controller leaves
# "live" (keep-alive) and cannot reconnect; the address comes back: the
# port is live again, the host reconnects on its own and I/O resumes.
# In-tree (TARGET=intree): the link fails with EADDRNOTAVAIL and the port
# stays dead after the address appears, until the link is made again;
# the rest runs the same and its results are printed beside ours.
# lo is given back its 127.0.0.1/8 at the end, whatever happens.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
e2e_begin
tgt_load

lo_restore() {
	ip addr del 127.0.0.2/32 dev lo 2>/dev/null
	ip addr del 127.0.0.1/32 dev lo 2>/dev/null
	ip -4 addr show dev lo | grep -q 'inet 127.0.0.1/8' ||
		ip addr add 127.0.0.1/8 dev lo
}
E2E_CLEANUP="host_disconnect_all; lo_restore"

ip addr del 127.0.0.1/8 dev lo || fail "ip addr del 127.0.0.1/8"
ip addr add 127.0.0.1/32 dev lo || fail "ip addr add 127.0.0.1/32"
ip -4 addr show dev lo | grep -q 'inet 127.0.0.2' && fail "127.0.0.2 is up"

N=$NQN_BASE:port-wait
IMG=/tmp/e2e-pwait.img
truncate -s 64M $IMG || fail "truncate $IMG"
data_prep
tgt_subsys $N 1
tgt_ns $N 1 $IMG
tgt_port 1 127.0.0.1 4420
tgt_port 2 127.0.0.2 4420
tgt_link 1 $N
port_state_is 1 live 1

P2=$CFS/ports/2
if [ "$TARGET" = intree ]; then
	expect_errno "Cannot assign requested address" \
		ln -s $CFS/subsystems/$N $P2/subsystems/$N
	echo "in-tree: linking into port 2 failed: EADDRNOTAVAIL"
else
	tgt_link 2 $N
	echo "ours: linking into port 2 succeeded"
	port_state_is 2 waiting 1
	expect_errno "Permission denied" sh -c "echo 4421 > $P2/addr_trsvcid"
	expect_errno "Permission denied" sh -c "echo live > $P2/param_state"
fi

# Discovery lists only what a host can reach.
nvme discover -t tcp -a 127.0.0.2 -s 4420 > /tmp/e2e-disc.out 2>&1 &&
	fail "discovery through the absent 127.0.0.2 answered"
nvme discover -t tcp -a 127.0.0.1 -s 4420 -o json > /tmp/e2e-disc.json ||
	fail "discovery through port 1"
disc_records /tmp/e2e-disc.json | sed 's/^/disc port 1: /'
disc_records /tmp/e2e-disc.json | grep -q '|127\.0\.0\.2|' &&
	fail "port 1's discovery log lists 127.0.0.2"
disc_records /tmp/e2e-disc.json | grep -q "^nvme subsystem|$N|tcp|ipv4|127.0.0.1|4420|1\$" ||
	fail "port 1's discovery log lacks $N on 127.0.0.1"

sleep 10
ip addr add 127.0.0.2/32 dev lo || fail "ip addr add 127.0.0.2/32"
echo "127.0.0.2 added"
if [ "$TARGET" = intree ]; then
	sleep 3
	if nvme discover -t tcp -a 127.0.0.2 -s 4420 > /tmp/e2e-disc.out 2>&1; then
		echo "in-tree: port 2 answers after the address appeared"
	else
		echo "in-tree: port 2 still dead 3 s after the address appeared; linking again"
	fi
	[ -L $P2/subsystems/$N ] || tgt_link 2 $N
else
	port_state_is 2 live 5
fi

nvme discover -t tcp -a 127.0.0.2 -s 4420 -o json > /tmp/e2e-disc.json ||
	fail "discovery through port 2"
disc_records /tmp/e2e-disc.json | sed 's/^/disc port 2: /'
disc_records /tmp/e2e-disc.json | grep -q "^nvme subsystem|$N|tcp|ipv4|127.0.0.2|4420|2\$" ||
	fail "port 2's discovery log lacks $N on 127.0.0.2"

TRADDR=127.0.0.2 host_connect $N --reconnect-delay=1 --ctrl-loss-tmo=120 \
	--keep-alive-tmo=3 || fail "nvme connect to 127.0.0.2"
C=$(ctrl_of $N) || fail "no controller"
D=$(wait_for_dev $N 1) || fail "no namespace"
grep -q 'traddr=127\.0\.0\.2,' /sys/class/nvme/$C/address ||
	fail "$C is at $(cat /sys/class/nvme/$C/address)"
placed $D $IMG 3
echo "connected: $C, $D; I/O through 127.0.0.2 works"

ip addr del 127.0.0.2/32 dev lo || fail "ip addr del 127.0.0.2/32"
echo "127.0.0.2 removed"
port_state_is 2 waiting 5
s=$(wait_ctrl_state $C "connecting|resetting" 30) || fail "host controller stayed live"
echo "host: $C went $s after the removal"
sleep 5
s=$(cat /sys/class/nvme/$C/state 2>/dev/null || echo gone)
[ "$s" = live ] && fail "$C reconnected while 127.0.0.2 was absent"
echo "host: $C is $s 5 s later"

ip addr add 127.0.0.2/32 dev lo || fail "ip addr add 127.0.0.2/32 again"
echo "127.0.0.2 added again"
port_state_is 2 live 5
wait_ctrl_state $C live 60 > /dev/null || fail "$C did not reconnect"
echo "host: $C reconnected"
D=$(wait_for_dev $N 1) || fail "no namespace after the reconnect"
placed $D $IMG 5
echo "I/O resumed"

out=$(nvme disconnect -n $N 2>&1) || fail "nvme disconnect: $out"
wait_ctrl_gone $N
exit 0
