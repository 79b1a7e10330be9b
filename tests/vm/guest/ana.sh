#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the ANA failover tests (tests/vm/tests/2g*): one namespace
# reached through two controllers of the host's native NVMe multipath,
# each path disk's own counters telling which path carries the I/O.
# Sourced after lib.sh and nvme.sh.  Times come from /proc/uptime (10 ms
# steps), read without forking in the polling loops.

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
	_ms=$(( $(ana_now_ms) - _t0 ))
	echo "failover: $TARGET: $_what: $_ms ms (to ${_to##*/})"
	ANA_FIGURES="$ANA_FIGURES $_what=$_ms"
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
