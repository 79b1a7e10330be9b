#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers for the NVMe/TCP end-to-end tests (tests/vm/tests/2*.sh).
# Sourced after lib.sh.  The target is configured through configfs exactly
# as nvmetcli would (mkdir, echo, ln -s); the host is the in-kernel
# nvme-tcp, driven by nvme-cli.
#
# TARGET=intree (VM_ARGS="TARGET=intree") runs the same tests against
# Debian's in-tree nvmet/nvmet-tcp instead of ours; it has no null backend,
# so tests use null_blk or skip those steps there (see tgt_has_null).

TARGET=${TARGET:-ours}
NQN_BASE=nqn.2026-11.io.nvmet-ng
# Two host identities with their own host IDs: the kernel refuses one host
# ID under two host NQNs while both are in use, so never mix them.
HOSTID_A=8b5a2c9e-1f3d-4e6a-9b7c-0d1e2f3a4b5c
HOSTNQN_A=nqn.2014-08.org.nvmexpress:uuid:$HOSTID_A
HOSTID_B=3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f
HOSTNQN_B=nqn.2014-08.org.nvmexpress:uuid:$HOSTID_B
DISC_NQN=nqn.2014-08.org.nvmexpress.discovery

# ---------------------------------------------------------------- target --

tgt_has_null() { [ "$TARGET" != intree ]; }

# tgt_load: the target core and its TCP transport; ours unless
# TARGET=intree.  Ours without a TCP transport built is a failure: every
# transport is part of the build, so a missing one is a build problem.
tgt_load() {
	if [ "$TARGET" = intree ]; then
		intree_load nvmet || fail "insmod in-tree nvmet"
		intree_load nvmet-tcp || fail "insmod in-tree nvmet-tcp"
	else
		grep -q '/nvmet-tcp\.ko:' /lib/modules/$(uname -r)/modules.dep ||
			fail "our nvmet-tcp was not built"
		modprobe nvmet || fail "modprobe nvmet"
		modprobe nvmet-tcp || fail "modprobe nvmet-tcp"
	fi
	[ -d $CFS ] || fail "no $CFS after loading the target"
	echo "target: $TARGET"
}

# tgt_subsys NQN [ALLOW_ANY(1)] [MODEL] [SERIAL]
tgt_subsys() {
	mkdir $CFS/subsystems/$1 || fail "mkdir subsystem $1"
	[ -n "${3:-}" ] && write_attr $CFS/subsystems/$1/attr_model "$3"
	[ -n "${4:-}" ] && write_attr $CFS/subsystems/$1/attr_serial "$4"
	write_attr $CFS/subsystems/$1/attr_allow_any_host "${2:-1}"
}

# tgt_ns NQN NSID BACKEND: BACKEND is a path (block device or regular
# file, chosen through device_path as in-tree does) or null:SIZE (ours).
tgt_ns() {
	ns=$CFS/subsystems/$1/namespaces/$2
	mkdir $ns || fail "mkdir namespace $2 of $1"
	case $3 in
	null:*)	tgt_has_null || fail "no null backend on $TARGET"
		write_attr $ns/device_backend null
		write_attr $ns/device_size "${3#null:}" ;;
	*)	write_attr $ns/device_path "$3"
		# A file the kernel cannot open O_DIRECT takes buffered I/O,
		# in-tree's and ours alike (the guest's init makes /tmp ext4
		# where tmpfs lacks O_DIRECT, before 6.6, so this is a last
		# resort that says so).
		if [ -f "$3" ] &&
		   ! dd if="$3" of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null; then
			echo "tgt_ns: $3 has no O_DIRECT: buffered_io 1"
			write_attr $ns/buffered_io 1
		fi ;;
	esac
	write_attr $ns/enable 1
	expect_file $ns/enable 1
}

# tgt_port PORTID TRADDR TRSVCID [ADRFAM(ipv4)]
tgt_port() {
	p=$CFS/ports/$1
	mkdir $p || fail "mkdir port $1"
	write_attr $p/addr_trtype tcp
	write_attr $p/addr_adrfam "${4:-ipv4}"
	write_attr $p/addr_traddr "$2"
	write_attr $p/addr_trsvcid "$3"
}

# tgt_link PORTID NQN: expose the subsystem on the port (enables the port)
tgt_link() {
	ln -s $CFS/subsystems/$2 $CFS/ports/$1/subsystems/$2 ||
		fail "link $2 into port $1"
}

