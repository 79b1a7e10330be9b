#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Per-host namespace visibility over NVMe/TCP, two host identities in one
# guest (HOSTNQN_A, HOSTNQN_B) on an allow-any-host subsystem with two
# namespaces: 1 visible to all, 2 with device_auto_visible 0 and only
# host A in its allowed_hosts/.
# - B (connected first; no host object exists for it) lists namespace 1
#   only (Identify CNS 02h), its controller has no path to 2 and no block
#   device for 2 exists; Identify Namespace of 2 reads as zeroes, its
#   descriptor list and SMART log are Invalid Namespace, and a Read from
#   B to NSID 2 (a raw host on nc: the Linux host sends none) completes
#   with Invalid Namespace and DNR (0x400b) while one to NSID 1 returns
#   data.  A then lists 1 and 2 and gets a path to 2.
# - Linking B (a host object made after B's connect) makes 2 appear on
#   B's controller through the namespace-changed event, without a
#   reconnect (same controller, same cntlid, live throughout); A gets no
#   event (host tracepoint nvme_async_event); flipping device_auto_visible
#   while both are linked raises no event at all; unlinking B takes 2 from
#   B only; auto_visible 1 gives it to B (event for B only) and 0 takes it
#   away again.  Once linked, B's Read of NSID 2 returns data.
# - I/O from B to 2 once visible: with A disconnected, B's path alone
#   carries the block device of 2, which reads; unlinking B then removes
#   /dev/nvmeXn2 from the host.
# - configfs: device_auto_visible takes 0/1 only; a link to a non-host, a
#   second link to the same host and a link of the same name fail as in a
#   subsystem's allowed_hosts/; a linked host cannot be removed and a
#   namespace with links cannot be rmdir'd.
# Ours only: in-tree has no per-host visibility.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/tcp-pdu.sh
[ "$TARGET" = intree ] && skip "in-tree has no per-host namespace visibility"
command -v nc > /dev/null || skip "no nc in the VM image"
e2e_begin
tgt_load

N=$NQN_BASE:vis
S=$CFS/subsystems/$N
NS2=$S/namespaces/2
ACL=$NQN_BASE:vis-acl
tgt_subsys $N 1
tgt_ns $N 1 null:67108864
mkdir $NS2 || fail "mkdir namespace 2"
write_attr $NS2/device_backend null
write_attr $NS2/device_size 33554432
expect_file $NS2/device_auto_visible 1
bad $NS2/device_auto_visible 2 "Invalid argument"
rt $NS2/device_auto_visible 0
write_attr $NS2/enable 1
mkdir $CFS/hosts/$HOSTNQN_A || fail "mkdir host A"
ln -s $CFS/hosts/$HOSTNQN_A $NS2/allowed_hosts/$HOSTNQN_A ||
	fail "link host A to namespace 2"

