#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Taking a port away under a connected NVMe/TCP host: unlinking the
# subsystem from the port (which disables it) drops the host's controller
# out of "live" into reconnecting without a kernel splat; linking it back
# lets the host reconnect by itself and do I/O; unlinked again, nvme
# disconnect-all removes the reconnecting controller; the configuration
# then tears down fully (on ours, every live-object count in debugfs is
# zero) and the target modules unload.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
e2e_begin
tgt_load

N=$NQN_BASE:teardown
IMG=/tmp/e2e-td.img
truncate -s 64M $IMG || fail "truncate"
tgt_setup_tcp_subsys $N 1 127.0.0.1 4420 $IMG

host_connect $N --reconnect-delay=1 --ctrl-loss-tmo=60 || fail "nvme connect"
C=$(ctrl_of $N) || fail "no controller"
D=$(wait_for_dev $N 1) || fail "no namespace"
expect_file /sys/class/nvme/$C/state live

host_survives_port_bounce 1 $N $C $D 20 4k 256

tgt_teardown || fail "teardown"
expect_eq "subsystems left" "" "$(ls $CFS/subsystems)"
expect_eq "ports left" "" "$(ls $CFS/ports)"
expect_eq "hosts left" "" "$(ls $CFS/hosts)"
expect_no_objects
rmmod nvmet_tcp || fail "rmmod nvmet_tcp"
grep -q '^nvmet_null ' /proc/modules && { rmmod nvmet_null || fail "rmmod nvmet_null"; }
rmmod nvmet || fail "rmmod nvmet"
grep -qE '^(nvmet|nvmet_tcp|nvmet_null) ' /proc/modules && fail "a target module is still loaded"
exit 0
