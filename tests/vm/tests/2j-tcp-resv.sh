#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe reservations over NVMe/TCP, against the Linux host and nvme-cli
# (the checks are tests/vm/guest/resv.sh's): three host identities (A and
# B register, C does not), each with its own controller and block device
# (nvme_core reloaded with multipath=N) and its own port, on one
# null_blk namespace with resv_enable 1.
# - Identify: RESCAP has the six types and IEKEY, ONCS the Reservations bit.
# - Register, replace and unregister, with and without IEKEY, and what a
#   non-registrant is refused; the generation.
# - Each of the six types held by A: read, write, flush, write zeroes and
#   deallocate from the holder, a registrant and a non-registrant complete
#   as the specification's table says (Reservation Conflict, 83h, where
#   refused); refused writes leave the data, allowed ones land.
# - Acquire, release (by a non-holder, with the wrong type), preempt (of a
#   holder, of an All Registrants reservation with a zero key), clear.
# - Reservation Report without the extended data structure (Host
#   Identifier Inconsistent Format) and with it (type, generation,
#   registrant count, host IDs, keys, holder flags).
# - The Reservation Notification log page after a release, a preempt and
#   a clear by another host, its AEN, and the mask (Set Features 82h).
# - Host A's second controller is the same registrant.
# - Preempt and abort while A runs fio: A's I/O fails, B's fio verify,
#   running through it, is clean; no hang.
# Runs against in-tree too (TARGET=intree: 6.13 and later have
# reservations); skips on a target without resv_enable.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/resv.sh
e2e_begin
resv_single_path
tgt_load
for i in 1 2 3 4; do
	tgt_port $i 127.0.0.1 $((4419 + i))
done
resv_target 1 2 3 4
resv_connect() { _i=$1; shift; TRSVCID=$((4419 + _i)) host_connect "$@"; }
resv_hosts
resv_step resv_check_register
resv_step resv_check_report
resv_step resv_check_conflicts 1 2 3 4 5 6
resv_step resv_check_acquire
resv_step resv_check_notify
resv_step resv_check_cross_ctrl
resv_step resv_check_preempt_abort
exit 0
