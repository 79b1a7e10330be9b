#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe reservations seen from the Linux host and nvme-cli, on any fabric
# (tests/vm/tests/2j, 3b, 4b, 5b).  Sourced after lib.sh, nvme.sh and the
# fabric's helpers; the test makes ports 1 to 4 of its fabric and defines
# resv_connect I NQN [nvme-connect options...], which connects through
# port I.
#
# One subsystem ($RESV_N, allow any host) with one namespace on a
# memory-backed null_blk (a file on tmpfs has no Write Zeroes: tmpfs
# cannot fallocate a zeroed range) whose resv_enable is 1 (a target without the attribute skips the test), and
# three host identities: A and B register, C never does.  Each host has
# its own controller and block device: the Linux host puts the
# controllers of one subsystem under one multipath head, so nvme_core is
# reloaded with multipath=N for the test (resv_multipath; it works the
# same on 6.1, 6.12 and 7.3) and back to Y at its end.  nvme-cli 2.3 takes
# a second controller of one subsystem on one port for a duplicate
# whatever its host NQN, and says "already connected" even with -D: each
# controller comes through a port of its own (A 1, B 2, C 3, A's second
# controller 4).
#
# Every check sends one command from one host's block device and compares
# its NVMe status (status code type and code, without DNR and More;
# nvme-cli prints it as "NVMe status: TEXT(0xNNNN)") with what the NVMe
# Base specification requires, reads data back, or reads the Reservation
# Report (extended data structure) or the Reservation Notification log.

RESV_N=$NQN_BASE:resv
HOSTID_C=5d6e7f80-9aab-4bcd-8ef0-123456789abc
HOSTNQN_C=nqn.2014-08.org.nvmexpress:uuid:$HOSTID_C
# Status codes (NVMe Base: Generic Command Status, SCT 0)
SC_OK=0x0
SC_INVALID_FIELD=0x2
SC_HOSTID_FORMAT=0x18	# Host Identifier Inconsistent Format
SC_CONFLICT=0x83	# Reservation Conflict
# Keys of A, B (C never registers)
KEY_A=0xa1
KEY_B=0xb2

# ------------------------------------------------------------ the host --

# resv_multipath Y|N: reload the host's nvme_core with that multipath
# setting (its parameter is read-only), with the host modules that use it
# unloaded first and loaded again after it.
RESV_HOST_MODS="nvme_loop nvme_fcloop nvme_tcp nvme_rdma nvme_fc nvme_fabrics nvme_core"
resv_multipath() {
	[ "$(cat /sys/module/nvme_core/parameters/multipath 2>/dev/null)" = "$1" ] &&
		return 0
	_was=
	for _m in $RESV_HOST_MODS; do
		grep -q "^$_m " /proc/modules || continue
		# a controller just deleted may hold its module a moment
		_i=0
		until rmmod $_m 2>/dev/null; do
			_i=$((_i + 1))
			[ $_i -gt 50 ] &&
				{ echo "resv: cannot unload $_m: $(grep "^$_m " /proc/modules)"; return 1; }
			sleep 0.2
		done
		_was="$_m $_was"
	done
	modprobe nvme-core multipath=$1 ||
		{ echo "resv: modprobe nvme-core multipath=$1"; return 1; }
	for _m in $_was; do
		[ $_m = nvme_core ] && continue
		modprobe $(echo $_m | tr _ -) ||
			{ echo "resv: modprobe $_m"; return 1; }
	done
	[ "$(cat /sys/module/nvme_core/parameters/multipath)" = "$1" ] ||
		{ echo "resv: nvme_core multipath is not $1"; return 1; }
}

# resv_single_path: every controller its own block device for the test;
# the test's cleanup ($E2E_CLEANUP, set before) gives multipath back
resv_single_path() {
	resv_multipath N || fail "cannot reload nvme_core with multipath=N"
	E2E_CLEANUP="${E2E_CLEANUP:-host_disconnect_all}; resv_restore"
	echo "host: nvme_core multipath=N"
}
# (7.3's in-tree nvmet uses nvme_core: the target goes first; e2e_end's
# teardown then finds nothing left)
resv_restore() {
	host_disconnect_all
	tgt_teardown
	for _m in nvme_loop nvme_fcloop nvmet_fc nvmet_rdma nvmet_tcp nvmet_null nvmet; do
		grep -q "^$_m " /proc/modules || continue
		rmmod $_m || resv_restore_failed "cannot unload $_m"
	done
	resv_multipath Y || resv_restore_failed "nvme_core multipath not restored"
}
# resv_restore_failed WHY: say so and fail the test (rc is e2e_end's exit
# status, which runs E2E_CLEANUP)
resv_restore_failed() {
	echo "FAIL: $1"
	[ "${rc:-0}" -ne 0 ] || rc=1
}

# ---------------------------------------------------------- the target --

