#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the ANA failover tests (2g TCP and TCP, 3c loop, 4c RDMA
# and TCP, 5c two FC ports): one namespace reached through two
# controllers of the host's native NVMe multipath, each path disk's own
# counters telling which path carries the I/O.  Port 1 carries path A
# (controller CA, path disk PA), port 2 path B (CB, PB); ana_failover runs
# the common sequence once a test has connected both.  Sourced after
# lib.sh and nvme.sh.  Times come from /proc/uptime (10 ms steps), read
# without forking in the polling loops.

# ana_state PORTID STATE: ANA group 1's state on the port
ana_state() {
	write_attr $CFS/ports/$1/ana_groups/1/ana_state "$2"
}

# ana_path CTRL: sysfs directory of CTRL's path disk of namespace 1
ana_path() {
	for p in /sys/class/nvme/$1/nvme*c*n*; do
		[ "$(cat $p/nsid 2>/dev/null)" = 1 ] && { echo $p; return 0; }
	done
	return 1
}

# ana_other_ctrl NQN CTRL: the controller of NQN that is not CTRL
ana_other_ctrl() {
	for _c in /sys/class/nvme/nvme*; do
		[ "$(cat $_c/subsysnqn 2>/dev/null)" = "$1" ] &&
			[ ${_c##*/} != $2 ] && { echo ${_c##*/}; return 0; }
	done
	return 1
}

# ana_paths NQN CA CB: D, the multipath head of NQN's namespace 1 (its
# subsystem SUBSYS on the NUMA I/O policy: one path at a time), and the
# path disks PA of CA and PB of CB, once the host sees PA optimized and PB
# non-optimized (port 1 and port 2's states)
ana_paths() {
	CA=$2 CB=$3
	D=$(wait_for_dev $1 1) || fail "no namespace"
	PA=$(ana_path $CA) || fail "no path disk under $CA"
	PB=$(ana_path $CB) || fail "no path disk under $CB"
	SUBSYS=$(ls -d /sys/block/${D#/dev/}/device 2>/dev/null) ||
		fail "no subsystem device for $D"
	expect_file $SUBSYS/iopolicy numa
	_i=0
	until [ "$(cat $PA/ana_state)" = optimized ] &&
	      [ "$(cat $PB/ana_state)" = non-optimized ]; do
		_i=$((_i + 1))
		[ $_i -gt 50 ] && fail "paths: ${PA##*/} $(cat $PA/ana_state), ${PB##*/} $(cat $PB/ana_state)"
		sleep 0.2
	done
	echo "$D: ${PA##*/} over $CA ($(cat /sys/class/nvme/$CA/transport)" \
		"$(cat /sys/class/nvme/$CA/address)) optimized, ${PB##*/} over" \
		"$CB ($(cat /sys/class/nvme/$CB/transport)" \
		"$(cat /sys/class/nvme/$CB/address)) non-optimized"
}

# ana_ios PATH: reads and writes the path disk PATH has completed
ana_ios() {
	read -r _r _m _s _t _w _rest < "$1/stat"
	echo $((_r + _w))
}

# ana_now_ms: uptime in milliseconds
ana_now_ms() {
	read -r _up _idle < /proc/uptime
	_f=${_up#*.}
	_f=${_f#0}
	echo $((${_up%.*} * 1000 + ${_f:-0} * 10))
}

# ana_wait_io PATH COUNT SECONDS: until PATH has completed more than
# COUNT I/Os; returns 1 after SECONDS
ana_wait_io() {
	_end=$(( $(ana_now_ms) + $3 * 1000 ))
	while :; do
		read -r _r _m _s _t _w _rest < "$1/stat"
		[ $((_r + _w)) -gt $2 ] && return 0
		read -r _up _idle < /proc/uptime
		[ "${_up%.*}" -ge $((_end / 1000)) ] && return 1
		sleep 0.01
	done
}

# ana_idle PATH SECONDS: PATH completes no I/O for SECONDS (after half a
# second for the commands already failing over to end)
ana_idle() {
	sleep 0.5
	_a=$(ana_ios $1)
	sleep $2
	_b=$(ana_ios $1)
	[ "$_a" -eq "$_b" ] && return 0
	echo "${1##*/} completed $((_b - _a)) I/Os in $2 s"
	return 1
}

# ana_figure WHAT MS PATH: print and keep (ANA_FIGURES) one failover time
ana_figure() {
	echo "failover: $TARGET: $1: $2 ms (to ${3##*/})"
	ANA_FIGURES="$ANA_FIGURES $1=$2"
}

# ana_switch WHAT TO FROM COMMAND...: with fio running, run COMMAND (the
# change) and time how long until path TO completes I/O; then path FROM
# ("-": no check) stays idle for a second.  Prints "failover: TARGET:
# WHAT: N ms" and adds "WHAT=N" to ANA_FIGURES.
ana_switch() {
	_what=$1 _to=$2 _from=$3
	shift 3
	kill -0 "$FIO" 2>/dev/null || { cat "$FIO_OUT"; fail "fio ended before $_what"; }
	_before=$(ana_ios $_to)
	_t0=$(ana_now_ms)
	"$@"
	if ! ana_wait_io $_to $_before 20; then
		host_io_diag $FIO_DEV
		fail "$_what: no I/O over ${_to##*/} within 20 s"
	fi
	ana_figure $_what $(( $(ana_now_ms) - _t0 )) $_to
	if [ "$_from" != - ]; then
		ana_idle $_from 1 ||
			fail "$_what: the host still uses ${_from##*/}, ANA state $(cat $_from/ana_state)"
	fi
	kill -0 "$FIO" 2>/dev/null || { cat "$FIO_OUT"; fail "fio ended during $_what"; }
}

# ana_no_io_errors MARK: the kernel log since MARK shows no failed I/O
ana_no_io_errors() {
	_errs=$(dmesg_since "$1" | grep -iE 'I/O error|I/O Cmd|critical|Buffer I/O|failing I/O')
	[ -z "$_errs" ] && return 0
	echo "$_errs" | head -n 20 | sed 's/^/  dmesg: /'
	fail "the kernel log shows I/O errors"
}

ana_swap_to_b() {
	ana_state 2 optimized
	ana_state 1 non-optimized
}
ana_swap_to_a() {
	ana_state 1 optimized
	ana_state 2 non-optimized
}

# ana_steps: with fio running through D and I/O on PA, every ANA state
# change, each timed: port 1 goes inaccessible, persistent loss and
# change, each time back to optimized; the two ports swap optimized and
# non-optimized and back; both go inaccessible for two seconds (I/O
# waits, no path: the head queues it) before port 2 becomes optimized,
# then port 1 again.
ana_steps() {
	ana_switch inaccessible $PB $PA ana_state 1 inaccessible
	ana_switch inaccessible-back $PA $PB ana_state 1 optimized
	ana_switch persistent-loss $PB $PA ana_state 1 persistent-loss
	ana_switch persistent-loss-back $PA $PB ana_state 1 optimized
	# Shorter than twice ANATT (the host resets a controller whose
	# group stays in change longer).
	ana_switch change $PB $PA ana_state 1 change
	ana_switch change-back $PA $PB ana_state 1 optimized
	ana_switch non-optimized $PB $PA ana_swap_to_b
	ana_switch non-optimized-back $PA $PB ana_swap_to_a

	ana_state 1 inaccessible
	ana_state 2 inaccessible
	ana_idle $PA 2 || fail "I/O over ${PA##*/} with both paths inaccessible"
	ana_idle $PB 0 || fail "I/O over ${PB##*/} with both paths inaccessible"
	kill -0 $FIO || { cat $FIO_OUT; fail "fio ended with no usable path"; }
	ana_switch no-path-then-b $PB - ana_swap_to_b
	ana_switch no-path-back $PA $PB ana_swap_to_a
}

# ana_port_bounce NQN: port 1 unlinked from NQN (CA reconnects, the I/O
# moves to PB) and linked again (CA live, the I/O back on PA): for the
# fabrics whose host reconnects by itself (TCP, RDMA, FC; connected with
# a short --reconnect-delay)
ana_port_bounce() {
	ana_switch unlink-port-1 $PB $PA rm $CFS/ports/1/subsystems/$1
	_s=$(cat /sys/class/nvme/$CA/state)
	case $_s in
	resetting|connecting) ;;
	*) fail "$CA is '$_s' after the unlink, not reconnecting" ;;
	esac
	ana_switch relink-port-1 $PA $PB tgt_link 1 $1
	expect_file /sys/class/nvme/$CA/state live
}

# ana_failover NQN FABRICS [BOUNCE(ana_port_bounce)]:
# after ana_paths, fio writes and verifies (crc32c) through D while
# ana_steps and BOUNCE NQN run, and a second after them; fio verifies all it
# wrote and the kernel log shows no I/O error (no path error reached the
# user with DNR).  Prints "failover figures: TARGET: FABRICS: WHAT=MS ...
# (ms)".  Then ana_brief_disable.
ana_failover() {
	_mark=$(kmsg_mark "$2: ANA failover")
	# Small blocks at a low depth: each I/O is short, so the first
	# one to complete on the new path comes soon after the host sends
	# it there.
	fio_verify_open /tmp/e2e-fio.out $D 64M --bsrange=4k-16k --iodepth=4
	ana_wait_io $PA $(ana_ios $PA) 20 || fail "no I/O over the optimized path"
	ana_idle $PB 1 || fail "the host uses the non-optimized path"
	ANA_FIGURES=
	ana_steps
	${3:-ana_port_bounce} $1
	sleep 1
	# (not fio_running: a multipath head may keep no in-flight count)
	kill -0 $FIO 2>/dev/null ||
		{ cat /tmp/e2e-fio.out; fail "fio ended before the failover steps"; }
	fio_stop 120
	fio_verified /tmp/e2e-fio.out $D
	ana_no_io_errors "$_mark"
	echo "failover figures: $TARGET: $2:$ANA_FIGURES (ms)"
	ana_brief_disable $1
}

# ana_brief_disable NQN: the namespace disabled and at once enabled again
# under fio: while it is disabled its I/O gets a path error without DNR,
# which the host retries on either path until it is back.  The host's
# own rescan, on the event the disable raises, removes a namespace it
# finds inactive (in-tree or ours alike): if that rescan ran inside the
# window, the head disk is a new one (another diskseq) and this part says
# so and counts nothing.  Else fio verifies all it wrote and no I/O
# failed.
ana_brief_disable() {
	_seq=$(cat /sys/block/${D#/dev/}/diskseq)
	_mark=$(kmsg_mark "brief disable")
	fio_verify_open /tmp/e2e-fio2.out $D 16M --bsrange=4k-16k --iodepth=4
	ana_wait_io $PA $(ana_ios $PA) 20 || fail "no I/O before the brief disable"
	sleep 1
	write_attr $CFS/subsystems/$1/namespaces/1/enable 0
	write_attr $CFS/subsystems/$1/namespaces/1/enable 1
	# fio runs on through the retries and for a while after them
	sleep 3
	fio_stop 60
	if [ "$(cat /sys/block/${D#/dev/}/diskseq 2>/dev/null)" = "$_seq" ]; then
		fio_verified /tmp/e2e-fio2.out $D
		ana_no_io_errors "$_mark"
		echo "brief disable: $TARGET: the host kept $D, no I/O error"
	else
		echo "brief disable: $TARGET: the host's rescan ran while the namespace was disabled and removed $D (fio exit $FIO_RC); not counted"
	fi
}
