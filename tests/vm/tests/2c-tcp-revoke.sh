#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/TCP: taking a host's access away ends the controllers it already
# has (issue 11); in-tree leaves them connected and able to do I/O, which
# this test shows when TARGET=intree.
#   A. unlink host B from allowed_hosts: B's controller goes, host A's
#      stays live and reads; B is refused when it comes back;
#   B. clear attr_allow_any_host: every host's controller goes;
#   C. rmdir a host that authenticated with DH-HMAC-CHAP on a subsystem
#      that allows any host: its controller goes (the host reconnects
#      without a key, as any host may there).
# Hosts A and B connect through two ports (4420, 4421) so that nvme-cli
# sees two distinct connections.  The host gives a lost controller up
# after 2 s (--ctrl-loss-tmo), so "goes" is the host removing it.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/dhchap.sh
e2e_begin
tgt_load

N=$NQN_BASE:revoke
truncate -s 64M /tmp/e2e-revoke.img || fail "truncate"
tgt_subsys $N 0
tgt_ns $N 1 /tmp/e2e-revoke.img
tgt_allow $N $HOSTNQN_A
tgt_allow $N $HOSTNQN_B
tgt_port 1 127.0.0.1 4420
tgt_port 2 127.0.0.1 4421
tgt_link 1 $N
tgt_link 2 $N
S=$CFS/subsystems/$N

# conn HOSTNQN HOSTID TRSVCID [options]: connects; prints the controller
conn() {
	h=$1 id=$2 svc=$3
	shift 3
	TRSVCID=$svc host_connect $N -q $h -I $id --ctrl-loss-tmo=2 \
		--reconnect-delay=1 "$@" > /tmp/e2e-conn.out 2>&1 || {
		cat /tmp/e2e-conn.out >&2
		echo "connect $h: refused" >&2
		return 1
	}
	c=$(ctrl_of $N $h) || { echo "connect $h: no controller" >&2; return 1; }
	[ "$(cat /sys/class/nvme/$c/state)" = live ] ||
		{ echo "connect $h: $c not live" >&2; return 1; }
	echo $c
}

# reads CTRL WHAT: CTRL is live and namespace 1 reads through it
reads() {
	expect_file /sys/class/nvme/$1/state live
	D=$(wait_for_dev $N 1) || fail "$2: no namespace"
	dd if=$D of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null ||
		fail "$2: read from $D"
}

# revoked CTRL WHAT: ours: the host loses CTRL within 30 s (the target
# deleted it and refuses, or has no key for, the reconnect); in-tree:
# CTRL is still live after 5 s, and the host disconnects it
revoked() {
	if [ "$TARGET" = intree ]; then
		sleep 5
		expect_file /sys/class/nvme/$1/state live
		echo "in-tree: $2: $1 still live"
		nvme disconnect -d $1 > /dev/null || fail "disconnect $1"
		return 0
	fi
	wait_ctrl_state $1 "gone" 30 > /dev/null ||
		fail "$2: $1 still $(cat /sys/class/nvme/$1/state 2>/dev/null)"
	echo "$2: $1 went"
}

# A. unlink host B
mark=$(kmsg_mark "revoke A")
CA=$(conn $HOSTNQN_A $HOSTID_A 4420) || fail "A: host A"
CB=$(conn $HOSTNQN_B $HOSTID_B 4421) || fail "A: host B"
reads $CA "A: host A"
rm $S/allowed_hosts/$HOSTNQN_B || fail "unlink host B"
revoked $CB "A: host B unlinked"
reads $CA "A: host A after B's unlink"
expect_eq "A: host A's controller" "$CA" "$(ctrl_of $N $HOSTNQN_A)"
conn $HOSTNQN_B $HOSTID_B 4421 > /dev/null 2>&1 &&
	fail "A: host B connected after its unlink"
if [ "$TARGET" != intree ]; then
	dmesg_since "$mark" | grep -q "host $HOSTNQN_B is no longer allowed, deleting its controller" ||
		fail "A: no log line for host B's controller"
fi

# B. clear attr_allow_any_host: no links, any host, then none
rm $S/allowed_hosts/$HOSTNQN_A || fail "unlink host A"
revoked $CA "B: host A unlinked"
write_attr $S/attr_allow_any_host 1
CA=$(conn $HOSTNQN_A $HOSTID_A 4420) || fail "B: host A"
CB=$(conn $HOSTNQN_B $HOSTID_B 4421) || fail "B: host B"
write_attr $S/attr_allow_any_host 0
revoked $CA "B: allow_any_host cleared, host A"
revoked $CB "B: allow_any_host cleared, host B"
conn $HOSTNQN_A $HOSTID_A 4420 > /dev/null 2>&1 &&
	fail "B: host A connected to a subsystem that allows no host"

# C. rmdir of a host that authenticated, on an allow-any-host subsystem
if [ "$TARGET" = intree ] || [ -d /sys/module/nvme_auth ]; then
	write_attr $S/attr_allow_any_host 1
	H=$CFS/hosts/$HOSTNQN_A
	write_attr $H/dhchap_key "$DH_K00"
	CA=$(conn $HOSTNQN_A $HOSTID_A 4420 --dhchap-secret="$DH_K00") ||
		fail "C: host A with its key"
	reads $CA "C: host A"
	mark=$(kmsg_mark "revoke C")
	rmdir $H || fail "rmdir host A"
	if [ "$TARGET" = intree ]; then
		revoked $CA "C: host A removed"
	else
		# the host reconnects, unauthenticated, as any host may here
		for i in $(seq 60); do
			dmesg_since "$mark" |
				grep -qi "nvme $CA: .*\(recovery\|reconnect\)" &&
				break
			sleep 0.5
		done
		dmesg_since "$mark" | grep -q "host $HOSTNQN_A was removed, deleting its controller" ||
			fail "C: no log line for host A's controller"
		st=$(wait_ctrl_state $CA "live|gone" 30) ||
			fail "C: $CA did not come back or go"
		echo "C: host A removed: its controller was deleted; $CA is now $st"
		host_disconnect_all > /dev/null 2>&1
	fi
else
	echo "C: skipped: no nvme-auth in this kernel"
fi

host_disconnect_all > /dev/null 2>&1
tgt_teardown || fail "teardown"
exit 0
