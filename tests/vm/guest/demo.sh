#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make run: show what nvmet-ng does today, step by step, in a storage
# administrator's terms.
. /vm/guest/lib.sh
echo 1 > /proc/sys/kernel/printk

step() { echo; echo "==> $*"; }
run() { echo "    \$ $*"; sh -c "$*" 2>&1 | sed 's/^/      /'; }

N=nqn.2026-11.io.nvmet-ng
S=subsystems/$N:demo
H=hosts/$N:host1
P=ports/1

step "Guest kernel $(uname -r) is up; loading nvmet-ng (the nvmet module)"
modprobe nvmet || fail "modprobe nvmet"
echo "    loaded: $(modinfo -d nvmet) from $(modprobe -D nvmet | tail -n 1 | cut -d' ' -f2)"

cd $CFS || fail "no $CFS"
echo "    working in $CFS"

step "Create a subsystem and set its identity, as nvmetcli would"
run "mkdir $S"
run "echo SN-DEMO-0001 > $S/attr_serial"
run "echo 'nvmet-ng demo' > $S/attr_model"
run "grep . $S/attr_serial $S/attr_model $S/attr_version $S/attr_cntlid_min $S/attr_cntlid_max"

step "Allow one host in (an ACL through allowed_hosts links)"
run "mkdir $H"
run "ln -s $CFS/$H $S/allowed_hosts/"
run "ls $S/allowed_hosts"

step "Bad input is refused with a clear error and changes nothing"
run "echo 123456789012345678901 > $S/attr_serial"
run "echo 1 > $S/attr_allow_any_host"
run "dmesg | tail -n 2"

step "Create a port: an address hosts will reach the subsystem at"
run "mkdir $P"
run "echo loop > $P/addr_trtype"
run "echo 127.0.0.1 > $P/addr_traddr; echo 4420 > $P/addr_trsvcid"
run "mkdir $P/ana_groups/2; echo non-optimized > $P/ana_groups/2/ana_state"
run "grep . $P/addr_* $P/ana_groups/*/ana_state"

step "Link the subsystem into the port: that enables the port"
echo "    (no host-facing fabric ships yet: a test fabric stands in and takes"
echo "    2 s to bring the port up, like an FC HBA being reset)"
modprobe nvmet-test-fabric add_port_delay_ms=2000
run "ln -s $CFS/$S $P/subsystems/"
echo "    ports served by the fabric: $(cat /sys/module/nvmet_test_fabric/parameters/live_ports)"
run "echo 4421 > $P/addr_trsvcid"
echo "    (an enabled port's address cannot change: hosts are using it)"

step "Tear it all down, in reverse"
run "rm $P/subsystems/$N:demo"
run "rmdir $P/ana_groups/2 $P"
run "rm $S/allowed_hosts/$N:host1; rmdir $H $S"
cd /
rmmod nvmet_test_fabric
rmmod nvmet || fail "rmmod nvmet"
echo "    nvmet unloaded; /sys/kernel/config/nvmet is gone: $([ -e $CFS ] && echo no || echo yes)"

step "Next milestones: NVMe/TCP with real hosts (nvme discover/connect, I/O),"
echo "    then RDMA, FC and loop."
