#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Copy (19h) over NVMe/TCP with "nvme copy" (nvme-cli 2.3: descriptor
# formats 0h and 1h), on a null_blk namespace (bdev backend: the target
# copies through the backend's reads and writes) and a file namespace
# (file backend: copy_file_range):
# - Identify: ONCS bit 8, OCFS formats 0h to 3h, MSSRL/MCL/MSRC;
# - two ranges in format 0h (the halves of a 256 KiB pattern, swapped)
#   and one in format 1h read back as the source;
# - a source range past the end, and a destination past the end, are LBA
#   Out of Range with DNR, and the destination still reads as before;
# - a range over MSSRL is Command Size Limit Exceeded with DNR;
# - copy=0 in device_features: that namespace's Copy is Invalid Command
#   Opcode and its MSSRL/MCL/MSRC read 0; ONCS keeps bit 8 while another
#   namespace has copy on and loses it (and OCFS) with all off; copy=1
#   again and Copy works.
# - formats 2h and 3h (a source in another namespace), sent by our own
#   initiator (tests/fuzz/xcopy.c): Invalid Field until Set Features Host
#   Behavior Support enables them (CDFE 0xc, read back with Get Features),
#   then a third namespace's blocks copied into the second (2h) and
#   ranges of both (3h) read back; a source NSID the target lacks is
#   Invalid Namespace or Format, a namespace of another block size (the
#   null_blk one) Incompatible Namespace or Format (185h).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
e2e_begin
[ "$TARGET" = intree ] && skip "in-tree nvmet has no Copy"
tgt_load

N=$NQN_BASE:copy
IMG=/tmp/e2e-copy.img
PAT=/tmp/e2e-copy.pat
EXP=/tmp/e2e-copy.exp
OUT=/tmp/e2e-copy.out
GOT=/tmp/e2e-copy.got
IMG3=/tmp/e2e-copy3.img
null_blk_load
truncate -s 16M $IMG || fail "truncate $IMG"
truncate -s 16M $IMG3 || fail "truncate $IMG3"
tgt_subsys $N 1
tgt_ns $N 1 /dev/nullb0
tgt_ns $N 2 $IMG
tgt_ns $N 3 $IMG3
tgt_port 1 127.0.0.1 4420
tgt_link 1 $N

host_connect $N || fail "nvme connect"
C=$(ctrl_of $N) || fail "no controller"
D1=$(wait_for_dev $N 1) || fail "no namespace 1"
D2=$(wait_for_dev $N 2) || fail "no namespace 2"
D3=$(wait_for_dev $N 3) || fail "no namespace 3"
F1=$CFS/subsystems/$N/namespaces/1/device_features
F2=$CFS/subsystems/$N/namespaces/2/device_features
F3=$CFS/subsystems/$N/namespaces/3/device_features

oncs_copy() { [ $(( $(id_ctrl_field /dev/$C oncs) & 0x100 )) -ne 0 ]; }
oncs_copy || fail "ONCS $(id_ctrl_field /dev/$C oncs) without Copy (bit 8)"
expect_eq "OCFS" 0xf "$(id_ctrl_field /dev/$C ocfs)"
echo "ONCS $(id_ctrl_field /dev/$C oncs), OCFS 0xf"

# status WHAT SCT_SC COMMAND...: the command fails with DNR and status
# code type and code SCT_SC (More may be set)
status() {
	what=$1
	want=$2
	shift 2
	"$@" > $OUT 2>&1 && fail "$what succeeded"
	st=$(sed -n 's/.*NVMe status: .*(\(0x[0-9a-fA-F]*\)).*/\1/p' $OUT | head -n 1)
	[ -n "$st" ] && [ $(( st & 0x7ff )) -eq $(( want )) ] &&
		[ $(( st & 0x4000 )) -ne 0 ] ||
		fail "$what: status '$st', not $want with DNR: $(cat $OUT)"
	echo "$what: status $st"
}

# blocks DEV SLBA NLB FILE: FILE is what DEV holds there (direct read)
blocks_are() {
	dd if=$1 of=$GOT bs=$bs skip=$2 count=$3 iflag=direct 2>/dev/null ||
		fail "$1: read $3 blocks at $2"
	cmp -s $GOT $4
}

