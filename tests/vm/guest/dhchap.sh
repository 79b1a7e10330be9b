#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the DH-HMAC-CHAP tests of every fabric (tests/vm/tests/2a,
# 2b, 3a, 4a, 5a).  Sourced after lib.sh and nvme.sh.  The test sets
# DH_CONNECT to a command that connects host A to subsystem $N over its
# fabric with the options it is given (the test's own connect helper,
# with -q $HOSTNQN_A -I $HOSTID_A).

# Keys of the form nvme gen-dhchap-key makes: 00 (no transformation hash)
# and 01..03 (SHA-256..512).
DH_K00=DHHC-1:00:0f9wRR0fC5T1UUYcXKI55Jj1ca3UVCw4Hj7vhOrCSuodQfjD:
DH_K00B=DHHC-1:00:KuTPIheao/hrNFYxJKCAjcqMwiDd/eLZjFUr6XAjFCFW3Kyp:
DH_K00C=DHHC-1:00:025rlRtpAr7r9zBUNNIqIc8yAR3b7PeXb7pH/xvIU9qinod6:
DH_K01=DHHC-1:01:NpGIt0qRjLbHTsHlFMCOc1Zygv1ajhmGfGMsb9v1yvf39h5J:
DH_K02=DHHC-1:02:x3ixbJxmrsSeWEGaZ6seH70oy7e4fsvHux31lCNlamXK24c1kjZ+xyK3WiQLnZUFlfMfHg==:
DH_K03=DHHC-1:03:MdMp2nei0O8pQyCe9DLj8MftW1cSSv8eN6XH5qAdeApHO9D9WUo/p8+8JXP7FQcCuxEBTAkNkiL5oMBIdx9vKiqEgyo=:

# dh_skip_without_auth: exit 77 on a kernel without nvme-auth (6.1)
dh_skip_without_auth() {
	[ "$TARGET" = intree ] || [ -d /sys/module/nvme_auth ] ||
		skip "no nvme-auth in this kernel: no DH-HMAC-CHAP"
}

# dh_subsys: subsystem $N with a 64 MiB file as namespace 1, host A
# allowed; the test adds its fabric's port and links it
dh_subsys() {
	truncate -s 64M /tmp/e2e-dhchap.img || fail "truncate"
	tgt_subsys $N 0
	tgt_ns $N 1 /tmp/e2e-dhchap.img
	tgt_allow $N $HOSTNQN_A
}

# dh_tcp_connect [connect options]: DH_CONNECT for NVMe/TCP, with
# DH_QUEUES I/O queues (2)
dh_tcp_connect() {
	host_connect $N -q $HOSTNQN_A -I $HOSTID_A -i ${DH_QUEUES:-2} "$@"
}

# dh_admitted WHAT [connect options]: host A connects, the controller is
# live, namespace 1 reads (so every queue authenticated); prints the
# connect time; stays connected (dh_disconnect ends it)
dh_admitted() {
	what=$1
	shift
	t0=$(cut -d' ' -f1 /proc/uptime)
	$DH_CONNECT "$@" > /tmp/e2e-conn.out 2>&1 || {
		cat /tmp/e2e-conn.out
		fail "$what: refused"
	}
	C=$(ctrl_of $N) || fail "$what: no controller"
	# nvme connect returns once the controller is live, on every fabric
	expect_file /sys/class/nvme/$C/state live
	D=$(wait_for_dev $N 1) || fail "$what: no namespace"
	DH_CONNECT_S=$(awk -v a="$t0" '{ printf "%.2f", $1 - a }' /proc/uptime)
	dd if=$D of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null ||
		fail "$what: read from $D"
	echo "$what: connected in $DH_CONNECT_S s"
}

# dh_disconnect WHAT: host A's controller goes, and its namespace
dh_disconnect() {
	nvme disconnect -n $N > /dev/null || fail "$1: disconnect"
	wait_ctrl_gone $N
	wait_dev_gone $N 1
}

# dh_ok WHAT [connect options]: dh_admitted, then dh_disconnect
dh_ok() {
	dh_admitted "$@"
	dh_disconnect "$1"
}

