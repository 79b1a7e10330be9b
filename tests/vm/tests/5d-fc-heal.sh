#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/FC that heals without an administrator (issue 16).
# (a) An HBA reset: under fio verify on a connected host, nvme-fcloop
#     unregisters the target port (del_target_port) and registers it again
#     with the same WWNN/WWPN (add_target_port).  The host controller leaves
#     live and cannot come back while the port is gone; once it is back,
#     the nvmet port bound to those names serves it again with no configfs
#     change, the host reconnects, fio's I/O resumes and verifies, and data
#     written before the reset reads back.
# (b) The discovery event: a busybox uevent listener records the host's
#     FC_EVENT=nvmediscovery uevents (nvme-fc sends one when its LLDD
#     rescans a remote port, as on an RSCN).  Linking a new subsystem to
#     the FC port, on the target port registered again in (a), makes the
#     target ask the LLDD's discovery_event() for one; the test then does
#     what the udev rule of nvme-cli does with it (nvme connect-all with
#     the event's addresses), which connects the new subsystem.  Unlinking
#     it sends one more.
# TARGET=intree runs both against Debian's nvmet, nvmet-fc and
# nvme-fcloop.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/fc.sh
fc_begin

N=$NQN_BASE:fc-heal
N2=$NQN_BASE:fc-heal-new
IMG=/tmp/e2e-5d.img
IMG2=/tmp/e2e-5d-new.img
EV=/tmp/e2e-5d.ev
truncate -s 32M $IMG $IMG2 || fail "truncate"

# The listener: one line per nvmediscovery uevent, its host and target
# addresses (NVMEFC_HOST_TRADDR, NVMEFC_TRADDR).
: > $EV
uevent sh -c '[ "$FC_EVENT" = nvmediscovery ] &&
	echo "$NVMEFC_HOST_TRADDR $NVMEFC_TRADDR" >> '$EV &
UEV=$!
E2E_CLEANUP="kill $UEV 2>/dev/null; $E2E_CLEANUP"
sleep 0.5

# ev_wait COUNT SECONDS: at least COUNT events are in $EV
ev_wait() {
	t0=$(date +%s)
	while [ "$(wc -l < $EV)" -lt $1 ]; do
		[ $(( $(date +%s) - t0 )) -ge $2 ] && return 1
		sleep 0.2
	done
}

fc_add_pair 1
# nvme-fc announces a new remote port with a discovery uevent: the
# listener works.
ev_wait 1 5 || fail "no nvmediscovery uevent for the new remote port"
expect_eq "event addresses" \
	"$(fc_traddr host 1) $(fc_traddr tgt 1)" \
	"$(head -n 1 $EV)"
echo "listener: the remote port's discovery uevent seen"

tgt_subsys $N 1
tgt_ns $N 1 $IMG
fc_port 1 "$(fc_traddr tgt 1)"
tgt_link 1 $N

echo "== (a) the target port is unregistered and registered again"
fc_connect $N 1 --reconnect-delay=1 --ctrl-loss-tmo=60 ||
	fail "nvme connect -t fc"
C=$(ctrl_of $N) || fail "no host controller for $N"
fc_wait_live $C
D=$(wait_for_dev $N 1) || fail "no namespace 1"
data_prep
placed $D $IMG 24
fio_verify_start /tmp/e2e-5d.fio $D 16M 6
# fio is writing (dev_sectors counts the path disks where a multipath
# head keeps no counts, as 6.1's, whose inflight fio_running reads)
set -- $FIO_SECTORS
t0=$(date +%s)
until set -- $1 $2 $(dev_sectors $D); [ $4 -gt $2 ]; do
	kill -0 $FIO 2>/dev/null || { cat $FIO_OUT; fail "fio ended early"; }
	[ $(( $(date +%s) - t0 )) -ge 10 ] && fail "fio wrote nothing in 10 s"
	sleep 0.2
done
echo "before the target port goes: fio running, $((($4 - $2) / 2)) KiB written"

t=$(fc_wwn tgt 1)
fc_ctl del_target_port "wwnn=$t,wwpn=$t"
s=$(wait_ctrl_state $C "resetting|connecting" 10) ||
	fail "the host did not notice the target port going"
echo "target port unregistered: $C is $s"
sleep 1
s=$(cat /sys/class/nvme/$C/state)
[ "$s" = connecting ] || fail "$C is '$s' without a target port, not connecting"
fc_ctl add_target_port "wwnn=$t,wwpn=$t"
t0=$(date +%s)
wait_ctrl_state $C live 20 > /dev/null ||
	fail "the host did not reconnect after the target port came back"
echo "target port registered again: $C live after $(( $(date +%s) - t0 )) s"
set -- $(dev_sectors $D)
kill -0 $FIO 2>/dev/null || {
	grep -E 'err=|error' $FIO_OUT | head -n 3
	fail "fio ended before the host reconnected"
}
fio_wait 30
fio_verified /tmp/e2e-5d.fio $D
set -- $1 $2 $(dev_sectors $D)
echo "  after the reconnect: $((($4 - $2) / 2)) KiB written, $((($3 - $1) / 2)) KiB read"
[ $4 -gt $2 ] || fail "no write reached $D after the reconnect"
expect_eq "$D at 24 MiB after the reset" "$RAND_SUM" "$(sum_at $D 24)"
placed $D $IMG 28

echo "== (b) a new subsystem on the FC port: the discovery event"
tgt_subsys $N2 1
tgt_ns $N2 1 $IMG2
n=$(wc -l < $EV)
tgt_link 1 $N2
ev_wait $((n + 1)) 10 ||
	fail "no nvmediscovery uevent after linking $N2 (saw $n before)"
set -- $(sed -n "$((n + 1))p" $EV)
expect_eq "event host address" "$(fc_traddr host 1)" "$1"
expect_eq "event target address" "$(fc_traddr tgt 1)" "$2"
echo "link: the discovery uevent reached the host"
# What nvme-cli's udev rule (70-nvmf-autoconnect.rules) runs for it.
nvme connect-all -t fc -a "$2" -w "$1" > /dev/null 2>&1
C2=$(ctrl_of $N2) || fail "connect-all after the event did not connect $N2"
fc_wait_live $C2
D2=$(wait_for_dev $N2 1) || fail "no namespace 1 of $N2"
placed $D2 $IMG2 1
echo "connect-all after the event: $C2 ($D2) for $N2"
nvme disconnect -n $N2 > /dev/null || fail "nvme disconnect $N2"
wait_ctrl_gone $N2

n=$(wc -l < $EV)
rm $CFS/ports/1/subsystems/$N2 || fail "unlink $N2"
ev_wait $((n + 1)) 10 || fail "no nvmediscovery uevent after the unlink"
echo "unlink: the discovery uevent reached the host"

nvme disconnect -n $N > /dev/null || fail "nvme disconnect"
wait_ctrl_gone $N
exit 0
