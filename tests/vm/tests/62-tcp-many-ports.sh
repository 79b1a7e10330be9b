#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Queues of two NVMe/TCP ports are independent: with a controller on port 1
# (subsystem 1) and one on port 2 (subsystem 2), and fio verify running on
# port 2, deleting port 1's controller, reconnecting it and taking port 1
# away (unlink, which disables it) leave port 2's controller live with
# nothing about it in dmesg, and fio verify on it clean.  Then port 2 is
# taken away under load, and after the teardown every live-object count
# in debugfs is 0 and nvmet_tcp unloads.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
e2e_begin
FIO=
E2E_CLEANUP='[ -n "$FIO" ] && kill $FIO 2>/dev/null'
tgt_load

N1=$NQN_BASE:port1
N2=$NQN_BASE:port2
truncate -s 64M /tmp/e2e-mp1.img /tmp/e2e-mp2.img || fail "truncate"
tgt_setup_tcp_subsys $N1 1 127.0.0.1 4420 /tmp/e2e-mp1.img
tgt_setup_tcp_subsys $N2 2 127.0.0.1 4421 /tmp/e2e-mp2.img

host_connect $N1 || fail "connect $N1 on port 1"
D1=$(wait_for_dev $N1 1) || fail "no namespace of $N1"
TRSVCID=4421 host_connect $N2 || fail "connect $N2 on port 2"
C2=$(ctrl_of $N2) || fail "no controller of $N2"
D2=$(wait_for_dev $N2 1) || fail "no namespace of $N2"
MARK=$(kmsg_mark "62 start")

fio_verify $D2 48M > /tmp/e2e-mp.fio 2>&1 &
FIO=$!
sleep 1
nvme disconnect -n $N1 > /dev/null || fail "disconnect $N1"
wait_ctrl_gone $N1
expect_file /sys/class/nvme/$C2/state live
host_connect $N1 || fail "reconnect $N1 on port 1"
D1=$(wait_for_dev $N1 1) || fail "no namespace of $N1 after reconnecting"
dd if=$D1 of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null ||
	fail "read from $D1"
rm $CFS/ports/1/subsystems/$N1 || fail "unlink $N1 from port 1"
C1=$(ctrl_of $N1) && wait_ctrl_state $C1 "resetting|connecting|gone" 15 \
	> /dev/null || fail "port 1's host did not notice the unlink"
expect_file /sys/class/nvme/$C2/state live
wait $FIO
rc=$?
FIO=
sed 's/^/  /' /tmp/e2e-mp.fio
[ $rc -eq 0 ] || fail "fio verify on port 2 failed while port 1 went away"
expect_file /sys/class/nvme/$C2/state live
msgs=$(dmesg_since "$MARK" | grep -w "$C2")
[ -z "$msgs" ] || fail "port 2's controller was disturbed: $msgs"

# Port 2 away under load, then everything down.
fio --name=load --filename=$D2 --rw=randrw --bs=4k --iodepth=16 \
	--direct=1 --time_based --runtime=60 > /dev/null 2>&1 &
FIO=$!
sleep 2
rm $CFS/ports/2/subsystems/$N2 || fail "unlink $N2 from port 2 under load"
wait_ctrl_state $C2 "resetting|connecting|gone" 15 > /dev/null ||
	fail "port 2's host did not notice the unlink"
host_disconnect_all || fail "disconnect all"
kill $FIO 2>/dev/null
wait $FIO
FIO=
tgt_teardown || fail "teardown"
expect_no_objects
rmmod nvmet_tcp || fail "rmmod nvmet_tcp"
exit 0