# port_state_is PORTID STATE SECONDS: ours only (in-tree has no
# param_state); the port's param_state reads STATE within SECONDS
port_state_is() {
	[ "$TARGET" = intree ] && return 0
	end=$(( $(date +%s) + $3 ))
	until [ "$(cat $CFS/ports/$1/param_state)" = "$2" ]; do
		[ "$(date +%s)" -ge $end ] &&
			fail "port $1 is '$(cat $CFS/ports/$1/param_state)', not '$2' after $3 s"
		sleep 0.2
	done
	echo "port $1: param_state $2"
}

# tgt_allow NQN HOSTNQN: add HOSTNQN to the subsystem's allowed_hosts
tgt_allow() {
	[ -d $CFS/hosts/$2 ] || mkdir $CFS/hosts/$2 || fail "mkdir host $2"
	ln -s $CFS/hosts/$2 $CFS/subsystems/$1/allowed_hosts/$2 ||
		fail "allow $2 into $1"
}

# tgt_setup_tcp_subsys NQN PORTID TRADDR TRSVCID BACKEND...: an
# allow-any-host subsystem with one namespace per BACKEND (NSID 1, 2, ...)
# on a TCP port (created unless it exists), linked.
tgt_setup_tcp_subsys() {
	nqn=$1 portid=$2 traddr=$3 trsvcid=$4
	shift 4
	tgt_subsys $nqn 1
	nsid=0
	for b in "$@"; do
		nsid=$((nsid + 1))
		tgt_ns $nqn $nsid "$b"
	done
	case $traddr in *:*) fam=ipv6 ;; *) fam=ipv4 ;; esac
	[ -d $CFS/ports/$portid ] || tgt_port $portid $traddr $trsvcid $fam
	tgt_link $portid $nqn
}

# tgt_teardown: disconnect every host controller, then remove the whole
# configfs tree in dependency order.  Tolerates a partial setup; reports
# (returns 1) what it could not remove.
tgt_teardown() {
	ok=0
	host_disconnect_all || ok=1
	[ -d $CFS ] || return $ok
	for p in $CFS/ports/*; do
		[ -d "$p" ] || continue
		for l in $p/subsystems/*; do
			[ -L "$l" ] || continue
			rm "$l" || { echo "teardown: rm $l"; ok=1; }
		done
		for r in $p/referrals/*; do
			[ -d "$r" ] || continue
			rmdir "$r" || { echo "teardown: rmdir $r"; ok=1; }
		done
		for a in $p/ana_groups/*; do
			[ -d "$a" ] && [ "${a##*/}" != 1 ] || continue
			rmdir "$a" || { echo "teardown: rmdir $a"; ok=1; }
		done
	done
	for s in $CFS/subsystems/*; do
		[ -d "$s" ] || continue
		for l in $s/allowed_hosts/*; do
			[ -L "$l" ] || continue
			rm "$l" || { echo "teardown: rm $l"; ok=1; }
		done
		for n in $s/namespaces/*; do
			[ -d "$n" ] || continue
			for l in $n/allowed_hosts/*; do
				[ -L "$l" ] || continue
				rm "$l" || { echo "teardown: rm $l"; ok=1; }
			done
			echo 0 > $n/enable || { echo "teardown: disable $n"; ok=1; }
			rmdir "$n" || { echo "teardown: rmdir $n"; ok=1; }
		done
		rmdir "$s" || { echo "teardown: rmdir $s"; ok=1; }
	done
	for d in $CFS/ports/* $CFS/hosts/*; do
		[ -d "$d" ] || continue
		rmdir "$d" || { echo "teardown: rmdir $d"; ok=1; }
	done
	return $ok
}

# tgt_unload: unload the target modules (either implementation)
tgt_unload() {
	ok=0
	for m in nvmet_tcp nvmet_null nvmet_ram nvmet_lio nvmet; do
		grep -q "^$m " /proc/modules || continue
		rmmod $m || { echo "cannot rmmod $m"; ok=1; }
	done
	return $ok
}

# null_blk_load: one 1 GiB memory-backed null_blk (data reads back, and
# discarded blocks read back as zeroes) as /dev/nullb0.  Debian 6.12's
# null_blk takes nr_devices, gb, bs, memory_backed and discard as module
# parameters.
null_blk_load() {
	modprobe null_blk nr_devices=1 gb=1 bs=512 memory_backed=1 discard=1 ||
		fail "modprobe null_blk"
	i=0
	while [ ! -b /dev/nullb0 ]; do
		i=$((i + 1))
		[ $i -gt 50 ] && fail "no /dev/nullb0"
		sleep 0.1
	done
}

# ------------------------------------------------------------------ host --

host_prep() {
	modprobe nvme-tcp || fail "modprobe nvme-tcp (host)"
	[ -c /dev/nvme-fabrics ] || fail "no /dev/nvme-fabrics"
}

# host_connect NQN [nvme-connect options...]: over TCP to $TRADDR
# (127.0.0.1) port $TRSVCID (4420).  Returns nvme connect's status.
host_connect() {
	n=$1
	shift
	nvme connect -t tcp -a "${TRADDR:-127.0.0.1}" -s "${TRSVCID:-4420}" \
		-n "$n" "$@"
}

# ctrl_of NQN [HOSTNQN]: the name (nvmeN) of the host controller of
# subsystem NQN (that HOSTNQN owns, when given)
ctrl_of() {
	for c in /sys/class/nvme/nvme*; do
		[ -e "$c/subsysnqn" ] || continue
		[ "$(cat "$c/subsysnqn" 2>/dev/null)" = "$1" ] || continue
		[ -z "${2:-}" ] ||
			[ "$(cat "$c/hostnqn" 2>/dev/null)" = "$2" ] || continue
		echo "${c##*/}"
		return 0
	done
	return 1
}

