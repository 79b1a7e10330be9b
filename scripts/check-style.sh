#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Style checks on our kernel sources:
#  - scripts/checkpatch.pl --strict --no-tree -f, one test per file
#  - scripts/kernel-doc -none -Wall, one test per file
#  - a W=1 build of every module with no warning
#
# With --lane, ends with "style: N passed, N failed" for scripts/check.sh.
set -uo pipefail
. "$(dirname "$0")/env.sh"
cd "$NVMET_NG_TOP"

pass=0 fail=0
result() {	# result <status> <name>
	if [ "$1" -eq 0 ]; then
		pass=$((pass + 1)); echo "ok - $2"
	else
		fail=$((fail + 1)); echo "not ok - $2"
	fi
}

CHECKPATCH=$NVMET_NG_SRC/scripts/checkpatch.pl
KERNELDOC=$NVMET_NG_SRC/scripts/kernel-doc
# Kernel sources only: the userspace lane and cfsbench are not kernel code.
files=$(git ls-files '*.c' '*.h' |
	grep -v -e '^tests/userspace/' -e '^tests/bench/cfsbench.c$')

for f in $files; do
	out=$(perl "$CHECKPATCH" --strict --no-tree --quiet -f "$f" 2>&1)
	st=$?
	[ -n "$out" ] && st=1
	[ $st -ne 0 ] && echo "$out"
	result $st "checkpatch $f"
done

for f in $files; do
	out=$(perl "$KERNELDOC" -none -Wall "$f" 2>&1)
	st=0
	[ -n "$out" ] && { st=1; echo "$out"; }
	result $st "kernel-doc $f"
done

kdir=$(scripts/kver.sh NVMET_NG_KDIR)
out=$(make -s KDIR="$kdir" TEST_FABRIC=1 clean >/dev/null 2>&1;
      make -s KDIR="$kdir" TEST_FABRIC=1 modules 2>&1)
st=$?
echo "$out" | grep -E 'warning:|error:' && st=1
result $st "W=1 build without warnings"

echo "style: $pass passed, $fail failed"
[ $fail -eq 0 ]
