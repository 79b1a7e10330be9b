#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Reservations that persist through power loss (PTPL), over NVMe/TCP.
# The state file lives in the default place, /var/lib/nvmet-ng/, which
# here is a link to /shared/nvmet-ng on the disk a second boot finds again
# (tests/vm/run.sh, "Second boot").
# First boot:
# - host A registers key 0xa1 with PTPL set (resv-register --cptpl=3),
#   host B key 0xb2, A acquires Write Exclusive; RESV_HOSTS more host
#   identities (default 64, each connect, register, disconnect) register
#   keys of their own: the state file exists, 256 KiB.  Each identity
#   costs about 1.2 s in the TCG guest, so the lane's run stops at 66
#   registrants; VM_ARGS="tests=2k RESV_HOSTS=300 TEST_TIMEOUT=900" runs
#   hundreds, and the KUnit suite nvmet_ng_pr_store saves and restores
#   300 and 4096 (the most) through the state file;
# - the registrants (keys, host IDs), the holder, the type and PTPL read
#   back (Reservation Report, extended) the same after the namespace's
#   disable/enable and after a reload of our modules with the whole
#   configuration made again;
# - a corrupt (flipped bytes in each slot), a truncated and a foreign
#   (namespace 1's) state file each make namespace 2's enable fail, the
#   kernel log naming the subsystem, namespace 2 and the file, while
#   namespace 3 enables; with its own file again namespace 2 enables;
# - asks for the second boot.
# Second boot: the configuration made again, the same report: every
# registrant, the holder and the type.
# Each host identity has its own controller and block device (nvme_core
# reloaded with multipath=N, as in 2j): commands go through the sender's
# own path.  A and B, connected at once, come through ports of their own
# (1 and 2): nvme-cli takes a second controller of one subsystem on one
# port for a duplicate whatever its host NQN ("already connected", even
# with -D); the extra identities connect one at a time, through port 1.
# Skips where the target has no reservations (no resv_enable attribute).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/resv.sh
[ "$TARGET" = intree ] && skip "in-tree keeps reservations in memory only"
e2e_begin
resv_single_path
tgt_load

N=$NQN_BASE:resv-ptpl
S=$CFS/subsystems/$N
RESV_HOSTS=${RESV_HOSTS:-64}
STATE_DIR=/shared/nvmet-ng
EXPECT=/shared/2k.expect
# The default file: /var/lib/nvmet-ng/<NQN, ':' kept>-<NSID>.resv
STATE=/var/lib/nvmet-ng/$N-1.resv

# ns_make NSID [STATE_PATH]: a null namespace with reservations on, not
# enabled
ns_make() {
	ns=$S/namespaces/$1
	mkdir $ns || fail "mkdir namespace $1"
	write_attr $ns/device_backend null
	write_attr $ns/device_size $((64 << 20))
	write_attr $ns/resv_enable 1
	[ -z "${2:-}" ] || write_attr $ns/resv_state_path "$2"
}

# config: subsystem, namespace 1 enabled, ports 1 and 2 on
# 127.0.0.1:4420 and 4421
config() {
	tgt_subsys $N 1
	[ -e $CFS/subsystems/$N/namespaces ] || fail "no namespaces/"
	mkdir $S/namespaces/1 || fail "mkdir namespace 1"
	if [ ! -e $S/namespaces/1/resv_enable ]; then
		rmdir $S/namespaces/1
		skip "the target has no reservations (no resv_enable attribute)"
	fi
	rmdir $S/namespaces/1
	ns_make 1
	write_attr $S/namespaces/1/enable 1
	tgt_port 1 127.0.0.1 4420
	tgt_port 2 127.0.0.1 4421
	tgt_link 1 $N
	tgt_link 2 $N
}

# host_id I: host ID and NQN of the I-th extra host
host_id() { printf '00000000-0000-4000-8000-%012x' "$1"; }
host_nqn() { echo "nqn.2014-08.org.nvmexpress:uuid:$(host_id "$1")"; }

