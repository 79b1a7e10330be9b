#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Reservations shared across protocols (nvmet-lio): one LIO fileio
# backstore is a SCSI disk of the guest through tcm_loop and an NVMe/TCP
# namespace of ours (device_backend lio, no resv_enable: the backstore's
# emulate_pr gives it reservations), and NVMe reservations are the
# backstore's SPC-3 persistent reservations.  Two NVMe host identities,
# A and B (each its own controller and block device, nvme_core with
# multipath=N, as 2j), and the SCSI initiator (tcm_loop's nexus):
# - Identify: RESCAP has the six types and IEKEY.
# - SCSI registers and reserves Write Exclusive: the NVMe hosts' writes
#   fail with Reservation Conflict, reads succeed, the data stays; the
#   NVMe report shows the SCSI registrant (its SAS address as host ID)
#   as the holder; SCSI's release frees the writes.
# - NVMe host A registers (sg_persist -k shows its key, READ FULL STATUS
#   its nexus, named after its host ID) and acquires Write Exclusive: a
#   SCSI WRITE(16) (sg_raw) fails with RESERVATION CONFLICT and changes
#   nothing, SCSI reads succeed, host A writes, host B (not registered:
#   a nexus of its own) is refused.
# - Preempt across protocols both ways, Clear from either side, Register
#   with the same key again, a report without the extended data
#   structure (Host Identifier Inconsistent Format).
# - What SCSI does to host A reaches A's Reservation Notification log
#   (LID 80h) at A's next command on the namespace, when target-core
#   reports its UNIT ATTENTION: SCSI's preempt of A's registration gives
#   Registration Preempted (1h, with its AEN), SCSI's release of a
#   Registrants Only reservation Reservation Released (2h), SCSI's clear
#   Reservation Preempted (3h); host B, not registered, gets none; with
#   Reservation Released masked (Set Features 82h) the release gives none.
# - Host A's registration outlives its controller (disconnect, connect).
# - CPTPL 3 sets APTPL: the report's PTPLS and REPORT CAPABILITIES' PTPL_A.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/resv.sh
. /vm/guest/lio.sh
e2e_begin
lio_require
command -v sg_persist > /dev/null || fail "no sg_persist in the image"
command -v sg_raw > /dev/null || fail "no sg_raw in the image"
T=/sys/kernel/config/target
IMG=/tmp/e2e-lior.img
BS=$T/core/fileio_0/resv0
LOOP=$T/loopback/naa.5001405000000b01/tpgt_1
SCSI_NEXUS=naa.5001405000000b02
LIO=$T/nvmet_lio/e2er/tpgt_1
OUT=/tmp/e2e-lior.out
KEY_S=0x5c	# the SCSI initiator's key
NS=$CFS/subsystems/$RESV_N/namespaces/1

# after a failure: what nvmet-lio and target-core hold, before
# resv_restore unloads the target
lior_cleanup() {
	host_disconnect_all
	[ -e "$NS/enable" ] && echo 0 > $NS/enable
	[ -d "$NS" ] && rmdir $NS
	rm -f $LIO/lun/lun_0/resv0 $LOOP/lun/lun_0/resv0
	rmdir $LIO/lun/lun_0 $LIO $T/nvmet_lio/e2er $T/nvmet_lio \
		$LOOP/lun/lun_0 $LOOP $T/loopback/naa.5001405000000b01 \
		$T/loopback $BS $T/core/fileio_0 2>/dev/null
	tgt_teardown
	for _m in nvmet_lio tcm_loop target_core_file target_core_mod; do
		grep -q "^$_m " /proc/modules && rmmod $_m
	done
	rm -rf /var/target
	return 0
}
E2E_CLEANUP=lior_cleanup
resv_single_path
tgt_load
for m in target_core_mod target_core_file tcm_loop sd_mod; do
	modprobe $m 2>/dev/null || [ -d /sys/module/$m ] || fail "modprobe $m"
done
modprobe nvmet-lio || fail "modprobe nvmet-lio"

# target-core writes APTPL state here
mkdir -p /var/target/pr || fail "mkdir /var/target/pr"
mkdir -p $BS || fail "mkdir $BS"
write_attr $BS/control "fd_dev_name=$IMG,fd_dev_size=$(( 16 << 20 ))"
write_attr $BS/enable 1
expect_file $BS/attrib/emulate_pr 1
mkdir -p $LOOP/lun/lun_0 || fail "mkdir $LOOP/lun/lun_0"
write_attr $LOOP/nexus $SCSI_NEXUS
ln -s $BS $LOOP/lun/lun_0/resv0 || fail "link the tcm_loop LUN"
S=$(lio_scsi_disk FILEIO) || fail "no tcm_loop disk after 15 s"
echo "tcm_loop disk $S"
mkdir -p $LIO/lun/lun_0 || fail "mkdir $LIO/lun/lun_0"
ln -s $BS $LIO/lun/lun_0/resv0 || fail "link the nvmet_lio LUN"

