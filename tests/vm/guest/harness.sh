#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run every test of a directory (NN-name.sh, in order) and report KTAP on
# stdout.  A test passes with exit 0, is skipped with exit 77, fails
# otherwise; it also fails, skipped or not, if the kernel log shows a
# splat while it ran.
#
#   harness.sh DIR [TIMEOUT_SECONDS]
#
# Nothing clears the kernel log.  Before each test the harness writes a
# mark to /dev/kmsg; a test's part of the log is what follows its mark up
# to the next one, so the windows tile the whole run.  After the last test
# one more case, "dmesg-after-last-test" (counted in the plan), waits for
# deferred work (frees, RCU callbacks, timers) and checks what the log
# gained since the last test ended.
#
# tests=PREFIX[,PREFIX...] in the environment (VM_ARGS="tests=2" on the
# host) runs only the tests whose file name starts with one of them;
# except=PREFIX[,PREFIX...] leaves out those whose name starts with one of
# these (make check's vm lane leaves the vm-debug lane's tests to it);
# verbose=1 shows the output of every test, not only of those that fail.
# Each test's wall time is printed as a KTAP diagnostic line before its
# result ("# NAME: N s").
#
# known_splats=NAME[,NAME...] allows a known splat of the host kernel,
# one that is neither ours nor the test's, by name: each name has its exact
# signature and the tests it may show in (known_splat below), and each
# report it drops is named in a diagnostic line ("# TEST: allowed ...").
# Any other splat in the same window still fails the test.  Only
# tests/vm/run.sh sets it, on the kernel line whose own source has the bug.
. "$(dirname "$0")/lib.sh"
FILTER=$(echo "${tests:-}" | tr ',' ' ')
EXCEPT=$(echo "${except:-}" | tr ',' ' ')
DIR=$1
TIMEOUT=${2:-${TEST_TIMEOUT:-300}}
SETTLE=${SETTLE_SECONDS:-5}
SPLAT='WARNING:|BUG:|Oops|general protection|possible recursive locking|circular locking|lockdep|refcount_t:|UBSAN|KASAN|kernel BUG|Call Trace'

# Every write to /dev/kmsg must land: lift its rate limit (10 per 5 s).
echo on > /proc/sys/kernel/printk_devkmsg 2>/dev/null
# The debug kernel's kmemleak does not scan by itself: scan after each
# test.  An object is reported once unreferenced for 5 s, so a leak from
# the end of one test may show after the next; after the last test the
# scan waits for that.  Objects left from boot are cleared first.
KMEMLEAK=/sys/kernel/debug/kmemleak
[ -w $KMEMLEAK ] || KMEMLEAK=
kmemleak_scan() {	# kmemleak_scan [WAIT_SECONDS]: print new reports
	[ -n "$KMEMLEAK" ] || return 0
	[ -n "${1:-}" ] && sleep "$1"
	echo scan > $KMEMLEAK
	cat $KMEMLEAK
	echo clear > $KMEMLEAK
}
kmemleak_scan > /dev/null

# named NAME PREFIX...: NAME starts with one of the prefixes
named() {
	n=$1
	shift
	for p in "$@"; do
		case $n in "$p"*) return 0 ;; esac
	done
	return 1
}
tests=$(for t in $(ls "$DIR"/[0-9]*.sh 2>/dev/null | sort); do
	[ -z "$FILTER" ] || named "${t##*/}" $FILTER || continue
	named "${t##*/}" $EXCEPT && continue
	echo "$t"
done)
echo "KTAP version 1"
echo "1..$(( $(echo "$tests" | grep -c .) + 1 ))"

KNOWN_SPLATS=$(echo "${known_splats:-}" | tr ',' ' ')

