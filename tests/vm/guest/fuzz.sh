#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The NVMe/TCP fuzzer (tests/fuzz/) against the target on 127.0.0.1:4420
# while a well-behaved Linux host runs fio with verify on the same port:
# the shared body of tests/vm/tests/65-tcp-fuzz.sh and
# tests/vm/bench/50-tcp-fuzz.sh.  Sourced after lib.sh and nvme.sh.
#
# fuzz_run PDUS SECONDS SEED [FUZZER OPTIONS...]: passes when the fuzzer sent PDUS PDUs within
# SECONDS and exited 0 (no splat in the kernel log it watched, the target
# kept accepting connections); the good host's fio verify passes every
# round; its controller stayed live with the same controller ID and
# nothing in dmesg says it was reset or reconnected; and after teardown
# every debugfs object count is 0.  FUZZ_ARGS (VM_ARGS="FUZZ_ARGS=-S")
# adds fuzzer options: -S keeps SGL lengths under 16 MiB, around the
# unbounded SGL allocation of issue 9 item 1 (nvmet_req_alloc_sgl() warns
# in the page allocator above 512 MiB).  FUZZ_FIO_ARGS adds fio options to
# the good host's verify rounds (the bench's --rate_iops leaves the
# fuzzer the guest's CPUs on the debug kernel).

FUZZ_GOOD=$NQN_BASE:fuzz-good
FUZZ_NQN=$NQN_BASE:fuzz

fuzz_run() {
	pdus=$1 secs=$2 seed=$3
	shift 3
	command -v nvme-tcp-fuzz > /dev/null || fail "no nvme-tcp-fuzz in the image"
	e2e_begin
	FIO_LOOP= WATCH=
	PRINTK=$(cut -f1 /proc/sys/kernel/printk)
	E2E_CLEANUP='touch /tmp/e2e-fuzz-stop; [ -n "$FIO_LOOP" ] && wait $FIO_LOOP; [ -n "$WATCH" ] && wait $WATCH; echo $PRINTK > /proc/sys/kernel/printk'
	rm -f /tmp/e2e-fuzz-*
	tgt_load
	null_blk_load

	# the good host's subsystem: only its host NQN may connect
	tgt_subsys $FUZZ_GOOD 0
	tgt_ns $FUZZ_GOOD 1 /dev/nullb0
	tgt_allow $FUZZ_GOOD $HOSTNQN_A
	# the fuzzer's: any host
	tgt_subsys $FUZZ_NQN 1
	if tgt_has_null; then
		tgt_ns $FUZZ_NQN 1 null:1073741824
	else
		truncate -s 64M /tmp/e2e-fuzz.img || fail "truncate"
		tgt_ns $FUZZ_NQN 1 /tmp/e2e-fuzz.img
	fi
	tgt_port 1 127.0.0.1 4420
	tgt_link 1 $FUZZ_GOOD
	tgt_link 1 $FUZZ_NQN

	host_connect $FUZZ_GOOD --hostnqn=$HOSTNQN_A --hostid=$HOSTID_A ||
		fail "good host: nvme connect"
	C=$(ctrl_of $FUZZ_GOOD) || fail "good host: no controller"
	D=$(wait_for_dev $FUZZ_GOOD 1) || fail "good host: no namespace"
	cntlid=$(cat /sys/class/nvme/$C/cntlid)
	mark=$(kmsg_mark "fuzz start")
	echo "good host: $C (cntlid $cntlid) $D"

	# fio verify rounds until the fuzzer is done; the count of rounds
	# that passed goes to a file, a failed round ends the loop
	(
		n=0
		while [ ! -f /tmp/e2e-fuzz-stop ]; do
			( fio_verify $D 16M ${FUZZ_FIO_ARGS:-} ) \
				> /tmp/e2e-fuzz-fio.last 2>&1 ||
				{ cat /tmp/e2e-fuzz-fio.last; exit 1; }
			n=$((n + 1))
			echo $n > /tmp/e2e-fuzz-fio.rounds
		done
	) &
	FIO_LOOP=$!
	(
		while [ ! -f /tmp/e2e-fuzz-stop ]; do
			s=$(cat /sys/class/nvme/$C/state 2>/dev/null || echo gone)
			[ "$s" = live ] || echo "$(date +%s) $s" >> /tmp/e2e-fuzz-states
			sleep 1
		done
	) &
	WATCH=$!

	# the target's error messages on the serial console would slow it
	echo 1 > /proc/sys/kernel/printk
	t0=$(date +%s)
	nvme-tcp-fuzz -K -s $seed -N $pdus -t $secs "$@" ${FUZZ_ARGS:-} \
		-n $FUZZ_NQN -n $FUZZ_NQN -n $FUZZ_GOOD \
		-n $NQN_BASE:no-such-subsystem > /tmp/e2e-fuzz.out 2>&1
	frc=$?
	t1=$(date +%s)
	echo $PRINTK > /proc/sys/kernel/printk
	# the last report of the run
	sed -n '/^target MDTS/p' /tmp/e2e-fuzz.out
	grep "^fuzz: kernel" /tmp/e2e-fuzz.out | head -n 40
	tail -n 9 /tmp/e2e-fuzz.out
	echo "fuzzer: exit $frc after $((t1 - t0)) s"
	# the console keeps the figures of a passing run too
	{ grep '^fuzz: seed' /tmp/e2e-fuzz.out | tail -n 1
	  tail -n 9 /tmp/e2e-fuzz.out; } | while IFS= read -r l; do
		echo "fuzz-report: $l" > /dev/kmsg
	done

	touch /tmp/e2e-fuzz-stop
	wait $FIO_LOOP
	frc_fio=$?
	FIO_LOOP=
	wait $WATCH
	WATCH=
	rounds=$(cat /tmp/e2e-fuzz-fio.rounds 2>/dev/null || echo 0)
	echo "good host: $rounds fio verify rounds passed"

	[ $frc -eq 0 ] || fail "fuzzer exit $frc (3: kernel splat, 1: target refused connections)"
	sent=$(sed -n 's/^fuzz: seed [0-9]*: \([0-9]*\) PDUs.*/\1/p' /tmp/e2e-fuzz.out | tail -n 1)
	[ "${sent:-0}" -ge $pdus ] ||
		fail "fuzzer sent ${sent:-0} of $pdus PDUs in ${secs}s"
	[ $frc_fio -eq 0 ] || fail "good host: fio verify failed during the fuzzing"
	[ "$rounds" -ge 1 ] || fail "good host: no fio verify round finished"
	[ -f /tmp/e2e-fuzz-states ] &&
		fail "good host: $C left live: $(head -n 3 /tmp/e2e-fuzz-states)"
	expect_file /sys/class/nvme/$C/state live
	expect_file /sys/class/nvme/$C/cntlid $cntlid
	resets=$(dmesg_since "$mark" | grep "nvme $C:" |
		grep -iE 'reset|reconnect|recovery|timeout|removing|failed|error')
	[ -z "$resets" ] || fail "good host: $C: $(echo "$resets" | head -n 3)"

	host_disconnect_all || fail "disconnect the good host"
	tgt_teardown || fail "teardown"
	expect_no_objects
}