# ns_dev CTRL NSID: CTRL's own block device of namespace NSID (20 s)
ns_dev() {
	end=$(( $(date +%s) + 20 ))
	while :; do
		for b in /sys/class/nvme/$1/nvme*n*; do
			[ "$(cat $b/nsid 2>/dev/null)" = "$2" ] &&
				[ -b /dev/${b##*/} ] && { echo /dev/${b##*/}; return 0; }
		done
		[ "$(date +%s)" -ge $end ] && return 1
		sleep 0.2
	done
}

# connect_as HOSTNQN HOSTID [PORT]: connect through port PORT (1 or 2,
# default 1), print the new controller's own block device of namespace 1;
# in $(...), so the caller adds || exit 1
connect_as() {
	TRSVCID=$((4419 + ${3:-1})) host_connect $N --hostnqn="$1" \
		--hostid="$2" -i 1 > /dev/null || fail "connect as $1"
	c=$(ctrl_of $N "$1") || fail "no controller of $1"
	ns_dev $c 1 || fail "no namespace 1 on $c ($1)"
}

# report DEV: "REGCTL RTYPE PTPLS" then one "RKEY HOSTID RCSTS" line per
# registrant (key and host ID in hex), sorted: a Reservation Report with
# the extended data structure, sent with io-passthru, as nvme resv-report
# asks for 4 KiB at most (62 registrants)
report() {
	len=$((64 * (RESV_HOSTS + 4) + 64))
	nvme io-passthru "$1" -o 0x0e -n 1 -l $len -r -b \
		--cdw10=$((len / 4 - 1)) --cdw11=1 > /tmp/2k.bin ||
		fail "Reservation Report through $1"
	python3 - /tmp/2k.bin <<'EOF'
import struct, sys
d = open(sys.argv[1], 'rb').read()
rtype, regctl = struct.unpack_from('<BH', d, 4)
print(regctl, rtype, d[9])
regs = []
for i in range(min(regctl, (len(d) - 64) // 64)):
    off = 64 + 64 * i
    rkey, = struct.unpack_from('<Q', d, off + 8)
    regs.append('0x%x %s %d' % (rkey, d[off + 16:off + 32].hex(), d[off + 2]))
print('\n'.join(sorted(regs)))
EOF
}

# expect_report DEV WANT_FILE: the report matches, cntlids aside
expect_report() {
	report "$1" > /tmp/2k.got
	if ! cmp -s "$2" /tmp/2k.got; then
		echo "expected:"; head -n 5 "$2"
		echo "got:"; head -n 5 /tmp/2k.got
		diff "$2" /tmp/2k.got | head -n 20
		fail "reservation report differs ($3)"
	fi
	echo "report as expected ($3): $(head -n 1 /tmp/2k.got)"
}

# enable_fails NSID WHAT PATH: echo 1 > enable fails; the log names it
enable_fails() {
	mark=$(kmsg_mark "2k $2")
	echo 1 > $S/namespaces/$1/enable 2>/dev/null &&
		fail "namespace $1 enabled with a $2 state file"
	expect_file $S/namespaces/$1/enable 0
	dmesg_since "$mark" | grep "subsystem $N namespace $1: reservation state file $3" ||
		fail "no log line names namespace $1 and $3 ($2)"
}

mkdir -p /var/lib
ln -sfn $STATE_DIR /var/lib/nvmet-ng

if [ "${boot:-1}" = 2 ]; then
	[ -f $EXPECT ] || fail "the first boot left no $EXPECT"
	expect_dir $STATE_DIR
	config
	dev=$(connect_as "$HOSTNQN_A" "$HOSTID_A") || exit 1
	expect_report "$dev" $EXPECT "after the guest's reboot"
	exit 0
fi

mkdir -p $STATE_DIR || fail "mkdir $STATE_DIR"
rm -f $STATE_DIR/* $EXPECT
config
expect_absent "$STATE"

# Registrants: A (PTPL set), B, then RESV_HOSTS more; A holds WE.
dev=$(connect_as "$HOSTNQN_A" "$HOSTID_A") || exit 1
nvme resv-register "$dev" -n 1 --nrkey=0xa1 --rrega=0 --cptpl=3 ||
	fail "A: register with PTPL"
expect_eq "state file size" 262144 "$(stat -c %s "$STATE" 2>/dev/null)"
devb=$(connect_as "$HOSTNQN_B" "$HOSTID_B" 2) || exit 1
nvme resv-register "$devb" -n 1 --nrkey=0xb2 --rrega=0 || fail "B: register"
nvme resv-acquire "$dev" -n 1 --crkey=0xa1 --rtype=1 --racqa=0 ||
	fail "A: acquire Write Exclusive"
host_disconnect_all || fail "disconnect"
i=1
while [ $i -le "$RESV_HOSTS" ]; do
	d=$(connect_as "$(host_nqn $i)" "$(host_id $i)") || exit 1
	nvme resv-register "$d" -n 1 --nrkey=$((0x1000 + i)) --rrega=0 \
		> /dev/null || fail "host $i: register"
	nvme disconnect -n $N > /dev/null || fail "host $i: disconnect"
	i=$((i + 1))
done
echo "registered $((RESV_HOSTS + 2)) hosts"
dev=$(connect_as "$HOSTNQN_A" "$HOSTID_A") || exit 1
report "$dev" > $EXPECT
expect_eq "registrants, type, PTPL" "$((RESV_HOSTS + 2)) 1 1" "$(head -n 1 $EXPECT)"
expect_eq "registrant entries" $((RESV_HOSTS + 3)) "$(wc -l < $EXPECT)"
grep -q "^0xa1 .* 1$" $EXPECT ||
	fail "A is not the holder: $(grep ' 1$' $EXPECT | head -n 2)"
host_disconnect_all || fail "disconnect"

# (a) namespace disable/enable
write_attr $S/namespaces/1/enable 0
write_attr $S/namespaces/1/enable 1
dev=$(connect_as "$HOSTNQN_A" "$HOSTID_A") || exit 1
expect_report "$dev" $EXPECT "after disable/enable"
host_disconnect_all || fail "disconnect"

# (a) module reload, the configuration made again
tgt_teardown || fail "teardown before the reload"
tgt_unload || fail "rmmod"
tgt_load
config
dev=$(connect_as "$HOSTNQN_A" "$HOSTID_A") || exit 1
expect_report "$dev" $EXPECT "after rmmod/modprobe"
host_disconnect_all || fail "disconnect"

# (b) namespace 2 with a state file of its own, then damaged copies of it
ns_make 2 /tmp/2k-ns2.resv
write_attr $S/namespaces/2/enable 1
connect_as "$HOSTNQN_A" "$HOSTID_A" > /dev/null || exit 1
d2=$(ns_dev "$(ctrl_of $N "$HOSTNQN_A")" 2) || fail "no namespace 2"
nvme resv-register "$d2" -n 2 --nrkey=0xa2 --rrega=0 --cptpl=3 ||
	fail "A: register on namespace 2"
nvme resv-register "$d2" -n 2 --crkey=0xa2 --nrkey=0xa3 --rrega=2 ||
	fail "A: replace on namespace 2 (the second slot)"
host_disconnect_all || fail "disconnect"
write_attr $S/namespaces/2/enable 0
expect_eq "namespace 2 state file size" 262144 "$(stat -c %s /tmp/2k-ns2.resv)"

flip() {	# flip FILE OFFSET: one byte changed
	b=$(od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' ')
	printf "\\$(printf %03o $(( (b + 1) & 255 )))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
cp /tmp/2k-ns2.resv /tmp/2k-corrupt.resv
flip /tmp/2k-corrupt.resv 520
flip /tmp/2k-corrupt.resv $((131072 + 520))
flip /tmp/2k-corrupt.resv 100
flip /tmp/2k-corrupt.resv $((131072 + 100))
head -c 131172 /tmp/2k-ns2.resv > /tmp/2k-truncated.resv
cp "$STATE" /tmp/2k-foreign.resv

ns_make 3 /tmp/2k-ns3.resv
for what in corrupt truncated foreign; do
	write_attr $S/namespaces/2/resv_state_path /tmp/2k-$what.resv
	enable_fails 2 $what /tmp/2k-$what.resv
	write_attr $S/namespaces/3/enable 1
	write_attr $S/namespaces/3/enable 0
	expect_file $S/namespaces/1/enable 1
done
write_attr $S/namespaces/2/resv_state_path /tmp/2k-ns2.resv
write_attr $S/namespaces/2/enable 1

# Namespace 1 unharmed by all of it; then the reboot.
dev=$(connect_as "$HOSTNQN_A" "$HOSTID_A") || exit 1
expect_report "$dev" $EXPECT "after the damaged files"
host_disconnect_all || fail "disconnect"
sync
second_boot || fail "no disk for a second boot (tests/vm/run.sh)"
echo "second boot asked for"