dd if=/dev/urandom of=$PAT bs=4096 count=64 2>/dev/null || fail "make $PAT"
for D in $D1 $D2; do
	lbads=$(nvme id-ns $D | sed -n 's/^lbaf .*lbads:\([0-9]*\).*in use.*/\1/p')
	bs=$(( 1 << lbads ))
	nlb=$(( 262144 / bs ))
	half=$(( nlb / 2 ))
	nsze=$(( $(id_ns_field $D nsze) ))
	mssrl=$(( $(id_ns_field $D mssrl) ))
	echo "== $D: $bs-byte blocks, $nsze of them; mssrl $mssrl mcl $(id_ns_field $D mcl) msrc $(id_ns_field $D msrc)"
	expect_eq "$D: MSSRL" $(( 16777216 / bs > 65535 ? 65535 : 16777216 / bs )) $mssrl
	expect_eq "$D: MCL" $(( 16777216 / bs )) $(( $(id_ns_field $D mcl) ))
	expect_eq "$D: MSRC" 127 $(( $(id_ns_field $D msrc) ))
	dd if=$PAT of=$D bs=$bs seek=64 oflag=direct 2>/dev/null ||
		fail "$D: write the pattern"

	# Format 0h: the pattern's second half, then its first, to 1024.
	nvme copy $D --sdlba=1024 --slbs=$(( 64 + half )),64 \
		--blocks=$(( half - 1 )),$(( half - 1 )) --format=0 > $OUT 2>&1 ||
		fail "$D: nvme copy, format 0: $(cat $OUT)"
	dd if=$PAT bs=$bs skip=$half count=$half 2>/dev/null > $EXP
	dd if=$PAT bs=$bs count=$half 2>/dev/null >> $EXP
	blocks_are $D 1024 $nlb $EXP || fail "$D: format 0 copy differs"
	# Format 1h: the whole pattern to 2048.
	nvme copy $D --sdlba=2048 --slbs=64 --blocks=$(( nlb - 1 )) \
		--format=1 > $OUT 2>&1 ||
		fail "$D: nvme copy, format 1: $(cat $OUT)"
	blocks_are $D 2048 $nlb $PAT || fail "$D: format 1 copy differs"
	echo "$D: two ranges in format 0h and one in 1h read back"

	# Past the end: refused, and 2048 still holds the pattern.
	status "$D: copy of a source range past the end" 0x80 \
		nvme copy $D --sdlba=2048 --slbs=64,$(( nsze - 4 )) \
		--blocks=$(( nlb - 1 )),7 --format=0
	status "$D: copy to a destination past the end" 0x80 \
		nvme copy $D --sdlba=$(( nsze - 4 )) --slbs=64 --blocks=7 \
		--format=0
	blocks_are $D 2048 $nlb $PAT || fail "$D: a refused copy wrote"
	echo "$D: nothing written by the refused copies"
	[ $mssrl -lt 65535 ] && status "$D: a range over MSSRL" 0x183 \
		nvme copy $D --sdlba=0 --slbs=0 --blocks=$mssrl --format=0
done

# Formats 2h and 3h, from namespace 3 into namespace 2 (both files of
# one block size): nvme-tcp-xcopy, since the Linux host's kernel refuses
# Set Features Host Behavior Support from user space (EACCES), so no
# Linux tool can enable them.  Its checks, then what it copied read back
# through the Linux host.
command -v nvme-tcp-xcopy > /dev/null || fail "no nvme-tcp-xcopy in the image"
lbads1=$(nvme id-ns $D1 | sed -n 's/^lbaf .*lbads:\([0-9]*\).*in use.*/\1/p')
lbads2=$(nvme id-ns $D2 | sed -n 's/^lbaf .*lbads:\([0-9]*\).*in use.*/\1/p')
incompat=
[ "$lbads1" != "$lbads2" ] && incompat="-i 1"
rc=0
nvme-tcp-xcopy $incompat $N 2 3 > $OUT 2>&1 || rc=$?
sed 's/^/xcopy: /' $OUT
[ $rc -eq 0 ] || fail "nvme-tcp-xcopy failed (rc $rc)"
grep -q '^xcopy: [0-9]* passed, 0 failed$' $OUT || fail "nvme-tcp-xcopy: no result line"
[ -n "$incompat" ] && { grep -q 'Incompatible Namespace' $OUT ||
	fail "the incompatible source was not tried"; }
bs=$(( 1 << lbads2 ))
dd if=$D3 of=$EXP bs=$bs count=4 iflag=direct 2>/dev/null || fail "read $D3"
blocks_are $D2 100 4 $EXP || fail "the format 2h copy does not read back through the host"
echo "formats 2h and 3h: namespace 3 copied into namespace 2"

# copy=0 on namespace 1: refused there; ONCS keeps Copy for namespace 2.
write_attr $F1 copy=0
expect_file $F1 "write_zeroes=1 deallocate=1 vwc=0 copy=0 compare=1 verify=1 compare_write=1 pi=0"
status "$D1: copy with copy=0" 0x1 \
	nvme copy $D1 --sdlba=1024 --slbs=64 --blocks=0 --format=0
expect_eq "$D1: MCL with copy=0" 0 $(( $(id_ns_field $D1 mcl) ))
oncs_copy || fail "ONCS lost Copy while namespace 2 has it"
write_attr $F2 copy=0
write_attr $F3 copy=0
oncs_copy && fail "ONCS has Copy with copy=0 on every namespace"
expect_eq "OCFS with copy off" 0 $(( $(id_ctrl_field /dev/$C ocfs) ))
status "$D2: copy with copy=0" 0x1 \
	nvme copy $D2 --sdlba=1024 --slbs=64 --blocks=0 --format=0
echo "copy=0: Invalid Command Opcode, ONCS bit 8 and OCFS clear"
write_attr $F1 copy=1
write_attr $F2 copy=1
write_attr $F3 copy=1
oncs_copy || fail "ONCS lacks Copy with copy=1 again"
for D in $D1 $D2; do
	nvme copy $D --sdlba=1024 --slbs=64 --blocks=0 --format=0 > $OUT 2>&1 ||
		fail "$D: nvme copy with copy=1 again: $(cat $OUT)"
done
echo "copy=1: Copy works again"
expect_file /sys/class/nvme/$C/state live
exit 0
