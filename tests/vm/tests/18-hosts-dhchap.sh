#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# hosts/<NQN>/dhchap_*: defaults, every accepted value and its read-back,
# every refused value and its errno, as Debian's in-tree target has them.
# TARGET=intree runs the same checks against the in-tree nvmet; the lines
# marked "ours" are our documented deviations (key files 0600, an empty
# line clears a key).  A kernel without nvme-auth (6.1): nvmet-ng keeps
# the defaults only, and the test checks that instead.
. /vm/guest/lib.sh
TARGET=${TARGET:-ours}
if [ "$TARGET" = intree ]; then
	intree_load nvmet || fail "insmod in-tree nvmet"
else
	modprobe nvmet || fail "modprobe nvmet"
fi
echo "target: $TARGET"
H=$CFS/hosts/nqn.2026-11.io.nvmet-ng:dhchap
mkdir $H || fail "mkdir host"

K00=DHHC-1:00:0f9wRR0fC5T1UUYcXKI55Jj1ca3UVCw4Hj7vhOrCSuodQfjD:
K01=DHHC-1:01:NpGIt0qRjLbHTsHlFMCOc1Zygv1ajhmGfGMsb9v1yvf39h5J:
K02=DHHC-1:02:x3ixbJxmrsSeWEGaZ6seH70oy7e4fsvHux31lCNlamXK24c1kjZ+xyK3WiQLnZUFlfMfHg==:
K03=DHHC-1:03:MdMp2nei0O8pQyCe9DLj8MftW1cSSv8eN6XH5qAdeApHO9D9WUo/p8+8JXP7FQcCuxEBTAkNkiL5oMBIdx9vKiqEgyo=:

expect_eq "host attrs" "dhchap_ctrl_key dhchap_dhgroup dhchap_hash dhchap_key" "$(attrs $H)"
expect_file $H/dhchap_hash "hmac(sha256)"
expect_file $H/dhchap_dhgroup null
expect_file $H/dhchap_key ""
expect_file $H/dhchap_ctrl_key ""

# mode FILE: its permission bits as ls shows them
mode() { ls -l "$1" | cut -c1-10; }
if [ "$TARGET" = intree ]; then
	expect_eq "in-tree dhchap_key mode" "-rw-r--r--" "$(mode $H/dhchap_key)"
else
	expect_eq "dhchap_key mode" "-rw-------" "$(mode $H/dhchap_key)"
	expect_eq "dhchap_ctrl_key mode" "-rw-------" "$(mode $H/dhchap_ctrl_key)"
fi
expect_eq "dhchap_hash mode" "-rw-r--r--" "$(mode $H/dhchap_hash)"

if [ "$TARGET" != intree ] && [ ! -d /sys/module/nvme_auth ]; then
	echo "no nvme-auth in this kernel: defaults only"
	rt $H/dhchap_hash "hmac(sha256)"
	rt $H/dhchap_dhgroup null
	bad $H/dhchap_hash "hmac(sha512)" "Operation not supported"
	bad $H/dhchap_hash "hmac(md5)" "Invalid argument"
	bad $H/dhchap_dhgroup ffdhe2048 "Operation not supported"
	bad $H/dhchap_dhgroup bogus "Invalid argument"
	bad $H/dhchap_key "$K00" "Operation not supported"
	bad $H/dhchap_key "secret" "Invalid argument"
	rmdir $H || fail "rmdir host"
	rmmod nvmet || fail "rmmod nvmet"
	exit 0
fi

# Hashes: by name; a name is matched on its own length, as in-tree.
for h in "hmac(sha384)" "hmac(sha512)" "hmac(sha256)"; do
	rt $H/dhchap_hash "$h"
done
rt $H/dhchap_hash "hmac(sha512)trailing" "hmac(sha512)"
bad $H/dhchap_hash "hmac(md5)" "Invalid argument"
bad $H/dhchap_hash "sha256" "Invalid argument"
bad $H/dhchap_hash "" "Invalid argument"

# DH groups: null and the RFC 7919 groups (in Debian's 6.12 and 7.x).
for g in ffdhe2048 ffdhe3072 ffdhe4096 ffdhe6144 ffdhe8192 null; do
	rt $H/dhchap_dhgroup $g
done
rt $H/dhchap_dhgroup ffdhe20489 ffdhe2048
rt $H/dhchap_dhgroup null
bad $H/dhchap_dhgroup bogus "Invalid argument"
bad $H/dhchap_dhgroup ffdhe1024 "Invalid argument"

# Keys: shown as written (trailing white space dropped), each hash.
for f in dhchap_key dhchap_ctrl_key; do
	for k in $K00 $K01 $K02 $K03; do
		rt $H/$f "$k"
	done
	rt $H/$f "$K01   " "$K01"
	bad $H/$f "secret" "Invalid argument"
	bad $H/$f "DHHC-1:04:$K00" "Invalid argument"
	bad $H/$f "DHHC-1:-1:abc:" "Invalid argument"
	bad $H/$f " $K00" "Invalid argument"
	bad $H/$f "DHHC-2:00:abc:" "Invalid argument"
done
# A key that is no key (no base64 of 32/48/64 bytes + CRC) is taken, as
# in-tree; ours says in the log that no host can authenticate with it.
M=$(kmsg_mark bad-key)
rt $H/dhchap_key "DHHC-1:00:c2VjcmV0:"
if [ "$TARGET" != intree ]; then
	expect_eq "unusable key warned" 1 \
		"$(dmesg_since "$M" | grep -c "host ${H##*/}: dhchap_key is no valid key")"
fi
# An empty line: ours clears the key, in-tree refuses it.
if [ "$TARGET" = intree ]; then
	bad $H/dhchap_key "" "Invalid argument"
	bad $H/dhchap_ctrl_key "" "Invalid argument"
else
	rt $H/dhchap_key "" ""
	rt $H/dhchap_ctrl_key "" ""
	rt $H/dhchap_ctrl_key "$K00"
fi

rmdir $H || fail "rmdir host"
rmmod nvmet || fail "rmmod nvmet"