# known_splat NAME TEST: the window of TEST on stdin, less every complete
# report ("cut here" to "end trace") of the known splat NAME, on stdout;
# the number of reports dropped in /tmp/known.count.  NAME may drop
# reports only in the tests it names.
#
# nvme-fc-6.1-admin-q, in the FC tests (5*): Debian 6.1's nvme-fc
# (6.1.170 and later) warns in blk_mq_release() whenever the last
# reference of an FC host controller goes.  6.1's "nvme: fix admin
# request_queue lifetime" (upstream 03b3bcd319b3, CVE-2025-68265) moved
# the admin queues' blk_put_queue() into nvme_free_ctrl(), ahead of
# ctrl->ops->free_ctrl(), but 6.1 lacks its prerequisite "nvme: nvme-fc:
# move tagset removal to nvme_fc_delete_ctrl()" (upstream ea3442efabd0,
# 6.6 and 6.12 stable have it), so nvme-fc still destroys them in
# nvme_fc_ctrl_free(), after that put: the queue is released with its hctx
# never exited, and WARN_ON_ONCE fires once a boot, as the first FC
# controller (nvme discover's) goes.  It happens with the in-tree target
# and its fcloop too.  The signature: one WARNING at block/blk-mq.c:N
# blk_mq_release+, a call trace starting blk_release_queue+,
# kobject_put+, nvme_free_ctrl+ [nvme_core].
known_splat() {
	case $1 in
	nvme-fc-6.1-admin-q) ;;
	*)	echo "harness: unknown known_splats name $1" >&2
		cat
		return ;;
	esac
	case $2 in
	5*)	;;
	*)	cat
		return ;;
	esac
	awk -v count=/tmp/known.count '
	function keep_block(i) { for (i = 1; i <= n; i++) print buf[i] }
	BEGIN { dropped = 0 }
	{
		l = $0
		sub(/^\[ *[0-9.]+\] /, "", l)
		if (!inblk) {
			if (l == "------------[ cut here ]------------") {
				inblk = 1; n = 0; warns = 0; sig = 0
				intrace = 0; frames = 0; fok = 1
				buf[++n] = $0
			} else
				print
			next
		}
		buf[++n] = $0
		if (l ~ /^WARNING: /) {
			warns++
			if (l ~ /^WARNING: CPU: [0-9]+ PID: [0-9]+ at block\/blk-mq\.c:[0-9]+ blk_mq_release\+0x[0-9a-f]+\/0x[0-9a-f]+$/)
				sig = 1
		}
		if (l == "Call Trace:") {
			intrace = 1
			next
		}
		if (intrace && l !~ /^ *<TASK>$/ && frames < 3) {
			frames++
			if (frames == 1 && l !~ /^ *blk_release_queue\+0x[0-9a-f]+\/0x[0-9a-f]+$/)
				fok = 0
			if (frames == 2 && l !~ /^ *kobject_put\+0x[0-9a-f]+\/0x[0-9a-f]+$/)
				fok = 0
			if (frames == 3 && l !~ /^ *nvme_free_ctrl\+0x[0-9a-f]+\/0x[0-9a-f]+ \[nvme_core\]$/)
				fok = 0
		}
		if (l ~ /^---\[ end trace [0-9a-f]+ \]---$/) {
			inblk = 0
			if (warns == 1 && sig && frames == 3 && fok)
				dropped++
			else
				keep_block()
			n = 0
		}
	}
	END {
		if (inblk)
			keep_block()
		print dropped > count
	}'
}

# check_log NAME FROM TO: NAME's window of the log, between the marks FROM
# and TO; prints the reason and returns 1 on a splat or a lost window.
check_log() {
	win=$(dmesg_between "$2" "$3")
	case $? in
	0)	;;
	2)	echo "# $1: the kernel log no longer holds its start mark (ring buffer overrun): cannot check it"
		return 1 ;;
	*)	echo "# $1: the kernel log lacks the end mark '$3'"
		return 1 ;;
	esac
	for k in $KNOWN_SPLATS; do
		echo 0 > /tmp/known.count
		win=$(echo "$win" | known_splat "$k" "$1")
		c=$(cat /tmp/known.count)
		[ "$c" = 0 ] ||
			echo "# $1: allowed $c report(s) of the known host splat $k"
	done
	echo "$win" | grep -qE "$SPLAT" || return 0
	echo "# $1: kernel splat in dmesg:"
	echo "$win" | sed 's/^/# /'
	return 1
}

i=0
from=$(kmsg_mark "harness start")
for t in $tests; do
	i=$((i + 1))
	name=$(basename "$t" .sh)
	t0=$(cut -d' ' -f1 /proc/uptime)
	timeout -s KILL "$TIMEOUT" sh "$t" > /tmp/test.out 2>&1
	rc=$?
	echo "# $name: $(awk -v a="$t0" '{ printf "%d", $1 - a }' /proc/uptime) s"
	to=$(kmsg_mark "after $i $name")
	if ! check_log "$name" "$from" "$to"; then
		[ $rc -eq 77 ] && echo "# $name: skipped, but failed by its kernel log"
		rc=1
	fi
	[ $i -eq "$(echo "$tests" | grep -c .)" ] && wait=6 || wait=
	leaks=$(kmemleak_scan "$wait")
	if [ -n "$leaks" ]; then
		echo "# $name: kmemleak (this test or the one before):"
		echo "$leaks" | sed 's/^/# /'
		rc=1
	fi
	from=$to
	case $rc in
	0)	[ "${verbose:-0}" = 1 ] && sed 's/^/# /' /tmp/test.out
		echo "ok $i $name" ;;
	77)	echo "ok $i $name # SKIP $(tail -n 1 /tmp/test.out)" ;;
	*)	sed 's/^/# /' /tmp/test.out
		[ $rc -eq 137 ] && echo "# $name: killed after ${TIMEOUT}s"
		echo "not ok $i $name" ;;
	esac
done

# What the kernel reports once every test is over: deferred frees and
# work, RCU callbacks, timers.
i=$((i + 1))
name=dmesg-after-last-test
sleep "$SETTLE"
to=$(kmsg_mark "end")
if check_log "$name" "$from" "$to"; then
	echo "ok $i $name"
else
	echo "not ok $i $name"
fi
