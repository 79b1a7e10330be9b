#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Two FC paths: two target ports, two host local ports, each with a remote
# port of its own target port.  Two nvmet FC ports, one per target port,
# expose one subsystem; a third port naming an already-bound target port
# cannot be enabled (EALREADY), nor one naming no registered target port
# (ENXIO).  The host connects through both paths; each controller is live
# over fc; with the round-robin I/O policy fio writes and verifies through
# the namespace and each path's own counters show reads and writes over
# it; disconnecting both leaves no controller.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/fc.sh
fc_begin

N=$NQN_BASE:fc-multi
IMG=/tmp/e2e-fcmp.img
truncate -s 64M $IMG || fail "truncate"
fc_add_pair 1
fc_add_pair 2
tgt_subsys $N 1
tgt_ns $N 1 $IMG
fc_port 1 "$(fc_traddr tgt 1)"
fc_port 2 "$(fc_traddr tgt 2)"
tgt_link 1 $N
tgt_link 2 $N

fc_port 3 "$(fc_traddr tgt 1)"
expect_errno "already in progress" \
	ln -s $CFS/subsystems/$N $CFS/ports/3/subsystems/$N
fc_port 4 "$(fc_traddr tgt 3)"
expect_errno "No such device or address" \
	ln -s $CFS/subsystems/$N $CFS/ports/4/subsystems/$N
rmdir $CFS/ports/3 $CFS/ports/4 || fail "rmdir the refused ports"

for p in 1 2; do
	fc_discover $p /tmp/e2e-disc$p.json || fail "discover via path $p"
	grep -q "\"subnqn\" *: *\"$N\"" /tmp/e2e-disc$p.json ||
		fail "path $p: discovery log lacks $N"
done

fc_connect $N 1 || fail "connect via path 1"
fc_connect $N 2 || fail "connect via path 2"
n=0
for c in /sys/class/nvme/nvme*; do
	[ "$(cat $c/subsysnqn 2>/dev/null)" = "$N" ] || continue
	n=$((n + 1))
	fc_wait_live ${c##*/}
	expect_file $c/transport fc
	echo "${c##*/}: $(cat $c/address)"
done
expect_eq "controllers of $N" 2 $n
D=$(wait_for_dev $N 1) || fail "no namespace"

# I/O over both paths: native multipath (one head, one path disk per
# controller) spreads it round-robin; each path disk's own counters show
# its share of the writes and of the verify reads.
[ "$(cat /sys/module/nvme_core/parameters/multipath)" = Y ] ||
	fail "the host has no native NVMe multipath"
SUBSYS=$(ls -d /sys/block/${D#/dev/}/device 2>/dev/null) ||
	fail "no subsystem device for $D"
write_attr $SUBSYS/iopolicy round-robin
expect_file $SUBSYS/iopolicy round-robin
# path_ios CTRL: "reads writes" completed by CTRL's path disk of NSID 1
path_ios() {
	for p in /sys/class/nvme/$1/nvme*c*n*; do
		[ "$(cat $p/nsid 2>/dev/null)" = 1 ] || continue
		set -- $(cat $p/stat)
		echo "$1 $5"
		return 0
	done
	fail "no path disk of namespace 1 under $1"
}
CTRLS=$(for c in /sys/class/nvme/nvme*; do
	[ "$(cat $c/subsysnqn 2>/dev/null)" = "$N" ] && echo ${c##*/}
done)
for c in $CTRLS; do
	eval "before_$c=\"$(path_ios $c)\""
done
fio_verify $D 16M
for c in $CTRLS; do
	eval "set -- \$before_$c $(path_ios $c)"
	r=$(($3 - $1)) w=$(($4 - $2))
	echo "path $c ($(cat /sys/class/nvme/$c/address)): $r reads, $w writes"
	[ $r -gt 0 ] || fail "no read went over $c"
	[ $w -gt 0 ] || fail "no write went over $c"
done

nvme disconnect -n $N > /dev/null || fail "nvme disconnect"
wait_ctrl_gone $N
exit 0
