#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers for the NVMe/FC tests (tests/vm/tests/5*.sh), sourced
# after lib.sh and nvme.sh.  The host is the in-kernel nvme-fc; nvme-fcloop
# loops it back to the target (ours, or Debian's with TARGET=intree)
# through ports made in /sys/class/fcloop/ctl.
#
# Pair N (1, 2, ...) is: target port 0x100000..N, host local port
# 0x200000..N, and a remote port of the target on that local port.

FCCTL=/sys/class/fcloop/ctl

# fc_wwn KIND N: the WWNN (= WWPN) of pair N; KIND is tgt or host
fc_wwn() {
	case $1 in
	tgt)	printf '0x10000090fa9427%02x' $((0x78 + $2)) ;;
	host)	printf '0x20000090fa9427%02x' $((0x78 + $2)) ;;
	esac
}

# fc_traddr KIND N: nn-0x...:pn-0x... of that port
fc_traddr() {
	w=$(fc_wwn $1 $2)
	echo "nn-$w:pn-$w"
}

fc_ctl() {
	echo "$2" > $FCCTL/$1 || fail "fcloop $1 '$2'"
}

# fc_add_target N / fc_add_host N: the target port / the local port and
# the remote port of target N on it
fc_add_target() {
	w=$(fc_wwn tgt $1)
	fc_ctl add_target_port "wwnn=$w,wwpn=$w"
}
fc_add_host() {
	t=$(fc_wwn tgt $1) h=$(fc_wwn host $1)
	fc_ctl add_local_port "wwnn=$h,wwpn=$h"
	fc_ctl add_remote_port "wwnn=$t,wwpn=$t,lpwwnn=$h,lpwwpn=$h,roles=0x60"
}
fc_add_pair() {
	fc_add_target $1
	fc_add_host $1
}

# fc_del_pair N: target, remote and local port of pair N, each if there
fc_del_pair() {
	t=$(fc_wwn tgt $1) h=$(fc_wwn host $1)
	ok=0
	echo "wwnn=$t,wwpn=$t" > $FCCTL/del_target_port 2>/dev/null
	echo "wwnn=$t,wwpn=$t" > $FCCTL/del_remote_port 2>/dev/null
	echo "wwnn=$h,wwpn=$h" > $FCCTL/del_local_port 2>/dev/null
	return $ok
}

# fc_load: host nvme-fc, the target core, its FC transport and fcloop
fc_load() {
	modprobe nvme-fc || fail "modprobe nvme-fc (host)"
	if [ "$TARGET" = intree ]; then
		intree_load nvmet || fail "insmod in-tree nvmet"
		intree_load nvmet-fc || fail "insmod in-tree nvmet-fc"
		intree_load nvme-fcloop || fail "insmod in-tree nvme-fcloop"
	else
		grep -q '/nvmet-fc\.ko:' /lib/modules/$(uname -r)/modules.dep ||
			fail "our nvmet-fc was not built"
		modprobe nvmet || fail "modprobe nvmet"
		modprobe nvmet-fc || fail "modprobe nvmet-fc"
		modprobe nvme-fcloop || fail "modprobe nvme-fcloop"
	fi
	[ -d $CFS ] || fail "no $CFS after loading the target"
	[ -d $FCCTL ] || fail "no $FCCTL after loading nvme-fcloop"
	echo "target: $TARGET"
}

# fc_unload: every fcloop port, then nvme-fcloop and nvmet-fc
fc_unload() {
	ok=0
	if [ -d $FCCTL ]; then
		for n in 1 2 3; do
			fc_del_pair $n
		done
	fi
	for m in nvme_fcloop nvmet_fc; do
		grep -q "^$m " /proc/modules || continue
		rmmod $m || { echo "cannot rmmod $m"; ok=1; }
	done
	return $ok
}

# fc_port PORTID TRADDR: an FC port of the target
fc_port() {
	p=$CFS/ports/$1
	mkdir $p || fail "mkdir port $1"
	write_attr $p/addr_trtype fc
	write_attr $p/addr_adrfam fc
	write_attr $p/addr_traddr "$2"
}

# fc_connect NQN N [options]: connect through pair N
fc_connect() {
	n=$1 pair=$2
	shift 2
	nvme connect -t fc -a "$(fc_traddr tgt $pair)" \
		-w "$(fc_traddr host $pair)" -n "$n" "$@"
}

# fc_discover N FILE: the discovery log through pair N, as JSON
fc_discover() {
	nvme discover -t fc -a "$(fc_traddr tgt $1)" \
		-w "$(fc_traddr host $1)" -o json > "$2"
}

# fc_begin: clean slate, then host and target modules; e2e_end undoes
# the FC setup before its own teardown.
fc_begin() {
	host_disconnect_all > /dev/null 2>&1
	tgt_teardown > /dev/null 2>&1
	fc_unload > /dev/null 2>&1
	e2e_begin
	E2E_CLEANUP="host_disconnect_all; tgt_teardown; fc_unload"
	fc_load
}

# fc_wait_live CTRL [SECONDS]: the controller is live
fc_wait_live() {
	wait_ctrl_state $1 live ${2:-20} > /dev/null ||
		fail "$1 not live: $(cat /sys/class/nvme/$1/state 2>/dev/null)"
}
