#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# TLS 1.3 on NVMe/TCP (issue 11) with the Linux host, tlshd doing the
# handshakes on both ends and a retained PSK that nvme gen-tls-key
# inserted into the .nvme keyring:
#   a. a port with addr_tsas tls1.3 (addr_treq then reads "required"):
#      nvme connect --tls succeeds with that PSK (the host's tls_key names
#      it, kTLS carries the queues) and fio verifies data over it;
#   b. a plain connect to that port is refused and leaves no controller;
#   c. TLS with header and data digests, with a second PSK of identity
#      version 1 (NVMe1R01 ... with the PSK digest), which the host
#      prefers to the first (version 0, NVMe0R01 HOSTNQN SUBNQN);
#   d. discovery over TLS: the log entry says sectype tls1.3 and treq
#      required; plain discovery is refused there;
#   e. a port with treq "not required": a plain and a TLS connect both
#      succeed.
# Skipped on kernels without net/handshake (6.1).  TARGET=intree runs it
# against the in-tree target, which must give the same results.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/tls.sh
tls_begin

N=$NQN_BASE:tls
truncate -s 64M /tmp/e2e-tls.img || fail "truncate"
tgt_subsys $N 0
tgt_ns $N 1 /tmp/e2e-tls.img
tgt_allow $N $HOSTNQN_A
tls_port 1 127.0.0.1 4420
tgt_link 1 $N
tls_start
tls_key_insert $HOSTNQN_A $N
KEY_IO=$TLS_KEY_ID
case $TLS_IDENTITY in
"NVMe0R01 $HOSTNQN_A $N") ;;
*) fail "gen-tls-key's default identity is '$TLS_IDENTITY', not NVMe0R01 $HOSTNQN_A $N" ;;
esac
data_prep

# tls_stat NAME: a counter of /proc/net/tls_stat (kTLS sockets)
tls_stat() {
	awk -v n="$1" '$1 == n { print $2 }' /proc/net/tls_stat
}

# connected WHAT TLS|plain [connect options]: host A connects to $N, the
# controller is live with namespace 1; TLS: the host's tls_key is the
# PSK KEY_IO and every queue of both ends is a kTLS socket (tls_stat's
# TlsCurrTxSw counts the host's and the target's); plain: no TLS key.
# Leaves C and D set, connected.
connected() {
	what=$1 mode=$2
	shift 2
	tx0=$(tls_stat TlsCurrTxSw)
	tls_connect $N "$@" > /tmp/e2e-conn.out 2>&1 || {
		cat /tmp/e2e-conn.out
		fail "$what: nvme connect $*"
	}
	C=$(ctrl_of $N $HOSTNQN_A) || fail "$what: no controller"
	expect_file /sys/class/nvme/$C/state live
	D=$(wait_for_dev $N 1) || fail "$what: no namespace"
	q=$(cat /sys/class/nvme/$C/queue_count)
	tx=$(tls_stat TlsCurrTxSw)
	if [ $mode = TLS ]; then
		expect_file /sys/class/nvme/$C/tls_key $KEY_IO
		[ $((tx - tx0)) -ge $((2 * q)) ] ||
			fail "$what: $q queues, but kTLS sockets went from $tx0 to only $tx"
	else
		[ ! -e /sys/class/nvme/$C/tls_key ] ||
			fail "$what: a plain controller has tls_key $(cat /sys/class/nvme/$C/tls_key)"
		expect_eq "$what: kTLS sockets" "$tx0" "$tx"
	fi
	echo "$what: $C live, $q queues, kTLS sockets $tx0 -> $tx"
}

# gone WHAT: disconnect host A; controller and namespace go
gone() {
	nvme disconnect -n $N > /dev/null || fail "$1: disconnect"
	wait_ctrl_gone $N
	wait_dev_gone $N 1
}

