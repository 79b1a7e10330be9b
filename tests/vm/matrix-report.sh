#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The fio matrix's table and plot (bench 27-fio-matrix), on the host.
#
#   tests/vm/matrix-report.sh [OUT]
#
# OUT (default results/vm-bench.out) is a bench run's guest output; its
# "matrix ..." lines are kept as results/bench-matrix-icount.txt or
# results/bench-matrix-wall.txt, by the clock that run had (VM_ICOUNT=1
# or not: one boot has one clock).  The table then takes the icount
# file's samples, ours beside in-tree with their spread and ratio, and
# the wall-clock file's means as a second set of columns where it is
# there: results/bench-matrix.md, also printed.  The plot, IOPS per job
# with ours beside in-tree, one panel per fabric, is
# results/bench-matrix.svg; it needs gnuplot (gnuplot-nox, which
# "scripts/deps.sh bench", run by make bench, installs).
#
# Without OUT lines (a run without bench 27) it only rebuilds the table
# from the files there are.
set -euo pipefail
. "$(dirname "$0")/../../scripts/env.sh"

R=$NVMET_NG_TOP/results
OUT=${1:-$R/vm-bench.out}
MD=$R/bench-matrix.md
SVG=$R/bench-matrix.svg
mkdir -p "$R"

if [ -f "$OUT" ] && grep -q '^matrix-clock ' "$OUT"; then
	clock=$(sed -n 's/^matrix-clock \([a-z]*\) .*/\1/p' "$OUT" | tail -n 1)
	# the last run in OUT only (one boot, one clock)
	awk '/^matrix-clock / { n = 0 } /^matrix[- ]/ { l[++n] = $0 }
	     END { for (i = 1; i <= n; i++) print l[i] }' "$OUT" \
		> "$R/bench-matrix-$clock.txt"
fi
files=()
for c in icount wall; do
	[ -s "$R/bench-matrix-$c.txt" ] && files+=("$R/bench-matrix-$c.txt")
