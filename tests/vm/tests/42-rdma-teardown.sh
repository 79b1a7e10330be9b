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

host_survives_port_bounce 1 $N $C $D 20 64k 64

tgt_teardown || fail "teardown"
expect_eq "subsystems left" "" "$(ls $CFS/subsystems)"
expect_eq "ports left" "" "$(ls $CFS/ports)"
expect_no_objects
rmmod nvmet_rdma || fail "rmmod nvmet_rdma"
grep -q '^nvmet_null ' /proc/modules && { rmmod nvmet_null || fail "rmmod nvmet_null"; }
rmmod nvmet || fail "rmmod nvmet"
grep -qE '^(nvmet|nvmet_rdma|nvmet_null) ' /proc/modules &&
	fail "a target module is still loaded"
rdma_net_down
[ -e /sys/class/infiniband/$RDMA_DEV ] && fail "$RDMA_DEV still exists"
exit 0
