#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A subsystem of more namespaces than in-tree allows (1024), with NSIDs
# spread up to 64,842, to a Linux host over NVMe/TCP: Identify Controller
# reports NN and MNAN 65,536; the host makes a block device of every one
# and keeps ANA (its one read of the whole ANA log, sized from MNAN,
# fits the default MDTS); the active namespace list pages by starting
# NSID (nvme list-ns -n), 1024 a page; the ANA log, read 4 KiB at a time
# as libnvme does and with RGO, lists every namespace in its group in
# ascending order; the Changed Namespace List holds exactly 1024 changed
# namespaces and turns into the single entry FFFFFFFFh at the 1025th.
# The in-tree target stops at 1024 namespaces: TARGET=intree skips.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
[ "$TARGET" = intree ] && skip "in-tree allows 1024 namespaces"
e2e_begin
tgt_load

N=$NQN_BASE:many-ns
S=$CFS/subsystems/$N
K=1100		# namespaces: NSID 1 + 59 * i, ANA group i % 3 + 1
STEP=59
W=/tmp/many-ns
mkdir -p $W
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

# par_write VALUE LIST: write VALUE to each file LIST names, 32 writers
# at once (a namespace's disable waits out an RCU grace period; parallel
# disables share theirs).  A failed write fails the test.
par_write() {
	rm -f $W/par.* $W/par-failed
	awk -v p=32 -v w=$W '{ print > (w "/par." NR % p) }' "$2"
	for f in $W/par.*; do
		(while read -r a; do
			echo "$1" > "$a" 2>/dev/null || echo "$a" >> $W/par-failed
		done < "$f") &
	done
	wait
	[ -s $W/par-failed ] && fail "writing $1 failed: $(head -3 $W/par-failed)"
	return 0
}
# Leave the teardown no namespace to disable and remove one by one (a
# process per rmdir costs minutes under TCG).
E2E_CLEANUP='host_disconnect_all; ls -d $S/namespaces/*/enable > $W/all 2>/dev/null &&
	par_write 0 $W/all && rmdir $S/namespaces/*'

awk -v k=$K -v s=$STEP 'BEGIN { for (i = 0; i < k; i++) print 1 + s * i }' \
	> $W/nsids
awk -v k=$K -v s=$STEP 'BEGIN { for (i = 0; i < k; i++)
	print 1 + s * i, i % 3 + 1 }' > $W/groups
tgt_subsys $N 1
tgt_port 1 127.0.0.1 4420
for g in 2 3; do
	mkdir $CFS/ports/1/ana_groups/$g || fail "mkdir ANA group $g"
done
write_attr $CFS/ports/1/ana_groups/2/ana_state non-optimized
write_attr $CFS/ports/1/ana_groups/3/ana_state optimized
t0=$(now_ms)
mkdir $(sed "s|^|$S/namespaces/|" $W/nsids) || fail "mkdir the namespaces"
while read -r nsid g; do
	d=$S/namespaces/$nsid
	echo null > $d/device_backend || fail "namespace $nsid: backend"
	echo 1048576 > $d/device_size || fail "namespace $nsid: size"
	[ "$g" = 1 ] || echo "$g" > $d/ana_grpid || fail "namespace $nsid: group"
	echo 1 > $d/enable || fail "enable namespace $nsid"
done < $W/groups
echo "created and enabled $K namespaces in $(( $(now_ms) - t0 )) ms"
tgt_link 1 $N

t0=$(now_ms)
host_connect $N -i 1 || fail "nvme connect"
C=$(ctrl_of $N) || fail "no host controller"
echo "connect took $(( $(now_ms) - t0 )) ms"
# host_devs: the host's namespace block devices
host_devs() { ls /sys/block | grep -c '^nvme[0-9]*n[0-9]*$'; }
# The host makes two block devices (path and head) per namespace: on a
# loaded machine under TCG that took 90 s for 1100 namespaces.
end=$(( $(date +%s) + 240 ))
while [ "$(host_devs)" -lt $K ]; do
	n=$(host_devs)
	[ "$(date +%s)" -ge $end ] &&
		fail "$n of $K block devices 240 s after connect"
	sleep 1
done
echo "all $K block devices $(( $(now_ms) - t0 )) ms after connect"
t0=$(now_ms)

expect_eq "id-ctrl nn" 65536 "$(id_ctrl_field /dev/$C nn)"
expect_eq "id-ctrl mnan" 65536 "$(id_ctrl_field /dev/$C mnan)"
dmesg | grep -q "disabling ANA support" && fail "the host disabled ANA"

# Every path's ANA group and state as the host parsed them from the log.
# (one awk for every file: a process per path costs minutes under TCG)
P="/sys/block/nvme*c*n*"
awk '{	d = FILENAME; sub("/[^/]*$", "", d); a = FILENAME; sub(".*/", "", a)
	v[d, a] = $0; ds[d] = 1 }
END { for (d in ds) print v[d, "nsid"], v[d, "ana_grpid"], v[d, "ana_state"] }' \
	$P/nsid $P/ana_grpid $P/ana_state | sort -n > $W/host-ana
awk '{ print $1, $2, $2 == 2 ? "non-optimized" : "optimized" }' \
	$W/groups > $W/want-ana
