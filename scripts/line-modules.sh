#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build our modules (with the test fabric) for one kernel line, in a copy
# of the checkout, so that the checkout keeps the modules of the 6.12 VM
# lane.  Every lane that needs modules for a kernel other than the
# checkout's gets them here, and only here: the one place to switch to
# modules built another way (DKMS).
#
#   scripts/line-modules.sh [--clean] LINE [OUTDIR]
#
# LINE      6.1, 6.12, newest (scripts/env.sh's NVMET_NG_KERNEL) or debug
#           (the debug kernel of scripts/debug-kernel.sh, which must be
#           built)
# OUTDIR    where the copy is built and the *.ko files end up (default
#           $NVMET_NG_SCRATCH/modules-LINE; debug: $NVMET_NG_DEBUG_MODTOP).
#           The VM lane takes them from there: NVMET_NG_MODTOP=OUTDIR.
# --clean   start from a fresh copy, so that every file is compiled and
#           every W=1 warning shows (the style lane)
#
# The copy is what git tracks or would track, unpacked with the sources'
# mtimes: make rebuilds only what changed since the last build there.
# LINE_JOBS sets make -j (default: the number of CPUs).
# Exits with make's status; make's output is this script's.
set -euo pipefail
. "$(dirname "$0")/env.sh"

clean=
if [ "${1:-}" = --clean ]; then
	clean=1
	shift
fi
LINE=${1:?usage: $0 [--clean] LINE [OUTDIR]}
case $LINE in
6.1|6.12|newest)
	OUTDIR=${2:-$NVMET_NG_SCRATCH/modules-$LINE}
	build=(KERNEL="$LINE") ;;
debug)	OUTDIR=${2:-$NVMET_NG_DEBUG_MODTOP}
	build=(KDIR="$NVMET_NG_DEBUG_KDIR" NVME_HOST_SRC="$NVMET_NG_SRC/drivers/nvme/host") ;;
*)	echo "line-modules: unknown line $LINE (6.1, 6.12, newest, debug)" >&2
	exit 2 ;;
esac
[ "$(cd "$NVMET_NG_TOP" && pwd -P)" != "$(mkdir -p "$OUTDIR" && cd "$OUTDIR" && pwd -P)" ] || {
	echo "line-modules: OUTDIR is the checkout; build there with make" >&2
	exit 2
}

# A copy last filled from another checkout (a worktree sharing the scratch
# directory) may hold objects newer than this checkout's sources, which tar
# unpacks with their own mtimes: make would keep the other checkout's
# objects.  Such a copy starts afresh.
src=$(cd "$NVMET_NG_TOP" && pwd -P)
if [ -f "$OUTDIR/.nvmet-ng-source" ] &&
   [ "$(cat "$OUTDIR/.nvmet-ng-source")" != "$src" ]; then
	echo "line-modules: $OUTDIR was built from $(cat "$OUTDIR/.nvmet-ng-source"); starting afresh" >&2
	clean=1
fi

# --clean starts from an empty copy rather than running kbuild's clean: with
# a headers Makefile that names another tree (a cache copied elsewhere),
# 7.x's clean deletes the headers' own Module.symvers.
if [ -n "$clean" ] && [ -e "$OUTDIR" ]; then
	# (empty: the checkout test above has just made it)
	[ -f "$OUTDIR/Kbuild" ] || [ -z "$(ls -A "$OUTDIR")" ] || {
		echo "line-modules: $OUTDIR is not a copy of ours; not removing it" >&2
		exit 2
	}
	rm -rf "$OUTDIR"
fi
mkdir -p "$OUTDIR"
echo "$src" > "$OUTDIR/.nvmet-ng-source"
(cd "$NVMET_NG_TOP" && git ls-files --cached --others --exclude-standard |
	while read -r f; do [ -e "$f" ] && echo "$f"; done |
	tar -c -T - -f -) | tar -x -C "$OUTDIR" -f -
exec make -C "$OUTDIR" -j"${LINE_JOBS:-$(nproc)}" "${build[@]}" TEST_FABRIC=1 modules
