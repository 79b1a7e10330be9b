#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# What the unmodified upstream nvmetcli does with per-host namespace
# visibility (Documentation/design.md, "Per-host namespace visibility"):
# - "nvmetcli save" keeps device_auto_visible (a device_* attribute) and
#   not a namespace's allowed_hosts/ links (it knows no such directory);
# - "nvmetcli clear" fails on a namespace that has links (configfs
#   refuses the rmdir: Directory not empty) with a Python traceback,
#   having removed the ports already and leaving that namespace's
#   subsystem and the hosts; with the links removed first it clears;
# - "nvmetcli restore" brings the namespace back with device_auto_visible
#   0 and no link: it fails closed, visible to no host (host A, linked
#   before the save, connects and does not get it) until the links are
#   made again, and then A gets it without reconnecting.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
[ "$TARGET" = intree ] && skip "in-tree has no per-host namespace visibility"
NVMETCLI=/opt/nvmetcli/nvmetcli
[ -f $NVMETCLI ] || fail "no $NVMETCLI in the guest (tests/vm/stage-python.sh)"
command -v python3 > /dev/null || fail "no python3 in the guest"
e2e_begin
tgt_load

N=$NQN_BASE:vis-cli
S=$CFS/subsystems/$N
SAVED=/tmp/e2e-vis-cli.json
tgt_subsys $N 1
tgt_ns $N 1 null:33554432
mkdir $S/namespaces/2 || fail "mkdir namespace 2"
write_attr $S/namespaces/2/device_backend null
write_attr $S/namespaces/2/device_size 33554432
write_attr $S/namespaces/2/device_auto_visible 0
write_attr $S/namespaces/2/enable 1
mkdir $CFS/hosts/$HOSTNQN_A || fail "mkdir host A"
ln -s $CFS/hosts/$HOSTNQN_A $S/namespaces/2/allowed_hosts/$HOSTNQN_A ||
	fail "link host A to namespace 2"
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N

# ---------------------------------------------------------------- save --
python3 $NVMETCLI save $SAVED || fail "nvmetcli save"
# ns_keys NSID: the keys nvmetcli saved for that namespace, and its
# device_auto_visible
ns_keys() {
	python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
for s in c["subsystems"]:
    for n in s["namespaces"]:
        if n["nsid"] == int(sys.argv[2]):
            print(" ".join(sorted(n)), n["device"].get("auto_visible"))
' $SAVED "$1"
}
expect_eq "saved namespace 2" "ana ana_grpid device enable nsid resv 0" "$(ns_keys 2)"
expect_eq "saved namespace 1" "ana ana_grpid device enable nsid resv 1" "$(ns_keys 1)"
python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
print(c["subsystems"][0]["allowed_hosts"], [h["nqn"] for h in c["hosts"]])
' $SAVED | sed 's/^/saved: subsystem allowed_hosts, hosts: /'
echo "saved: device_auto_visible 0 for namespace 2, its link to A not"

# --------------------------------------------------------------- clear --
python3 $NVMETCLI clear > /tmp/e2e-clear.out 2>&1 &&
	fail "nvmetcli clear succeeded with a namespace link in place"
grep -q "Directory not empty" /tmp/e2e-clear.out ||
	fail "nvmetcli clear: $(tail -n 3 /tmp/e2e-clear.out)"
echo "clear with a link: $(tail -n 1 /tmp/e2e-clear.out)"
expect_dir $S/namespaces/2
expect_eq "ports after the failed clear" "" "$(ls $CFS/ports)"
echo "failed clear left: namespaces '$(ls $S/namespaces | tr '\n' ' ')', hosts $(ls $CFS/hosts | wc -l)"
rm $S/namespaces/2/allowed_hosts/$HOSTNQN_A || fail "unlink host A"
python3 $NVMETCLI clear || fail "nvmetcli clear without links"
expect_eq "subsystems after clear" "" "$(ls $CFS/subsystems)"
expect_eq "hosts after clear" "" "$(ls $CFS/hosts)"

# ------------------------------------------------------------- restore --
python3 $NVMETCLI restore $SAVED > /tmp/e2e-restore.out 2>&1 ||
	fail "nvmetcli restore: $(cat /tmp/e2e-restore.out)"
[ -s /tmp/e2e-restore.out ] && fail "nvmetcli restore: $(cat /tmp/e2e-restore.out)"
expect_file $S/namespaces/2/device_auto_visible 0
expect_file $S/namespaces/2/enable 1
expect_file $S/namespaces/1/device_auto_visible 1
expect_eq "namespace 2 links after restore" "" "$(ls $S/namespaces/2/allowed_hosts)"
expect_dir $CFS/hosts/$HOSTNQN_A

# Fails closed: A, linked before the save, does not get namespace 2.
host_connect $N -q $HOSTNQN_A -I $HOSTID_A || fail "connect A"
C=$(ctrl_of $N $HOSTNQN_A) || fail "no controller of A"
wait_for_dev $N 1 > /dev/null || fail "namespace 1 did not appear"
sleep 1
dev_of $N 2 && fail "namespace 2 visible to A after restore, with no link"
nvme list-ns /dev/$C | grep -q ':0x2$' &&
	fail "A lists namespace 2 after restore"
echo "restored: namespace 2 visible to nobody"
ln -s $CFS/hosts/$HOSTNQN_A $S/namespaces/2/allowed_hosts/$HOSTNQN_A ||
	fail "link host A again"
wait_for_dev $N 2 10 > /dev/null || fail "namespace 2 did not come to A"
expect_file /sys/class/nvme/$C/state live
echo "relinked: A has namespace 2 on $C"
exit 0
