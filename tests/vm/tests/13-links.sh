#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# ports/<ID>/subsystems/ links: the first link enables the port through its
# fabric (here the test fabric), the last unlink disables it; an enabled
# port refuses attribute changes; busy objects cannot be removed; a fabric
# error fails the ln and leaves the port disabled, except -EADDRNOTAVAIL,
# which leaves it waiting (param_state) until a retry works; and a port whose
# add_port() is slow blocks links into other ports not at all.
. /vm/guest/lib.sh
modprobe nvmet || fail "modprobe nvmet"
modprobe nvmet-test-fabric || fail "modprobe nvmet-test-fabric"
F=/sys/module/nvmet_test_fabric/parameters
N=nqn.2026-11.io.nvmet-ng
for i in 1 2 3; do
	mkdir $CFS/subsystems/$N:s$i $CFS/ports/$i || fail "mkdir $i"
	write_attr $CFS/ports/$i/addr_trtype loop
done
P=$CFS/ports/1

ln -s $CFS/subsystems/$N:s1 $P/subsystems/$N:s1 || fail "first link"
expect_file $F/live_ports 1
expect_file $F/add_port_calls 1
expect_file $P/param_state live
bad $P/addr_trtype tcp "Permission denied"
bad $P/param_inline_data_size 0 "Permission denied"
bad $P/param_pi_enable 1 "Permission denied"
bad $P/param_pi_enable x "Invalid argument"
expect_file $P/param_max_queue_size 1024
ln -s $CFS/subsystems/$N:s2 $P/subsystems/$N:s2 || fail "second link"
expect_file $F/add_port_calls 1
expect_errno "File exists" ln -s $CFS/subsystems/$N:s2 $P/subsystems/again
expect_errno "Invalid argument" ln -s $CFS/hosts $P/subsystems/nothing
expect_errno "Device or resource busy" rmdir $CFS/subsystems/$N:s1
expect_errno "Directory not empty" rmdir $P
expect_errno "Resource temporarily unavailable" rmmod nvmet_test_fabric

rm $P/subsystems/$N:s1 || fail "unlink one"
expect_file $F/live_ports 1
rm $P/subsystems/$N:s2 || fail "unlink last"
expect_file $F/live_ports 0
expect_file $P/param_state disabled
rt $P/addr_trtype loop

# A fabric error fails the ln, and nothing stays half-enabled.
echo 98 > $F/add_port_error
expect_errno "Address already in use" ln -s $CFS/subsystems/$N:s1 $P/subsystems/$N:s1
expect_eq "links after a failed ln" "" "$(ls $P/subsystems)"
expect_file $F/live_ports 0
rt $P/addr_trsvcid 4420
echo 0 > $F/add_port_error

# -EADDRNOTAVAIL does not: the port waits, frozen, and the port watch's
# backoff retries it until add_port() works.
echo 99 > $F/add_port_error
ln -s $CFS/subsystems/$N:s1 $P/subsystems/$N:s1 || fail "link into a waiting port"
expect_file $P/param_state waiting
expect_file $F/live_ports 0
bad $P/addr_trsvcid 4421 "Permission denied"
calls=$(cat $F/add_port_calls)
sleep 2.5
expect_file $P/param_state waiting
[ "$(cat $F/add_port_calls)" -gt $calls ] ||
	fail "add_port() not retried in 2.5 s of waiting"
echo 0 > $F/add_port_error
i=0
until [ "$(cat $P/param_state)" = live ]; do
	i=$((i + 1))
	[ $i -gt 50 ] && fail "port 1 is '$(cat $P/param_state)' 10 s after add_port() works"
	sleep 0.2
done
expect_file $F/live_ports 1
rm $P/subsystems/$N:s1 || fail "unlink the port that waited"
expect_file $P/param_state disabled
expect_file $F/live_ports 0

# No fabric for the transport type: refused, port stays disabled.  (Our
# nvmet-tcp would be loaded on demand: make the module load fail.)
modprobe_path=$(cat /proc/sys/kernel/modprobe)
echo /bin/false > /proc/sys/kernel/modprobe
write_attr $CFS/ports/3/addr_trtype tcp
expect_errno "Invalid argument" ln -s $CFS/subsystems/$N:s3 $CFS/ports/3/subsystems/s3
echo "$modprobe_path" > /proc/sys/kernel/modprobe
grep -q '^nvmet_tcp ' /proc/modules && fail "a fabric module got loaded"
rt $CFS/ports/3/addr_trtype loop

# A slow port: while port 2's add_port() sleeps, port 3 links, other
# objects come and go, and port 2 answers reads and refuses writes.
calls=$(cat $F/add_port_calls)
echo 4000 > $F/add_port_delay_ms
ln -s $CFS/subsystems/$N:s2 $CFS/ports/2/subsystems/s2 &
slow=$!
while [ "$(cat $F/add_port_calls)" -le $calls ]; do sleep 0.1; done
echo 0 > $F/add_port_delay_ms
ln -s $CFS/subsystems/$N:s3 $CFS/ports/3/subsystems/s3 || fail "link port 3"
mkdir $CFS/hosts/$N:meanwhile || fail "mkdir host meanwhile"
rmdir $CFS/hosts/$N:meanwhile || fail "rmdir host meanwhile"
expect_file $CFS/ports/2/addr_trtype loop
bad $CFS/ports/2/addr_trsvcid 1 "Permission denied"
kill -0 $slow 2>/dev/null || fail "port 2's ln finished before port 3's: something waited"
expect_file $F/live_ports 1
wait $slow || fail "slow link failed"
expect_file $F/live_ports 2

rm $CFS/ports/2/subsystems/s2 $CFS/ports/3/subsystems/s3 || fail "unlink"
expect_file $F/live_ports 0
for i in 1 2 3; do
	rmdir $CFS/ports/$i $CFS/subsystems/$N:s$i || fail "rmdir $i"
done
rmmod nvmet_test_fabric || fail "rmmod test fabric"
rmmod nvmet || fail "rmmod nvmet"
