#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A file system over NVMe/TCP survives a disconnect: mkfs.ext4 on a
# namespace, mount it, write a 20 MiB random file, sync, then read it back
# from the target (page cache dropped, O_DIRECT, the namespace's read
# counters grow by the file's size) with the same SHA-256; unmount,
# disconnect, reconnect, mount again: the same again; last, the backing
# image itself, mounted through a loop device, holds the file.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
command -v mkfs.ext4 > /dev/null || skip "no mkfs.ext4 in the VM image"
e2e_begin
E2E_CLEANUP='umount /mnt 2>/dev/null'
tgt_load

# sectors_read DEV: 512-byte sectors DEV and its multipath paths have
# read.  A multipath head (nvmeSnN) counts no I/O of its own before 6.2
# (Debian 12's 6.1): its paths (nvmeScCnN) do; where both count, the sum
# only grows faster.
sectors_read() {
	t=0
	h=${1#/dev/}
	p=$(echo $h | sed 's/^\(nvme[0-9]*\)n\([0-9]*\)$/\1c*n\2/')
	for st in /sys/block/$h/stat /sys/block/$p/stat; do
		[ -e $st ] || continue
		set -- $(cat $st)
		t=$((t + $3))
	done
	echo $t
}

# target_sum WHAT...: /mnt/data hashes to SUM, read from the target: the
# page cache is dropped first and the file read with O_DIRECT, and the
# namespace's read counter grows by at least the file's size.
target_sum() {
	echo 3 > /proc/sys/vm/drop_caches || fail "drop caches"
	before=$(sectors_read $D)
	got=$(dd if=/mnt/data bs=1M iflag=direct 2>/dev/null |
		sha256sum | cut -d' ' -f1)
	read=$(( ($(sectors_read $D) - before) * 512 ))
	echo "$*: read $read bytes from $D"
	[ $read -ge 20971520 ] ||
		fail "$*: only $read bytes read from $D for a 20 MiB file"
	expect_eq "$*" "$SUM" "$got"
}

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
sync || fail "sync"
target_sum checksum before unmount
umount /mnt || fail "umount"
nvme disconnect -n $N > /dev/null || fail "disconnect"
wait_ctrl_gone $N
wait_dev_gone $N 1

host_connect $N || fail "reconnect"
D=$(wait_for_dev $N 1) || fail "no namespace after reconnect"
mount -t ext4 -o ro $D /mnt || fail "mount $D after reconnect"
[ -f /mnt/data ] || fail "the file is gone"
expect_eq "size after reconnect" 20971520 "$(stat -c %s /mnt/data)"
target_sum checksum after reconnect
umount /mnt || fail "umount after reconnect"
nvme disconnect -n $N > /dev/null || fail "disconnect at the end"
wait_ctrl_gone $N

# The file is in the target's backing store itself.
modprobe loop || fail "modprobe loop"
mount -t ext4 -o ro,loop $IMG /mnt || fail "mount the backing image"
expect_eq "checksum in the backing image" "$SUM" \
	"$(sha256sum < /mnt/data | cut -d' ' -f1)"
umount -d /mnt || fail "umount the backing image"
exit 0
