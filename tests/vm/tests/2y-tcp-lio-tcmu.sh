#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A TCMU backstore (target_core_user, a userspace handler) is a
# namespace of ours (issue 15): user_0/tu0 with dev_config "file/<path>"
# and dev_size, served by tests/tcmu/tcmu-file (our handler on the UIO
# ring; Debian's tcmu-runner has no plain file handler), exported through
# nvmet-lio over NVMe/TCP:
#   - Identify shows the backstore's size; a MiB the host writes is in
#     the handler's file, a MiB written into the file reads back through
#     the host; fio verify over 8 MiB;
#   - the handler killed under I/O (cmd_time_out 2 s): the commands in
#     its ring time out in target-core, and the host gets errors, both for
#     the I/O in flight and for a read sent after the kill (nvme read);
#     with the host's nvme_core max_retries 0, fio ends within seconds
#     (Internal Error has no DNR, so the host would otherwise retry each
#     command 5 times, a cmd_time_out each); nothing hangs;
#   - the namespace disabled with a command in the dead handler's ring:
#     the disable returns once target-core times the command out;
#   - a new handler on the same ring (block_dev, reset_ring, as
#     tcmu-runner does on start) serves the namespace, enabled again, the
#     data intact;
#   - the namespace's disable, the backstore's removal and the unload
#     of nvmet-lio and target_core_user follow.  No splat (the harness).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/lio.sh
e2e_begin
lio_require

T=/sys/kernel/config/target
U=$T/core/user_0/tu0
LUN=$T/nvmet_lio/e2e-tcmu/tpgt_1/lun/lun_0
N=$NQN_BASE:lio-tcmu
NS=$CFS/subsystems/$N/namespaces/1
IMG=/tmp/e2e-tcmu.img
PAT=/tmp/e2e-tcmu.pat
OUT=/tmp/e2e-tcmu.out
SIZE=$(( 32 << 20 ))
HPID=
MAXRET=/sys/module/nvme_core/parameters/max_retries
RETRIES=

handler_start() {
	tcmu-file $UIO $IMG 512 > /tmp/e2e-tcmu.log 2>&1 &
	HPID=$!
	sleep 0.5
	kill -0 $HPID 2>/dev/null || fail "tcmu-file: $(cat /tmp/e2e-tcmu.log)"
}
handler_kill() {
	[ -n "$HPID" ] || return 0
	kill -9 $HPID 2>/dev/null
	wait $HPID 2>/dev/null
	HPID=
}
tcmu_cleanup() {
	[ -n "$RETRIES" ] && echo $RETRIES > $MAXRET
	host_disconnect_all
	tgt_teardown
	handler_kill
	rm -f $LUN/tu0
	rmdir $LUN $T/nvmet_lio/e2e-tcmu/tpgt_1 $T/nvmet_lio/e2e-tcmu \
		$T/nvmet_lio $U $T/core/user_0 2>/dev/null
	(lio_unload) > /dev/null 2>&1
	rm -f $IMG $PAT $OUT
}
E2E_CLEANUP=tcmu_cleanup

tgt_load
for m in target_core_mod target_core_user; do
	modprobe $m 2>/dev/null || [ -d /sys/module/$m ] || fail "modprobe $m"
done
modprobe nvmet-lio || fail "modprobe nvmet-lio"
truncate -s $SIZE $IMG || fail "truncate $IMG"

mkdir -p $U || fail "mkdir $U"
write_attr $U/control "dev_config=file/$IMG,dev_size=$SIZE"
write_attr $U/enable 1
write_attr $U/attrib/cmd_time_out 2
UIO=$(lio_uio_of tu0) || fail "no UIO device of tu0"
[ -c $UIO ] || fail "no $UIO"
handler_start
sed 's/^/  /' /tmp/e2e-tcmu.log
mkdir -p $LUN || fail "mkdir $LUN"
ln -s $U $LUN/tu0 || fail "link the nvmet_lio LUN"

lio_serve $N user_0/tu0
expect_eq "$D NSZE" $(( SIZE / 512 )) "$(( $(id_ns_field $D nsze) ))"

