#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fault steps for the fault runs (tests/vm/tests/7*-faults.sh), the same
# on every fabric.  Sourced after lib.sh, nvme.sh and the fabric's
# helpers.  Each step breaks one thing while the Linux host runs fio with
# verify on namespace 1, and checks what the host and the target show;
# fio must end with every block verified.
#
# The test sets, before the steps:
#   F_NQN    the subsystem (namespace 1: fio's; the steps add and remove
#            namespaces 2 and 3 themselves)
#   F_PORT   the port it is linked to
#   F_MOD    the target transport module (nvmet_tcp, nvme_loop, ...)
#   F_CTRL   the host controller, F_D1 namespace 1's block device
#   F_KATO   the keep-alive timeout the host connected with (host loss)
# and defines fault_connect (connects the host, sets F_CTRL and F_D1), and
# fault_link_down / fault_link_up (host loss) when its fabric has a link
# to lose, else sets F_NO_LINK to the reason.

FIO_STOP=/tmp/e2e-fault-fio.stop
FIO_LOG=/tmp/e2e-fault-fio.out
FAULT_DM=e2e-fault-err
OBJ=/sys/kernel/debug/nvmet-ng/objects
export DM_DISABLE_UDEV=1

# fault_fio_begin STEP: fio verify on namespace 1 for as long as the step
# takes (fault_fio_end stops it through a trigger file, which ends it as
# its runtime would), running with I/O in flight before the fault
fault_fio_begin() {
	rm -f $FIO_STOP
	fio_verify_start $FIO_LOG $F_D1 64M 900 --trigger-file=$FIO_STOP
	sleep 1
	fio_running "$1"
}

# fault_fio_end STEP: fio is still running with I/O in flight after the
# fault, then ends; every block it wrote was read back and verified
fault_fio_end() {
	fio_running "the end of $1"
	touch $FIO_STOP
	fio_wait 120
	rm -f $FIO_STOP
	fio_verified $FIO_LOG $F_D1
	echo "$1: fio verify clean"
}

# tgt_ctrls: the target's live controllers (ours: debugfs; in-tree: none
# to read, prints "-")
tgt_ctrls() {
	[ "$TARGET" = intree ] && { echo -; return; }
	[ -f $OBJ ] || fail "no $OBJ"
	sed -n 's/^controllers *//p' $OBJ
}

# nvme_status OUT: the status value nvme-cli printed ("NVMe status:
# ...(0x4006)" -> 0x4006), or nothing
nvme_status() {
	sed -n 's/.*NVMe status: .*(\(0x[0-9a-fA-F]*\)).*/\1/p' "$1" | head -n 1
}

# lba_shift DEV: log2 of the namespace's LBA size (Identify Namespace)
lba_shift() {
	nvme id-ns $1 | sed -n 's/^lbaf .*lbads:\([0-9]*\).*in use.*/\1/p'
}

# fault_ns_add NSID BACKEND: a namespace added under the connected host,
# which sees it (the Namespace Attribute Changed event); prints its device
fault_ns_add() {
	tgt_ns $F_NQN $1 "$2" > /dev/null
	wait_for_dev $F_NQN $1 60
}

# --------------------------------------------------------- port bounce --

# fault_port_bounce: the subsystem's link is removed from the port and
# restored; the host (connected with a long ctrl-loss-tmo and
# reconnect-delay 1) reconnects, fio carries on and verifies.  With
# F_RECONNECT=0 (loop: nvme-loop, like in-tree, deletes the host
# controller with the target's and has no reconnect) the unlink deletes
# the controller and its device, cutting fio off with an I/O error; after
# the relink fault_connect connects anew, and fio verifies on the new
# device.
fault_port_bounce() {
	echo "== port unlink and relink"
	fault_fio_begin "the unlink"
	if [ "${F_RECONNECT:-1}" = 1 ]; then
		port_bounce $F_PORT $F_NQN $F_CTRL 90
		fault_fio_end "port unlink and relink"
		return
	fi
	rm $CFS/ports/$F_PORT/subsystems/$F_NQN ||
		fail "unlink the subsystem from the port"
	wait_ctrl_gone $F_NQN 30
	wait_dev_gone $F_NQN 1 30
	echo "after unlink: $F_CTRL and $F_D1 gone"
	fio_wait 120
	fio_cut_off $FIO_LOG
	tgt_link $F_PORT $F_NQN
	fault_connect
	echo "after relink: connected again, $F_CTRL, $F_D1"
	fault_fio_begin "the check after the reconnect"
	fault_fio_end "port unlink and relink"
}