# resv_target PORTID...: the subsystem and its reservation-enabled
# namespace, linked to the (already made) ports.  Skips when the namespace
# has no resv_enable.
resv_target() {
	tgt_subsys $RESV_N 1
	_ns=$CFS/subsystems/$RESV_N/namespaces/1
	mkdir $_ns || fail "mkdir namespace 1"
	[ -e $_ns/resv_enable ] || skip "the target has no resv_enable"
	expect_file $_ns/resv_enable 0
	null_blk_load
	write_attr $_ns/device_path /dev/nullb0
	rt $_ns/resv_enable 1
	write_attr $_ns/enable 1
	expect_file $_ns/enable 1
	# resv_enable cannot change under an enabled namespace
	echo 0 > $_ns/resv_enable 2>/dev/null &&
		fail "resv_enable took 0 while the namespace is enabled"
	expect_file $_ns/resv_enable 1
	for _p in "$@"; do
		tgt_link $_p $RESV_N
	done
}

# ------------------------------------------------------ host identities --

# resv_ctrl_new BEFORE: the controller of $RESV_N not in the list BEFORE
resv_ctrl_new() {
	for _c in /sys/class/nvme/nvme*; do
		[ "$(cat $_c/subsysnqn 2>/dev/null)" = "$RESV_N" ] || continue
		case " $1 " in *" ${_c##*/} "*) continue ;; esac
		echo ${_c##*/}
		return 0
	done
	return 1
}
resv_ctrls() {
	for _c in /sys/class/nvme/nvme*; do
		[ "$(cat $_c/subsysnqn 2>/dev/null)" = "$RESV_N" ] && echo ${_c##*/}
	done | tr '\n' ' '
}

# resv_dev_of CTRL: the block device of namespace 1 on CTRL (20 s)
resv_dev_of() {
	_end=$(( $(date +%s) + 20 ))
	while :; do
		for _b in /sys/class/nvme/$1/nvme*n1; do
			[ -e "$_b/dev" ] && [ -b /dev/${_b##*/} ] &&
				{ echo /dev/${_b##*/}; return 0; }
		done
		[ "$(date +%s)" -ge $_end ] && return 1
		sleep 0.2
	done
}

# resv_host NAME HOSTNQN HOSTID PORT: connect a controller as that host
# through port PORT; sets CTRL_NAME and DEV_NAME (NAME: A, B, C, A2)
resv_host() {
	_before=$(resv_ctrls)
	resv_connect $4 $RESV_N -q $2 -I $3 > /dev/null ||
		fail "connect host $1"
	_c=$(resv_ctrl_new "$_before") || fail "no new controller for host $1"
	expect_file /sys/class/nvme/$_c/hostnqn $2
	_d=$(resv_dev_of $_c) || fail "no block device on $_c (host $1)"
	eval "CTRL_$1=$_c DEV_$1=$_d"
	if [ -n "${LBAS:-}" ]; then
		head -c $LBAS /dev/urandom > /tmp/e2e-resv.$1
		eval "SUM_$1=$(sum_of /tmp/e2e-resv.$1)"
	fi
	echo "host $1: $_c, $_d"
}

# resv_hosts: A, B and C connected; LBAS the LBA size, and one block of
# each host's own data in /tmp/e2e-resv.A, .B, .C
resv_hosts() {
	resv_host A $HOSTNQN_A $HOSTID_A 1
	resv_host B $HOSTNQN_B $HOSTID_B 2
	resv_host C $HOSTNQN_C $HOSTID_C 3
	_lbads=$(nvme id-ns $DEV_A | sed -n 's/^lbaf .*lbads:\([0-9]*\).*in use.*/\1/p')
	[ -n "$_lbads" ] || fail "no LBA format in use on $DEV_A"
	LBAS=$((1 << _lbads))
	for _h in A B C; do
		head -c $LBAS /dev/urandom > /tmp/e2e-resv.$_h
		eval "SUM_$_h=$(sum_of /tmp/e2e-resv.$_h)"
	done
	SUM_zero=$(head -c $LBAS /dev/zero | sha256sum | cut -d' ' -f1)
	# one Dataset Management range: attributes 0, 1 block, LBA 1
	printf '\000\000\000\000\001\000\000\000\001\000\000\000\000\000\000\000' \
		> /tmp/e2e-resv.dsm
	_rescap=$(id_ns_field $DEV_A rescap)
	echo "LBA size $LBAS, rescap $_rescap"
	# all six types and IEKEY's 1.3 meaning (bit 7); bit 0 (Persist
	# Through Power Loss) is up to the target
	[ $(( _rescap & 0xfe )) -eq $((0xfe)) ] ||
		fail "Identify Namespace RESCAP is $_rescap, lacking some of 0xfe (six types, IEKEY)"
	_oncs=$(id_ctrl_field $DEV_A oncs)
	[ $(( _oncs & 0x20 )) -ne 0 ] ||
		fail "Identify Controller ONCS $_oncs has no Reservations bit (5)"
}

# dev HOST: the block device of host A, B, C, A2...
dev() { eval echo \$DEV_$1; }
ctrl() { eval echo \$CTRL_$1; }

# ------------------------------------------------------------ commands --

# st CMD...: run the nvme-cli command; print its NVMe status (SCT and SC)
# in hex, 0x0 on success, or "error N: message" when it failed otherwise
st() {
	_out=$("$@" 2>&1 > /tmp/e2e-resv.stdout)
	_rc=$?
	_s=$(echo "$_out" | sed -n 's/^NVMe status: .*(\(0x[0-9a-fA-F]*\))$/\1/p' |
	     tail -n 1)
	if [ -n "$_s" ]; then
		printf '0x%x\n' $(( _s & 0x7ff ))
	elif [ $_rc -eq 0 ]; then
		echo 0x0
	else
		echo "error $_rc: $_out" | tr '\n' ' '
		echo
	fi
}

# want WHAT STATUS CMD...: the command completes with STATUS
want() {
	_what=$1 _want=$2
	shift 2
	_got=$(st "$@")
	[ "$_got" = "$_want" ] || fail "$_what: '$*': expected status $_want, got $_got"
}

# Reservation commands from HOST (nvme-cli's names for the fields)
reg() {	# reg HOST RREGA CRKEY NRKEY [-i]
	_h=$1 _a=$2 _c=$3 _k=$4
	shift 4
	st nvme resv-register $(dev $_h) -n 1 -r $_a -c $_c -k $_k "$@"
}
acq() {	# acq HOST RACQA CRKEY PRKEY RTYPE
	st nvme resv-acquire $(dev $1) -n 1 -a $2 -c $3 -p $4 -t $5
}
rel() {	# rel HOST RRELA CRKEY RTYPE
	st nvme resv-release $(dev $1) -n 1 -a $2 -c $3 -t $4
}
# expect_st WHAT STATUS FUNC ARGS...: FUNC (reg, acq, rel, io...) gives STATUS
expect_st() {
	_what=$1 _want=$2
	shift 2
	_got=$("$@")
	[ "$_got" = "$_want" ] ||
		fail "$_what ($*): expected status $_want, got $_got"
}

# expect_spec WHAT STATUS FUNC ARGS...: expect_st, where Debian's in-tree
# target is known to answer otherwise than the specification: against
# in-tree (TARGET=intree) a different status is reported as
# "in-tree differs from the spec: ..." and the test goes on; against ours
# it fails.
expect_spec() {
	_what=$1 _want=$2
	shift 2
	_got=$("$@")
	[ "$_got" = "$_want" ] && return 0
	[ "$TARGET" = intree ] ||
		fail "$_what ($*): expected status $_want, got $_got"
	echo "in-tree differs from the spec: $_what ($*): status $_got, the spec says $_want"
}

# resv_step FUNC [ARGS...]: run one check and say how long it took
resv_step() {
	read -r _t0 _rest < /proc/uptime
	"$@"
	read -r _t1 _rest < /proc/uptime
	echo "$1: $(awk -v a=$_t0 -v b=$_t1 'BEGIN { printf "%d", b - a }') s"
}

# io HOST OP LBA: one block of I/O through HOST's controller: read,
# write (HOST's own data), flush, wz (Write Zeroes), dsm (Dataset
# Management, deallocate, of LBA 1: the range in /tmp/e2e-resv.dsm)
io() {
	eval "_d=\$DEV_$1"
	case $2 in
	read)	st nvme io-passthru $_d -o 0x02 -n 1 -l $LBAS -r -b \
			--cdw10=$3 --cdw12=0 ;;
	write)	st nvme io-passthru $_d -o 0x01 -n 1 -l $LBAS -w \
			-i /tmp/e2e-resv.$1 --cdw10=$3 --cdw12=0 ;;
	flush)	st nvme io-passthru $_d -o 0x00 -n 1 ;;
	wz)	st nvme io-passthru $_d -o 0x08 -n 1 --cdw10=$3 --cdw12=0 ;;
	dsm)	st nvme io-passthru $_d -o 0x09 -n 1 -l 16 -w \
			-i /tmp/e2e-resv.dsm --cdw10=0 --cdw11=4 ;;
	esac
}

