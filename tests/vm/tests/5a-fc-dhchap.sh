#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# DH-HMAC-CHAP over NVMe/FC (nvme-fcloop): a host with the right key
# (SHA-256, ffdhe2048) connects and reads, a wrong key or none is refused
# and leaves nothing; bidirectional with the controller key, refused with
# a wrong one; a re-authentication the host asks for (its dhchap_secret)
# succeeds with I/O after it, and fails with a key the target does not
# have.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/fc.sh
. /vm/guest/dhchap.sh
fc_begin
dh_skip_without_auth

N=$NQN_BASE:fc-dhchap
fc_add_pair 1
dh_subsys
fc_port 1 "$(fc_traddr tgt 1)"
tgt_link 1 $N

fc_dh_connect() {
	fc_connect $N 1 -q $HOSTNQN_A -I $HOSTID_A -i 2 "$@"
}
DH_CONNECT=fc_dh_connect
dh_ok "no key on either side"
dh_fabric_checks $CFS/hosts/$HOSTNQN_A
exit 0
