#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# KUnit lane: graft our tree into drivers/ of the linux-source copy in the
# cache and run kunit.py (UML) with kunit/.kunitconfig and the debug
# fragment (PROVE_LOCKING, DEBUG_ATOMIC_SLEEP, KASAN).
#
# Ends with "kunit: N passed, N failed, N skipped".  A lockdep, KASAN or
# WARNING report in the kernel log fails the lane even when every case
# passed.
set -uo pipefail
. "$(dirname "$0")/env.sh"

SRC=$NVMET_NG_SRC
BUILD=$NVMET_NG_SCRATCH/kunit-build
JSON=$NVMET_NG_SCRATCH/kunit-results.json
SPLAT='possible recursive locking|circular locking dependency|inconsistent lock state|BUG: KASAN|BUG: sleeping function|WARNING:|BUG:|Oops|lockdep'

fail_lane() {
	echo "kunit: $*"
	echo "kunit: 0 passed, 1 failed, 0 skipped"
	exit 1
}

[ -d "$SRC/tools/testing/kunit" ] || fail_lane "no linux source at $SRC (run scripts/deps.sh)"

# The graft: a symlink and two lines, each added once.
ln -sfn "$NVMET_NG_TOP" "$SRC/drivers/nvmet-ng"
grep -q 'drivers/nvmet-ng/Kconfig' "$SRC/drivers/Kconfig" ||
	sed -i '$ s|^endmenu$|source "drivers/nvmet-ng/Kconfig"\n\nendmenu|' \
		"$SRC/drivers/Kconfig"
grep -q 'drivers/nvmet-ng/Kconfig' "$SRC/drivers/Kconfig" ||
	fail_lane "could not add our Kconfig to drivers/Kconfig"
grep -q 'nvmet-ng/' "$SRC/drivers/Makefile" ||
	echo 'obj-$(CONFIG_NVMET_NG)		+= nvmet-ng/' >> "$SRC/drivers/Makefile"

rm -f "$JSON"
"$SRC/tools/testing/kunit/kunit.py" run \
	--build_dir="$BUILD" \
	--kunitconfig="$NVMET_NG_TOP/kunit" \
	--kunitconfig="$NVMET_NG_TOP/kunit/debug.kunitconfig" \
	--jobs="$(nproc)" --json="$JSON" 'nvmet_ng_*'
status=$?

[ -f "$JSON" ] || fail_lane "kunit.py failed (exit $status) before running tests"

read -r pass fail skip < <(python3 - "$JSON" <<'PY'
import json, sys
counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
def walk(group):
    for case in group.get("test_cases", []):
        st = case.get("status", "FAIL")
        counts["PASS" if st == "PASS" else "SKIP" if st == "SKIP" else "FAIL"] += 1
    for sub in group.get("sub_groups", []):
        walk(sub)
walk(json.load(open(sys.argv[1])))
print(counts["PASS"], counts["FAIL"], counts["SKIP"])
PY
)

for opt in CONFIG_PROVE_LOCKING CONFIG_DEBUG_ATOMIC_SLEEP CONFIG_KASAN; do
	grep -q "^$opt=y" "$BUILD/.config" || {
		echo "kunit: $opt is not set in the built kernel"
		fail=$((fail + 1))
	}
done
# Only what happens once our suites run counts: UML itself warns at boot
# (arch/um/drivers/virt-pci.c, "no PCI support").
ours=$NVMET_NG_SCRATCH/kunit-ours.log
sed -n '/# Subtest: nvmet_ng_/,$p' "$BUILD/test.log" > "$ours"
if grep -E "$SPLAT" "$ours" >/dev/null 2>&1; then
	echo "kunit: kernel reports while our suites ran ($BUILD/test.log):"
	grep -E -B2 -A20 "$SPLAT" "$ours" | head -n 80
	fail=$((fail + 1))
fi
[ "$pass" -gt 0 ] || { echo "kunit: no test ran"; fail=$((fail + 1)); }

echo "kunit: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
