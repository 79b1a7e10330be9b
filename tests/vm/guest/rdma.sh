#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the NVMe/RDMA end-to-end tests (tests/vm/tests/4*.sh).
# Sourced after lib.sh and nvme.sh.  The fabric is Soft-RoCE: rdma_rxe on
# a dummy netdev with a private address; target and host are the same
# machine, so rxe loops the packets back itself.
#
# TARGET=intree runs the tests against Debian's nvmet and nvmet-rdma.
# RDMA_SRQ=1 (VM_ARGS) loads nvmet-rdma, ours or in-tree, with use_srq=1:
# the same tests then run on shared receive queues.

RDMA_NETDEV=nvmrdma0
RDMA_DEV=rxe_nvm0
RDMA_IP=10.77.0.1

# rdma_net_up: the dummy netdev with RDMA_IP and an rxe device on it
rdma_net_up() {
	modprobe dummy || fail "modprobe dummy"
	modprobe rdma_rxe || fail "modprobe rdma_rxe"
	# rxe computes its ICRC with the "crc32" shash on 6.1 and 6.12; 7.x's
	# calls the crc32 library (crc32_le()) and has no crc32_generic module.
	if grep -q '/crc32_generic\.ko:' /lib/modules/$(uname -r)/modules.dep; then
		modprobe crc32_generic || fail "modprobe crc32_generic"
	fi
	ip link show $RDMA_NETDEV > /dev/null 2>&1 ||
		ip link add $RDMA_NETDEV type dummy ||
		fail "ip link add $RDMA_NETDEV type dummy"
	ip addr add $RDMA_IP/24 dev $RDMA_NETDEV 2>/dev/null
	ip link set $RDMA_NETDEV up || fail "ip link set $RDMA_NETDEV up"
	[ -e /sys/class/infiniband/$RDMA_DEV ] ||
		rdma link add $RDMA_DEV type rxe netdev $RDMA_NETDEV ||
		fail "rdma link add $RDMA_DEV type rxe netdev $RDMA_NETDEV"
	i=0
	until [ "$(cat /sys/class/infiniband/$RDMA_DEV/ports/1/state 2>/dev/null)" = "4: ACTIVE" ]; do
		i=$((i + 1))
		[ $i -gt 50 ] && fail "$RDMA_DEV is not ACTIVE: $(cat /sys/class/infiniband/$RDMA_DEV/ports/1/state 2>&1)"
		sleep 0.1
	done
}

# rdma_net_down: remove the rxe device and the netdev
rdma_net_down() {
	[ -e /sys/class/infiniband/$RDMA_DEV ] && rdma link delete $RDMA_DEV
	ip link show $RDMA_NETDEV > /dev/null 2>&1 && ip link del $RDMA_NETDEV
	return 0
}

# rdma_unload_target: nvmet-rdma, which tgt_unload does not know
rdma_unload_target() {
	grep -q '^nvmet_rdma ' /proc/modules || return 0
	rmmod nvmet_rdma
}

# rdma_begin: e2e_begin for the RDMA tests: also drops an nvmet-rdma left
# by an earlier test, loads the host's nvme-rdma, brings the fabric up and
# has the cleanup unload nvmet-rdma before the rest of the target.
rdma_begin() {
	host_disconnect_all > /dev/null 2>&1
	tgt_teardown > /dev/null 2>&1
	rdma_unload_target 2>/dev/null
	e2e_begin
	modprobe nvme-rdma || fail "modprobe nvme-rdma (host)"
	rdma_net_up
	E2E_CLEANUP="tgt_teardown; rdma_unload_target; rdma_net_down"
}

# rdma_tgt_load [NVMET_RDMA_PARAMS...]: the target core and its RDMA
# transport, with use_srq=1 under RDMA_SRQ=1
rdma_tgt_load() {
	[ "${RDMA_SRQ:-0}" = 1 ] && set -- use_srq=1 "$@"
	if [ "$TARGET" = intree ]; then
		grep -q '^nvmet ' /proc/modules ||
			intree_load nvmet || fail "insmod in-tree nvmet"
		intree_load nvmet-rdma "$@" || fail "insmod in-tree nvmet-rdma $*"
	else
		grep -q '/nvmet-rdma\.ko:' /lib/modules/$(uname -r)/modules.dep ||
			fail "our nvmet-rdma was not built"
		modprobe nvmet || fail "modprobe nvmet"
		modprobe nvmet-rdma "$@" || fail "modprobe nvmet-rdma $*"
	fi
	[ -d $CFS ] || fail "no $CFS after loading the target"
	echo "target: $TARGET (rdma${*:+, $*})"
}

# rdma_tgt_port PORTID [TRADDR($RDMA_IP)] [TRSVCID(4420)]
rdma_tgt_port() {
	p=$CFS/ports/$1
	mkdir $p || fail "mkdir port $1"
	write_attr $p/addr_trtype rdma
	write_attr $p/addr_adrfam ipv4
	write_attr $p/addr_traddr "${2:-$RDMA_IP}"
	write_attr $p/addr_trsvcid "${3:-4420}"
}

# rdma_connect NQN [nvme-connect options...]
rdma_connect() {
	n=$1
	shift
	nvme connect -t rdma -a $RDMA_IP -s 4420 -n "$n" "$@"
}
