#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# KUnit lane: graft our tree into drivers/ of the linux-source copy in the
# cache and run kunit.py (UML) with kunit/.kunitconfig and the debug
# fragment (PROVE_LOCKING, DEBUG_ATOMIC_SLEEP, KASAN).
#
# Ends with "kunit: N passed, N failed, N skipped".  A lockdep, KASAN or
# WARNING report in the kernel log fails the lane even when every case
# passed, and so does a suite that ran fewer (or more) cases than
# kunit/*.c declares.
set -uo pipefail
. "$(dirname "$0")/env.sh"

fail_lane() {
	echo "kunit: $*"
	echo "kunit: 0 passed, 1 failed, 0 skipped"
	exit 1
}

# The graft below changes the source tree: a checkout with a scratch
# directory of its own grafts into a private copy (hard links, about no
# space), so checkouts testing at once neither share nor undo each
# other's graft.  The graft only ever replaces files, never writes into
# a linked one.
SRC=$NVMET_NG_SRC
if [ "$NVMET_NG_SCRATCH" != "$NVMET_NG_CACHE" ]; then
	[ -d "$NVMET_NG_SRC/tools/testing/kunit" ] ||
		fail_lane "no linux source at $NVMET_NG_SRC (run scripts/deps.sh)"
	SRC=$NVMET_NG_SCRATCH/linux-src
	if [ ! -d "$SRC/tools/testing/kunit" ]; then
		rm -rf "$SRC.tmp"
		mkdir -p "$NVMET_NG_SCRATCH"
		cp -al "$NVMET_NG_SRC" "$SRC.tmp" && mv "$SRC.tmp" "$SRC" ||
			fail_lane "could not link a private copy of $NVMET_NG_SRC"
	fi
fi
BUILD=$NVMET_NG_SCRATCH/kunit-build
JSON=$NVMET_NG_SCRATCH/kunit-results.json
SPLAT='possible recursive locking|circular locking dependency|inconsistent lock state|BUG: KASAN|BUG: sleeping function|WARNING:|BUG:|Oops|lockdep'

[ -d "$SRC/tools/testing/kunit" ] || fail_lane "no linux source at $SRC (run scripts/deps.sh)"

# The graft: a symlink and two lines, each added once.
ln -sfn "$NVMET_NG_TOP" "$SRC/drivers/nvmet-ng"
grep -q 'drivers/nvmet-ng/Kconfig' "$SRC/drivers/Kconfig" ||
	sed -i '$ s|^endmenu$|source "drivers/nvmet-ng/Kconfig"\n\nendmenu|' \
		"$SRC/drivers/Kconfig"
grep -q 'drivers/nvmet-ng/Kconfig' "$SRC/drivers/Kconfig" ||
	fail_lane "could not add our Kconfig to drivers/Kconfig"
if ! grep -q 'nvmet-ng/' "$SRC/drivers/Makefile"; then
	{ cat "$SRC/drivers/Makefile"
	  echo 'obj-$(CONFIG_NVMET_NG)		+= nvmet-ng/'; } > "$SRC/drivers/Makefile.new" &&
		mv "$SRC/drivers/Makefile.new" "$SRC/drivers/Makefile" ||
		fail_lane "could not add our directory to drivers/Makefile"
fi

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

# Every case the suites declare must have run: a suite left out of the
# build or of kunit_test_suites(), a case array cut short, or a crash that
# ends a suite early would otherwise pass with fewer cases.  Declared: the
# KUNIT_CASE*() entries of each suite's case array in kunit/*.c.  Run: the
# suite's top-level results (a parameterised case counts once).  The
# suites' own KTAP plans in the log must agree with both.
python3 - "$JSON" "$BUILD/test.log" "$NVMET_NG_TOP"/kunit/*.c <<'PY'
import json, re, sys
json_path, log_path, sources = sys.argv[1], sys.argv[2], sys.argv[3:]
declared, problems = {}, []
for path in sources:
    src = re.sub(r'/\*.*?\*/|//[^\n]*', '', open(path).read(), flags=re.S)
    arrays = {m.group(1): len(re.findall(r'\bKUNIT_CASE\w*\s*\(', m.group(2)))
              for m in re.finditer(r'struct\s+kunit_case\s+(\w+)\s*\[\s*\]\s*=\s*\{(.*?)\};',
                                   src, re.S)}
    registered = set()
    for m in re.finditer(r'kunit_test_suites?\s*\((.*?)\);', src, re.S):
        registered |= set(re.findall(r'&?\s*(\w+)', m.group(1)))
    for m in re.finditer(r'struct\s+kunit_suite\s+(\w+)\s*=\s*\{(.*?)\};', src, re.S):
        var, body = m.group(1), m.group(2)
        name = re.search(r'\.name\s*=\s*"([^"]+)"', body)
        cases = re.search(r'\.test_cases\s*=\s*(\w+)', body)
        if not name or not cases or cases.group(1) not in arrays:
            problems.append(f"{path}: cannot read suite {var}")
            continue
        if var not in registered:
            problems.append(f"{path}: suite {name.group(1)} is not registered")
        declared[name.group(1)] = arrays[cases.group(1)]
ran = {}
def walk(group):
    for sub in group.get("sub_groups", []):
        if sub.get("name", "").startswith("nvmet_ng_"):
            ran[sub["name"]] = len(sub.get("test_cases", [])) + len(sub.get("sub_groups", []))
        else:
            walk(sub)
walk(json.load(open(json_path)))
# KTAP: "# Subtest: <suite>" then the suite's plan "1..N".
planned, suite = {}, None
for line in open(log_path, errors="replace"):
    line = line.strip()
    m = re.match(r'(?:\[[^]]*\]\s*)?# Subtest: (\S+)$', line)
    if m:
        suite = m.group(1)
        continue
    m = re.match(r'(?:\[[^]]*\]\s*)?1\.\.(\d+)$', line)
    if m and suite:
        planned.setdefault(suite, int(m.group(1)))
        suite = None
for name in sorted(set(declared) | set(ran)):
    d, r, p = declared.get(name), ran.get(name), planned.get(name)
    print(f"kunit: suite {name}: {d} declared, {r} run, plan {p}")
    if d is None:
        problems.append(f"suite {name} ran but is not declared in kunit/*.c")
    elif r != d or p != d:
        problems.append(f"suite {name}: {d} cases declared, {r} run, KTAP plan {p}")
print(f"kunit: {sum(declared.values())} cases declared, {sum(v for v in ran.values())} run")
for p in problems:
    print(f"kunit: {p}")
sys.exit(1 if problems else 0)
PY
[ $? -eq 0 ] || fail=$((fail + 1))

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
