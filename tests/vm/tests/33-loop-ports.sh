#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Which loop port a host controller uses: the one whose addr_traddr equals
# the connect's traddr (-a), else the first loop port enabled.  Two ports
# (traddr alpha and beta) offer one subsystem; a controller connected with
# -a beta goes when the subsystem leaves port 2 while the -a alpha one
# stays live and keeps doing I/O; -a with an unknown traddr, and no -a at
# all, land on port 1.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/loop.sh

# port_of CTRL: the loop port nvme-loop logged for CTRL's creation, in
# this test's part of the kernel log
MARK=$(kmsg_mark "33-loop-ports")
port_of() {
	dmesg_since "$MARK" | sed -n "s/.*nvme $1: new ctrl: NQN \"$N\", port \([0-9]*\)$/\1/p" |
		tail -n 1
}

E2E_CLEANUP=loop_cleanup
e2e_begin
loop_load

N=$NQN_BASE:loop-ports
IMG=/tmp/e2e-loop33.img
truncate -s 64M $IMG || fail "truncate"
tgt_subsys $N 1
tgt_ns $N 1 $IMG
loop_port 1 alpha
loop_port 2 beta
tgt_link 1 $N
tgt_link 2 $N

CB=$(loop_connect beta) || fail "connect -a beta"
expect_eq "port of $CB (-a beta)" 2 "$(port_of $CB)"
CA=$(loop_connect alpha) || fail "connect -a alpha"
expect_eq "port of $CA (-a alpha)" 1 "$(port_of $CA)"
expect_file /sys/class/nvme/$CA/state live
expect_file /sys/class/nvme/$CB/state live

rm $CFS/ports/2/subsystems/$N || fail "unlink from port 2"
wait_ctrl_state $CB gone 20 > /dev/null ||
	fail "$CB (port 2) survived the unlink from port 2"
expect_file /sys/class/nvme/$CA/state live
D=$(wait_for_dev $N 1) || fail "namespace gone with port 2"
dd if=/dev/zero of=$D bs=4k count=256 oflag=direct 2>/dev/null ||
	fail "I/O through port 1 after port 2 went"

CG=$(loop_connect gamma -D) || fail "connect -a gamma"
expect_eq "port of $CG (-a gamma, no such port)" 1 "$(port_of $CG)"
# nvme-cli itself refuses a second connection without -a: drop the
# others first.
nvme disconnect -d $CA > /dev/null || fail "disconnect $CA"
nvme disconnect -d $CG > /dev/null || fail "disconnect $CG"
wait_ctrl_gone $N
CN=$(loop_connect -) || fail "connect without -a"
expect_eq "port of $CN (no -a)" 1 "$(port_of $CN)"
host_disconnect_all || fail "disconnect all"
exit 0
