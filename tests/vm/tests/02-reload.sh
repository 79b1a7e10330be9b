#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Load and unload nvmet-ng 20 times in a row; each time the configfs tree
# appears and disappears, and nothing stays behind.
. /vm/guest/lib.sh

i=0
while [ $i -lt 20 ]; do
	i=$((i + 1))
	modprobe nvmet || fail "modprobe nvmet, round $i"
	expect_dir $CFS/subsystems
	rmmod nvmet || fail "rmmod nvmet, round $i"
	expect_absent $CFS
done
grep -q '^nvmet ' /proc/modules && fail "nvmet still loaded"
exit 0
