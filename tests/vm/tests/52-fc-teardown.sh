#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Taking an FC port away under a connected host: unlinking the subsystem
# from the port drops the host's controller out of "live" into
# reconnecting without a kernel splat; linking it back lets the host
# reconnect by itself and do I/O; unlinked again, nvme disconnect-all
# removes the reconnecting controller.  Then the whole configuration and
# every fcloop port go away, the modules unload, and (ours) every
# live-object count in debugfs is zero.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/fc.sh
fc_begin

N=$NQN_BASE:fc-teardown
IMG=/tmp/e2e-fctd.img
truncate -s 64M $IMG || fail "truncate"
fc_add_pair 1
tgt_subsys $N 1
tgt_ns $N 1 $IMG
fc_port 1 "$(fc_traddr tgt 1)"
tgt_link 1 $N

fc_connect $N 1 --reconnect-delay=1 --ctrl-loss-tmo=60 || fail "nvme connect"
C=$(ctrl_of $N) || fail "no controller"
D=$(wait_for_dev $N 1) || fail "no namespace"
fc_wait_live $C

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
s=$(wait_ctrl_state $C live 30) || fail "host did not reconnect after relink"
echo "after relink: $C is $s"
dd if=/dev/zero of=$D bs=4k count=256 oflag=direct 2>/dev/null ||
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
t=$(fc_wwn tgt 1) h=$(fc_wwn host 1)
fc_ctl del_target_port "wwnn=$t,wwpn=$t"
fc_ctl del_remote_port "wwnn=$t,wwpn=$t"
fc_ctl del_local_port "wwnn=$h,wwpn=$h"
OBJ=/sys/kernel/debug/nvmet-ng/objects
if [ "$TARGET" != intree ]; then
	[ -f $OBJ ] || fail "no $OBJ"
	sed 's/^/  objects: /' $OBJ
	left=$(awk '$2 != 0' $OBJ)
	[ -z "$left" ] || fail "objects alive after teardown: $left"
fi
rmmod nvme_fcloop || fail "rmmod nvme_fcloop"
rmmod nvmet_fc || fail "rmmod nvmet_fc"
grep -q '^nvmet_null ' /proc/modules && { rmmod nvmet_null || fail "rmmod nvmet_null"; }
rmmod nvmet || fail "rmmod nvmet"
grep -qE '^(nvmet|nvmet_fc|nvme_fcloop) ' /proc/modules &&
	fail "a target module is still loaded"
exit 0
