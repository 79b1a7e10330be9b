#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# ports/<ID>/: layout, defaults, round trips and refusals of the address
# and parameter attributes; referrals/ and ana_groups/.
. /vm/guest/lib.sh
modprobe nvmet || fail "modprobe nvmet"
P=$CFS/ports/1

mkdir $P || fail "mkdir port"
expect_errno "Invalid argument" mkdir $CFS/ports/abc
expect_errno "Invalid argument" mkdir $CFS/ports/70000
expect_eq "port dirs" "ana_groups referrals subsystems" "$(subdirs $P)"
expect_eq "port attrs" "addr_adrfam addr_traddr addr_treq addr_trsvcid addr_trtype addr_tsas param_inline_data_size param_max_queue_size param_mdts param_pi_enable param_state" "$(attrs $P)"
expect_file $P/addr_trtype ""
expect_file $P/addr_adrfam ""
expect_file $P/addr_traddr ""
expect_file $P/addr_trsvcid ""
expect_file $P/addr_treq "not specified"
expect_file $P/addr_tsas ""
expect_file $P/param_inline_data_size -1
expect_file $P/param_max_queue_size -1
expect_file $P/param_pi_enable 0
expect_file $P/param_state disabled
bad $P/param_state live "Permission denied"

rt $P/addr_trtype tcp
expect_file $P/addr_tsas none
rt $P/addr_adrfam ipv4
rt $P/addr_traddr "127.0.0.1 and the rest" 127.0.0.1
rt $P/addr_trsvcid 4420
rt $P/addr_treq required
rt $P/addr_treq "not required"
rt $P/addr_tsas none
expect_file $P/addr_treq "not required"	# a rewrite of the same tsas keeps it
rt $P/param_inline_data_size 16384
rt $P/param_max_queue_size 0x80 128
rt $P/param_pi_enable 1
rt $P/param_pi_enable 0

bad $P/addr_trtype foo "Invalid argument"
bad $P/addr_adrfam pcie "Invalid argument"
bad $P/addr_treq maybe "Invalid argument"
bad $P/addr_traddr "$(printf '%0257d' 0)" "Invalid argument"
bad $P/addr_trsvcid "$(printf '%033d' 0)" "Invalid argument"
bad $P/param_inline_data_size big "Invalid argument"

# addr_tsas tls1.3 and its addr_treq rules: 19-ports-tls-attrs.
rt $P/addr_trtype rdma
expect_file $P/addr_tsas connected
bad $P/addr_tsas datagram "Invalid argument"
rt $P/addr_trtype loop
expect_file $P/addr_tsas ""

# ana_groups/: group 1 is built in; 2..128 come and go.
expect_eq "ana groups" "1" "$(ls $P/ana_groups)"
expect_file $P/ana_groups/1/ana_state optimized
mkdir $P/ana_groups/2 || fail "mkdir ana group 2"
expect_file $P/ana_groups/2/ana_state inaccessible
rt $P/ana_groups/2/ana_state non-optimized
rt $P/ana_groups/1/ana_state change
bad $P/ana_groups/2/ana_state fast "Invalid argument"
expect_errno "Invalid argument" mkdir $P/ana_groups/0
expect_errno "Invalid argument" mkdir $P/ana_groups/129
expect_errno "File exists" mkdir $P/ana_groups/1
expect_errno "Operation not permitted" rmdir $P/ana_groups/1
expect_errno "Directory not empty" rmdir $P
rmdir $P/ana_groups/2 || fail "rmdir ana group 2"

# referrals/
mkdir $P/referrals/r1 || fail "mkdir referral"
expect_eq "referral attrs" "addr_adrfam addr_portid addr_traddr addr_treq addr_trsvcid addr_trtype enable" "$(attrs $P/referrals/r1)"
expect_file $P/referrals/r1/enable 0
expect_file $P/referrals/r1/addr_portid 0
rt $P/referrals/r1/addr_trtype tcp
rt $P/referrals/r1/addr_adrfam ipv4
rt $P/referrals/r1/addr_traddr 10.0.0.2
rt $P/referrals/r1/addr_trsvcid 8009
rt $P/referrals/r1/addr_portid 7
bad $P/referrals/r1/addr_portid 65536 "Invalid argument"
rt $P/referrals/r1/enable 1
bad $P/referrals/r1/addr_traddr 10.0.0.3 "Permission denied"
bad $P/referrals/r1/addr_portid 8 "Permission denied"
rt $P/referrals/r1/enable 0
rt $P/referrals/r1/addr_traddr 10.0.0.3
rt $P/referrals/r1/enable 1
expect_errno "Directory not empty" rmdir $P
rmdir $P/referrals/r1 || fail "rmdir an enabled referral"

rmdir $P || fail "rmdir port"
expect_absent $P
rmmod nvmet || fail "rmmod nvmet"