done
[ ${#files[@]} -gt 0 ] || { echo "matrix-report: no matrix results in $R"; exit 0; }

head=$(git -C "$NVMET_NG_TOP" describe --always --dirty 2>/dev/null || echo "?")
dat=$(mktemp)
trap 'rm -f "$dat" "$dat".*' EXIT

# One awk over both files: FILENAME says the clock.  Table to MD, the
# plot's data (means, icount where there is an icount run) to $dat.
awk -v md="$MD" -v dat="$dat" -v head="$head" -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" '
function clk(f) { return f ~ /-icount\.txt$/ ? "icount" : "wall" }
function add(list, x) { return list == "" ? x : list ", " x }
function mean(k,   n, i, s) {
	n = cnt[k]
	if (!n) return -1
	for (i = 1; i <= n; i++) s += v[k, i]
	return s / n
}
function spread(k,   n, i, lo, hi, m) {	# (max - min) / mean, in %
	n = cnt[k]
	if (n < 2) return -1
	lo = hi = v[k, 1]
	for (i = 2; i <= n; i++) {
		if (v[k, i] < lo) lo = v[k, i]
		if (v[k, i] > hi) hi = v[k, i]
	}
	m = mean(k)
	return m > 0 ? 100 * (hi - lo) / m : -1
}
function samples(k,   i, s) {
	if (bad[k]) return "failed"
	if (!cnt[k]) return "-"
	for (i = 1; i <= cnt[k]; i++) s = add(s, v[k, i])
	return s
}
function fmt(x) { return x < 0 ? "-" : sprintf("%.0f", x) }
function ratio(a, b) { return (a > 0 && b > 0) ? sprintf("%.2f", a / b) : "-" }
/^matrix-clock / {
	c = clk(FILENAME); have[c] = 1
	split($3, a, "="); secs[c] = a[2]
	split($4, a, "="); nsamp[c] = a[2]
	next
}
/^matrix / && $5 ~ /:$/ || /^matrix [a-z]*: / {	# a step that failed
	note[++nn] = clk(FILENAME) ": " $0
	next
}
/^matrix / && NF >= 7 {
	c = clk(FILENAME); have[c] = 1
	fab = $2; be = $3; tgt = $4; job = $6
	if (!(fab in fseen)) { fseen[fab] = 1; forder[++nf] = fab }
	if (!(job in jseen)) { jseen[job] = 1; jorder[++nj] = job }
	k = c SUBSEP fab SUBSEP be SUBSEP tgt SUBSEP job
	if ($7 ~ /^iops=/) {
		split($7, a, "="); v[k, ++cnt[k]] = a[2]
	} else
		bad[k] = 1
}
END {
	main = have["icount"] ? "icount" : "wall"
	print "# fio matrix, ours / in-tree (bench 27-fio-matrix)\n" > md
	printf "%s, nvmet-ng %s.  ", date, head > md
	if (have["icount"])
		printf "IOPS under `VM_ICOUNT=1` (guest time counts instructions: work per I/O), %s s per job, %s rounds of ours then in-tree in one boot, each sample listed; spread: (max - min) / mean of the worse side.  ", secs["icount"], nsamp["icount"] > md
	if (have["wall"])
		printf "Wall clock: mean IOPS of a run without icount (%s s per job, %s rounds).  ", secs["wall"], nsamp["wall"] > md
	printf "null_blk: both targets on one null_blk device; null: our null backend (in-tree has none).  4k jobs random, 128k sequential; libaio, direct, 2 I/O queues.\n\n" > md
	hdr = "| fabric | backend | job |"
	sep = "|---|---|---|"
	if (have["icount"]) {
		hdr = hdr " ours | in-tree | spread | ours / in-tree |"
		sep = sep "---|---|---|---|"
	}
	if (have["wall"]) {
		hdr = hdr " wall: ours | wall: in-tree | wall: ours / in-tree |"
		sep = sep "---|---|---|"
	}
	print hdr > md
	print sep > md
	print "fabric\tjob\tours\tin-tree\tours-null" > dat
	for (f = 1; f <= nf; f++) for (b = 1; b <= 2; b++) for (j = 1; j <= nj; j++) {
		fab = forder[f]; be = b == 1 ? "null_blk" : "null"; job = jorder[j]
		row = "| " fab " | " be " | " job " |"
		any = 0
		if (have["icount"]) {
			o = "icount" SUBSEP fab SUBSEP be SUBSEP "ours" SUBSEP job
			t = "icount" SUBSEP fab SUBSEP be SUBSEP "in-tree" SUBSEP job
			any += cnt[o] + cnt[t] + bad[o] + bad[t]
			so = spread(o); st = spread(t)
			sp = so > st ? so : st
			if (be == "null")
				row = row " " samples(o) " | n/a | " (so < 0 ? "-" : sprintf("%.1f %%", so)) " | n/a |"
			else
				row = row " " samples(o) " | " samples(t) " | " (sp < 0 ? "-" : sprintf("%.1f %%", sp)) " | " ratio(mean(o), mean(t)) " |"
		}
		if (have["wall"]) {
			o = "wall" SUBSEP fab SUBSEP be SUBSEP "ours" SUBSEP job
			t = "wall" SUBSEP fab SUBSEP be SUBSEP "in-tree" SUBSEP job
			any += cnt[o] + cnt[t] + bad[o] + bad[t]
			if (be == "null")
				row = row " " fmt(mean(o)) " | n/a | n/a |"
			else
				row = row " " fmt(mean(o)) " | " fmt(mean(t)) " | " ratio(mean(o), mean(t)) " |"
		}
		if (any)
			print row > md
	}
	for (f = 1; f <= nf; f++) for (j = 1; j <= nj; j++) {
		fab = forder[f]; job = jorder[j]
		p = main SUBSEP fab SUBSEP "null_blk" SUBSEP
		q = main SUBSEP fab SUBSEP "null" SUBSEP
		printf "%s\t%s\t%s\t%s\t%s\n", fab, job, fmt(mean(p "ours" SUBSEP job)),
		       fmt(mean(p "in-tree" SUBSEP job)), fmt(mean(q "ours" SUBSEP job)) > dat
	}
	if (nn) {
		print "\nFailed steps:\n" > md
		for (i = 1; i <= nn; i++)
			print "- " note[i] > md
	}
	printf "main %s\n", main > "/dev/stderr"
}' "${files[@]}" 2> "$dat.main"
main=$(sed -n 's/^main //p' "$dat.main")
rm -f "$dat.main"

if command -v gnuplot > /dev/null; then
	fabrics=$(awk -F'\t' 'NR > 1 && !s[$1]++ { printf "%s ", $1 }' "$dat")
	n=$(echo $fabrics | wc -w)
	rows=$(( (n + 1) / 2 ))
	cols=2
	[ "$n" -eq 1 ] && cols=1
	{
		echo "set terminal svg size $((cols * 640)),$((rows * 420)) dynamic font 'sans,11'"
		echo "set output '$SVG'"
		echo "set datafile separator tab"
		echo "set datafile missing '-'"
		echo "set style data histograms"
		echo "set style histogram clustered gap 1"
		echo "set style fill solid 0.8 border -1"
		echo "set boxwidth 0.9"
		echo "set key outside bottom center horizontal"
		echo "set yrange [0:*]"
		echo "set ylabel 'IOPS ($main)'"
		echo "set xtics rotate by -30"
		echo "set grid ytics"
		echo "set multiplot layout $rows,$cols title 'fio matrix: ours beside in-tree ($main, nvmet-ng $head)'"
		for f in $fabrics; do
			echo "set title '$f'"
			awk -F'\t' -v f="$f" '$1 == f' "$dat" > "$dat.$f"
			echo "plot '$dat.$f' using 3:xtic(2) title 'ours, null\\_blk' lc rgb '#1f77b4', '' using 4 title 'in-tree, null\\_blk' lc rgb '#d62728', '' using 5 title 'ours, null backend' lc rgb '#7fb2e0'"
		done
		echo "unset multiplot"
	} > "$dat.gp"
	if gnuplot "$dat.gp" 2> "$dat.err"; then
		echo "![fio matrix](bench-matrix.svg)" >> "$MD"
	else
		echo "matrix-report: gnuplot failed:"; sed 's/^/    /' "$dat.err"
	fi
	rm -f "$dat".*
else
	echo "matrix-report: no gnuplot, no plot (scripts/deps.sh bench installs gnuplot-nox)"
fi

cat "$MD"
echo "matrix-report: $MD${main:+ ($main)}"