# ----------------------------------------------------- namespace cycle --

# fault_ns_cycle BACKEND: namespace 2 (on BACKEND, data written first)
# is disabled while fio runs on namespace 1: host I/O to it fails with an
# NVMe status or finds the device gone, whichever comes first (the host
# removes the namespace on the target's Namespace Attribute Changed event
# and sends no I/O command for an NSID it has no namespace of); enabled
# again, the host sees it again and the data reads back; rmdir'd, the
# host's device goes away.  Namespace 1's fio is clean throughout.
fault_ns_cycle() {
	local d2 out st lbads
	echo "== namespace disable, enable and rmdir"
	d2=$(fault_ns_add 2 "$1") || fail "the host did not see namespace 2"
	data_prep
	placed $d2 "$1" 3
	lbads=$(lba_shift $d2)
	fault_fio_begin "the namespace disable"
	write_attr $CFS/subsystems/$F_NQN/namespaces/2/enable 0
	out=/tmp/e2e-fault-nsread.out
	if nvme read $d2 --start-block=0 --block-count=0 \
		--data-size=$((1 << lbads)) --data=/tmp/e2e-fault-blk \
		> $out 2>&1; then
		fail "a read of disabled namespace 2 ($d2) succeeded"
	fi
	st=$(nvme_status $out)
	if [ -n "$st" ]; then
		echo "read of disabled namespace 2: NVMe status $st"
		# Invalid Namespace or Format, or the path error the
		# multipath head reports while no path has the namespace
		case $(( st & 0x7ff )) in
		$((0x00b)) | $((0x302)) | $((0x370)) | $((0x371))) ;;
		*) fail "read of disabled namespace 2: status $st: $(cat $out)" ;;
		esac
	else
		echo "read of disabled namespace 2: $(head -n 1 $out)"
	fi
	wait_dev_gone $F_NQN 2 60
	echo "disabled namespace 2: gone from the host"
	fio_running "the namespace enable"
	write_attr $CFS/subsystems/$F_NQN/namespaces/2/enable 1
	d2=$(wait_for_dev $F_NQN 2 60) || fail "namespace 2 not back"
	expect_eq "namespace 2 at 3 MiB after disable and enable" \
		"$RAND_SUM" "$(sum_at $d2 3)"
	echo "re-enabled namespace 2: back as $d2, data intact"
	fio_running "the namespace rmdir"
	rmdir $CFS/subsystems/$F_NQN/namespaces/2 ||
		fail "rmdir enabled namespace 2"
	wait_dev_gone $F_NQN 2 60
	echo "rmdir'd namespace 2: gone from the host"
	fault_fio_end "namespace disable, enable and rmdir"
}

# ------------------------------------------------------ backend errors --

