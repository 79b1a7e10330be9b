#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Many namespaces over NVMe/RDMA (Soft-RoCE): a subsystem of 1100 null
# namespaces (more than in-tree's 1024) in two ANA groups, on two RDMA
# ports.  Through the port of the default MDTS (1 MiB, RDMA's own), the
# host's controller reports MNAN 65,536: the host's one read of the whole
# ANA log (16 + 32 x 128 + 4 x 65,536 = 266,256 bytes) fits its transfer
# limit, so it keeps ANA, makes a block device of every namespace and
# takes each one's group and state from the log.  Through the port of
# param_mdts 1 (8 KiB), MNAN is (8192 - 4112) / 4 = 1020: the host still
# keeps ANA, and sees exactly the first 1020 namespaces enabled (NSIDs 1
# to 1020); the other 80 are inactive NSIDs for that controller.
# The in-tree target stops at 1024 namespaces: TARGET=intree skips.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
[ "$TARGET" = intree ] && skip "in-tree allows 1024 namespaces"
rdma_begin
rdma_tgt_load

N=$NQN_BASE:rdma-many-ns
S=$CFS/subsystems/$N
K=1100
W=/tmp/rdma-many-ns
mkdir -p $W

# par_write VALUE LIST: write VALUE to each file LIST names, 32 writers
# at once (each disable waits out an RCU grace period).
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
E2E_CLEANUP='host_disconnect_all; ls -d $S/namespaces/*/enable > $W/all 2>/dev/null &&
	par_write 0 $W/all && rmdir $S/namespaces/*; tgt_teardown; rdma_unload_target; rdma_net_down'

tgt_subsys $N 1
rdma_tgt_port 1
rdma_tgt_port 2 $RDMA_IP 4421
write_attr $CFS/ports/2/param_mdts 1
for p in 1 2; do
	mkdir $CFS/ports/$p/ana_groups/2 || fail "mkdir ANA group 2 of port $p"
	write_attr $CFS/ports/$p/ana_groups/2/ana_state non-optimized
done
i=1
while [ $i -le $K ]; do
	d=$S/namespaces/$i
	mkdir $d && echo null > $d/device_backend &&
		echo 1048576 > $d/device_size &&
		echo $(( i % 2 + 1 )) > $d/ana_grpid &&
		echo 1 > $d/enable || fail "namespace $i"
	i=$((i + 1))
done
tgt_link 1 $N
tgt_link 2 $N

host_devs() { ls /sys/block | grep -c '^nvme[0-9]*n[0-9]*$'; }
ana_disabled() { dmesg | grep -c "disabling ANA support"; }
# host_ana: "nsid grpid state" of every path, as the host parsed the log
host_ana() {
	P="/sys/block/nvme*c*n*"
	awk '{	d = FILENAME; sub("/[^/]*$", "", d); a = FILENAME; sub(".*/", "", a)
		v[d, a] = $0; ds[d] = 1 }
	END { for (d in ds) print v[d, "nsid"], v[d, "ana_grpid"], v[d, "ana_state"] }' \
		$P/nsid $P/ana_grpid $P/ana_state | sort -n
}
# want_ana COUNT: what host_ana must say of NSIDs 1..COUNT
want_ana() {
	awk -v k=$1 'BEGIN { for (i = 1; i <= k; i++)
		print i, i % 2 + 1, i % 2 ? "non-optimized" : "optimized" }'
}
# wait_devs COUNT: COUNT block devices within 180 s
wait_devs() {
	end=$(( $(date +%s) + 180 ))
	while [ "$(host_devs)" -lt $1 ]; do
		n=$(host_devs)
		[ "$(date +%s)" -ge $end ] &&
			fail "$n of $1 block devices 180 s after connect"
		sleep 1
	done
}

# Port 1: RDMA's own MDTS, every namespace.
dis0=$(ana_disabled)
nvme connect -t rdma -a $RDMA_IP -s 4420 -n $N -i 1 || fail "nvme connect, port 1"
C=$(ctrl_of $N) || fail "no host controller on port 1"
wait_devs $K
expect_eq "port 1: ANA kept" "$dis0" "$(ana_disabled)"
expect_eq "port 1: id-ctrl mdts" 8 "$(id_ctrl_field /dev/$C mdts)"
expect_eq "port 1: id-ctrl mnan" 65536 "$(id_ctrl_field /dev/$C mnan)"
expect_eq "port 1: id-ctrl nanagrpid" 128 "$(id_ctrl_field /dev/$C nanagrpid)"
P1=$(ls -d /sys/block/nvme*c*n1 | head -1)
echo "port 1: host max_hw_sectors_kb $(cat $P1/queue/max_hw_sectors_kb), ANA log read 266256 bytes"
host_ana > $W/host-ana
want_ana $K > $W/want-ana
cmp -s $W/want-ana $W/host-ana ||
	fail "port 1: host ANA view differs: $(diff $W/want-ana $W/host-ana | head -5)"
expect_eq "port 1: nvme ana-log NSIDs" $K "$(nvme ana-log /dev/$C | grep -cw nsid)"
host_disconnect_all || fail "disconnect port 1"

# Port 2: 8 KiB, MNAN 1020: the first 1020 namespaces.
dis0=$(ana_disabled)
nvme connect -t rdma -a $RDMA_IP -s 4421 -n $N -i 1 || fail "nvme connect, port 2"
C=$(ctrl_of $N) || fail "no host controller on port 2"
wait_devs 1020
sleep 5
expect_eq "port 2: block devices" 1020 "$(host_devs)"
expect_eq "port 2: ANA kept" "$dis0" "$(ana_disabled)"
expect_eq "port 2: id-ctrl mdts" 1 "$(id_ctrl_field /dev/$C mdts)"
expect_eq "port 2: id-ctrl mnan" 1020 "$(id_ctrl_field /dev/$C mnan)"
expect_eq "port 2: active NSIDs" 1020 "$(nvme list-ns /dev/$C | grep -c ':0x')"
host_ana > $W/host-ana
want_ana 1020 > $W/want-ana
cmp -s $W/want-ana $W/host-ana ||
	fail "port 2: host ANA view differs: $(diff $W/want-ana $W/host-ana | head -5)"
D=$(dev_of $N 1020) || fail "port 2: no namespace 1020"
dd if=$D of=/dev/null bs=4k count=4 iflag=direct 2>/dev/null ||
	fail "port 2: read namespace 1020"
dev_of $N 1021 && fail "port 2: namespace 1021 is beyond MNAN but on the host"
expect_file /sys/class/nvme/$C/state live
exit 0
