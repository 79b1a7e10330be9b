#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Taking a loop port away under connected hosts: unlinking the subsystem
# from the port (which disables it) deletes the host's controller and its
# block device while I/O runs on it (fio, checked still running with
# requests in flight at the unlink, ends with an I/O error), without a
# kernel splat; a discovery controller on the port goes the same way.  The port comes
# back and serves a new connection, which goes again with the next
# unlink; then the configuration tears down fully (every live-object
# count in debugfs is zero) and nvme-loop and nvmet unload.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/loop.sh

E2E_CLEANUP=loop_cleanup
e2e_begin
loop_load

N=$NQN_BASE:loop-teardown
IMG=/tmp/e2e-loop32.img
truncate -s 64M $IMG || fail "truncate"
tgt_subsys $N 1
tgt_ns $N 1 $IMG
loop_port 1
tgt_link 1 $N

# A host controller with I/O in flight, and a persistent discovery
# controller, both on port 1.
nvme connect -t loop -n $N || fail "nvme connect -t loop"
C=$(ctrl_of $N) || fail "no controller"
D=$(wait_for_dev $N 1) || fail "no namespace"
nvme connect -t loop -n $DISC_NQN || fail "nvme connect (discovery)"
DC=$(ctrl_of $DISC_NQN) || fail "no discovery controller"
expect_eq "host controllers" 2 "$(ctrl_count)"
# fio runs far longer than the test: at the unlink it is still running
# with requests in flight, and it can only end by the unlink.
fio_start /tmp/e2e-fio32.out $D 600
E2E_CLEANUP="kill \$FIO 2>/dev/null; loop_cleanup"
sleep 2
fio_running "the unlink"

rm $CFS/ports/1/subsystems/$N || fail "unlink the subsystem from the port"
wait_ctrl_gone $N 20
wait_dev_gone $N 1 20
wait_ctrl_state $DC gone 20 > /dev/null ||
	fail "discovery controller $DC survived the port"
fio_wait 60
echo "fio after the unlink: exit $FIO_RC"
fio_cut_off /tmp/e2e-fio32.out
echo "after unlink: host controllers $(ctrl_count)"
expect_eq "host controllers after unlink" 0 "$(ctrl_count)"
E2E_CLEANUP=loop_cleanup

# No loop port: connecting fails cleanly.
nvme connect -t loop -n $N 2> /dev/null &&
	fail "nvme connect succeeded without a loop port"
expect_eq "host controllers after a refused connect" 0 "$(ctrl_count)"

tgt_link 1 $N
nvme connect -t loop -n $N || fail "nvme connect after relink"
D=$(wait_for_dev $N 1) || fail "no namespace after relink"
dd if=/dev/zero of=$D bs=4k count=256 oflag=direct 2>/dev/null ||
	fail "write after relink"

rm $CFS/ports/1/subsystems/$N || fail "unlink again"
wait_ctrl_gone $N 20
tgt_teardown || fail "teardown"
expect_eq "subsystems left" "" "$(ls $CFS/subsystems)"
expect_eq "ports left" "" "$(ls $CFS/ports)"
expect_no_objects
rmmod nvme_loop || fail "rmmod nvme_loop"
rmmod nvmet || fail "rmmod nvmet"
grep -qE '^(nvmet|nvme_loop) ' /proc/modules && fail "a target module is still loaded"
exit 0
