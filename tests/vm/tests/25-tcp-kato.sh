#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Keep Alive over NVMe/TCP.
#
# A host that vanishes: the in-kernel host cannot be made to go silent
# without closing its sockets (no iptables or tc in the VM, and bringing
# lo down or deleting the controller closes cleanly), so a raw TCP client
# (busybox nc) plays the host: it sends ICReq, Connect (KATO 5 s),
# Property Set CC.EN=1, then a Keep Alive every 2 s for 12 s -- every
# command must succeed and the target must keep the connection -- and
# then goes silent with the socket still open: the target must close the
# connection after KATO (at most 2 KATO plus 10 s: traffic-based keep
# alive may re-arm once, and the in-tree target takes 2 KATO + 1 s), and
# on ours the controller is freed (debugfs live-object count).
#
# The in-kernel host with --keep-alive-tmo=5 stays live through 12 idle
# seconds (the target honours its keep-alives); after it disconnects the
# port's link and the subsystem go away without EBUSY.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/tcp-pdu.sh
command -v nc > /dev/null || skip "no nc in the VM image"
e2e_begin
NC=
E2E_CLEANUP='[ -n "$NC" ] && kill $NC 2>/dev/null; exec 3>&-'
tgt_load

N=$NQN_BASE:kato
KATO=5
truncate -s 64M /tmp/e2e-kato.img || fail "truncate"
tgt_setup_tcp_subsys $N 1 127.0.0.1 4420 /tmp/e2e-kato.img

connect() {	# CID SUBNQN HOSTNQN KATO_MS: admin queue, 32 entries
	capsule 1024
	le 127 1; le 64 1; le $1 2; le 1 1; zeros 19	# fabrics, SGL, connect
	le 0 8; le 1024 4; zeros 3; le 1 1		# in-capsule, offset 0
	le 0 2; le 0 2; le 31 2; le 0 1; le 0 1; le $4 4; zeros 12
	le $((0x1122334455667788)) 8; le $((0x99aabbccddeeff00)) 8  # hostid
	le 65535 2; zeros 238; str $2 256; str $3 256; zeros 256
}
prop_set_cc() {	# CID: CC.EN=1, IOSQES 6, IOCQES 4
	capsule 0
	le 127 1; le 64 1; le $1 2; le 0 1; zeros 35
	le 0 1; zeros 3; le 20 4; le $((0x460001)) 8; zeros 8
}
keep_alive() {	# CID
	capsule 0
	le 24 1; le 64 1; le $1 2; zeros 60
}

R=/tmp/e2e-kato.resp
FIFO=/tmp/e2e-kato.fifo
size() { wc -c < $R | tr -d ' '; }
# response K (0 = the first CapsuleResp): command id and status
resp() {
	off=$((128 + 24 * $1))
	expect_eq "response $1: PDU type" 5 "$(byte $R $off)"
	expect_eq "response $1: PDU length" 24 "$(byte $R $((off + 4)))"
	expect_eq "response $1: command id" $2 "$(le16 $R $((off + 20)))"
	expect_eq "response $1: status" 0 "$(( $(le16 $R $((off + 22))) >> 1 ))"
}
wait_size() {
	end=$(( $(date +%s) + 10 ))
	while [ "$(size)" -lt $1 ]; do
		[ "$(date +%s)" -ge $end ] &&
			fail "only $(size) of $1 response bytes after 10 s"
		kill -0 $NC 2>/dev/null ||
			fail "target closed the connection ($(size) bytes received)"
		sleep 0.1
	done
}

connect 1 $N $HOSTNQN_A $((KATO * 1000)) > /tmp/e2e-kato.conn
expect_eq "connect capsule size" 1096 "$(wc -c < /tmp/e2e-kato.conn | tr -d ' ')"
rm -f $FIFO
mkfifo $FIFO || fail "mkfifo"
nc 127.0.0.1 4420 < $FIFO > $R &
NC=$!
exec 3> $FIFO
{ icreq; cat /tmp/e2e-kato.conn; } >&3
wait_size 152
expect_eq "ICResp PDU type" 1 "$(byte $R 0)"
expect_eq "ICResp length" 128 "$(byte $R 4)"
resp 0 1
echo "raw host connected, cntlid $(le16 $R 136)"
# Ours counts live controllers in debugfs, which the guest mounts: a
# missing file or count fails the test.  The in-tree target keeps none.
OBJ=/sys/kernel/debug/nvmet-ng/objects
ctrls() {	# sets n to the count
	[ -f $OBJ ] || fail "no $OBJ (debugfs mounts: $(grep -c debugfs /proc/mounts))"
	n=$(sed -n 's/^controllers *//p' $OBJ)
	[ -n "$n" ] || fail "no controllers count in $OBJ: $(cat $OBJ)"
}
if [ "$TARGET" != intree ]; then
	ctrls
	expect_eq "target controllers with the raw host" 1 "$n"
else
	echo "in-tree target: no live-object counts to check"
fi
prop_set_cc 2 >&3
wait_size 176
resp 1 2

cid=3
while [ $cid -le 8 ]; do
	sleep 2
	kill -0 $NC 2>/dev/null ||
		fail "target dropped a host that sent keep-alives (after $((cid - 3)))"
	keep_alive $cid >&3
	wait_size $((128 + 24 * cid))
	resp $((cid - 1)) $cid
	cid=$((cid + 1))
done
echo "6 keep-alives answered over 12 s"

# Silence, socket open: the target must close it.
t0=$(date +%s)
while kill -0 $NC 2>/dev/null; do
	[ $(( $(date +%s) - t0 )) -gt $((2 * KATO + 10)) ] &&
		fail "target kept a silent host for over $((2 * KATO + 10)) s (KATO $KATO s)"
	sleep 0.2
done
elapsed=$(( $(date +%s) - t0 ))
NC=
exec 3>&-
echo "target closed the silent host's connection after ${elapsed} s"
[ $elapsed -ge $((KATO - 1)) ] ||
	fail "connection closed after ${elapsed} s, before KATO ($KATO s)"
expect_eq "bytes after the last response" $((128 + 24 * 8)) "$(size)"
if [ "$TARGET" != intree ]; then
	i=0
	while ctrls; [ "$n" != 0 ]; do
		i=$((i + 1))
		[ $i -gt 50 ] && fail "$n target controllers 5 s after the close"
		sleep 0.1
	done
	echo "target controllers after the close: $n"
fi

# The in-kernel host with a 5 s KATO stays connected while idle.
host_connect $N --keep-alive-tmo=$KATO || fail "nvme connect"
C=$(ctrl_of $N) || fail "no controller"
expect_file /sys/class/nvme/$C/kato $KATO
CNTLID=$(cat /sys/class/nvme/$C/cntlid)
t0=$(date +%s)
while [ $(( $(date +%s) - t0 )) -lt 12 ]; do
	expect_file /sys/class/nvme/$C/state live
	sleep 0.5
done
expect_file /sys/class/nvme/$C/cntlid $CNTLID
nvme disconnect -n $N > /dev/null || fail "disconnect"
wait_ctrl_gone $N
rm $CFS/ports/1/subsystems/$N || fail "unlink the port after disconnect"
rmdir $CFS/subsystems/$N/namespaces/1 || fail "rmdir namespace"
rmdir $CFS/subsystems/$N || fail "rmdir subsystem after disconnect"
rmdir $CFS/ports/1 || fail "rmdir port"
exit 0
