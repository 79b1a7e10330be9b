#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/TCP discovery: two subsystems on one TCP port, one open only to
# host A, one to any host, and a referral.  nvme discover as host A lists
# the current discovery subsystem, both subsystems and the referral, each
# with the right subtype, subnqn, trtype, adrfam, traddr, trsvcid and
# portid; as host B it lists all but A's subsystem.  Unlinking a
# subsystem removes it from the log and bumps the generation counter, and
# a discovery leaves no controller behind on the host.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
e2e_begin
tgt_load

SA=$NQN_BASE:disc-a
SANY=$NQN_BASE:disc-any
tgt_subsys $SA 0
tgt_allow $SA $HOSTNQN_A
tgt_subsys $SANY 1
tgt_port 1 127.0.0.1 4420
tgt_link 1 $SA
tgt_link 1 $SANY
R=$CFS/ports/1/referrals/r1
mkdir $R || fail "mkdir referral"
write_attr $R/addr_trtype tcp
write_attr $R/addr_adrfam ipv4
write_attr $R/addr_traddr 127.0.0.2
write_attr $R/addr_trsvcid 4421
write_attr $R/addr_portid 7
write_attr $R/enable 1

# discover HOSTNQN HOSTID: the records, one per line (see disc_records)
J=/tmp/e2e-disc.json
discover() {
	nvme discover -t tcp -a 127.0.0.1 -s 4420 -q "$1" -I "$2" -o json \
		> $J 2> /tmp/e2e-disc.err ||
		{ cat /tmp/e2e-disc.err $J; fail "nvme discover as $1"; }
	expect_eq "host controllers after discover" 0 "$(ctrl_count)"
	disc_records $J
}
genctr() { tr -d '\n ' < $J | sed -n 's/.*"genctr":\([0-9]*\).*/\1/p'; }

CUR="current discovery subsystem|$DISC_NQN|tcp|ipv4|127.0.0.1|4420|1"
REF="discovery subsystem referral|$DISC_NQN|tcp|ipv4|127.0.0.2|4421|7"
ENT_A="nvme subsystem|$SA|tcp|ipv4|127.0.0.1|4420|1"
ENT_ANY="nvme subsystem|$SANY|tcp|ipv4|127.0.0.1|4420|1"
want() { printf '%s\n' "$@" | sort; }

got=$(discover $HOSTNQN_A $HOSTID_A) || { echo "$got"; exit 1; }
echo "host A sees:"; echo "$got" | sed 's/^/  /'
expect_eq "discovery log for host A" "$(want "$CUR" "$REF" "$ENT_A" "$ENT_ANY")" "$got"
expect_eq "numrec for host A" 4 "$(grep -o '"subtype"' $J | grep -c .)"

got=$(discover $HOSTNQN_B $HOSTID_B) || { echo "$got"; exit 1; }
echo "host B sees:"; echo "$got" | sed 's/^/  /'
expect_eq "discovery log for host B" "$(want "$CUR" "$REF" "$ENT_ANY")" "$got"
gen1=$(genctr)
[ -n "$gen1" ] || fail "no genctr in the discovery log"

# A configuration change shows in the next log, with a new genctr.
rm $CFS/ports/1/subsystems/$SANY || fail "unlink $SANY"
write_attr $R/enable 0
got=$(discover $HOSTNQN_B $HOSTID_B) || { echo "$got"; exit 1; }
expect_eq "discovery log for host B after unlink" "$(want "$CUR")" "$got"
gen2=$(genctr)
[ "$gen2" != "$gen1" ] || fail "genctr still $gen1 after a change"
got=$(discover $HOSTNQN_A $HOSTID_A) || { echo "$got"; exit 1; }
expect_eq "discovery log for host A after unlink" "$(want "$CUR" "$ENT_A")" "$got"
exit 0
