#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# modprobe nvmet loads nvmet-ng (from updates/, not Debian's nvmet), which
# creates exactly subsystems/, ports/ and hosts/ plus discovery_nqn under
# /sys/kernel/config/nvmet; rmmod removes the tree again.
. /vm/guest/lib.sh

modprobe nvmet || fail "modprobe nvmet"
[ -d /sys/module/nvmet ] || fail "/sys/module/nvmet missing after modprobe"
expect_eq "module file" "/lib/modules/$(uname -r)/updates/nvmet.ko" \
	"$(modprobe -D nvmet | sed -n 's/^insmod //p' | tail -n 1 | cut -d' ' -f1)"
expect_eq "module description" "nvmet-ng NVMe over Fabrics target core" \
	"$(modinfo -d nvmet)"

expect_dir $CFS
expect_eq "tree" "discovery_nqn hosts ports subsystems" \
	"$(ls $CFS | sort | tr '\n' ' ' | sed 's/ $//')"
for d in subsystems ports hosts; do
	expect_dir $CFS/$d
	expect_eq "$d/ is empty" "" "$(ls $CFS/$d)"
done
expect_file $CFS/discovery_nqn nqn.2014-08.org.nvmexpress.discovery

rmmod nvmet || fail "rmmod nvmet"
expect_absent $CFS
grep -q '^nvmet ' /proc/modules && fail "nvmet still in /proc/modules"
exit 0
