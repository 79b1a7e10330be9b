#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe loop (our nvme-loop): a subsystem with a file namespace and a
# null_blk one on a loop port.  nvme discover -t loop lists it; nvme
# connect -t loop makes a live "loop" controller whose Identify Controller
# shows the subsystem's NQN, model and serial; data the host writes lands
# at the same offset of the backing file or device, and so do a discard
# and a Write Zeroes; fio writes and verifies (crc32c) on each namespace;
# a controller reset brings it back live with I/O working; disconnect
# removes it, and a reconnect reads back what was written before.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/loop.sh

E2E_CLEANUP=loop_cleanup
e2e_begin
loop_load

N=$NQN_BASE:loop-io
MODEL="nvmet-ng loop model"
SERIAL=LOOPSERIAL30
IMG=/tmp/e2e-loop30.img
null_blk_load
truncate -s 256M $IMG || fail "truncate $IMG"
tgt_subsys $N 1 "$MODEL" $SERIAL
tgt_ns $N 1 $IMG
tgt_ns $N 2 /dev/nullb0
loop_port 1
tgt_link 1 $N

nvme discover -t loop -o json > /tmp/e2e-disc.json ||
	fail "nvme discover -t loop"
rec=$(disc_records /tmp/e2e-disc.json | grep "|$N|") ||
	fail "discovery log has no record of $N: $(cat /tmp/e2e-disc.json)"
echo "discovery: $rec"
expect_eq "trtype of the record" loop "$(echo "$rec" | cut -d'|' -f3)"
expect_eq "portid of the record" 1 "$(echo "$rec" | cut -d'|' -f7)"
expect_eq "host controllers after discover" 0 "$(ctrl_count)"

data_prep

# connect: nvme connect -t loop, checked
connect() {
	nvme connect -t loop -n $N "$@" || fail "nvme connect -t loop -n $N"
	C=$(ctrl_of $N) || fail "no host controller for $N"
	expect_file /sys/class/nvme/$C/state live
	expect_file /sys/class/nvme/$C/transport loop
	D1=$(wait_for_dev $N 1) || fail "no namespace 1"
	D2=$(wait_for_dev $N 2) || fail "no namespace 2"
	echo "connected: $C, $D1 $D2, queue_count $(cat /sys/class/nvme/$C/queue_count)"
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

connect
expect_file /sys/class/nvme/$C/queue_count $(( $(nproc) + 1 ))
expect_eq "id-ctrl subnqn" "$N" "$(id_ctrl_field /dev/$C subnqn)"
expect_eq "id-ctrl mn" "$MODEL" "$(id_ctrl_field /dev/$C mn)"
expect_eq "id-ctrl sn" "$SERIAL" "$(id_ctrl_field /dev/$C sn)"
expect_eq "ns 1 size (id-ns)" 268435456 "$(ns_bytes $D1)"
expect_eq "$D1 size" 268435456 "$(blockdev --getsize64 $D1)"
expect_eq "$D2 size" "$(blockdev --getsize64 /dev/nullb0)" "$(blockdev --getsize64 $D2)"

placed $D1 $IMG 3
placed $D2 /dev/nullb0 5
discarded $D1 $IMG 20
discarded $D2 /dev/nullb0 22
write_zeroes $D2 /dev/nullb0 24
fio_verify $D1 32M
fio_verify $D2 32M

# A reset tears the queues down and connects them again.
nvme reset /dev/$C || fail "nvme reset /dev/$C"
s=$(wait_ctrl_state $C live 20) || fail "$C not live after reset"
placed $D1 $IMG 40
placed $D2 /dev/nullb0 42
disconnect

connect -i 1
expect_file /sys/class/nvme/$C/queue_count 2
expect_eq "$D1 at 40 MiB after reconnect" "$RAND_SUM" "$(sum_at $D1 40)"
expect_eq "$D2 at 42 MiB after reconnect" "$RAND_SUM" "$(sum_at $D2 42)"
fio_verify $D2 16M
disconnect
exit 0
