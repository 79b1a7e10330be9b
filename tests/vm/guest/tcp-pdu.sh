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