cmp -s $W/host-ana $W/want-ana ||
	fail "host ANA view differs: $(diff $W/want-ana $W/host-ana | head -5)"

# Active namespace list, CNS 02h: 1024 a page, from a starting NSID.
list_ns() { nvme list-ns /dev/$C "$@" | sed -n 's/^\[ *[0-9]*\]:\(0x[0-9a-f]*\)$/\1/p' |
	while read -r x; do echo $((x)); done; }
list_ns > $W/page1
expect_eq "first page" 1024 "$(grep -c . $W/page1)"
head -1024 $W/nsids | cmp -s - $W/page1 || fail "first page is not the first 1024 NSIDs"
next=$(( $(tail -1 $W/page1) + 1 ))
list_ns -n $next > $W/page2
tail -n +1025 $W/nsids | cmp -s - $W/page2 ||
	fail "page from NSID $next: $(head -3 $W/page2) ... ($(grep -c . $W/page2) entries)"
list_ns -n 64000 > $W/page3
awk '$1 >= 64000' $W/nsids | cmp -s - $W/page3 || fail "page from NSID 64000"
expect_eq "page after the last NSID" "" "$(list_ns -n 64843)"

# ANA log: read 4 KiB at a time up to what the host reserves for it.
# ana_parse: "grpid state nsid" per NSID, "grpid state -" per empty group
ana_parse() {
	od -An -v -tu4 | tr -s ' ' '\n' | grep . | awk '
	NR == 3 { ngrps = $1 % 65536; pos = 5; start = 1e9 }
	NR == pos && g < ngrps { grp = $1 }
	NR == pos + 1 && g < ngrps { n = $1 }
	NR == pos + 4 && g < ngrps { st = $1 % 256
		if (!n) print grp, st, "-"
		start = pos + 8; pos = start + n; g++ }
	NR >= start && NR < pos { print grp, st, $1 }
	END { print "ngrps", ngrps }'
}
LEN=$((16 + 128 * 32 + 65536 * 4))
nvme get-log /dev/$C --log-id=0xc --log-len=$LEN -b > $W/ana.bin ||
	fail "get-log ANA"
expect_eq "ANA log bytes read" $LEN "$(wc -c < $W/ana.bin)"
ana_parse < $W/ana.bin > $W/ana
expect_eq "ANA groups" "ngrps 3" "$(tail -1 $W/ana)"
for g in 1 2 3; do
	st=1
	[ $g = 2 ] && st=2
	awk -v g=$g '$2 == g { print $1 }' $W/groups > $W/want-$g
	awk -v g=$g -v s=$st '$1 == g && $2 == s { print $3 }' $W/ana > $W/got-$g
	cmp -s $W/want-$g $W/got-$g ||
		fail "ANA group $g (state $st): $(grep -c . $W/got-$g) NSIDs, want $(grep -c . $W/want-$g)"
done
expect_eq "NSIDs in the ANA log" $K "$(grep -vc ngrps $W/ana)"
expect_eq "nvme ana-log NSIDs" $K "$(nvme ana-log /dev/$C | grep -cw nsid)"
# Groups only (RGO): three descriptors, no NSID.
nvme get-log /dev/$C --log-id=0xc --lsp=1 --log-len=$((16 + 128 * 32)) -b |
	ana_parse > $W/ana-rgo || fail "get-log ANA RGO"
expect_eq "ANA log, groups only" "1 1 - 2 2 - 3 1 - ngrps 3" \
	"$(cat $W/ana-rgo | tr '\n' ' ' | sed 's/ $//')"

echo "lists and ANA log checked in $(( $(now_ms) - t0 )) ms"
t0=$(now_ms)

# Changed Namespace List: with the event off, the host does not read it
# itself.  Disable and enable again 1024 namespaces: the log lists
# exactly those; one more turns it into FFFFFFFFh alone.
nvme set-feature /dev/$C --feature-id=0x0b --value=0 > /dev/null ||
	fail "set-feature async event configuration 0"
changed() {
	nvme get-log /dev/$C --log-id=4 --log-len=4096 -b "$@" |
		od -An -v -tu4 | tr -s ' ' '\n' | grep .
}
expect_eq "changed log before" 0 "$(changed --rae | grep -vc '^0$')"
head -1024 $W/nsids | sed "s|.*|$S/namespaces/&/enable|" > $W/toggle
par_write 0 $W/toggle
par_write 1 $W/toggle
changed --rae > $W/changed
expect_eq "changed log entries" 1024 "$(grep -vc '^0$' $W/changed)"
sort -n $W/changed | cmp -s - $W/page1 ||
	fail "changed log is not the 1024 toggled NSIDs"
echo $S/namespaces/$(sed -n 1025p $W/nsids)/enable > $W/toggle
par_write 0 $W/toggle
par_write 1 $W/toggle
changed > $W/changed
expect_eq "changed log after the 1025th" "4294967295" \
	"$(grep -v '^0$' $W/changed | tr '\n' ' ' | sed 's/ $//')"
expect_eq "first entry after the 1025th" 4294967295 "$(head -1 $W/changed)"
expect_eq "changed log after a read" 0 "$(changed | grep -vc '^0$')"
expect_file /sys/class/nvme/$C/state live
echo "changed namespace list checked in $(( $(now_ms) - t0 )) ms"
exit 0
