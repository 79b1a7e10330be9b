#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fault runs over NVMe loop (tests/vm/guest/faults.sh), each while the
# Linux host runs fio with verify on namespace 1: port unlink and relink
# (nvme-loop has no reconnect: the unlink deletes the host controller,
# cutting fio off, and the host connects anew after the relink),
# namespace disable, enable and rmdir, a backend returning I/O errors,
# rmmod nvme_loop while in use; then teardown with every live-object
# count back to 0.  Host loss is not run: loop has no link to lose.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/loop.sh
. /vm/guest/faults.sh
E2E_CLEANUP="$F_CLEANUP; loop_cleanup; fault_dm_remove"
e2e_begin
loop_load
null_blk_load

F_NQN=$NQN_BASE:loop-faults
F_PORT=1
F_MOD=nvme_loop
F_KATO=5
F_RECONNECT=0
F_NO_LINK="loop has no link to lose"
fault_images
tgt_subsys $F_NQN 1
tgt_ns $F_NQN 1 $F_IMG1
loop_port $F_PORT
tgt_link $F_PORT $F_NQN

fault_connect() {
	nvme connect -t loop -n $F_NQN --keep-alive-tmo=$F_KATO ||
		fail "nvme connect -t loop"
	fault_found
}
fault_connect
echo "connected: $F_CTRL, $F_D1"

fault_run_all /dev/nullb0
rmmod nvme_loop || fail "rmmod nvme_loop after the teardown"
exit 0
