#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/TCP fuzzing, short and with a fixed seed: 10000 PDUs (every PDU
# type, header fields at their boundaries, wrong order, bad digests,
# capsules with random opcodes and SGLs, before and after Connect, on
# discovery, admin and I/O queues) while a good host runs fio verify on
# the same port.  No kernel splat, no verify error, the good host's
# controller never reset, nothing left in debugfs (see guest/fuzz.sh).
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/fuzz.sh
fuzz_run ${FUZZ_PDUS:-10000} 180 ${FUZZ_SEED:-65}
exit 0
