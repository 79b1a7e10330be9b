#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Peers that stop talking lose their queue when a deadline passes, and a
# flood of connections that never connect is bounded per port.  With the
# deadlines set low through nvmet_tcp's module parameters (ICReq and
# Connect 2 s, R2T data 3 s), raw clients (busybox nc):
#   A. connect and send nothing: closed after >= 1 s and within 20 s,
#      dmesg names the missing ICReq and the peer;
#   B. send an ICReq and no Connect: the same, for the Connect;
#   C. connect an I/O controller, send a Write, get the R2T and never send
#      the data: the I/O queue is closed after the deadline, dmesg names
#      it, and a namespace disable that was waiting for the Write
#      completes, not before ~2 s after the R2T and within 20 s;
#   D. with at most 4 pending connections per port, 7 idle connections
#      leave 4 open (3 are closed at once, dmesg says why), and a real
#      host still connects and reads meanwhile.
# Every case is checked even when an earlier one failed.  TARGET=intree
# runs it against Debian's nvmet-tcp, which has none of these parameters
# nor deadlines: there it shows what a peer can hold.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/tcp-pdu.sh
command -v nc > /dev/null || skip "no nc in the VM image"
e2e_begin
PIDS=
E2E_CLEANUP='for p in $PIDS; do kill $p 2>/dev/null; done; exec 3>&- 4>&-'
tgt_load

P=/sys/module/nvmet_tcp/parameters
# param NAME VALUE: set a parameter of ours; a missing one is a failure
# of the case that needs it, not of the whole test
param() {
	echo "$2" > $P/$1 2>/dev/null || echo "cannot set $P/$1"
}
FAILED=
bad_case() {
	echo "FAIL: $*"
	FAILED="$FAILED|$1"
}
# mark: remember where dmesg is, so later checks see only newer lines
mark() { MARK=$(kmsg_mark "61"); }
since() { dmesg_since "$MARK"; }
# gone PID SECONDS: the process (a child of this shell) exits within
# SECONDS; sets t to the seconds it took.  Not in $(...): only this shell
# reaps its children, and a zombie still answers kill -0.
gone() {
	t0=$(date +%s)
	while kill -0 $1 2>/dev/null; do
		[ $(( $(date +%s) - t0 )) -ge $2 ] && return 1
		sleep 0.1
	done
	t=$(( $(date +%s) - t0 ))
}
# A peer the target closed must not kill this shell with SIGPIPE.
trap '' PIPE

N=$NQN_BASE:deadlines
IMG=/tmp/e2e-dl.img
truncate -s 64M $IMG || fail "truncate"
tgt_setup_tcp_subsys $N 1 127.0.0.1 4420 $IMG
param icreq_timeout_ms 2000
param connect_timeout_ms 2000
param data_timeout_ms 3000

# A: silent after the TCP handshake
mark
sleep 60 | nc 127.0.0.1 4420 > /dev/null &
NC=$!
PIDS="$PIDS $NC"
if gone $NC 20; then
	echo "A: closed after $t s"
	[ $t -ge 1 ] || bad_case A "closed after $t s, before the deadline"
	since | grep -q "127.0.0.1.*no ICReq" ||
		bad_case A "dmesg does not name the missing ICReq: $(since | tail -n 3)"
else
	bad_case A "connection without ICReq still open after 20 s"
fi

# B: ICReq, then nothing.  The ICReq is built before the connection: the
# shell builds it byte by byte, and on the debug kernel that took longer
# than the 2 s ICReq deadline (stop 21's make check).
icreq > /tmp/e2e-dl.icreq
mark
{ cat /tmp/e2e-dl.icreq; sleep 60; } | nc 127.0.0.1 4420 > /tmp/e2e-dl.b &
NC=$!
PIDS="$PIDS $NC"
if gone $NC 20; then
	echo "B: closed after $t s"
	wait_bytes /tmp/e2e-dl.b 128 1 || bad_case B "no ICResp"
	[ $t -ge 1 ] || bad_case B "closed after $t s, before the deadline"
	since | grep -q "127.0.0.1.*no Connect" ||
		bad_case B "dmesg does not name the missing Connect: $(since | tail -n 3)"
else
	bad_case B "connection without Connect still open after 20 s"
fi

