#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The nvmetcli round trip, with the unmodified upstream nvmetcli (staged by
# tests/vm/stage-python.sh as /opt/nvmetcli): a full target (subsystems
# with every attr_*, namespaces of each backend with device_* and ANA
# groups, hosts with dhchap_*, allowed_hosts links, ports of each transport
# with addr_*/param_*, referrals, ANA group states); "nvmetcli save",
# "nvmetcli clear" (the tree is empty), "nvmetcli restore", which must
# report no error, and the whole tree (every directory, every link and its
# target, every attribute's value) reads back identical to before the
# save.  A Linux host (nvme-tcp over loopback) connected across all that
# comes back live by itself and reads back what it wrote before the clear
# (the namespace is a file, which survives it).
# Where the kernel has LIO, namespace 5 of the first subsystem is a LIO
# fileio backstore (device_backend lio): nvmetcli saves its device_backend
# and device_path with the other device_* attributes; the backstore and
# its nvmet_lio LUN are LIO's configuration (targetcli's), which clear
# leaves alone, so the restore enables the namespace on them again, and
# the host reads back what it wrote there too.
#
# TARGET=intree: the same against Debian's in-tree target; attributes it
# lacks (attr_vendor_id, param_mdts, device_*) are left out there.  The
# dhchap_* settings are taken by both (by ours where the kernel has
# nvme-auth: not on 6.1, which keeps the defaults).
# Read-only statistics (stats, *_stats) are runtime state: their presence
# is compared, not their value.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
. /vm/guest/fc.sh

NVMETCLI=/opt/nvmetcli/nvmetcli
[ -f $NVMETCLI ] || fail "no $NVMETCLI in the guest (tests/vm/stage-python.sh)"
command -v python3 > /dev/null || fail "no python3 in the guest"
# nvmetcli ARGS...: run it; say how long it took (python3 under TCG)
nvmetcli() {
	t0=$(cut -d' ' -f1 /proc/uptime)
	python3 $NVMETCLI "$@"
	rc=$?
	echo "nvmetcli $1: $(awk -v a="$t0" '{ printf "%.1f", $1 - a }' /proc/uptime) s" >&2
	return $rc
}

S1=$NQN_BASE:rt1
S2=$NQN_BASE:rt2
HOST_B=$NQN_BASE:host-b
IMG1=/tmp/e2e-rt1.img
IMG2=/tmp/e2e-rt2.img
IMG7=/tmp/e2e-rt7.img
IMG4=/tmp/e2e-rt4.img
SAVED=/tmp/e2e-nvmetcli.json
PATTERN=/tmp/e2e-pattern

LT=/sys/kernel/config/target
LBS=$LT/core/fileio_0/rt5
LLUN=$LT/nvmet_lio/rt/tpgt_1/lun/lun_0
IMG5=/tmp/e2e-rt5.img

# lio_cleanup: the LIO side of namespace 5, after the namespace went
lio_cleanup() {
	rm -f $LLUN/rt5
	rmdir $LLUN $LT/nvmet_lio/rt/tpgt_1 $LT/nvmet_lio/rt $LT/nvmet_lio \
		$LBS $LT/core/fileio_0 2>/dev/null
	for m in nvmet_lio target_core_file target_core_iblock \
		 target_core_pscsi target_core_user target_core_mod; do
		grep -q "^$m " /proc/modules && rmmod $m
	done
	rm -f $IMG5
}

rt_cleanup() {
	host_disconnect_all
	tgt_teardown
	lio_cleanup
	for m in nvme_loop; do
		grep -q "^$m " /proc/modules && rmmod $m
	done
	rdma_unload_target
	rdma_net_down
	fc_unload
}

host_disconnect_all > /dev/null 2>&1
tgt_teardown > /dev/null 2>&1
rt_cleanup > /dev/null 2>&1
e2e_begin
E2E_CLEANUP=rt_cleanup
modprobe nvme-fc || fail "modprobe nvme-fc (host)"
rdma_net_up
if [ "$TARGET" = intree ]; then
	for m in nvmet nvmet-tcp nvmet-rdma nvmet-fc nvme-fcloop nvme-loop; do
		intree_load $m || fail "insmod in-tree $m"
	done
