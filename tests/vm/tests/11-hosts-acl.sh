#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# hosts/<NQN>/ and allowed_hosts/ links: the ACL rules and busy hosts.
. /vm/guest/lib.sh
modprobe nvmet || fail "modprobe nvmet"
S=$CFS/subsystems/nqn.2026-11.io.nvmet-ng:acl
H=$CFS/hosts/nqn.2026-11.io.nvmet-ng:host1
mkdir $S $H || fail "mkdir"
mkdir $CFS/ports/1 || fail "mkdir port"

# The dhchap_* attributes: 18-hosts-dhchap.
expect_eq "host attrs" "dhchap_ctrl_key dhchap_dhgroup dhchap_hash dhchap_key" "$(attrs $H)"

ln -s $H $S/allowed_hosts/nqn.2026-11.io.nvmet-ng:host1 || fail "ln host"
expect_eq "allowed_hosts" "nqn.2026-11.io.nvmet-ng:host1" "$(ls $S/allowed_hosts)"
expect_errno "File exists" ln -s $H $S/allowed_hosts/again
expect_errno "Invalid argument" ln -s $CFS/ports/1 $S/allowed_hosts/notahost
bad $S/attr_allow_any_host 1 "Invalid argument"
expect_errno "Device or resource busy" rmdir $H
expect_errno "Directory not empty" rmdir $S

rm $S/allowed_hosts/nqn.2026-11.io.nvmet-ng:host1 || fail "rm link"
expect_eq "allowed_hosts after rm" "" "$(ls $S/allowed_hosts)"
rt $S/attr_allow_any_host 1
expect_errno "Invalid argument" ln -s $H $S/allowed_hosts/h1
expect_eq "allowed_hosts still empty" "" "$(ls $S/allowed_hosts)"

rmdir $H $S $CFS/ports/1 || fail "teardown"
rmmod nvmet || fail "rmmod nvmet"
