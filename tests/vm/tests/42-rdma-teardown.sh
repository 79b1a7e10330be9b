#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Taking a port away under a connected NVMe/RDMA host: unlinking the
# subsystem from the port drops the host's controller out of "live" into
# reconnecting without a kernel splat; linking it back lets the host
# reconnect by itself and do I/O; unlinked again, nvme disconnect-all
# removes the reconnecting controller; the configuration tears down fully
# (on ours, every live-object count in debugfs is zero), the target
# modules unload, and the rxe device goes away cleanly.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
rdma_begin
rdma_tgt_load

N=$NQN_BASE:rdma-teardown
IMG=/tmp/e2e-td.img
truncate -s 64M $IMG || fail "truncate"
tgt_subsys $N 1
tgt_ns $N 1 $IMG
rdma_tgt_port 1
tgt_link 1 $N

rdma_connect $N --reconnect-delay=1 --ctrl-loss-tmo=60 || fail "nvme connect"
C=$(ctrl_of $N) || fail "no controller"
D=$(wait_for_dev $N 1) || fail "no namespace"
expect_file /sys/class/nvme/$C/state live

rm $CFS/ports/1/subsystems/$N || fail "unlink the subsystem from the port"
s=$(wait_ctrl_state $C "resetting|connecting|deleting|gone" 15) ||
	fail "host controller did not notice the port going away"
echo "after unlink: $C is $s"
[ "$s" = gone ] && fail "$C was deleted instead of reconnecting"
sleep 3
s=$(cat /sys/class/nvme/$C/state)
case $s in
resetting|connecting) ;;
*) fail "$C is '$s' 3 s after the unlink, not reconnecting" ;;
esac

tgt_link 1 $N
s=$(wait_ctrl_state $C live 20) || fail "host did not reconnect after relink"
echo "after relink: $C is $s"
dd if=/dev/zero of=$D bs=64k count=64 oflag=direct 2>/dev/null ||
	fail "write after reconnect"

rm $CFS/ports/1/subsystems/$N || fail "unlink again"
wait_ctrl_state $C "resetting|connecting" 15 > /dev/null ||
	fail "host controller did not leave live after the second unlink"
nvme disconnect-all || fail "nvme disconnect-all"
wait_ctrl_gone $N 20
wait_dev_gone $N 1 20

tgt_teardown || fail "teardown"
expect_eq "subsystems left" "" "$(ls $CFS/subsystems)"
expect_eq "ports left" "" "$(ls $CFS/ports)"
OBJ=/sys/kernel/debug/nvmet-ng/objects
if [ "$TARGET" != intree ]; then
	[ -f $OBJ ] || fail "no $OBJ"
	sed 's/^/  objects: /' $OBJ
	left=$(awk '$2 != 0' $OBJ)
	[ -z "$left" ] || fail "objects alive after teardown: $left"
fi
rmmod nvmet_rdma || fail "rmmod nvmet_rdma"
grep -q '^nvmet_null ' /proc/modules && { rmmod nvmet_null || fail "rmmod nvmet_null"; }
rmmod nvmet || fail "rmmod nvmet"
grep -qE '^(nvmet|nvmet_rdma|nvmet_null) ' /proc/modules &&
	fail "a target module is still loaded"
rdma_net_down
[ -e /sys/class/infiniband/$RDMA_DEV ] && fail "$RDMA_DEV still exists"
exit 0
