#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A zoned block device (null_blk, zoned, memory backed) exported as a
# zoned namespace (ZNS, CSI 02h) over NVMe/TCP.  Refused with EINVAL (and,
# ours, a log line naming the namespace): a device with conventional zones
# and one whose last zone is smaller than the others.  The Linux host sees
# a host-managed zoned disk with the device's zone size, ZNS Identify
# Namespace its zone size, MOR and MAR; writes at the write pointer read
# back, a write off it fails; Zone Management Receive reports every zone,
# a filtered state and a partial report; Zone Management Send opens,
# closes, finishes and resets one zone and, with Select All, all, and
# refuses offline; Zone Append returns the LBA it wrote at, and the data
# is there.  Ours also refuses the zoned device on the file backend
# (buffered_io 1).
#
# In-tree 6.12 (TARGET=intree) passes the same checks: the same zones,
# states, reports and appends; it refuses the same two devices with
# EINVAL and logs nothing (and exports a zoned device on its file backend
# as a plain namespace, not tested).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
e2e_begin
tgt_load

N=$NQN_BASE:zns
NB=/sys/kernel/config/nullb
OUT=/tmp/e2e-zns.out
PAT=/tmp/e2e-zns.pat
ZMB=4			# zone size, MiB
ZB=$(( ZMB << 8 ))	# zone size, 4 KiB blocks
CAPB=$(( 3 << 8 ))	# zone capacity (3 MiB), blocks

