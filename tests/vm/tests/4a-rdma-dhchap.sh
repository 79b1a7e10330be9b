#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# DH-HMAC-CHAP over NVMe/RDMA (Soft-RoCE): a host with the right key
# (SHA-256, ffdhe2048) connects and reads, a wrong key or none is refused
# and leaves nothing; bidirectional with the controller key, refused with
# a wrong one; a re-authentication the host asks for (its dhchap_secret)
# succeeds with I/O after it, and fails with a key the target does not
# have.  TARGET=intree runs it against the in-tree target.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
. /vm/guest/dhchap.sh
rdma_begin
rdma_tgt_load
dh_skip_without_auth

N=$NQN_BASE:rdma-dhchap
dh_subsys
rdma_tgt_port 1
tgt_link 1 $N

rdma_dh_connect() {
	rdma_connect $N -q $HOSTNQN_A -I $HOSTID_A -i 2 "$@"
}
DH_CONNECT=rdma_dh_connect
dh_ok "no key on either side"
dh_fabric_checks $CFS/hosts/$HOSTNQN_A
exit 0
