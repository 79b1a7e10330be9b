#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Passthru over NVMe/RDMA (Soft-RoCE): QEMU's emulated NVMe controller
# (serial nvmetngpt01) behind a subsystem's passthru/ group, as in
# 2z-tcp-passthru.sh, with the host connected over rdma: the fabric
# controller shows the device's model and serial, the subsystem's NQN and
# the namespace's size; a MiB written through the fabric (RDMA READs of
# the host's data) reads back from the PCIe namespace, and one written to
# the PCIe namespace reads back through the fabric (RDMA WRITEs); after a
# disconnect and a reconnect the data is still there.  Skips where
# passthru is not built (6.1) or the guest has no emulated controller.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/rdma.sh
. /vm/guest/passthru.sh
[ "$TARGET" = intree ] && skip "in-tree nvmet: its passthru is not ours to test"
rdma_begin
rdma_tgt_load
N=$NQN_BASE:rdma-passthru
PT=$CFS/subsystems/$N/passthru
E2E_CLEANUP="passthru_cleanup $N; $E2E_CLEANUP"
passthru_pcie

tgt_subsys $N 1
write_attr $PT/device_path /dev/$pci
err=$(sh -c "echo 1 > $PT/enable" 2>&1) || case $err in
*"Operation not supported"*) skip "passthru is not built for this kernel" ;;
*)	fail "enable of $pci: $err" ;;
esac
expect_file $PT/enable 1
rdma_tgt_port 1
tgt_link 1 $N

rdma_connect $N > /dev/null || fail "nvme connect -t rdma"
expect_file /sys/class/nvme/$(ctrl_of $N)/transport rdma
passthru_fabric_is_pcie
passthru_both_ways
passthru_disconnect

rdma_connect $N > /dev/null || fail "nvme connect -t rdma, again"
passthru_kept "the reconnect"
echo "reconnected over rdma: the data is still there"
exit 0
