#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The newest in-tree ABI over NVMe/TCP, as a Linux host and nvme-cli see
# it: attr_vendor_id and attr_subsys_vendor_id in Identify Controller
# (VID, SSVID) and frozen once read; the NVMe 2.1 log pages (Supported
# Log Pages lists exactly what the controller answers, FID Supported and
# Effects, NVMe-MI Commands, Endurance Group Information with the block
# device's counters, Rotational Media Information once the device is
# rotational) and Identify (NVM command set controller and namespace,
# Endurance Group list, the CSI-independent namespace's rotational and
# no-volatile-cache bits); bad offsets, CSI and index offsets refused.
# The in-tree 6.12 target has none of this: TARGET=intree skips.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
[ "$TARGET" = intree ] && skip "in-tree 6.12 has no vendor IDs or NVMe 2.1 log pages"
e2e_begin
tgt_load

N=$NQN_BASE:nvme21
IMG=/tmp/nvme21-ns2.img
S=$CFS/subsystems/$N
null_blk_load
truncate -s 64M $IMG || fail "truncate $IMG"
tgt_subsys $N 1
rt $S/attr_vendor_id 0x1b36
rt $S/attr_subsys_vendor_id 0x1af4
tgt_ns $N 1 /dev/nullb0
tgt_ns $N 2 $IMG
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N

host_connect $N || fail "nvme connect"
C=$(ctrl_of $N) || fail "no host controller for $N"
D=$(wait_for_dev $N 1) || fail "no namespace 1"
wait_for_dev $N 2 > /dev/null || fail "no namespace 2"

# words DEV ARGS...: nvme get-log (or ARGS as given) in binary, one
# unsigned 32-bit little-endian word per line
words32() {
	"$@" | od -An -v -tu4 | tr -s ' ' '\n' | grep .
}
getlog() {
	dev=$1
	shift
	nvme get-log "$dev" -b "$@"
}
# nonzero: "index=value" of the words that are not zero, on one line
nonzero() {
	awk '$1 != 0 { printf "%s%d=%#x", sep, NR - 1, $1; sep = " " }'
}

expect_eq "id-ctrl vid" 0x1b36 "$(id_ctrl_field /dev/$C vid)"
expect_eq "id-ctrl ssvid" 0x1af4 "$(id_ctrl_field /dev/$C ssvid)"
expect_eq "id-ctrl lpa" 0x27 "$(id_ctrl_field /dev/$C lpa)"
bad $S/attr_vendor_id 0x1234 "Invalid argument"
bad $S/attr_subsys_vendor_id 0x1234 "Invalid argument"

# Supported Log Pages: exactly 00 01 02 03 04 05 09 0c 12 13 16 80.
lids=$(words32 getlog /dev/$C --log-id=0 --log-len=1024 | nonzero)
expect_eq "supported log pages" \
	"0=0x1 1=0x1 2=0x1 3=0x1 4=0x1 5=0x1 9=0x1 12=0x1 18=0x1 19=0x1 22=0x1 128=0x1" \
	"$lids"
echo "LID 00h: $lids"
nvme supported-log-pages /dev/$C > /tmp/slp.txt ||
	fail "nvme supported-log-pages"
echo "nvme supported-log-pages: $(grep -c . /tmp/slp.txt) lines"
# Each listed page reads (the rotational one below), one not listed not.
for lid in 0 1 2 3 4 5 12 18 19 128; do
	getlog /dev/$C --log-id=$lid --log-len=512 > /dev/null ||
		fail "LID $lid listed but refused"
done
getlog /dev/$C --log-id=9 --lsi=1 --log-len=512 > /dev/null ||
	fail "LID 9 of Endurance Group 1 refused"
getlog /dev/$C --log-id=0x0d --log-len=512 > /dev/null 2>&1 &&
	fail "LID 0dh is not listed but answered"
# Offsets past the end, another CSI, an index offset: refused.
getlog /dev/$C --log-id=0 --log-len=4 --lpo=1028 > /dev/null 2>&1 &&
	fail "offset past the Supported Log Pages accepted"
getlog /dev/$C --log-id=0 --log-len=4 --lpo=1020 > /dev/null ||
	fail "the last word of the Supported Log Pages refused"
getlog /dev/$C --log-id=0x12 --log-len=1024 --csi=2 > /dev/null 2>&1 &&
	fail "FID log of the ZNS command set accepted"
