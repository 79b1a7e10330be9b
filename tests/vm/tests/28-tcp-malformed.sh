#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Malformed NVMe/TCP PDUs from a host close that host's queue with an
# error in dmesg and never crash or hang the target: for each bad stream
# (unknown PDU type, unsupported PFV, a header length that does not match
# the PDU type, a PDU length of 1 GiB, a command before the ICReq, H2C data
# for a transfer tag nobody asked for) a raw client (busybox nc) must see
# the target close the connection within 10 s, and the kernel log must
# name the problem after a mark written before the stream (nothing clears
# the log).  Afterwards the same port still serves a real host: discover,
# connect and a read work, and nothing is left behind.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/tcp-pdu.sh
command -v nc > /dev/null || skip "no nc in the VM image"
e2e_begin
NC=
E2E_CLEANUP='[ -n "$NC" ] && kill $NC 2>/dev/null'
tgt_load

N=$NQN_BASE:malformed
truncate -s 64M /tmp/e2e-bad.img || fail "truncate"
tgt_setup_tcp_subsys $N 1 127.0.0.1 4420 /tmp/e2e-bad.img

h2cdata() {	# H2CData for ttag 7, 512 bytes at offset 0
	le 6 1; le 0 1; le 24 1; le 24 1; le $((24 + 512)) 4
	le 1 2; le 7 2; le 0 4; le 512 4; zeros 4; zeros 512
}

# bad NAME: feed the stream in $PDU to the target and expect it to close.
# (A function at the end of a pipeline runs in a subshell, where fail
# would end only that subshell: the streams go through a file.)
PDU=/tmp/e2e-bad.pdu
bad() {
	mark=$(kmsg_mark "28-tcp-malformed: $1")
	# keep stdin open after the bytes, so only the target can end it
	{ cat $PDU; sleep 30; } | nc 127.0.0.1 4420 > /dev/null &
	NC=$!
	t0=$(date +%s)
	while kill -0 $NC 2>/dev/null; do
		[ $(( $(date +%s) - t0 )) -ge 10 ] &&
			fail "$1: target kept the connection open for 10 s"
		sleep 0.2
	done
	NC=
	log=$(dmesg_since "$mark" | grep -i 'nvmet')
	[ -n "$log" ] || fail "$1: nothing in dmesg"
	echo "$1: closed after $(( $(date +%s) - t0 )) s: $(echo "$log" | tail -n 1)"
}

{ le 66 1; zeros 127; } > $PDU
bad "unknown PDU type"
{ le 0 1; le 0 1; le 128 1; le 0 1; le 128 4; le 1 2; zeros 118; } > $PDU
bad "ICReq with PFV 1"
{ le 0 1; le 0 1; le 64 1; le 0 1; le 128 4; zeros 120; } > $PDU
bad "ICReq with header length 64"
{ icreq; le 4 1; le 0 1; le 72 1; le 72 1; le $((1 << 30)) 4; zeros 64; } > $PDU
bad "capsule of 1 GiB"
{ capsule 0; zeros 64; } > $PDU
bad "capsule before ICReq"
{ icreq; h2cdata; } > $PDU
bad "H2C data nobody asked for"

# The port still serves a real host.
disc=$(nvme discover -t tcp -a 127.0.0.1 -s 4420 --hostnqn=$HOSTNQN_A \
	--hostid=$HOSTID_A) || fail "discover after the bad streams"
echo "$disc" | grep -q "subnqn: *$N" || fail "discover lost $N"
host_connect $N || fail "connect after the bad streams"
D=$(wait_for_dev $N 1) || fail "no namespace after the bad streams"
dd if=$D of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null ||
	fail "read from $D"
exit 0
