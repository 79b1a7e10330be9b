#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A full configuration (subsystem with enabled namespaces, host ACL, port
# enabled through a link, referral, ANA group), torn down in reverse,
# leaves no object alive (nvmet-ng's own counts in debugfs, since the
# Debian kernel has no kmemleak), and then the modules unload.
. /vm/guest/lib.sh
modprobe nvmet || fail "modprobe nvmet"
modprobe nvmet-test-fabric || fail "modprobe nvmet-test-fabric"
OBJ=/sys/kernel/debug/nvmet-ng/objects
[ -f $OBJ ] || fail "no $OBJ"
count() { sed -n "s/^$1 //p" $OBJ; }
N=nqn.2026-11.io.nvmet-ng
S=$CFS/subsystems/$N:full
H=$CFS/hosts/$N:h
P=$CFS/ports/9

for round in 1 2 3; do
	mkdir $S $H $P $S/namespaces/1 $S/namespaces/2 || fail "mkdir"
	write_attr $S/namespaces/1/device_backend null
	write_attr $S/namespaces/1/device_size 1048576
	write_attr $S/namespaces/1/enable 1
	dd if=/dev/zero of=/tmp/full.img bs=4096 count=64 2>/dev/null
	write_attr $S/namespaces/2/device_path /tmp/full.img
	write_attr $S/namespaces/2/enable 1
	ln -s $H $S/allowed_hosts/ || fail "ln host"
	write_attr $P/addr_trtype loop
	ln -s $S $P/subsystems/ || fail "ln port"
	mkdir $P/referrals/r $P/ana_groups/3 || fail "mkdir referral, ana"
	write_attr $P/referrals/r/enable 1

	expect_eq "subsystems alive" 1 "$(count subsystems)"
	expect_eq "hosts alive" 1 "$(count hosts)"
	expect_eq "ports alive" 1 "$(count ports)"
	expect_eq "referrals alive" 1 "$(count referrals)"
	expect_eq "namespaces alive" 2 "$(count namespaces)"

	rmdir $P/referrals/r $P/ana_groups/3 || fail "rmdir referral, ana"
	rm $P/subsystems/$N:full $S/allowed_hosts/$N:h || fail "rm links"
	rmdir $P $H $S/namespaces/1 $S/namespaces/2 $S || fail "rmdir round $round"
	for t in subsystems hosts ports referrals namespaces; do
		expect_eq "$t alive after teardown, round $round" 0 "$(count $t)"
	done
done
rmmod nvmet_test_fabric nvmet_null nvmet || fail "rmmod"
grep -qE '^(nvmet|nvmet_null|nvmet_test_fabric) ' /proc/modules &&
	fail "a module is still loaded"
exit 0
