#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The lio backend (module nvmet-lio): one LIO fileio backstore, made
# through configfs as targetcli would, is a SCSI disk of the guest through
# tcm_loop and an NVMe/TCP namespace of ours at once.  Data written with
# O_DIRECT through either reads back through the other; Identify reports
# the backstore's capacity and block size; device_path names that are no
# backstore, or a backstore no nvmet_lio LUN links, fail the enable with
# EINVAL and a log line and leave the namespace disabled; while the
# namespace is enabled its LUN and the backstore cannot be removed, not
# even after their links are gone (the namespace's I/O then fails, the
# host gets an error, nothing hangs); after disable both go; nvmet-lio
# unloads before target_core_mod, which it pins.  No splat (the harness).
# Write Zeroes (WRITE SAME) and deallocation (UNMAP) on that fileio
# backstore (emulate_tpu, emulate_tpws, unmap_zeroes_data on) and on an
# iblock backstore on a memory-backed null_blk (emulate_tpu only): data
# written before reads back as zeroes through the host and in the
# backstore, Write Zeroes with DEAC punches a hole in the file and one
# without does not, commands larger than the backstore's
# max_write_same_len and max_unmap_lba_count (and several ranges with
# max_unmap_block_desc_count 2) zero exactly their blocks, a range past
# the end fails with LBA Out of Range and changes nothing; ONCS, NSFEAT,
# DLFEAT (9 on the fileio, 0 on the iblock) and the host's
# discard_max_bytes and write_zeroes_max_bytes follow the backstores;
# with emulate_tpu turned off under an enabled namespace its DSM fails
# with Invalid Command Opcode; enabled again with emulate_tpu 0 and
# max_write_same_len 0, the namespaces have neither (ONCS, queue limits
# 0, both commands Invalid Command Opcode).
# A ramdisk backstore (rd_mcp) is namespace 4 and a second tcm_loop disk:
# data written through either reads back through the other; it has
# neither Write Zeroes nor deallocate.
# Fused Compare and Write (nvme-tcp-fused, as 2q) on the fileio backstore
# as COMPARE AND WRITE: a matching pair writes (read back through the
# host and through the tcm_loop disk), a mismatching one is Compare
# Failure and writes nothing, the other checks of 2q hold, and a pair of
# two blocks (target-core takes one) is Invalid Field with nothing
# written; with emulate_caw turned off under the enabled namespace and
# after an enable with it off (compare_write=0) a matching pair is
# refused, Invalid Field, the data unchanged.  The same pairs (2q's
# checks) on a fileio backstore of 4 KiB blocks, a page, which
# target-core splits the data-out buffer of differently; its LUN's
# coming and going queues UNIT ATTENTIONs for namespace 1's session,
# which the next commands there (nvme-tcp-fused, which does not retry)
# must not see.  (sg3-utils is
# not in the image: no SCSI COMPARE AND WRITE of the guest's own.)
# Copy (nvme copy) on the fileio backstore (with a unit serial, as
# targetcli writes, for its NAA designator) as EXTENDED COPY within it:
# two ranges of 4 MiB read back in order through the host, the tcm_loop
# disk and the file, and the backstore's read_mbytes and write_mbytes
# stay where they were (target-core's own copy does not count there,
# READ and WRITE through our session would: 8 MiB each); a source range
# or destination past the end is LBA Out of Range with nothing written;
# with emulate_3pc turned off under the enabled namespace a Copy still
# copies, through READ and WRITE (read_mbytes grows); enabled again with
# emulate_3pc 0 the namespaces have no Copy (device_features copy=0 and
# not settable, ONCS bit 8 and MSSRL 0, nvme copy Invalid Command Opcode).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/lio.sh
e2e_begin
lio_require
tgt_load
for m in target_core_mod target_core_file target_core_iblock tcm_loop sd_mod; do
	modprobe $m 2>/dev/null || [ -d /sys/module/$m ] || fail "modprobe $m"
done
modprobe nvmet-lio || fail "modprobe nvmet-lio"
T=/sys/kernel/config/target
[ -d $T/core ] || fail "no $T/core after loading target_core_mod"

