#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/TCP I/O: a subsystem with a null_blk namespace and a file namespace
# (and, on ours, a null-backend one), connected three ways: plain, with
# header and data digests, and with one I/O queue.  Each time the host
# sees the subsystem's NQN, model and serial in Identify Controller, each
# namespace's size in Identify Namespace and the block device; data the
# host writes lands at the same offset of the backing device or file, and
# so do a discard (both namespaces) and a Write Zeroes (null_blk's);
# fio writes mixed-size random blocks and verifies every one of them
# (crc32c); the queue count follows -i; disconnect removes the controller
# and its block devices, and the next connect works again.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
e2e_begin
tgt_load

N=$NQN_BASE:io
MODEL="nvmet-ng e2e model"
SERIAL=E2ESERIAL21
IMG=/tmp/e2e-ns2.img
null_blk_load
truncate -s 256M $IMG || fail "truncate $IMG"
tgt_subsys $N 1 "$MODEL" $SERIAL
tgt_ns $N 1 /dev/nullb0
tgt_ns $N 2 $IMG
tgt_has_null && tgt_ns $N 3 null:1073741824
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N

data_prep

# round NAME CONNECT_OPTIONS...: connect, check, I/O, disconnect
round() {
	name=$1
	shift
	echo "== $name: nvme connect $*"
	host_connect $N "$@" || fail "$name: nvme connect"
	C=$(ctrl_of $N) || fail "$name: no host controller for $N"
	expect_file /sys/class/nvme/$C/state live
	expect_file /sys/class/nvme/$C/transport tcp
	D1=$(wait_for_dev $N 1) || fail "$name: no namespace 1"
	D2=$(wait_for_dev $N 2) || fail "$name: no namespace 2"
	echo "$name: $C, $D1 $D2, queue_count $(cat /sys/class/nvme/$C/queue_count)"

	expect_eq "$name: id-ctrl subnqn" "$N" "$(id_ctrl_field /dev/$C subnqn)"
	expect_eq "$name: id-ctrl mn" "$MODEL" "$(id_ctrl_field /dev/$C mn)"
	expect_eq "$name: id-ctrl sn" "$SERIAL" "$(id_ctrl_field /dev/$C sn)"
	expect_eq "$name: sysfs model" "$MODEL" "$(sed 's/ *$//' /sys/class/nvme/$C/model)"
	expect_eq "$name: ns 1 size (id-ns)" "$(blockdev --getsize64 /dev/nullb0)" "$(ns_bytes $D1)"
	expect_eq "$name: ns 2 size (id-ns)" 268435456 "$(ns_bytes $D2)"
	expect_eq "$name: $D1 size" "$(blockdev --getsize64 /dev/nullb0)" "$(blockdev --getsize64 $D1)"
	expect_eq "$name: $D2 size" 268435456 "$(blockdev --getsize64 $D2)"
	if tgt_has_null; then
		D3=$(wait_for_dev $N 3) || fail "$name: no namespace 3"
		expect_eq "$name: ns 3 size (id-ns)" 1073741824 "$(ns_bytes $D3)"
		dd if=$D3 of=/dev/null bs=1M count=4 iflag=direct 2>/dev/null ||
			fail "$name: read from the null-backend namespace"
	fi
}

disconnect() {
	out=$(nvme disconnect -n $N 2>&1) || fail "nvme disconnect: $out"
	case $out in
	*"disconnected 1 controller"*) ;;
	*) fail "nvme disconnect said '$out'" ;;
	esac
	wait_ctrl_gone $N
	wait_dev_gone $N 1
	wait_dev_gone $N 2
	[ -e "$D1" ] && fail "$D1 still exists after disconnect"
	[ -e "$D2" ] && fail "$D2 still exists after disconnect"
}

round plain
expect_file /sys/class/nvme/$C/queue_count $(( $(nproc) + 1 ))
placed $D1 /dev/nullb0 3
placed $D2 $IMG 5
discarded $D1 /dev/nullb0 20
discarded $D2 $IMG 22
write_zeroes $D1 /dev/nullb0 24
fio_verify $D1 64M
fio_verify $D2 64M
disconnect

round digests --hdr-digest --data-digest
placed $D1 /dev/nullb0 7
placed $D2 $IMG 9
fio_verify $D1 64M
fio_verify $D2 64M
disconnect

# -i 2 would match the default on this 2-CPU guest: ask for 1.
round one-queue -i 1
expect_file /sys/class/nvme/$C/queue_count 2
placed $D1 /dev/nullb0 11
placed $D2 $IMG 13
fio_verify $D2 16M
disconnect
exit 0