# ctrl_count: host controllers of any kind
ctrl_count() {
	ls -d /sys/class/nvme/nvme* 2>/dev/null | grep -c .
}

# dev_of NQN NSID: /dev/nvmeXnY of namespace NSID of subsystem NQN
# (with native multipath, the head disk's parent is the subsystem, which
# has a subsysnqn attribute just like a controller)
dev_of() {
	for b in /sys/block/nvme*n*; do
		d=${b##*/}
		case $d in *c*|nvme\*n\*) continue ;; esac
		[ "$(cat "$b/nsid" 2>/dev/null)" = "$2" ] || continue
		[ "$(cat "$b/device/subsysnqn" 2>/dev/null)" = "$1" ] ||
			continue
		echo "/dev/$d"
		return 0
	done
	return 1
}

# wait_for_dev NQN NSID [SECONDS(20)]: print the block device once it is
# there; after SECONDS, say so on stderr and return 1.  Meant for
# D=$(wait_for_dev ...) || fail ...: fail in $(...) would only end the
# subshell.
wait_for_dev() {
	end=$(( $(date +%s) + ${3:-20} ))
	while :; do
		d=$(dev_of "$1" "$2") && [ -b "$d" ] && { echo "$d"; return 0; }
		if [ "$(date +%s)" -ge $end ]; then
			echo "namespace $2 of $1 did not appear within ${3:-20}s" >&2
			return 1
		fi
		sleep 0.2
	done
}

# wait_dev_gone NQN NSID [SECONDS(20)]
wait_dev_gone() {
	end=$(( $(date +%s) + ${3:-20} ))
	while d=$(dev_of "$1" "$2"); do
		[ "$(date +%s)" -ge $end ] &&
			fail "namespace $2 of $1 ($d) still there after ${3:-20}s"
		sleep 0.2
	done
}

# host_refused WHAT CONNECT_CMD [ARGS...]: the connect command fails and
# leaves no controller of $N and no block device
host_refused() {
	what=$1
	shift
	"$@" > /tmp/e2e-conn.out 2>&1 && {
		cat /tmp/e2e-conn.out
		fail "$what: connected"
	}
	sed "s/^/  $what: refused: /" /tmp/e2e-conn.out
	wait_ctrl_gone $N
	dev_of $N 1 && fail "$what: a block device exists after a refused connect"
	return 0
}

# hog_ready PID SECONDS: wait until tcp-hog (PID, its output in
# /tmp/e2e-hog.out) says "ready"; fail if it dies or takes longer
hog_ready() {
	t0=$(date +%s)
	until grep -q '^ready' /tmp/e2e-hog.out; do
		kill -0 $1 2>/dev/null || { cat /tmp/e2e-hog.out; fail "tcp-hog died"; }
		[ $(( $(date +%s) - t0 )) -ge $2 ] && fail "tcp-hog not ready in $2 s"
		sleep 0.2
	done
}

# wait_ctrl_gone NQN [SECONDS(20)]
wait_ctrl_gone() {
	end=$(( $(date +%s) + ${2:-20} ))
	while c=$(ctrl_of "$1"); do
		[ "$(date +%s)" -ge $end ] &&
			fail "controller $c of $1 still there after ${2:-20}s"
		sleep 0.2
	done
}

