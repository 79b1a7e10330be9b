#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# ports/<ID>/param_mdts, the port's Maximum Data Transfer Size in Identify
# Controller's unit (2^N pages of 4 KiB; 0: no limit): its default (8,
# 1 MiB), round trips, refused values (-EINVAL, and the old value stays),
# frozen while the port is enabled (-EACCES); a TCP port refuses to
# enable with more than 128 KiB of in-capsule data (-EINVAL).  Then a Linux host on a TCP
# port with param_mdts 2 (16 KiB) reads mdts 2 in nvme id-ctrl, sizes its
# queue by it (max_hw_sectors_kb 16), and does I/O larger than that which
# it must split: 1 MiB writes land on the backing device and read back,
# and fio's 4k-128k random writes verify.  The in-tree target (6.12) has
# no param_mdts: skipped there.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
[ "$TARGET" = intree ] && skip "the in-tree target has no param_mdts"
e2e_begin
tgt_load

P=$CFS/ports/1
N=$NQN_BASE:mdts
null_blk_load
tgt_subsys $N 1
tgt_ns $N 1 /dev/nullb0
tgt_port 1 127.0.0.1 4420

expect_file $P/param_mdts 8
rt $P/param_mdts 0
rt $P/param_mdts 17
rt $P/param_mdts 0x3 3
bad $P/param_mdts 18 "Invalid argument"
bad $P/param_mdts 256 "Invalid argument"
bad $P/param_mdts -1 "Invalid argument"
bad $P/param_mdts big "Invalid argument"
expect_file $P/param_mdts 3
rt $P/param_mdts 2

# A TCP port takes at most 128 KiB of in-capsule data: more fails the link.
rt $P/param_inline_data_size 262144
expect_errno "Invalid argument" ln -s $CFS/subsystems/$N $P/subsystems/$N
expect_absent $P/subsystems/$N
rt $P/param_inline_data_size 131072

tgt_link 1 $N
bad $P/param_mdts 8 "Permission denied"
expect_file $P/param_mdts 2

data_prep
host_connect $N || fail "nvme connect"
C=$(ctrl_of $N) || fail "no host controller for $N"
D=$(wait_for_dev $N 1) || fail "no namespace"
expect_eq "id-ctrl mdts" 2 "$(id_ctrl_field /dev/$C mdts)"
expect_file /sys/block/${D#/dev/}/queue/max_hw_sectors_kb 16
placed $D /dev/nullb0 3
placed $D /dev/nullb0 40
fio_verify $D 32M
host_disconnect_all || fail "disconnect"
wait_dev_gone $N 1

# Unlinked, the port takes a new value again.
rm $P/subsystems/$N || fail "unlink"
rt $P/param_mdts 8
exit 0
