#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make run: export storage over NVMe/TCP with nvmet-ng and use it from the
# Linux host in the same VM, step by step, in a storage administrator's
# terms.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
echo 1 > /proc/sys/kernel/printk

step() { echo; echo "==> $*"; }
run() { echo "    \$ $*"; sh -c "$*" 2>&1 | sed 's/^/      /'; }

N=nqn.2026-11.io.nvmet-ng:demo
S=subsystems/$N
P=ports/1
HOSTNQN=$(cat /etc/nvme/hostnqn)

step "Guest kernel $(uname -r) is up; loading nvmet-ng (modules nvmet, nvmet-tcp)"
modprobe nvmet || fail "modprobe nvmet"
modprobe nvmet-tcp || fail "modprobe nvmet-tcp"
modprobe nvme-tcp || fail "modprobe nvme-tcp (the Linux host side)"
echo "    loaded: $(modinfo -d nvmet) from $(modprobe -D nvmet | tail -n 1 | cut -d' ' -f2)"
cd $CFS || fail "no $CFS"
echo "    working in $CFS"

step "Create a subsystem, give it an identity, allow this host in"
run "mkdir $S"
run "echo SN-DEMO-0001 > $S/attr_serial; echo 'nvmet-ng demo' > $S/attr_model"
run "mkdir hosts/$HOSTNQN && ln -s $CFS/hosts/$HOSTNQN $S/allowed_hosts/"
run "echo 1 > $S/attr_allow_any_host   # refused: an ACL is in place"

step "Namespace 1: a 256 MiB file; namespace 2: the null backend (no storage)"
truncate -s 256M /tmp/disk.img
run "mkdir $S/namespaces/1 && echo /tmp/disk.img > $S/namespaces/1/device_path && echo 1 > $S/namespaces/1/enable"
run "modprobe nvmet-null; mkdir $S/namespaces/2 && echo null > $S/namespaces/2/device_backend"
run "echo 1073741824 > $S/namespaces/2/device_size && echo 1 > $S/namespaces/2/enable"
run "grep . $S/namespaces/*/device_backend $S/namespaces/*/device_features"

step "A TCP port on 127.0.0.1:4420; linking the subsystem into it enables it"
run "mkdir $P && echo tcp > $P/addr_trtype && echo ipv4 > $P/addr_adrfam"
run "echo 127.0.0.1 > $P/addr_traddr && echo 4420 > $P/addr_trsvcid"
run "ln -s $CFS/$S $P/subsystems/"

step "The host discovers what it may use"
run "nvme discover -t tcp -a 127.0.0.1 -s 4420"

step "The host connects; the namespaces show up as block devices"
run "nvme connect -t tcp -a 127.0.0.1 -s 4420 -n $N"
dev1=$(wait_for_dev $N 1 10) || fail "namespace 1 did not appear"
wait_for_dev $N 2 10 > /dev/null || fail "namespace 2 did not appear"
run "nvme list"
echo "    (block device names need not follow namespace IDs: namespace 1 is $dev1)"

step "A short fio run with verification on namespace 1 (the file)"
run "fio --name=demo --filename=$dev1 --rw=randwrite --bs=4k --size=16M --ioengine=psync --direct=1 --verify=crc32c --do_verify=1 --verify_fatal=1 --verify_state_save=0 --group_reporting | grep -E 'IOPS|verify|err='"

step "Disconnect and tear everything down"
run "nvme disconnect -n $N"
run "rm $P/subsystems/$N && rmdir $P"
run "echo 0 > $S/namespaces/1/enable; echo 0 > $S/namespaces/2/enable; rmdir $S/namespaces/1 $S/namespaces/2"
run "rm $S/allowed_hosts/$HOSTNQN; rmdir hosts/$HOSTNQN $S"
cd /
rmmod nvmet_tcp nvmet_null nvmet || fail "rmmod"
echo "    modules unloaded; $CFS is gone: $([ -e $CFS ] && echo no || echo yes)"
