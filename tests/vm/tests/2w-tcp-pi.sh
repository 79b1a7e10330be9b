#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Protection information (T10 PI) on the bdev backend, over NVMe/TCP and
# loop, with scsi_debug as the disk (dif=1 dix=1, then dif=3; 512-byte
# blocks, 16-bit CRC guard):
# - pi is off on a new namespace (device_features pi=0): LBA format 0 has
#   no metadata, the host's disk works (O_DIRECT data reads back), and the
#   block layer still gives the disk PI (an application tag check of that
#   data fails later, so the disk holds a tag of 0, not FFFFh);
# - pi=1 on the enabled namespace raises the event; Identify Namespace then
#   has LBA format 0 with 8 bytes of metadata (ms:8), FLBAS 0x10 and MC
#   0x1 (extended LBA), DPC 0x9 and DPS 0x9 (type 1, PI first); the Linux
#   TCP and loop hosts (no metadata support) make the disk 0 bytes (6.12,
#   7.3) or keep it and send PRACT 1 (6.1: O_DIRECT data reads back);
# - through pass-through, a write with PRACT 1 (the target inserts PI:
#   ILBRT, LBAT 0xbeef) reads back with PRACT 1 and every PRCHK bit;
#   data the host wrote while pi was off reads back with guard and
#   reference checks;
# - a read expecting another application tag: 0x4283 (Application Tag
#   Check Error, DNR); type 1, a reference tag check with ILBRT not the
#   SLBA: 0x6181 (Invalid Protection Information, DNR, More: the error log
#   names the field); PRACT 0 with a transfer of the blocks alone, read
#   or write: 0x600f (SGL Data Block Length Invalid, DNR, More), also a
#   PRACT 0 Compare; the disk's own check failing (scsi_debug opts=32, a
#   guard error), PRACT 1 or 0: 0x4282 (Guard Check Error);
# - PI corrupted in the backend: blocks written with PI, then new data
#   written to the disk directly with the block layer's PI generation off
#   (integrity/write_generate 0: the disk keeps the old PI, the new data
#   reads back through it with read_verify 0); a read through the target,
#   PRACT 1 or 0, and a Compare with PRCHK guard: 0x4282; without the
#   guard check the disk's data reads back (no read has the disk check
#   its PI: the target checks what PRCHK asks);
# - PRACT 0 through pass-through (extended LBAs, 520 bytes a block): a
#   PRACT 1 write reads back as its data with guard, LBAT 0xbeef and the
#   LBA in each block's PI; written back with PRACT 0 and every check it
#   succeeds; with one block's data from another block 0x4282, with a
#   whole block (data and PI) from another 0x4284, the data unchanged;
#   that block written with PRCHK's reference check off is stored as
#   sent: a read with the check, PRACT 1 or 0, and a Verify are 0x4284
#   (the error log names the block), a read without it returns that PI;
#   a PRACT 0 Compare of the blocks read succeeds, of the ones with a
#   block's data from another 0x4285 (Compare Failure), expecting another
#   application tag 0x4283;
# - Write Zeroes over written blocks: PRACT 1 (ILBRT, LBAT 0x5a5a) reads
#   back with PRACT 0 as zeroes with guard 0, 0x5a5a and the LBA in each
#   block's PI, and with PRACT 1 and every check; PRACT 0 as zeroes with
#   PI of zeroes but the LBA as reference tag (type 1; type 3: all
#   zeroes); PRCHK set: 0x6181 (Invalid Protection Information);
# - Verify (no data) of blocks with PI, PRACT 0 and 1 alike: every check
#   passes; expecting another application tag 0x4283 (masked off by
#   ELBATM: passes); type 1, EILBRT not the SLBA with PRCHK ref 0x6181,
#   without PRCHK ref it passes; 600 blocks (3 stages of the target's)
#   zeroed with PI verify with every check; on the stale PI above: PRCHK
#   guard 0x4282, PRCHK 0 and application and reference checks pass (the
#   disk's own checks are off for a Verify);
# - Copy (one format 0h range) with PRINFOR and PRINFOW: PRACT 1 checks
#   the source per PRINFOR and the copy reads back with every check,
#   LBAT as its application tag and the destination LBAs as reference
#   tags; PRACT 0 keeps the source's application tag, the reference tags
#   the destination's; a source application tag other than ELBAT 0x4283,
#   the destination unchanged; PRACT 0 with LBAT other than the source's
#   and PRINFOW's application check 0x4283; PRINFOR's and PRINFOW's PRACT
#   unlike 0x6002 (Invalid Field, the error log naming CDW12); type 1 ELBT
#   not the SLBA 0x4181, ILBRT not the SDLBA 0x6181 (Invalid Protection
#   Information; the error log names CDW14), with PRCHK ref; 600 blocks, PRACT 1 and 0, verify at
#   their destinations; type 3, PRACT 1: ILBRT and LBAT at the destination;
# - nvme-tcp-pi (tests/fuzz/pi.c), our own initiator: PI the host
#   computes, every check and status on a PRACT 0 write and read, and
#   Verify;
# - over loop: the same format, PRACT 1 round trip, 0x4283, PRACT 0;
# - dif=3: DPC 0xc, DPS 0xb; a reference tag other than the written one
#   with PRCHK ref: 0x4284 (Reference Tag Check Error), on a read and a
#   Verify; nvme-tcp-pi.
# In-tree has PI on RDMA only: the test is ours.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/loop.sh
. /vm/guest/pi.sh