# refused WHAT [connect options]: the connect fails and leaves nothing
refused() {
	what=$1
	shift
	host_refused "$what" tls_connect $N "$@"
}
	sed "s/^/  $what: refused: /" /tmp/e2e-conn.out
	wait_ctrl_gone $N
	dev_of $N 1 && fail "$what: a block device exists after a refused connect"
	return 0
}

# a. TLS connect, data over it
connected "a. TLS" TLS --tls
placed $D /tmp/e2e-tls.img 3
fio_verify $D 32M
gone "a. TLS"

# b. plain connect to a port that requires TLS: the target takes the
# ICReq for a ClientHello, and its tlshd's handshake fails
m=$(kmsg_mark "2d plain to required")
f0=$(tlshd_failed)
refused "b. plain to treq required"
dmesg_since "$m" | grep -v kmsg-mark | sed 's/^/  b. dmesg: /'
f1=$(tlshd_failed)
[ "$f1" -gt "$f0" ] || fail "b. tlshd logged no failed handshake ($f0 -> $f1)"
echo "b. tlshd: failed handshakes $f0 -> $f1"

# c. TLS with header and data digests, a PSK of identity version 1
tls_key_insert $HOSTNQN_A $N --identity=1
case $TLS_IDENTITY in
"NVMe1R01 $HOSTNQN_A $N "?*) ;;
*) fail "gen-tls-key --identity=1 made '$TLS_IDENTITY', not NVMe1R01 $HOSTNQN_A $N DIGEST" ;;
esac
KEY_IO=$TLS_KEY_ID
connected "c. TLS with digests" TLS --tls -g -G
placed $D /tmp/e2e-tls.img 5
fio_verify $D 16M
gone "c. TLS with digests"

# d. discovery over TLS, with a PSK of its own
tls_key_insert $HOSTNQN_A $DISC_NQN
$NVME_TLS discover -t tcp -a 127.0.0.1 -s 4420 -q $HOSTNQN_A -I $HOSTID_A \
	--tls -o json > /tmp/e2e-disc.json 2> /tmp/e2e-disc.err || {
	cat /tmp/e2e-disc.json /tmp/e2e-disc.err
	fail "d. nvme discover --tls"
}
rec=$(tr -d '\n' < /tmp/e2e-disc.json | tr '}' '\n' | grep "\"subnqn\" *: *\"$N\"")
[ -n "$rec" ] || { cat /tmp/e2e-disc.json; fail "d. no discovery log entry for $N"; }
field() { echo "$rec" | sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p"; }
echo "d. entry: sectype '$(field sectype)', treq '$(field treq)'"
case $(field sectype) in
tls13|"tls1.3"|*TLS*1.3*|*tls*1.3*) ;;
*) cat /tmp/e2e-disc.json; fail "d. sectype is '$(field sectype)', not tls1.3" ;;
esac
case $(field treq) in
required*) ;;
*) cat /tmp/e2e-disc.json; fail "d. treq is '$(field treq)', not required" ;;
esac
[ "$(ctrl_count)" -eq 0 ] || fail "d. discovery left a controller"
nvme discover -t tcp -a 127.0.0.1 -s 4420 -q $HOSTNQN_A -I $HOSTID_A \
	> /tmp/e2e-disc.out 2>&1 && {
	cat /tmp/e2e-disc.out
	fail "d. plain discovery on a port that requires TLS succeeded"
}
echo "d. plain discovery refused: $(tail -n 1 /tmp/e2e-disc.out)"

# e. treq "not required": both plain and TLS
tls_port 2 127.0.0.1 4421 "not required"
tgt_link 2 $N
TRSVCID=4421 connected "e. plain to treq not required" plain
dd if=$D of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null ||
	fail "e. plain: read from $D"
gone "e. plain"
TRSVCID=4421 connected "e. TLS to treq not required" TLS --tls
placed $D /tmp/e2e-tls.img 7
gone "e. TLS"
exit 0