# the host's writes are in the handler's file, the file's in the host
mib_check $D $IMG 3 "NVMe to the handler's file"
dd if=/dev/urandom of=$PAT bs=1M count=1 2>/dev/null || fail "make $PAT"
dd if=$PAT of=$IMG bs=1M seek=9 conv=notrunc,fsync 2>/dev/null ||
	fail "write MiB 9 of $IMG"
dd if=$D of=$OUT bs=1M skip=9 count=1 iflag=direct 2>/dev/null ||
	fail "read MiB 9 of $D"
cmp -s $PAT $OUT || fail "MiB 9 written into $IMG, $D reads other data"
fio_verify $D 8M --offset=16M
echo "TCMU: data both ways between $D and the handler's $IMG"

# the handler dies under I/O; the host does not retry, so that each
# command fails after one cmd_time_out
RETRIES=$(cat $MAXRET)
write_attr $MAXRET 0
cp $PAT /tmp/e2e-tcmu.m9
fio_start /tmp/e2e-tcmu.fio $D 120 --size=8M --offset=16M \
	--exitall_on_error=1
sleep 2
# (fio's own state: 6.1's multipath head counts no requests in flight)
kill -0 $FIO 2>/dev/null || { cat $FIO_OUT; fail "fio ended before the kill"; }
m=$(kmsg_mark "handler killed")
t0=$(date +%s)
handler_kill
nvme read $D -s 0 -c 7 -z 4096 -d $OUT > /tmp/e2e-tcmu.rd 2>&1 &&
	fail "nvme read with the handler dead succeeded"
echo "  nvme read, handler dead: $(cat /tmp/e2e-tcmu.rd)"
i=0
while kill -0 $FIO 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 300 ] && fail "fio still running 60 s after the handler died"
	sleep 0.2
done
wait $FIO && fail "fio succeeded with the handler dead"
t1=$(date +%s)
grep -E 'err=|error' /tmp/e2e-tcmu.fio | head -3 | sed 's/^/  fio: /'
dmesg_since "$m" | grep -E 'nvme|nvmet|tcmu|TCMU|target' | head -8 |
	sed 's/^/  log: /'
echo "handler killed: the read failed, fio ended with errors in $(( t1 - t0 )) s"

# the namespace disabled with a command in the dead handler's ring: the
# disable waits for it (cmd_time_out), not for ever
dd if=$D of=/dev/null bs=64k count=16 iflag=direct 2>/dev/null &
DD=$!
sleep 0.5
t0=$(date +%s)
write_attr $NS/enable 0
t1=$(date +%s)
wait $DD && fail "a read with the handler dead succeeded"
[ $(( t1 - t0 )) -le 10 ] ||
	fail "the disable took $(( t1 - t0 )) s with the handler dead"
wait_dev_gone $N 1
echo "disable with the handler dead: $(( t1 - t0 )) s"
write_attr $MAXRET $RETRIES
RETRIES=

# a new handler on the same ring, as tcmu-runner starts
write_attr $U/action/block_dev 1
write_attr $U/action/reset_ring 1
write_attr $U/action/block_dev 0
handler_start
write_attr $NS/enable 1
D=$(wait_for_dev $N 1) || fail "no namespace after the enable"
dd if=$D of=$OUT bs=1M skip=9 count=1 iflag=direct 2>/dev/null ||
	fail "read MiB 9 of $D after the handler's restart"
cmp -s /tmp/e2e-tcmu.m9 $OUT || fail "MiB 9 changed across the restart"
rm -f /tmp/e2e-tcmu.m9 /tmp/e2e-tcmu.fio /tmp/e2e-tcmu.rd
mib_check $D $IMG 5 "NVMe to the new handler's file"
echo "a new handler serves the namespace again, the data intact"

host_disconnect_all || fail "disconnect"
write_attr $NS/enable 0
tgt_teardown || fail "teardown"
rm $LUN/tu0 || fail "unlink the LUN"
rmdir $LUN $T/nvmet_lio/e2e-tcmu/tpgt_1 $T/nvmet_lio/e2e-tcmu $T/nvmet_lio ||
	fail "rmdir our fabric's tree"
handler_kill
rmdir $U $T/core/user_0 || fail "rmdir the user backstore"
lio_unload
rm -f $IMG $PAT $OUT /tmp/e2e-tcmu.log
exit 0
