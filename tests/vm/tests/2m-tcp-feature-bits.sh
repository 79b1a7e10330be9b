#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Feature bits the host sees, with a host connected over NVMe/TCP: turning
# write_zeroes and deallocate off and on in a null_blk namespace's
# device_features raises the Namespace Attribute Changed event (host
# tracepoint nvme_async_event), changes ONCS in Identify Controller (the
# namespace is the only one) and NSFEAT/DLFEAT in Identify Namespace, and
# makes Write Zeroes and Dataset Management (AD) answer Invalid Command
# Opcode (0x4001) instead of running or silently succeeding.  The host's
# queue limits (write_zeroes_max_bytes, discard_max_bytes) follow ONCS,
# which Linux reads when the controller (re)initialises: they are printed
# after the event's rescan and checked after "nvme reset".  Then a file
# and a loop-device namespace: Identify Namespace reports the backend's
# limits (NSFEAT bits 1 and 4, NAWUPF, NPWG, NPDG, NOWS), and a grown
# file and loop device show their new size after "nvme ns-rescan" alone,
# without a write to revalidate_size.  The core's compare and
# compare_write bits: compare off clears ONCS bit 0 and makes nvme compare
# Invalid Command Opcode, compare_write off clears FUSES bit 0.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
e2e_begin
[ "$TARGET" = intree ] && skip "device_features is nvmet-ng's"
tgt_load

N=$NQN_BASE:feat
IMG=/tmp/e2e-feat.img
LIMG=/tmp/e2e-feat-loop.img
null_blk_load
truncate -s 64M $IMG || fail "truncate $IMG"
truncate -s 32M $LIMG || fail "truncate $LIMG"
modprobe loop || fail "modprobe loop"
LD=$(losetup -f) && losetup $LD $LIMG || fail "losetup $LIMG"
E2E_CLEANUP="losetup -d $LD"
tgt_subsys $N 1
tgt_ns $N 1 /dev/nullb0
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N
F=$CFS/subsystems/$N/namespaces/1/device_features

T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T || fail "mount tracefs"
[ -d $T/events/nvme/nvme_async_event ] || fail "no nvme_async_event event"
echo 1 > $T/events/nvme/nvme_async_event/enable || fail "enable the event"
E2E_CLEANUP="echo 0 > $T/events/nvme/nvme_async_event/enable; $E2E_CLEANUP"

host_connect $N || fail "nvme connect"
C=$(ctrl_of $N) || fail "no controller"
D1=$(wait_for_dev $N 1) || fail "no namespace 1"

# qlim NSID ATTR: a queue limit of this controller's disk of the namespace
# (nvmeXcYnZ under native multipath, where the head stacks the paths)
qlim() {
	for q in /sys/class/nvme/$C/nvme*n$1/queue; do
		cat $q/$2
		return
	done
	echo none
}

# oncs_has BIT: Identify Controller, read now, has ONCS bit BIT
oncs_has() {
	o=$(id_ctrl_field /dev/$C oncs)
	[ $(( o & $1 )) -ne 0 ]
}

# wait_event: the host got a namespace-changed event since the trace was
# cleared (within 10 s)
wait_event() {
	end=$(( $(date +%s) + 10 ))
	until grep -q " $C: NVME_AEN=0x040002" $T/trace; do
		[ "$(date +%s)" -ge $end ] && fail "$1: no namespace-changed event"
		sleep 0.2
	done
	echo > $T/trace
}

# refused WHAT COMMAND...: nvme-cli reports Invalid Command Opcode
refused() {
	what=$1
	shift
	"$@" > /tmp/e2e-feat.out 2>&1 && fail "$what succeeded"
	st=$(sed -n 's/.*NVMe status: .*(\(0x[0-9a-fA-F]*\)).*/\1/p' /tmp/e2e-feat.out | head -n 1)
	[ -n "$st" ] && [ $(( st & 0x7ff )) -eq 1 ] ||
		fail "$what: not Invalid Command Opcode: $(cat /tmp/e2e-feat.out)"
	echo "$what: refused, status $st"
}

# reset_ctrl ATTR zero|nonzero: the host re-reads Identify Controller;
# its rescan then sets namespace 1's queue limit ATTR (within 20 s)
reset_ctrl() {
	nvme reset /dev/$C || fail "nvme reset /dev/$C"
	wait_ctrl_state $C live 20 > /dev/null || fail "$C not live after reset"
	end=$(( $(date +%s) + 20 ))
	while :; do
		v=$(qlim 1 $1)
		case $2:$v in zero:0|nonzero:[1-9]*) break ;; esac
		[ "$(date +%s)" -ge $end ] &&
			fail "$1 is '$v' 20 s after the reset, expected $2"
		sleep 0.2
	done
	echo "after reset: $1 $v (head $D1: $(cat /sys/block/${D1#/dev/}/queue/$1))"
}

