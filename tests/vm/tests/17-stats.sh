#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Statistics, tracepoints and debugfs over NVMe/TCP.  A file namespace;
# after the host settles, dd writes 32 x 128 KiB and reads 16 x 64 KiB
# with O_DIRECT: the namespace's configfs stats count exactly those
# commands and bytes, the latency histogram adds up to the I/O commands,
# a read past the end (nvme read) counts one generic LBA Out of Range
# error, and the subsystem's ctrl_stats and debugfs ctrl<ID>/stats show
# the controller's.  The nvmet:nvmet_req_init/nvmet_req_complete
# tracepoints, enabled through tracefs, log the reads with their qid,
# nsid and opcode, and the failed read's status; debugfs
# nvmet/<NQN>/ctrl<ID>/ has port, hostnqn, kato, state and host_traddr
# with the in-tree values; with the module parameter stats_latency=0 the
# commands still count and the histogram stops.  TARGET=intree runs the
# trace and debugfs checks against Debian's in-tree target (it has no
# statistics, and Debian builds it without debugfs: that part says so and
# is left out).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh

e2e_begin
tgt_load

N=$NQN_BASE:stats
IMG=/tmp/e2e-stats.img
truncate -s 64M $IMG || fail "truncate $IMG"
S=$CFS/subsystems/$N
NS=$S/namespaces/1
tgt_setup_tcp_subsys $N 1 127.0.0.1 4420 $IMG
ours() { [ "$TARGET" != intree ]; }

host_connect $N --hostnqn=$HOSTNQN_A --hostid=$HOSTID_A ||
	fail "nvme connect"
C=$(ctrl_of $N) || fail "no host controller for $N"
D=$(wait_for_dev $N 1) || fail "no namespace 1"
CNTLID=$(cat /sys/class/nvme/$C/cntlid)
echo "connected: $C ($D), controller ID $CNTLID"

# sval FILE KEY: the value of "KEY VALUE" in FILE
sval() {
	awk -v k="$2" '$1 == k { print $2; f = 1 } END { exit !f }' "$1" ||
		fail "no '$2' in $1"
}
# hist_total FILE: the sum of the lat_us_* lines
hist_total() {
	awk '$1 ~ /^lat_us_/ { t += $2 } END { print t + 0 }' "$1"
}
snap() { cat $NS/stats > "$1" || fail "read $NS/stats"; }
# delta KEY: the change of KEY from /tmp/e2e-s0 to /tmp/e2e-s1
delta() { echo $(( $(sval /tmp/e2e-s1 "$1") - $(sval /tmp/e2e-s0 "$1") )); }

# ------------------------------------------------------------ statistics --
if ours; then
	# No saved prefix: nvmetcli must neither save nor restore them.
	for a in $NS/stats $S/ctrl_stats; do
		[ -f $a ] || fail "no $a"
		expect_eq "$a mode" "-r--r--r--" "$(ls -l $a | cut -c1-10)"
	done
	# The host's own reads (partition table) end before we count.
	i=0
	snap /tmp/e2e-s0
	while sleep 1; snap /tmp/e2e-s1
	      ! cmp -s /tmp/e2e-s0 /tmp/e2e-s1; do
		cp /tmp/e2e-s1 /tmp/e2e-s0
		i=$((i + 1))
		[ $i -gt 20 ] && fail "namespace counters still moving after 20 s"
	done
	sed 's/^/  before: /' /tmp/e2e-s0 | grep -v ' 0$'

	dd if=/dev/urandom of=/tmp/e2e-data bs=128k count=32 2>/dev/null
	dd if=/tmp/e2e-data of=$D bs=128k count=32 oflag=direct 2>/dev/null ||
		fail "dd write to $D"
	dd if=$D of=/dev/null bs=64k count=16 iflag=direct 2>/dev/null ||
		fail "dd read from $D"
	snap /tmp/e2e-s1
	expect_eq "writes" 32 "$(delta writes)"
	expect_eq "write_bytes" 4194304 "$(delta write_bytes)"
	expect_eq "reads" 16 "$(delta reads)"
	expect_eq "read_bytes" 1048576 "$(delta read_bytes)"
	expect_eq "errors" 0 "$(delta errors)"
	io=$(( $(sval /tmp/e2e-s1 reads) + $(sval /tmp/e2e-s1 writes) +
	       $(sval /tmp/e2e-s1 other) ))
	expect_eq "histogram total" $io "$(hist_total /tmp/e2e-s1)"
	echo "dd: 32 writes (4 MiB), 16 reads (1 MiB) counted; histogram $io"
