#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Namespace changes reach a connected loop host by themselves (the
# Namespace Attribute Changed event, carried by nvme-loop's Asynchronous
# Event Request; the test never asks for a rescan): a namespace enabled
# on the target appears on the host with its size, a disabled one
# disappears, a re-enabled one comes back, and an rmdir'ed one goes; the
# controller stays live throughout and namespace 1 keeps working.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/loop.sh

E2E_CLEANUP=loop_cleanup
e2e_begin
loop_load

N=$NQN_BASE:loop-aen
IMG1=/tmp/e2e-loop31a.img
IMG2=/tmp/e2e-loop31b.img
truncate -s 64M $IMG1 || fail "truncate"
truncate -s 32M $IMG2 || fail "truncate"
tgt_subsys $N 1
tgt_ns $N 1 $IMG1
loop_port 1
tgt_link 1 $N

nvme connect -t loop -n $N || fail "nvme connect -t loop"
C=$(ctrl_of $N) || fail "no controller"
D1=$(wait_for_dev $N 1) || fail "no namespace 1"
dev_of $N 2 > /dev/null && fail "namespace 2 exists before it is created"

tgt_ns $N 2 $IMG2
D2=$(wait_for_dev $N 2 10) || fail "new namespace 2 did not appear"
echo "namespace 2 appeared as $D2"
expect_eq "$D2 size" 33554432 "$(blockdev --getsize64 $D2)"
expect_eq "ns 2 size (id-ns)" 33554432 "$(ns_bytes $D2)"
dd if=/dev/urandom of=$D2 bs=1M count=1 oflag=direct 2>/dev/null ||
	fail "write to the new namespace"

write_attr $CFS/subsystems/$N/namespaces/2/enable 0
wait_dev_gone $N 2 10
echo "namespace 2 disabled: gone"
write_attr $CFS/subsystems/$N/namespaces/2/enable 1
D2=$(wait_for_dev $N 2 10) || fail "re-enabled namespace 2 did not come back"
echo "namespace 2 re-enabled: back as $D2"

rmdir $CFS/subsystems/$N/namespaces/2 || fail "rmdir namespace 2"
wait_dev_gone $N 2 10
echo "namespace 2 removed: gone"
expect_file /sys/class/nvme/$C/state live
dd if=/dev/zero of=$D1 bs=4k count=256 oflag=direct 2>/dev/null ||
	fail "write to namespace 1 after the changes"
exit 0
