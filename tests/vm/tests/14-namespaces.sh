#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# namespaces/<NSID>/: layout, defaults, round trips, the -EBUSY/-EINVAL
# rules while enabled, and enable/disable on each backend: a block device
# (null_blk), a file (buffered and direct, and "auto" falling back to it),
# and the null backend, a module of its own loaded on demand.
. /vm/guest/lib.sh
modprobe nvmet || fail "modprobe nvmet"
S=$CFS/subsystems/nqn.2026-11.io.nvmet-ng:ns
mkdir $S || fail "mkdir subsystem"
NS=$S/namespaces/1

expect_errno "Invalid argument" mkdir $S/namespaces/0
expect_errno "Invalid argument" mkdir $S/namespaces/0xffffffff
expect_errno "Invalid argument" mkdir $S/namespaces/abc
mkdir $NS || fail "mkdir namespace"
expect_eq "namespace attrs" "ana_grpid buffered_io device_auto_visible device_backend device_features device_nguid device_path device_size device_uuid enable resv_enable resv_state_path revalidate_size stats" "$(attrs $NS)"
expect_eq "namespace dirs" "allowed_hosts" "$(subdirs $NS)"
expect_file $NS/device_auto_visible 1
expect_file $NS/device_path "(null)"
expect_file $NS/device_nguid 00000000-0000-0000-0000-000000000000
expect_eq "uuid length" 36 "$(tr -d '\n' < $NS/device_uuid | wc -c)"
expect_file $NS/ana_grpid 1
expect_file $NS/enable 0
expect_file $NS/buffered_io 0
expect_file $NS/resv_enable 0
expect_file $NS/device_backend auto
expect_file $NS/device_size 0
expect_file $NS/device_features "write_zeroes=1 deallocate=1 vwc=1 copy=1 compare=1 verify=1 compare_write=1 pi=0"

rt $NS/device_uuid 6a7f0a4e-1b2c-4d5e-8f90-a1b2c3d4e5f6
bad $NS/device_uuid not-a-uuid "Invalid argument"
rt $NS/device_nguid 0123456789abcdef0123456789abcdef 01234567-89ab-cdef-0123-456789abcdef
rt $NS/device_nguid 01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef 01234567-89ab-cdef-0123-456789abcdef
bad $NS/device_nguid 0123 "Invalid argument"
rt $NS/ana_grpid 5
bad $NS/ana_grpid 129 "Invalid argument"
bad $NS/ana_grpid 0 "Invalid argument"
rt $NS/buffered_io 1
rt $NS/buffered_io 0
rt $NS/resv_enable 1
rt $NS/resv_enable 0
bad $NS/resv_enable maybe "Invalid argument"
rt $NS/device_features "write_zeroes=1 deallocate=0 vwc=1 copy=0 compare=0 verify=1 compare_write=0 pi=0"
rt $NS/device_features "write_zeroes=1 deallocate=1 vwc=1 copy=1 compare=1 verify=1 compare_write=1 pi=0"
bad $NS/device_features "turbo=1" "Invalid argument"
bad $NS/device_backend nosuchbackend "Invalid argument"
bad $NS/enable 1 "Invalid argument"
expect_file $NS/enable 0

# A block device.
modprobe null_blk nr_devices=1 gb=1 || fail "modprobe null_blk"
[ -b /dev/nullb0 ] || fail "no /dev/nullb0"
rt $NS/device_path /dev/nullb0
rt $NS/enable 1
expect_file $NS/device_size "$(blockdev --getsize64 /dev/nullb0)"
bad $NS/device_path /dev/null "Device or resource busy"
bad $NS/device_uuid 6a7f0a4e-1b2c-4d5e-8f90-a1b2c3d4e5f7 "Device or resource busy"
bad $NS/device_backend file "Device or resource busy"
bad $NS/buffered_io 1 "Invalid argument"
bad $NS/resv_enable 1 "Invalid argument"
rt $NS/ana_grpid 2
rt $NS/device_features "write_zeroes=0 deallocate=0 vwc=0 copy=0 compare=0 verify=0 compare_write=0 pi=0"
bad $NS/device_features "deallocate=1" "Invalid argument"
bad $NS/device_features "vwc=1" "Invalid argument"
bad $NS/device_features "pi=1" "Invalid argument"
write_attr $NS/revalidate_size 1
bad $NS/revalidate_size 0 "Invalid argument"
expect_errno "Resource temporarily unavailable" rmmod null_blk
rt $NS/enable 1
rt $NS/enable 0
rmmod null_blk || fail "null_blk still in use after disable"

# A file: buffered, direct, and "auto" falling back from bdev to file.
dd if=/dev/zero of=/tmp/ns.img bs=1024 count=1024 2>/dev/null
mkdir $S/namespaces/2 $S/namespaces/3 || fail "mkdir 2 3"
write_attr $S/namespaces/2/device_path /tmp/ns.img
rt $S/namespaces/2/buffered_io 1
rt $S/namespaces/2/enable 1
expect_file $S/namespaces/2/device_size 1048576
write_attr $S/namespaces/3/device_path /tmp/ns.img
rt $S/namespaces/3/device_backend file
rt $S/namespaces/3/enable 1
rt $S/namespaces/3/enable 0
rt $S/namespaces/3/device_backend auto
rt $S/namespaces/3/enable 1
expect_file $S/namespaces/3/device_size 1048576
expect_errno "Device or resource busy" sh -c "echo /x > $S/namespaces/3/device_path"

# The null backend: its own module, loaded when a namespace names it.
grep -q '^nvmet_null ' /proc/modules && fail "nvmet_null loaded too early"
mkdir $S/namespaces/4 || fail "mkdir 4"
rt $S/namespaces/4/device_backend null
grep -q '^nvmet_null ' /proc/modules || fail "device_backend=null did not load nvmet-null"
bad $S/namespaces/4/enable 1 "Invalid argument"
bad $S/namespaces/4/device_size 1000 "Invalid argument"
rt $S/namespaces/4/device_size 1073741824
rt $S/namespaces/4/enable 1
rt $S/namespaces/4/device_features "write_zeroes=1 deallocate=1 vwc=0 copy=1 compare=1 verify=1 compare_write=1 pi=0"
expect_errno "Resource temporarily unavailable" rmmod nvmet_null

# The same NSID twice ("5" and "0x5"): only one may be enabled.
mkdir $S/namespaces/5 $S/namespaces/0x5 || fail "mkdir 5 0x5"
for n in 5 0x5; do
	write_attr $S/namespaces/$n/device_backend null
	write_attr $S/namespaces/$n/device_size 4096
done
rt $S/namespaces/5/enable 1
bad $S/namespaces/0x5/enable 1 "Device or resource busy"

expect_errno "Directory not empty" rmdir $S
for n in 1 2 3 4 5 0x5; do
	rmdir $S/namespaces/$n || fail "rmdir namespace $n (enabled ones too)"
done
rmdir $S || fail "rmdir subsystem"
rmmod nvmet_null || fail "rmmod nvmet_null"
rmmod nvmet || fail "rmmod nvmet"
