#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Run every test lane and sum their results.
#
# Each test lane prints its own results and ends with one line
#   <lane>: N passed, N failed[, N skipped]
# A lane that ends without that line (a crash, a build error) counts as one
# failure.  The style lane runs checkers, not tests: it ends with
#   style: N files clean, N with findings, W=1 build clean|failed
# which is reported on a line of its own and not summed; a finding, a
# failed build or a missing line still makes the exit status non-zero.
# The last line printed here is the total of the test lanes:
#   N passed, N failed, N skipped
#
# First the 6.12 modules are built from clean (when the vm or style lane
# runs; results/modules-6.12.log).
# LANES selects lanes (default: userspace vm vm-debug kunit style vm-6.1
# vm-newest; style comes after the 6.12 lanes so that the other kernels'
# cold fetch, below, hides behind them).  vm-6.1 and vm-newest boot Debian's 6.1 and newest kernels
# with their own host drivers and our modules built for them, on a subset
# of the VM tests (scripts/vm-line.sh, VM_LINE_TESTS); the style lane
# builds W=1 for every kernel of STYLE_KERNELS (default here: 6.1 6.12
# newest).
# vm-debug builds the debug kernel (cached) and runs a subset of the VM
# tests on it (DEBUG_LANE_TESTS, default 0,6,2t: see scripts/debug-kernel.sh).
# When both VM lanes run, the vm lane leaves the isolation, deadline and
# fuzzer tests (DEBUG_ONLY_TESTS, default 6) to the debug kernel, which runs the same scripts with KASAN, lockdep and
# kmemleak watching, so that make check fits its time budget.
set -uo pipefail
. "$(dirname "$0")/env.sh"
cd "$NVMET_NG_TOP"

LANES=${LANES:-userspace vm vm-debug kunit style vm-6.1 vm-newest}
export STYLE_KERNELS=${STYLE_KERNELS:-6.1 6.12 newest}
export DEBUG_LANE_TESTS=${DEBUG_LANE_TESTS:-0,6,2t}
# Quarantined VM tests (VM_QUARANTINE, default 70,45,2i,3c,4c,5c):
# the TCP fault run failed about one run in three to seven on a loaded
# machine: after the port relink the host controller is live but fio has
# no request in
# flight for 10 s (once instead: fio 3.33 aborted with "double free
# detected").  fio_running now dumps where the host's I/O waits when it
# fails; until that is understood make check leaves 70 out
# (VM_ARGS="tests=70" runs it).  72 was quarantined too, for EIO across
# the FC port unlink, until nvme-fcloop stopped failing the host's send
# for a command the target refused.
# Also left out, not for flakiness but for the lane's time
# (VM_ARGS="tests=..." runs each): 45 (1100 namespaces over RDMA: 685 s,
# beyond the 300 s a test gets).  2i (1100 namespaces over TCP, 200 s)
# and the ANA failover runs 3c, 4c and 5c (about 3 minutes each) pass,
# but with them the lane outgrew its then 1800 s watchdog and make check its
# hour.  The reservation tests 2k, 3b, 4b and 5b, left out until they
# passed, are back: 2k's second host identity has a port of its own, and
# 3b's read-backs of other data than the holder wrote were the bdev
# backend's (a page-crossing O_DIRECT buffer through nvme-loop).  On this
# loaded machine they took 2k 50-57 s (+3-10 s in the second boot), 3b
# 111-130 s, 4b 77-202 s, 5b 75-160 s: 5 to 9 minutes more for the lane.
# 4f (an RDMA host connected through an address change), left out while
# the host sometimes did not reconnect, is back: our DREQs from the
# removed address broke rxe's GSI QP (nvmet-rdma/park.c).
VM_LANE_EXCEPT=${VM_QUARANTINE-70,45,2i,3c,4c,5c}
case " $LANES " in
*" vm-debug "*)
	VM_LANE_EXCEPT="${DEBUG_ONLY_TESTS:-6}${VM_LANE_EXCEPT:+,$VM_LANE_EXCEPT}" ;;
esac
VM_LANE_ARGS=${VM_LANE_EXCEPT:+except=$VM_LANE_EXCEPT}
RESULTS=$NVMET_NG_TOP/results
mkdir -p "$RESULTS"