tgt_port 1 127.0.0.1 4420
tgt_port 2 127.0.0.1 4421
tgt_subsys $RESV_N 1
mkdir $NS || fail "mkdir namespace 1"
write_attr $NS/device_backend lio
write_attr $NS/device_path fileio_0/resv0
m=$(kmsg_mark "enable")
write_attr $NS/enable 1
dmesg_since "$m" | grep -q "reservations the backstore's" ||
	fail "the enable does not say the backstore keeps the reservations"
tgt_link 1 $RESV_N
tgt_link 2 $RESV_N
resv_connect() { _i=$1; shift; TRSVCID=$((4419 + _i)) host_connect "$@"; }
resv_host A $HOSTNQN_A $HOSTID_A 1
_lbads=$(nvme id-ns $DEV_A | sed -n 's/^lbaf .*lbads:\([0-9]*\).*in use.*/\1/p')
LBAS=$((1 << _lbads))
resv_host B $HOSTNQN_B $HOSTID_B 2
for _h in A B S; do
	head -c $LBAS /dev/urandom > /tmp/e2e-resv.$_h
done
rescap=$(id_ns_field $DEV_A rescap)
[ $(( rescap & 0xfe )) -eq $((0xfe)) ] ||
	fail "RESCAP $rescap lacks some of 0xfe (six types, IEKEY)"
echo "LBA size $LBAS, rescap $rescap"

