#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the loop transport tests (tests/vm/tests/3*.sh).  Sourced
# after lib.sh and nvme.sh.

# loop_load: our target core and nvme-loop (host transport + fabric);
# Debian's nvmet and nvme-loop with TARGET=intree
loop_load() {
	if [ "$TARGET" = intree ]; then
		intree_load nvmet || fail "insmod in-tree nvmet"
		intree_load nvme-loop || fail "insmod in-tree nvme-loop"
		[ -c /dev/nvme-fabrics ] || fail "no /dev/nvme-fabrics"
		echo "target: intree (loop)"
		return 0
	fi
	grep -q '/nvme-loop\.ko:' /lib/modules/$(uname -r)/modules.dep ||
		fail "our nvme-loop was not built (make leaves it out when NVME_HOST_SRC has no nvme.h)"
	modprobe nvmet || fail "modprobe nvmet"
	modprobe nvme-loop || fail "modprobe nvme-loop"
	[ -c /dev/nvme-fabrics ] || fail "no /dev/nvme-fabrics"
}

# loop_port PORTID [TRADDR]: a loop port, not yet enabled
loop_port() {
	mkdir $CFS/ports/$1 || fail "mkdir port $1"
	write_attr $CFS/ports/$1/addr_trtype loop
	[ -n "${2:-}" ] && write_attr $CFS/ports/$1/addr_traddr "$2"
	return 0
}

# loop_connect TRADDR|- [options]: connect to $N (with -a TRADDR unless
# "-"), print the new controller
loop_connect() {
	_a=$1
	shift
	_before=$(ls /sys/class/nvme)
	if [ "$_a" = - ]; then
		nvme connect -t loop -n $N "$@" > /dev/null
	else
		nvme connect -t loop -n $N -a "$_a" "$@" > /dev/null
	fi || { echo "nvme connect -a $_a failed" >&2; return 1; }
	for _c in $(ls /sys/class/nvme); do
		echo "$_before" | grep -qx "$_c" || { echo $_c; return 0; }
	done
	echo "no new controller after connect -a $_a" >&2
	return 1
}

# loop_cleanup: hosts, configuration, then nvme-loop, so that e2e_end's
# tgt_unload can unload nvmet
loop_cleanup() {
	host_disconnect_all
	tgt_teardown
	grep -q '^nvme_loop ' /proc/modules && rmmod nvme_loop
}
