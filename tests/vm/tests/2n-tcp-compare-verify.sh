#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Compare (05h) and Verify (0Ch) over NVMe/TCP, on a null_blk namespace
# (bdev backend) and a file namespace (file backend): Identify Controller
# has ONCS bits 0 (Compare) and 7 (Verify); a pattern written with
# "nvme write" compares equal, over 256 KiB (two of the target's
# 128 KiB read stages) and in its first block; one byte changed, in the
# first or the second stage, is Compare Failure with DNR (0x4285); the
# stored data is still the pattern afterwards (Compare writes nothing);
# "nvme verify" of the pattern and of 32 MiB succeeds; Compare and
# Verify reaching past the end are LBA Out of Range with DNR and More
# (0x6080: the Error Information log names the SLBA field).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
e2e_begin
[ "$TARGET" = intree ] && skip "in-tree nvmet has no Compare or Verify"
tgt_load

N=$NQN_BASE:cmp
IMG=/tmp/e2e-cmp.img
PAT=/tmp/e2e-cmp.pat
BAD=/tmp/e2e-cmp.bad
OUT=/tmp/e2e-cmp.out
null_blk_load
truncate -s 64M $IMG || fail "truncate $IMG"
tgt_subsys $N 1
tgt_ns $N 1 /dev/nullb0
tgt_ns $N 2 $IMG
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N

host_connect $N || fail "nvme connect"
C=$(ctrl_of $N) || fail "no controller"
D1=$(wait_for_dev $N 1) || fail "no namespace 1"
D2=$(wait_for_dev $N 2) || fail "no namespace 2"

o=$(id_ctrl_field /dev/$C oncs)
[ $(( o & 0x01 )) -ne 0 ] || fail "ONCS $o without Compare (bit 0)"
[ $(( o & 0x80 )) -ne 0 ] || fail "ONCS $o without Verify (bit 7)"
echo "ONCS $o: Compare and Verify"

# status WHAT EXPECTED COMMAND...: the command fails with NVMe status
# EXPECTED as nvme-cli prints it (DNR and More included)
status() {
	what=$1
	want=$2
	shift 2
	"$@" > $OUT 2>&1 && fail "$what succeeded"
	st=$(sed -n 's/.*NVMe status: .*(\(0x[0-9a-fA-F]*\)).*/\1/p' $OUT | head -n 1)
	[ "$st" = "$want" ] || fail "$what: status '$st', not $want: $(cat $OUT)"
	echo "$what: status $st"
}

# flip OFFSET: $BAD is $PAT with the byte at OFFSET inverted
flip() {
	cp $PAT $BAD
	b=$(od -An -tu1 -j $1 -N1 $PAT | tr -d ' ')
	printf "\\$(printf %03o $(( 255 - b )))" |
		dd of=$BAD bs=1 seek=$1 conv=notrunc 2>/dev/null ||
		fail "flip byte $1"
	cmp -s $PAT $BAD && fail "flip byte $1 changed nothing"
}

# 256 KiB at LBA 64 (512-byte blocks on null_blk, 4 KiB on the file)
dd if=/dev/urandom of=$PAT bs=4096 count=64 2>/dev/null || fail "make $PAT"
for D in $D1 $D2; do
	lbads=$(nvme id-ns $D | sed -n 's/^lbaf .*lbads:\([0-9]*\).*in use.*/\1/p')
	bs=$(( 1 << lbads ))
	nlb=$(( 262144 / bs ))
	nsze=$(( $(id_ns_field $D nsze) ))
	echo "== $D: $bs-byte blocks, $nsze of them"
	nvme write $D -s 64 -c $(( nlb - 1 )) -z 262144 -d $PAT > $OUT 2>&1 ||
		fail "$D: nvme write: $(cat $OUT)"
	nvme compare $D -s 64 -c $(( nlb - 1 )) -z 262144 -d $PAT > $OUT 2>&1 ||
		fail "$D: nvme compare of the same 256 KiB: $(cat $OUT)"
	nvme compare $D -s 64 -c 0 -z $bs -d $PAT > $OUT 2>&1 ||
		fail "$D: nvme compare of the first block: $(cat $OUT)"
	echo "$D: compare of the same 256 KiB, and of its first block, succeeds"
	flip 1000
	status "$D: compare, byte 1000 changed" 0x4285 \
		nvme compare $D -s 64 -c $(( nlb - 1 )) -z 262144 -d $BAD
	flip 200000
	status "$D: compare, byte 200000 changed" 0x4285 \
		nvme compare $D -s 64 -c $(( nlb - 1 )) -z 262144 -d $BAD
	dd if=$D of=$OUT bs=$bs skip=64 count=$nlb iflag=direct 2>/dev/null ||
		fail "$D: read back"
	cmp -s $PAT $OUT || fail "$D: data changed after the failed compares"
	echo "$D: data unchanged after the compares"

	nvme verify $D -s 64 -c $(( nlb - 1 )) > $OUT 2>&1 ||
		fail "$D: nvme verify of the pattern: $(cat $OUT)"
	nvme verify $D -s 0 -c $(( 33554432 / bs - 1 )) > $OUT 2>&1 ||
		fail "$D: nvme verify of 32 MiB: $(cat $OUT)"
	echo "$D: verify of the pattern and of 32 MiB succeeds"
	status "$D: verify past the end" 0x6080 \
		nvme verify $D -s $(( nsze - 4 )) -c 7
	status "$D: compare past the end" 0x6080 \
		nvme compare $D -s $(( nsze - 4 )) -c 7 -z $(( 8 * bs )) -d $PAT
done
expect_file /sys/class/nvme/$C/state live
exit 0
