#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/TCP fuzzing, long: 1,000,000 PDUs (BENCH_FUZZ_PDUS) on ours, two
# connections at a time, bursts of random capsules on 90% of the steps of
# a connected queue (the rest: the fuzzer's whole mix of malformed PDUs,
# which end a connection after a PDU or two and would make a million
# PDUs take hours under TCG), while a good host runs fio verify on the
# same port; then, for its figures, BENCH_FUZZ_INTREE_PDUS (10,000; 0:
# none) with the same options on Debian's in-tree nvmet-tcp, which leaves
# many malformed PDUs unanswered (each costs the fuzzer's 2 s wait).
# Under a loaded TCG host ours ran 280 PDUs/s: 1 M PDUs take about an
# hour, more than run.sh's default VM_TIMEOUT for bench (3600 s).  On the
# debug kernel at a load of 20 it ran 51 PDUs/s (309,212 PDUs in the 6,000 s
# that BENCH_FUZZ_SECS allows by default), and 126 PDUs/s beside lighter
# load (707,657 in 5,600 s), with the good host's fio verify rounds back to
# back.  Those rounds took most of the guest's CPU under KASAN: the good
# host's fio now runs at 20 IOPS (FUZZ_FIO_ARGS, default --rate_iops=20;
# VM_ARGS="FUZZ_FIO_ARGS=--rate_iops=1000000" for the old load), which still
# keeps a write or a read of it in flight all through the run, and the
# debug kernel on an idle machine then ran 798 PDUs/s (240 s calibration,
# stop 22) and the whole 1 M PDUs at 904 PDUs/s (1,105 s).  Pass/fail as tests/vm/tests/65 (see guest/fuzz.sh); prints
# PDUs/s and what each target answered.  Sourced by guest/bench.sh: each
# run is a subshell, so a failure ends only it.
. /vm/guest/nvme.sh
. /vm/guest/fuzz.sh
FUZZ_FIO_ARGS=${FUZZ_FIO_ARGS:---rate_iops=20}

echo "==> NVMe/TCP fuzzer, ${BENCH_FUZZ_PDUS:-1000000} PDUs on nvmet-ng"
( fuzz_run ${BENCH_FUZZ_PDUS:-1000000} ${BENCH_FUZZ_SECS:-6000} 50 -j 2 -B 90 -k 200 &&
	echo "result: pass" ) 2>&1 |
	sed 's/^/  /'
INTREE_PDUS=${BENCH_FUZZ_INTREE_PDUS:-10000}
if [ "$INTREE_PDUS" -gt 0 ]; then
	echo "==> NVMe/TCP fuzzer, $INTREE_PDUS PDUs on the in-tree nvmet-tcp"
	( TARGET=intree fuzz_run $INTREE_PDUS 900 50 -j 2 -B 90 -k 200 &&
		echo "result: pass" ) 2>&1 | sed 's/^/  /'
fi