# block HOST LBA: SHA-256 of the block at LBA, read through HOST's block
# device (O_DIRECT)
block() {
	dd if=$(dev $1) bs=$LBAS skip=$2 count=1 iflag=direct 2>/dev/null |
		sha256sum | cut -d' ' -f1
}
sum_of() { sha256sum < $1 | cut -d' ' -f1; }

# ------------------------------------------------------------- reports --

# hexat FILE OFFSET LEN: LEN bytes at OFFSET as hex, in file order
hexat() { od -An -v -tx1 -j $2 -N $3 $1 | tr -d ' \n'; }
# lenum FILE OFFSET LEN: little-endian unsigned number (LEN <= 7)
lenum() {
	set -- $(od -An -v -tu1 -j $2 -N $3 $1)
	_v=0 _m=1
	for _b; do
		_v=$((_v + _b * _m)) _m=$((_m * 256))
	done
	echo $_v
}

# report HOST: Reservation Report with the extended data structure
# through HOST into /tmp/e2e-resv.rep; sets GEN, RTYPE, REGCTL, and
# REGS: one "HOSTID:KEY:RCSTS" per registrant (host ID and key in hex),
# sorted, space-separated.  Each registrant's controller ID must be FFFFh
# (a dynamic controller, as every fabrics controller is) or the ID of a
# controller of the host (checked here).
report() {
	_got=$(st nvme resv-report $(dev $1) -n 1 -e -b)
	[ "$_got" = 0x0 ] || fail "resv-report --eds through $1: status $_got"
	cp /tmp/e2e-resv.stdout /tmp/e2e-resv.rep
	_r=/tmp/e2e-resv.rep
	[ $(stat -c %s $_r) -ge 64 ] || fail "resv-report: $(stat -c %s $_r) bytes"
	GEN=$(lenum $_r 0 4)
	RTYPE=$(lenum $_r 4 1)
	REGCTL=$(lenum $_r 5 2)
	REGS=
	_i=0
	while [ $_i -lt $REGCTL ] && [ $((128 + _i * 64)) -le $(stat -c %s $_r) ]; do
		_o=$((64 + _i * 64))
		REGS="$REGS $(hexat $_r $((_o + 16)) 16):$(printf %x $(lenum $_r $((_o + 8)) 7)):$(lenum $_r $((_o + 2)) 1)"
		_id=$(lenum $_r $_o 2)
		if [ $_id != 65535 ]; then
			grep -qx $_id /sys/class/nvme/nvme*/cntlid ||
				fail "resv-report: registrant $_i has controller ID $_id, neither FFFFh nor one of the host's"
		fi
		_i=$((_i + 1))
	done
	REGS=$(echo $REGS | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
}

# hid HOSTID: the host ID as the report carries it (16 bytes in hex)
hid() { echo $1 | tr -d -; }

# reg_entry HOSTID KEY HOLDS: the REGS entry of that registrant
reg_entry() { printf '%s:%x:%s' $(hid $1) $(($2)) $3; }

# expect_resv WHAT RTYPE "ENTRY..." [HOST(A)]: the report through HOST
# shows that type and exactly these registrants
expect_resv() {
	report ${4:-A}
	_want=$(echo $3 | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
	expect_eq "$1: reservation type" $2 $RTYPE
	expect_eq "$1: number of registrants" $(echo $3 | wc -w) $REGCTL
	expect_eq "$1: registrants" "$_want" "$REGS"
}

# ------------------------------------------------------- notifications --

# notif HOST: the next entry of the Reservation Notification log page
# through HOST: "COUNT TYPE NSID" (COUNT 0: empty)
notif() {
	nvme get-log $(dev $1) --log-id=0x80 --log-len=64 -b \
		> /tmp/e2e-resv.log 2> /tmp/e2e-resv.logerr ||
		fail "get-log 0x80 through $1: $(cat /tmp/e2e-resv.logerr)"
	[ $(stat -c %s /tmp/e2e-resv.log) -eq 64 ] ||
		fail "get-log 0x80: $(stat -c %s /tmp/e2e-resv.log) bytes"
	echo "$(lenum /tmp/e2e-resv.log 0 7) $(lenum /tmp/e2e-resv.log 8 1) $(lenum /tmp/e2e-resv.log 12 4)"
}
# drain HOST: read the log until it is empty (at most 64 entries)
drain() {
	_i=0
	while [ $_i -lt 64 ]; do
		_n=$(notif $1)
		[ "${_n%% *}" = 0 ] && return 0
		_i=$((_i + 1))
	done
	fail "the notification log of $1 does not empty: $_n"
}
drain_all() { for _h in "$@"; do drain $_h; done; }
# expect_notif WHAT HOST TYPE: the next entry through HOST is TYPE for
# namespace 1 (TYPE 0: the log is empty); 1 Registration Preempted,
# 2 Reservation Released, 3 Reservation Preempted
expect_notif() {
	set -- "$1" $2 $3 $(notif $2)
	if [ $3 = 0 ]; then
		expect_eq "$1: notification log of $2 (count)" 0 $4
		return 0
	fi
	[ "$4" != 0 ] || fail "$1: no notification for $2 (log empty)"
	expect_eq "$1: notification type for $2" $3 $5
	expect_eq "$1: notification NSID for $2" 1 $6
}

# ------------------------------------------------------- the AEN trace --
TRACE=/sys/kernel/tracing
resv_trace_on() {
	[ -d $TRACE/events ] || mount -t tracefs nodev $TRACE 2>/dev/null
	[ -d $TRACE/events/nvme/nvme_async_event ] || return 1
	echo 1 > $TRACE/events/nvme/nvme_async_event/enable || return 1
	echo > $TRACE/trace
	E2E_CLEANUP="$E2E_CLEANUP; echo 0 > $TRACE/events/nvme/nvme_async_event/enable"
}
# resv_aens CTRL: reservation-log AENs (type 6 I/O command specific, log
# page 80h) that CTRL got since the trace was cleared
resv_aens() { grep -c " $1: NVME_AEN=0x800006" $TRACE/trace; }

# expect_aen WHO: WHO's controller got a reservation-log AEN (the trace
# on), within a second
expect_aen() {
	sleep 1
	n=$(resv_aens $(ctrl $1))
	[ "$n" -ge 1 ] ||
		fail "no reservation log AEN for $1: $(grep NVME_AEN $TRACE/trace)"
	echo "AEN 0x800006 for $1: $n"
}

# ============================================================= checks ==

# resv_check_register: register, re-register, replace (with and without
# IEKEY), unregister (with and without IEKEY), and what a non-registrant
# may not do; the generation counts every successful Register.
resv_check_register() {
	expect_resv "fresh namespace" 0 ""
	g=$GEN
	expect_st "acquire by a non-registrant" $SC_CONFLICT acq A 0 $KEY_A 0 1
	expect_st "release by a non-registrant" $SC_CONFLICT rel A 0 $KEY_A 1
	expect_st "unregister by a non-registrant" $SC_CONFLICT reg A 1 $KEY_A 0
	expect_st "replace by a non-registrant" $SC_CONFLICT reg A 2 $KEY_A 0xa5
	expect_resv "after the refused commands" 0 ""
	expect_eq "generation after refused commands" $g $GEN

	expect_st "A registers" $SC_OK reg A 0 0 $KEY_A
	expect_resv "A registered" 0 "$(reg_entry $HOSTID_A $KEY_A 0)"
	expect_eq "generation after a register" $((g + 1)) $GEN
	expect_resv "A registered, seen by C" 0 "$(reg_entry $HOSTID_A $KEY_A 0)" C
	expect_st "A registers another key" $SC_CONFLICT reg A 0 0 0xa9
	expect_st "A replaces with a wrong key" $SC_CONFLICT reg A 2 0x99 0xa2
	expect_resv "after the refused replace" 0 "$(reg_entry $HOSTID_A $KEY_A 0)"
	expect_st "A replaces its key" $SC_OK reg A 2 $KEY_A 0xa2
	expect_resv "A replaced" 0 "$(reg_entry $HOSTID_A 0xa2 0)"
	expect_st "A replaces a wrong key with IEKEY" $SC_OK reg A 2 0x99 0xa3 -i
	expect_resv "A replaced with IEKEY" 0 "$(reg_entry $HOSTID_A 0xa3 0)"
	expect_st "A unregisters with a wrong key" $SC_CONFLICT reg A 1 0xa2 0
	expect_st "A unregisters" $SC_OK reg A 1 0xa3 0
	expect_resv "A unregistered" 0 ""
	expect_st "A registers again" $SC_OK reg A 0 0 $KEY_A
	expect_st "A unregisters a wrong key with IEKEY" $SC_OK reg A 1 0x99 0 -i
	expect_resv "A unregistered with IEKEY" 0 ""
	echo "register: register, replace, unregister, IEKEY as specified"
}

# resv_both_registered: A and B registered (KEY_A, KEY_B), no
# reservation, notification logs empty
resv_both_registered() {
	# whoever is registered unregisters (IEKEY); the others get a
	# Reservation Conflict, which does not matter here
	for _h in A B C A2; do
		[ -n "$(dev $_h)" ] && reg $_h 1 0 0 -i > /dev/null
	done
	expect_resv "nobody registered" 0 ""
	expect_st "A registers" $SC_OK reg A 0 0 $KEY_A
	expect_st "B registers" $SC_OK reg B 0 0 $KEY_B
	expect_resv "A and B registered" 0 \
		"$(reg_entry $HOSTID_A $KEY_A 0) $(reg_entry $HOSTID_B $KEY_B 0)"
	drain_all A B C
	[ -n "$(dev A2)" ] && drain A2
	return 0
}

# allowed RTYPE ROLE CLASS: the status the specification gives a command
# of CLASS (r: read command group; w: write command group) from ROLE
# (holder, reg: another registrant, non: not registered) under a
# reservation of RTYPE (NVMe Base, "Command Behavior in the Presence of
# a Reservation"); in the All Registrants types every registrant is a
# holder.
allowed() {
	[ $2 = holder ] && { echo $SC_OK; return; }
	case $1$2$3 in
	1regr|1nonr|3regr|3regw|3nonr|4regr|4regw|5regr|5regw|5nonr|6regr|6regw)
		echo $SC_OK ;;
	*)	echo $SC_CONFLICT ;;
	esac
}

