#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# DH-HMAC-CHAP over NVMe loop (our nvme-loop, whose host side is the
# kernel's nvme-fabrics, which runs the exchange on every queue): a host
# with the right key (SHA-256, ffdhe2048) connects and reads, a wrong key
# or none is refused and leaves nothing; bidirectional with the
# controller key, refused with a wrong one; a re-authentication the host
# asks for (its dhchap_secret) succeeds with I/O after it, and fails with
# a key the target does not have.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/loop.sh
. /vm/guest/dhchap.sh

E2E_CLEANUP=loop_cleanup
e2e_begin
loop_load
dh_skip_without_auth

N=$NQN_BASE:loop-dhchap
dh_subsys
loop_port 1
tgt_link 1 $N

loop_dh_connect() {
	nvme connect -t loop -n $N -q $HOSTNQN_A -I $HOSTID_A -i 2 "$@"
}
DH_CONNECT=loop_dh_connect
dh_ok "no key on either side"
dh_fabric_checks $CFS/hosts/$HOSTNQN_A
exit 0
