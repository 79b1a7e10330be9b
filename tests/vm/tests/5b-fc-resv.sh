#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe reservations over NVMe/FC (nvme-fcloop), through four fcloop pairs
# (one per controller): a subset of tests/vm/guest/resv.sh's checks
# (2j-tcp-resv.sh says what each proves), to keep the lane short:
# register, the report, the conflicts under Exclusive Access and Write
# Exclusive - Registrants Only, acquire, release, preempt and clear, and
# preempt and abort under fio.  nvme_core is reloaded (multipath=N) before
# fc_begin loads the FC modules, so that nvme-fcloop is loaded once, as
# fc_load chooses it.  Skips on a target without resv_enable.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/fc.sh
. /vm/guest/resv.sh

host_disconnect_all > /dev/null 2>&1
tgt_teardown > /dev/null 2>&1
fc_unload > /dev/null 2>&1
resv_multipath N || fail "cannot reload nvme_core with multipath=N"
fc_begin
# fc_unload deletes pairs 1 to 3
E2E_CLEANUP="host_disconnect_all; tgt_teardown; fc_del_pair 4; fc_unload; resv_restore"
for i in 1 2 3 4; do
	fc_add_pair $i
	fc_port $i "$(fc_traddr tgt $i)"
done
resv_target 1 2 3 4
resv_connect() { _i=$1 _n=$2; shift 2; fc_connect $_n $_i "$@"; }
resv_hosts
resv_step resv_check_register
resv_step resv_check_report
resv_step resv_check_conflicts 2 3
resv_step resv_check_acquire
resv_step resv_check_preempt_abort
exit 0
