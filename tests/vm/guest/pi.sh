#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the protection information tests (2w over TCP and loop, 4h
# over RDMA): scsi_debug's PI disk, pass-through Reads and Writes of 8
# blocks with PRINFO (PRACT 1: the blocks alone; PRACT 0: extended LBAs
# of 520 bytes, the PI after each block), their NVMe status, the PI
# namespace's format, Verify, Write Zeroes, and the round trips the tests
# run (with a wrong reference tag stored as sent, checked where PRCHK
# asks).  Sourced after lib.sh and nvme.sh; the test sets HOST_KEEPS_PI
# (1: the Linux host keeps the namespace's disk and sends PRACT 1 itself;
# 0: its disk is 0 bytes) before check_format.  The guards come from
# nvme-tcp-pi -g (tests/fuzz/pi.c), which computes them, whatever the
# fabric.  PISZ=16 before sourcing (2w6) is the 64-bit guard's format:
# 16 bytes of PI (extended LBAs of 528 bytes), the guard CRC-64/NVME
# (nvme-tcp-pi -G), the reference tag 48 bits; PI_STORED_AS_SENT=0 for a
# disk that checks every write's PI whatever it is asked (an NVMe disk
# below 7.x's host driver): ext_round_trip then stores no wrong tag.

OUT=/tmp/e2e-pi.out
PAT=/tmp/e2e-pi.pat
EXT=/tmp/e2e-pi.ext
BAD=/tmp/e2e-pi.bad
GOT=/tmp/e2e-pi.got
SD=/sys/bus/pseudo/drivers/scsi_debug
PISZ=${PISZ:-8}
EBS=$((512 + PISZ))
PI_STORED_AS_SENT=${PI_STORED_AS_SENT:-1}
if [ $PISZ = 16 ]; then
	GUARDS=-G REFW=12 ZGUARD=1de60e2868a782e9
else
	GUARDS=-g REFW=8 ZGUARD=0000
fi

# pi_tags APP REF: a tuple's application and reference tags, in hex
pi_tags() {
	printf "%04x%0${REFW}x" $1 $2
}