# dh_refused WHAT [connect options]: the connect fails, and leaves no
# controller and no block device
dh_refused() {
	what=$1
	shift
	# shellcheck disable=SC2086 # DH_CONNECT may be several words
	host_refused "$what" $DH_CONNECT "$@"
}

# dh_failures: host A's failed authentications as nvmet-ng/hosts in
# debugfs counts them (ours only)
dh_failures() {
	sed -n "s|^$HOSTNQN_A auth_failures=\([0-9]*\)\$|\1|p" \
		/sys/kernel/debug/nvmet-ng/hosts
}

# dh_fabric_checks HOSTDIR: the checks every fabric runs: one hash and
# group unidirectional (right, wrong, missing key; the wrong key counted
# in host A's auth_failures), bidirectional (right and wrong controller
# key), and a re-authentication the host asks for while connected, with
# I/O after it
dh_fabric_checks() {
	h=$1
	write_attr $h/dhchap_key "$DH_K00"
	write_attr $h/dhchap_hash "hmac(sha256)"
	write_attr $h/dhchap_dhgroup ffdhe2048
	dh_ok "sha256 ffdhe2048: right key" --dhchap-secret="$DH_K00"
	f0=$(dh_failures)
	dh_refused "wrong key" --dhchap-secret="$DH_K00B"
	if [ "$TARGET" != intree ]; then
		f1=$(dh_failures)
		[ -n "$f0" ] && [ "${f1:-0}" -gt "$f0" ] ||
			fail "wrong key: host A's auth_failures went from ${f0:-none} to ${f1:-none}"
		echo "wrong key: host A's auth_failures $f0 -> $f1"
	fi
	dh_refused "no key"
	write_attr $h/dhchap_ctrl_key "$DH_K00C"
	dh_admitted "bidirectional" --dhchap-secret="$DH_K00" \
		--dhchap-ctrl-secret="$DH_K00C"
	dh_reauth "$DH_K00" ok
	dh_reauth "$DH_K00B" fail
	host_disconnect_all > /dev/null 2>&1
	wait_ctrl_gone $N
	wait_dev_gone $N 1
	dh_refused "bidirectional, wrong controller key" \
		--dhchap-secret="$DH_K00" --dhchap-ctrl-secret="$DH_K00B"
}

# dh_reauth KEY ok|fail: host A, connected as $C with namespace $D,
# writes KEY to its controller's dhchap_secret, which re-authenticates
# every queue.  ok: no queue reports a failure, the controller stays live
# and reads and writes work; fail: the host reports a queue's
# authentication failed (which shows that the exchange really ran)
dh_reauth() {
	m=$(kmsg_mark reauth)
	printf '%s' "$1" > /sys/class/nvme/$C/dhchap_secret ||
		fail "re-authentication: write $C/dhchap_secret"
	i=0
	until dmesg_since "$m" | grep -q "$C: re-authenticating controller"; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "re-authentication: never started"
		sleep 0.2
	done
	# The work authenticates the queues one by one and logs only failures;
	# in-tree's failure shows only after about 40 s.
	i=0
	while [ $i -lt 150 ]; do
		dmesg_since "$m" | grep -q "$C: qid .*\(failed\|error\)" && break
		[ "$2" = ok ] && [ $i -ge 10 ] && break
		i=$((i + 1))
		sleep 0.5
	done
	dmesg_since "$m" | grep "$C: qid" | sed 's/^/  re-auth: /'
	if [ "$2" = fail ]; then
		dmesg_since "$m" | grep -q "$C: qid 0: authentication failed" ||
			fail "re-authentication with a wrong key: no failure"
		echo "re-authentication with a wrong key: refused"
		return 0
	fi
	dmesg_since "$m" | grep -q "$C: qid .*\(failed\|error\)" &&
		fail "re-authentication failed on a queue"
	s=$(wait_ctrl_state $C live 20) || fail "re-authentication: $C is $s"
	dd if=$D of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null ||
		fail "re-authentication: read from $D"
	dd if=/dev/zero of=$D bs=4k count=16 seek=100 oflag=direct 2>/dev/null ||
		fail "re-authentication: write to $D"
	echo "re-authentication: no queue failed, I/O works"
}
