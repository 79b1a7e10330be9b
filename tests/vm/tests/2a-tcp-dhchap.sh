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
e2e_begin
tgt_load
[ "$TARGET" = intree ] || [ -d /sys/module/nvme_auth ] ||
	skip "no nvme-auth in this kernel: no DH-HMAC-CHAP"

K00=DHHC-1:00:0f9wRR0fC5T1UUYcXKI55Jj1ca3UVCw4Hj7vhOrCSuodQfjD:
K00B=DHHC-1:00:KuTPIheao/hrNFYxJKCAjcqMwiDd/eLZjFUr6XAjFCFW3Kyp:
K00C=DHHC-1:00:025rlRtpAr7r9zBUNNIqIc8yAR3b7PeXb7pH/xvIU9qinod6:
K01=DHHC-1:01:NpGIt0qRjLbHTsHlFMCOc1Zygv1ajhmGfGMsb9v1yvf39h5J:
K02=DHHC-1:02:x3ixbJxmrsSeWEGaZ6seH70oy7e4fsvHux31lCNlamXK24c1kjZ+xyK3WiQLnZUFlfMfHg==:
K03=DHHC-1:03:MdMp2nei0O8pQyCe9DLj8MftW1cSSv8eN6XH5qAdeApHO9D9WUo/p8+8JXP7FQcCuxEBTAkNkiL5oMBIdx9vKiqEgyo=:

N=$NQN_BASE:dhchap
H=$CFS/hosts/$HOSTNQN_A
truncate -s 64M /tmp/e2e-dhchap.img || fail "truncate"
tgt_subsys $N 0
tgt_ns $N 1 /tmp/e2e-dhchap.img
tgt_allow $N $HOSTNQN_A
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N

# admitted WHAT [nvme-connect options]: connects as host A, the controller
# is live, the namespace reads; then disconnects
admitted() {
	what=$1
	shift
	t0=$(cut -d' ' -f1 /proc/uptime)
	host_connect $N -q $HOSTNQN_A -I $HOSTID_A -i 2 "$@" \
		> /tmp/e2e-conn.out 2>&1 || {
		cat /tmp/e2e-conn.out
		fail "$what: refused"
	}
	C=$(ctrl_of $N) || fail "$what: no controller"
	expect_file /sys/class/nvme/$C/state live
	D=$(wait_for_dev $N 1) || fail "$what: no namespace"
	dd if=$D of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null ||
		fail "$what: read from $D"
	echo "$what: connected in $(awk -v a="$t0" '{ printf "%.1f", $1 - a }' /proc/uptime) s"
	nvme disconnect -n $N > /dev/null || fail "$what: disconnect"
	wait_ctrl_gone $N
	wait_dev_gone $N 1
}

# refused WHAT [nvme-connect options]: the connect fails, nothing is left
refused() {
	what=$1
	shift
	host_connect $N -q $HOSTNQN_A -I $HOSTID_A -i 2 "$@" \
		> /tmp/e2e-conn.out 2>&1 && {
		cat /tmp/e2e-conn.out
		fail "$what: connected"
	}
	sed "s/^/  $what: refused: /" /tmp/e2e-conn.out
	wait_ctrl_gone $N
	dev_of $N 1 && fail "$what: a block device exists after a refused connect"
	return 0
}

# Before any key: no authentication, as before.
admitted "no key on either side"

write_attr $H/dhchap_key "$K00"
for hg in "hmac(sha256) null" "hmac(sha512) ffdhe2048" \
	  "hmac(sha384) ffdhe3072"; do
	write_attr $H/dhchap_hash "${hg% *}"
	write_attr $H/dhchap_dhgroup "${hg#* }"
	admitted "$hg: right key" --dhchap-secret="$K00"
	refused "$hg: wrong key" --dhchap-secret="$K00B"
done
refused "no key"
write_attr $H/dhchap_hash "hmac(sha256)"
write_attr $H/dhchap_dhgroup ffdhe2048

# The key's own transformation hash (00: none; 01..03: SHA-256..512).
for k in $K01 $K02 $K03; do
	write_attr $H/dhchap_key "$k"
	admitted "key $(echo "$k" | cut -c1-9)" --dhchap-secret="$k"
done

# Bidirectional: the host checks the controller's response too.
write_attr $H/dhchap_key "$K00"
write_attr $H/dhchap_ctrl_key "$K00C"
admitted "bidirectional" --dhchap-secret="$K00" --dhchap-ctrl-secret="$K00C"
refused "bidirectional, wrong controller key" --dhchap-secret="$K00" \
	--dhchap-ctrl-secret="$K00B"
admitted "controller key unused by the host" --dhchap-secret="$K00"

# A new key on the target: the old one is refused at the next connect.
write_attr $H/dhchap_key "$K00B"
refused "rotated: old key" --dhchap-secret="$K00" --dhchap-ctrl-secret="$K00C"
admitted "rotated: new key" --dhchap-secret="$K00B" --dhchap-ctrl-secret="$K00C"

# allow_any_host: ours still authenticates a host that has a key.
rm $CFS/subsystems/$N/allowed_hosts/$HOSTNQN_A || fail "unlink host"
write_attr $CFS/subsystems/$N/attr_allow_any_host 1
if [ "$TARGET" = intree ]; then
	admitted "allow_any_host, in-tree: no key needed"
else
	refused "allow_any_host, ours: key still needed"
	admitted "allow_any_host, ours: right key" --dhchap-secret="$K00B"
fi
exit 0
