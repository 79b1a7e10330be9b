#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Protection information with the 64-bit guard (16 bytes of PI: the
# CRC-64/NVME guard, a 16-bit application tag, a 48-bit reference tag) on
# the bdev backend over NVMe/TCP.  The disk is QEMU's emulated NVMe
# namespace of run.sh (serial nvmetngpi64: 512-byte blocks, PI type 1
# with the 64-bit guard), which the guest's host driver gives the
# EXT-DIF-TYPE1-CRC64 integrity profile:
# - the namespace's pi bit is off, and stays on once switched on (it is
#   available: the profile is taken); on, Identify Namespace has LBA
#   format 0 with 16 bytes of metadata (ms:16), FLBAS 0x10, MC
#   0x1, DPC 0x9, DPS 0x9; the NVM command set's (CNS 05h) ELBAF[0] has
#   PIF 2 (64-bit guard) and Identify Controller CTRATT.ELBAS (bit 15), so
#   a host reads it; the Linux TCP host's disk is 0 bytes (6.12), as for
#   the 16-bit guard (2w);
# - through pass-through: a PRACT 1 write (ILBRT, LBAT 0xbeef) reads back
#   with PRACT 1 and every PRCHK bit; another application tag 0x4283;
#   type 1 with PRCHK ref, ILBRT not the SLBA 0x6181, also when only its
#   upper 16 bits (CDW3 bits 15:0) differ; PRACT 0 with the blocks alone
#   0x600f;
# - PRACT 0 (extended LBAs of 528 bytes): the PRACT 1 write reads back
#   with its data and, in each block's 16 bytes of PI, the CRC-64/NVME of
#   the block (nvme-tcp-pi -G), 0xbeef and the LBA; written back with
#   every check it succeeds, as a Compare; with one block's data from
#   another 0x4282 (and 0x4285 as a Compare), with a whole block from
#   another 0x4284, the blocks unchanged;
# - Write Zeroes, PRACT 1 and 0: zeroes with the guard of zeroes, LBAT and
#   the LBA (PRACT 0: application tag 0), PRCHK set 0x6181;
# - Verify, PRACT 0 and 1: every check passes, another application tag
#   0x4283, masked passes, EILBRT not the SLBA 0x6181; 600 blocks;
# - Copy with PRINFO on this format is not done yet: 0x6002.
# The disk's own device checks every write's PI whatever it is asked
# (6.12's NVMe host driver), so no wrong tag is stored as sent.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
PISZ=16
PI_STORED_AS_SENT=0
. /vm/guest/pi.sh

[ "$TARGET" = intree ] && skip "in-tree has no PI on TCP"
N=$NQN_BASE:pi64
NS=$CFS/subsystems/$N/namespaces/1
F=$NS/device_features
E2E_CLEANUP="nvme disconnect -n $N > /dev/null 2>&1; tgt_teardown; grep -q '^nvme ' /proc/modules && rmmod nvme"
e2e_begin
tgt_load
dd if=/dev/urandom of=$PAT bs=512 count=8 2>/dev/null || fail "pattern"

# pi64_disk: load the PCIe driver, print the block device of the
# controller with serial nvmetngpi64; exit status 2 without it (run.sh
# adds it in check mode only)
pi64_disk() {
	modprobe nvme || { echo "modprobe nvme" >&2; return 1; }
	end=$(( $(date +%s) + 20 ))
	while :; do
		for c in /sys/class/nvme/nvme*; do
			[ "$(cat $c/transport 2>/dev/null)" = pcie ] || continue
			[ "$(sed 's/ *$//' $c/serial)" = nvmetngpi64 ] || continue
			for b in $c/nvme*n1; do
				[ -b /dev/${b##*/} ] && { echo /dev/${b##*/}; return 0; }
			done
		done
		[ "$(date +%s)" -lt $end ] || return 2
		sleep 0.2
	done
}

# See 2w: 6.1's host keeps a PI namespace's disk on TCP, 6.12's does not.
case $(uname -r) in
6.1.*)	HOST_KEEPS_PI=1 ;;
*)	HOST_KEEPS_PI=0 ;;
esac

DEV=$(pi64_disk)
case $? in
0) ;;
2) skip "no emulated NVMe controller nvmetngpi64 (run.sh adds one in check mode)" ;;
*) fail "modprobe nvme" ;;
esac
expect_file /sys/block/${DEV#/dev/}/integrity/format EXT-DIF-TYPE1-CRC64
tgt_subsys $N 1
mkdir $NS || fail "mkdir namespace"
write_attr $NS/device_path $DEV
write_attr $NS/enable 1
grep -q " pi=0" $F || fail "pi not off on a new namespace: $(cat $F)"
write_attr $F pi=1
grep -q " pi=1" $F || fail "pi=1 did not stick: $(cat $F)"
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N

host_connect $N || fail "nvme connect"
D=$(wait_for_dev $N 1) || fail "no namespace"
C=$(ctrl_of $N)
check_format $D 0x9 0x9
nvme nvm-id-ns $D > $OUT 2>&1 || fail "nvm-id-ns: $(cat $OUT)"
grep -q "^elbaf  0 : pif:2 " $OUT || fail "elbaf 0 is not pif:2: $(grep elbaf $OUT)"
ctratt=$(id_ctrl_field /dev/$C ctratt)
[ $((ctratt & 0x8000)) -ne 0 ] || fail "CTRATT $ctratt without ELBAS"
echo "$D: elbaf 0 pif:2 (64-bit guard), ctratt $ctratt with ELBAS"

round_trip $D 64
status "other application tag" 0x4283 pt $D 0x02 64 10 64 0x1234 0xffff
status "ILBRT not the SLBA (type 1)" 0x6181 pt $D 0x02 64 9 65 0 0
status "ILBRT's upper 16 bits (CDW3) not the SLBA's" 0x6181 \
	pt $D 0x02 64 9 64 0 0 --cdw3=1
pt_read $D 0x02 64 15 64 0xbeef 0xffff --cdw3=0x10000 ||
	fail "CDW3 bits 31:16 are not the reference tag's"
status "PRACT 0 read of 4096 bytes" 0x600f pt $D 0x02 64 5 64 0 0
ext_round_trip $D 512
write_zeroes $D 1536
verify $D 1792
cpy0=/tmp/e2e-pi64.desc
head -c 32 /dev/zero > $cpy0
status "Copy with PRINFO (not done for the 64-bit guard)" 0x6002 \
	nvme io-passthru $D --opcode=0x19 --namespace-id=1 --data-len=32 \
	--input-file=$cpy0 --cdw10=3072 --cdw11=0 \
	--cdw12=$(( (8 << 12) | (8 << 26) ))
nvme disconnect -n $N > /dev/null 2>&1 || fail "disconnect"
wait_ctrl_gone $N
exit 0
