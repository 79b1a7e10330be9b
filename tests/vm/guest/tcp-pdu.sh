#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Hand-built NVMe/TCP PDUs for tests that play a host with busybox nc
# (laid out as struct nvme_tcp_*_pdu and struct nvme_command), and readers
# for what the target sends back.  Sourced after lib.sh.

# le VALUE BYTES: VALUE little-endian; zeros N; str S N: S NUL-padded to N
le() {
	v=$1 n=$2
	while [ $n -gt 0 ]; do
		printf "\\$(printf %03o $((v & 255)))"
		v=$((v >> 8))
		n=$((n - 1))
	done
}
zeros() { head -c $1 /dev/zero; }
str() { printf '%s' "$1"; zeros $(($2 - ${#1})); }

# PDUs, as struct nvme_tcp_*_pdu / nvme_command lay them out
icreq() {	# type 0, hlen 128, plen 128, pfv 0, hpda 0, no digests
	le 0 1; le 0 1; le 128 1; le 0 1; le 128 4
	le 0 2; le 0 1; le 0 1; le 0 4; zeros 112
}
capsule() {	# CapsuleCmd header for DATALEN bytes of in-capsule data
	le 4 1; le 0 1; le 72 1
	if [ $1 -gt 0 ]; then le 72 1; else le 0 1; fi
	le $((72 + $1)) 4
}
# byte FILE OFFSET, le16 FILE OFFSET: read what the target sent
byte() { od -An -tu1 -j $2 -N 1 $1 | tr -d ' \n'; }
le16() { echo $(( $(byte $1 $2) + 256 * $(byte $1 $(($2 + 1))) )); }

# Fabrics and I/O commands, as struct nvmf_*_command / nvme_command lay
# them out (64 bytes each; flags 0x40: SGLs, as fabrics require).
# connect_cmd CID QID SQSIZE(0-based) KATO_MS: 1024 bytes in the capsule
connect_cmd() {
	le 127 1; le 64 1; le $1 2; le 1 1; zeros 19
	le 0 8; le 1024 4; zeros 3; le 1 1
	le 0 2; le $2 2; le $3 2; le 0 1; le 0 1; le $4 4; zeros 12
}
# connect_data CNTLID SUBNQN HOSTNQN (host ID: 16 bytes of 0x11)
connect_data() {
	i=0
	while [ $i -lt 16 ]; do le 17 1; i=$((i + 1)); done
	le $1 2; zeros 238; str "$2" 256; str "$3" 256; zeros 256
}
# connect CID QID CNTLID SUBNQN HOSTNQN: a whole Connect capsule PDU
connect() {
	capsule 1024; connect_cmd $1 $2 31 0; connect_data $3 "$4" "$5"
}
# prop_set_cc CID VALUE: a Property Set of CC (offset 0x14), no data
prop_set_cc() {
	capsule 0
	le 127 1; le 64 1; le $1 2; le 0 1; zeros 35
	le 0 1; zeros 3; le 20 4; le $2 8; zeros 8
}
# write_r2t CID NSID LEN: a Write of LEN bytes at LBA 0 (one 4 KiB block
# when LEN is 4096) whose data the target must ask for with an R2T
write_r2t() {
	capsule 0
	le 1 1; le 64 1; le $1 2; le $2 4; zeros 16
	le 0 8; le $3 4; zeros 3; le 90 1
	le 0 8; le 0 2; zeros 14
}
# Response capsules are 24 bytes: cntlid at +8, status (<< 1) at +22.
# ICResp is 128 bytes, an R2T 24 (type 9).

# wait_bytes FILE N SECONDS: FILE holds at least N bytes within SECONDS
wait_bytes() {
	end=$(( $(date +%s) + $3 ))
	while [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -lt $2 ]; do
		[ "$(date +%s)" -ge $end ] && return 1
		sleep 0.1
	done
	return 0
}