# ------------------------------------------------------ configfs errors --
# Each error as a subsystem's allowed_hosts/ gives it ($ACL, not
# allow-any-host, with host A allowed).
tgt_subsys $ACL 0
tgt_allow $ACL $HOSTNQN_A
# same_error WHAT LINK_TARGET NAME: ln -s into both gives the same error
same_error() {
	a=$(ln -s $2 $CFS/subsystems/$ACL/allowed_hosts/$3 2>&1) &&
		fail "$1: the subsystem's allowed_hosts took it"
	b=$(ln -s $2 $NS2/allowed_hosts/$3 2>&1) &&
		fail "$1: the namespace's allowed_hosts took it"
	a=${a##*: } b=${b##*: }
	expect_eq "$1: the namespace's error" "$a" "$b"
	echo "$1: $b, as for a subsystem"
}
same_error "link to a subsystem" $S not-a-host
same_error "second link to host A" $CFS/hosts/$HOSTNQN_A other-name
same_error "link of the same name" $CFS/hosts/$HOSTNQN_A $HOSTNQN_A
expect_eq "namespace 2 links" "$HOSTNQN_A" "$(ls $NS2/allowed_hosts)"
expect_errno "Device or resource busy" rmdir $CFS/hosts/$HOSTNQN_A
mkdir $S/namespaces/3 || fail "mkdir namespace 3"
ln -s $CFS/hosts/$HOSTNQN_A $S/namespaces/3/allowed_hosts/$HOSTNQN_A ||
	fail "link host A to namespace 3"
expect_errno "Directory not empty" rmdir $S/namespaces/3
rm $S/namespaces/3/allowed_hosts/$HOSTNQN_A || fail "unlink from 3"
rmdir $S/namespaces/3 || fail "rmdir namespace 3 without links"
rm $CFS/subsystems/$ACL/allowed_hosts/$HOSTNQN_A
rmdir $CFS/subsystems/$ACL || fail "rmdir $ACL"

tgt_port 1 127.0.0.1 4420
tgt_link 1 $N
tgt_port 2 127.0.0.1 4421
tgt_link 2 $N

# ------------------------------------------------------------- helpers --
# ctrl_nsids CTRL: the NSIDs the host has a namespace (path) for on
# controller CTRL, sorted, on one line
ctrl_nsids() {
	for d in /sys/class/nvme/$1/nvme*n*; do
		[ -e "$d/nsid" ] && cat "$d/nsid"
	done | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# wait_nsids CTRL "NSIDS" [SECONDS(10)]: until ctrl_nsids CTRL is NSIDS
wait_nsids() {
	end=$(( $(date +%s) + ${3:-10} ))
	while [ "$(ctrl_nsids $1)" != "$2" ]; do
		[ "$(date +%s)" -ge $end ] &&
			fail "$1 has namespaces '$(ctrl_nsids $1)', not '$2', after ${3:-10} s"
		sleep 0.2
	done
}

# list_ns CTRL: Identify CNS 02h through CTRL, NSIDs in decimal
list_ns() {
	nvme list-ns /dev/$1 | sed -n 's/.*:0x\([0-9a-f]*\)$/\1/p' |
		while read -r x; do echo $((0x$x)); done | tr '\n' ' ' |
		sed 's/ $//'
}

# The Linux host sends no I/O to an NSID it has no namespace for (its
# passthrough ioctls check the NSID), so B's I/O comes from a raw host B
# on busybox nc (tcp-pdu.sh): an admin queue (Connect, CC.EN) and one I/O
# queue, as host NQN B.  R: what the I/O queue received.
R=/tmp/e2e-vis.io
raw_b_connect() {
	icreq > /tmp/e2e-vis.icreq
	connect 1 0 65535 $N $HOSTNQN_B > /tmp/e2e-vis.aconn
	prop_set_cc 2 $((0x460001)) > /tmp/e2e-vis.cc
	rm -f /tmp/e2e-vis.f3 /tmp/e2e-vis.f4
	mkfifo /tmp/e2e-vis.f3 /tmp/e2e-vis.f4 || fail "mkfifo"
	nc 127.0.0.1 4420 < /tmp/e2e-vis.f3 > /tmp/e2e-vis.a &
	NC_A=$!
	exec 3> /tmp/e2e-vis.f3
	cat /tmp/e2e-vis.icreq >&3
	wait_bytes /tmp/e2e-vis.a 128 10 || fail "raw B: no ICResp"
	cat /tmp/e2e-vis.aconn >&3
	wait_bytes /tmp/e2e-vis.a 152 10 || fail "raw B: no Connect response"
	expect_eq "raw B: admin Connect status" 0 \
		$(( $(le16 /tmp/e2e-vis.a 150) >> 1 ))
	cntlid=$(le16 /tmp/e2e-vis.a 136)
	cat /tmp/e2e-vis.cc >&3
	wait_bytes /tmp/e2e-vis.a 176 10 || fail "raw B: no Property Set response"
	connect 1 1 $cntlid $N $HOSTNQN_B > /tmp/e2e-vis.ioconn
	nc 127.0.0.1 4420 < /tmp/e2e-vis.f4 > $R &
	NC_IO=$!
	exec 4> /tmp/e2e-vis.f4
	cat /tmp/e2e-vis.icreq >&4
	wait_bytes $R 128 10 || fail "raw B: no ICResp on the I/O queue"
	cat /tmp/e2e-vis.ioconn >&4
	wait_bytes $R 152 10 || fail "raw B: no I/O Connect response"
	expect_eq "raw B: I/O Connect status" 0 $(( $(le16 $R 150) >> 1 ))
	echo "raw B: controller $cntlid with one I/O queue"
}
raw_b_close() {
	exec 3>&- 4>&-
	kill $NC_A $NC_IO 2>/dev/null
	wait $NC_A $NC_IO 2>/dev/null
}

# io_read CID NSID: a Read of one 4 KiB block at LBA 0 of NSID on raw
# B's I/O queue; prints the status in hex (0x0 when it returned data)
# without the More bit (an error log entry exists)
io_read() {
	at=$(stat -c %s $R)
	{ capsule 0
	  le 2 1; le 64 1; le $1 2; le $2 4; zeros 16
	  le 0 8; le 4096 4; zeros 3; le 90 1
	  le 0 8; le 0 2; zeros 14; } >&4
	wait_bytes $R $((at + 24)) 10 || fail "raw B: no answer to read $1"
	case $(byte $R $at) in
	5)	printf '0x%x\n' $(( $(le16 $R $((at + 22))) >> 1 & 0xdfff )) ;;
	7)	# C2HData: its data, then a response unless flagged SUCCESS
		wait_bytes $R $((at + 24 + 4096)) 10 || fail "raw B: short data"
		if [ $(( $(byte $R $((at + 1))) & 8 )) -ne 0 ]; then
			echo 0x0
		else
			at=$((at + 24 + 4096))
			wait_bytes $R $((at + 24)) 10 || fail "raw B: no response"
			printf '0x%x\n' $(( $(le16 $R $((at + 22))) >> 1 & 0xdfff ))
		fi ;;
	*)	fail "raw B: PDU type $(byte $R $at) for read $1" ;;
	esac
}

