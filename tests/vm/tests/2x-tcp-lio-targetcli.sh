#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# LIO backstores an administrator made with Debian's targetcli-fb
# (2.1.53, rtslib-fb 2.1.75) are namespaces of ours (issue 15):
# "targetcli /backstores/fileio create" and "/backstores/ramdisk create"
# make a fileio and a ramdisk backstore, "/loopback create" and
# ".../luns create" export both to the guest as SCSI disks through
# tcm_loop; nvmet-lio exports the same two backstores as namespaces 1
# and 2 over NVMe/TCP (device_path; targetcli knows no nvmet_lio fabric,
# so its LUNs are made through configfs).  A MiB written through the
# NVMe namespace reads back through the SCSI disk and the other way
# round, on both backstores, and what the host wrote is in the fileio's
# file.
# "targetcli saveconfig" saves both storage objects and the loopback
# target, and nothing of nvmet_lio (rtslib-fb does not know it).
# "targetcli clearconfig" while the namespaces are enabled: rtslib-fb
# removes the loopback target (the SCSI disks go), then its rmdir of the
# first backstore it tries fails with EBUSY (our nvmet_lio LUN, which
# rtslib-fb does not know, still links it, and the namespace pins it) in an
# OSError that targetcli does not catch (a Python traceback, the shell
# ends); the backstores stay and the NVMe namespaces keep serving I/O
# with the data intact.  After the namespaces are disabled and our LUNs
# removed, clearconfig removes both backstores.  rtslib-fb loads
# iscsi_target_mod for saveconfig and clearconfig, and leaves the fabric
# directories it made.  No splat (the harness).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/lio.sh
e2e_begin
lio_require

T=/sys/kernel/config/target
N=$NQN_BASE:lio-tcli
NS1=$CFS/subsystems/$N/namespaces/1
NS2=$CFS/subsystems/$N/namespaces/2
LIO=$T/nvmet_lio/e2e-tcli/tpgt_1
WWN=naa.5001405000000b01
IMG=/tmp/e2e-tcli.img
SAVE=/tmp/e2e-tcli.json
PAT=/tmp/e2e-tcli.pat
OUT=/tmp/e2e-tcli.out

tcli_cleanup() {
	host_disconnect_all
	tgt_teardown
	rm -f $LIO/lun/lun_0/tf0 $LIO/lun/lun_1/trd0
	rmdir $LIO/lun/lun_0 $LIO/lun/lun_1 $LIO $T/nvmet_lio/e2e-tcli \
		$T/nvmet_lio 2>/dev/null
	tcli_raw "clearconfig confirm=True"
	lio_dbus_stop
	(lio_unload) > /dev/null 2>&1
	rm -f $IMG $SAVE $PAT $OUT
}
E2E_CLEANUP=tcli_cleanup

tgt_load
for m in target_core_mod target_core_file tcm_loop sd_mod; do
	modprobe $m 2>/dev/null || [ -d /sys/module/$m ] || fail "modprobe $m"
done
modprobe nvmet-lio || fail "modprobe nvmet-lio"
command -v targetcli > /dev/null || fail "no targetcli in the image"
lio_dbus_start

tcli "/backstores/fileio create name=tf0 file_or_dev=$IMG size=32M" \
	"/backstores/ramdisk create name=trd0 size=16M" \
	"/loopback create $WWN" \
	"/loopback/$WWN/luns create /backstores/fileio/tf0" \
	"/loopback/$WWN/luns create /backstores/ramdisk/trd0"