# sdebug DIF: load scsi_debug with PI type DIF, print its disk
sdebug() {
	modprobe scsi_debug dif=$1 dix=1 guard=0 sector_size=512 \
		dev_size_mb=64 || { echo "modprobe scsi_debug dif=$1" >&2; return 1; }
	# no udev in the guest: nothing loads the disk driver by itself
	modprobe sd_mod || { echo "modprobe sd_mod" >&2; return 1; }
	n=0
	while [ $n -lt 100 ]; do
		for b in /sys/block/sd*; do
			[ "$(sed 's/ *$//' $b/device/model 2>/dev/null)" = scsi_debug ] ||
				continue
			[ -b /dev/${b##*/} ] && { echo /dev/${b##*/}; return 0; }
		done
		n=$((n + 1))
		sleep 0.1
	done
	echo "no scsi_debug disk" >&2
	return 1
}

# pt DEV OPCODE SLBA PRINFO REFTAG LBAT LBATM [nvme options]: 8 blocks,
# $PTLEN bytes (4096; 8 times $EBS with PI in extended LBAs, ptx)
PTLEN=4096
pt() {
	dev=$1 op=$2 slba=$3 prinfo=$4 ref=$5 lbat=$6 lbatm=$7
	shift 7
	nvme io-passthru $dev --opcode=$op --namespace-id=1 \
		--data-len=$PTLEN --cdw10=$slba --cdw11=0 \
		--cdw12=$(( 7 | (prinfo << 26) )) --cdw14=$ref \
		--cdw15=$(( lbat | (lbatm << 16) )) "$@"
}
pt_write() { pt "$@" --input-file=$PAT > $OUT 2>&1; }
pt_read() { pt "$@" --raw-binary > $OUT 2>/dev/null; }
ptx() {
	PTLEN=$((8 * EBS))
	pt "$@"
	rc=$?
	PTLEN=4096
	return $rc
}

# status WHAT EXPECTED pt ARGS...: the pass-through fails with that status
status() {
	what=$1
	want=$2
	shift 2
	"$@" --raw-binary > $OUT 2>&1 && fail "$what: succeeded, expected $want"
	st=$(sed -n 's/.*NVMe status: .*(\(0x[0-9a-fA-F]*\)).*/\1/p' $OUT | head -n 1)
	[ "$st" = "$want" ] || fail "$what: status '$st', not $want: $(head -c 300 $OUT)"
	echo "$what: status $st"
}

# wait_size DEV BYTES: the host's disk reaches that size within 10 s
wait_size() {
	n=0
	while [ "$(blockdev --getsize64 $1)" != "$2" ]; do
		n=$((n + 1))
		[ $n -gt 100 ] &&
			fail "$1: size $(blockdev --getsize64 $1), expected $2"
		sleep 0.1
	done
}

# check_format DEV DPC DPS: Identify Namespace of a PI namespace
check_format() {
	expect_eq "$1 flbas" 0x10 "$(id_ns_field $1 flbas)"
	expect_eq "$1 mc" 0x1 "$(id_ns_field $1 mc)"
	expect_eq "$1 dpc" $2 "$(id_ns_field $1 dpc)"
	expect_eq "$1 dps" $3 "$(id_ns_field $1 dps)"
	nvme id-ns $1 | grep -q "^lbaf  0 : ms:$PISZ *lbads:9 .*in use" ||
		fail "$1: lbaf 0 is not ms:$PISZ lbads:9: $(nvme id-ns $1 | grep lbaf)"
	if [ $HOST_KEEPS_PI = 1 ]; then
		sleep 1
		expect_eq "$1 size (host keeps it)" 67108864 \
			"$(blockdev --getsize64 $1)"
		dd if=$PAT of=$1 bs=4096 seek=300 oflag=direct 2>/dev/null ||
			fail "dd to $1 (host's PRACT 1)"
		dd if=$1 of=$OUT bs=4096 skip=300 count=1 iflag=direct \
			2>/dev/null || fail "dd from $1 (host's PRACT 1)"
		cmp -s $OUT $PAT || fail "$1: host's PRACT 1 I/O differs"
		echo "$1: host keeps its disk, O_DIRECT with PRACT 1 reads back"
	else
		wait_size $1 0
	fi
	echo "$1: flbas 0x10 mc 0x1 dpc $2 dps $3, lbaf 0 ms:$PISZ"
}

# round_trip DEV SLBA: PRACT 1 write, PRACT 1 read with every check
round_trip() {
	pt_write $1 0x01 $2 8 $2 0xbeef 0 ||
		fail "$1: PRACT write at $2: $(cat $OUT)"
	pt_read $1 0x02 $2 15 $2 0xbeef 0xffff ||
		fail "$1: PRACT read at $2 with guard, app and ref checks"
	cmp -s $OUT $PAT || fail "$1: PRACT read at $2 differs from the write"
	echo "$1: PRACT write and checked read at $2"
}

# ext_data I, ext_pi I BYTES: block I of $EXT (extended LBAs of $EBS
# bytes), its 512 bytes of data; the last BYTES bytes of its PI, in hex
ext_data() {
	dd if=$EXT bs=$EBS skip=$1 count=1 2>/dev/null | head -c 512
}
ext_pi() {
	dd if=$EXT bs=$EBS skip=$1 count=1 2>/dev/null |
		tail -c $2 | od -An -tx1 | tr -d ' \n'
}

# tags_are DEV SLBA APP: the 8 blocks read with PRACT 0 hold $PAT, each
# block's PI the guard of its data (CRC T10-DIF or CRC-64/NVME, computed here),
# application tag APP and reference tag the LBA (type 1)
tags_are() {
	ptx $1 0x02 $2 7 $2 $3 0xffff --raw-binary > $EXT 2>/dev/null ||
		fail "$1: PRACT 0 read at $2, every check, application tag $3"
	nvme-tcp-pi $GUARDS < $EXT > $GOT.crc || fail "$1: guards of $EXT"
	: > $GOT
	i=0
	while [ $i -lt 8 ]; do
		ext_data $i >> $GOT
		g=$(sed -n "$((i + 1))p" $GOT.crc)
		expect_eq "$1: block $i at $2: guard, app and ref tag" \
			"$g$(pi_tags $3 $(($2 + i)))" "$(ext_pi $i $PISZ)"
		i=$((i + 1))
	done
	cmp -s $GOT $PAT || fail "$1: the blocks at $2 differ from the pattern"
}

# ext_round_trip DEV SLBA: PRACT 0 through pass-through, type 1
ext_round_trip() {
	pt_write $1 0x01 $2 8 $2 0xbeef 0 ||
		fail "$1: PRACT write at $2: $(cat $OUT)"
	tags_are $1 $2 0xbeef
	ptx $1 0x01 $2 7 $2 0xbeef 0xffff --input-file=$EXT > $OUT 2>&1 ||
		fail "$1: PRACT 0 write at $2 with every check: $(cat $OUT)"
	ptx $1 0x05 $2 7 $2 0xbeef 0xffff --input-file=$EXT > $OUT 2>&1 ||
		fail "$1: PRACT 0 compare at $2 with every check: $(cat $OUT)"
	status "$1: PRACT 0 compare, another application tag" 0x4283 \
		ptx $1 0x05 $2 2 $2 0xbeee 0xffff --input-file=$EXT
	# block 3's data from block 4, its PI kept: the guard fails
	cp $EXT $BAD
	dd if=$EXT of=$BAD bs=8 skip=$((EBS / 2)) seek=$((EBS * 3 / 8)) \
		count=64 conv=notrunc 2>/dev/null
	status "$1: PRACT 0 compare, block 3's data differs" 0x4285 \
		ptx $1 0x05 $2 7 $2 0xbeef 0xffff --input-file=$BAD
	status "$1: PRACT 0 write, wrong guard" 0x4282 \
		ptx $1 0x01 $2 7 $2 0xbeef 0xffff --input-file=$BAD
	# block 3 all from block 4: guard right, reference tag wrong
	dd if=$EXT of=$BAD bs=$EBS skip=4 seek=3 count=1 conv=notrunc 2>/dev/null
	status "$1: PRACT 0 write, wrong reference tag" 0x4284 \
		ptx $1 0x01 $2 7 $2 0xbeef 0xffff --input-file=$BAD
	ptx $1 0x02 $2 7 $2 0xbeef 0xffff --raw-binary > $OUT 2>/dev/null ||
		fail "$1: PRACT 0 read at $2 after the failed writes"
	cmp -s $OUT $EXT || fail "$1: a failed PRACT 0 write changed $2"
	[ $PI_STORED_AS_SENT = 0 ] || stored_ref $1 $2
	echo "$1: PRACT 0 read and write at $2, data, tags and errors"
}

# vf DEV SLBA PRINFO REFTAG LBAT LBATM [NLB]: Verify of 8 (NLB) blocks
# (status() appends an option, which is not a count)
vf() {
	n=${7:-8}
	case $n in *[!0-9]*) n=8 ;; esac
	nvme io-passthru $1 --opcode=0x0c --namespace-id=1 --cdw10=$2 \
		--cdw11=0 --cdw12=$(( (n - 1) | ($3 << 26) )) \
		--cdw14=$4 --cdw15=$(( $5 | ($6 << 16) )) > $OUT 2>&1
}

# stored_ref DEV SLBA: $BAD (block 3 with block 4's PI) written with
# PRACT 0 and PRCHK's reference check off is stored as sent; reads and a
# Verify checking the reference tag are 0x4284, the error log naming
# block 3; without that check the PI reads back as written
stored_ref() {
	ptx $1 0x01 $2 6 $2 0xbeef 0xffff --input-file=$BAD > $OUT 2>&1 ||
		fail "$1: PRACT 0 write at $2, no reference check: $(cat $OUT)"
	status "$1: stored reference tag wrong, PRACT 1 read" 0x4284 \
		pt $1 0x02 $2 15 $2 0xbeef 0xffff
	lba=$(nvme error-log $1 -e 1 | sed -n 's/^lba[^:]*: *//p' | head -n 1)
	expect_eq "$1: error log LBA" $(($2 + 3)) $((lba))
	status "$1: stored reference tag wrong, PRACT 0 read" 0x4284 \
		ptx $1 0x02 $2 7 $2 0xbeef 0xffff
	status "$1: stored reference tag wrong, Verify" 0x4284 \
		vf $1 $2 1 $2 0 0
	ptx $1 0x02 $2 6 $2 0xbeef 0xffff --raw-binary > $OUT 2>/dev/null ||
		fail "$1: PRACT 0 read at $2, no reference check"
	cmp -s $OUT $BAD || fail "$1: the PI at $2 is not the one written"
	ptx $1 0x01 $2 7 $2 0xbeef 0xffff --input-file=$EXT > $OUT 2>&1 ||
		fail "$1: PRACT 0 write back at $2: $(cat $OUT)"
	echo "$1: a wrong stored reference tag at $2: 0x4284 where checked"
}

# wz DEV SLBA PRINFO REFTAG LBAT: Write Zeroes of 8 blocks
wz() {
	nvme io-passthru $1 --opcode=0x08 --namespace-id=1 --cdw10=$2 \
		--cdw11=0 --cdw12=$(( 7 | ($3 << 26) )) --cdw14=$4 \
		--cdw15=$5 > $OUT 2>&1
}

# zeroed DEV SLBA APP REF0 INC: the 8 blocks read with PRACT 0 are zeroes,
# each block's PI the guard of zeroes ($ZGUARD), APP and REF0 (+ i with
# INC 1)
zeroed() {
	ptx $1 0x02 $2 0 $2 0 0 --raw-binary > $EXT 2>/dev/null ||
		fail "$1: PRACT 0 read of the zeroed blocks at $2"
	i=0
	while [ $i -lt 8 ]; do
		expect_eq "$1: zeroed block $i: non-zero bytes" 0 \
			"$(ext_data $i | tr -d '\0' | wc -c)"
		expect_eq "$1: zeroed block $i: PI" \
			"$ZGUARD$(pi_tags $3 $(($4 + i * $5)))" "$(ext_pi $i $PISZ)"
		i=$((i + 1))
	done
}

# write_zeroes DEV SLBA: Write Zeroes with PRINFO over written blocks, type 1
write_zeroes() {
	pt_write $1 0x01 $2 8 $2 0xbeef 0 || fail "$1: write before zeroes"
	wz $1 $2 8 $2 0x5a5a || fail "$1: Write Zeroes, PRACT 1: $(cat $OUT)"
	zeroed $1 $2 0x5a5a $2 1
	pt_read $1 0x02 $2 15 $2 0x5a5a 0xffff ||
		fail "$1: PRACT 1 checked read of the zeroed blocks"
	head -c 4096 /dev/zero | cmp -s - $OUT ||
		fail "$1: PRACT 1 read of the zeroed blocks is not zeroes"
	pt_write $1 0x01 $2 8 $2 0xbeef 0 || fail "$1: write before zeroes"
	wz $1 $2 0 0 0 || fail "$1: Write Zeroes, PRACT 0: $(cat $OUT)"
	zeroed $1 $2 0 $2 1
	ptx $1 0x02 $2 7 $2 0 0xffff --raw-binary > $OUT 2>/dev/null ||
		fail "$1: PRACT 0 read, every check, of PRACT 0 zeroes"
	status "$1: Write Zeroes with PRCHK" 0x6181 wz $1 $2 12 $2 0
	echo "$1: Write Zeroes at $2, PRACT 1 and 0: zeroes with their PI"
}

# verify DEV SLBA: Verify with PRINFO of written blocks, type 1
verify() {
	pt_write $1 0x01 $2 8 $2 0xbeef 0 || fail "$1: write before Verify"
	for p in 0 1; do
		pract=$((p << 3))
		vf $1 $2 $((pract | 7)) $2 0xbeef 0xffff ||
			fail "$1: Verify, PRACT $p, every check: $(cat $OUT)"
		vf $1 $2 $pract 0 0 0 ||
			fail "$1: Verify, PRACT $p, no check: $(cat $OUT)"
		status "$1: Verify, PRACT $p, another application tag" \
			0x4283 vf $1 $2 $((pract | 2)) $2 0xbeee 0xffff
		vf $1 $2 $((pract | 2)) $2 0xbeee 0xfff0 ||
			fail "$1: Verify, application tag masked: $(cat $OUT)"
		status "$1: Verify, PRACT $p, EILBRT not the SLBA" 0x6181 \
			vf $1 $2 $((pract | 1)) $(($2 + 1)) 0 0
		vf $1 $2 $((pract | 6)) $(($2 + 1)) 0xbeef 0xffff ||
			fail "$1: Verify, EILBRT unchecked: $(cat $OUT)"
	done
	# 600 blocks: three stages of the target's (128 KiB each)
	nvme io-passthru $1 --opcode=0x08 --namespace-id=1 --cdw10=8192 \
		--cdw11=0 --cdw12=$(( 599 | (8 << 26) )) --cdw14=8192 \
		--cdw15=0x6b6b > $OUT 2>&1 ||
		fail "$1: Write Zeroes of 600 blocks: $(cat $OUT)"
	vf $1 8192 7 8192 0x6b6b 0xffff 600 ||
		fail "$1: Verify of 600 blocks, every check: $(cat $OUT)"
	status "$1: Verify of 600 blocks, another application tag" 0x4283 \
		vf $1 8192 2 8192 0x6b6a 0xffff 600
	echo "$1: Verify at $2, PRACT 0 and 1, and of 600 blocks"
}
