#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the VM tests; each test sources this file.  Every helper
# checks an observable result and exits the test with a message on a
# mismatch.

CFS=/sys/kernel/config/nvmet

fail() {
	echo "FAIL: $*"
	exit 1
}

skip() {
	echo "$*"
	exit 77
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# expect_file PATH CONTENT: the file reads back exactly CONTENT
expect_file() {
	[ -e "$1" ] || fail "$1 does not exist"
	expect_eq "$1" "$2" "$(cat "$1")"
}

expect_dir() {
	[ -d "$1" ] || fail "$1 is not a directory"
}

expect_absent() {
	[ ! -e "$1" ] || fail "$1 exists"
}

# expect_errno ERRNO_TEXT COMMAND...: the command fails with that message
# (e.g. "Invalid argument"), as strerror() words it.
expect_errno() {
	want=$1
	shift
	out=$("$@" 2>&1) && fail "'$*' succeeded; expected '$want'"
	case $out in
	*"$want"*) ;;
	*) fail "'$*': expected '$want', got '$out'" ;;
	esac
}

# write_attr PATH VALUE: the write must succeed
write_attr() {
	echo "$2" > "$1" || fail "writing '$2' to $1"
}

# module_build_id NAME: the GNU build ID of the loaded module NAME in hex,
# as "readelf -n" prints it (nothing if it has none): its note section in
# sysfs is the note header (name and descriptor sizes, type, "GNU\0": 16
# bytes) and the ID.
module_build_id() {
	f=/sys/module/$(echo "$1" | tr - _)/notes/.note.gnu.build-id
	[ -r "$f" ] || return 0
	od -An -v -tx1 -j16 "$f" | tr -d ' \n'
}

# Load Debian's in-tree target module $1 and what it needs, by path; the
# rest are module parameters of $1.
intree_load() {
	mod=$1
	shift
	deps=$(sed -n "s/^$mod: //p" /lib/modules/intree-target/deps)
	for d in $deps; do
		d=$(echo "$d" | tr _ -)
		if [ -f "/lib/modules/intree-target/$d.ko" ]; then
			grep -q "^$(echo "$d" | tr - _) " /proc/modules ||
				intree_load "$d" || return 1
		else
			modprobe "$d" || return 1
		fi
	done
	insmod "/lib/modules/intree-target/$mod.ko" "$@"
}

# rt ATTR VALUE [SHOWN]: writing VALUE succeeds and reads back as SHOWN
# (default VALUE).
rt() {
	write_attr "$1" "$2"
	expect_file "$1" "${3:-$2}"
}

# bad ATTR VALUE ERRNO_TEXT: the write fails with that error and the
# attribute reads back as before.
bad() {
	before=$(cat "$1")
	expect_errno "$3" sh -c "echo '$2' > '$1'"
	expect_file "$1" "$before"
}

# attrs DIR: the names of DIR's regular files, sorted, on one line
attrs() {
	find "$1" -maxdepth 1 -type f | sed 's|.*/||' | sort | tr '\n' ' ' |
		sed 's/ $//'
}

# subdirs DIR: the names of DIR's directories, sorted, on one line
subdirs() {
	find "$1" -mindepth 1 -maxdepth 1 -type d | sed 's|.*/||' | sort |
		tr '\n' ' ' | sed 's/ $//'
}

# ------------------------------------------------------------ kernel log --
# Nothing clears the kernel log (the harness checks every test's part of
# it): a test that looks at the log marks a position and reads what
# follows.

# kmsg_mark [TEXT]: write a unique mark line to the kernel log; print the
# mark's token, which dmesg_since/dmesg_between look for.
kmsg_mark() {
	tok="kmsg-mark $(cat /proc/sys/kernel/random/uuid)"
	echo "$tok ${1:-}" > /dev/kmsg || fail "cannot write to /dev/kmsg"
	echo "$tok"
}

# dmesg_between FROM TO: the kernel log lines after the mark FROM and
# before the mark TO (TO empty: to the end).  Returns 2 when FROM is no
# longer in the log (the ring buffer overran it), 1 when TO is not there.
dmesg_between() {
	dmesg | awk -v a="$1" -v b="${2:-}" '
		!on && index($0, a) { on = 1; next }
		on && b != "" && index($0, b) { seen_b = 1; exit }
		on { print }
		END { exit on ? (b == "" || seen_b ? 0 : 1) : 2 }'
}

# dmesg_since FROM: the kernel log lines after the mark FROM
dmesg_since() {
	dmesg_between "$1" ""
}

# ---------------------------------------------------------- second boot --
# A test that needs a reboot (state that must outlive it) keeps that state
# on /shared, a disk that the guest's second boot finds as the first left
# it, asks for the second boot with second_boot, and checks in it, where
# $boot is 2 and only the tests that asked run (tests/vm/run.sh, "Second
# boot").  second_boot fails when the guest has no such disk.
second_boot() {
	grep -q ' /shared ' /proc/mounts || return 1
	basename "$0" .sh >> /shared/.reboot
}