else
	for m in nvmet nvmet-tcp nvmet-rdma nvmet-fc nvme-fcloop nvme-loop \
		 nvmet-null; do
		modprobe $m || fail "modprobe $m"
	done
fi
echo "target: $TARGET"
[ -d $FCCTL ] || fail "no $FCCTL"
fc_add_pair 1
null_blk_load

# cfg FILE VALUE [SHOWN]: written and read back (rt); an attribute the
# in-tree target lacks is left out there.
cfg() {
	if [ ! -e "$1" ] && [ "$TARGET" = intree ]; then
		echo "in-tree lacks ${1#"$CFS"/}"
		return 0
	fi
	rt "$@"
}

# try FILE VALUE [SHOWN]: as cfg, but a target that refuses the value as
# unsupported (EOPNOTSUPP, ENOTSUPP) keeps its default; so does the in-tree
# target with -EINVAL for a DH group whose kpp module the guest lacks.
try() {
	if [ ! -e "$1" ] && [ "$TARGET" = intree ]; then
		echo "in-tree lacks ${1#"$CFS"/}"
		return 0
	fi
	if out=$(sh -c "echo '$2' > '$1'" 2>&1); then
		expect_file "$1" "${3:-$2}"
		return 0
	fi
	case $out in
	*"not supported"*|*"Unknown error 524"*)
		echo "$TARGET refuses ${1#"$CFS"/} = $2 as unsupported" ;;
	*"Invalid argument"*)
		[ "$TARGET" = intree ] && [ "${1##*/}" = dhchap_dhgroup ] ||
			fail "writing '$2' to $1: $out"
		echo "in-tree refuses ${1#"$CFS"/} = $2 (no kpp module)" ;;
	*)	fail "writing '$2' to $1: $out" ;;
	esac
}

# ns NQN NSID PATH|null:SIZE UUID NGUID GRPID ENABLE [BACKEND]
ns() {
	n=$CFS/subsystems/$1/namespaces/$2
	mkdir $n || fail "mkdir namespace $2 of $1"
	case $3 in
	null:*)	cfg $n/device_backend null
		cfg $n/device_size "${3#null:}" ;;
	*)	[ -n "${8:-}" ] && cfg $n/device_backend "$8"
		rt $n/device_path "$3" ;;
	esac
	rt $n/device_uuid "$4"
	rt $n/device_nguid "$5"
	rt $n/ana_grpid "$6"
	rt $n/enable "$7"
}

# --------------------------------------------------------- configuration --
truncate -s 64M $IMG1 $IMG2 $IMG7 || fail "truncate"
# not a multiple of 4 KiB: what device_size shows is restored before enable
truncate -s 67109376 $IMG4 || fail "truncate"

# Hosts: A connects; B only has DH-HMAC-CHAP settings.
mkdir $CFS/hosts/$HOSTNQN_A $CFS/hosts/$HOST_B || fail "mkdir hosts"
H=$CFS/hosts/$HOST_B
try $H/dhchap_key "DHHC-1:00:ia6zGodOr5SEG0Zzaw398rpY0wqipUWj4jWjUh4HWUz6aQ2n:"
try $H/dhchap_ctrl_key "DHHC-1:00:iM63E6cX7G5SOKKOju8gmzM53qywsy+C/YwtzxhIt9ZRz+ky:"
try $H/dhchap_hash "hmac(sha512)"
try $H/dhchap_dhgroup ffdhe2048

# S1: ACL'd, every attr_*; a file namespace (the host's data), a null_blk
# one in ANA group 2, a disabled file one.
mkdir $CFS/subsystems/$S1 || fail "mkdir $S1"
S=$CFS/subsystems/$S1
cfg $S/attr_model "nvmet-ng round trip"
cfg $S/attr_serial RT0001 "RT0001              "
cfg $S/attr_firmware rt1.0
cfg $S/attr_ieee_oui 0x5cd2e4
cfg $S/attr_vendor_id 0x1b36
cfg $S/attr_subsys_vendor_id 0x1af4
cfg $S/attr_version 1.4
cfg $S/attr_cntlid_max 1000
cfg $S/attr_cntlid_min 16
cfg $S/attr_qid_max 8
cfg $S/attr_pi_enable 0
ns $S1 1 $IMG1 5d1b0c3e-8f7a-4b2c-9d6e-0a1b2c3d4e5f \
	0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 1 1 file
