#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A LIO backstore that grows reaches NVMe hosts (issue 15): an iblock
# backstore on a loop device over a file, namespace 1 of ours with
# device_backend lio, a Linux host over NVMe/TCP.  The file grows and
# "losetup -c" makes the loop device (and so the backstore's capacity,
# target-core's get_blocks) grow with it:
#   - a write to the namespace's revalidate_size raises Namespace
#     Attribute Changed; the host rescans on its own ("rescanning
#     namespaces." in its log) and its disk has the new size;
#   - grown again, with no write to configfs, a rescan the host asks for
#     itself ("nvme ns-rescan") reads Identify Namespace, which re-reads
#     the size; the change raises the event as well, so the host rescans
#     once more on the event; its disk has the new size;
#   - data written through the host into the grown part is in the file
#     there, and what was written before the growth is still in place.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/lio.sh
e2e_begin
lio_require

T=/sys/kernel/config/target
IB=$T/core/iblock_0/grow
LUN=$T/nvmet_lio/e2e-grow/tpgt_1/lun/lun_0
N=$NQN_BASE:lio-grow
NS=$CFS/subsystems/$N/namespaces/1
IMG=/tmp/e2e-lio-grow.img
PAT=/tmp/e2e-lio-grow.pat
OUT=/tmp/e2e-lio-grow.out
LOOPDEV=

grow_cleanup() {
	host_disconnect_all
	tgt_teardown
	rm -f $LUN/grow
	rmdir $LUN $T/nvmet_lio/e2e-grow/tpgt_1 $T/nvmet_lio/e2e-grow \
		$T/nvmet_lio $IB $T/core/iblock_0 2>/dev/null
	[ -n "$LOOPDEV" ] && losetup -d $LOOPDEV
	rm -f $IMG $PAT $OUT
}
E2E_CLEANUP=grow_cleanup

tgt_load
for m in target_core_mod target_core_iblock; do
	modprobe $m 2>/dev/null || [ -d /sys/module/$m ] || fail "modprobe $m"
done
modprobe nvmet-lio || fail "modprobe nvmet-lio"
modprobe loop 2>/dev/null	# (built in on some kernels)
truncate -s 32M $IMG || fail "truncate $IMG"
LOOPDEV=$(losetup -f) && losetup $LOOPDEV $IMG || fail "losetup $IMG"
mkdir -p $IB || fail "mkdir $IB"
write_attr $IB/control udev_path=$LOOPDEV
write_attr $IB/enable 1
mkdir -p $LUN || fail "mkdir $LUN"
ln -s $IB $LUN/grow || fail "link the nvmet_lio LUN"

lio_serve $N iblock_0/grow
C=$(ctrl_of $N) || fail "no controller of $N"
bs=$(cat /sys/block/${D#/dev/}/queue/logical_block_size)

# host_bytes: the size of the host's disk
host_bytes() { echo $(( $(cat /sys/block/${D#/dev/}/size) * 512 )); }

# wait_size BYTES: the host's disk has that size within 20 s
wait_size() {
	i=0
	while [ "$(host_bytes)" -ne "$1" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "host disk $D is $(host_bytes) bytes, not $1"
		sleep 0.2
	done
}

# rescanned MARK WHAT: the host logged a rescan on the event since MARK
rescanned() {
	i=0
	until dmesg_since "$1" | grep -q "$C: rescanning namespaces"; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "$2: no Namespace Attribute Changed event at the host"
		sleep 0.2
	done
}

expect_eq "NSZE at 32 MiB" $(( (32 << 20) / bs )) \
	"$(( $(id_ns_field $D nsze) ))"
dd if=/dev/urandom of=$PAT bs=1M count=1 2>/dev/null || fail "make $PAT"
dd if=$PAT of=$D bs=1M seek=31 oflag=direct conv=notrunc 2>/dev/null ||
	fail "write the last MiB of $D"
echo "$D: 32 MiB, last MiB written"

# grown, then revalidate_size: the event, the host's own rescan
truncate -s 48M $IMG || fail "grow $IMG"
losetup -c $LOOPDEV || fail "losetup -c $LOOPDEV"
expect_eq "host disk before revalidate_size" $(( 32 << 20 )) "$(host_bytes)"
m=$(kmsg_mark "revalidate_size")
write_attr $NS/revalidate_size 1
rescanned "$m" "revalidate_size"
wait_size $(( 48 << 20 ))
expect_eq "NSZE at 48 MiB" $(( (48 << 20) / bs )) \
	"$(( $(id_ns_field $D nsze) ))"
echo "revalidate_size: event, the host rescanned, $D is 48 MiB"

# grown again, no configfs write: the host's own rescan reads Identify,
# the size changes there, and the event follows
truncate -s 64M $IMG || fail "grow $IMG"
losetup -c $LOOPDEV || fail "losetup -c $LOOPDEV"
m=$(kmsg_mark "ns-rescan")
nvme ns-rescan /dev/$C > $OUT 2>&1 || fail "nvme ns-rescan: $(cat $OUT)"
wait_size $(( 64 << 20 ))
rescanned "$m" "Identify after the growth"
echo "ns-rescan: $D is 64 MiB, and the event came too"

# the grown part holds data; what was there stays
dd if=$D of=$OUT bs=1M skip=31 count=1 iflag=direct 2>/dev/null ||
	fail "read MiB 31 of $D"
cmp -s $PAT $OUT || fail "MiB 31 changed across the growth"
mib_check $D $IMG 63 "the grown part"
echo "data in the grown part reaches the file; the old data stays"

host_disconnect_all || fail "disconnect"
write_attr $NS/enable 0
tgt_teardown || fail "teardown"
rm $LUN/grow || fail "unlink the LUN"
rmdir $LUN $T/nvmet_lio/e2e-grow/tpgt_1 $T/nvmet_lio/e2e-grow $T/nvmet_lio ||
	fail "rmdir our fabric's tree"
rmdir $IB $T/core/iblock_0 || fail "rmdir the backstore"
losetup -d $LOOPDEV || fail "losetup -d"
LOOPDEV=
rmmod nvmet_lio || fail "rmmod nvmet_lio"
# (target_core_mod loads its backstore modules itself)
for m in target_core_file target_core_iblock target_core_pscsi \
	 target_core_user target_core_mod; do
	grep -q "^$m " /proc/modules || continue
	rmmod $m || fail "rmmod $m"
done
rm -f $IMG $PAT $OUT
exit 0
