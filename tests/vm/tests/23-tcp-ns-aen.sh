#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Namespace changes reach a connected NVMe/TCP host by themselves (the
# Namespace Attribute Changed event; the test never asks for a rescan):
# a namespace enabled on the target appears on the host with its size, a
# disabled one disappears, a re-enabled one comes back, and a file
# namespace grown and revalidated on the target shows its new size in
# Identify Namespace and in the host's block device.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
e2e_begin
tgt_load

N=$NQN_BASE:aen
IMG1=/tmp/e2e-aen1.img
IMG2=/tmp/e2e-aen2.img
truncate -s 128M $IMG1 || fail "truncate"
truncate -s 64M $IMG2 || fail "truncate"
tgt_setup_tcp_subsys $N 1 127.0.0.1 4420 $IMG1

host_connect $N || fail "nvme connect"
C=$(ctrl_of $N) || fail "no controller"
D1=$(wait_for_dev $N 1) || fail "no namespace 1"
dev_of $N 2 && fail "namespace 2 exists before it is created"

# A new namespace appears within 10 s.
tgt_ns $N 2 $IMG2
D2=$(wait_for_dev $N 2 10) || fail "new namespace 2 did not appear"
echo "namespace 2 appeared as $D2"
expect_eq "$D2 size" 67108864 "$(blockdev --getsize64 $D2)"
expect_eq "ns 2 size (id-ns)" 67108864 "$(ns_bytes $D2)"

# Disabled: gone; enabled again: back.
write_attr $CFS/subsystems/$N/namespaces/2/enable 0
wait_dev_gone $N 2 10
write_attr $CFS/subsystems/$N/namespaces/2/enable 1
D2=$(wait_for_dev $N 2 10) || fail "re-enabled namespace 2 did not come back"

# Grow namespace 1's file and revalidate: the host sees the new size.
truncate -s 256M $IMG1 || fail "grow $IMG1"
write_attr $CFS/subsystems/$N/namespaces/1/revalidate_size 1
B=/sys/block/${D1#/dev/}/size
end=$(( $(date +%s) + 10 ))
while [ "$(cat $B)" != 524288 ]; do
	[ "$(date +%s)" -ge $end ] &&
		fail "$B is $(cat $B) sectors 10 s after the resize, not 524288"
	sleep 0.2
done
expect_eq "ns 1 size after resize (id-ns)" 268435456 "$(ns_bytes $D1)"
expect_eq "$D1 size after resize" 268435456 "$(blockdev --getsize64 $D1)"
dd if=/dev/zero of=$D1 bs=1M seek=200 count=1 oflag=direct 2>/dev/null ||
	fail "write beyond the old end of $D1"

# Removing an enabled namespace (rmdir) also removes it from the host.
rmdir $CFS/subsystems/$N/namespaces/2 || fail "rmdir namespace 2"
wait_dev_gone $N 2 10
expect_file /sys/class/nvme/$C/state live
exit 0