ns $S1 2 /dev/nullb0 6e2c1d4f-9a8b-4c3d-8e7f-1b2c3d4e5f60 \
	1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809 2 1 bdev
ns $S1 7 $IMG7 7f3d2e5a-ab9c-4d4e-9f80-2c3d4e5f6071 \
	2b3c4d5e-6f70-8192-a3b4-c5d6e7f8091a 1 0
tgt_has_null && write_attr $S/namespaces/1/device_features deallocate=0
ln -s $CFS/hosts/$HOSTNQN_A $S/allowed_hosts/ || fail "allow host A"
ln -s $CFS/hosts/$HOST_B $S/allowed_hosts/ || fail "allow host B"
cfg $S/passthru/device_path /dev/nvme9
cfg $S/passthru/admin_timeout 30
cfg $S/passthru/io_timeout 60
cfg $S/passthru/clear_ids 1

# S2: any host, T10-PI on; null (ours) or file (in-tree) in ANA group 3,
# and a file of a size that is no multiple of 4 KiB.
mkdir $CFS/subsystems/$S2 || fail "mkdir $S2"
S=$CFS/subsystems/$S2
cfg $S/attr_allow_any_host 1
cfg $S/attr_pi_enable 1
cfg $S/attr_model rt2
if tgt_has_null; then
	ns $S2 3 null:1073741824 8a4e3f6b-bcad-4e5f-a091-3d4e5f607182 \
		3c4d5e6f-7081-92a3-b4c5-d6e7f8091a2b 3 1
	write_attr $S/namespaces/3/device_features write_zeroes=0
else
	ns $S2 3 $IMG2 8a4e3f6b-bcad-4e5f-a091-3d4e5f607182 \
		3c4d5e6f-7081-92a3-b4c5-d6e7f8091a2b 3 1
fi

ns $S2 4 $IMG4 9b5f4a7c-cdbe-4f60-b1a2-4e5f60718293 \
	4d5e6f70-8192-a3b4-c5d6-e7f8091a2b3c 1 1

# S1 namespace 5: a fileio backstore through our fabric's LUN, made as
# targetcli makes them (ours only; a kernel without LIO has none).
LIO=
if [ "$TARGET" != intree ] &&
   grep -q '/target_core_mod\.ko[.a-z]*:' /lib/modules/$(uname -r)/modules.dep; then
	grep -q '/nvmet-lio\.ko:' /lib/modules/$(uname -r)/modules.dep ||
		fail "our nvmet-lio was not built"
	LIO=1
	for m in target_core_mod target_core_file nvmet-lio; do
		modprobe $m || fail "modprobe $m"
	done
	mkdir -p $LBS || fail "mkdir $LBS"
	write_attr $LBS/control "fd_dev_name=$IMG5,fd_dev_size=$(( 16 << 20 ))"
	write_attr $LBS/enable 1
	mkdir -p $LLUN || fail "mkdir $LLUN"
	ln -s $LBS $LLUN/rt5 || fail "link the nvmet_lio LUN"
	ns $S1 5 fileio_0/rt5 0c6e5b8d-def0-4a71-b2c3-5f6071829304 \
		5e6f7081-92a3-b4c5-d6e7-f8091a2b3c4d 1 1 lio
else
	echo "no LIO here: no lio namespace"
fi

# Port 1: TCP, both subsystems, ANA groups 2 and 3, a referral.
P=$CFS/ports/1
mkdir $P || fail "mkdir port 1"
cfg $P/addr_trtype tcp
cfg $P/addr_adrfam ipv4
cfg $P/addr_traddr 127.0.0.1
cfg $P/addr_trsvcid 4420
cfg $P/addr_treq "not required"
cfg $P/param_inline_data_size 16384
cfg $P/param_max_queue_size 128
cfg $P/param_mdts 6
mkdir $P/ana_groups/2 $P/ana_groups/3 || fail "mkdir ANA groups"
cfg $P/ana_groups/2/ana_state non-optimized
cfg $P/ana_groups/3/ana_state inaccessible
mkdir $P/referrals/disc-b || fail "mkdir referral"
R=$P/referrals/disc-b
cfg $R/addr_trtype tcp
cfg $R/addr_adrfam ipv4
cfg $R/addr_traddr 127.0.0.1
cfg $R/addr_trsvcid 4430
cfg $R/addr_portid 7
cfg $R/addr_treq "not specified"
cfg $R/enable 1