wz() { nvme write-zeroes $D1 -s 0 -c 7; }
dsm() { nvme dsm $D1 --ad -s 8 -b 8; }

expect_file $F "write_zeroes=1 deallocate=1 vwc=0 copy=1 compare=1 verify=1 compare_write=1 pi=0"
oncs_has 0x8 || fail "ONCS lacks Write Zeroes at the start"
oncs_has 0x4 || fail "ONCS lacks Dataset Management at the start"
WZ0=$(qlim 1 write_zeroes_max_bytes)
DC0=$(qlim 1 discard_max_bytes)
[ "$WZ0" != 0 ] && [ "$DC0" != 0 ] ||
	fail "host limits at the start: write zeroes $WZ0, discard $DC0"
wz > /dev/null || fail "nvme write-zeroes with write_zeroes on"
dsm > /dev/null || fail "nvme dsm --ad with deallocate on"
echo "start: write_zeroes_max_bytes $WZ0 discard_max_bytes $DC0"
echo > $T/trace

# ------------------------------------------------------- write_zeroes --
write_attr $F write_zeroes=0
wait_event "write_zeroes=0"
expect_file $F "write_zeroes=0 deallocate=1 vwc=0 copy=1 compare=1 verify=1 compare_write=1 pi=0"
oncs_has 0x8 && fail "ONCS has Write Zeroes with write_zeroes off"
oncs_has 0x4 || fail "ONCS lost Dataset Management with write_zeroes off"
refused "nvme write-zeroes, write_zeroes off" wz
echo "write_zeroes=0: after the event's rescan write_zeroes_max_bytes $(qlim 1 write_zeroes_max_bytes)"
reset_ctrl write_zeroes_max_bytes zero
echo > $T/trace
write_attr $F write_zeroes=1
wait_event "write_zeroes=1"
oncs_has 0x8 || fail "ONCS lacks Write Zeroes with write_zeroes on again"
wz > /dev/null || fail "nvme write-zeroes with write_zeroes on again"
reset_ctrl write_zeroes_max_bytes nonzero

# --------------------------------------------------------- deallocate --
expect_eq "NSFEAT with deallocate on" 0x1 \
	"$(printf '%#x' $(( $(id_ns_field $D1 nsfeat) & 0x1 )))"
echo > $T/trace
write_attr $F deallocate=0
wait_event "deallocate=0"
expect_file $F "write_zeroes=1 deallocate=0 vwc=0 copy=1 compare=1 verify=1 compare_write=1 pi=0"
oncs_has 0x4 && fail "ONCS has Dataset Management with deallocate off"
oncs_has 0x8 || fail "ONCS lost Write Zeroes with deallocate off"
expect_eq "NSFEAT bit 0 with deallocate off" 0 \
	"$(( $(id_ns_field $D1 nsfeat) & 0x1 ))"
expect_eq "DLFEAT with deallocate off" 0 "$(id_ns_field $D1 dlfeat)"
refused "nvme dsm --ad, deallocate off" dsm
echo "deallocate=0: after the event's rescan discard_max_bytes $(qlim 1 discard_max_bytes)"
reset_ctrl discard_max_bytes zero
echo > $T/trace
write_attr $F deallocate=1
wait_event "deallocate=1"
oncs_has 0x4 || fail "ONCS lacks Dataset Management with deallocate on again"
dsm > /dev/null || fail "nvme dsm --ad with deallocate on again"
reset_ctrl discard_max_bytes nonzero