# wait_ctrl_state CTRL STATE|STATE... [SECONDS(20)]: until the controller's
# state is one of the |-separated STATEs ("gone" matches a deleted one);
# prints the state; after SECONDS, says so on stderr and returns 1.
wait_ctrl_state() {
	end=$(( $(date +%s) + ${3:-20} ))
	while :; do
		s=$(cat /sys/class/nvme/$1/state 2>/dev/null || echo gone)
		case "|$2|" in *"|$s|"*) echo "$s"; return 0 ;; esac
		if [ "$(date +%s)" -ge $end ]; then
			echo "$1 is '$s', not $2 after ${3:-20}s" >&2
			return 1
		fi
		sleep 0.2
	done
}

# port_bounce PORTID NQN CTRL LIVE_SECONDS: unlinking NQN from the port
# sends the host controller CTRL to reconnecting (it is not deleted, and
# still reconnecting 3 s later); relinking brings it back live within
# LIVE_SECONDS.
port_bounce() {
	rm $CFS/ports/$1/subsystems/$2 ||
		fail "unlink the subsystem from the port"
	s=$(wait_ctrl_state $3 "resetting|connecting|deleting|gone" 30) ||
		fail "host controller did not notice the port going away"
	echo "after unlink: $3 is $s"
	[ "$s" = gone ] && fail "$3 was deleted instead of reconnecting"
	sleep 3
	s=$(cat /sys/class/nvme/$3/state)
	case $s in
	resetting|connecting) ;;
	*) fail "$3 is '$s' 3 s after the unlink, not reconnecting" ;;
	esac

	tgt_link $1 $2
	s=$(wait_ctrl_state $3 live $4) ||
		fail "host did not reconnect after relink"
	echo "after relink: $3 is $s"
}

# host_survives_port_bounce PORTID NQN CTRL DEV LIVE_SECONDS DD_BS DD_COUNT:
# port_bounce, then a write of DD_COUNT blocks of DD_BS to DEV works; a
# second unlink takes it out of live again, and nvme disconnect-all then
# removes it and DEV.
host_survives_port_bounce() {
	port_bounce $1 $2 $3 $5
	dd if=/dev/zero of=$4 bs=$6 count=$7 oflag=direct 2>/dev/null ||
		fail "write after reconnect"

	rm $CFS/ports/$1/subsystems/$2 || fail "unlink again"
	wait_ctrl_state $3 "resetting|connecting" 15 > /dev/null ||
		fail "host controller did not leave live after the second unlink"
	nvme disconnect-all || fail "nvme disconnect-all"
	wait_ctrl_gone $2 20
	wait_dev_gone $2 1 20
}

# expect_no_objects: after a full teardown, every live-object count ours
# keeps in debugfs is 0 (the in-tree target keeps none)
expect_no_objects() {
	[ "$TARGET" = intree ] && return 0
	OBJ=/sys/kernel/debug/nvmet-ng/objects
	[ -f $OBJ ] || fail "no $OBJ"
	sed 's/^/  objects: /' $OBJ
	left=$(awk '$2 != 0' $OBJ)
	[ -z "$left" ] || fail "objects alive after teardown: $left"
}

# host_disconnect_all: delete every fabrics controller and wait for it
host_disconnect_all() {
	[ "$(ctrl_count)" -eq 0 ] && return 0
	nvme disconnect-all > /dev/null 2>&1
	for c in /sys/class/nvme/nvme*; do
		[ -e "$c/delete_controller" ] &&
			echo 1 > "$c/delete_controller" 2>/dev/null
	done
	i=0
	while [ "$(ctrl_count)" -ne 0 ]; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			echo "host controllers left: $(ls /sys/class/nvme)"
			return 1
		fi
		sleep 0.2
	done
	return 0
}

# id_field DEV FIELD: a field of nvme id-ctrl/id-ns's normal output,
# trailing blanks removed ("mn", "sn", "subnqn", "nsze", ...)
id_ctrl_field() {
	nvme id-ctrl "$1" | sed -n "s/^$2 *: //p" | sed 's/ *$//'
}
id_ns_field() {
	nvme id-ns "$1" | sed -n "s/^$2 *: //p" | sed 's/ *$//'
}

