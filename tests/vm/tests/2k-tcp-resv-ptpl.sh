#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Reservations that persist through power loss (PTPL), over NVMe/TCP.
# The state file lives in the default place, /var/lib/nvmet-ng/, which
# here is a link to /shared/nvmet-ng on the disk a second boot finds again
# (tests/vm/run.sh, "Second boot").
# First boot:
# - host A registers key 0xa1 with PTPL set (resv-register --cptpl=3),
#   host B key 0xb2, A acquires Write Exclusive; RESV_HOSTS more host
#   identities (default 200, each connect, register, disconnect) register
#   keys of their own: the state file exists, 256 KiB;
# - the registrants (keys, host IDs), the holder, the type and PTPL read
#   back (resv-report, extended) the same after the namespace's
#   disable/enable and after a reload of our modules with the whole
#   configuration made again;
# - a corrupt (flipped bytes in each slot), a truncated and a foreign
#   (namespace 1's) state file each make namespace 2's enable fail, the
#   kernel log naming the subsystem, namespace 2 and the file, while
#   namespace 3 enables; with its own file again namespace 2 enables;
# - asks for the second boot.
# Second boot: the configuration made again, the same report: every
# registrant, the holder and the type.
# Skips where the target has no reservations (no resv_enable attribute).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
[ "$TARGET" = intree ] && skip "in-tree keeps reservations in memory only"
e2e_begin
tgt_load

N=$NQN_BASE:resv-ptpl
S=$CFS/subsystems/$N
RESV_HOSTS=${RESV_HOSTS:-200}
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

# config: subsystem, namespace 1 enabled, port 1 on 127.0.0.1:4420
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
	tgt_link 1 $N
}

# host_id I: host ID and NQN of the I-th extra host
host_id() { printf '00000000-0000-4000-8000-%012x' "$1"; }
host_nqn() { echo "nqn.2014-08.org.nvmexpress:uuid:$(host_id "$1")"; }

# connect_as HOSTNQN HOSTID: connect (-D: nvme-cli 2.3 takes another
# host NQN to the same port for a duplicate), print the new controller's
# device (/dev/nvmeX: the namespace's block device is the multipath head
# of every host identity's controller, which may send a command through
# another identity's path); in $(...), so the caller adds || exit 1
connect_as() {
	host_connect $N --hostnqn="$1" --hostid="$2" -i 1 -D > /dev/null ||
		fail "connect as $1"
	wait_for_dev $N 1 > /dev/null || fail "no namespace 1 for $1"
	c=$(ctrl_of $N "$1") || fail "no controller of $1"
	echo /dev/$c
}

# report DEV: "REGCTL RTYPE PTPLS" then one "RKEY HOSTID RCSTS" line per
# registrant, sorted (nvme resv-report, extended data structure, JSON)
report() {
	nvme resv-report "$1" -n 1 --eds --numd=$(( (64 * (RESV_HOSTS + 4) + 64) / 4 )) \
		-o json > /tmp/2k.json || fail "resv-report on $1"
	tr -d ' \n\t' < /tmp/2k.json | awk '
	{
		s = $0
		hdr = s; sub(/"regctlext".*/, "", hdr)
		printf "%s %s %s\n", val(hdr, "regctl"), val(hdr, "rtype"), val(hdr, "ptpls")
		fflush()
		n = split(s, objs, "{")
		for (i = 3; i <= n; i++)
			printf "%s %s %s\n", val(objs[i], "rkey"), val(objs[i], "hostid"), val(objs[i], "rcsts") | "sort"
	}
	function val(t, k,   m) {
		if (!match(t, "\"" k "\":\"?[0-9a-fA-Fx]+"))
			return "-"
		m = substr(t, RSTART + length(k) + 3)
		gsub(/"/, "", m)
		return m
	}'
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
devb=$(connect_as "$HOSTNQN_B" "$HOSTID_B") || exit 1
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
grep -q "^0xa1 .* 1$" $EXPECT || grep -q "^161 .* 1$" $EXPECT ||
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
dev=$(connect_as "$HOSTNQN_A" "$HOSTID_A") || exit 1
wait_for_dev $N 2 > /dev/null || fail "no namespace 2"
d2=$dev
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