[ "$TARGET" = intree ] && skip "in-tree has no PI on TCP or loop"
E2E_CLEANUP="host_disconnect_all; tgt_teardown; rmmod nvme_loop 2>/dev/null; rmmod scsi_debug 2>/dev/null"
e2e_begin
loop_load
tgt_load

N=$NQN_BASE:pi
NS=$CFS/subsystems/$N/namespaces/1
F=$NS/device_features
dd if=/dev/urandom of=$PAT bs=512 count=8 2>/dev/null || fail "pattern"

# stale_pi DEV SLBA: the disk's stored PI of 8 blocks no longer matches
# their data; every read of them through the target fails the disk's check
stale_pi() {
	I=/sys/block/${DISK#/dev/}/integrity
	pt_write $1 0x01 $2 8 $2 0xbeef 0 || fail "stale PI: write: $(cat $OUT)"
	pt_read $1 0x02 $2 15 $2 0xbeef 0xffff || fail "stale PI: checked read"
	write_attr $I/write_generate 0
	dd if=/dev/urandom of=$BAD bs=4096 count=1 2>/dev/null
	dd if=$BAD of=$DISK bs=4096 seek=$(($2 / 8)) oflag=direct \
		2>/dev/null || fail "stale PI: dd to $DISK without PI"
	write_attr $I/write_generate 1
	write_attr $I/read_verify 0
	dd if=$DISK of=$OUT bs=4096 skip=$(($2 / 8)) count=1 iflag=direct \
		2>/dev/null || fail "stale PI: dd from $DISK without PI"
	write_attr $I/read_verify 1
	cmp -s $OUT $BAD || fail "stale PI: the disk did not take the new data"
	status "stale PI: PRACT 1 read, every check" 0x4282 \
		pt $1 0x02 $2 15 $2 0xbeef 0xffff
	status "stale PI: PRACT 1 read, PRCHK guard" 0x4282 \
		pt $1 0x02 $2 12 $2 0 0
	pt_read $1 0x02 $2 11 $2 0xbeef 0xffff ||
		fail "stale PI: PRACT 1 read without the guard check: $(cat $OUT)"
	cmp -s $OUT $BAD || fail "stale PI: PRACT 1 read differs from the disk"
	status "stale PI: PRACT 0 read, every check" 0x4282 \
		ptx $1 0x02 $2 7 $2 0xbeef 0xffff
	ptx $1 0x02 $2 0 $2 0 0 --raw-binary > $GOT 2>/dev/null ||
		fail "stale PI: PRACT 0 read, no check"
	[ "$(head -c 512 $GOT | md5sum)" = "$(head -c 512 $BAD | md5sum)" ] ||
		fail "stale PI: PRACT 0 read differs from the disk"
	status "stale PI: PRACT 0 compare, PRCHK guard" 0x4282 \
		ptx $1 0x05 $2 4 $2 0 0 --input-file=$GOT
	status "stale PI: Verify, PRCHK guard" 0x4282 vf $1 $2 4 $2 0 0
	status "stale PI: Verify, PRACT 1, PRCHK guard" 0x4282 \
		vf $1 $2 12 $2 0 0
	vf $1 $2 0 $2 0 0 || fail "stale PI: Verify, no check: $(cat $OUT)"
	vf $1 $2 8 $2 0 0 ||
		fail "stale PI: Verify, PRACT 1, no check: $(cat $OUT)"
	vf $1 $2 3 $2 0xbeef 0xffff ||
		fail "stale PI: Verify, application and reference tag: $(cat $OUT)"
	pt_write $1 0x01 $2 8 $2 0xbeef 0 || fail "stale PI: rewrite"
	pt_read $1 0x02 $2 15 $2 0xbeef 0xffff ||
		fail "stale PI: checked read after the rewrite"
	vf $1 $2 7 $2 0xbeef 0xffff ||
		fail "stale PI: Verify after the rewrite: $(cat $OUT)"
	echo "$1: stale PI at $2: 0x4282 on reads with PRCHK guard, Verify per PRCHK"
}

# le VALUE BYTES: VALUE little-endian
le() {
	v=$1
	k=$2
	while [ $k -gt 0 ]; do
		printf "\\$(printf %03o $((v & 255)))"
		v=$((v >> 8))
		k=$((k - 1))
	done
}

# cpy DEV SDLBA SLBA NLB PRINFOR ELBT ELBAT ELBATM PRINFOW ILBRT LBAT LBATM:
# Copy of one range, descriptor format 0h
DESC=/tmp/e2e-pi.desc
cpy() {
	{ le 0 8; le $3 8; le $(($4 - 1)) 2; le 0 6; le $6 4; le $7 2
	  le $8 2; } > $DESC
	nvme io-passthru $1 --opcode=0x19 --namespace-id=1 --data-len=32 \
		--input-file=$DESC --cdw10=$2 --cdw11=0 \
		--cdw12=$(( ($5 << 12) | ($9 << 26) )) --cdw14=${10} \
		--cdw15=$(( ${11} | (${12} << 16) )) > $OUT 2>&1
}

# copy_pi DEV: Copy with PRINFOR and PRINFOW, type 1
copy_pi() {
	pt_write $1 0x01 2560 8 2560 0xbeef 0 || fail "$1: write before Copy"
	cpy $1 3072 2560 8 15 2560 0xbeef 0xffff 8 3072 0x4444 0 ||
		fail "$1: Copy, PRACT 1, every source check: $(cat $OUT)"
	tags_are $1 3072 0x4444
	cpy $1 3584 2560 8 7 2560 0xbeef 0xffff 7 3584 0xbeef 0xffff ||
		fail "$1: Copy, PRACT 0, every check: $(cat $OUT)"
	tags_are $1 3584 0xbeef
	status "$1: Copy, another source application tag" 0x4283 \
		cpy $1 3072 2560 8 10 2560 0xbeee 0xffff 8 3072 0x5555 0
	tags_are $1 3072 0x4444
	status "$1: Copy, PRACT 0, another destination application tag" \
		0x4283 cpy $1 3584 2560 8 2 2560 0 0 2 3584 0x1234 0xffff
	tags_are $1 3584 0xbeef
	status "$1: Copy, PRINFOR's PRACT not PRINFOW's" 0x6002 \
		cpy $1 3072 2560 8 8 2560 0 0 0 3072 0 0
	status "$1: Copy, ELBT not the SLBA" 0x4181 \
		cpy $1 3072 2560 8 9 2561 0 0 8 3072 0 0
	status "$1: Copy, ILBRT not the SDLBA" 0x6181 \
		cpy $1 3072 2560 8 8 2560 0 0 9 3073 0 0
	# the 600 blocks verify() zeroed, in stages of 252 and 256 blocks
	cpy $1 16384 8192 600 15 8192 0x6b6b 0xffff 8 16384 0x7c7c 0 ||
		fail "$1: Copy of 600 blocks, PRACT 1: $(cat $OUT)"
	vf $1 16384 7 16384 0x7c7c 0xffff 600 ||
		fail "$1: Verify of the 600 blocks copied, PRACT 1: $(cat $OUT)"
	cpy $1 20480 8192 600 7 8192 0x6b6b 0xffff 7 20480 0x6b6b 0xffff ||
		fail "$1: Copy of 600 blocks, PRACT 0: $(cat $OUT)"
	vf $1 20480 7 20480 0x6b6b 0xffff 600 ||
		fail "$1: Verify of the 600 blocks copied, PRACT 0: $(cat $OUT)"
	echo "$1: Copy with PRINFOR and PRINFOW, PRACT 1 and 0"
}

# pi_initiator TYPE: nvme-tcp-pi against namespace 1 over TCP
pi_initiator() {
	rc=0
	nvme-tcp-pi -a 127.0.0.1 -p 4420 -n 1 $N > $OUT 2>&1 || rc=$?
	cat $OUT
	[ $rc -eq 0 ] || fail "type $1: nvme-tcp-pi failed (rc $rc)"
	grep -q "^ok 2 - type $1: PRACT 0 write" $OUT ||
		fail "type $1: nvme-tcp-pi saw another type"
	grep -q '^pi: [0-9]* passed, 0 failed$' $OUT ||
		fail "type $1: nvme-tcp-pi: $(tail -n 1 $OUT)"
}

# A Linux host on a transport without metadata support (TCP, loop) learns
# the PI type only before 6.9 or so (6.1's nvme_init_ms()); 6.12's and
# 7.3's nvme_configure_metadata() return first, and the disk of a
# namespace with metadata and no PI it can use is 0 bytes.  6.1 keeps the
# disk and sends PRACT 1 with guard and reference checks.
case $(uname -r) in
6.1.*)	HOST_KEEPS_PI=1 ;;
*)	HOST_KEEPS_PI=0 ;;
esac