# ------------------------------------------- compare, compare_write --
# The core's bits: compare off clears ONCS bit 0 (Verify's bit 7 stays)
# and nvme compare is Invalid Command Opcode; compare_write off clears
# FUSES bit 0.  Identify is read afresh, so no reset is needed.
BLK=/tmp/e2e-feat.blk
dd if=/dev/urandom of=$BLK bs=512 count=1 2>/dev/null || fail "make $BLK"
nvme write $D1 -s 16 -c 0 -z 512 -d $BLK > /dev/null || fail "nvme write"
cmpb() { nvme compare $D1 -s 16 -c 0 -z 512 -d $BLK; }
cmpb > /dev/null || fail "nvme compare with compare on"
oncs_has 0x1 || fail "ONCS lacks Compare at the start"
expect_eq "FUSES at the start" 1 "$(( $(id_ctrl_field /dev/$C fuses) ))"
echo > $T/trace
write_attr $F compare=0
wait_event "compare=0"
oncs_has 0x1 && fail "ONCS has Compare with compare off"
oncs_has 0x80 || fail "ONCS lost Verify with compare off"
refused "nvme compare, compare off" cmpb
write_attr $F compare_write=0
wait_event "compare_write=0 pi=0"
expect_file $F "write_zeroes=1 deallocate=1 vwc=0 copy=1 compare=0 verify=1 compare_write=0 pi=0"
expect_eq "FUSES with compare_write off" 0 "$(( $(id_ctrl_field /dev/$C fuses) ))"
write_attr $F "compare=1 compare_write=1 pi=0"
wait_event "compare=1 compare_write=1 pi=0"
oncs_has 0x1 || fail "ONCS lacks Compare with compare on again"
expect_eq "FUSES with compare_write on again" 1 \
	"$(( $(id_ctrl_field /dev/$C fuses) ))"
cmpb > /dev/null || fail "nvme compare with compare on again"
echo "compare=0: Invalid Command Opcode, ONCS bit 0 clear; compare_write=0: FUSES 0"

# vwc: null_blk has no volatile cache, so it cannot be turned on.
expect_errno "Invalid argument" sh -c "echo vwc=1 > $F"

# --------------------------------------------- limits of file and bdev --
tgt_ns $N 2 $IMG
tgt_ns $N 3 $LD
D2=$(wait_for_dev $N 2 10) || fail "no namespace 2"
D3=$(wait_for_dev $N 3 10) || fail "no namespace 3"
for d in $D1 $D2 $D3; do
	echo "$d: nsfeat $(id_ns_field $d nsfeat) nawupf $(id_ns_field $d nawupf)" \
	     "npwg $(id_ns_field $d npwg) npdg $(id_ns_field $d npdg)" \
	     "nows $(id_ns_field $d nows) dlfeat $(id_ns_field $d dlfeat)"
done
# A block device: bits 1 and 4 (in-tree's); a file: bit 4, DLFEAT 001b.
expect_eq "$D1 NSFEAT bits 1 and 4" $(( 0x12 )) \
	"$(( $(id_ns_field $D1 nsfeat) & 0x12 ))"
expect_eq "$D3 NSFEAT bits 1 and 4" $(( 0x12 )) \
	"$(( $(id_ns_field $D3 nsfeat) & 0x12 ))"
expect_eq "$D2 NSFEAT bits 1 and 4" $(( 0x10 )) \
	"$(( $(id_ns_field $D2 nsfeat) & 0x12 ))"
expect_eq "$D2 DLFEAT" 1 "$(id_ns_field $D2 dlfeat)"
for b in nullb0:$D1 ${LD#/dev/}:$D3; do
	q=/sys/block/${b%%:*}/queue
	lbs=$(cat $q/logical_block_size)
	expect_eq "${b#*:} NAWUPF (physical block, 0's based)" \
		$(( $(cat $q/physical_block_size) / lbs - 1 )) \
		"$(id_ns_field ${b#*:} nawupf)"
	g=$(cat $q/discard_granularity)
	expect_eq "${b#*:} NPDG (discard granularity, 0's based)" \
		$(( (g > lbs ? g : lbs) / lbs - 1 )) "$(id_ns_field ${b#*:} npdg)"
done

# ------------------------------------------ size re-read on Identify --
truncate -s 128M $IMG || fail "grow $IMG"
truncate -s 64M $LIMG || fail "grow $LIMG"
losetup -c $LD || fail "losetup -c $LD"
nvme ns-rescan /dev/$C || fail "nvme ns-rescan"
for n in 2:$D2:134217728 3:$D3:67108864; do
	d=${n#*:}
	want=${d#*:}
	d=${d%%:*}
	end=$(( $(date +%s) + 10 ))
	while [ "$(blockdev --getsize64 $d)" != "$want" ]; do
		[ "$(date +%s)" -ge $end ] &&
			fail "$d is $(blockdev --getsize64 $d) bytes 10 s after the rescan, not $want"
		sleep 0.2
	done
	expect_eq "$d size (id-ns)" $want "$(ns_bytes $d)"
	echo "$d: $want bytes after ns-rescan, no revalidate_size"
done
expect_file /sys/class/nvme/$C/state live
exit 0
