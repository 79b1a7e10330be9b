#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Protection information over NVMe/RDMA (Soft-RoCE), on the bdev backend
# with scsi_debug dif=1 dix=1 as the disk (type 1, 512-byte blocks): the
# target carries PI in extended LBAs on RDMA as on TCP (2w-tcp-pi.sh), the
# HCA's integrity offload unused (rxe has none).
# - Identify Namespace: LBA format 0 with ms:8, FLBAS 0x10 and MC 0x1
#   (extended LBA), DPC 0x9 and DPS 0x9;
# - the Linux RDMA host (nvme-rdma has metadata support, so it learns the
#   PI type; rxe has no integrity segments, so no payload) keeps its disk
#   and sends PRACT 1 with guard and reference checks (6.1 and 6.12): its
#   O_DIRECT data reads back, and read with PRACT 0 has the guard of each
#   block (CRC T10-DIF, computed by nvme-tcp-pi -g), application tag 0
#   and the LBA as reference tag; fio verifies through the disk;
# - through pass-through (the data buffer goes out as is): a PRACT 1
#   write (ILBRT, LBAT 0xbeef) reads back with PRACT 1 and every PRCHK
#   bit; another application tag 0x4283; a PRACT 0 read or write of the
#   blocks alone (4096 bytes in the keyed SGL, not 4160) 0x600f;
# - PRACT 0 (8 blocks of 520 bytes each way, the keyed SGL's length):
#   the PRACT 1 write reads back with its data, guard, 0xbeef and the
#   LBA; written back and compared with every check it succeeds; block
#   3's data from block 4 0x4282 (Compare: 0x4285), a whole block from
#   another 0x4284; block 2's guard flipped 0x4282 from the target's own
#   check (the error log names LBA 514, the disk's would name the first);
#   after each refused write the blocks read back unchanged.
# In-tree has PI on RDMA only through the HCA's offload: the test is ours.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
. /vm/guest/pi.sh
[ "$TARGET" = intree ] &&
	skip "in-tree needs the HCA's PI offload, which rxe lacks"
rdma_begin
E2E_CLEANUP="$E2E_CLEANUP; rmmod scsi_debug 2>/dev/null"
rdma_tgt_load

N=$NQN_BASE:rdma-pi
NS=$CFS/subsystems/$N/namespaces/1
HOST_KEEPS_PI=1
dd if=/dev/urandom of=$PAT bs=512 count=8 2>/dev/null || fail "pattern"
DISK=$(sdebug 1) || fail "scsi_debug dif=1"
expect_file /sys/block/${DISK#/dev/}/integrity/format T10-DIF-TYPE1-CRC
tgt_subsys $N 1
mkdir $NS || fail "mkdir namespace"
write_attr $NS/device_path $DISK
write_attr $NS/enable 1
write_attr $NS/device_features pi=1
grep -q " pi=1" $NS/device_features ||
	fail "pi=1 did not stick: $(cat $NS/device_features)"
rdma_tgt_port 1
tgt_link 1 $N

rdma_connect $N > /dev/null || fail "nvme connect -t rdma"
C=$(ctrl_of $N) || fail "no host controller for $N"
expect_file /sys/class/nvme/$C/transport rdma
D=$(wait_for_dev $N 1) || fail "no namespace"
check_format $D 0x9 0x9
tags_are $D 2400 0
echo "$D: the host's PRACT 1 writes have the guard, tag 0 and the LBA"
fio_verify $D 16M

round_trip $D 64
status "other application tag" 0x4283 pt $D 0x02 64 10 64 0x1234 0xffff
status "PRACT 0 read of 4096 bytes" 0x600f pt $D 0x02 64 5 64 0 0
status "PRACT 0 write of 4096 bytes" 0x600f pt $D 0x01 64 0 64 0 0 \
	--input-file=$PAT
ext_round_trip $D 512

# Block 2's guard, its first byte flipped: the target's check refuses the
# write before the disk sees it, naming the block's LBA in the error log.
G=$((2 * 520 + 512))
cp $EXT $BAD
b=$(dd if=$EXT bs=1 skip=$G count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
printf "\\$(printf %03o $((b ^ 255)))" |
	dd of=$BAD bs=1 seek=$G conv=notrunc 2>/dev/null
cmp -s $EXT $BAD && fail "the guard was not changed"
status "PRACT 0 write, block 2's guard flipped" 0x4282 \
	ptx $D 0x01 512 7 512 0xbeef 0xffff --input-file=$BAD
nvme error-log /dev/$C -e 1 -o json > $GOT 2>&1 || fail "error-log: $(cat $GOT)"
lba=$(sed -n 's/.*"lba" *: *\([0-9]*\).*/\1/p' $GOT | head -n 1)
[ "$lba" = 514 ] || fail "error log: LBA '$lba', not 514: $(cat $GOT)"
ptx $D 0x02 512 7 512 0xbeef 0xffff --raw-binary > $OUT 2>/dev/null ||
	fail "PRACT 0 read after the flipped guard"
cmp -s $OUT $EXT || fail "a write with a wrong guard changed the blocks"
echo "$D: a flipped guard 0x4282, the error log names LBA 514, data unchanged"
exit 0