FIO=$(ls -d $T/core/fileio_*/tf0) || fail "targetcli made no fileio tf0"
RD=$(ls -d $T/core/rd_mcp_*/trd0) || fail "targetcli made no ramdisk trd0"
SF=$(lio_scsi_disk tf0) || {
	for b in /sys/block/sd*; do echo "$b: $(cat $b/device/model)"; done
	cat $T/loopback/$WWN/tpgt_1/nexus
	ls -l $T/loopback/$WWN/tpgt_1/lun/*
	dmesg | tail -20
	fail "no tcm_loop disk of tf0 after 15 s"
}
SR=$(lio_scsi_disk trd0) || fail "no tcm_loop disk of trd0 after 15 s"
echo "targetcli: $FIO ($SF) and $RD ($SR)"

mkdir -p $LIO/lun/lun_0 $LIO/lun/lun_1 || fail "mkdir our LUNs"
ln -s $FIO $LIO/lun/lun_0/tf0 || fail "link the fileio's nvmet_lio LUN"
ln -s $RD $LIO/lun/lun_1/trd0 || fail "link the ramdisk's nvmet_lio LUN"
tgt_subsys $N 1
for i in 1 2; do
	mkdir $CFS/subsystems/$N/namespaces/$i || fail "mkdir namespace $i"
done
write_attr $NS1/device_backend lio
write_attr $NS1/device_path $FIO
write_attr $NS2/device_backend lio
write_attr $NS2/device_path ${RD#$T/core/}
write_attr $NS1/enable 1
write_attr $NS2/enable 1
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N
host_prep
host_connect $N || fail "nvme connect"
D1=$(wait_for_dev $N 1) || fail "no namespace 1"
D2=$(wait_for_dev $N 2) || fail "no namespace 2"
expect_eq "$D1 NSZE" $(( (32 << 20) / 512 )) "$(( $(id_ns_field $D1 nsze) ))"
expect_eq "$D2 NSZE" $(( (16 << 20) / 512 )) "$(( $(id_ns_field $D2 nsze) ))"

mib_check $D1 $SF 3 "fileio, NVMe to SCSI"
mib_check $SF $D1 7 "fileio, SCSI to NVMe"
mib_check $D1 $IMG 11 "fileio, NVMe to its file"
mib_check $D2 $SR 2 "ramdisk, NVMe to SCSI"
mib_check $SR $D2 5 "ramdisk, SCSI to NVMe"
cp $PAT /tmp/e2e-tcli.r5	# ramdisk MiB 5, for after clearconfig
echo "both backstores: what either protocol wrote the other reads"

# saveconfig: the storage objects and the loopback target; rtslib-fb
# knows no nvmet_lio fabric, so nothing of ours
# and clearconfig while the namespaces are enabled, in the same shell
m=$(kmsg_mark "clearconfig")
tcli_raw "saveconfig $SAVE" "clearconfig confirm=True"
sed 's/^/  targetcli: /' $OUT
for w in '"name": "tf0"' '"name": "trd0"' "\"wwn\": \"$WWN\""; do
	grep -q "$w" $SAVE || fail "saveconfig: no $w in $SAVE"
done
grep -q nvmet_lio $SAVE && fail "saveconfig saved nvmet_lio"
echo "saveconfig: tf0, trd0 and $WWN saved, nothing of nvmet_lio"

grep -q "OSError: .Errno 16. Device or resource busy: '$T/core/" $OUT ||
	fail "clearconfig with the namespaces enabled: no EBUSY on a backstore"
[ -d $FIO ] && [ -d $RD ] || fail "clearconfig removed a backstore in use"
[ -d $T/loopback/$WWN ] && fail "clearconfig left the loopback target"
mib_check $D1 $IMG 13 "fileio after clearconfig"
dd if=$D2 of=$OUT bs=1M skip=5 count=1 iflag=direct 2>/dev/null ||
	fail "read MiB 5 of $D2 after clearconfig"
cmp -s /tmp/e2e-tcli.r5 $OUT || fail "ramdisk MiB 5 changed by clearconfig"
rm -f /tmp/e2e-tcli.r5
dmesg_since "$m" | grep -E 'nvmet|target|tcm' | sed 's/^/  log: /'
echo "clearconfig: the loopback target went, EBUSY on the backstores, NVMe I/O goes on"

# once nvmet-lio lets go, clearconfig removes them
host_disconnect_all || fail "disconnect"
write_attr $NS1/enable 0
write_attr $NS2/enable 0
tgt_teardown || fail "teardown"
rm $LIO/lun/lun_0/tf0 $LIO/lun/lun_1/trd0 || fail "unlink our LUNs"
rmdir $LIO/lun/lun_0 $LIO/lun/lun_1 $LIO $T/nvmet_lio/e2e-tcli \
	$T/nvmet_lio || fail "rmdir our fabric's tree"
tcli "clearconfig confirm=True"
[ -e $FIO ] || [ -e $RD ] && fail "clearconfig left a backstore"
echo "clearconfig after the disable: both backstores gone"

lio_dbus_stop
lio_unload
rm -f $IMG $SAVE $PAT $OUT
exit 0