# Port 2: RDMA (Soft-RoCE), S2; group 2 persistent-loss; a disabled
# referral.
P=$CFS/ports/2
mkdir $P || fail "mkdir port 2"
cfg $P/addr_trtype rdma
cfg $P/addr_adrfam ipv4
cfg $P/addr_traddr $RDMA_IP
cfg $P/addr_trsvcid 4420
cfg $P/param_inline_data_size 8192
mkdir $P/ana_groups/2 || fail "mkdir ANA group 2 of port 2"
cfg $P/ana_groups/2/ana_state persistent-loss
mkdir $P/referrals/rdma-b || fail "mkdir referral"
R=$P/referrals/rdma-b
cfg $R/addr_trtype rdma
cfg $R/addr_adrfam ipv4
cfg $R/addr_traddr 10.77.0.2
cfg $R/addr_trsvcid 4420
cfg $R/addr_portid 9

# Port 3: FC (fcloop), S2.  Port 4: loop, S2.
P=$CFS/ports/3
mkdir $P || fail "mkdir port 3"
cfg $P/addr_trtype fc
cfg $P/addr_adrfam fc
cfg $P/addr_traddr "$(fc_traddr tgt 1)"
P=$CFS/ports/4
mkdir $P || fail "mkdir port 4"
cfg $P/addr_trtype loop

# Port 5: TCP over IPv6, T10-PI, not linked (disabled).
P=$CFS/ports/5
mkdir $P || fail "mkdir port 5"
cfg $P/addr_trtype tcp
cfg $P/addr_adrfam ipv6
cfg $P/addr_traddr ::1
cfg $P/addr_trsvcid 4421
cfg $P/param_pi_enable 1
cfg $P/param_inline_data_size 4096
mkdir $P/ana_groups/4 || fail "mkdir ANA group 4 of port 5"
cfg $P/ana_groups/4/ana_state change

# Port 6: TCP with TLS 1.3, plain hosts allowed too, not linked; where
# the kernel has TLS (nvmet then depends on nvme-keyring).
if [ -d /sys/module/nvme_keyring ]; then
	P=$CFS/ports/6
	mkdir $P || fail "mkdir port 6"
	cfg $P/addr_trtype tcp
	cfg $P/addr_adrfam ipv4
	cfg $P/addr_traddr 127.0.0.1
	cfg $P/addr_trsvcid 4422
	cfg $P/addr_tsas tls1.3
	cfg $P/addr_treq "not required"
fi

for l in "1 $S1" "1 $S2" "2 $S2" "3 $S2" "4 $S2"; do
	# shellcheck disable=SC2086 # two words
	tgt_link $l
done

# ------------------------------------------------------------ host data --
host_connect $S1 -q $HOSTNQN_A -I $HOSTID_A --reconnect-delay=1 \
	--ctrl-loss-tmo=600 || fail "nvme connect to $S1"
C=$(ctrl_of $S1) || fail "no host controller for $S1"
wait_ctrl_state $C live 30 > /dev/null || fail "$C not live"
D=$(wait_for_dev $S1 1 30) || fail "no namespace 1 of $S1"
wait_for_dev $S1 2 30 > /dev/null || fail "no namespace 2 of $S1"
expect_eq "cntlid in 16..1000" 1 \
	"$(awk '{ print ($1 >= 16 && $1 <= 1000) }' /sys/class/nvme/$C/cntlid)"
dd if=/dev/urandom of=$PATTERN bs=64k count=32 2>/dev/null ||
	fail "make the pattern"
dd if=$PATTERN of=$D bs=64k count=32 oflag=direct 2>/dev/null ||
	fail "write the pattern to $D"
want=$(sha1sum < $PATTERN)
got=$(dd if=$D bs=64k count=32 iflag=direct 2>/dev/null | sha1sum)
expect_eq "pattern read back before the save" "$want" "$got"
echo "host $C wrote 2 MiB to $D"
if [ -n "$LIO" ]; then
	D5=$(wait_for_dev $S1 5 30) || fail "no namespace 5 (lio) of $S1"
	dd if=$PATTERN of=$D5 bs=64k count=32 seek=64 oflag=direct \
		2>/dev/null || fail "write the pattern to $D5"
	got=$(dd if=$IMG5 bs=64k count=32 skip=64 2>/dev/null | sha1sum)
	expect_eq "pattern in the backstore's file" "$want" "$got"
	echo "host $C wrote 2 MiB to $D5 (lio), in $IMG5"