# ns_bytes DEV: namespace size in bytes from Identify Namespace
# (nsze times the in-use LBA format's data size)
ns_bytes() {
	out=$(nvme id-ns "$1") || return 1
	nsze=$(echo "$out" | sed -n 's/^nsze *: //p')
	lbads=$(echo "$out" | sed -n 's/^lbaf .*lbads:\([0-9]*\).*in use.*/\1/p')
	echo $(( nsze << lbads ))
}

# disc_records FILE: nvme discover -o json output -> one line per record,
# "subtype|subnqn|trtype|adrfam|traddr|trsvcid|portid", sorted
disc_records() {
	tr -d '\n' < "$1" | tr '}' '\n' | grep '"subtype"' |
	while read -r rec; do
		line=
		for f in subtype subnqn trtype adrfam traddr trsvcid portid; do
			v=$(echo "$rec" | sed -n "s/.*\"$f\" *: *\"\{0,1\}\([^\",}]*\)\"\{0,1\}.*/\1/p")
			line="$line|$v"
		done
		echo "${line#|}"
	done | sort
}

# fio_verify DEV SIZE [extra fio options]: random writes of mixed sizes
# then a full read-back verify (crc32c).  Fails unless fio succeeds AND
# its read (verify) phase read back everything written.
fio_verify() {
	dev=$1 size=$2
	shift 2
	engine=libaio
	fio --enghelp 2>/dev/null | grep -q libaio || engine=psync
	out=$(fio --name=verify --filename="$dev" --rw=randwrite \
		--bsrange=4k-128k --size="$size" --iodepth=16 --direct=1 \
		--ioengine=$engine --verify=crc32c --do_verify=1 \
		--verify_fatal=1 --exitall_on_error=1 "$@" 2>&1)
	rc=$?
	echo "$out" | grep -E 'err=|WRITE:|READ:|verify' | sed 's/^/  fio: /'
	[ $rc -eq 0 ] || { echo "$out"; fail "fio verify on $dev: exit $rc"; }
	echo "$out" | grep -q 'err= 0' || fail "fio on $dev reported an error"
	wr=$(echo "$out" | sed -n 's/.*WRITE: .* io=\([^ ,]*\).*/\1/p')
	rd=$(echo "$out" | sed -n 's/.*READ: .* io=\([^ ,]*\).*/\1/p')
	[ -n "$rd" ] || fail "fio on $dev: no verify read phase"
	expect_eq "fio on $dev: bytes verified vs written" "$wr" "$rd"
}

# ------------------------------------------------------- I/O under faults --
# For tests that break something while I/O runs: fio runs time_based in
# the background, long past any fault, so it is certainly still running
# when the fault comes; the test proves that (fio_running) and examines
# how fio ended.

# fio_engine: libaio where fio has it, else psync
fio_engine() {
	fio --enghelp 2>/dev/null | grep -q libaio && echo libaio || echo psync
}

# fio_start OUT DEV SECONDS [extra fio options]: random writes and reads of
# mixed sizes on DEV for SECONDS, in the background; output in OUT, the
# pid in FIO (and OUT, DEV in FIO_OUT, FIO_DEV).
fio_start() {
	local out=$1 dev=$2 secs=$3
	shift 3
	fio --name=load --filename="$dev" --rw=randrw --bsrange=4k-128k \
		--iodepth=16 --direct=1 --ioengine=$(fio_engine) \
		--time_based --runtime="$secs" "$@" > "$out" 2>&1 &
	FIO=$! FIO_OUT=$out FIO_DEV=$dev
}

# fio_verify_start OUT DEV SIZE SECONDS [extra fio options]: random writes
# of mixed sizes over SIZE of DEV for SECONDS, each batch of 32 blocks read
# back and verified (crc32c) as it goes, in the background; the pid in FIO.
# fio_verified checks how it ended.  (fio 3.33 leaves the verify reads out
# of its statistics when the runtime ends the job, fio issue 1515: DEV's
# own counters, taken here, show them.)
fio_verify_start() {
	local out=$1 dev=$2 size=$3 secs=$4
	shift 4
	FIO_SECTORS=$(dev_sectors $dev)
	fio --name=verify --filename="$dev" --rw=randwrite \
		--bsrange=4k-128k --size="$size" --iodepth=16 --direct=1 \
		--ioengine=$(fio_engine) --verify=crc32c --do_verify=1 \
		--verify_backlog=32 --serialize_overlap=1 --verify_fatal=1 \
		--verify_state_save=0 --exitall_on_error=1 \
		--time_based --runtime="$secs" "$@" > "$out" 2>&1 &
	FIO=$! FIO_OUT=$out FIO_DEV=$dev
}

