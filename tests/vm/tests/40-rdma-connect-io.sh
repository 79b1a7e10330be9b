#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/RDMA over Soft-RoCE: discovery over rdma lists the subsystem; the
# host connects, sees the subsystem's NQN, model and serial, the RDMA
# Identify Controller fields (keyed SGLs, MSDBD 1, IOCCSZ for 4 KiB of
# in-capsule data, MDTS) and each namespace's size; data it writes lands
# at the same offset of the null_blk device and of the file; fio writes
# blocks of 4k..128k (4k ones in-capsule, larger ones fetched by RDMA
# READ, reads returned by RDMA WRITE) and verifies every one (crc32c);
# blocks of up to 1 MiB at queue depth 64 verify too; disconnect removes
# the controller, and a reconnect with one I/O queue works again.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
rdma_begin
rdma_tgt_load

N=$NQN_BASE:rdma-io
MODEL="nvmet-ng rdma model"
SERIAL=E2ESERIAL40
IMG=/tmp/e2e-rdma-ns2.img
null_blk_load
truncate -s 128M $IMG || fail "truncate $IMG"
tgt_subsys $N 1 "$MODEL" $SERIAL
tgt_ns $N 1 /dev/nullb0
tgt_ns $N 2 $IMG
rdma_tgt_port 1
tgt_link 1 $N

nvme discover -t rdma -a $RDMA_IP -s 4420 -o json > /tmp/e2e-disc.json ||
	fail "nvme discover over rdma"
disc_records /tmp/e2e-disc.json > /tmp/e2e-disc.txt
sed 's/^/  discovery: /' /tmp/e2e-disc.txt
grep -q "|$N|rdma|ipv4|$RDMA_IP|4420|1\$" /tmp/e2e-disc.txt ||
	fail "discovery log has no rdma record of $N"

data_prep

# round NAME CONNECT_OPTIONS...
round() {
	name=$1
	shift
	echo "== $name: nvme connect -t rdma $*"
	rdma_connect $N "$@" || fail "$name: nvme connect"
	C=$(ctrl_of $N) || fail "$name: no host controller for $N"
	expect_file /sys/class/nvme/$C/state live
	expect_file /sys/class/nvme/$C/transport rdma
	D1=$(wait_for_dev $N 1) || fail "$name: no namespace 1"
	D2=$(wait_for_dev $N 2) || fail "$name: no namespace 2"
	echo "$name: $C, $D1 $D2, queue_count $(cat /sys/class/nvme/$C/queue_count)"
	expect_eq "$name: id-ctrl subnqn" "$N" "$(id_ctrl_field /dev/$C subnqn)"
	expect_eq "$name: id-ctrl mn" "$MODEL" "$(id_ctrl_field /dev/$C mn)"
	expect_eq "$name: id-ctrl sn" "$SERIAL" "$(id_ctrl_field /dev/$C sn)"
	expect_eq "$name: id-ctrl msdbd" 1 "$(id_ctrl_field /dev/$C msdbd)"
	expect_eq "$name: id-ctrl ioccsz" 260 "$(id_ctrl_field /dev/$C ioccsz)"
	expect_eq "$name: id-ctrl iorcsz" 1 "$(id_ctrl_field /dev/$C iorcsz)"
	expect_eq "$name: id-ctrl mdts" 8 "$(id_ctrl_field /dev/$C mdts)"
	sgls=$(id_ctrl_field /dev/$C sgls)
	[ $(( sgls & 0x100005 )) -eq $(( 0x100005 )) ] ||
		fail "$name: id-ctrl sgls $sgls lacks keyed SGLs or offsets"
	expect_eq "$name: ns 1 size (id-ns)" "$(blockdev --getsize64 /dev/nullb0)" "$(ns_bytes $D1)"
	expect_eq "$name: ns 2 size (id-ns)" 134217728 "$(ns_bytes $D2)"
	expect_eq "$name: $D2 size" 134217728 "$(blockdev --getsize64 $D2)"
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
}

round plain
expect_file /sys/class/nvme/$C/queue_count $(( $(nproc) + 1 ))
placed $D1 /dev/nullb0 3
placed $D2 $IMG 5
fio_verify $D1 32M
fio_verify $D2 32M
# Up to MDTS (1 MiB) at QD64: more RDMA work requests than the send queue
# holds at once.
fio_verify $D1 64M --bsrange=256k-1M --iodepth=64
disconnect

round reconnect -i 1
expect_file /sys/class/nvme/$C/queue_count 2
placed $D1 /dev/nullb0 7
placed $D2 $IMG 9
fio_verify $D2 16M
disconnect
exit 0
