#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# What the lio tests (tests/vm/tests/2t, 2u, 2v) share: the kernel they
# need, the SCSI disk tcm_loop makes of a LUN, and one MiB written
# through one device and read back through another.  Sourced after
# lib.sh.

# Skip where the target or the kernel has no LIO; fail where the kernel
# has it and our nvmet-lio was not built beside it.
lio_require() {
	[ "$TARGET" = intree ] && skip "in-tree nvmet has no lio backend"
	grep -q '/target_core_mod\.ko[.a-z]*:' \
		/lib/modules/"$(uname -r)"/modules.dep ||
		skip "this kernel has no LIO target-core"
	grep -q '/nvmet-lio\.ko:' /lib/modules/"$(uname -r)"/modules.dep ||
		fail "our nvmet-lio was not built"
}

# lio_scsi_disk MODEL: print the /dev/sdX whose SCSI model has MODEL
# (FILEIO, RAMDISK, ...), waiting up to 15 s for tcm_loop's scan of a
# LUN just linked; status 1 if none came.
lio_scsi_disk() {
	_end=$(( $(date +%s) + 15 ))
	while :; do
		for _b in /sys/block/sd*; do
			grep -qs "$1" "$_b/device/model" &&
				[ -b "/dev/${_b##*/}" ] &&
				{ echo "/dev/${_b##*/}"; return 0; }
		done
		[ "$(date +%s)" -ge $_end ] && return 1
		sleep 0.2
	done
}

# lio_mib_check FROM TO MIB WHAT: a random MiB written with O_DIRECT at
# MiB MIB of FROM reads back from TO (a block device, with O_DIRECT, or a
# file); fail naming WHAT otherwise.  Uses $PAT and $OUT.
lio_mib_check() {
	dd if=/dev/urandom of="$PAT" bs=1M count=1 2>/dev/null ||
		fail "make $PAT"
	dd if="$PAT" of="$1" bs=1M seek="$3" oflag=direct conv=notrunc \
		2>/dev/null || fail "$4: write MiB $3 through $1"
	if [ -b "$2" ]; then
		dd if="$2" of="$OUT" bs=1M skip="$3" count=1 iflag=direct \
			2>/dev/null || fail "$4: read MiB $3 through $2"
	else
		dd if="$2" of="$OUT" bs=1M skip="$3" count=1 2>/dev/null ||
			fail "$4: read MiB $3 of $2"
	fi
	cmp -s "$PAT" "$OUT" ||
		fail "$4: MiB $3 written through $1, $2 reads other data"
}