# resv_check_conflicts TYPE...: each type held by A, with B a registrant
# and C not: read, write, flush, write zeroes and deallocate from A, B and
# C each complete as the table says; a refused write leaves the data as it
# was, an allowed one lands (read back through the holder); under the
# first type also a refused Write Zeroes or deallocate leaves LBA 1's
# data, an allowed Write Zeroes zeroes it.
resv_check_conflicts() {
	resv_both_registered
	first=$1
	for t in "$@"; do
		expect_st "A acquires type $t" $SC_OK acq A 0 $KEY_A 0 $t
		report B
		expect_eq "type $t: reservation type" $t $RTYPE
		if [ $t -ge 5 ]; then h=1; else h=0; fi
		expect_eq "type $t: registrants" \
			"$(echo "$(reg_entry $HOSTID_A $KEY_A 1) $(reg_entry $HOSTID_B $KEY_B $h)" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" \
			"$REGS"
		[ $t = $first ] && expect_st "type $t: A writes LBA 1" $SC_OK io A write 1
		last=A
		for who in A:holder B:reg C:non; do
			hh=${who%%:*} role=${who#*:}
			r=$(allowed $t $role r) w=$(allowed $t $role w)
			expect_st "type $t: read from $hh ($role)" $r io $hh read 0
			expect_st "type $t: write from $hh ($role)" $w io $hh write 0
			[ $w = $SC_OK ] && last=$hh
			expect_eq "type $t: LBA 0 after the write from $hh" \
				$(eval echo \$SUM_$last) $(block A 0)
			expect_st "type $t: flush from $hh ($role)" $w io $hh flush
			expect_st "type $t: write zeroes from $hh ($role)" $w io $hh wz 1
			if [ $t != $first ]; then
				expect_st "type $t: deallocate from $hh ($role)" $w io $hh dsm
				continue
			fi
			if [ $w = $SC_OK ]; then
				expect_eq "type $t: LBA 1 after write zeroes from $hh" \
					$SUM_zero $(block A 1)
				expect_st "type $t: A writes LBA 1 again" $SC_OK io A write 1
			else
				expect_eq "type $t: LBA 1 after refused write zeroes from $hh" \
					$SUM_A $(block A 1)
			fi
			expect_st "type $t: deallocate from $hh ($role)" $w io $hh dsm
			if [ $w = $SC_OK ]; then
				expect_st "type $t: A writes LBA 1 again" $SC_OK io A write 1
			else
				expect_eq "type $t: LBA 1 after refused deallocate from $hh" \
					$SUM_A $(block A 1)
			fi
		done
		expect_st "A releases type $t" $SC_OK rel A 0 $KEY_A $t
		report A
		expect_eq "released type $t: reservation type" 0 $RTYPE
		expect_eq "released type $t: registrants" 2 $REGCTL
		drain_all A B C
		echo "type $t: read $(allowed $t reg r)/$(allowed $t non r), write group $(allowed $t reg w)/$(allowed $t non w) for registrant/non-registrant; holder all"
	done
}

# resv_check_acquire: acquire, re-acquire, a second holder, release by a
# non-holder and with the wrong type, preempt (of a holder, with a zero
# key, of an All Registrants reservation) and clear, with the
# generation counting preempts and clears but not acquires and releases.
resv_check_acquire() {
	resv_both_registered
	report A
	g=$GEN
	expect_st "A acquires with a wrong key" $SC_CONFLICT acq A 0 0x99 0 1
	expect_st "A acquires WE" $SC_OK acq A 0 $KEY_A 0 1
	expect_resv "A holds WE" 1 \
		"$(reg_entry $HOSTID_A $KEY_A 1) $(reg_entry $HOSTID_B $KEY_B 0)" B
	expect_eq "generation after an acquire" $g $GEN
	expect_st "A acquires WE again" $SC_OK acq A 0 $KEY_A 0 1
	expect_st "A acquires another type" $SC_CONFLICT acq A 0 $KEY_A 0 2
	expect_st "B acquires while A holds" $SC_CONFLICT acq B 0 $KEY_B 0 1
	expect_st "B (not the holder) releases" $SC_OK rel B 0 $KEY_B 1
	expect_resv "after B's release" 1 \
		"$(reg_entry $HOSTID_A $KEY_A 1) $(reg_entry $HOSTID_B $KEY_B 0)"
	expect_st "A releases with a wrong key" $SC_CONFLICT rel A 0 0x99 1
	# NVMe Base: a Release whose RTYPE does not match the reservation
	# is aborted with Invalid Field in Command
	expect_spec "A releases with the wrong type" $SC_INVALID_FIELD rel A 0 $KEY_A 2
	expect_resv "after the refused releases" 1 \
		"$(reg_entry $HOSTID_A $KEY_A 1) $(reg_entry $HOSTID_B $KEY_B 0)"
	expect_st "A releases" $SC_OK rel A 0 $KEY_A 1
	expect_resv "A released" 0 \
		"$(reg_entry $HOSTID_A $KEY_A 0) $(reg_entry $HOSTID_B $KEY_B 0)"
	expect_eq "generation after acquire and release" $g $GEN
	expect_st "A releases with no reservation" $SC_OK rel A 0 $KEY_A 1
	expect_notif "WE released" B 0

	# preempt the holder: B takes over, A's registration goes
	expect_st "A acquires WERO" $SC_OK acq A 0 $KEY_A 0 3
	expect_st "B preempts with a zero key (not All Registrants)" \
		$SC_INVALID_FIELD acq B 1 $KEY_B 0 1
	expect_st "B preempts A" $SC_OK acq B 1 $KEY_B $KEY_A 1
	expect_resv "B preempted A" 1 "$(reg_entry $HOSTID_B $KEY_B 1)"
	[ $GEN -gt $g ] || fail "generation $GEN after a preempt, was $g"
	g=$GEN
	expect_notif "A preempted" A 1
	expect_notif "A preempted, no more" A 0
	expect_notif "B preempted A" B 0
	expect_st "A (preempted) writes" $SC_CONFLICT io A write 0
	expect_st "A (preempted) releases" $SC_CONFLICT rel A 0 $KEY_A 1

	# an All Registrants reservation, preempted with a zero key: every
	# other registrant goes, and the preempter holds the new type
	expect_st "A registers again" $SC_OK reg A 0 0 $KEY_A
	expect_st "B releases WE" $SC_OK rel B 0 $KEY_B 1
	expect_st "B acquires EAAR" $SC_OK acq B 0 $KEY_B 0 6
	expect_resv "B holds EAAR" 6 \
		"$(reg_entry $HOSTID_A $KEY_A 1) $(reg_entry $HOSTID_B $KEY_B 1)"
	drain_all A B
	expect_st "A preempts EAAR with a zero key" $SC_OK acq A 1 $KEY_A 0 2
	expect_resv "A holds EA" 2 "$(reg_entry $HOSTID_A $KEY_A 1)"
	expect_notif "B preempted by a zero key" B 1
	expect_st "B (preempted) reads" $SC_CONFLICT io B read 0

	# clear: everything goes; the other registrants hear of it
	expect_st "B registers again" $SC_OK reg B 0 0 $KEY_B
	drain_all A B
	report A
	g=$GEN
	expect_st "B clears with a wrong key" $SC_CONFLICT rel B 1 0x99 0
	expect_st "B clears" $SC_OK rel B 1 $KEY_B 0
	expect_resv "cleared" 0 ""
	[ $GEN -gt $g ] || fail "generation $GEN after a clear, was $g"
	expect_notif "A after B's clear" A 3
	expect_notif "B after its own clear" B 0
	expect_st "A (cleared) acquires" $SC_CONFLICT acq A 0 $KEY_A 0 1
	echo "acquire, release, preempt, clear: as specified"
}

# resv_check_report: without the extended data structure a host with a
# 128-bit host identifier (every fabrics host) gets Host Identifier
# Inconsistent Format; with it, the fields of every registrant.
resv_check_report() {
	expect_st "report without --eds" $SC_HOSTID_FORMAT \
		st nvme resv-report $(dev A) -n 1 -b
	resv_both_registered
	expect_st "B acquires WEAR" $SC_OK acq B 0 $KEY_B 0 5
	report C
	expect_eq "report: type" 5 $RTYPE
	expect_eq "report: registrants" 2 $REGCTL
	expect_eq "report: entries" \
		"$(echo "$(reg_entry $HOSTID_A $KEY_A 1) $(reg_entry $HOSTID_B $KEY_B 1)" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" \
		"$REGS"
	ptpls=$(lenum /tmp/e2e-resv.rep 9 1)
	expect_eq "report: PTPLS (nobody set PTPL)" 0 $ptpls
	expect_st "B releases WEAR" $SC_OK rel B 0 $KEY_B 5
	drain_all A B
	echo "report: gen $GEN, type, count, host IDs, keys, holder flags"
}

# resv_check_notify: a release of a Registrants Only reservation tells
# the other registrants (type 2, NSID 1, and an AEN); a release of Write
# Exclusive tells nobody; the mask (Set Features 82h, RESREL) stops it
# and Get Features reads it back.
resv_check_notify() {
	resv_both_registered
	aen=0
	resv_trace_on && aen=1
	expect_st "A acquires WERO" $SC_OK acq A 0 $KEY_A 0 3
	expect_st "A releases WERO" $SC_OK rel A 0 $KEY_A 3
	expect_notif "WERO released" B 2
	expect_notif "WERO released, no more" B 0
	expect_notif "WERO released, the releaser" A 0
	if [ $aen = 1 ]; then
		expect_aen B
		expect_eq "AENs for A (the releaser)" 0 $(resv_aens $(ctrl A))
	fi
	want "B masks Reservation Released" $SC_OK \
		nvme set-feature $(dev B) -f 0x82 -n 1 -v 4
	out=$(nvme get-feature $(dev B) -f 0x82 -n 1 2>&1) ||
		fail "get-feature 0x82: $out"
	v=$(echo "$out" | sed -n 's/.*Current value: *\(0x[0-9a-fA-F]*\).*/\1/p')
	[ -n "$v" ] && [ $((v)) -eq 4 ] ||
		fail "get-feature 0x82 after setting 4: $out"
	expect_st "A acquires EARO" $SC_OK acq A 0 $KEY_A 0 4
	expect_st "A releases EARO" $SC_OK rel A 0 $KEY_A 4
	expect_notif "EARO released, masked" B 0
	want "B unmasks" $SC_OK nvme set-feature $(dev B) -f 0x82 -n 1 -v 0
	expect_st "A acquires EARO" $SC_OK acq A 0 $KEY_A 0 4
	expect_st "A releases EARO" $SC_OK rel A 0 $KEY_A 4
	expect_notif "EARO released, unmasked" B 2
	want "mask with a reserved bit" $SC_INVALID_FIELD \
		nvme set-feature $(dev B) -f 0x82 -n 1 -v 1
	echo "notifications: released, masked, unmasked"
}

# resv_check_cross_ctrl: host A's second controller (A2, same host NQN
# and ID) is the same registrant: it sees A's key, cannot register a
# second key, shares A's reservation, and A2's unregister ends A's
# registration.
resv_check_cross_ctrl() {
	resv_host A2 $HOSTNQN_A $HOSTID_A 4
	resv_both_registered
	expect_resv "through A2" 0 \
		"$(reg_entry $HOSTID_A $KEY_A 0) $(reg_entry $HOSTID_B $KEY_B 0)" A2
	expect_st "A2 registers another key" $SC_CONFLICT reg A2 0 0 0xa7
	expect_st "A acquires WE" $SC_OK acq A 0 $KEY_A 0 1
	expect_st "A2 writes (its host holds WE)" $SC_OK io A2 write 0
	expect_eq "LBA 0 after A2's write" $SUM_A2 $(block A 0)
	expect_st "B writes" $SC_CONFLICT io B write 0
	expect_st "A2 releases A's reservation" $SC_OK rel A2 0 $KEY_A 1
	expect_resv "released through A2" 0 \
		"$(reg_entry $HOSTID_A $KEY_A 0) $(reg_entry $HOSTID_B $KEY_B 0)"
	expect_st "A2 unregisters" $SC_OK reg A2 1 $KEY_A 0
	expect_resv "A unregistered through A2" 0 "$(reg_entry $HOSTID_B $KEY_B 0)" A
	expect_st "A's unregister after A2's" $SC_CONFLICT reg A 1 $KEY_A 0
	echo "cross-controller: one registrant per host"
}

# resv_check_preempt_abort: A holds WERO and B (a registrant) runs fio
# verify while A runs random I/O; B preempts and aborts A: the command
# completes, A's fio ends with an I/O error, A's writes then get
# Reservation Conflict, A's controller stays live, B's verify is clean.
resv_check_preempt_abort() {
	resv_both_registered
	expect_st "A acquires WERO" $SC_OK acq A 0 $KEY_A 0 3
	mark=$(kmsg_mark "resv: preempt and abort")
	fio_start /tmp/e2e-resv-fioA.out $(dev A) 120 --offset=0 --size=16M
	FIO_A=$FIO
	fio_running "the preempt and abort"
	fio_verify_open /tmp/e2e-resv-fioB.out $(dev B) 16M --offset=32M
	FIO_B=$FIO
	E2E_CLEANUP="kill $FIO_A $FIO_B 2>/dev/null; $E2E_CLEANUP"
	fio_wrote $(dev B) 1 60 "the preempt and abort"
	kill -0 $FIO_A 2>/dev/null || { cat /tmp/e2e-resv-fioA.out; fail "A's fio ended early"; }
	kill -0 $FIO_B 2>/dev/null || { cat /tmp/e2e-resv-fioB.out; fail "B's fio ended early"; }
	t0=$(date +%s)
	s=$(timeout 60 nvme resv-acquire $(dev B) -n 1 -a 2 -c $KEY_B -p $KEY_A -t 3 2>&1) ||
		fail "B's preempt and abort: $s"
	echo "preempt and abort took $(( $(date +%s) - t0 )) s"
	FIO=$FIO_A
	fio_wait 60
	fio_cut_off /tmp/e2e-resv-fioA.out
	expect_file /sys/class/nvme/$(ctrl A)/state live
	expect_st "A (preempted) writes" $SC_CONFLICT io A write 0
	expect_st "A (preempted, not registered) reads WERO" $SC_OK io A read 0
	FIO=$FIO_B
	FIO_DEV=$(dev B)
	FIO_OUT=/tmp/e2e-resv-fioB.out
	fio_running "the end of B's verify, after the preempt and abort"
	fio_wrote $(dev B) $(( $(fio_written $(dev B)) + 1 )) 60 \
		"the end of B's verify, after the preempt and abort"
	fio_stop 90
	fio_verified /tmp/e2e-resv-fioB.out $(dev B)
	E2E_CLEANUP=${E2E_CLEANUP#kill $FIO_A $FIO_B 2>/dev/null; }
	expect_resv "B preempted A" 3 "$(reg_entry $HOSTID_B $KEY_B 1)"
	expect_notif "A preempted and aborted" A 1
	errs=$(dmesg_since "$mark" | grep -ciE 'reservation conflict|nexus|I/O Error' || true)
	echo "host log: $errs reservation-conflict I/O error lines (expected, from A)"
	bdev=$(dev B | sed 's|/dev/||')
	other=$(dmesg_since "$mark" | grep -iE 'I/O error|conflict|nexus' | grep -w "$bdev" || true)
	[ -z "$other" ] || { echo "$other" | head -n 5; fail "I/O errors on B's $bdev"; }
	echo "preempt and abort: A cut off, B verified"
	return 0
}