# nullb NAME SIZE_MB [ATTR=VALUE...]: a zoned, memory-backed null_blk of
# 4 KiB blocks and 4 MiB zones, made through null_blk's configfs.  Its
# device is /dev/NAME (6.12 names a configfs device after its directory),
# or /dev/nullb<index> (6.1)
nullb() {
	d=$NB/$1
	mkdir $d || fail "mkdir $d"
	write_attr $d/size $2
	shift 2
	for kv in blocksize=4096 memory_backed=1 zoned=1 zone_size=$ZMB "$@"; do
		write_attr $d/${kv%%=*} ${kv#*=}
	done
	write_attr $d/power 1
}
nullb_dev() {
	i=$(cat $NB/$1/index) || return 1
	n=0
	while :; do
		for d in /dev/$1 /dev/nullb$i; do
			[ -b $d ] && { echo $d; return 0; }
		done
		n=$((n + 1))
		[ $n -gt 50 ] && { echo "no /dev/$1 or /dev/nullb$i" >&2; return 1; }
		sleep 0.1
	done
}

modprobe null_blk nr_devices=0 || fail "modprobe null_blk"
[ -d $NB ] || fail "no null_blk configfs"
nullb zns 64 zone_capacity=3 zone_max_open=4 zone_max_active=6
nullb conv 64 zone_nr_conv=2
nullb short 66
ZDEV=$(nullb_dev zns) && CONV=$(nullb_dev conv) && SHORT=$(nullb_dev short) ||
	fail "no null_blk device"
[ "$(cat /sys/block/${ZDEV#/dev/}/queue/zoned)" = host-managed ] ||
	fail "$ZDEV is not zoned"

tgt_subsys $N 1
for nsid in 2 3; do
	[ $nsid = 2 ] && dev=$CONV || dev=$SHORT
	NS=$CFS/subsystems/$N/namespaces/$nsid
	mkdir $NS || fail "mkdir namespace $nsid"
	write_attr $NS/device_path $dev
	m=$(kmsg_mark "zns $nsid")
	expect_errno "Invalid argument" sh -c "echo 1 > $NS/enable"
	expect_file $NS/enable 0
	if [ "$TARGET" != intree ]; then
		dmesg_since "$m" | grep "namespace $nsid: zoned device $dev" ||
			fail "no log line names namespace $nsid ($dev)"
	fi
	rmdir $NS || fail "rmdir namespace $nsid"
done
echo "conventional zones and a smaller last zone: refused"
# ours: buffered_io 1 (the file backend) refuses a zoned device
if [ "$TARGET" != intree ]; then
	NS=$CFS/subsystems/$N/namespaces/4
	mkdir $NS || fail "mkdir namespace 4"
	write_attr $NS/device_path $ZDEV
	write_attr $NS/buffered_io 1
	m=$(kmsg_mark "zns 4")
	expect_errno "Invalid argument" sh -c "echo 1 > $NS/enable"
	dmesg_since "$m" | grep "namespace 4: $ZDEV is zoned" ||
		fail "no log line names namespace 4 ($ZDEV)"
	rmdir $NS || fail "rmdir namespace 4"
	echo "a zoned device with buffered_io 1: refused"
fi

tgt_ns $N 1 $ZDEV
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N
host_prep
host_connect $N || fail "nvme connect"
D=$(wait_for_dev $N 1) || fail "no namespace"
Q=/sys/block/${D#/dev/}/queue
expect_file $Q/zoned host-managed
expect_file $Q/chunk_sectors $(( ZMB << 11 ))
expect_file /sys/block/${D#/dev/}/queue/nr_zones 16
nvme zns id-ns $D > $OUT 2>&1 || fail "nvme zns id-ns: $(cat $OUT)"
cat $OUT
grep -Eq "^mor *: (0x)?3$" $OUT || fail "MOR is not 3"
grep -Eq "^mar *: (0x)?5$" $OUT || fail "MAR is not 5"
grep -Eq "zsze: *($ZB|$(printf 0x%x $ZB)) .*in use" $OUT ||
	fail "zone size is not $ZB blocks"
nvme zns id-ctrl $D > $OUT 2>&1 || fail "nvme zns id-ctrl: $(cat $OUT)"
cat $OUT
echo "$D: host-managed, 16 zones of $ZB blocks"

# zone report line N (1-based) of blkzone: "start wptr len cap cond"
bz() {
	blkzone report -o $(( ($1 - 1) * ZMB << 11 )) -c 1 $D |
		sed -n 's/.*start: *\(0x[0-9a-f]*\), len *\(0x[0-9a-f]*\), cap *\(0x[0-9a-f]*\), wptr *\(0x[0-9a-f]*\).*cond: *\([0-9]*\).*/\1 \4 \2 \3 \5/p'
}
blkzone report $D > $OUT || fail "blkzone report"
[ $(grep -c "start:" $OUT) -eq 16 ] || fail "blkzone reports $(grep -c start: $OUT) zones"
head -3 $OUT
set -- $(bz 1)
[ "$3" = 0x002000 ] && [ "$4" = 0x001800 ] ||
	fail "zone 1: len $3 cap $4, not 0x002000 0x001800"
[ "$5" = 1 ] || fail "zone 1 not empty: cond $5"

# write at the write pointer, read back; off it, refused
dd if=/dev/urandom of=$PAT bs=1M count=1 2>/dev/null
dd if=$PAT of=$D bs=1M count=1 oflag=direct 2>/dev/null || fail "write at the write pointer"
dd if=$D of=$OUT bs=1M count=1 iflag=direct 2>/dev/null || fail "read back"
cmp -s $PAT $OUT || fail "data written at the write pointer did not read back"
set -- $(bz 1)
[ "$2" = 0x000800 ] || fail "write pointer $2 after 1 MiB, not 0x000800"
[ "$5" = 2 ] || fail "zone 1 after a write: cond $5, not 2 (implicitly open)"
dd if=$PAT of=$D bs=1M count=1 seek=2 oflag=direct 2>/dev/null &&
	fail "a write off the write pointer succeeded"
set -- $(bz 1)
[ "$2" = 0x000800 ] || fail "write pointer $2 moved by a refused write"
echo "write at the pointer reads back; off it: refused"

# Zone Append: the LBA it landed at comes back
dd if=/dev/urandom of=$PAT bs=4096 count=2 2>/dev/null
nvme zns zone-append $D -s $ZB -z 8192 -d $PAT > $OUT 2>&1 ||
	fail "zone-append: $(cat $OUT)"
cat $OUT
grep -Eq "LBA:? *(0x0*)?$(printf %x $ZB)\b|LBA:? *$ZB\b" $OUT ||
	fail "first append to zone 2 not at its start"
nvme zns zone-append $D -s $ZB -z 8192 -d $PAT > $OUT 2>&1 ||
	fail "zone-append: $(cat $OUT)"
cat $OUT
grep -Eq "LBA:? *(0x0*)?$(printf %x $(( ZB + 2 )))\b|LBA:? *$(( ZB + 2 ))\b" $OUT ||
	fail "second append to zone 2 not after the first"
dd if=$D of=$OUT bs=4096 skip=$(( ZB + 2 )) count=2 iflag=direct 2>/dev/null
cmp -s $PAT $OUT || fail "appended data did not read back"
nvme zns zone-append $D -s $(( ZB + 1 )) -z 4096 -d $PAT > $OUT 2>&1 &&
	fail "an append to an LBA that starts no zone succeeded"
echo "zone append returns the LBA written"

# Zone Management Send: open, close, finish, reset; report states
# (an empty zone closed is empty again: zone 4 gets a block first)
nvme zns open-zone $D -s $(( 4 * ZB )) || fail "open-zone"
set -- $(bz 5); [ "$5" = 3 ] || fail "zone 5 after open: cond $5, not 3"
nvme zns close-zone $D -s $(( 4 * ZB )) || fail "close-zone"
set -- $(bz 5); [ "$5" = 1 ] || fail "empty zone 5 after close: cond $5, not 1"
dd if=$PAT of=$D bs=4096 count=1 seek=$(( 3 * ZB )) oflag=direct 2>/dev/null ||
	fail "write zone 4"
nvme zns open-zone $D -s $(( 3 * ZB )) || fail "open-zone"
set -- $(bz 4); [ "$5" = 3 ] || fail "zone 4 after open: cond $5, not 3"
nvme zns close-zone $D -s $(( 3 * ZB )) || fail "close-zone"
set -- $(bz 4); [ "$5" = 4 ] || fail "zone 4 after close: cond $5, not 4"
nvme zns open-zone $D -s $(( 3 * ZB )) || fail "open-zone"
set -- $(bz 4); [ "$5" = 3 ] || fail "zone 4 after reopen: cond $5, not 3"
nvme zns finish-zone $D -s $(( 3 * ZB )) || fail "finish-zone"
set -- $(bz 4); [ "$5" = 14 ] || fail "zone 4 after finish: cond $5, not 14"
nvme zns open-zone $D -s $(( 3 * ZB )) 2>/dev/null &&
	fail "a full zone opened"
nvme zns offline-zone $D -s $(( 3 * ZB )) 2>/dev/null &&
	fail "a zone went offline"
nvme zns open-zone $D -s $(( 3 * ZB + 1 )) 2>/dev/null &&
	fail "open-zone of an LBA that starts no zone succeeded"

# Zone Management Receive, raw: zones 1 and 2 implicitly open, 4 full,
# the rest empty.  zmr SLBA ZRASF BYTES [-p]: the report in $OUT; u64 OFF:
# the 64-bit number at byte OFF of it (nr_zones at 0, the first
# descriptor's ZSLBA at 80)
# (nvme-cli 2.3's zone-mgmt-recv shows no data: io-passthru sends it)
zmr() {
	nvme io-passthru $D -o 0x7a -n 1 --cdw10=$(( $1 & 0xffffffff )) \
		--cdw11=$(( $1 >> 32 )) --cdw12=$(( $3 / 4 - 1 )) \
		--cdw13=$(( ${5:-0} | $2 << 8 | ${4:-0} << 16 )) -l $3 -r -b \
		> $OUT 2>/dev/null
}
u64() { od -An -tu8 -j$1 -N8 $OUT | tr -d ' '; }
zmr 0 0 192 || fail "zone-mgmt-recv"
od -Ax -tx1 $OUT | head -8
[ "$(u64 0)" = 16 ] || fail "report of 2 descriptors says $(u64 0) zones, not 16"
zmr 0 0 192 1 || fail "zone-mgmt-recv -p"
[ "$(u64 0)" = 2 ] || fail "partial report of 2 descriptors says $(u64 0) zones"
zmr $(( 2 * ZB + 5 )) 0 4096 || fail "zone-mgmt-recv from zone 3"
[ "$(u64 0)" = 14 ] || fail "report from inside zone 3: $(u64 0) zones, not 14"
[ "$(u64 80)" = $(( 2 * ZB )) ] || fail "report from inside zone 3 starts at $(u64 80)"
zmr 0 5 4096 || fail "zone-mgmt-recv full"
[ "$(u64 0)" = 1 ] && [ "$(u64 80)" = $(( 3 * ZB )) ] ||
	fail "full zones: $(u64 0), first at $(u64 80); not 1 at $(( 3 * ZB ))"
zmr 0 2 4096 || fail "zone-mgmt-recv implicitly open"
[ "$(u64 0)" = 2 ] || fail "implicitly open zones: $(u64 0), not 2"
zmr 0 1 4096 || fail "zone-mgmt-recv empty"
[ "$(u64 0)" = 13 ] || fail "empty zones: $(u64 0), not 13"
zmr 0 9 4096 && fail "report filter 9h accepted"
zmr 0 0 4096 0 1 && fail "extended report accepted (no extensions)"
zmr $(( 16 * ZB )) 0 4096 && fail "report beyond the namespace accepted"
nvme zns report-zones $D -S 5 > $OUT 2>&1 || fail "report-zones -S 5: $(cat $OUT)"
grep -q "nr_zones: 1" $OUT || fail "nvme zns report-zones -S 5: $(cat $OUT)"
echo "reports: all, partial, from a zone, by state"
blkzone reset -o $(( 3 * ZMB << 11 )) -c 1 $D || fail "blkzone reset"
set -- $(bz 4); [ "$5" = 1 ] || fail "zone 4 after reset: cond $5, not 1"
[ "$2" = 0x000000 ] || fail "zone 4 after reset: write pointer $2"
# select all: zone 1 is implicitly open, zone 2 too (appended)
nvme zns close-zone $D -a || fail "close-zone -a"
set -- $(bz 1); [ "$5" = 4 ] || fail "zone 1 after close all: cond $5"
set -- $(bz 2); [ "$5" = 4 ] || fail "zone 2 after close all: cond $5"
nvme zns finish-zone $D -a || fail "finish-zone -a"
set -- $(bz 2); [ "$5" = 14 ] || fail "zone 2 after finish all: cond $5"
set -- $(bz 5); [ "$5" = 1 ] || fail "zone 5 after finish all: cond $5 (was empty)"
nvme zns reset-zone $D -a || fail "reset-zone -a"
blkzone report $D | grep -vc "cond: *1(" | grep -qx 0 ||
	fail "zones not empty after reset all"
echo "open, close, finish, reset; select all"

host_disconnect_all || fail "disconnect"
tgt_teardown || fail "teardown"
for n in zns conv short; do
	write_attr $NB/$n/power 0
	rmdir $NB/$n
done
exit 0