fi

# -------------------------------------------------------------- tracing --
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T || fail "mount tracefs"
[ -d $T/events/nvmet ] || fail "no nvmet trace events on $TARGET"
for e in nvmet_req_init nvmet_req_complete; do
	for f in ctrl_id qid cid; do
		grep -q "field:.* $f;" $T/events/nvmet/$e/format ||
			fail "event $e has no field $f"
	done
done
for f in opcode nsid flags cdw10 fctype metadata; do
	grep -q "field:.* $f\(\[24\]\)\{0,1\};" $T/events/nvmet/nvmet_req_init/format ||
		fail "nvmet_req_init has no field $f"
done
for f in result status; do
	grep -q "field:.* $f;" $T/events/nvmet/nvmet_req_complete/format ||
		fail "nvmet_req_complete has no field $f"
done
echo > $T/trace
echo 1 > $T/events/nvmet/enable || fail "enable the nvmet events"
dd if=$D of=/dev/null bs=4k count=4 skip=100 iflag=direct 2>/dev/null ||
	fail "dd read with tracing on"
lbads=$(nvme id-ns $D | sed -n 's/^lbaf .*lbads:\([0-9]*\).*in use.*/\1/p')
nsze=$(id_ns_field $D nsze)
nvme read $D -s $((nsze)) -c 0 -z $((1 << lbads)) -d /dev/null \
	> /tmp/e2e-rd.out 2>&1 && fail "a read past the end succeeded"
echo "read past the end: $(head -n 1 /tmp/e2e-rd.out)"
echo 0 > $T/events/nvmet/enable
cp $T/trace /tmp/e2e-trace
reads=$(grep 'nvmet_req_init:' /tmp/e2e-trace |
	grep 'nsid=1,' | grep 'cmd=(nvme_cmd_read' | grep -vc 'qid=0,')
echo "trace: $(grep -c nvmet_req_init: /tmp/e2e-trace) init, $(grep -c nvmet_req_complete: /tmp/e2e-trace) complete, $reads reads of nsid 1 on I/O queues"
grep 'nvmet_req_init:.*nvme_cmd_read' /tmp/e2e-trace | head -n 2 | sed 's/^ */  /'
[ "$reads" -ge 4 ] || fail "expected at least 4 traced reads, got $reads"
# The failed read's completion: LBA Out of Range (80h, ours) or Capacity
# Exceeded (81h, in-tree's file backend) with DNR and More (the error log
# names the field).
bad='status=0x608[01]$'
grep 'nvmet_req_complete:' /tmp/e2e-trace | grep -v 'qid=0,' |
	grep -q "$bad" || {
	grep 'nvmet_req_complete:' /tmp/e2e-trace | tail -n 5
	fail "no failed read completion in the trace"
}
grep 'nvmet_req_complete:' /tmp/e2e-trace | grep "$bad" | head -n 1 |
	sed 's/^ */  /'
ours && { grep 'nvmet_req_complete:' /tmp/e2e-trace | grep -q 'status=0x6080$' ||
	fail "our failed read is not LBA Out of Range with DNR and More"; }

if ours; then
	snap /tmp/e2e-s0b
	mv /tmp/e2e-s1 /tmp/e2e-s0
	mv /tmp/e2e-s0b /tmp/e2e-s1
	expect_eq "errors after a read past the end" 1 "$(delta errors)"
	expect_eq "errors_generic" 1 "$(delta errors_generic)"
	expect_eq "status_lba_range" 1 "$(delta status_lba_range)"
	expect_eq "read_bytes of the traced reads" 16384 "$(delta read_bytes)"
	expect_eq "reads with the one that failed" 5 "$(delta reads)"
	echo "read past the end: errors_generic and status_lba_range +1"

	line=$(grep "^ctrl$CNTLID " $S/ctrl_stats) ||
		fail "no ctrl$CNTLID in ctrl_stats: $(cat $S/ctrl_stats)"
	echo "ctrl_stats: $line"
	case $line in
	*" hostnqn=$HOSTNQN_A "*) ;;
	*) fail "ctrl_stats line has not hostnqn=$HOSTNQN_A" ;;
	esac
	creads=$(echo "$line" | sed -n 's/.* reads=\([0-9]*\).*/\1/p')
	[ "$creads" -ge "$(sval /tmp/e2e-s1 reads)" ] ||
		fail "controller reads $creads below the namespace's"
