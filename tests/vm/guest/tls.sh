#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the NVMe/TCP TLS tests (tests/vm/tests/2d-tcp-tls.sh).
# Sourced after lib.sh and nvme.sh.
#
# TLS 1.3 on NVMe/TCP needs the kernel's net/handshake (6.5 and later),
# which hands each handshake to tlshd in user space, and PSKs in the
# .nvme keyring (nvme-keyring): the host's nvme-tcp picks the PSK for
# (host NQN, subsystem NQN) there and tlshd offers it in its ClientHello;
# the target's tlshd finds the PSK the ClientHello names in the same
# keyring (the port's).  Host and target share the guest, so one key
# inserted serves both ends.
#
# The guest's TLS tools are trixie's (tests/vm/stage-trixie.sh):
# /usr/sbin/tlshd (ktls-utils 1.0.0) and /usr/sbin/nvme-tls (nvme-cli
# 2.13 with libnvme 1.13, for gen-tls-key, connect --tls, discover
# --tls); "nvme" stays bookworm's 2.3, which has none of those.

NVME_TLS=nvme-tls
TLSHD_LOG=/tmp/e2e-tlshd.log
TLSHD_PID=

# tls_skip_without_handshake: exit 77 on a kernel without net/handshake
# or the .nvme keyring (6.1): no TLS on NVMe/TCP there
tls_skip_without_handshake() {
	grep -q ' tls_server_hello_psk$' /proc/kallsyms ||
		skip "no net/handshake in this kernel: no TLS on NVMe/TCP"
	modprobe nvme-keyring 2>/dev/null ||
		skip "no nvme-keyring in this kernel: no TLS on NVMe/TCP"
}

# tls_begin: the start of a TLS test: skip without TLS, the target
# loaded, kTLS ready, tlshd stopped at the end (tls_stop)
tls_begin() {
	e2e_begin
	tls_skip_without_handshake
	tgt_load
	tls_prep
	E2E_CLEANUP=tls_stop
}

# tls_prep: kTLS and its ciphers loaded, the .nvme keyring there, the
# tools in place.  The AES-GCM modules are loaded where the kernel has
# them as modules (7.x has no ghash-generic: GHASH is library code there).
tls_prep() {
	for m in tls nvme-keyring; do
		modprobe $m || fail "modprobe $m"
	done
	for m in gcm ghash-generic; do
		grep -q "/$m\.ko:" /lib/modules/$(uname -r)/modules.dep || continue
		modprobe $m || fail "modprobe $m"
	done
	grep -q ' keyring *\.nvme: ' /proc/keys ||
		fail "no .nvme keyring in /proc/keys after loading nvme-keyring"
	[ -x /usr/sbin/tlshd ] || fail "no tlshd in the guest (stage-trixie.sh)"
	v=$($NVME_TLS version) || fail "$NVME_TLS does not run"
	echo "$v" | sed 's/^/  /'
}

# tls_start: tlshd in the foreground of a background job, its messages
# in TLSHD_LOG; it must still run a second later (it exits at once on a
# bad configuration or without the handshake netlink family)
tls_start() {
	/usr/sbin/tlshd -s -c /etc/tlshd.conf > $TLSHD_LOG 2>&1 &
	TLSHD_PID=$!
	sleep 1
	kill -0 $TLSHD_PID 2>/dev/null || {
		sed 's/^/  tlshd: /' $TLSHD_LOG
		TLSHD_PID=
		fail "tlshd exited at start"
	}
	echo "tlshd running, pid $TLSHD_PID"
}

# tls_stop: stop tlshd and show what it logged
tls_stop() {
	[ -n "$TLSHD_PID" ] || return 0
	kill $TLSHD_PID 2>/dev/null
	wait $TLSHD_PID 2>/dev/null
	TLSHD_PID=
	[ -f $TLSHD_LOG ] && sed 's/^/  tlshd: /' $TLSHD_LOG
	return 0
}

# tls_psk_line IDENTITY_PREFIX: the /proc/keys line of the psk key whose
# description starts with IDENTITY_PREFIX
tls_psk_line() {
	awk -v id="$1" '$8 == "psk" {
		d = $0; sub(/^([^ ]+ +){8}/, "", d)
		if (index(d, id) == 1) print
	}' /proc/keys
}

