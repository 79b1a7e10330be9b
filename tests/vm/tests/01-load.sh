#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# modprobe nvmet loads nvmet-ng (from updates/, not Debian's nvmet), which
# creates exactly subsystems/, ports/ and hosts/ plus discovery_nqn under
# /sys/kernel/config/nvmet; rmmod removes the tree again.  With
# module_ids=NAME:ID[,NAME:ID...] (VM_ARGS; scripts/dkms-check.sh passes
# those of the modules dkms built) each module NAME that modprobe loads has
# that GNU build ID: the very build under test, not another one.
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

others=
for id in $(echo "${module_ids:-}" | tr ',' ' '); do
	m=${id%%:*}
	modprobe "$m" || fail "modprobe $m"
	expect_eq "$m build ID" "${id#*:}" "$(module_build_id "$m")"
	echo "$m: build ID ${id#*:}"
	[ "$m" = nvmet ] || others="$m $others"
done
for m in $others; do
	rmmod "$m" || fail "rmmod $m"
done

rmmod nvmet || fail "rmmod nvmet"
expect_absent $CFS
grep -q '^nvmet ' /proc/modules && fail "nvmet still in /proc/modules"
exit 0