# C: a Write whose data never comes.  The PDUs are built beforehand (the
# shell builds them byte by byte, slowly), and the Connect deadline is
# longer here: this case is about the data.
param connect_timeout_ms 20000
connect 1 0 65535 $N $HOSTNQN_A > /tmp/e2e-dl.aconn
prop_set_cc 2 $((0x460001)) > /tmp/e2e-dl.cc
write_r2t 2 1 4096 > /tmp/e2e-dl.write
rm -f /tmp/e2e-dl.f3 /tmp/e2e-dl.f4
mkfifo /tmp/e2e-dl.f3 /tmp/e2e-dl.f4 || fail "mkfifo"
nc 127.0.0.1 4420 < /tmp/e2e-dl.f3 > /tmp/e2e-dl.a &
PIDS="$PIDS $!"
exec 3> /tmp/e2e-dl.f3
cat /tmp/e2e-dl.icreq >&3
wait_bytes /tmp/e2e-dl.a 128 10 || fail "C: no ICResp on the admin queue"
cat /tmp/e2e-dl.aconn >&3
wait_bytes /tmp/e2e-dl.a 152 10 || fail "C: no admin Connect response"
expect_eq "C: admin Connect status" 0 $(( $(le16 /tmp/e2e-dl.a 150) >> 1 ))
CNTLID=$(le16 /tmp/e2e-dl.a 136)
cat /tmp/e2e-dl.cc >&3
wait_bytes /tmp/e2e-dl.a 176 10 || fail "C: no Property Set response"
expect_eq "C: Property Set status" 0 $(( $(le16 /tmp/e2e-dl.a 174) >> 1 ))
echo "C: controller $CNTLID enabled"
connect 1 1 $CNTLID $N $HOSTNQN_A > /tmp/e2e-dl.ioconn

mark
nc 127.0.0.1 4420 < /tmp/e2e-dl.f4 > /tmp/e2e-dl.io &
IONC=$!
PIDS="$PIDS $IONC"
exec 4> /tmp/e2e-dl.f4
cat /tmp/e2e-dl.icreq >&4
wait_bytes /tmp/e2e-dl.io 128 10 || fail "C: no ICResp on the I/O queue"
cat /tmp/e2e-dl.ioconn >&4
wait_bytes /tmp/e2e-dl.io 152 10 || fail "C: no I/O Connect response"
expect_eq "C: I/O Connect status" 0 $(( $(le16 /tmp/e2e-dl.io 150) >> 1 ))
cat /tmp/e2e-dl.write >&4
wait_bytes /tmp/e2e-dl.io 176 10 || fail "C: no R2T for the Write"
expect_eq "C: PDU type after the Write" 9 $(byte /tmp/e2e-dl.io 152)
t_r2t=$(date +%s)
echo 0 > $CFS/subsystems/$N/namespaces/1/enable &
DIS=$!
if gone $DIS 20; then
	t=$(( $(date +%s) - t_r2t ))
	echo "C: namespace disable done $t s after the R2T"
	[ $t -ge 2 ] || bad_case C "disable done $t s after the R2T, before the deadline"
	gone $IONC 5 || bad_case C "I/O queue still open"
	since | grep -q "127.0.0.1.*no data" ||
		bad_case C "dmesg does not name the missing data: $(since | tail -n 3)"
else
	bad_case C "namespace disable still waiting 20 s after the R2T"
	kill $IONC 2>/dev/null
	gone $DIS 20 || fail "C: disable hangs even after the peer left"
fi
expect_file $CFS/subsystems/$N/namespaces/1/enable 0
exec 3>&- 4>&-
write_attr $CFS/subsystems/$N/namespaces/1/enable 1

# D: more pending connections than the port takes
param icreq_timeout_ms 60000
param max_pending_conns 4
mark
D_PIDS=
for i in 1 2 3 4 5 6 7; do
	sleep 120 | nc 127.0.0.1 4420 > /dev/null &
	D_PIDS="$D_PIDS $!"
	sleep 0.2
done
PIDS="$PIDS $D_PIDS"
sleep 3
alive=0
for p in $D_PIDS; do kill -0 $p 2>/dev/null && alive=$((alive + 1)); done
echo "D: $alive of 7 idle connections open"
[ $alive -eq 4 ] || bad_case D "$alive of 7 idle connections open, expected 4"
since | grep -q "pending" ||
	bad_case D "dmesg does not say why: $(since | tail -n 3)"
if host_connect $N --nr-io-queues=1; then
	D=$(wait_for_dev $N 1) || bad_case D "no namespace"
	[ -n "$D" ] && { dd if=$D of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null ||
		bad_case D "read from $D"; }
	host_disconnect_all || fail "disconnect"
else
	bad_case D "a real host cannot connect while idle connections are pending"
fi
for p in $D_PIDS; do kill $p 2>/dev/null; done
param icreq_timeout_ms 2000

[ -z "$FAILED" ] || fail "cases failed: $FAILED"
tgt_teardown || fail "teardown"
expect_no_objects
exit 0
