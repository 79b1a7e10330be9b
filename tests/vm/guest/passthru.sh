#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the passthru tests (2z over TCP and loop, 4i over RDMA):
# QEMU's emulated NVMe controller (tests/vm/run.sh gives the check guest
# one, serial nvmetngpt01, with a 64 MiB disk) behind the subsystem $N.
# Sourced after lib.sh and nvme.sh.  host_disconnect_all is no way to drop
# the fabric controller here: it would delete the PCIe controller too.

PAT=/tmp/e2e-pt.pat
OUT=/tmp/e2e-pt.out

# passthru_cleanup SUBSYS...: for E2E_CLEANUP, before tgt_teardown: the
# host off $N, passthru disabled on each SUBSYS, the PCIe driver unloaded
passthru_cleanup() {
	nvme disconnect -n $N > /dev/null 2>&1
	for s in "$@"; do
		echo 0 > $CFS/subsystems/$s/passthru/enable
	done 2>/dev/null
	grep -q '^nvme ' /proc/modules && rmmod nvme
	return 0
}

# passthru_disconnect: the host's controller of $N, and only that, gone
passthru_disconnect() {
	nvme disconnect -n $N > /dev/null 2>&1 || fail "disconnect"
	wait_ctrl_gone $N
}

# passthru_kept WHAT: after WHAT (a reconnect), the fabric namespace of
# $N still holds $PAT at MiB 7 (passthru_both_ways wrote it); disconnect
passthru_kept() {
	D=$(wait_for_dev $N 1) || fail "no namespace after $1"
	dd if=$D of=$OUT bs=1M skip=7 count=1 iflag=direct 2>/dev/null ||
		fail "read after $1"
	cmp -s $PAT $OUT || fail "data differs after $1"
	passthru_disconnect
}

# passthru_pcie: load the PCIe driver; set pci to QEMU's controller, by
# its transport and serial (the fabric controllers of the tests are nvmeN
# too), PNS to its namespace's block device and model to its model.
# Skips without the controller (run.sh adds it in check mode only).
passthru_pcie() {
	modprobe nvme || fail "modprobe nvme"
	pci=
	end=$(( $(date +%s) + 20 ))
	while [ -z "$pci" ]; do
		for c in /sys/class/nvme/nvme*; do
			[ "$(cat $c/transport 2>/dev/null)" = pcie ] || continue
			[ "$(sed 's/ *$//' $c/serial)" = nvmetngpt01 ] &&
				pci=${c##*/}
		done
		[ -n "$pci" ] && break
		[ "$(date +%s)" -lt $end ] ||
			skip "no emulated NVMe controller (run.sh adds one in check mode)"
		sleep 0.2
	done
	PNS=
	while [ -z "$PNS" ]; do
		for b in /sys/class/nvme/$pci/nvme*n1 /sys/class/nvme/$pci/ng*n1; do
			[ -e "$b" ] || continue
			case ${b##*/} in nvme*) PNS=/dev/${b##*/} ;; esac
		done
		[ -n "$PNS" ] && [ -b "$PNS" ] && break
		PNS=
		[ "$(date +%s)" -lt $end ] || fail "no namespace on $pci"
		sleep 0.2
	done
	model=$(id_ctrl_field /dev/$pci mn)
	echo "PCIe controller $pci ($model), namespace $PNS"
}

# passthru_fabric_is_pcie: with the host connected to $N, set F to its
# controller and D to namespace 1; both show the PCIe device's model,
# serial and size, and $N as the subsystem NQN
passthru_fabric_is_pcie() {
	D=$(wait_for_dev $N 1) || fail "no namespace through the fabric"
	F=$(ctrl_of $N)
	fmodel=$(id_ctrl_field /dev/$F mn)
	[ "$fmodel" = "$model" ] || fail "fabric model '$fmodel', not '$model'"
	fsn=$(id_ctrl_field /dev/$F sn)
	[ "$fsn" = nvmetngpt01 ] || fail "fabric serial '$fsn', not nvmetngpt01"
	fnqn=$(id_ctrl_field /dev/$F subnqn)
	[ "$fnqn" = "$N" ] || fail "fabric subsystem NQN '$fnqn', not $N"
	nvme list 2>/dev/null | grep -q "^$D .*nvmetngpt01" ||
		fail "nvme list does not show $D"
	[ "$(ns_bytes $D)" = "$(ns_bytes $PNS)" ] ||
		fail "sizes differ: $D, $PNS"
	echo "$F ($D): model, serial, NQN and size of $pci"
}

# passthru_both_ways: a MiB written through $D reads back from $PNS (MiB
# 3), and one written through $PNS from $D (MiB 7, left in $PAT)
passthru_both_ways() {
	mib_check $D $PNS 3 "fabric to device"
	mib_check $PNS $D 7 "device to fabric"
	echo "data crosses both ways"
}
