#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# ports/<ID>/addr_tsas and addr_treq on a TCP port: every value, its
# read-back and what it does to the other, every refused value and its
# errno, -EACCES on an enabled port, as Debian's in-tree target has them.
# TARGET=intree runs the same checks against the in-tree nvmet; the lines
# marked "ours" are our documented deviation (rewriting the security type
# the port already has leaves addr_treq alone, so that nvmetcli restores
# it; Documentation/design.md, "TLS on NVMe/TCP").  A kernel without
# TLS (6.1: no net/handshake, no nvme-keyring) refuses tls1.3 on both.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
tgt_load
P=$CFS/ports/1
mkdir $P || fail "mkdir port"
rt $P/addr_trtype tcp
expect_file $P/addr_tsas none
expect_file $P/addr_treq "not specified"
bad $P/addr_tsas tls1.2 "Invalid argument"
bad $P/addr_tsas connected "Invalid argument"
bad $P/addr_treq maybe "Invalid argument"

if [ ! -d /sys/module/nvme_keyring ]; then
	echo "no nvme-keyring in this kernel: no TLS"
	bad $P/addr_tsas tls1.3 "Invalid argument"
	rmdir $P || fail "rmdir port"
	exit 0
fi

# tls1.3 turns "not specified" into required, keeps the others.
rt $P/addr_tsas tls1.3
expect_file $P/addr_treq required
bad $P/addr_treq "not specified" "Invalid argument"
rt $P/addr_treq "not required"
rt $P/addr_tsas tls1.3
expect_file $P/addr_treq "not required"
rt $P/addr_treq required
# none resets the requirement to "not specified".
rt $P/addr_tsas none
expect_file $P/addr_treq "not specified"
rt $P/addr_treq required
rt $P/addr_tsas tls1.3
expect_file $P/addr_treq required
# Rewriting none on a plain port: in-tree resets addr_treq, ours keeps it.
rt $P/addr_tsas none
rt $P/addr_treq "not required"
rt $P/addr_tsas none
if [ "$TARGET" = intree ]; then
	expect_file $P/addr_treq "not specified"
else
	expect_file $P/addr_treq "not required"	# ours
fi
# Another transport type resets addr_tsas; addr_treq stays.
rt $P/addr_tsas tls1.3
rt $P/addr_trtype rdma
expect_file $P/addr_tsas connected
rt $P/addr_trtype tcp
expect_file $P/addr_tsas none

# An enabled port takes neither.
rt $P/addr_tsas tls1.3
rt $P/addr_adrfam ipv4
rt $P/addr_traddr 127.0.0.1
rt $P/addr_trsvcid 4420
N=$NQN_BASE:tls-attrs
tgt_subsys $N 1
tgt_link 1 $N
bad $P/addr_tsas none "Permission denied"
bad $P/addr_treq required "Permission denied"
expect_file $P/addr_tsas tls1.3
rm $P/subsystems/$N || fail "unlink"
rt $P/addr_tsas none
tgt_teardown || fail "teardown"
exit 0
