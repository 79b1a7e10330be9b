#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Userspace lane: build the ASan and TSan flavours and run every t_*
# program in each.  A program passes when it exits 0 and prints its
# "<prog>: N passed, 0 failed" line; a sanitizer report, a crash, a leak
# or a build failure fails it.  Ends with
#   userspace: N passed, N failed, N skipped
# counting test cases over both flavours.
set -uo pipefail
cd "$(dirname "$0")"

pass=0 fail=0
if [ "${1:-}" != --no-build ]; then
	if ! make -s -j"$(nproc)" asan tsan > build.log 2>&1; then
		cat build.log
		echo "userspace: build failed"
		echo "userspace: 0 passed, 1 failed, 0 skipped"
		exit 1
	fi
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=66
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=66
# history_size=7: the longest access history TSan keeps.  With the
# default, a race against an old write (t_stress's xas_delete_node()
# stores, which tsan.supp suppresses) could come with "failed to restore
# the stack": no frame for the suppression to match, a report that failed
# about one run in ten.
export TSAN_OPTIONS="suppressions=$PWD/tsan.supp:halt_on_error=0:exitcode=66:history_size=7"

for flavour in asan tsan; do
	for prog in build/$flavour/t_*; do
		case $prog in *.o) continue ;; esac
		name=$(basename "$prog")
		out=$(timeout 600 "$prog" 2>&1)
		status=$?
		line=$(echo "$out" | grep -E "^$name: [0-9]+ passed, [0-9]+ failed$" | tail -n 1)
		echo "$out" | grep -E '^(ok|not ok) ' | sed "s/^/[$flavour] /"
		if [ -z "$line" ]; then
			echo "[$flavour] $name: no result line (exit $status)"
			echo "$out" | tail -n 40
			fail=$((fail + 1))
			continue
		fi
		p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
		f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
		if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "[$flavour] $name: exit $status (sanitizer report?)"
			echo "$out" | grep -v '^nvmet:' | tail -n 60
			f=1
		elif [ "$f" -ne 0 ]; then
			echo "$out" | grep -v '^nvmet:' | grep -v '^ok ' | tail -n 40
		fi
		pass=$((pass + p))
		fail=$((fail + f))
		echo "[$flavour] $line"
	done
done
echo "userspace: $pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
