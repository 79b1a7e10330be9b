#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/TCP host ACL: on a subsystem that is not allow-any-host, a host
# missing from allowed_hosts is refused (nvme connect fails, no
# controller, no block device) while an allowed host connects; once its
# allowed_hosts link exists the refused host connects too, and after the
# link is removed again it is refused again.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
e2e_begin
tgt_load

N=$NQN_BASE:acl
truncate -s 64M /tmp/e2e-acl.img || fail "truncate"
tgt_subsys $N 0
tgt_ns $N 1 /tmp/e2e-acl.img
tgt_allow $N $HOSTNQN_A
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N

# refused HOSTNQN HOSTID
refused() {
	host_connect $N -q $1 -I $2 > /tmp/e2e-conn.out 2>&1 && {
		cat /tmp/e2e-conn.out
		fail "$1 connected though not in allowed_hosts"
	}
	sed 's/^/  refused: /' /tmp/e2e-conn.out
	C=$(ctrl_of $N) && fail "a controller ($C) exists after a refused connect"
	dev_of $N 1 && fail "a block device exists after a refused connect"
	return 0
}

# admitted HOSTNQN HOSTID: connects, its controller carries that host NQN,
# the namespace appears and reads; then disconnects
admitted() {
	host_connect $N -q $1 -I $2 || fail "$1 refused though allowed"
	C=$(ctrl_of $N) || fail "no controller after connecting $1"
	expect_file /sys/class/nvme/$C/hostnqn $1
	expect_file /sys/class/nvme/$C/state live
	D=$(wait_for_dev $N 1) || fail "no namespace for $1"
	dd if=$D of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null ||
		fail "read from $D as $1"
	nvme disconnect -n $N > /dev/null || fail "disconnect $1"
	wait_ctrl_gone $N
	wait_dev_gone $N 1
}

refused $HOSTNQN_B $HOSTID_B
admitted $HOSTNQN_A $HOSTID_A
refused $HOSTNQN_B $HOSTID_B

tgt_allow $N $HOSTNQN_B
admitted $HOSTNQN_B $HOSTID_B

rm $CFS/subsystems/$N/allowed_hosts/$HOSTNQN_B || fail "unlink host B"
refused $HOSTNQN_B $HOSTID_B
admitted $HOSTNQN_A $HOSTID_A
exit 0
