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

host_survives_port_bounce 1 $N $C $D 30 4k 256

tgt_teardown || fail "teardown"
expect_eq "subsystems left" "" "$(ls $CFS/subsystems)"
expect_eq "ports left" "" "$(ls $CFS/ports)"
t=$(fc_wwn tgt 1) h=$(fc_wwn host 1)
fc_ctl del_target_port "wwnn=$t,wwpn=$t"
fc_ctl del_remote_port "wwnn=$t,wwpn=$t"
fc_ctl del_local_port "wwnn=$h,wwpn=$h"
expect_no_objects
rmmod nvme_fcloop || fail "rmmod nvme_fcloop"
rmmod nvmet_fc || fail "rmmod nvmet_fc"
grep -q '^nvmet_null ' /proc/modules && { rmmod nvmet_null || fail "rmmod nvmet_null"; }
rmmod nvmet || fail "rmmod nvmet"
grep -qE '^(nvmet|nvmet_fc|nvme_fcloop) ' /proc/modules &&
	fail "a target module is still loaded"
exit 0