# fio_verify_open OUT DEV SIZE [extra fio options]: fio_verify_start
# with no runtime of its own: it runs until fio_stop, so that a test
# waits for the event it runs fio across, not for a runtime that must
# outlast the event on the slowest lane.  (fio ends it through a trigger
# file as its runtime would.)
fio_verify_open() {
	local out=$1 dev=$2 size=$3
	shift 3
	rm -f "$out.stop"
	fio_verify_start "$out" "$dev" "$size" 1800 \
		--trigger-file="$out.stop" "$@"
}

# fio_mib DEV: MiB read from and written to DEV since fio_verify_start
# (FIO_SECTORS), "READ WRITTEN"; fio_written DEV: the MiB written alone
fio_mib() {
	set -- $FIO_SECTORS $(dev_sectors $1)
	echo $((($3 - $1) / 2048)) $((($4 - $2) / 2048))
}
fio_written() {
	set -- $(fio_mib $1)
	echo $2
}

# fio_wrote DEV MIB SECONDS WHAT: wait (at most SECONDS) until the fio of
# fio_verify_start (FIO) has written MIB MiB to DEV, before WHAT: so that
# its I/O demonstrably runs across WHAT however slowly fio starts
fio_wrote() {
	local dev=$1 mib=$2 tries=0 w
	while w=$(fio_written $dev); [ "$w" -lt "$mib" ]; do
		kill -0 "$FIO" 2>/dev/null || {
			cat "$FIO_OUT" 2>/dev/null
			fail "fio ended after $w of $mib MiB, before $4"
		}
		tries=$((tries + 1))
		[ $tries -gt $(($3 * 5)) ] &&
			fail "fio wrote $w of $mib MiB to $dev in ${3}s, before $4"
		sleep 0.2
	done
	echo "before $4: fio wrote $w MiB to $dev"
}

# fio_stop SECONDS: the fio of fio_verify_open (FIO, FIO_OUT) ends within
# SECONDS; FIO_RC is its exit status
fio_stop() {
	touch "$FIO_OUT.stop"
	fio_wait "$1"
	rm -f "$FIO_OUT.stop"
}

