#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fault runs over NVMe/RDMA (Soft-RoCE; tests/vm/guest/faults.sh), each
# while the Linux host runs fio with verify on namespace 1: port unlink
# and relink, namespace disable, enable and rmdir, a backend
# returning I/O errors, rmmod nvmet_rdma while in use; then teardown with
# every live-object count back to 0.
#
# Host loss is not run.  There is no network namespace to put the host
# in: both RDMA sides make their rdma_cm IDs in init_net, and host and
# target share one rxe device, which loops its packets back inside rxe
# (rxe_loopback()): they never reach a netdev, so neither a veth nor
# tc/nft on the path can cut them.  The nearest link loss is the RoCE
# link itself (the rxe netdev down, its address off): tried, the target
# expires the controller on its keep-alive timer (ours and in-tree alike)
# and the host's reconnects fail fast while the link is down, but once
# the link and address are back (in either order) the host's next
# reconnect waits in nvme_rdma_wait_for_cm() for a CM event that does not
# come for minutes, with either target: a host/rxe matter, and past this
# test's time budget.
#
# VM_ARGS="TARGET=intree tests=71" runs it against Debian's target.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
. /vm/guest/faults.sh
rdma_begin
E2E_CLEANUP="$F_CLEANUP; host_disconnect_all; tgt_teardown; fault_dm_remove;
	$E2E_CLEANUP"
rdma_tgt_load
null_blk_load

F_NQN=$NQN_BASE:rdma-faults
F_PORT=1
F_MOD=nvmet_rdma
F_KATO=5
F_NO_LINK="the RoCE link's loss: the host does not reconnect after it (see the header)"
fault_images
tgt_subsys $F_NQN 1
tgt_ns $F_NQN 1 $F_IMG1
rdma_tgt_port $F_PORT
tgt_link $F_PORT $F_NQN

fault_connect() {
	rdma_connect $F_NQN --keep-alive-tmo=$F_KATO --reconnect-delay=1 \
		--ctrl-loss-tmo=600 || fail "nvme connect"
	fault_found
}
fault_connect
echo "connected: $F_CTRL ($(cat /sys/class/nvme/$F_CTRL/address)), $F_D1"
fault_run_all /dev/nullb0
exit 0