# aens CTRL: namespace-changed events the host's CTRL got since the trace
# was last cleared
aens() {
	grep -c " $1: NVME_AEN=0x040002" $T/trace
}

T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T || fail "mount tracefs"
[ -d $T/events/nvme/nvme_async_event ] || fail "no nvme_async_event event"
echo 1 > $T/events/nvme/nvme_async_event/enable || fail "enable the event"
E2E_CLEANUP="echo 0 > $T/events/nvme/nvme_async_event/enable"

# ------------------------------------------------------ B sees 1 only --
host_connect $N -q $HOSTNQN_B -I $HOSTID_B || fail "connect B"
CB=$(ctrl_of $N $HOSTNQN_B) || fail "no controller of B"
wait_for_dev $N 1 > /dev/null || fail "namespace 1 did not appear"
wait_nsids $CB 1
sleep 1
expect_eq "B's controller's namespaces" 1 "$(ctrl_nsids $CB)"
expect_eq "B's active namespace list" 1 "$(list_ns $CB)"
dev_of $N 2 && fail "a block device for namespace 2 exists with only B"
expect_eq "nsze of namespace 2 for B" 0 "$(nvme id-ns /dev/$CB -n 2 | sed -n 's/^nsze *: //p')"
nsze1=$(nvme id-ns /dev/$CB -n 1 | sed -n 's/^nsze *: //p')
[ -n "$nsze1" ] && [ "$nsze1" != 0 ] ||
	fail "Identify Namespace 1 for B: nsze '$nsze1'"
nvme ns-descs /dev/$CB -n 2 > /tmp/e2e-desc.out 2>&1 &&
	fail "B read namespace 2's descriptors: $(cat /tmp/e2e-desc.out)"
nvme smart-log /dev/$CB -n 2 > /tmp/e2e-smart.out 2>&1 &&
	fail "B read namespace 2's SMART log"
nvme smart-log /dev/$CB -n 1 > /dev/null || fail "B's SMART log of namespace 1"
raw_b_connect
E2E_CLEANUP="raw_b_close; $E2E_CLEANUP"
expect_eq "raw B: read of namespace 1" 0x0 "$(io_read 11 1)"
expect_eq "raw B: read of namespace 2 (Invalid Namespace, DNR)" 0x400b \
	"$(io_read 12 2)"
expect_eq "raw B: read of namespace 3 (none)" 0x400b "$(io_read 13 3)"
echo "B: namespaces '$(ctrl_nsids $CB)'; raw reads: 1 fine, 2 Invalid Namespace"

