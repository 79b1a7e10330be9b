#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# ANA failover over nvme-loop: the loop host can hold two paths of one
# subsystem, one controller per loop port (nvme-loop picks the port whose
# addr_traddr is the connect's -a: alpha is port 1, beta port 2), and the
# host's native multipath joins them under one head.  Under fio verify the
# same ANA sequence as 2g (ana_steps, tests/vm/guest/ana.sh): port 1
# inaccessible, persistent loss and change, each time back; the ports
# swap optimized and non-optimized and back; both inaccessible, then
# port 2 optimized, then port 1 again.  The port bounce differs: the loop
# host has no reconnect, and a target-side deletion deletes its
# controller, so unlinking port 1 deletes CA (the I/O it had in flight
# fails over to port 2, none fails); after the relink a new connect
# through alpha makes a new path, which takes the I/O back.  Each move
# is timed; fio verifies all it wrote and the kernel log shows no I/O
# error; then the namespace is disabled and at once enabled again under
# fio.  TARGET=intree runs it against Debian's nvmet and nvme-loop.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/loop.sh
. /vm/guest/ana.sh

E2E_CLEANUP=loop_cleanup
e2e_begin
loop_load

[ "$(cat /sys/module/nvme_core/parameters/multipath)" = Y ] ||
	skip "the host has no native NVMe multipath"
N=$NQN_BASE:ana-loop
IMG=/tmp/e2e-ana3c.img
truncate -s 128M $IMG || fail "truncate $IMG"
tgt_subsys $N 1
tgt_ns $N 1 $IMG
loop_port 1 alpha
loop_port 2 beta
ana_state 1 optimized
ana_state 2 non-optimized
tgt_link 1 $N
tgt_link 2 $N

CA=$(loop_connect alpha) || fail "connect -a alpha"
CB=$(loop_connect beta) || fail "connect -a beta"
expect_file /sys/class/nvme/$CA/state live
expect_file /sys/class/nvme/$CB/state live
ana_paths $N $CA $CB

# loop_bounce NQN: unlinking port 1 deletes CA, and the I/O moves to PB;
# linking it again and connecting through alpha gives a new CA and PA,
# which take the I/O back (timed from the link: the connect is part of
# it on loop).
loop_bounce() {
	ana_switch unlink-port-1 $PB - rm $CFS/ports/1/subsystems/$1
	wait_ctrl_state $CA gone 20 > /dev/null ||
		fail "$CA (port 1) is still there after the unlink"
	_t0=$(ana_now_ms)
	tgt_link 1 $1
	CA=$(loop_connect alpha) || fail "connect -a alpha after the relink"
	_i=0
	until PA=$(ana_path $CA) && [ "$(cat $PA/ana_state)" = optimized ]; do
		_i=$((_i + 1))
		[ $_i -gt 1000 ] && fail "no optimized path under $CA in 10 s"
		sleep 0.01
	done
	ana_wait_io $PA 0 20 || fail "no I/O over the new ${PA##*/}"
	ana_figure relink-port-1 $(( $(ana_now_ms) - _t0 )) $PA
	ana_idle $PB 1 || fail "relink: the host still uses ${PB##*/}"
}
ana_failover $N loop+loop loop_bounce

nvme disconnect -n $N > /dev/null || fail "nvme disconnect"
wait_ctrl_gone $N
exit 0