# tls_key_insert HOSTNQN SUBNQN [gen-tls-key options]: a new retained PSK
# for that pair, generated and inserted into .nvme by nvme gen-tls-key;
# TLS_KEY is its interchange form (NVMeTLSkey-1:0N:...:), TLS_KEY_ID its
# serial as /proc/keys and the host's sysfs tls_key print it (8 hex
# digits), TLS_IDENTITY its description (the TLS PSK identity,
# "NVMe<v>R<hmac> HOSTNQN SUBNQN[ digest]").  The keys stay in .nvme
# until the guest powers off: nvme tls-key --revoke cannot remove them,
# since its process does not possess the keyring (the keys' permissions
# let only a possessor search: "Permission denied"), and nothing else in
# the guest can.
tls_key_insert() {
	h=$1 s=$2
	shift 2
	out=$($NVME_TLS gen-tls-key --hostnqn="$h" --subsysnqn="$s" --insert \
		"$@" 2>&1) || { echo "$out"; fail "nvme gen-tls-key --insert"; }
	echo "$out" | sed 's/^/  gen-tls-key: /'
	TLS_KEY=$(echo "$out" | grep -o 'NVMeTLSkey-1:0[12]:[^ ]*:' | head -n 1)
	[ -n "$TLS_KEY" ] || fail "gen-tls-key printed no NVMeTLSkey-1 key"
	serial=$(echo "$out" | sed -n 's/^Inserted TLS key \([0-9a-f]*\).*/\1/p')
	[ -n "$serial" ] || fail "gen-tls-key did not say it inserted the key"
	TLS_KEY_ID=$(printf '%08x' 0x$serial)
	line=$(awk -v id="$TLS_KEY_ID" '$1 == id' /proc/keys)
	[ -n "$line" ] || fail "key $TLS_KEY_ID is not in /proc/keys"
	echo "  /proc/keys: $line"
	TLS_IDENTITY=$(echo "$line" | sed 's/^\([^ ]* *\)\{8\}//; s/: [0-9]*$//')
	case $(echo "$line" | awk '{ print $8 }') in
	psk) ;;
	*) fail "key $TLS_KEY_ID is not of type psk: $line" ;;
	esac
	case $TLS_IDENTITY in
	"NVMe"[01]"R0"[12]" $h $s"|"NVMe"[01]"R0"[12]" $h $s "*) ;;
	*) fail "key $TLS_KEY_ID: identity '$TLS_IDENTITY' is not NVMe<v>R<hmac> $h $s" ;;
	esac
	echo "PSK $TLS_KEY_ID inserted, identity '$TLS_IDENTITY'"
}

# tlshd_failed: the handshakes tlshd has logged as failed so far
tlshd_failed() {
	grep -c "Handshake with .* failed" $TLSHD_LOG
}

# tls_port PORTID TRADDR TRSVCID [TREQ]: a TCP port with addr_tsas tls1.3
# (treq then reads "required"), and TREQ written after it when given; not
# linked yet
tls_port() {
	tgt_port $1 $2 $3
	p=$CFS/ports/$1
	m=$(kmsg_mark "addr_tsas tls1.3")
	if ! out=$(sh -c "echo tls1.3 > $p/addr_tsas" 2>&1); then
		dmesg_since "$m" | sed 's/^/  dmesg: /'
		[ "$TARGET" = intree ] &&
			fail "port $1: the in-tree target refused addr_tsas tls1.3 ($out)"
		fail "port $1: nvmet-ng refused addr_tsas tls1.3 ($out)"
	fi
	expect_file $p/addr_tsas tls1.3
	expect_file $p/addr_treq required
	if [ -n "${4:-}" ]; then
		write_attr $p/addr_treq "$4"
		expect_file $p/addr_treq "$4"
	fi
}

# tls_connect NQN [nvme-tls connect options]: host A connects over TCP
# (trixie's nvme-cli; --tls among the options makes it TLS)
tls_connect() {
	n=$1
	shift
	$NVME_TLS connect -t tcp -a "${TRADDR:-127.0.0.1}" -s "${TRSVCID:-4420}" \
		-n "$n" -q $HOSTNQN_A -I $HOSTID_A "$@"
}
