#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/TCP TLS when things go wrong (issue 11):
#   a. tlshd not running: a TLS connect is refused at once, the target
#      says why; once tlshd runs, the same connect succeeds;
#   b. tlshd stopped (SIGSTOP), so handshakes are never taken up: a
#      connection to a port that requires TLS is closed when
#      tls_handshake_timeout (2 s here) passes, by our queue's deadline;
#   c. the port is disabled while such a handshake is pending: the
#      unlink returns at once, nvmet-tcp unloads, no object is left;
#   d. a port where TLS is optional ("not required"): a host that opens
#      a connection and sends nothing does not hold up the others; a plain
#      and a TLS host connect meanwhile.  In-tree peeks at the first bytes
#      in its accept work, blocking, so there the others wait until the
#      silent one gives up (TARGET=intree prints how long, and does not
#      fail on it).
# Skipped on kernels without net/handshake (6.1).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/tls.sh
tls_begin

N=$NQN_BASE:tls-faults
truncate -s 16M /tmp/e2e-tlsf.img || fail "truncate"
tgt_subsys $N 0
tgt_ns $N 1 /tmp/e2e-tlsf.img
tgt_allow $N $HOSTNQN_A
tls_port 1 127.0.0.1 4420
tgt_link 1 $N
tls_key_insert $HOSTNQN_A $N
echo 2 > /sys/module/nvmet_tcp/parameters/tls_handshake_timeout ||
	fail "set tls_handshake_timeout"

# conn_ok WHAT [options]: host A connects to $N (TLS with --tls), then
# disconnects
conn_ok() {
	what=$1
	shift
	tls_connect $N --ctrl-loss-tmo=0 "$@" > /tmp/e2e-conn.out 2>&1 || {
		cat /tmp/e2e-conn.out
		fail "$what: nvme connect $*"
	}
	C=$(ctrl_of $N $HOSTNQN_A) || fail "$what: no controller"
	expect_file /sys/class/nvme/$C/state live
	nvme disconnect -n $N > /dev/null || fail "$what: disconnect"
	wait_ctrl_gone $N
	echo "$what: $C connected and went"
}

# silent PORT: a TCP connection to PORT that never sends; SILENT is the
# pid of the nc that holds it, which exits when the target closes it
silent() {
	sleep 20 | nc 127.0.0.1 $1 > /dev/null 2>&1 &
	SILENT=$!
	sleep 0.3
}

# a. no tlshd
m=$(kmsg_mark "2e no tlshd")
t0=$(date +%s)
tls_connect $N --tls --ctrl-loss-tmo=0 > /tmp/e2e-conn.out 2>&1 && {
	cat /tmp/e2e-conn.out
	fail "a. TLS connect succeeded without tlshd"
}
t=$(($(date +%s) - t0))
[ "$(ctrl_count)" -eq 0 ] || fail "a. a controller is left"
dmesg_since "$m" | grep -v kmsg-mark | sed 's/^/  a. dmesg: /'
if [ "$TARGET" != intree ]; then
	dmesg_since "$m" | grep -q 'cannot start the TLS handshake (is tlshd running?)' ||
		fail "a. the target did not say that it could not start the handshake"
fi
echo "a. refused in ${t} s without tlshd"
tls_start
conn_ok "a. TLS with tlshd" --tls

# b. handshakes never taken up: our deadline closes the connection
kill -STOP $TLSHD_PID
m=$(kmsg_mark "2e stopped tlshd")
t0=$(date +%s)
silent 4420
i=0
while kill -0 $SILENT 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
t=$(($(date +%s) - t0))
kill -0 $SILENT 2>/dev/null && fail "b. the connection is open 10 s after it came (tls_handshake_timeout 2 s)"
dmesg_since "$m" | grep -v kmsg-mark | sed 's/^/  b. dmesg: /'
if [ "$TARGET" != intree ]; then
	dmesg_since "$m" | grep -q 'TLS handshake not done within 2000 ms, closing' ||
		fail "b. the target did not report the handshake deadline"
fi
echo "b. the target closed the connection after ${t} s"

# c. the port goes while a handshake is pending
silent 4420
t0=$(date +%s)
rm $CFS/ports/1/subsystems/$N || fail "c. unlink"
t=$(($(date +%s) - t0))
[ $t -le 2 ] || fail "c. the unlink took $t s with a handshake pending"
i=0
while kill -0 $SILENT 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -0 $SILENT 2>/dev/null && fail "c. the connection is still open 5 s after its port went"
echo "c. port unlinked in ${t} s with a handshake pending; the connection closed"
kill -CONT $TLSHD_PID
tgt_link 1 $N
conn_ok "c. TLS after the port came back" --tls

# d. TLS optional: a silent connection holds nobody up
tls_port 2 127.0.0.1 4421 "not required"
tgt_link 2 $N
silent 4421
for mode in plain TLS; do
	opt=
	[ $mode = TLS ] && opt=--tls
	t0=$(date +%s)
	if [ "$TARGET" = intree ]; then
		r=refused
		TRSVCID=4421 tls_connect $N --ctrl-loss-tmo=0 $opt \
			> /tmp/e2e-conn.out 2>&1 && r=connected &&
			nvme disconnect -n $N > /dev/null
		wait_ctrl_gone $N
		echo "d. in-tree: $mode connect beside a silent connection: $r after $(($(date +%s) - t0)) s"
		continue
	fi
	TRSVCID=4421 conn_ok "d. $mode beside a silent connection" $opt
	t=$(($(date +%s) - t0))
	[ $t -le 8 ] || fail "d. the $mode connect took $t s beside a silent connection"
	echo "d. $mode connect beside a silent connection: $t s"
done
[ "$TARGET" = intree ] || kill -0 $SILENT 2>/dev/null ||
	fail "d. the silent connection was closed early"
kill $SILENT 2>/dev/null
pkill -f "sleep 20" 2>/dev/null

echo 10 > /sys/module/nvmet_tcp/parameters/tls_handshake_timeout
tgt_teardown || fail "teardown"
expect_no_objects
if [ "$TARGET" != intree ]; then
	rmmod nvmet_tcp || fail "rmmod nvmet_tcp"
	echo "nvmet-tcp unloaded"
fi
exit 0