# sgp ARGS...: sg_persist -n on the tcm_loop disk into $OUT, once more
# after a UNIT ATTENTION (target-core tells the SCSI nexus of preempts);
# prints sg_persist's exit status
sgp() {
	for _try in 1 2 3; do
		_rc=0
		sg_persist -n "$@" $S > $OUT 2>&1 || _rc=$?
		[ $_rc -eq 6 ] || break
	done
	echo $_rc
}
# swrite LBA: a SCSI WRITE(16) of the SCSI side's block at LBA; prints
# sg_raw's exit status (0 done, 24 reservation conflict)
swrite() {
	for _try in 1 2 3; do
		_rc=0
		sg_raw -s $LBAS -i /tmp/e2e-resv.S $S 8a 00 \
			$(printf '00 00 00 00 00 00 00 %02x' $1) 00 00 00 01 00 00 \
			> $OUT 2>&1 || _rc=$?
		[ $_rc -eq 6 ] || break
	done
	echo $_rc
}
# sblock LBA: SHA-256 of the block at LBA read through the SCSI disk
sblock() {
	dd if=$S bs=$LBAS skip=$1 count=1 iflag=direct 2>/dev/null |
		sha256sum | cut -d' ' -f1
}
# skeys: the keys sg_persist -k reads, sorted, space-separated
skeys() {
	expect_eq "sg_persist -k" 0 "$(sgp -k)"
	sed -n 's/^ *\(0x[0-9a-f]*\)$/\1/p' $OUT | sort | tr '\n' ' ' |
		sed 's/ $//'
}
sout() { expect_eq "sg_persist $*" 0 "$(sgp --out "$@")"; }
# sentry HOLDS: the report's entry of the SCSI registrant: its SAS
# address as the last 8 bytes of the host ID
sentry() { reg_entry 0000000000000000${SCSI_NEXUS#naa.} $KEY_S $1; }

# ---- a SCSI reservation holds NVMe hosts off ----
expect_st "A writes block 0" 0x0 io A write 0
sum0=$(sum_of /tmp/e2e-resv.A)
sout --register --param-sark=$KEY_S
sout --reserve --param-rk=$KEY_S --prout-type=1
expect_st "A writes under SCSI's Write Exclusive" $SC_CONFLICT io A write 0
expect_st "B writes under SCSI's Write Exclusive" $SC_CONFLICT io B write 0
expect_st "A reads under SCSI's Write Exclusive" 0x0 io A read 0
expect_eq "block 0 after refused writes" $sum0 "$(block A 0)"
expect_resv "SCSI holds Write Exclusive" 1 "$(sentry 1)"
echo "SCSI's Write Exclusive: NVMe writes refused (83h), reads pass, data kept"

# ---- NVMe host A registers: SCSI sees its key and its nexus ----
expect_st "A registers" 0x0 reg A 0 0 $KEY_A
expect_st "A registers again, the same key" 0x0 reg A 0 0 $KEY_A
expect_st "A registers again, another key" $SC_CONFLICT reg A 0 0 0xa7
expect_eq "sg_persist -k" "$KEY_S $KEY_A" "$(skeys)"
expect_eq "sg_persist -s" 0 "$(sgp -s)"
grep -q "nvmet-lio.hostid.$HOSTID_A" $OUT ||
	fail "READ FULL STATUS has no nexus named after host A: $(cat $OUT)"
expect_st "A, registered, writes under Write Exclusive" $SC_CONFLICT io A write 0
expect_resv "A registered" 1 "$(sentry 1) $(reg_entry $HOSTID_A $KEY_A 0)"
expect_st "report without EDS" $SC_HOSTID_FORMAT \
	st nvme resv-report $DEV_A -n 1 -b
sout --release --param-rk=$KEY_S --prout-type=1
expect_st "A writes after SCSI's release" 0x0 io A write 0
expect_eq "block 0 after A's write" "$(sum_of /tmp/e2e-resv.A)" "$(sblock 0)"
echo "NVMe registrant seen by SCSI; SCSI's release frees NVMe writes"

# ---- an NVMe reservation holds the SCSI initiator off ----
expect_st "A acquires Write Exclusive" 0x0 acq A 0 $KEY_A 0 1
expect_eq "SCSI WRITE under A's Write Exclusive" 24 "$(swrite 0)"
expect_eq "block 0 after the refused SCSI write" \
	"$(sum_of /tmp/e2e-resv.A)" "$(block A 0)"
expect_eq "SCSI read under A's Write Exclusive" \
	"$(sum_of /tmp/e2e-resv.A)" "$(sblock 0)"
expect_eq "sg_persist -r" 0 "$(sgp -r)"
grep -q "Key=$KEY_A" $OUT && grep -q "type: Write Exclusive" $OUT ||
	fail "READ RESERVATION does not show A's Write Exclusive: $(cat $OUT)"
expect_st "A, the holder, writes" 0x0 io A write 1
expect_st "B, not registered, writes" $SC_CONFLICT io B write 1
expect_st "B reads" 0x0 io B read 1
echo "NVMe Write Exclusive: SCSI WRITE(16) refused, reads pass; B is another nexus"

# ---- preempt across protocols ----
drain_all A B
aen=0
resv_trace_on && aen=1
sout --preempt --param-rk=$KEY_S --param-sark=$KEY_A --prout-type=3
expect_notif "SCSI preempted A, before A's next command" A 0
expect_st "A reads under SCSI's Exclusive Access" $SC_CONFLICT io A read 0
expect_notif "SCSI preempted A's registration" A 1
expect_notif "SCSI preempted A, no more" A 0
expect_notif "SCSI preempted A, B not registered" B 0
[ $aen = 1 ] && expect_aen A
expect_resv "SCSI preempted A, Exclusive Access" 2 "$(sentry 1)"
expect_st "A registers after the preempt" 0x0 reg A 0 0 $KEY_A
expect_st "A preempts SCSI, Write Exclusive" 0x0 acq A 1 $KEY_A $KEY_S 1
expect_resv "A preempted SCSI" 1 "$(reg_entry $HOSTID_A $KEY_A 1)"
expect_eq "sg_persist -k after A's preempt" "$KEY_A" "$(skeys)"
expect_eq "SCSI WRITE after A's preempt" 24 "$(swrite 2)"
echo "preempt: SCSI preempts NVMe and NVMe preempts SCSI"

# ---- clear from either side ----
sout --register --param-sark=$KEY_S
expect_st "A clears" 0x0 rel A 1 $KEY_A 0
expect_eq "sg_persist -k after A's clear" "" "$(skeys)"
expect_eq "SCSI WRITE after A's clear" 0 "$(swrite 2)"
expect_eq "block 2 after the SCSI write" "$(sum_of /tmp/e2e-resv.S)" "$(block B 2)"
expect_st "A registers" 0x0 reg A 0 0 $KEY_A
expect_st "A acquires Exclusive Access" 0x0 acq A 0 $KEY_A 0 2
expect_st "B reads under A's Exclusive Access" $SC_CONFLICT io B read 0
sout --register --param-sark=$KEY_S
drain A
sout --clear --param-rk=$KEY_S
expect_resv "SCSI cleared" 0 ""
expect_notif "SCSI cleared A's reservation (A's report)" A 3
expect_notif "SCSI cleared, no more" A 0
expect_st "B writes after SCSI's clear" 0x0 io B write 3
expect_notif "SCSI cleared, B not registered" B 0
echo "clear: from NVMe and from SCSI, the other side freed and told (3h)"

# ---- SCSI releases a Registrants Only reservation: A is told ----
expect_st "A registers" 0x0 reg A 0 0 $KEY_A
sout --register --param-sark=$KEY_S
drain A
want "A masks Reservation Released" 0x0 \
	nvme set-feature $DEV_A -f 0x82 -n 1 -v 4
out=$(nvme get-feature $DEV_A -f 0x82 -n 1 2>&1) || fail "get-feature 0x82: $out"
v=$(echo "$out" | sed -n 's/.*Current value: *\(0x[0-9a-fA-F]*\).*/\1/p')
[ -n "$v" ] && [ $((v)) -eq 4 ] || fail "get-feature 0x82 after setting 4: $out"
sout --reserve --param-rk=$KEY_S --prout-type=5
sout --release --param-rk=$KEY_S --prout-type=5
expect_st "A writes after SCSI's release, masked" 0x0 io A write 4
expect_notif "SCSI released, Reservation Released masked" A 0
want "A unmasks" 0x0 nvme set-feature $DEV_A -f 0x82 -n 1 -v 0
sout --reserve --param-rk=$KEY_S --prout-type=5
sout --release --param-rk=$KEY_S --prout-type=5
expect_st "A writes after SCSI's release" 0x0 io A write 4
expect_notif "SCSI released Write Exclusive, Registrants Only" A 2
expect_notif "SCSI released, no more" A 0
sout --register --param-rk=$KEY_S --param-sark=0
echo "release: A's log has Reservation Released (2h), not while masked"

# ---- a registration outlives the host's controller ----
expect_st "A registers" 0x0 reg A 0 0 $KEY_A
nvme disconnect -d $CTRL_A > /dev/null || fail "disconnect A"
expect_eq "sg_persist -k, A disconnected" "$KEY_A" "$(skeys)"
resv_host A $HOSTNQN_A $HOSTID_A 1
expect_resv "A back" 0 "$(reg_entry $HOSTID_A $KEY_A 0)"
echo "host A's registration outlives its controller"

# ---- PTPL as APTPL ----
expect_st "A replaces its key, CPTPL 3" 0x0 reg A 2 $KEY_A 0xa3 --cptpl=3
report A
expect_eq "PTPLS" 1 "$(lenum /tmp/e2e-resv.rep 9 1)"
expect_eq "sg_persist -c" 0 "$(sgp -c)"
grep -q "(PTPL_A): 1" $OUT || fail "REPORT CAPABILITIES: no PTPL_A: $(cat $OUT)"
expect_st "A unregisters, CPTPL 2" 0x0 reg A 1 0xa3 0 --cptpl=2
report A
expect_eq "PTPLS after CPTPL 2" 0 "$(lenum /tmp/e2e-resv.rep 9 1)"
echo "CPTPL: APTPL and back"

# ---- teardown: nvmet-lio before target_core_mod ----
host_disconnect_all || fail "disconnect"
write_attr $NS/enable 0
rmdir $NS || fail "rmdir namespace 1"
rm $LIO/lun/lun_0/resv0 $LOOP/lun/lun_0/resv0 || fail "unlink the LUNs"
rmdir $LIO/lun/lun_0 $LIO $T/nvmet_lio/e2er $T/nvmet_lio ||
	fail "rmdir our fabric's tree"
rmdir $LOOP/lun/lun_0 $LOOP $T/loopback/naa.5001405000000b01 $T/loopback ||
	fail "rmdir the tcm_loop tree"
rmdir $BS $T/core/fileio_0 || fail "rmdir the backstore"
tgt_teardown || fail "teardown"
rmmod nvmet_lio || fail "rmmod nvmet_lio"
for m in tcm_loop target_core_file target_core_iblock target_core_pscsi \
	 target_core_user target_core_mod; do
	grep -q "^$m " /proc/modules || continue
	rmmod $m || fail "rmmod $m"
done
rm -f $IMG $OUT /tmp/e2e-resv.A /tmp/e2e-resv.B /tmp/e2e-resv.S
rm -rf /var/target
exit 0
