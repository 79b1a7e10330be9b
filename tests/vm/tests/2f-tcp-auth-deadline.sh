#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/TCP: a host that must authenticate and never does loses its
# controller (issue 11).  tcp-hog connects as a host that has a
# DH-HMAC-CHAP key, with a keep-alive timeout of 0, gets its controllers
# (Connect answers "authenticate first"), and then only sends commands
# the controller refuses until the host authenticates.  Ours ends each
# such controller auth_timeout_ms (3 s here) after its Connect, counting
# a failed authentication for the host; in-tree keeps them for as long
# as the connections stay (TARGET=intree shows that, and does not fail
# on it).  A Linux host with the key on the same subsystem meanwhile
# connects and reads.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/dhchap.sh
command -v tcp-hog > /dev/null || skip "no tcp-hog in the VM image"
e2e_begin
tgt_load
dh_skip_without_auth

HOG=nqn.2014-08.org.nvmexpress:uuid:0badc0de-0000-4000-8000-00000000f00d
CONNS=4
N=$NQN_BASE:auth-deadline
dh_subsys
tgt_allow $N $HOG
write_attr $CFS/hosts/$HOG/dhchap_key $DH_K00B
write_attr $CFS/hosts/$HOSTNQN_A/dhchap_key $DH_K00
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N
[ "$TARGET" = intree ] ||
	echo 3000 > /sys/module/nvmet/parameters/auth_timeout_ms ||
	fail "set auth_timeout_ms"
DBG=/sys/kernel/debug/nvmet/$N
# ctrls: the controllers of $N (the in-tree debugfs layout; Debian's
# in-tree target has no debugfs)
ctrls() { ls -d $DBG/ctrl* 2>/dev/null | wc -l; }
# est: TCP connections to port 4420 still established on the hosts' side
# (the hog's 4 discovery and 4 admin connections, host A's 3)
est() { awk '$3 ~ /:1144$/ && $4 == "01"' /proc/net/tcp | wc -l; }

m=$(kmsg_mark "2f hog")
tcp-hog -a 127.0.0.1 -p 4420 -n $CONNS -s $N -t 120 -w 1 \
	> /tmp/e2e-hog.out 2>&1 &
HOGPID=$!
hog_ready $HOGPID 60
sed 's/^/  hog: /' /tmp/e2e-hog.out
echo "controllers of $N with the hog connected: $(ctrls)"

DH_CONNECT=dh_tcp_connect
dh_admitted "host A with its key" --dhchap-secret=$DH_K00

sleep 5
left=$(ctrls)
dmesg_since "$m" | grep -v kmsg-mark | grep -i 'authenticate' |
	sed 's/^/  dmesg: /'
if [ "$TARGET" = intree ]; then
	echo "in-tree: $(est) connections to 4420 established 5 s after the hog was ready (ours: 7, the hog's 4 admin connections closed)"
else
	ended=$(dmesg_since "$m" | grep -c "host $HOG did not authenticate within 3000 ms")
	expect_eq "hog controllers ended by the deadline" $CONNS "$ended"
	expect_eq "controllers left (host A's)" 1 "$left"
	echo "connections to 4420 established: $(est)"
	C=$(ctrl_of $N $HOSTNQN_A) || fail "host A lost its controller"
	expect_file /sys/class/nvme/$C/state live
	grep -q "^$HOG auth_failures=$CONNS\$" /sys/kernel/debug/nvmet-ng/hosts ||
		fail "the hog's failures are not counted: $(cat /sys/kernel/debug/nvmet-ng/hosts)"
	echo 30000 > /sys/module/nvmet/parameters/auth_timeout_ms
fi
kill $HOGPID
wait $HOGPID 2>/dev/null
nvme disconnect -n $N > /dev/null || fail "disconnect host A"
wait_ctrl_gone $N
tgt_teardown || fail "teardown"
expect_no_objects
exit 0
