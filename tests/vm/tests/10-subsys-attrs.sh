#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# subsystems/<NQN>/: layout, defaults, every attribute round-trips, every
# invalid value is refused with the in-tree errno and changes nothing;
# discovery_nqn and the names it reserves.
. /vm/guest/lib.sh
modprobe nvmet || fail "modprobe nvmet"
S=$CFS/subsystems/nqn.2026-11.io.nvmet-ng:s1

mkdir $S || fail "mkdir subsystem"
expect_eq "subsystem dirs" "allowed_hosts namespaces passthru" "$(subdirs $S)"
expect_eq "subsystem attrs" "attr_allow_any_host attr_cntlid_max attr_cntlid_min attr_firmware attr_ieee_oui attr_model attr_pi_enable attr_qid_max attr_serial attr_subsys_vendor_id attr_vendor_id attr_version ctrl_stats" "$(attrs $S)"
expect_file $S/attr_allow_any_host 0
expect_file $S/attr_version 1.3
expect_file $S/attr_model Linux
expect_file $S/attr_cntlid_min 1
expect_file $S/attr_cntlid_max 65519
expect_file $S/attr_qid_max 128
expect_file $S/attr_ieee_oui 0x000000
expect_file $S/attr_pi_enable 0
expect_file $S/attr_vendor_id 0x0
expect_file $S/attr_subsys_vendor_id 0x0
expect_eq "serial length" 20 "$(cat $S/attr_serial | tr -d '\n' | wc -c)"

rt $S/attr_version 2.0
rt $S/attr_version 1.4.1
rt $S/attr_serial SN123 "SN123               "
rt $S/attr_model "nvmet-ng test model"
rt $S/attr_firmware fw1
rt $S/attr_ieee_oui 0x123456
rt $S/attr_ieee_oui 1193046 0x123456
rt $S/attr_vendor_id 0x1b36
rt $S/attr_vendor_id 6966 0x1b36
rt $S/attr_vendor_id 0xffff
rt $S/attr_subsys_vendor_id 0x1af4
rt $S/attr_subsys_vendor_id 0 0x0
rt $S/attr_cntlid_max 100
rt $S/attr_cntlid_min 5
rt $S/attr_qid_max 4
rt $S/attr_pi_enable 1
rt $S/attr_allow_any_host 1
rt $S/attr_allow_any_host 0

bad $S/attr_version 1 "Invalid argument"
bad $S/attr_version abc "Invalid argument"
bad $S/attr_version 1.256 "Invalid argument"
bad $S/attr_serial 123456789012345678901 "Invalid argument"
bad $S/attr_model 12345678901234567890123456789012345678901 "Invalid argument"
bad $S/attr_firmware 123456789 "Invalid argument"
bad $S/attr_ieee_oui 0x1000000 "Invalid argument"
M=$(kmsg_mark vendor-ids)
bad $S/attr_vendor_id 0x10000 "Invalid argument"
bad $S/attr_vendor_id vendor "Invalid argument"
bad $S/attr_subsys_vendor_id -1 "Invalid argument"
bad $S/attr_subsys_vendor_id 65536 "Invalid argument"
expect_eq "vendor ID errors name the subsystem" 4 \
	"$(dmesg_since "$M" | grep -c "subsystem ${S##*/}: .*vendor ID")"
bad $S/attr_cntlid_min 0 "Invalid argument"
bad $S/attr_cntlid_min 200 "Invalid argument"
bad $S/attr_cntlid_max 0 "Invalid argument"
bad $S/attr_cntlid_max 4 "Invalid argument"
bad $S/attr_qid_max 0 "Invalid argument"
bad $S/attr_qid_max 129 "Invalid argument"
bad $S/attr_allow_any_host maybe "Invalid argument"

# passthru/ exists and keeps its settings; a path that is no controller
# does not enable: Invalid argument where passthru is built (6.12,
# newest; test 2z passes a controller through), Operation not supported
# where the kernel lacks the host driver's interface (6.1), No such file
# or directory from in-tree.
expect_file $S/passthru/device_path "(null)"
rt $S/passthru/device_path /dev/nvme0
rt $S/passthru/admin_timeout 30
write_attr $S/passthru/device_path /dev/nvmet-ng-no-such-controller
err=$(sh -c "echo 1 > $S/passthru/enable" 2>&1) &&
	fail "passthru enable of a missing device succeeded"
case $err in
*"Invalid argument"*|*"Operation not supported"*) ;;
*"No such file or directory"*) [ "$TARGET" = intree ] ||
	fail "passthru enable of a missing device: $err" ;;
*)	fail "passthru enable of a missing device: $err" ;;
esac
expect_file $S/passthru/enable 0

expect_errno "File exists" mkdir $S
expect_errno "Invalid argument" mkdir $CFS/subsystems/nqn.2014-08.org.nvmexpress.discovery

# discovery_nqn: settable, and then reserved for the discovery subsystem.
rt $CFS/discovery_nqn nqn.2026-11.io.nvmet-ng:disc
expect_errno "Invalid argument" mkdir $CFS/subsystems/nqn.2026-11.io.nvmet-ng:disc
bad $CFS/discovery_nqn nqn.2026-11.io.nvmet-ng:s1 "Invalid argument"
rt $CFS/discovery_nqn nqn.2014-08.org.nvmexpress.discovery

rmdir $S || fail "rmdir subsystem"
expect_absent $S
mkdir $S || fail "the NQN is free again after rmdir"
rmdir $S
rmmod nvmet || fail "rmmod nvmet"
