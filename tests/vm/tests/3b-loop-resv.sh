#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe reservations over our nvme-loop, on four loop ports (one per
# controller, chosen by traddr), the host side being the kernel's
# nvme-fabrics: a subset of tests/vm/guest/resv.sh's checks
# (2j-tcp-resv.sh says what each proves), to keep the lane short:
# register, the report, the conflicts under Exclusive Access and Write
# Exclusive - Registrants Only, acquire, release, preempt and clear, and
# preempt and abort under fio.  First the data path the checks' read-backs
# rely on (loop_check_unaligned).  Skips on a target without resv_enable.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
. /vm/guest/loop.sh
. /vm/guest/resv.sh

E2E_CLEANUP=loop_cleanup
e2e_begin
resv_single_path
loop_load
# the controller's port is the one whose traddr the connect gives
for i in 1 2 3 4; do
	loop_port $i resv$i
done
resv_target 1 2 3 4
resv_connect() { _i=$1; _n=$2; shift 2; nvme connect -t loop -a resv$_i -n $_n "$@"; }
# loop_check_unaligned: O_DIRECT writes and reads of one block through
# host A's device, with buffers at a page's start, 16 bytes into it, and
# across a page boundary (half a block each side, and 16 bytes short of
# the end): every read gives back what the write wrote.  The host's queue
# asks only 4-byte alignment of a buffer, and nvme-loop gives the target
# the host's pages as they are: a block split across two pages reaches
# the target as two half-block segments, which a backing null_blk took
# for two blocks (reading the block's first half twice) until the bdev
# backend bounced such buffers.  busybox dd's 512-byte buffer is such a
# heap buffer, wherever malloc puts it: block() read other data than A had
# written.
loop_check_unaligned() {
	python3 - $(dev A) /tmp/e2e-resv.A /tmp/e2e-resv.B <<'EOF' ||
import mmap, os, sys
a = open(sys.argv[2], 'rb').read()
b = open(sys.argv[3], 'rb').read()
bs = len(a)
fd = os.open(sys.argv[1], os.O_RDWR | os.O_DIRECT)
wm, rm = mmap.mmap(-1, 3 * 4096), mmap.mmap(-1, 3 * 4096)
offs = (0, 16, 4096 - bs // 2, 8192 - 16)
bad = 0
for lba, data in ((2, a), (3, b)):
    for woff in offs:
        w = memoryview(wm)[woff:woff + bs]
        w[:] = data
        if os.pwritev(fd, [w], lba * bs) != bs:
            sys.exit("short write")
        for roff in offs:
            r = memoryview(rm)[roff:roff + bs]
            r[:] = b'\xee' * bs
            if os.preadv(fd, [r], lba * bs) != bs:
                sys.exit("short read")
            if bytes(r) != data:
                bad += 1
                print("LBA %d written from offset %d, read into offset %d: "
                      "other data" % (lba, woff, roff))
sys.exit(1 if bad else 0)
EOF
		fail "O_DIRECT through unaligned buffers"
	echo "O_DIRECT through unaligned buffers: the data as written"
}

resv_hosts
resv_step loop_check_unaligned
resv_step resv_check_register
resv_step resv_check_report
resv_step resv_check_conflicts 2 3
resv_step resv_check_acquire
resv_step resv_check_preempt_abort
exit 0
