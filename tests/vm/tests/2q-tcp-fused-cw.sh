#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fused Compare and Write over NVMe/TCP, which the Linux host cannot send:
# nvme-tcp-fused (tests/fuzz/fused.c, on the fuzzer's connection code)
# sends each pair's two capsules back to back on one I/O queue, against a
# null_blk namespace (bdev backend, 512-byte blocks) and a file namespace
# (file backend, 4 KiB blocks).  It checks Identify Controller FUSES bit
# 0; a matching Compare lets the Write through (read back); a mismatch is
# Compare Failure and the Write Command Aborted due to Failed Fused
# Command, the data unchanged; a first followed by a Read, a second on
# its own and a first whose second never comes (the target's 1 s wait)
# are Command Aborted due to Missing Fused Command; a second of another
# block is Invalid Field for both.  In-tree nvmet has no fused commands.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
e2e_begin
[ "$TARGET" = intree ] && skip "in-tree nvmet has no fused commands"
command -v nvme-tcp-fused > /dev/null || fail "no nvme-tcp-fused in the image"
tgt_load

N=$NQN_BASE:fused
IMG=/tmp/e2e-fused.img
OUT=/tmp/e2e-fused.out
null_blk_load
truncate -s 16M $IMG || fail "truncate $IMG"
tgt_subsys $N 1
tgt_ns $N 1 /dev/nullb0
tgt_ns $N 2 $IMG
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N

for nsid in 1 2; do
	t0=$(date +%s)
	rc=0
	nvme-tcp-fused -a 127.0.0.1 -p 4420 -n $nsid $N > $OUT 2>&1 || rc=$?
	sed "s/^/ns $nsid: /" $OUT
	[ $rc -eq 0 ] || fail "namespace $nsid: nvme-tcp-fused failed (rc $rc)"
	grep -q '^fused: 12 passed, 0 failed$' $OUT ||
		fail "namespace $nsid: not every check ran"
	echo "namespace $nsid: $(( $(date +%s) - t0 )) s"
done
exit 0
