#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fault runs over NVMe/FC (nvme-fcloop; tests/vm/guest/faults.sh), each
# while the Linux host runs fio with verify on namespace 1: host loss,
# port unlink and relink, namespace disable, enable and rmdir, a backend
# returning I/O errors, rmmod nvmet_fc while in use; then teardown with
# every live-object count back to 0.
#
# Host loss: FC has no network namespace or netdev; fcloop's own link
# loss is the host's remote port of the target going away (del_remote_port
# on the host's local port): the host loses its path and can send the
# target nothing more, not even the Disconnect LS.  It is not silent to
# the target: fcloop, as an LLDD does when it loses a port, calls
# nvmet_fc_invalidate_host(), so the target ends the association at once
# rather than on its keep-alive timer (which is what the step checks: the
# controller count drops; no KATO line is required).  Adding the remote
# port back (well within its dev_loss_tmo, 60 s) lets the host reconnect.
#
# VM_ARGS="TARGET=intree tests=72" runs it against Debian's target.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/fc.sh
. /vm/guest/faults.sh
fc_begin
E2E_CLEANUP="$F_CLEANUP; $E2E_CLEANUP; fault_dm_remove"
null_blk_load

fault_link_down() {
	fc_ctl del_remote_port "wwnn=$(fc_wwn tgt 1),wwpn=$(fc_wwn tgt 1)"
	echo "link down: the host's remote port of the target is gone"
}
fault_link_up() {
	t=$(fc_wwn tgt 1) h=$(fc_wwn host 1)
	fc_ctl add_remote_port "wwnn=$t,wwpn=$t,lpwwnn=$h,lpwwpn=$h,roles=0x60"
	echo "link up: remote port back"
}

F_NQN=$NQN_BASE:fc-faults
F_PORT=1
F_MOD=nvmet_fc
F_KATO=5
fault_images
fc_add_pair 1
tgt_subsys $F_NQN 1
tgt_ns $F_NQN 1 $F_IMG1
fc_port $F_PORT "$(fc_traddr tgt 1)"
tgt_link $F_PORT $F_NQN

fault_connect() {
	fc_connect $F_NQN 1 --keep-alive-tmo=$F_KATO --reconnect-delay=1 \
		--ctrl-loss-tmo=600 || fail "nvme connect"
	fault_found
}
fault_connect
echo "connected: $F_CTRL, $F_D1"
fault_run_all /dev/nullb0
exit 0
