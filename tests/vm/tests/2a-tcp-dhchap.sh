#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# DH-HMAC-CHAP over NVMe/TCP with the Linux host: for several hashes and
# DH groups (null, ffdhe2048, ffdhe3072) a host with the right key
# connects (every queue authenticates: the namespace reads), one with a
# wrong key or none is refused and leaves no controller; bidirectional
# authentication with the controller key, refused with a wrong one; a key
# of each transformation hash (DHHC-1:00..03); a key changed on the target
# is used at the next connect.  TARGET=intree runs it against the in-tree
# target, which must give the same results, except where ours deviates on
# purpose: a host with a key is authenticated even by a subsystem that
# allows any host (in-tree lets it in without one).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/dhchap.sh
e2e_begin
tgt_load
dh_skip_without_auth

N=$NQN_BASE:dhchap
H=$CFS/hosts/$HOSTNQN_A
dh_subsys
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N
DH_CONNECT=dh_tcp_connect

# Before any key: no authentication, as before.
dh_ok "no key on either side"

write_attr $H/dhchap_key "$DH_K00"
for hg in "hmac(sha256) null" "hmac(sha512) ffdhe2048" \
	  "hmac(sha384) ffdhe3072"; do
	write_attr $H/dhchap_hash "${hg% *}"
	write_attr $H/dhchap_dhgroup "${hg#* }"
	dh_ok "$hg: right key" --dhchap-secret="$DH_K00"
	dh_refused "$hg: wrong key" --dhchap-secret="$DH_K00B"
done
dh_refused "no key"
write_attr $H/dhchap_hash "hmac(sha256)"
write_attr $H/dhchap_dhgroup ffdhe2048

# The key's own transformation hash (00: none; 01..03: SHA-256..512).
for k in $DH_K01 $DH_K02 $DH_K03; do
	write_attr $H/dhchap_key "$k"
	dh_ok "key $(echo "$k" | cut -c1-9)" --dhchap-secret="$k"
done

# Bidirectional: the host checks the controller's response too.
write_attr $H/dhchap_key "$DH_K00"
write_attr $H/dhchap_ctrl_key "$DH_K00C"
dh_ok "bidirectional" --dhchap-secret="$DH_K00" --dhchap-ctrl-secret="$DH_K00C"
dh_refused "bidirectional, wrong controller key" --dhchap-secret="$DH_K00" \
	--dhchap-ctrl-secret="$DH_K00B"
dh_ok "controller key unused by the host" --dhchap-secret="$DH_K00"

# A new key on the target: the old one is refused at the next connect.
write_attr $H/dhchap_key "$DH_K00B"
dh_refused "rotated: old key" --dhchap-secret="$DH_K00" --dhchap-ctrl-secret="$DH_K00C"
dh_ok "rotated: new key" --dhchap-secret="$DH_K00B" --dhchap-ctrl-secret="$DH_K00C"

# allow_any_host: ours still authenticates a host that has a key.
rm $CFS/subsystems/$N/allowed_hosts/$HOSTNQN_A || fail "unlink host"
write_attr $CFS/subsystems/$N/attr_allow_any_host 1
if [ "$TARGET" = intree ]; then
	dh_ok "allow_any_host, in-tree: no key needed"
else
	dh_refused "allow_any_host, ours: key still needed"
	dh_ok "allow_any_host, ours: right key" --dhchap-secret="$DH_K00B"
fi
exit 0
