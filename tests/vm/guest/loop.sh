#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the loop transport tests (tests/vm/tests/3*.sh).  Sourced
# after lib.sh and nvme.sh.

# loop_load: our target core and nvme-loop (host transport + fabric)
loop_load() {
	grep -q '/nvme-loop\.ko:' /lib/modules/$(uname -r)/modules.dep ||
		fail "our nvme-loop was not built (make leaves it out when NVME_HOST_SRC has no nvme.h)"
	modprobe nvmet || fail "modprobe nvmet"
	modprobe nvme-loop || fail "modprobe nvme-loop"
	[ -c /dev/nvme-fabrics ] || fail "no /dev/nvme-fabrics"
}

# loop_port PORTID [TRADDR]: a loop port, not yet enabled
loop_port() {
	mkdir $CFS/ports/$1 || fail "mkdir port $1"
	write_attr $CFS/ports/$1/addr_trtype loop
	[ -n "${2:-}" ] && write_attr $CFS/ports/$1/addr_traddr "$2"
	return 0
}

# loop_cleanup: hosts, configuration, then nvme-loop, so that e2e_end's
# tgt_unload can unload nvmet
loop_cleanup() {
	host_disconnect_all
	tgt_teardown
	grep -q '^nvme_loop ' /proc/modules && rmmod nvme_loop
}
