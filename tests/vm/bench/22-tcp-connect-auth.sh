#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# What DH-HMAC-CHAP costs at connect time, ours against Debian's in-tree
# nvmet-tcp in the same boot: the wall time of `nvme connect` (Connect of
# the admin queue and of each I/O queue, with their authentication, until
# the controller is live) and of the `nvme disconnect` after it, over
# NVMe/TCP on 127.0.0.1, for each configuration of BENCH_CONNECT_CONFIGS:
#   none                 host allowed, no keys
#   sha256-null-uni      host key, hmac(sha256), no DH exchange
#   sha512-ffdhe2048-bi  host and controller keys, hmac(sha512), ffdhe2048
#   sha512-ffdhe8192-bi  the same with the largest group (about 1.5 s a
#                        connect under TCG)
# (HASH-DHGROUP-uni|bi; commas between configurations).  The subsystem has
# no namespace (no scan I/O races the disconnect), allows only host A, and
# its host entry is made afresh for each configuration, on both targets.
#
# Rounds alternate the targets (ours, in-tree; then in-tree, ours; ...),
# each loading its modules, running every configuration and unloading
# them, so that drift of the machine (other load on the host, TCG's
# translation cache) falls on both alike.  Each configuration starts with
# one untimed cycle (the first use loads crypto modules and allocates the
# transforms).  Times come from /proc/uptime (10 ms steps), read by the
# shell itself.  Run it with VM_ICOUNT=1 (tests/vm/run.sh: guest time
# counts instructions) for ratios that repeat; without, these are
# wall-clock times under TCG, which swing with the load on the host: each
# round's mean and each connect's time are printed as the rounds run, and
# the table gives the range of the ratio over the rounds, so a run can be
# judged by its own spread.
#
# Expect ours to be slower with a DH group: ours makes a fresh ephemeral
# key pair for every queue's exchange, in-tree one per controller, reused
# by its I/O queues (nvmet_setup_dhgroup()); with 2 I/O queues that is two
# more key pairs per connect.
#
# Every timed and untimed cycle is checked in the host's kernel log: with
# a key, each connect logs "qid 0: authenticated with hash H dhgroup G"
# with the configuration's hash and group (and, bidirectional, "qid 0:
# controller authenticated"); without one, neither.  A connect that fails,
# an authentication failure in the log, or a count that does not match
# drops that configuration's numbers for that target and prints
# "connect-auth: FAILED ...".
#
# Environment: BENCH_CONNECT_CYCLES (timed cycles per configuration and
# target, default 20, split over the rounds), BENCH_CONNECT_ROUNDS
# (default 4), BENCH_CONNECT_QUEUES (I/O queues, nvme connect -i,
# default 2), BENCH_CONNECT_CONFIGS (above).  Sourced by guest/bench.sh.
. /vm/guest/nvme.sh
. /vm/guest/dhchap.sh

CA_CYCLES=${BENCH_CONNECT_CYCLES:-20}
CA_ROUNDS=${BENCH_CONNECT_ROUNDS:-4}
CA_QUEUES=${BENCH_CONNECT_QUEUES:-2}
CA_CONFIGS=$(echo "${BENCH_CONNECT_CONFIGS:-none,sha256-null-uni,sha512-ffdhe2048-bi,sha512-ffdhe8192-bi}" |
	tr ',' ' ')
CA_PER=$(( (CA_CYCLES + CA_ROUNDS - 1) / CA_ROUNDS ))	# cycles per round
CA_OUT=/tmp/tcp-connect-auth.txt
CA_NQN=nqn.2026-11.io.nvmet-ng:bench-auth
CA_H=$CFS/hosts/$HOSTNQN_A
: > "$CA_OUT"

