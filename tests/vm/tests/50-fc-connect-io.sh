#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/FC through nvme-fcloop: a target port, a host local port and the
# remote port between them; an FC port of the target bound to the target
# port by its nn-0x..:pn-0x.. address.  nvme discover over FC lists the
# subsystem; nvme connect makes a live fc controller whose namespaces (a
# null_blk and a file) show the right sizes; data written lands at the
# same offset of the backing store; fio verifies mixed-size random writes
# (crc32c); debugfs host_traddr names the host port; disconnect removes
# the controller and a reconnect works again.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/fc.sh
fc_begin

N=$NQN_BASE:fc-io
IMG=/tmp/e2e-fc.img
null_blk_load
truncate -s 256M $IMG || fail "truncate $IMG"
fc_add_pair 1
tgt_subsys $N 1
tgt_ns $N 1 /dev/nullb0
tgt_ns $N 2 $IMG
fc_port 1 "$(fc_traddr tgt 1)"
tgt_link 1 $N

fc_discover 1 /tmp/e2e-disc.json || fail "nvme discover over fc"
grep -q "\"subnqn\" *: *\"$N\"" /tmp/e2e-disc.json ||
	fail "discovery log lacks $N: $(cat /tmp/e2e-disc.json)"
grep -q '"trtype" *: *"fc"' /tmp/e2e-disc.json ||
	fail "discovery log entry is not fc"
echo "discovery lists $N"

data_prep

connect() {
	fc_connect $N 1 || fail "nvme connect -t fc"
	C=$(ctrl_of $N) || fail "no host controller for $N"
	fc_wait_live $C
	expect_file /sys/class/nvme/$C/transport fc
	D1=$(wait_for_dev $N 1) || fail "no namespace 1"
	D2=$(wait_for_dev $N 2) || fail "no namespace 2"
	echo "$C: $D1 $D2, queue_count $(cat /sys/class/nvme/$C/queue_count)"
	expect_eq "id-ctrl subnqn" "$N" "$(id_ctrl_field /dev/$C subnqn)"
	expect_eq "$D1 size" "$(blockdev --getsize64 /dev/nullb0)" \
		"$(blockdev --getsize64 $D1)"
	expect_eq "$D2 size" 268435456 "$(blockdev --getsize64 $D2)"
	host_traddr_check
}

# debugfs host_traddr: the host port's names, which nvmet-fc asks the
# LLDD for; 6.1's FC target template has no way to ask, so it stays empty.
host_traddr_check() {
	f=/sys/kernel/debug/nvmet/$N/ctrl$(cat /sys/class/nvme/$C/cntlid)/host_traddr
	want=$(fc_traddr host 1)
	case $(uname -r) in 6.1.*) want= ;; esac
	expect_file $f "$want"
	echo "debugfs host_traddr: '$want'"
}

disconnect() {
	out=$(nvme disconnect -n $N 2>&1) || fail "nvme disconnect: $out"
	wait_ctrl_gone $N
	wait_dev_gone $N 1
	wait_dev_gone $N 2
}

connect
placed $D1 /dev/nullb0 3
placed $D2 $IMG 5
fio_verify $D1 32M
fio_verify $D2 32M
disconnect

echo "== reconnect"
connect
placed $D1 /dev/nullb0 7
fio_verify $D2 16M
disconnect
exit 0