# dev_sectors DEV: "read written" 512-byte sectors of DEV so far.  A
# multipath head nvmeXnY that keeps no I/O statistics (6.1's: iostats
# 0) counts what its path disks nvmeXcCnY did.
dev_sectors() {
	local d=${1#/dev/} r=0 w=0 p
	if [ "$(cat /sys/block/$d/queue/iostats 2>/dev/null)" = 0 ]; then
		for p in /sys/class/nvme/nvme*/${d%n*}c*n${d##*n}; do
			[ -f $p/stat ] || continue
			set -- $(cat $p/stat)
			r=$((r + $3)) w=$((w + $7))
		done
		echo "$r $w"
		return 0
	fi
	set -- $(cat /sys/block/$d/stat)
	echo "$3 $7"
}

# fio_running WHAT: fio ($FIO) is still running now, and its device
# ($FIO_DEV) has requests in flight (sampled for up to 10 s; the caller
# acts right after)
fio_running() {
	local n tries
	kill -0 "$FIO" 2>/dev/null || {
		cat "$FIO_OUT" 2>/dev/null
		fail "fio ended before $1"
	}
	tries=0
	while n=$(dev_inflight $FIO_DEV); [ "$n" -eq 0 ]; do
		tries=$((tries + 1))
		if [ $tries -gt 200 ]; then
			host_io_diag $FIO_DEV
			fail "no request in flight on $FIO_DEV for 10 s before $1"
		fi
		sleep 0.05
	done
	kill -0 "$FIO" 2>/dev/null || fail "fio ended before $1"
	echo "before $1: fio running, $n requests in flight on $FIO_DEV"
}

# host_io_diag DEV: where the host's I/O to DEV waits, for a failing
# test's log: the controllers' states, the block layer's view of DEV and
# its paths (debugfs), fio's wait channel, and blocked tasks on the
# console (sysrq w).  Prints; never fails.
host_io_diag() {
	local d f
	echo "diag: controllers: $(for c in /sys/class/nvme/nvme*; do
		[ -e $c/state ] && printf '%s=%s ' ${c##*/} "$(cat $c/state)"
	done)"
	for d in /sys/kernel/debug/block/nvme*; do
		[ -d "$d" ] || continue
		for f in state requeue_list hctx0/busy hctx0/dispatch \
			 hctx0/state hctx1/busy hctx1/dispatch; do
			[ -r "$d/$f" ] &&
				echo "diag: ${d##*/}/$f: $(tr '\n' ' ' < "$d/$f")"
		done
	done
	for d in /proc/[0-9]*; do
		[ "$(cat $d/comm 2>/dev/null)" = fio ] &&
			echo "diag: fio ${d#/proc/} wchan $(cat $d/wchan 2>/dev/null)"
	done
	for f in /sys/block/nvme*/inflight; do
		echo "diag: ${f#/sys/block/}: $(cat $f)"
	done
	# each path's ANA state and in-flight count: a multipath head
	# parks bios (uncounted) while no path is usable
	for d in /sys/class/nvme/nvme*/nvme*c*n*; do
		[ -d "$d" ] || continue
		echo "diag: path ${d##*/}: ana_state=$(cat $d/ana_state 2>/dev/null) inflight=$(cat $d/inflight 2>/dev/null | tr -s ' ')"
	done
	echo w > /proc/sysrq-trigger 2>/dev/null
	return 0
}

# dev_inflight DEV: requests in flight on DEV (reads + writes)
dev_inflight() {
	set -- $(cat /sys/block/${1#/dev/}/inflight)
	echo $(( $1 + $2 ))
}

# fio_wait SECONDS: wait (at most SECONDS) for fio ($FIO) to end; sets
# FIO_RC to its exit status
fio_wait() {
	local tries=0
	while kill -0 "$FIO" 2>/dev/null; do
		tries=$((tries + 1))
		[ $tries -gt $(($1 * 5)) ] && fail "fio still runs ${1}s later"
		sleep 0.2
	done
	wait "$FIO"
	FIO_RC=$?
	FIO=
}

# fio_cut_off OUT: fio (FIO_RC, output OUT) ended with an I/O error after
# doing I/O: the fault cut it off, it did not run out of time
fio_cut_off() {
	sed -n '/err=/p; /io_u error/p; /WRITE:/p; /READ:/p' "$1" | head -n 8 |
		sed 's/^/  fio: /'
	[ "$FIO_RC" -ne 0 ] || { cat "$1"; fail "fio exited 0 through the fault"; }
	grep -qE 'err= *[1-9]' "$1" || { cat "$1"; fail "fio reported no I/O error"; }
	grep -qE '(WRITE|READ): .* io=[1-9]' "$1" ||
		{ cat "$1"; fail "fio did no I/O before the fault"; }
}

# fio_verified OUT DEV: fio (FIO_RC, output OUT) of fio_verify_start
# succeeded and reported no error, and DEV read back (for the verify) all
# fio wrote to it since the start but the last batch, which the runtime
# may cut off: at most 32 blocks of at most 256 KiB (8 MiB).
fio_verified() {
	local dev=$2 rd wr
	grep -E 'err=|WRITE:|READ:|verify' "$1" | sed 's/^/  fio: /'
	[ "$FIO_RC" -eq 0 ] || { cat "$1"; fail "fio verify: exit $FIO_RC"; }
	grep -q 'err= 0' "$1" || { cat "$1"; fail "fio reported an error"; }
	set -- $(fio_mib $dev)
	rd=$1 wr=$2
	echo "  $dev: $wr MiB written, $rd MiB read back and verified"
	[ $wr -gt 0 ] || fail "fio wrote nothing to $dev"
	[ $((rd + 8)) -ge $wr ] ||
		fail "fio verified only $rd of the $wr MiB it wrote to $dev"
}

# ------------------------------------------------------------ data paths --

# mib_check FROM TO MIB WHAT: a random MiB written with O_DIRECT at
# MiB MIB of FROM reads back from TO (a block device, with O_DIRECT, or a
# file); fail naming WHAT otherwise.  Uses $PAT and $OUT.
mib_check() {
	dd if=/dev/urandom of="$PAT" bs=1M count=1 2>/dev/null ||
		fail "make $PAT"
	dd if="$PAT" of="$1" bs=1M seek="$3" oflag=direct conv=notrunc \
		2>/dev/null || fail "$4: write MiB $3 through $1"
	if [ -b "$2" ]; then
		dd if="$2" of="$OUT" bs=1M skip="$3" count=1 iflag=direct \
			2>/dev/null || fail "$4: read MiB $3 through $2"
	else
		dd if="$2" of="$OUT" bs=1M skip="$3" count=1 2>/dev/null ||
			fail "$4: read MiB $3 of $2"
	fi
	cmp -s "$PAT" "$OUT" ||
		fail "$4: MiB $3 written through $1, $2 reads other data"
}

# data_prep: 1 MiB of random data in /tmp/e2e-rand, and the SHA-256 of it
# (RAND_SUM) and of 1 MiB of zeroes (ZERO_SUM), for the checks below
data_prep() {
	head -c 1048576 /dev/urandom > /tmp/e2e-rand || fail "random data"
	RAND_SUM=$(sha256sum < /tmp/e2e-rand | cut -d' ' -f1)
	ZERO_SUM=$(head -c 1048576 /dev/zero | sha256sum | cut -d' ' -f1)
}

# sum_at FILE MIB: SHA-256 of the MiB at MIB MiB (block devices read
# O_DIRECT: no stale page cache of the backing device or the namespace)
sum_at() {
	fl=
	[ -b $1 ] && fl=iflag=direct
	dd if=$1 bs=1M skip=$2 count=1 $fl 2>/dev/null | sha256sum | cut -d' ' -f1
}

# placed DEV BACKING MIB: 1 MiB written to the namespace at MIB MiB reads
# back from the target's backing store at the same offset, and from DEV
placed() {
	dd if=/tmp/e2e-rand of=$1 bs=1M seek=$3 oflag=direct conv=fsync \
		2>/dev/null || fail "write 1 MiB to $1"
	expect_eq "$2 at $3 MiB after writing $1" "$RAND_SUM" "$(sum_at $2 $3)"
	expect_eq "$1 read back at $3 MiB" "$RAND_SUM" "$(sum_at $1 $3)"
}

# discarded DEV BACKING MIB: after random data, a block-layer discard
# (Dataset Management, deallocate) of that MiB leaves zeroes on the host
# and in the backing store (a hole in the file; freed null_blk pages)
discarded() {
	placed $1 $2 $3
	max=$(cat /sys/block/${1#/dev/}/queue/discard_max_bytes)
	[ "$max" -gt 0 ] || fail "$1 does not support discard"
	blkdiscard -o $(($3 * 1048576)) -l 1048576 $1 ||
		fail "blkdiscard $1 at $3 MiB"
	expect_eq "$1 at $3 MiB after discard" "$ZERO_SUM" "$(sum_at $1 $3)"
	expect_eq "$2 at $3 MiB after discard" "$ZERO_SUM" "$(sum_at $2 $3)"
}

# write_zeroes DEV BACKING MIB: same with nvme write-zeroes (Write Zeroes)
write_zeroes() {
	placed $1 $2 $3
	lba=$(( 1 << $(nvme id-ns $1 | sed -n 's/^lbaf .*lbads:\([0-9]*\).*in use.*/\1/p') ))
	nvme write-zeroes $1 -s $(($3 * 1048576 / lba)) -c $((1048576 / lba - 1)) ||
		fail "nvme write-zeroes $1 at $3 MiB"
	expect_eq "$1 at $3 MiB after write-zeroes" "$ZERO_SUM" "$(sum_at $1 $3)"
	expect_eq "$2 at $3 MiB after write-zeroes" "$ZERO_SUM" "$(sum_at $2 $3)"
}

# ------------------------------------------------------------- lifecycle --

# e2e_begin: clean slate (a killed earlier test may have left state),
# host modules, and a trap that always cleans up and unloads the target;
# a test with more to undo first (umount, kill) puts it in E2E_CLEANUP.
e2e_begin() {
	host_disconnect_all > /dev/null 2>&1
	tgt_teardown > /dev/null 2>&1
	tgt_unload > /dev/null 2>&1
	rmmod null_blk 2>/dev/null
	host_prep
	trap e2e_end EXIT
}

e2e_end() {
	rc=$?
	trap - EXIT
	set +e
	[ -n "${E2E_CLEANUP:-}" ] && eval "$E2E_CLEANUP"
	if ! tgt_teardown; then
		echo "FAIL: teardown left configfs objects behind"
		[ $rc -eq 0 ] && rc=1
	fi
	if ! tgt_unload; then
		echo "FAIL: target modules did not unload"
		[ $rc -eq 0 ] && rc=1
	fi
	grep -q '^null_blk ' /proc/modules && rmmod null_blk
	rm -f /tmp/e2e-*
	exit $rc
}