# ------------------------------------------------------ A sees 1 and 2 --
# Through a port of its own: nvme-cli 2.3 takes a second controller of
# one subsystem on one port for a duplicate, whatever its host NQN.
TRSVCID=4421 host_connect $N -q $HOSTNQN_A -I $HOSTID_A || fail "connect A"
CA=$(ctrl_of $N $HOSTNQN_A) || fail "no controller of A"
wait_nsids $CA "1 2"
D2=$(wait_for_dev $N 2) || fail "namespace 2 did not appear with A"
expect_eq "A's active namespace list" "1 2" "$(list_ns $CA)"
expect_eq "B's controller's namespaces with A connected" 1 "$(ctrl_nsids $CB)"
CNTLID_B=$(cat /sys/class/nvme/$CB/cntlid)
echo "A: $CA, namespaces '$(ctrl_nsids $CA)'; B: $CB (cntlid $CNTLID_B)"

# B_same: B's controller is the same live one (no reconnect)
B_same() {
	expect_file /sys/class/nvme/$CB/state live
	expect_file /sys/class/nvme/$CB/cntlid $CNTLID_B
	expect_eq "B's controller" $CB "$(ctrl_of $N $HOSTNQN_B)"
}

# events WHAT A B: A's and B's controllers got that many events since the
# trace was cleared (waits 1 s for late ones)
events() {
	sleep 1
	expect_eq "$1: events for A" $2 "$(aens $CA)"
	expect_eq "$1: events for B" $3 "$(aens $CB)"
	echo "$1: $2 event(s) for A, $3 for B"
	echo > $T/trace
}

# ------------------------------------------------------------- link B --
echo > $T/trace
mkdir $CFS/hosts/$HOSTNQN_B || fail "mkdir host B"
ln -s $CFS/hosts/$HOSTNQN_B $NS2/allowed_hosts/$HOSTNQN_B ||
	fail "link host B to namespace 2"
wait_nsids $CB "1 2"
B_same
events "link B" 0 1
expect_eq "raw B: read of namespace 2 once linked" 0x0 "$(io_read 21 2)"
expect_eq "A's namespaces" "1 2" "$(ctrl_nsids $CA)"

# Both linked: the flag changes nobody's view.
write_attr $NS2/device_auto_visible 1
write_attr $NS2/device_auto_visible 0
events "auto_visible 1 and 0 with A and B linked" 0 0

# ----------------------------------------------------------- unlink B --
rm $NS2/allowed_hosts/$HOSTNQN_B || fail "unlink host B"
wait_nsids $CB 1
B_same
events "unlink B" 0 1
expect_eq "A's namespaces after unlinking B" "1 2" "$(ctrl_nsids $CA)"
expect_eq "raw B: read of namespace 2 after the unlink" 0x400b "$(io_read 22 2)"

# ---------------------------------------------------- the flag, B unlinked --
write_attr $NS2/device_auto_visible 1
wait_nsids $CB "1 2"
B_same
events "auto_visible 1" 0 1
write_attr $NS2/device_auto_visible 0
wait_nsids $CB 1
events "auto_visible 0" 0 1

# ------------------------------------------- I/O from B, /dev from B only --
ln -s $CFS/hosts/$HOSTNQN_B $NS2/allowed_hosts/$HOSTNQN_B ||
	fail "link host B again"
wait_nsids $CB "1 2"
nvme disconnect -d $CA > /dev/null || fail "disconnect A"
end=$(( $(date +%s) + 20 ))
while [ -e /sys/class/nvme/$CA ]; do
	[ "$(date +%s)" -ge $end ] && fail "$CA still there 20 s after disconnect"
	sleep 0.2
done
D2=$(dev_of $N 2) || fail "no block device for 2 with B alone"
dd if=$D2 of=/dev/null bs=4k count=64 iflag=direct 2>/dev/null ||
	fail "B's read of $D2"
echo "B alone: $D2 reads through B's path"
rm $NS2/allowed_hosts/$HOSTNQN_B || fail "unlink host B again"
wait_dev_gone $N 2 10
B_same
echo "unlinked: $D2 is gone from the host"
expect_eq "raw B: read of namespace 2 at the end" 0x400b "$(io_read 31 2)"
expect_eq "B's controller's namespaces at the end" 1 "$(ctrl_nsids $CB)"
exit 0
