#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe reservations over NVMe/RDMA (Soft-RoCE), on four RDMA ports (one
# per controller): a subset of tests/vm/guest/resv.sh's checks
# (2j-tcp-resv.sh says what each proves), to keep the lane short:
# register, the report, the conflicts under Exclusive Access and Write
# Exclusive - Registrants Only, acquire, release, preempt and clear, and
# preempt and abort under fio.  Skips on a target without resv_enable.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
. /vm/guest/resv.sh

rdma_begin
resv_single_path
rdma_tgt_load
for i in 1 2 3 4; do
	rdma_tgt_port $i $RDMA_IP $((4419 + i))
done
resv_target 1 2 3 4
resv_connect() {
	_i=$1 _n=$2
	shift 2
	nvme connect -t rdma -a $RDMA_IP -s $((4419 + _i)) -n $_n "$@"
}
resv_hosts
resv_step resv_check_register
resv_step resv_check_report
resv_step resv_check_conflicts 2 3
resv_step resv_check_acquire
resv_step resv_check_preempt_abort
exit 0