# The kernel lines other than 6.12 that the lanes need are fetched
# (scripts/kernels.sh: headers, image, host source, build root) in the
# background from the start, while the 6.12 lanes run: cold, that is about
# 11 minutes of download and debootstrap off make check's critical path;
# warm, a few seconds.  A lane that needs them waits for the fetch first
# (its log: results/kernels.log).
lines_needed() {
	local l k
	for l in $LANES; do
		case $l in
		style)	for k in $STYLE_KERNELS; do echo "$k"; done ;;
		vm-6.1)	echo 6.1 ;;
		vm-newest) echo newest ;;
		esac
	done | grep -vx 6.12 | sort -u | paste -sd' '
}
fetch_lines=$(lines_needed)
fetch_pid=
if [ -n "$fetch_lines" ]; then
	echo "=== fetching kernels $fetch_lines in the background (results/kernels.log)"
	# shellcheck disable=SC2086 # one line a word
	scripts/kernels.sh $fetch_lines > "$RESULTS/kernels.log" 2>&1 &
	fetch_pid=$!
fi
wait_fetch() {
	local st
	[ -n "$fetch_pid" ] || return 0
	wait "$fetch_pid"
	st=$?
	fetch_pid=
	echo "=== kernels $fetch_lines fetched: exit $st"
	[ $st -eq 0 ] || tail -n 20 "$RESULTS/kernels.log"
}

# The 6.12 modules that the vm lane boots, built from clean once, here:
# the style lane reads this build's output for W=1 warnings
# (STYLE_BUILD_LOG) instead of cleaning and building the same modules a
# second time, which cost make check about two minutes.
case " $LANES " in
*" vm "*|*" style "*)
	echo "=== building the 6.12 modules from clean (results/modules-6.12.log)"
	start=$(date +%s)
	make -s TEST_FABRIC=1 clean > /dev/null 2>&1
	if ! make KDIR="$(scripts/kver.sh NVMET_NG_KDIR)" TEST_FABRIC=1 modules \
		> "$RESULTS/modules-6.12.log" 2>&1; then
		tail -n 30 "$RESULTS/modules-6.12.log"
		echo "=== the 6.12 modules did not build; no lane ran"
		[ -z "$fetch_pid" ] || kill "$fetch_pid" 2>/dev/null
		echo "0 passed, 1 failed, 0 skipped"
		exit 1
	fi
	echo "=== built in $(( $(date +%s) - start ))s"
	export STYLE_BUILD_LOG=$RESULTS/modules-6.12.log ;;
esac

lane_cmd() {
	case $1 in
	style)		echo scripts/check-style.sh --lane ;;
	userspace)	echo tests/userspace/run.sh ;;
	vm)		echo tests/vm/run.sh check ;;
	vm-debug)	echo scripts/debug-kernel.sh lane ;;
	kunit)		echo scripts/kunit.sh ;;
	vm-6.1)		echo scripts/vm-line.sh 6.1 ;;
	vm-newest)	echo scripts/vm-line.sh newest ;;
	*)		return 1 ;;
	esac
}

total_pass=0 total_fail=0 total_skip=0 rc=0
reports=
for lane in $LANES; do
	cmd=$(lane_cmd "$lane") || { echo "unknown lane $lane"; exit 2; }
	log=$RESULTS/$lane.log
	start=$(date +%s)
	case $lane in style|vm-6.1|vm-newest) wait_fetch ;; esac
	echo "=== lane $lane: $cmd"
	vm_args=${VM_ARGS:-}
	[ "$lane" = vm ] && vm_args="$VM_LANE_ARGS $vm_args"
	VM_ARGS=$vm_args $cmd 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	echo "=== lane $lane: exit $status after $(( $(date +%s) - start ))s"
	if [ "$lane" = style ]; then
		line=$(grep -E '^style: [0-9]+ files clean, [0-9]+ with findings, W=1 build (clean|failed)$' \
			"$log" | tail -n 1)
		if [ -z "$line" ]; then
			line="style: no result line (exit $status)"
			rc=1
		elif [ "$status" -ne 0 ] ||
		     ! echo "$line" | grep -qE ' 0 with findings, W=1 build clean$'; then
			rc=1
		fi
		reports="$reports$line"$'\n'
		continue
	fi
	line=$(grep -E "^$lane: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$" \
		"$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "=== lane $lane: no result line; counted as 1 failure"
		total_fail=$((total_fail + 1))
		rc=1
		continue
	fi
	read -r p f s <<<"$(echo "${line#"$lane: "}" |
		sed -E 's/^([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?$/\1 \2 \4/')"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + ${s:-0}))
	# A lane that reports no failure but exits non-zero still fails.
	if [ "$f" -eq 0 ] && [ "$status" -ne 0 ]; then
		echo "=== lane $lane: exit $status with no failed test; counted as 1 failure"
		total_fail=$((total_fail + 1))
	fi
	[ "$status" -ne 0 ] && rc=1
	[ "$f" -ne 0 ] && rc=1
done

# Checker reports first, each on its own line; the test total is last.
printf '%s' "$reports"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
exit $rc
