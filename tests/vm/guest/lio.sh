#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# What the lio tests (tests/vm/tests/2t, 2u, 2v, 2x, 2y) share: the
# kernel they need, the SCSI disk tcm_loop makes of a LUN, a lio
# namespace served over TCP, targetcli's
# system bus, a TCMU backstore's UIO device, the unload.  (One MiB
# written through one device and read back through another: mib_check,
# nvme.sh.)  Sourced after
# lib.sh.

# Skip where the target or the kernel has no LIO; fail where the kernel
# has it and our nvmet-lio was not built beside it.
lio_require() {
	[ "$TARGET" = intree ] && skip "in-tree nvmet has no lio backend"
	grep -q '/target_core_mod\.ko[.a-z]*:' \
		/lib/modules/"$(uname -r)"/modules.dep ||
		skip "this kernel has no LIO target-core"
	grep -q '/nvmet-lio\.ko:' /lib/modules/"$(uname -r)"/modules.dep ||
		fail "our nvmet-lio was not built"
}

# lio_scsi_disk MODEL: print the /dev/sdX whose SCSI model has MODEL
# (FILEIO, RAMDISK, ...), waiting up to 15 s for tcm_loop's scan of a
# LUN just linked; status 1 if none came.
lio_scsi_disk() {
	_end=$(( $(date +%s) + 15 ))
	while :; do
		for _b in /sys/block/sd*; do
			grep -qs "$1" "$_b/device/model" &&
				[ -b "/dev/${_b##*/}" ] &&
				{ echo "/dev/${_b##*/}"; return 0; }
		done
		[ "$(date +%s)" -ge $_end ] && return 1
		sleep 0.2
	done
}

# lio_serve NQN DEVICE_PATH: subsystem NQN with namespace 1 ($NS) on the
# lio backstore DEVICE_PATH, enabled, on TCP port 1 (127.0.0.1:4420);
# the host connected, its disk in $D.
lio_serve() {
	tgt_subsys $1 1
	NS=$CFS/subsystems/$1/namespaces/1
	mkdir $NS || fail "mkdir namespace 1"
	write_attr $NS/device_backend lio
	write_attr $NS/device_path $2
	write_attr $NS/enable 1
	tgt_port 1 127.0.0.1 4420
	tgt_link 1 $1
	host_prep
	host_connect $1 || fail "nvme connect"
	D=$(wait_for_dev $1 1) || fail "no namespace"
}

# ---- targetcli-fb (test 2x) ----
# targetcli asks the system bus for tcmu-runner's handlers as it starts
# (and fails without a bus): lio_dbus_start runs the image's dbus-daemon
# (policy: /etc/dbus-1/vm-system.conf) if none runs; lio_dbus_stop ends
# the one it started.
LIO_DBUS_PID=
lio_dbus_start() {
	# (GLib's default is /var/run/..., and the image has no /var/run)
	export DBUS_SYSTEM_BUS_ADDRESS=unix:path=/run/dbus/system_bus_socket
	export TARGETCLI_HOME=/tmp/targetcli
	[ -S /run/dbus/system_bus_socket ] && return 0
	mkdir -p /run/dbus /var/run /etc/rtslib-fb-target
	dbus-daemon --config-file=/etc/dbus-1/vm-system.conf --nofork \
		--nopidfile > /tmp/e2e-dbus.log 2>&1 &
	LIO_DBUS_PID=$!
	_i=0
	until [ -S /run/dbus/system_bus_socket ]; do
		_i=$((_i + 1))
		[ $_i -gt 50 ] && fail "no system bus after 10 s: $(cat /tmp/e2e-dbus.log)"
		sleep 0.2
	done
}
lio_dbus_stop() {
	[ -n "$LIO_DBUS_PID" ] || return 0
	kill "$LIO_DBUS_PID" 2>/dev/null
	wait "$LIO_DBUS_PID" 2>/dev/null
	LIO_DBUS_PID=
	rm -f /run/dbus/system_bus_socket
}

# tcli LINE...: one targetcli shell runs the command LINEs, read from its
# standard input (a targetcli start takes seconds under TCG; auto-save on
# exit off); none logs an error or a traceback (targetcli 2.1.53 exits 0
# after a failed command).  Its output in $OUT.  tcli_raw: the same
# without the check.
tcli_raw() {
	printf '%s\n' "set global auto_save_on_exit=false" "$@" |
		targetcli > "$OUT" 2>&1
}
tcli() {
	tcli_raw "$@" || fail "targetcli $*: $(cat "$OUT")"
	grep -qiE 'error|traceback|exception' "$OUT" &&
		fail "targetcli $*: $(cat "$OUT")"
	sed 's/^/  targetcli: /' "$OUT"
}

# ---- TCMU (test 2y) ----
# lio_uio_of NAME: print the /dev/uioN of the user backstore NAME (the
# UIO device's name is "tcm-user/<hba>/<NAME>/<dev_config>"); status 1
# if it has none.
lio_uio_of() {
	for _u in /sys/class/uio/uio*; do
		case $(cat "$_u/name" 2>/dev/null) in
		tcm-user/*/"$1"/*) echo "/dev/${_u##*/}"; return 0 ;;
		esac
	done
	return 1
}

# lio_unload: the fabrics' empty directories, nvmet-lio, then every LIO
# module loaded, target_core_mod
# last (it loads its backstore modules itself); fail naming the one that
# stays.  A cleanup runs it in a subshell, quietly.
lio_unload() {
	# a fabric's configfs directory (rtslib-fb makes them) holds its module
	for _f in loopback iscsi nvmet_lio; do
		[ -d /sys/kernel/config/target/$_f ] || continue
		rmdir /sys/kernel/config/target/$_f || fail "rmdir the $_f fabric"
	done
	for _m in nvmet_lio tcm_loop iscsi_target_mod target_core_file \
		  target_core_iblock \
		  target_core_pscsi target_core_user uio target_core_mod; do
		grep -q "^$_m " /proc/modules || continue
		rmmod $_m || {
			grep -E 'target|tcm|uio|nvmet' /proc/modules
			fail "rmmod $_m"
		}
	done
}