# ca_now: the uptime in ms in CA_T, without a fork
ca_now() {
	read -r ca_up _ < /proc/uptime
	CA_T=$(( ${ca_up%.*}${ca_up#*.} * 10 ))
}

ca_fail() {	# ca_fail TARGET CONFIG WHY
	echo "connect-auth: FAILED $1 $2: $3" | tee -a "$CA_OUT"
}

ca_load() {
	if [ "$1" = ours ]; then
		modprobe nvmet && modprobe nvmet-tcp
	else
		$INTREE_LOAD nvmet && $INTREE_LOAD nvmet-tcp
	fi || return 1
	mkdir $CFS/subsystems/$CA_NQN &&
		echo 0 > $CFS/subsystems/$CA_NQN/attr_allow_any_host &&
		mkdir $CFS/ports/1 && echo tcp > $CFS/ports/1/addr_trtype &&
		echo ipv4 > $CFS/ports/1/addr_adrfam &&
		echo 127.0.0.1 > $CFS/ports/1/addr_traddr &&
		echo 4420 > $CFS/ports/1/addr_trsvcid &&
		ln -s $CFS/subsystems/$CA_NQN $CFS/ports/1/subsystems/$CA_NQN
}

# ca_unload: whatever ca_load and a configuration left, then the modules
# (either target's: the same names)
ca_unload() {
	nvme disconnect -n $CA_NQN > /dev/null 2>&1
	rm -f $CFS/subsystems/$CA_NQN/allowed_hosts/$HOSTNQN_A
	rmdir $CA_H 2>/dev/null
	rm -f $CFS/ports/1/subsystems/$CA_NQN
	rmdir $CFS/ports/1 $CFS/subsystems/$CA_NQN 2>/dev/null
	rmmod nvmet_tcp nvmet ||
		echo "connect-auth: cannot unload the $1 target"
}

# ca_host CONFIG: host A's entry for CONFIG, allowed into the subsystem;
# sets CA_ARGS (the key options of nvme connect), CA_HASH, CA_GROUP,
# CA_BI for the checks
ca_host() {
	CA_ARGS= CA_HASH= CA_GROUP= CA_BI=
	mkdir $CA_H || return 1
	if [ "$1" != none ]; then
		CA_HASH=hmac\(${1%%-*}\)
		CA_GROUP=${1#*-}
		CA_GROUP=${CA_GROUP%-*}
		case ${1##*-} in bi) CA_BI=1 ;; uni) ;; *) return 1 ;; esac
		echo "$DH_K00" > $CA_H/dhchap_key &&
			echo "$CA_HASH" > $CA_H/dhchap_hash &&
			echo "$CA_GROUP" > $CA_H/dhchap_dhgroup || return 1
		CA_ARGS=--dhchap-secret=$DH_K00
		if [ -n "$CA_BI" ]; then
			echo "$DH_K00C" > $CA_H/dhchap_ctrl_key || return 1
			CA_ARGS="$CA_ARGS --dhchap-ctrl-secret=$DH_K00C"
		fi
	fi
	ln -s $CA_H $CFS/subsystems/$CA_NQN/allowed_hosts/$HOSTNQN_A
}

ca_host_gone() {
	rm -f $CFS/subsystems/$CA_NQN/allowed_hosts/$HOSTNQN_A
	rmdir $CA_H
}

# ca_cycle: one connect and disconnect; CA_C and CA_D their times in ms
ca_cycle() {
	ca_now
	t0=$CA_T
	# shellcheck disable=SC2086 # CA_ARGS is a list of options
	nvme connect -t tcp -a 127.0.0.1 -s 4420 -n $CA_NQN \
		-q $HOSTNQN_A -I $HOSTID_A -i $CA_QUEUES $CA_ARGS \
		> /tmp/ca-conn.out 2>&1 || return 1
	ca_now
	CA_C=$((CA_T - t0))
	t0=$CA_T
	nvme disconnect -n $CA_NQN > /tmp/ca-conn.out 2>&1 || return 2
	ca_now
	CA_D=$((CA_T - t0))
}

# ca_checked MARK N: the kernel log after MARK shows N connects that
# authenticated as the configuration asks (none: no authentication), and
# no failure
ca_checked() {
	dmesg | awk -v m="$1" -v n="$2" -v h="$CA_HASH" -v g="$CA_GROUP" \
		-v bi="$CA_BI" '
	!on { if (index($0, m)) on = 1; next }
	/authenticat/ && /fail|error|did not/ { bad++; if (!why) why = $0 }
	index($0, "qid 0: authenticated with hash " h " dhgroup " g) { ok++ }
	# fabrics.c logs "qid 0: authenticated" once the exchange ended,
	# auth.c the hash and group before it
	/qid 0: authenticated$/ { done++ }
	/qid 0: authenticated/ { any++ }
	/qid 0: controller authenticated/ { ctl++ }
	END {
		want = h == "" ? 0 : n
		if (!on) why = "the log mark is gone"
		else if (bad) ;
		else if (ok != want || done != want || any != 2 * want)
			why = sprintf("%d of %d connects authenticated as %s %s (%d finished, %d log lines in all)",
				      ok, n, h == "" ? "none" : h, g, done, any)
		else if (ctl != (bi ? n : 0))
			why = sprintf("controller authenticated %d times in %d connects%s",
				      ctl, n, bi ? "" : " (unidirectional)")
		if (why) { print why; exit 1 }
	}'
}

# ca_config TARGET CONFIG ROUND: one untimed cycle and CA_PER timed ones,
# each appended to CA_OUT as "cycle TARGET CONFIG ROUND connect_ms
# disconnect_ms" once the log shows they authenticated as CONFIG asks
ca_config() {
	ca_host "$2" || { ca_fail "$1" "$2" "cannot configure host A"; ca_host_gone 2>/dev/null; return 1; }
	mark="connect-auth-mark $(cat /proc/sys/kernel/random/uuid)"
	echo "$mark" > /dev/kmsg
	n=0 res=
	while [ $n -le $CA_PER ]; do
		if ! ca_cycle; then
			ca_fail "$1" "$2" "cycle $n: $(tr '\n' ' ' < /tmp/ca-conn.out)"
			nvme disconnect -n $CA_NQN > /dev/null 2>&1
			ca_host_gone
			return 1
		fi
		[ $n -gt 0 ] && res="$res
cycle $1 $2 $3 $CA_C $CA_D"
		n=$((n + 1))
	done
	ca_host_gone
	why=$(ca_checked "$mark" $n) || { ca_fail "$1" "$2" "$why"; return 1; }
	echo "$res" | sed '/^$/d' >> "$CA_OUT"
	echo "$res" | awk -v t="$1" -v c="$2" -v r="$3" '
		NF { s += $5; d += $6; k++; each = each " " $5 }
		END { printf "round %d %-8s %-20s connect %5d ms, disconnect %4d ms; connects:%s\n",
			     r, t, c, s / k, d / k, each }'
}

ca_round() {	# ca_round TARGET ROUND
	if ! ca_load "$1"; then
		ca_fail "$1" all "cannot load and configure the target"
		ca_unload "$1"
		return 1
	fi
	for c in $CA_CONFIGS; do
		ca_config "$1" "$c" "$2"
	done
	ca_unload "$1"
}

echo "==> connect time with and without DH-HMAC-CHAP, $CA_QUEUES I/O queues, $CA_PER cycles x $CA_ROUNDS rounds"
modprobe nvme-tcp || return 1
if [ ! -d /sys/module/nvme_auth ]; then
	echo "connect-auth: no nvme-auth in this kernel: only the configuration without keys"
	CA_CONFIGS=none
fi
r=1
while [ $r -le "$CA_ROUNDS" ]; do
	if [ $((r % 2)) = 1 ]; then
		ca_round ours $r
		ca_round in-tree $r
	else
		ca_round in-tree $r
		ca_round ours $r
	fi
	r=$((r + 1))
done

clock="wall clock (no icount)"
[ "${icount:-0}" = 1 ] && clock="guest time (icount)"
awk -v q="$CA_QUEUES" -v per="$CA_PER" -v rounds="$CA_ROUNDS" -v clock="$clock" \
    -v configs="$CA_CONFIGS" '
/^cycle / {
	k = $2 SUBSEP $3
	c[k] += $5; d[k] += $6; n[k]++
	kr = k SUBSEP $4
	rc[kr] += $5; rn[kr]++
}
/^connect-auth: FAILED / { cf = $4; sub(/:$/, "", cf); failed[$3, cf] = 1 }
function cell(t, cf) {
	return n[t, cf] && !failed[t, cf]
}
# rratios CONFIG: the range of ours / in-tree over the rounds (the two
# means of a round are taken minutes apart at most)
function rratios(cf,    r, m, lo, hi) {
	lo = -1
	for (r = 1; r <= rounds; r++) {
		if (!rn["ours", cf, r] || !rn["in-tree", cf, r] ||
		    !rc["in-tree", cf, r])
			continue
		m = rc["ours", cf, r] / rn["ours", cf, r]
		m /= rc["in-tree", cf, r] / rn["in-tree", cf, r]
		if (lo < 0 || m < lo) lo = m
		if (m > hi) hi = m
	}
	return lo < 0 ? "-" : sprintf("%.2f-%.2f", lo, hi)
}
END {
	printf "\nnvme connect over NVMe/TCP on 127.0.0.1, %d I/O queues, mean ms per connect (%d cycles per target: %d rounds of %d), %s\n",
	       q, per * rounds, rounds, per, clock
	printf "%-22s %9s %9s %7s %11s %12s %7s %13s\n", "configuration",
	       "ours", "in-tree", "ratio", "ours+disc", "in-tree+disc",
	       "ratio", "round ratios"
	nc = split(configs, cfg, " ")
	for (i = 1; i <= nc; i++) {
		cf = cfg[i]
		o = cell("ours", cf); t = cell("in-tree", cf)
		oc = o ? c["ours", cf] / n["ours", cf] : 0
		tc = t ? c["in-tree", cf] / n["in-tree", cf] : 0
		od = o ? (c["ours", cf] + d["ours", cf]) / n["ours", cf] : 0
		td = t ? (c["in-tree", cf] + d["in-tree", cf]) / n["in-tree", cf] : 0
		# (in parentheses: a bare ">" in the list of printf redirects)
		printf("%-22s %9s %9s %7s %11s %12s %7s %13s\n", cf,
		       o ? sprintf("%d", oc) : "failed",
		       t ? sprintf("%d", tc) : "failed",
		       o && t && tc > 0 ? sprintf("%.2fx", oc / tc) : "-",
		       o ? sprintf("%d", od) : "-", t ? sprintf("%d", td) : "-",
		       o && t && td > 0 ? sprintf("%.2fx", od / td) : "-",
		       o && t ? rratios(cf) : "-")
		if (o && t)
			res = res sprintf("connect-auth: %s ours_ms=%d intree_ms=%d ratio=%.2f cycles=%d/%d queues=%d\n",
					  cf, oc, tc, oc / tc, n["ours", cf],
					  n["in-tree", cf], q)
		else
			res = res sprintf("connect-auth: %s failed on %s\n", cf,
					  o ? "in-tree" : t ? "ours" : "both")
	}
	printf "%s", res
}' "$CA_OUT"
