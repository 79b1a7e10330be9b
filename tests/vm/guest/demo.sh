#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make run: show what nvmet-ng does today, step by step.
. /vm/guest/lib.sh
echo 1 > /proc/sys/kernel/printk

step() { echo; echo "==> $*"; }

step "Guest kernel $(uname -r) is up; loading nvmet-ng's core module"
modprobe nvmet || fail "modprobe nvmet"
echo "    loaded: $(modinfo -d nvmet)"

step "The configuration tree, as nvmetcli and scripts expect it"
find $CFS -maxdepth 1 | sed 's/^/    /'
echo "    discovery NQN: $(cat $CFS/discovery_nqn)"

step "Unloading cleanly"
rmmod nvmet || fail "rmmod nvmet"
echo "    /sys/kernel/config/nvmet is gone: $([ -e $CFS ] && echo no || echo yes)"