# fault_dm_errors BLOCKDEV: namespace 3 on a device-mapper device over
# BLOCKDEV whose MiB 4 to 8 is an "error" target.  With fio on namespace
# 1: a read and a write of the bad range get the NVMe status Internal
# Error with DNR (0x4006: both ours and in-tree map the block layer's
# I/O error so; in-tree adds the More bit, 0x6006), nothing else: the controller stays live with the same
# controller ID, the host does not reset or reconnect, and data written
# to the good ranges on both sides reads back.
fault_dm_errors() {
	local d3 mark cntlid sectors lbads st op
	echo "== a backend returning I/O errors (dm error target)"
	command -v dmsetup > /dev/null || fail "no dmsetup in the VM image"
	modprobe dm-mod 2>/dev/null
	sectors=$(blockdev --getsz $1) || fail "size of $1"
	[ $sectors -gt 32768 ] || fail "$1 is too small ($sectors sectors)"
	printf '0 8192 linear %s 0\n8192 8192 error\n16384 %d linear %s 16384\n' \
		$1 $((sectors - 16384)) $1 |
		dmsetup create --noudevsync $FAULT_DM || fail "dmsetup create"
	dmsetup mknodes $FAULT_DM 2> /dev/null
	[ -b /dev/mapper/$FAULT_DM ] || fail "no /dev/mapper/$FAULT_DM"
	d3=$(fault_ns_add 3 /dev/mapper/$FAULT_DM) ||
		fail "the host did not see namespace 3"
	data_prep
	placed $d3 /dev/mapper/$FAULT_DM 1
	placed $d3 /dev/mapper/$FAULT_DM 9
	cntlid=$(cat /sys/class/nvme/$F_CTRL/cntlid)
	lbads=$(lba_shift $d3)
	fault_fio_begin "the bad range's I/O"
	mark=$(kmsg_mark "faults: dm error")
	for op in read write; do
		nvme $op $d3 --start-block=$(( (5 << 20) >> lbads )) \
			--block-count=$(( (4096 >> lbads) - 1 )) \
			--data-size=4096 --data=/tmp/e2e-rand \
			> /tmp/e2e-fault-$op.out 2>&1 &&
			fail "nvme $op of the bad range succeeded"
		st=$(nvme_status /tmp/e2e-fault-$op.out)
		echo "nvme $op of the bad range: status ${st:-none}"
		# DNR, Internal Error; the More bit (0x2000: an Error
		# Information log entry) in-tree sets, ours not
		[ -n "$st" ] && [ $(( st & ~0x2000 )) -eq $((0x4006)) ] ||
			fail "NVMe status of a $op of the bad range: ${st:-none}, not 0x4006: $(cat /tmp/e2e-fault-$op.out)"
	done
	for op in 1 9; do
		expect_eq "$d3 at $op MiB after the errors" "$RAND_SUM" \
			"$(sum_at $d3 $op)"
	done
	expect_file /sys/class/nvme/$F_CTRL/state live
	expect_file /sys/class/nvme/$F_CTRL/cntlid $cntlid
	dmesg_since "$mark" | grep -E "$F_CTRL: .*([Rr]eset|[Rr]econnect|error recovery|timeout)" &&
		fail "the host reset or reconnected after the I/O errors"
	echo "controller $F_CTRL: live, cntlid $cntlid, no reset or reconnect"
	rmdir $CFS/subsystems/$F_NQN/namespaces/3 || fail "rmdir namespace 3"
	wait_dev_gone $F_NQN 3 60
	fault_fio_end "backend I/O errors"
	fault_dm_remove || fail "dmsetup remove $FAULT_DM"
}

# fault_dm_remove: the error device, once the target has let go of it
fault_dm_remove() {
	local i=0
	[ -b /dev/mapper/$FAULT_DM ] || return 0
	until dmsetup remove $FAULT_DM 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.2
	done
}

# -------------------------------------------------------- module unload --

# fault_rmmod_refused: rmmod of the target transport fails while the host
# is connected; the module stays, the controller stays live with the same
# controller ID, and fio carries on clean
fault_rmmod_refused() {
	local cntlid
	echo "== rmmod $F_MOD while in use"
	cntlid=$(cat /sys/class/nvme/$F_CTRL/cntlid)
	fault_fio_begin "rmmod $F_MOD"
	rmmod $F_MOD > /tmp/e2e-fault-rmmod.out 2>&1 &&
		fail "rmmod $F_MOD succeeded with a host connected"
	echo "rmmod $F_MOD: $(cat /tmp/e2e-fault-rmmod.out)"
	grep -q "^$F_MOD " /proc/modules || fail "$F_MOD is gone"
	sleep 2
	expect_file /sys/class/nvme/$F_CTRL/state live
	expect_file /sys/class/nvme/$F_CTRL/cntlid $cntlid
	fault_fio_end "rmmod $F_MOD"
}

# ------------------------------------------------------------ host loss --