DEV=$(sdebug 1) || fail "scsi_debug dif=1"
DISK=$DEV
expect_file /sys/block/${DEV#/dev/}/integrity/format T10-DIF-TYPE1-CRC
tgt_subsys $N 1
mkdir $NS || fail "mkdir namespace"
write_attr $NS/device_path $DEV
grep -q " pi=0" $F || fail "pi not off on a new namespace: $(cat $F)"
write_attr $NS/enable 1
grep -q " pi=0" $F || fail "pi on after enable: $(cat $F)"
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N

# -- pi off: a plain namespace, still PI on the disk
host_connect $N || fail "nvme connect"
D=$(wait_for_dev $N 1) || fail "no namespace"
nvme id-ns $D | grep -q "^lbaf  0 : ms:0 *lbads:9 .*in use" ||
	fail "pi=0: lbaf 0: $(nvme id-ns $D | grep lbaf)"
expect_eq "pi=0: dps" 0 "$(id_ns_field $D dps)"
expect_eq "pi=0: $D size" 67108864 "$(blockdev --getsize64 $D)"
dd if=$PAT of=$D bs=4096 seek=256 oflag=direct 2>/dev/null || fail "dd to $D"
dd if=$D of=$OUT bs=4096 skip=256 count=1 iflag=direct 2>/dev/null ||
	fail "dd from $D"
cmp -s $OUT $PAT || fail "pi=0: O_DIRECT read differs from the write"
echo "pi=0: $D 64 MiB, O_DIRECT data reads back"

# -- pi on, while connected: the event, the format, I/O through pass-through
write_attr $F pi=1
grep -q " pi=1" $F || fail "pi=1 did not stick: $(cat $F)"
check_format $D 0x9 0x9
round_trip $D 64
# The disk keeps the PI: a block it has none for (application tag FFFFh)
# passes every check, so only a mismatch shows the tag reached it.
status "other application tag" 0x4283 pt $D 0x02 64 10 64 0x1234 0xffff
# the block layer's PI of the pi=0 write: the LBA's reference tag, app 0
pt_read $D 0x02 2048 13 2048 0 0 || fail "checked read of the pi=0 data"
cmp -s $OUT $PAT || fail "the pi=0 data differs under pi=1"
status "pi=0 data: application tag 1" 0x4283 pt $D 0x02 2048 10 2048 1 0xffff
status "ILBRT not the SLBA (type 1)" 0x6181 pt $D 0x02 64 9 65 0 0
status "PRACT 0 read of 4096 bytes" 0x600f pt $D 0x02 64 5 64 0 0
status "PRACT 0 write of 4096 bytes" 0x600f pt $D 0x01 64 0 64 0 0 \
	--input-file=$PAT
status "PRACT 0 compare of 4096 bytes" 0x600f pt $D 0x05 64 0 64 0 0 \
	--input-file=$PAT
ext_round_trip $D 512
pi_initiator 1
write_attr $SD/every_nth 1
write_attr $SD/opts 32
status "the disk's guard check" 0x4282 pt $D 0x02 64 12 64 0 0
status "the disk's guard check, PRACT 0" 0x4282 ptx $D 0x02 64 0 64 0 0
write_attr $SD/opts 0
write_attr $SD/every_nth 0
pt_read $D 0x02 64 12 64 0 0 || fail "read after the injected error"
stale_pi $D 1024
write_zeroes $D 1536
verify $D 1792
copy_pi $D
host_disconnect_all

# -- loop
loop_port 2
tgt_link 2 $N
C=$(loop_connect -) || fail "loop connect"
L=$(wait_for_dev $N 1) || fail "no loop namespace"
check_format $L 0x9 0x9
round_trip $L 128
status "loop: other application tag" 0x4283 pt $L 0x02 128 10 128 0x1234 0xffff
ext_round_trip $L 640
host_disconnect_all

# -- type 3: no reference tag increment or remapping
write_attr $NS/enable 0
rmmod scsi_debug || fail "rmmod scsi_debug"
DEV=$(sdebug 3) || fail "scsi_debug dif=3"
expect_file /sys/block/${DEV#/dev/}/integrity/format T10-DIF-TYPE3-CRC
write_attr $NS/device_path $DEV
write_attr $NS/enable 1
grep -q " pi=1" $F || fail "pi=1 lost across disable and enable: $(cat $F)"
host_connect $N || fail "nvme connect (type 3)"
D=$(wait_for_dev $N 1) || fail "no namespace (type 3)"
check_format $D 0xc 0xb
pt_write $D 0x01 64 8 0x1111 0xbeef 0 || fail "type 3 PRACT write: $(cat $OUT)"
pt_read $D 0x02 64 15 0x1111 0xbeef 0xffff || fail "type 3 checked read"
cmp -s $OUT $PAT || fail "type 3: read differs from the write"
status "type 3: other reference tag" 0x4284 pt $D 0x02 64 9 0x2222 0 0
wz $D 64 0 0 0 || fail "type 3: Write Zeroes, PRACT 0: $(cat $OUT)"
zeroed $D 64 0 0 0
wz $D 64 8 0x1111 0x77 || fail "type 3: Write Zeroes, PRACT 1: $(cat $OUT)"
zeroed $D 64 0x77 0x1111 0
pt_read $D 0x02 64 15 0x1111 0x77 0xffff || fail "type 3: read of zeroes"
echo "type 3: Write Zeroes, PRACT 0 and 1"
vf $D 64 15 0x1111 0x77 0xffff || fail "type 3: Verify: $(cat $OUT)"
status "type 3: Verify, another reference tag" 0x4284 vf $D 64 1 0x2222 0 0
status "type 3: Verify, PRACT 1, another reference tag" 0x4284 \
	vf $D 64 9 0x2222 0 0
vf $D 64 6 0x2222 0x77 0xffff ||
	fail "type 3: Verify, reference tag unchecked: $(cat $OUT)"
echo "type 3: Verify per PRCHK"
cpy $D 1024 64 8 15 0x1111 0x77 0xffff 8 0x3333 0x88 0 ||
	fail "type 3: Copy, PRACT 1: $(cat $OUT)"
pt_read $D 0x02 1024 15 0x3333 0x88 0xffff ||
	fail "type 3: checked read of the copy"
head -c 4096 /dev/zero | cmp -s - $OUT ||
	fail "type 3: the copy of zeroes is not zeroes"
echo "type 3: Copy, PRACT 1"
pi_initiator 3
host_disconnect_all
exit 0
