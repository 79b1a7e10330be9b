#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The file backend's three ways to a file, over NVMe/TCP (design.md,
# "The file backend's I/O"): a file on tmpfs (a copy in the fabric's
# context), a sparse file on ext4 with direct I/O (IOCB_NOWAIT first: the
# first writes allocate blocks, which ext4 will not do without waiting, so
# they are done again from the namespace's work queue; overwrites then go
# asynchronously) and the same with buffered_io 1.  On each: 1 MiB written
# by the host is in the file at its offset and reads back, and fio's mixed
# random writes verify.  Needs the ext4 disk of the check mode (/shared).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
grep -q " /shared ext4 " /proc/mounts || skip "no ext4 disk on /shared"
e2e_begin
tgt_load

N=$NQN_BASE:file-paths
TMPF=/tmp/e2e-file-tmpfs
EXTD=/shared/e2e-file-direct
EXTB=/shared/e2e-file-buffered
E2E_CLEANUP="rm -f $EXTD $EXTB"
for f in $TMPF $EXTD $EXTB; do
	truncate -s 128M $f || fail "truncate $f"
done
data_prep

tgt_subsys $N 1
tgt_ns $N 1 $TMPF
tgt_ns $N 2 $EXTD
ns=$CFS/subsystems/$N/namespaces/3
mkdir $ns || fail "mkdir namespace 3"
write_attr $ns/device_path $EXTB
write_attr $ns/buffered_io 1
write_attr $ns/enable 1
expect_file $ns/enable 1
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N

host_connect $N || fail "nvme connect"
i=1
for f in $TMPF $EXTD $EXTB; do
	d=$(wait_for_dev $N $i) || fail "no namespace $i"
	echo "== namespace $i on $f: $d"
	placed $d $f 3
	# Over what is now allocated (the asynchronous way on ext4): zeroes,
	# then the random MiB again.
	dd if=/dev/zero of=$d bs=1M seek=3 count=1 oflag=direct conv=fsync \
		2>/dev/null || fail "write zeroes to $d"
	expect_eq "$f at 3 MiB after zeroes" "$ZERO_SUM" "$(sum_at $f 3)"
	placed $d $f 3
	fio_verify $d 32M
	i=$((i + 1))
done
nvme disconnect -n $N > /dev/null || fail "nvme disconnect"
wait_ctrl_gone $N
echo "file paths: tmpfs, ext4 direct, ext4 buffered all read back"