N=$NQN_BASE:lio
NS=$CFS/subsystems/$N/namespaces/1
BAD=$CFS/subsystems/$N/namespaces/2
NS2=$CFS/subsystems/$N/namespaces/2
IMG=/tmp/e2e-lio.img
SIZE=$(( 64 << 20 ))
BS=$T/core/fileio_0/disk0
BS2=$T/core/fileio_0/disk1
BS4=$T/core/fileio_0/disk4
NS3=$CFS/subsystems/$N/namespaces/3
IB=$T/core/iblock_0/nb0
LOOP=$T/loopback/naa.5001405000000a01/tpgt_1
LIO=$T/nvmet_lio/e2e/tpgt_1
PAT=/tmp/e2e-lio.pat
OUT=/tmp/e2e-lio.out

# the backstore, as targetcli's "backstores/fileio create" writes it
mkdir -p $BS || fail "mkdir $BS"
write_attr $BS/control "fd_dev_name=$IMG,fd_dev_size=$SIZE"
write_attr $BS/enable 1
# a unit serial, as targetcli writes one (only while no LUN links the
# backstore): the NAA designator EXTENDED COPY names the backstore by
write_attr $BS/wwn/vpd_unit_serial 6b1c9a2e-4f0d-4d7e-9a51-2t0000000001
# thin provisioning, as "set attribute emulate_tpu=1 ..." in targetcli
# (unmap_zeroes_data only while no LUN links the backstore)
write_attr $BS/attrib/emulate_tpu 1
write_attr $BS/attrib/emulate_tpws 1
write_attr $BS/attrib/unmap_zeroes_data 1
mkdir -p $BS2 || fail "mkdir $BS2"
write_attr $BS2/control "fd_dev_name=$IMG.2,fd_dev_size=$SIZE"
write_attr $BS2/enable 1
bs=$(cat $BS/attrib/block_size)

# tcm_loop: a SCSI disk of the guest on it
# (the nexus first: tcm_loop scans a LUN as it is linked)
mkdir -p $LOOP/lun/lun_0 || fail "mkdir $LOOP/lun/lun_0"
write_attr $LOOP/nexus naa.5001405000000a02
ln -s $BS $LOOP/lun/lun_0/disk0 || fail "link the tcm_loop LUN"
S=$(lio_scsi_disk FILEIO) || {
	ls /sys/block /sys/class/scsi_device 2>&1
	dmesg | tail -20
	fail "no tcm_loop disk after 15 s"
}
echo "tcm_loop disk $S, $(cat /sys/block/${S#/dev/}/size) sectors"

# our fabric's LUN on it
mkdir -p $LIO/lun/lun_0 || fail "mkdir $LIO/lun/lun_0"
ln -s $BS $LIO/lun/lun_0/disk0 || fail "link the nvmet_lio LUN"

# an iblock backstore on a memory-backed null_blk (discarded blocks read
# back as zeroes), UNMAP on, unmap_zeroes_data left off: LUN 1
null_blk_load
mkdir -p $IB || fail "mkdir $IB"
write_attr $IB/control udev_path=/dev/nullb0
write_attr $IB/enable 1
write_attr $IB/attrib/emulate_tpu 1
mkdir -p $LIO/lun/lun_1 || fail "mkdir $LIO/lun/lun_1"
ln -s $IB $LIO/lun/lun_1/nb0 || fail "link the iblock LUN"
expect_errno "Resource temporarily unavailable" rmmod nvmet_lio

