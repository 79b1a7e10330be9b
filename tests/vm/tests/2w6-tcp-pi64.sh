#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Protection information with the 64-bit guard (NVMe CRC64 PI, 16-byte
# tuples) on the bdev backend over NVMe/TCP: the disk is QEMU's emulated
# NVMe namespace of run.sh (serial nvmetngpi64: 512-byte blocks, 16 bytes
# of metadata, PI type 1 with the 64-bit guard), whose integrity profile
# in the guest is the host driver's NVME-CRC64 one:
# - the disk's profile (integrity/format, tuple_size 16).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh

[ "$TARGET" = intree ] && skip "in-tree has no PI on TCP"
E2E_CLEANUP="host_disconnect_all; tgt_teardown; grep -q '^nvme ' /proc/modules && rmmod nvme"
e2e_begin
tgt_load

# pi64_disk: load the PCIe driver, print the block device of the
# controller with serial nvmetngpi64 (skips without it: check mode only)
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

DEV=$(pi64_disk)
case $? in
0) ;;
2) skip "no emulated NVMe controller nvmetngpi64 (run.sh adds one in check mode)" ;;
*) fail "modprobe nvme" ;;
esac
I=/sys/block/${DEV#/dev/}/integrity
echo "$DEV: format $(cat $I/format) tuple_size $(cat $I/tuple_size) tag_size $(cat $I/tag_size) protection_interval $(cat $I/protection_interval_bytes 2>/dev/null)"
nvme id-ns $DEV | grep -E 'lbaf|dps|dpc|flbas'
nvme nvm-id-ns $DEV 2>&1 | head -20
expect_file $I/format EXT-DIF-TYPE1-CRC64
exit 0