getlog /dev/$C --log-id=0 --log-len=1024 --ot > /dev/null 2>&1 &&
	fail "index offset accepted"

# FID Supported and Effects: 06 07 0b 0f 16 (Host Behavior Support) 81,
# controller scope; 82 83 (reservations), namespace scope.
fids=$(words32 getlog /dev/$C --log-id=0x12 --log-len=1024 | nonzero)
expect_eq "supported features" \
	"6=0x200001 7=0x200001 11=0x200001 15=0x200001 22=0x200001 129=0x200001 130=0x100001 131=0x100001" "$fids"
nvme fid-support-effects-log /dev/$C > /dev/null ||
	fail "nvme fid-support-effects-log"
expect_eq "NVMe-MI commands" "" \
	"$(words32 getlog /dev/$C --log-id=0x13 --log-len=4096 | nonzero)"

# Endurance Group 1 is namespace 1: the device's counters after reads.
dd if=$D of=/dev/null bs=64k count=32 iflag=direct 2> /dev/null ||
	fail "read $D"
eg=$(words32 getlog /dev/$C --log-id=9 --lsi=1 --log-len=512)
# words: 12-13 data units read, 24-25 host read commands, 40-41 capacity
dur=$(echo "$eg" | sed -n 13p)
hrc=$(echo "$eg" | sed -n 25p)
tegcap=$(echo "$eg" | sed -n 41p)
echo "endurance group 1: data units read $dur, host reads $hrc, capacity $tegcap"
[ "$dur" -ge 2 ] || fail "data units read $dur after 2 MiB read"
[ "$hrc" -ge 32 ] || fail "host read commands $hrc after 32 reads"
expect_eq "endurance group 1 capacity" "$(blockdev --getsize64 /dev/nullb0)" "$tegcap"
nvme endurance-log /dev/$C --group-id=1 > /dev/null || fail "nvme endurance-log"
getlog /dev/$C --log-id=9 --lsi=3 --log-len=512 > /dev/null 2>&1 &&
	fail "Endurance Group 3 does not exist but answered"

# Endurance Group list: 1 and 2.
expect_eq "endurance group list" "2 1 2 0" "$(nvme admin-passthru /dev/$C \
	--opcode=6 --cdw10=0x19 --data-len=4096 -r -b | od -An -v -tu2 |
	tr -s ' ' '\n' | grep . | head -4 | tr '\n' ' ' | sed 's/ $//')"
nvme list-endgrp /dev/$C > /dev/null || fail "nvme list-endgrp"

# NVM command set Identify: controller and namespace answer.
nvme nvm-id-ctrl /dev/$C > /dev/null || fail "nvme nvm-id-ctrl"
nvme nvm-id-ns /dev/$C -n 1 > /dev/null || fail "nvme nvm-id-ns"
nvme admin-passthru /dev/$C --opcode=6 --namespace-id=1 --cdw10=5 \
	--cdw11=0x02000000 --data-len=4096 -r > /dev/null 2>&1 &&
	fail "Identify of the ZNS command set accepted"

# cs_nsfeat NSID: byte 0 of the CSI-independent Identify Namespace
cs_nsfeat() {
	nvme admin-passthru /dev/$C --opcode=6 --namespace-id=$1 --cdw10=8 \
		--data-len=4096 -r -b | od -An -N1 -tu1 | tr -d ' '
}
# null_blk has no volatile cache: bit 5; not rotational yet.
expect_eq "CSI-independent nsfeat" 32 "$(cs_nsfeat 1)"
getlog /dev/$C --log-id=0x16 --lsi=1 --log-len=512 > /dev/null 2>&1 &&
	fail "Rotational Media Information of non-rotational media"
echo 1 > /sys/block/nullb0/queue/rotational || fail "make nullb0 rotational"
expect_eq "CSI-independent nsfeat, rotational" 48 "$(cs_nsfeat 1)"
rmi=$(getlog /dev/$C --log-id=0x16 --lsi=1 --log-len=512 |
	od -An -v -N4 -tu2 | tr -s ' ' ' ' | sed 's/^ //')
expect_eq "rotational media: endgid, actuators" "1 1" "$rmi"
getlog /dev/$C --log-id=0x16 --lsi=2 --log-len=512 > /dev/null 2>&1 &&
	fail "Rotational Media Information of the file namespace"

host_disconnect_all || fail "disconnect"
wait_ctrl_gone $N
exit 0
