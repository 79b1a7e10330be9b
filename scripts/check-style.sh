#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Style checks on our kernel sources:
#  - scripts/checkpatch.pl --strict --no-tree -f on each file
#  - scripts/kernel-doc -none -Wall on each file
#  - a W=1 build of every module with no warning, for each kernel line of
#    STYLE_KERNELS (default 6.12; make check's scripts/check.sh sets
#    "6.1 6.12 newest", which scripts/kernels.sh must have fetched); lines
#    other than 6.12 build in their copy of the checkout
#    (scripts/line-modules.sh); 6.12's is make check's own build from
#    clean when STYLE_BUILD_LOG names its output (scripts/check.sh)
#
# Ends with "style: N files clean, N with findings, W=1 build clean|failed"
# (a file is clean when neither checker has anything to say about it; the
# build is clean when it is on every kernel) and exits non-zero on any
# finding.  --lane is accepted for scripts/check.sh.
set -uo pipefail
. "$(dirname "$0")/env.sh"
cd "$NVMET_NG_TOP"

clean=0 dirty=0

CHECKPATCH=$NVMET_NG_SRC/scripts/checkpatch.pl
KERNELDOC=$NVMET_NG_SRC/scripts/kernel-doc
# Kernel sources only: the userspace lane, cfsbench, nsbench, scalebench,
# their benchlib and the fuzzer are userspace programs, not kernel code.
files=$(git ls-files '*.c' '*.h' |
	grep -v -e '^tests/userspace/' -e '^tests/bench/cfsbench.c$' \
		-e '^tests/bench/nsbench.c$' -e '^tests/bench/scalebench.c$' \
		-e '^tests/bench/benchlib\.[ch]$' \
		-e '^tests/fuzz/')

# check_one FILE: both checkers on FILE; their findings, then "ok - FILE"
# or "not ok - FILE: checkers" as the last line
check_one() {
	local f=$1 found= out
	out=$(perl "$CHECKPATCH" --strict --no-tree --quiet -f "$f" 2>&1)
	if [ $? -ne 0 ] || [ -n "$out" ]; then
		echo "$out"
		found="$found checkpatch"
	fi
	out=$(perl "$KERNELDOC" -none -Wall "$f" 2>&1)
	if [ -n "$out" ]; then
		echo "$out"
		found="$found kernel-doc"
	fi
	if [ -z "$found" ]; then
		echo "ok - $f"
	else
		echo "not ok - $f:$found"
	fi
}

# One checker process per CPU (STYLE_JOBS): checkpatch is perl and takes
# about a second a file, so one at a time cost make check minutes.  Each
# file's report goes to a file of its own and is printed in file order.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
jobs_max=${STYLE_JOBS:-$(nproc)}
i=0
for f in $files; do
	i=$((i + 1))
	check_one "$f" > "$tmp/$i" &
	while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
		wait -n
	done
done
wait
n=$i
for ((i = 1; i <= n; i++)); do
	cat "$tmp/$i"
	case $(tail -n 1 "$tmp/$i") in
	"ok - "*)	clean=$((clean + 1)) ;;
	*)		dirty=$((dirty + 1)) ;;
	esac
done

# The other lines build in their copies of the checkout
# (scripts/line-modules.sh --clean: every file compiled, so that every
# warning shows; the vm-6.1 and vm-newest lanes then reuse those builds);
# 6.12 builds in the checkout, last, so that the checkout is left with the
# modules the VM lane boots (make check builds them before this lane).
kernels=
for k in ${STYLE_KERNELS:-6.12}; do
	[ "$k" = 6.12 ] || kernels="$kernels $k"
done
case " ${STYLE_KERNELS:-6.12} " in *" 6.12 "*) kernels="$kernels 6.12" ;; esac
build=clean
for k in $kernels; do
	start=$(date +%s)
	if [ "$k" = 6.12 ] && [ -n "${STYLE_BUILD_LOG:-}" ]; then
		# make check's build from clean (scripts/check.sh): its output
		# is read, not built again.
		name=
		out=$(cat "$STYLE_BUILD_LOG")
	elif [ "$k" = 6.12 ]; then
		# The default line keeps its KDIR= form (and make check's log line).
		name=
		out=$(make -s TEST_FABRIC=1 clean >/dev/null 2>&1
		      make -s "KDIR=$(scripts/kver.sh NVMET_NG_KDIR)" TEST_FABRIC=1 modules 2>&1)
	else
		name=" ($k)"
		out=$(scripts/line-modules.sh --clean "$k" 2>&1)
	fi
	st=$?
	echo "$out" | grep -E 'warning:|error:' && st=1
	if [ $st -ne 0 ]; then
		build=failed
		echo "$out" | tail -n 20
		echo "not ok - W=1 build without warnings$name ($(( $(date +%s) - start ))s)"
	else
		echo "ok - W=1 build without warnings$name ($(( $(date +%s) - start ))s)"
	fi
done

# Not tests: scripts/check.sh reports this line apart from the test counts.
echo "style: $clean files clean, $dirty with findings, W=1 build $build"
[ $dirty -eq 0 ] && [ $build = clean ]