# fault_host_loss: the host's link goes down (fault_link_down) and stays
# down until the target has expired the controller: its live count drops
# by one (ours) and, where KATO is what ends it, the keep-alive expiry is
# in the kernel log; the host does not get back while the link is down;
# once the link is up (fault_link_up) the host reconnects and fio
# finishes with verify clean.  F_LOSS_BY=kato requires the keep-alive
# expiry line (the target can only learn of a silent loss through it).
fault_host_loss() {
	local mark n0 n t0 s line
	if [ -n "${F_NO_LINK:-}" ]; then
		echo "== host loss: not run: $F_NO_LINK"
		return 0
	fi
	echo "== host loss (link down; KATO $F_KATO s)"
	fault_fio_begin "the link loss"
	n0=$(tgt_ctrls)
	mark=$(kmsg_mark "faults: link down")
	t0=$(date +%s)
	fault_link_down
	# Ours: the live count drops; in-tree: its keep-alive line.
	while :; do
		line=$(dmesg_since "$mark" | grep -m1 -E 'keep-alive tim')
		n=$(tgt_ctrls)
		if [ "$n" = - ]; then
			[ -n "$line" ] && break
		elif [ "$n" -lt "$n0" ]; then
			break
		fi
		[ $(( $(date +%s) - t0 )) -gt $((3 * F_KATO + 60)) ] &&
			fail "the target kept the lost host's controller for $((3 * F_KATO + 60)) s"
		sleep 0.2
	done
	echo "target ended the controller after $(( $(date +%s) - t0 )) s (controllers $n0 -> $n)"
	[ -z "$line" ] && line=$(dmesg_since "$mark" | grep -m1 -E 'keep-alive tim')
	if [ -n "$line" ]; then
		echo "target log: ${line#*] }"
	elif [ "${F_LOSS_BY:-}" = kato ]; then
		fail "no keep-alive expiry in the kernel log"
	else
		echo "target log: no keep-alive expiry (the fabric told the target first); its nvmet lines:"
		dmesg_since "$mark" | grep -E 'nvmet' | head -n 5 | sed 's/^/  /'
	fi
	s=$(wait_ctrl_state $F_CTRL "resetting|connecting" 60) ||
		fail "the host did not notice the lost link"
	sleep 3
	s=$(cat /sys/class/nvme/$F_CTRL/state 2>/dev/null || echo gone)
	case $s in
	resetting|connecting) ;;
	*) fail "host controller $F_CTRL is '$s' with the link down" ;;
	esac
	n=$(tgt_ctrls)
	[ "$n" = - ] || [ "$n" -lt "$n0" ] ||
		fail "the host got a controller back with the link down ($n)"
	echo "link down $(( $(date +%s) - t0 )) s: host $s, target controllers $n"
	fault_link_up
	if ! s=$(wait_ctrl_state $F_CTRL live 90); then
		# what waits where, on the console (not a pass either way)
		echo w > /proc/sysrq-trigger 2>/dev/null
		fail "the host did not reconnect after the link came up"
	fi
	echo "link up: $F_CTRL is $s again ($(cat /sys/class/nvme/$F_CTRL/address))"
	n=$(tgt_ctrls)
	expect_eq "target controllers after the reconnect" "$n0" "$n"
	fault_fio_end "host loss"
}

# ------------------------------------------------------------ the runs --

F_IMG1=/tmp/e2e-faults1.img
F_IMG2=/tmp/e2e-faults2.img
F_CLEANUP='touch $FIO_STOP; [ -n "$FIO" ] && kill $FIO 2>/dev/null; wait'

# fault_images: the backing files of namespace 1 (F_IMG1, fio's) and 2
fault_images() {
	truncate -s 256M $F_IMG1 || fail "truncate $F_IMG1"
	truncate -s 64M $F_IMG2 || fail "truncate $F_IMG2"
}

# fault_found: after a connect, F_CTRL and F_D1 are the new controller
# and its namespace 1
fault_found() {
	F_CTRL=$(ctrl_of $F_NQN) || fail "no controller of $F_NQN"
	F_D1=$(wait_for_dev $F_NQN 1) || fail "no namespace 1 of $F_NQN"
}

# fault_run_all BLOCKDEV: every step, namespace 2 on F_IMG2 and the error
# device over BLOCKDEV, then the teardown
fault_run_all() {
	fault_host_loss
	fault_port_bounce
	fault_ns_cycle $F_IMG2
	fault_dm_errors $1
	fault_rmmod_refused
	fault_teardown
}

# ------------------------------------------------------------- teardown --

# fault_teardown: disconnect, remove the configuration, every live-object
# count back to 0
fault_teardown() {
	host_disconnect_all || fail "disconnect"
	tgt_teardown || fail "teardown"
	fault_dm_remove || fail "dmsetup remove $FAULT_DM"
	expect_no_objects
}
