# SPDX-License-Identifier: GPL-2.0-only
# Summarise cfsbench lines: setup time with 1 and 4 processes, their
# ratio, and the unrelated operations' p99 and max with 4 processes, per
# label; then ours against in-tree where both ran with the same delay.
#   awk -v D=DELAY_MS -v N=PORTS -v TITLE=TEXT -f seed-report.awk FILE
function val(line, key,    i, f, kv) {
	f = split(line, kv, " ")
	for (i = 1; i <= f; i++)
		if (index(kv[i], key "=") == 1)
			return substr(kv[i], length(key) + 2)
	return ""
}
/^cfsbench / {
	label = $2; procs = val($0, "procs")
	setup[label, procs] = val($0, "setup_ms")
	p99[label, procs] = val($0, "noise_p99_ms")
	mx[label, procs] = val($0, "noise_max_ms")
	if (seen[label]++ == 0)
		order[++n] = label
}
END {
	printf "\n%s, %d ports, add_port delay %d ms\n", TITLE, N, D
	printf "%-12s %12s %12s %8s %16s %16s\n", "target", "1 proc (s)",
	       "4 procs (s)", "speedup", "unrelated p99 ms", "unrelated max ms"
	for (i = 1; i <= n; i++) {
		l = order[i]
		s1 = setup[l, 1] / 1000; s4 = setup[l, 4] / 1000
		# (a bare ">" among printf arguments would redirect the output)
		ratio = 0
		if (s4 > 0)
			ratio = s1 / s4
		printf "%-12s %12.2f %12.2f %7.2fx %16s %16s\n", l, s1, s4,
		       ratio, p99[l, 4], mx[l, 4]
	}
	if (setup["in-tree", 4] > 0 && setup["ours", 4] > 0)
		printf "ours vs in-tree, 4 processes, same delay: %.2fx faster\n",
		       setup["in-tree", 4] / setup["ours", 4]
}
