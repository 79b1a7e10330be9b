#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A file system over NVMe/TCP survives a disconnect: mkfs.ext4 on a
# namespace, mount it, write a 20 MiB random file, unmount, disconnect,
# reconnect, mount again: the file reads back with the same SHA-256.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
command -v mkfs.ext4 > /dev/null || skip "no mkfs.ext4 in the VM image"
e2e_begin
E2E_CLEANUP='umount /mnt 2>/dev/null'
tgt_load

N=$NQN_BASE:fs
IMG=/tmp/e2e-fs.img
truncate -s 256M $IMG || fail "truncate"
tgt_setup_tcp_subsys $N 1 127.0.0.1 4420 $IMG
head -c 20971520 /dev/urandom > /tmp/e2e-data || fail "random data"
SUM=$(sha256sum < /tmp/e2e-data | cut -d' ' -f1)

host_connect $N || fail "nvme connect"
D=$(wait_for_dev $N 1) || fail "no namespace"
mkfs.ext4 -q -F $D || fail "mkfs.ext4 $D"
mount -t ext4 $D /mnt || fail "mount $D"
cp /tmp/e2e-data /mnt/data || fail "write the file"
expect_eq "checksum before unmount" "$SUM" "$(sha256sum < /mnt/data | cut -d' ' -f1)"
umount /mnt || fail "umount"
nvme disconnect -n $N > /dev/null || fail "disconnect"
wait_ctrl_gone $N
wait_dev_gone $N 1

host_connect $N || fail "reconnect"
D=$(wait_for_dev $N 1) || fail "no namespace after reconnect"
mount -t ext4 -o ro $D /mnt || fail "mount $D after reconnect"
[ -f /mnt/data ] || fail "the file is gone"
expect_eq "size after reconnect" 20971520 "$(stat -c %s /mnt/data)"
expect_eq "checksum after reconnect" "$SUM" "$(sha256sum < /mnt/data | cut -d' ' -f1)"
umount /mnt || fail "umount after reconnect"
exit 0