fi

# -------------------------------------------------------------- debugfs --
# Debian builds its in-tree target without CONFIG_NVME_TARGET_DEBUGFS.
DBG=/sys/kernel/debug/nvmet/$N/ctrl$CNTLID
if ! ours && [ ! -d /sys/kernel/debug/nvmet ]; then
	echo "debugfs: none on $TARGET (Debian: CONFIG_NVME_TARGET_DEBUGFS is not set)"
	DBG=
else
	[ -d $DBG ] || fail "no $DBG on $TARGET: $(ls /sys/kernel/debug/nvmet 2>&1)"
	echo "debugfs $DBG: $(attrs $DBG)"
	expect_file $DBG/port 1
	expect_file $DBG/hostnqn $HOSTNQN_A
	expect_file $DBG/state ready
	expect_file $DBG/host_traddr 127.0.0.1
	kato=$(cat /sys/class/nvme/$C/kato 2>/dev/null || echo 5)
	expect_file $DBG/kato $kato
	for f in port hostnqn kato host_traddr; do
		expect_eq "$f mode" "-r--------" "$(ls -l $DBG/$f | cut -c1-10)"
	done
	expect_eq "state mode" "-rw-------" "$(ls -l $DBG/state | cut -c1-10)"
	echo "debugfs: port 1, hostnqn, kato $kato, state ready, host_traddr 127.0.0.1"
	if ours; then
		expect_eq "debugfs stats reads" "$(echo "$line" |
			sed -n 's/.* reads=\([0-9]*\).*/\1/p')" "$(sval $DBG/stats reads)"
		io=$(( $(sval $DBG/stats reads) + $(sval $DBG/stats writes) +
		       $(sval $DBG/stats other) ))
		expect_eq "controller histogram total" $io "$(hist_total $DBG/stats)"
		[ "$(sval $DBG/stats admin)" -gt 0 ] || fail "no admin command counted"
		[ "$(sval $DBG/stats fabrics)" -gt 0 ] || fail "no Connect counted"
	fi
fi

# stats_latency=0: commands still count, the histogram stops; back on,
# it grows again by the commands done.
if ours; then
	P=/sys/module/nvmet/parameters/stats_latency
	expect_file $P Y
	rd() {
		dd if=$D of=/dev/null bs=4k count=$1 skip=64 iflag=direct \
			2>/dev/null || fail "dd read of $D"
	}
	snap /tmp/e2e-s0
	echo 0 > $P || fail "cannot set $P"
	rd 8
	snap /tmp/e2e-s1
	echo 1 > $P || fail "cannot set $P"
	expect_file $P Y
	expect_eq "reads with latency off" 8 "$(delta reads)"
	expect_eq "histogram with latency off" "$(hist_total /tmp/e2e-s0)" \
		"$(hist_total /tmp/e2e-s1)"
	cp /tmp/e2e-s1 /tmp/e2e-s0
	rd 4
	snap /tmp/e2e-s1
	expect_eq "histogram with latency back on" 4 \
		$(( $(hist_total /tmp/e2e-s1) - $(hist_total /tmp/e2e-s0) ))
	echo "stats_latency: off, 8 reads counted, histogram unchanged; on again, +4"
fi

# The directory goes with the controller.
nvme disconnect -n $N > /dev/null || fail "nvme disconnect"
wait_ctrl_gone $N
i=0
while [ -n "$DBG" ] && [ -d $DBG ]; do
	i=$((i + 1))
	[ $i -gt 50 ] && fail "$DBG still there after disconnect"
	sleep 0.2
done
if ours; then
	expect_eq "ctrl_stats after disconnect" "" "$(cat $S/ctrl_stats)"
	[ "$(sval $NS/stats reads)" -ge 21 ] ||
		fail "namespace counters lost at disconnect"
fi
exit 0
