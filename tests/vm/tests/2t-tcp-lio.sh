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
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
e2e_begin
[ "$TARGET" = intree ] && skip "in-tree nvmet has no lio backend"
# a kernel without LIO (the debug kernel's config) gets no nvmet-lio
grep -q '/target_core_mod\.ko[.a-z]*:' /lib/modules/$(uname -r)/modules.dep ||
	skip "this kernel has no LIO target-core"
grep -q '/nvmet-lio\.ko:' /lib/modules/$(uname -r)/modules.dep ||
	fail "our nvmet-lio was not built"
tgt_load
for m in target_core_mod target_core_file tcm_loop sd_mod; do
	modprobe $m 2>/dev/null || [ -d /sys/module/$m ] || fail "modprobe $m"
done
modprobe nvmet-lio || fail "modprobe nvmet-lio"
T=/sys/kernel/config/target
[ -d $T/core ] || fail "no $T/core after loading target_core_mod"

N=$NQN_BASE:lio
NS=$CFS/subsystems/$N/namespaces/1
BAD=$CFS/subsystems/$N/namespaces/2
IMG=/tmp/e2e-lio.img
SIZE=$(( 64 << 20 ))
BS=$T/core/fileio_0/disk0
BS2=$T/core/fileio_0/disk1
LOOP=$T/loopback/naa.5001405000000a01/tpgt_1
LIO=$T/nvmet_lio/e2e/tpgt_1
PAT=/tmp/e2e-lio.pat
OUT=/tmp/e2e-lio.out

# the backstore, as targetcli's "backstores/fileio create" writes it
mkdir -p $BS || fail "mkdir $BS"
write_attr $BS/control "fd_dev_name=$IMG,fd_dev_size=$SIZE"
write_attr $BS/enable 1
mkdir -p $BS2 || fail "mkdir $BS2"
write_attr $BS2/control "fd_dev_name=$IMG.2,fd_dev_size=$SIZE"
write_attr $BS2/enable 1
bs=$(cat $BS/attrib/block_size)

# tcm_loop: a SCSI disk of the guest on it
# (the nexus first: tcm_loop scans a LUN as it is linked)
mkdir -p $LOOP/lun/lun_0 || fail "mkdir $LOOP/lun/lun_0"
write_attr $LOOP/nexus naa.5001405000000a02
ln -s $BS $LOOP/lun/lun_0/disk0 || fail "link the tcm_loop LUN"
end=$(( $(date +%s) + 15 ))
S=
while [ -z "$S" ]; do
	for b in /sys/block/sd*; do
		[ -e "$b/device/model" ] || continue
		grep -q FILEIO "$b/device/model" && S=/dev/${b##*/}
	done
	[ -n "$S" ] && [ -b "$S" ] && break
	S=
	if [ "$(date +%s)" -ge $end ]; then
		ls /sys/block /sys/class/scsi_device 2>&1
		dmesg | tail -20
		fail "no tcm_loop disk after 15 s"
	fi
	sleep 0.2
done
echo "tcm_loop disk $S, $(cat /sys/block/${S#/dev/}/size) sectors"

# our fabric's LUN on it
mkdir -p $LIO/lun/lun_0 || fail "mkdir $LIO/lun/lun_0"
ln -s $BS $LIO/lun/lun_0/disk0 || fail "link the nvmet_lio LUN"
expect_errno "Resource temporarily unavailable" rmmod nvmet_lio

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
dd if=/dev/urandom of=$PAT bs=1M count=1 2>/dev/null || fail "make $PAT"
dd if=$PAT of=$S bs=1M seek=3 oflag=direct conv=notrunc 2>/dev/null ||
	fail "write through $S"
dd if=$D of=$OUT bs=1M skip=3 count=1 iflag=direct 2>/dev/null ||
	fail "read through $D"
cmp -s $PAT $OUT || fail "written through SCSI, NVMe reads other data"
dd if=/dev/urandom of=$PAT bs=1M count=1 2>/dev/null || fail "make $PAT"
dd if=$PAT of=$D bs=1M seek=63 oflag=direct conv=notrunc 2>/dev/null ||
	fail "write through $D"
dd if=$S of=$OUT bs=1M skip=63 count=1 iflag=direct 2>/dev/null ||
	fail "read through $S"
cmp -s $PAT $OUT || fail "written through NVMe, SCSI reads other data"
nvme flush $D -n 1 > $OUT 2>&1 || fail "nvme flush: $(cat $OUT)"
echo "data written through either protocol reads back through the other"

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
rm -f $IMG $IMG.2 $PAT $OUT
echo "nvmet-lio unloads first, then target-core"
exit 0
