#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# DH-HMAC-CHAP over NVMe/TCP, what 2a does not cover: the fabric checks
# every transport runs (tests/vm/guest/dhchap.sh: right, wrong and missing
# key, bidirectional with a right and a wrong controller key, a
# re-authentication the host asks for, with the right key and a wrong
# one); the big groups ffdhe4096, ffdhe6144 and ffdhe8192, each once and
# each with another hash (2a has null, ffdhe2048 and ffdhe3072); a key
# rotated while the host is connected: the target's key and the host's
# dhchap_secret change, the host re-authenticates with the new key and
# I/O goes on, and at the next connect the new key works and the old one
# is refused.  Prints the connect time without and with authentication
# (SHA-256, null and ffdhe2048).  TARGET=intree runs it against the
# in-tree target, which must give the same results.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/dhchap.sh
e2e_begin
tgt_load
dh_skip_without_auth

N=$NQN_BASE:dhchap-matrix
H=$CFS/hosts/$HOSTNQN_A
dh_subsys
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N

DH_CONNECT=dh_tcp_connect

# Connect time, one I/O queue: without a key (before any is set; in-tree
# cannot clear a key again), then with one.
DH_QUEUES=1
dh_ok "time: no authentication"
t_none=$DH_CONNECT_S
write_attr $H/dhchap_key "$DH_K00"
for g in null ffdhe2048; do
	write_attr $H/dhchap_hash "hmac(sha256)"
	write_attr $H/dhchap_dhgroup $g
	dh_ok "time: sha256 $g" --dhchap-secret="$DH_K00"
	eval t_$g=\$DH_CONNECT_S
done
echo "connect time (s), 1 I/O queue: none $t_none, sha256+null $t_null, sha256+ffdhe2048 $t_ffdhe2048"
DH_QUEUES=2

dh_fabric_checks $H

# The big groups, each once, slow under TCG: one I/O queue.  The
# controller key stays set; the host does not ask for it.
DH_QUEUES=1
for hg in "hmac(sha512) ffdhe4096" "hmac(sha256) ffdhe6144" \
	  "hmac(sha384) ffdhe8192"; do
	write_attr $H/dhchap_hash "${hg% *}"
	write_attr $H/dhchap_dhgroup "${hg#* }"
	dh_ok "$hg: right key" --dhchap-secret="$DH_K00"
done
dh_refused "hmac(sha384) ffdhe8192: wrong key" --dhchap-secret="$DH_K00B"
DH_QUEUES=2

# Rotation while connected: the target gets the new key, then the host;
# the host's re-authentication uses it and I/O goes on.
write_attr $H/dhchap_hash "hmac(sha256)"
write_attr $H/dhchap_dhgroup ffdhe2048
dh_admitted "before rotation" --dhchap-secret="$DH_K00"
write_attr $H/dhchap_key "$DH_K01"
dd if=$D of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null ||
	fail "read after the target's key changed"
dh_reauth "$DH_K01" ok
dh_disconnect "rotated"
dh_refused "rotated: old key" --dhchap-secret="$DH_K00"
dh_ok "rotated: new key" --dhchap-secret="$DH_K01"
exit 0