# qlim DEV ATTR: the host's queue limit ATTR of DEV
qlim() { cat /sys/block/${1#/dev/}/queue/$2; }

# feat NS NAME: NAME=0|1 of the namespace's device_features
feat() { grep -o "$2=[01]" $1/device_features; }

# expect_sc WHAT SC COMMAND...: nvme-cli fails with status code SC (SCT
# and SC; DNR and More masked off)
expect_sc() {
	what=$1 want=$2
	shift 2
	"$@" > $OUT 2>&1 && fail "$what succeeded"
	st=$(sed -n 's/.*NVMe status: .*(\(0x[0-9a-fA-F]*\)).*/\1/p' $OUT |
	     head -n 1)
	[ -n "$st" ] && [ $(( st & 0x7ff )) -eq $(( want )) ] ||
		fail "$what: not status $want: $(cat $OUT)"
	echo "$what: status $st"
}

# rand_at FILE MIB: the MiB at MIB is the random MiB of data_prep
rand_at() { expect_eq "$1 at $2 MiB" "$RAND_SUM" "$(sum_at $1 $2)"; }
zero_at() { expect_eq "$1 at $2 MiB" "$ZERO_SUM" "$(sum_at $1 $2)"; }
put_at() {
	dd if=/tmp/e2e-rand of=$1 bs=1M seek=$2 oflag=direct conv=notrunc \
		2>/dev/null || fail "write 1 MiB to $1 at $2 MiB"
}
blocks() { stat -c %b $IMG; }

# lu_mb read|write: the fileio backstore's read_mbytes or write_mbytes
lu_mb() { cat $BS/statistics/scsi_lu/$1_mbytes; }
# mibs_are FILE MIB EXPECTED: the 8 MiB of FILE from MIB on are EXPECTED
mibs_are() {
	fl=
	[ -b $1 ] && fl=iflag=direct
	dd if=$1 of=$GOT bs=1M skip=$2 count=8 $fl 2>/dev/null ||
		fail "read 8 MiB of $1 at $2 MiB"
	cmp -s $GOT $3
}

# fused WANT ARGS...: nvme-tcp-fused on namespace 1 passes WANT checks
CW=/tmp/e2e-lio.cw
fused() {
	want=$1
	shift
	rc=0
	nvme-tcp-fused -a 127.0.0.1 -p 4420 -n 1 "$@" -o $CW $N > $OUT 2>&1 ||
		rc=$?
	sed 's/^/  /' $OUT
	[ $rc -eq 0 ] || fail "nvme-tcp-fused $*: rc $rc"
	grep -q "^fused: $want passed, 0 failed$" $OUT ||
		fail "nvme-tcp-fused $*: not $want checks passed"
}

# block8 WHAT: block 8 holds what nvme-tcp-fused left there ($CW),
# through the tcm_loop disk and through the host
block8() {
	for dv in $S $D; do
		dd if=$dv of=$OUT bs=$bs skip=8 count=1 iflag=direct \
			2>/dev/null || fail "read block 8 of $dv"
		cmp -s $CW $OUT || fail "$1: block 8 of $dv is not the pair's"
	done
	echo "$1: block 8 reads back through $S and $D"
}

lio_caw_checks() {
	expect_eq "$NS compare_write" compare_write=1 "$(feat $NS compare_write)"
	fused 17 -l 1
	block8 "COMPARE AND WRITE"
	# 4 KiB blocks: namespace 3 on its own backstore, for these checks
	mkdir -p $BS4 || fail "mkdir $BS4"
	write_attr $BS4/control "fd_dev_name=$IMG.4,fd_dev_size=$(( 16 << 20 ))"
	write_attr $BS4/enable 1
	write_attr $BS4/attrib/block_size 4096
	mkdir -p $LIO/lun/lun_2 || fail "mkdir $LIO/lun/lun_2"
	ln -s $BS4 $LIO/lun/lun_2/disk4 || fail "link the 4 KiB LUN"
	mkdir $NS3 || fail "mkdir namespace 3"
	write_attr $NS3/device_backend lio
	write_attr $NS3/device_path fileio_0/disk4
	write_attr $NS3/enable 1
	D3=$(wait_for_dev $N 3) || fail "no namespace 3"
	fused 13 -n 3
	dd if=$D3 of=$OUT bs=4096 skip=8 count=1 iflag=direct 2>/dev/null ||
		fail "read block 8 of $D3"
	cmp -s $CW $OUT || fail "4 KiB blocks: block 8 of $D3 is not the pair's"
	cmp -s $CW /dev/null && fail "4 KiB blocks: nothing saved"
	dd if=$IMG.4 of=$OUT bs=4096 skip=8 count=1 2>/dev/null ||
		fail "read block 8 of $IMG.4"
	cmp -s $CW $OUT || fail "4 KiB blocks: block 8 of $IMG.4 is not the pair's"
	echo "COMPARE AND WRITE of 4 KiB blocks: block 8 reads back through $D3 and in $IMG.4"
	write_attr $NS3/enable 0
	rmdir $NS3 || fail "rmdir namespace 3"
	rm $LIO/lun/lun_2/disk4 || fail "unlink the 4 KiB LUN"
	rmdir $LIO/lun/lun_2 $BS4 || fail "rmdir the 4 KiB LUN and backstore"
	# live: target-core refuses COMPARE AND WRITE
	write_attr $BS/attrib/emulate_caw 0
	fused 5 -r
	block8 "emulate_caw 0 under the enabled namespace"
}

# Both namespaces have both features; Identify and the queue limits say
# so, each namespace's DLFEAT after its backstore's unmap_zeroes_data.
lio_checks_available() {
	for nsd in $NS $NS2; do
		expect_eq "$nsd write_zeroes" write_zeroes=1 "$(feat $nsd write_zeroes)"
		expect_eq "$nsd deallocate" deallocate=1 "$(feat $nsd deallocate)"
	done
	oncs=$(id_ctrl_field /dev/$C oncs)
	[ $(( oncs & 0xc )) -eq $(( 0xc )) ] ||
		fail "ONCS $oncs lacks Write Zeroes or Dataset Management"
	expect_eq "$D DLFEAT (unmap_zeroes_data 1)" 9 \
		"$(( $(id_ns_field $D dlfeat) ))"
	expect_eq "$D2 DLFEAT (unmap_zeroes_data 0)" 0 \
		"$(( $(id_ns_field $D2 dlfeat) ))"
	for dv in $D $D2; do
		[ $(( $(id_ns_field $dv nsfeat) & 1 )) -eq 1 ] ||
			fail "$dv NSFEAT: not thin provisioned"
		[ "$(qlim $dv discard_max_bytes)" -gt 0 ] ||
			fail "$dv: discard_max_bytes 0"
		[ "$(qlim $dv write_zeroes_max_bytes)" -gt 0 ] ||
			fail "$dv: write_zeroes_max_bytes 0"
		echo "$dv: discard_max_bytes $(qlim $dv discard_max_bytes) write_zeroes_max_bytes $(qlim $dv write_zeroes_max_bytes) dlfeat $(id_ns_field $dv dlfeat)"
	done
}

# Copy on the fileio backstore (namespace 1): EXTENDED COPY.
CP=/tmp/e2e-lio.cp
EXP=/tmp/e2e-lio.exp
GOT=/tmp/e2e-lio.got
#
# target-core runs EXTENDED COPY (target_core_xcopy.c, 6.12) with se_cmds
# on its stack whose work items are not initialised as such
# (INIT_WORK_ONSTACK): a kernel with debug objects, the vm-debug lane's,
# warns at each, and lockdep reports that warning's printk under the debug
# objects' lock and turns itself off for the rest of the boot.  There the
# backstore's emulate_3pc is 0 from the first Copy on: target-core refuses
# our EXTENDED COPY before it starts one, and the core stages every range.
lio_copy_checks() {
	mb=$(( 1048576 / bs ))
	xc=1
	[ -d /sys/kernel/debug/debug_objects ] && xc=0
	expect_eq "$NS copy" copy=1 "$(feat $NS copy)"
	[ $(( $(id_ctrl_field /dev/$C oncs) & 0x100 )) -ne 0 ] ||
		fail "ONCS $(id_ctrl_field /dev/$C oncs) without Copy"
	[ $(( $(id_ns_field $D mssrl) )) -ge $(( 4 * mb )) ] ||
		fail "$D MSSRL $(id_ns_field $D mssrl): under 4 MiB"
	dd if=/dev/urandom of=$CP bs=1M count=8 2>/dev/null || fail "make $CP"
	dd if=$CP of=$D bs=1M seek=20 oflag=direct conv=notrunc 2>/dev/null ||
		fail "write $CP to $D"
	# its second half, then its first, to 30 MiB
	dd if=$CP bs=1M skip=4 count=4 2>/dev/null > $EXP
	dd if=$CP bs=1M count=4 2>/dev/null >> $EXP
	if [ $xc = 0 ]; then
		write_attr $BS/attrib/emulate_3pc 0
		echo "debug objects: emulate_3pc 0 before the first Copy"
	fi
	r0=$(lu_mb read) w0=$(lu_mb write)
	nvme copy $D --sdlba=$(( 30 * mb )) --slbs=$(( 24 * mb )),$(( 20 * mb )) \
		--blocks=$(( 4 * mb - 1 )),$(( 4 * mb - 1 )) --format=0 \
		> $OUT 2>&1 || fail "nvme copy, 2 ranges: $(cat $OUT)"
	r1=$(lu_mb read) w1=$(lu_mb write)
	for f in $D $S $IMG; do
		mibs_are $f 30 $EXP || fail "Copy: 30 MiB of $f differ"
	done
	echo "Copy: read_mbytes $r0 -> $r1, write_mbytes $w0 -> $w1"
	if [ $xc = 1 ]; then
		[ $(( r1 - r0 )) -le 1 ] && [ $(( w1 - w0 )) -le 1 ] ||
			fail "the Copy went through READ and WRITE, not EXTENDED COPY"
		echo "Copy of 2 ranges as EXTENDED COPY: reads back through $D, $S, $IMG"
	else
		[ $(( r1 - r0 )) -ge 8 ] ||
			fail "emulate_3pc 0: read_mbytes $r0 -> $r1, not READs of 8 MiB"
		echo "Copy of 2 ranges staged by the core: reads back through $D, $S, $IMG"
	fi
	# past the end: LBA Out of Range, nothing written
	sum63=$(sum_at $IMG 63)
	expect_sc "nvme copy of a range past the end" 0x80 \
		nvme copy $D --sdlba=$(( 30 * mb )) \
		--slbs=$(( 20 * mb )),$(( nsze - 4 )) --blocks=7,7 --format=0
	expect_sc "nvme copy to a destination past the end" 0x80 \
		nvme copy $D --sdlba=$(( nsze - 4 )) --slbs=$(( 20 * mb )) \
		--blocks=7 --format=0
	mibs_are $IMG 30 $EXP || fail "a refused Copy wrote at 30 MiB"
	expect_eq "$IMG at 63 MiB after a refused Copy" "$sum63" "$(sum_at $IMG 63)"
	# emulate_3pc 0 under the enabled namespace: READ and WRITE instead
	write_attr $BS/attrib/emulate_3pc 0
	r0=$(lu_mb read)
	nvme copy $D --sdlba=$(( 40 * mb )) --slbs=$(( 20 * mb )) \
		--blocks=$(( 8 * mb - 1 )) --format=0 > $OUT 2>&1 ||
		fail "nvme copy with emulate_3pc 0: $(cat $OUT)"
	r1=$(lu_mb read)
	mibs_are $D 40 $CP || fail "emulate_3pc 0: 40 MiB of $D differ"
	[ $(( r1 - r0 )) -ge 8 ] ||
		fail "emulate_3pc 0: read_mbytes $r0 -> $r1, not READs of 8 MiB"
	echo "emulate_3pc 0 under the enabled namespace: Copy through READ and WRITE (read_mbytes $r0 -> $r1)"
	rm -f $CP $EXP $GOT
}

# What each command leaves in the backstores (fileio: $IMG, block size
# $bs; iblock: /dev/nullb0).
lio_data_checks() {
	mb=$(( 1048576 / bs ))	# blocks a MiB (not lba: helpers set that)
	# Write Zeroes without DEAC writes zeroes: no hole
	put_at $D 5
	b0=$(blocks)
	write_zeroes $D $IMG 5
	[ $(blocks) -ge $b0 ] || fail "Write Zeroes without DEAC made a hole"
	# with DEAC: WRITE SAME with UNMAP, a hole of that MiB
	put_at $D 7
	b0=$(blocks)
	nvme write-zeroes $D -s $(( 7 * mb )) -c $(( mb - 1 )) -d > $OUT 2>&1 ||
		fail "nvme write-zeroes -d: $(cat $OUT)"
	zero_at $D 7
	zero_at $IMG 7
	[ $(( b0 - $(blocks) )) -ge 2048 ] ||
		fail "Write Zeroes with DEAC freed $(( b0 - $(blocks) )) sectors of $IMG, not 2048"
	echo "Write Zeroes: zeroes; with DEAC a hole in $IMG"
	# 32 MiB in one command: split by max_write_same_len
	mws=$(cat $BS/attrib/max_write_same_len)
	wzn=$(( (32 << 20) / bs ))
	[ $wzn -le 65536 ] && [ $wzn -gt $mws ] || fail "no split to test: $wzn blocks, max_write_same_len $mws"
	for m in 8 24 39 40; do put_at $D $m; done
	nvme write-zeroes $D -s $(( 8 * mb )) -c $(( wzn - 1 )) > $OUT 2>&1 ||
		fail "nvme write-zeroes of $wzn blocks: $(cat $OUT)"
	for m in 8 24 39; do zero_at $D $m; zero_at $IMG $m; done
	rand_at $IMG 40
	echo "Write Zeroes of $wzn blocks over max_write_same_len $mws: exactly its blocks"
	# past the end: LBA Out of Range, the last MiB (written above) kept
	put_at $D 63
	expect_sc "nvme write-zeroes past the end" 0x80 \
		nvme write-zeroes $D -s $(( nsze - 4 )) -c 7
	rand_at $IMG 63

	# deallocation: one range, then one over max_unmap_lba_count
	discarded $D $IMG 10
	mul=$(cat $BS/attrib/max_unmap_lba_count)
	[ $(( 16 * mb )) -gt $mul ] || fail "no split to test: max_unmap_lba_count $mul"
	for m in 44 52 59 60; do put_at $D $m; done
	b0=$(blocks)
	blkdiscard -o $(( 44 << 20 )) -l $(( 16 << 20 )) $D ||
		fail "blkdiscard of 16 MiB"
	for m in 44 52 59; do zero_at $D $m; zero_at $IMG $m; done
	rand_at $IMG 60
	[ $(( b0 - $(blocks) )) -ge $(( 3 * 2048 )) ] ||
		fail "blkdiscard freed only $(( b0 - $(blocks) )) sectors of $IMG"
	echo "16 MiB deallocated over max_unmap_lba_count $mul: exactly its blocks, holes"
	# three ranges, two block descriptors an UNMAP
	write_attr $BS/attrib/max_unmap_block_desc_count 2
	for m in 12 13 14 16; do put_at $D $m; done
	nvme dsm $D --ad -s $(( 12 * mb )),$(( 14 * mb )),$(( 16 * mb )) \
		-b $mb,$mb,$mb > $OUT 2>&1 || fail "nvme dsm, 3 ranges: $(cat $OUT)"
	for m in 12 14 16; do zero_at $D $m; zero_at $IMG $m; done
	rand_at $IMG 13
	write_attr $BS/attrib/max_unmap_block_desc_count 1
	echo "3 ranges, 2 descriptors an UNMAP: exactly their blocks"
	# a range past the end: LBA Out of Range, nothing deallocated
	put_at $D 18
	expect_sc "nvme dsm with a range past the end" 0x80 \
		nvme dsm $D --ad -s $(( 18 * mb )),$(( nsze - 4 )) -b $mb,8
	rand_at $IMG 18
	rand_at $D 18

	# the iblock backstore
	write_zeroes $D2 /dev/nullb0 3
	discarded $D2 /dev/nullb0 5
	echo "iblock: Write Zeroes and deallocation read back as zeroes"
}

# emulate_tpu turned off under an enabled namespace: target-core refuses
# UNMAP, the host gets Invalid Command Opcode
lio_checks_gone_live() {
	write_attr $BS/attrib/emulate_tpu 0
	expect_sc "nvme dsm --ad after emulate_tpu 0" 0x1 \
		nvme dsm $D --ad -s 0 -b 8
}

# Enabled again with emulate_tpu 0 and max_write_same_len 0: neither
# feature, and the host sees neither.
lio_checks_unavailable() {
	host_disconnect_all || fail "disconnect"
	write_attr $NS/enable 0
	write_attr $NS2/enable 0
	for bk in $BS $IB; do
		write_attr $bk/attrib/emulate_tpu 0
		write_attr $bk/attrib/max_write_same_len 0
		write_attr $bk/attrib/emulate_3pc 0
	done
	write_attr $NS/enable 1
	write_attr $NS2/enable 1
	for nsd in $NS $NS2; do
		expect_eq "$nsd write_zeroes" write_zeroes=0 "$(feat $nsd write_zeroes)"
		expect_eq "$nsd deallocate" deallocate=0 "$(feat $nsd deallocate)"
		expect_eq "$nsd copy" copy=0 "$(feat $nsd copy)"
		expect_errno "Invalid argument" sh -c \
			"echo copy=1 > $nsd/device_features"
	done
	# emulate_caw 0 since lio_caw_checks: the core refuses the pair
	expect_eq "$NS compare_write" compare_write=0 "$(feat $NS compare_write)"
	expect_errno "Invalid argument" sh -c \
		"echo compare_write=1 > $NS/device_features"
	host_connect $N || fail "nvme connect"
	D=$(wait_for_dev $N 1) || fail "no namespace 1"
	D2=$(wait_for_dev $N 2) || fail "no namespace 2"
	C=$(ctrl_of $N) || fail "no controller of $N"
	oncs=$(id_ctrl_field /dev/$C oncs)
	[ $(( oncs & 0x10c )) -eq 0 ] ||
		fail "ONCS $oncs has Write Zeroes, Dataset Management or Copy"
	for dv in $D $D2; do
		expect_eq "$dv MSSRL" 0 "$(( $(id_ns_field $dv mssrl) ))"
		expect_sc "nvme copy on $dv" 0x1 nvme copy $dv --sdlba=16 \
			--slbs=0 --blocks=7 --format=0
		expect_eq "$dv DLFEAT" 0 "$(( $(id_ns_field $dv dlfeat) ))"
		expect_eq "$dv NSFEAT thin" 0 "$(( $(id_ns_field $dv nsfeat) & 1 ))"
		expect_eq "$dv discard_max_bytes" 0 "$(qlim $dv discard_max_bytes)"
		expect_eq "$dv write_zeroes_max_bytes" 0 \
			"$(qlim $dv write_zeroes_max_bytes)"
		expect_sc "nvme write-zeroes on $dv" 0x1 \
			nvme write-zeroes $dv -s 0 -c 7
		expect_sc "nvme dsm --ad on $dv" 0x1 nvme dsm $dv --ad -s 0 -b 8
	done
	fused 5 -r
	block8 "enabled with emulate_caw 0"
	echo "emulate_tpu 0, max_write_same_len 0, emulate_3pc 0: no Write Zeroes, no DSM, no Copy"
}

tgt_subsys $N 1
# names that do not resolve: EINVAL, a log line, the namespace disabled
mkdir $BAD || fail "mkdir namespace 2"
write_attr $BAD/device_backend lio
for path in fileio_0/nosuch nosuch fileio_0/disk0/x fileio_0/disk1; do
	write_attr $BAD/device_path $path
	m=$(kmsg_mark "bad $path")
	expect_errno "Invalid argument" sh -c "echo 1 > $BAD/enable"
	expect_file $BAD/enable 0
	dmesg_since "$m" | grep -q "nvmet: namespace 2: " ||
		fail "no log line for device_path $path"
done
rmdir $BAD || fail "rmdir namespace 2"
# the unlinked backstore is free again: nothing was pinned by the failures
rmdir $BS2 || fail "rmdir of the backstore a failed enable named"
echo "bad device_path names: EINVAL, logged, nothing pinned"

mkdir $NS || fail "mkdir namespace 1"
write_attr $NS/device_backend lio
write_attr $NS/device_path /sys/kernel/config/target/core/fileio_0/disk0
write_attr $NS/enable 1
expect_file $NS/enable 1
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N
host_prep
host_connect $N || fail "nvme connect"
D=$(wait_for_dev $N 1) || fail "no namespace"
nsze=$(( $(id_ns_field $D nsze) ))
[ $nsze -eq $(( SIZE / bs )) ] || fail "NSZE $nsze, not $(( SIZE / bs ))"
lbs=$(cat /sys/block/${D#/dev/}/queue/logical_block_size)
[ "$lbs" -eq "$bs" ] || fail "block size $lbs, the backstore's is $bs"
echo "$D: $nsze blocks of $lbs bytes"

# SCSI writes, NVMe reads; NVMe writes, SCSI reads
mib_check $S $D 3 "SCSI to NVMe"
mib_check $D $S 63 "NVMe to SCSI"
nvme flush $D -n 1 > $OUT 2>&1 || fail "nvme flush: $(cat $OUT)"
echo "data written through either protocol reads back through the other"

# ---- fused Compare and Write ----
command -v nvme-tcp-fused > /dev/null || fail "no nvme-tcp-fused in the image"
lio_caw_checks

# ---- Write Zeroes and deallocation ----
mkdir $NS2 || fail "mkdir namespace 2"
write_attr $NS2/device_backend lio
write_attr $NS2/device_path iblock_0/nb0
write_attr $NS2/enable 1
D2=$(wait_for_dev $N 2) || fail "no namespace 2"
C=$(ctrl_of $N) || fail "no controller of $N"
data_prep
lio_checks_available
lio_copy_checks
lio_data_checks
lio_checks_gone_live
lio_checks_unavailable

# A ramdisk backstore (rd_mcp, part of target_core_mod): namespace 4 and a
# second tcm_loop disk at once; data written through either reads back
# through the other; no WRITE SAME or UNMAP there, so neither feature.
RD=$T/core/rd_mcp_0/rd0
NS4=$CFS/subsystems/$N/namespaces/4
lio_ramdisk_checks() {
	mkdir -p $RD || fail "mkdir $RD"
	write_attr $RD/control rd_pages=4096
	write_attr $RD/enable 1
	mkdir -p $LIO/lun/lun_3 $LOOP/lun/lun_1 || fail "mkdir the ramdisk's LUNs"
	ln -s $RD $LIO/lun/lun_3/rd0 || fail "link the ramdisk's nvmet_lio LUN"
	ln -s $RD $LOOP/lun/lun_1/rd0 || fail "link the ramdisk's tcm_loop LUN"
	S4=$(lio_scsi_disk RAMDISK) || fail "no tcm_loop ramdisk after 15 s"
	mkdir $NS4 || fail "mkdir namespace 4"
	write_attr $NS4/device_backend lio
	write_attr $NS4/device_path rd_mcp_0/rd0
	write_attr $NS4/enable 1
	D4=$(wait_for_dev $N 4) || fail "no namespace 4"
	expect_eq "$D4 NSZE" $(( (16 << 20) / 512 )) "$(( $(id_ns_field $D4 nsze) ))"
	expect_eq "$NS4 write_zeroes" write_zeroes=0 "$(feat $NS4 write_zeroes)"
	expect_eq "$NS4 deallocate" deallocate=0 "$(feat $NS4 deallocate)"
	mib_check $D4 $S4 5 "ramdisk, NVMe to SCSI"
	mib_check $S4 $D4 9 "ramdisk, SCSI to NVMe"
	echo "ramdisk $RD: $D4 and $S4 read what the other wrote; no Write Zeroes, no deallocate"
	write_attr $NS4/enable 0
	rmdir $NS4 || fail "rmdir namespace 4"
	rm $LOOP/lun/lun_1/rd0 $LIO/lun/lun_3/rd0 || fail "unlink the ramdisk's LUNs"
	rmdir $LOOP/lun/lun_1 $LIO/lun/lun_3 || fail "rmdir the ramdisk's LUNs"
	rmdir $RD $T/core/rd_mcp_0 || fail "rmdir the ramdisk"
}
lio_ramdisk_checks

# removal while enabled: refused, even once the links are gone
expect_errno "Device or resource busy" rmdir $BS
rm $LOOP/lun/lun_0/disk0 || fail "unlink the tcm_loop LUN"
m=$(kmsg_mark "unlink")
rm $LIO/lun/lun_0/disk0 || fail "unlink the nvmet_lio LUN"
dmesg_since "$m" | grep -q "nvmet_lio: e2e/tpgt_1 LUN 0 unlinked while a namespace uses it" ||
	fail "no log line for the unlink of a LUN in use"
expect_errno "Device or resource busy" rmdir $LIO/lun/lun_0
expect_errno "Device or resource busy" rmdir $BS
dd if=$D of=$OUT bs=4096 count=1 iflag=direct 2>/dev/null &&
	fail "a read through an unlinked LUN succeeded"
dd if=$PAT of=$D bs=4096 count=1 oflag=direct conv=notrunc 2>/dev/null &&
	fail "a write through an unlinked LUN succeeded"
echo "LUN and backstore pinned while enabled; I/O after the unlink fails"
host_disconnect_all || fail "disconnect"
write_attr $NS/enable 0
rmdir $LIO/lun/lun_0 || fail "rmdir the nvmet_lio LUN after disable"
rmdir $BS || fail "rmdir the backstore after disable"
rmdir $NS || fail "rmdir namespace 1"
write_attr $NS2/enable 0
rmdir $NS2 || fail "rmdir namespace 2"
rm $LIO/lun/lun_1/nb0 || fail "unlink the iblock LUN"
rmdir $LIO/lun/lun_1 || fail "rmdir the iblock LUN"
rmdir $IB $T/core/iblock_0 || fail "rmdir the iblock backstore"

# teardown and unload order: nvmet-lio before target_core_mod
rmdir $LIO $T/nvmet_lio/e2e $T/nvmet_lio || fail "rmdir our fabric's tree"
rmdir $LOOP/lun/lun_0 || fail "rmdir the tcm_loop LUN"
rmdir $LOOP $T/loopback/naa.5001405000000a01 $T/loopback ||
	fail "rmdir the tcm_loop tree"
rmdir $T/core/fileio_0 || fail "rmdir the hba"
expect_errno "Resource temporarily unavailable" rmmod target_core_mod
tgt_teardown || fail "teardown"
rmmod nvmet_lio || fail "rmmod nvmet_lio"
# (target_core_mod loads its backstore modules itself: iblock here)
for m in tcm_loop target_core_file target_core_iblock target_core_pscsi \
	 target_core_user target_core_mod; do
	grep -q "^$m " /proc/modules || continue
	rmmod $m || {
		grep -E 'target|tcm|lio' /proc/modules
		fail "rmmod $m"
	}
done
rmmod null_blk || fail "rmmod null_blk"
rm -f $IMG $IMG.2 $IMG.4 $PAT $OUT $CW
echo "nvmet-lio unloads first, then target-core"
exit 0