fi

# ------------------------------------------------------------ round trip --
# tree_dump: every directory, link (-> target) and file (= value, lines
# joined by '|'; unreadable: write-only) of the tree, sorted.
tree_dump() {
	(cd $CFS && find . | sort | while read -r p; do
		if [ -L "$p" ]; then
			echo "L $p -> $(readlink "$p")"
		elif [ -d "$p" ]; then
			echo "D $p"
		else
			case ${p##*/} in
			stats|*_stats) echo "F $p (runtime statistics)"
				continue ;;
			esac
			v=$(cat "$p" 2>/dev/null) &&
				v=$(printf '%s' "$v" | tr '\n' '|') ||
				v="(write-only)"
			echo "F $p = $v"
		fi
	done)
}

tree_dump > /tmp/e2e-before
echo "tree: $(grep -c '^D' /tmp/e2e-before) directories, $(grep -c '^L' /tmp/e2e-before) links, $(grep -c '^F' /tmp/e2e-before) attributes"
nvmetcli save $SAVED || fail "nvmetcli save"
[ -s $SAVED ] || fail "nvmetcli save wrote nothing"
echo "saved: $(wc -c < $SAVED) bytes"

nvmetcli clear || fail "nvmetcli clear"
for d in subsystems ports hosts; do
	left=$(ls $CFS/$d)
	[ -z "$left" ] || fail "$d/ not empty after nvmetcli clear: $left"
done
s=$(wait_ctrl_state $C "resetting|connecting" 30) ||
	fail "host controller did not notice the clear"
echo "after clear: $C is $s"

nvmetcli restore $SAVED > /tmp/e2e-restore.out ||
	fail "nvmetcli restore: exit $?: $(cat /tmp/e2e-restore.out)"
if [ -s /tmp/e2e-restore.out ]; then
	sed 's/^/  restore: /' /tmp/e2e-restore.out
	fail "nvmetcli restore reported errors"
fi
tree_dump > /tmp/e2e-after
# The in-tree target loses a TCP port's addr_treq: its addr_tsas store,
# which nvmetcli runs after addr_treq, resets it (nvmet-ng no longer does).
# There that difference is reported, not failed.
INTREE_KNOWN='^[-+]F \./ports/[0-9]*/addr_treq = '
if ! diff /tmp/e2e-before /tmp/e2e-after > /tmp/e2e-diff; then
	sed 's/^/  diff: /' /tmp/e2e-diff
	bad=$(grep '^[-+][DLF] ' /tmp/e2e-diff)
	[ "$TARGET" = intree ] && bad=$(echo "$bad" | grep -v "$INTREE_KNOWN")
	[ -z "$bad" ] ||
		fail "the tree does not read back identical after save, clear, restore"
	echo "in-tree: only its known loss of addr_treq differs"
fi
echo "restored tree compared: $(wc -l < /tmp/e2e-after) entries"

s=$(wait_ctrl_state $C live 60) || fail "host did not reconnect after the restore"
echo "after restore: $C is $s"
D2=$(wait_for_dev $S1 1 30) || fail "namespace 1 gone after the restore"
expect_eq "same block device" "$D" "$D2"
got=$(dd if=$D bs=64k count=32 iflag=direct 2>/dev/null | sha1sum)
expect_eq "pattern read back after the round trip" "$want" "$got"
echo "host read back its 2 MiB after the round trip"
if [ -n "$LIO" ]; then
	expect_file $CFS/subsystems/$S1/namespaces/5/device_backend lio
	expect_file $CFS/subsystems/$S1/namespaces/5/enable 1
	grep -q '"backend": "lio"' $SAVED || fail "nvmetcli saved no lio backend"
	D5=$(wait_for_dev $S1 5 30) || fail "namespace 5 (lio) gone after the restore"
	got=$(dd if=$D5 bs=64k count=32 skip=64 iflag=direct 2>/dev/null |
	      sha1sum)
	expect_eq "lio: pattern read back after the round trip" "$want" "$got"
	echo "host read back its 2 MiB of the lio namespace after the round trip"
fi
