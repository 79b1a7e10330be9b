#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The ram backend (module nvmet-ram) over NVMe/TCP: naming it in
# device_backend loads the module; enable needs a device_size that is a
# multiple of 4 KiB; the namespace is thin: data written at its start and
# at its end reads back, blocks never written read as zeroes, memory (the
# module's "pages" parameter) follows what was written, and deallocate
# (blkdiscard) and Write Zeroes give pages back and read as zeroes;
# Identify says deallocated blocks read as zeroes (DLFEAT 001b); the
# module is pinned while a namespace is enabled, and disable frees every
# page.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
e2e_begin
[ "$TARGET" = intree ] && skip "in-tree nvmet has no ram backend"
tgt_load

N=$NQN_BASE:ram
PAT=/tmp/e2e-ram.pat
OUT=/tmp/e2e-ram.out
PAGES=/sys/module/nvmet_ram/parameters/pages
SIZE=$(( 256 << 20 ))
NS=$CFS/subsystems/$N/namespaces/1

tgt_subsys $N 1
mkdir $NS || fail "mkdir namespace"
grep -q '^nvmet_ram ' /proc/modules && fail "nvmet_ram loaded too early"
write_attr $NS/device_backend ram
grep -q '^nvmet_ram ' /proc/modules ||
	fail "device_backend=ram did not load nvmet-ram"
expect_errno "Invalid argument" sh -c "echo 1 > $NS/enable"
write_attr $NS/device_size $SIZE
write_attr $NS/enable 1
expect_file $NS/enable 1
expect_file $PAGES 0
expect_errno "Resource temporarily unavailable" rmmod nvmet_ram
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N

host_connect $N || fail "nvme connect"
D=$(wait_for_dev $N 1) || fail "no namespace"
nsze=$(( $(id_ns_field $D nsze) ))
[ $nsze -eq $(( SIZE / 4096 )) ] || fail "NSZE $nsze, not $(( SIZE / 4096 ))"
dl=$(( $(id_ns_field $D dlfeat) ))
[ $(( dl & 7 )) -eq 1 ] || fail "DLFEAT $dl: deallocated blocks do not read as zeroes"
echo "$D: $nsze 4 KiB blocks, DLFEAT $dl"

# 1 MiB at the start and 1 MiB at the end
dd if=/dev/urandom of=$PAT bs=1M count=1 2>/dev/null || fail "make $PAT"
dd if=$PAT of=$D bs=1M seek=0 oflag=direct conv=notrunc 2>/dev/null ||
	fail "write at 0"
dd if=$PAT of=$D bs=1M seek=255 oflag=direct conv=notrunc 2>/dev/null ||
	fail "write at 255 MiB"
for at in 0 255; do
	dd if=$D of=$OUT bs=1M skip=$at count=1 iflag=direct 2>/dev/null ||
		fail "read at $at MiB"
	cmp -s $PAT $OUT || fail "data at $at MiB did not read back"
done
dd if=$D bs=1M skip=100 count=1 iflag=direct 2>/dev/null |
	cmp -s -n 1048576 - /dev/zero ||
	fail "a block never written does not read as zeroes"
p=$(cat $PAGES)
[ $p -eq 512 ] || fail "2 MiB written hold $p pages, not 512"
echo "2 MiB written read back, the rest reads as zeroes, $p pages held"

blkdiscard -o 0 -l 1048576 $D || fail "blkdiscard"
dd if=$D of=$OUT bs=1M count=1 iflag=direct 2>/dev/null || fail "read after discard"
cmp -s -n 1048576 $OUT /dev/zero ||
	fail "deallocated blocks do not read as zeroes"
p=$(cat $PAGES)
[ $p -eq 256 ] || fail "after deallocating 1 MiB $p pages, not 256"
nvme write-zeroes $D -s $(( 255 * 256 )) -c 255 > $OUT 2>&1 ||
	fail "nvme write-zeroes: $(cat $OUT)"
dd if=$D of=$OUT bs=1M skip=255 count=1 iflag=direct 2>/dev/null || fail "read after write zeroes"
cmp -s -n 1048576 $OUT /dev/zero || fail "zeroed blocks are not zeroes"
p=$(cat $PAGES)
[ $p -eq 0 ] || fail "after deallocate and Write Zeroes $p pages, not 0"
echo "deallocate and Write Zeroes read as zeroes and give every page back"

dd if=$PAT of=$D bs=4096 count=2 oflag=direct conv=notrunc 2>/dev/null ||
	fail "write 8 KiB"
p=$(cat $PAGES)
[ $p -eq 2 ] || fail "8 KiB written hold $p pages, not 2"
host_disconnect_all || fail "disconnect"
write_attr $NS/enable 0
expect_file $PAGES 0
rmdir $NS || fail "rmdir namespace"
rmmod nvmet_ram || fail "rmmod nvmet_ram after the namespace went"
echo "disable frees every page; the module unloads"
exit 0
