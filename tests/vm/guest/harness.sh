#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run every test of a directory (NN-name.sh, in order) and report KTAP on
# stdout.  A test passes with exit 0, is skipped with exit 77, fails
# otherwise; it also fails if dmesg shows a kernel splat while it ran.
#
#   harness.sh DIR [TIMEOUT_SECONDS]
#
# tests=PREFIX[,PREFIX...] in the environment (VM_ARGS="tests=2" on the
# host) runs only the tests whose file name starts with one of them.
FILTER=$(echo "${tests:-}" | tr ',' ' ')
DIR=$1
TIMEOUT=${2:-${TEST_TIMEOUT:-300}}
SPLAT='WARNING:|BUG:|Oops|general protection|possible recursive locking|circular locking|lockdep|refcount_t:|UBSAN|KASAN|kernel BUG|Call Trace'

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

tests=$(ls "$DIR"/[0-9]*.sh 2>/dev/null | sort)
if [ -n "$FILTER" ]; then
	tests=$(for t in $tests; do
		for p in $FILTER; do
			case ${t##*/} in "$p"*) echo "$t"; break ;; esac
		done
	done)
fi
echo "KTAP version 1"
echo "1..$(echo "$tests" | grep -c .)"
i=0
for t in $tests; do
	i=$((i + 1))
	name=$(basename "$t" .sh)
	dmesg -c > /dev/null
	timeout -s KILL "$TIMEOUT" sh "$t" > /tmp/test.out 2>&1
	rc=$?
	splat=$(dmesg | grep -E "$SPLAT")
	if [ -n "$splat" ] && [ $rc -ne 77 ]; then
		echo "# $name: kernel splat in dmesg:"
		dmesg | sed 's/^/# /'
		rc=1
	fi
	[ $i -eq "$(echo "$tests" | grep -c .)" ] && wait=6 || wait=
	leaks=$(kmemleak_scan "$wait")
	if [ -n "$leaks" ]; then
		echo "# $name: kmemleak (this test or the one before):"
		echo "$leaks" | sed 's/^/# /'
		rc=1
	fi
	case $rc in
	0)	echo "ok $i $name" ;;
	77)	echo "ok $i $name # SKIP $(tail -n 1 /tmp/test.out)" ;;
	*)	sed 's/^/# /' /tmp/test.out
		[ $rc -eq 137 ] && echo "# $name: killed after ${TIMEOUT}s"
		echo "not ok $i $name" ;;
	esac
done
