#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the test VM's initramfs: busybox, nvme-cli, fio, mkfs.ext4, our
# modules and the Debian kernel modules the tests need, trixie's tlshd and
# nvme-cli for the TLS tests (stage-trixie.sh), and the guest scripts.
#
#   tests/vm/mkinitramfs.sh OUT.cpio.gz
#
# Layout inside:
#   /lib/modules/$KVER/kernel/...   in-tree modules (host side, null_blk...)
#   /lib/modules/$KVER/updates/...  our modules (from NVMET_NG_MODTOP, the
#                                   checkout or, for VM_KERNEL=debug, its
#                                   copy built for the debug kernel);
#                                   depmod prefers them, so
#                                   "modprobe nvmet" loads nvmet-ng
#   /lib/modules/intree-target/     Debian's nvmet, nvmet-tcp, ... for the
#                                   benchmarks and TARGET=intree, loaded by
#                                   path (intree_load); those the image
#                                   lacks (6.1: nvme-loop, nvme-fcloop)
#                                   from NVMET_NG_INTREE_EXTRA
#                                   (scripts/intree-modules.sh), if built
#   /lib/modules/bench/             benchmark-only modules
#   /trixie/, /usr/sbin/tlshd,      trixie's tlshd and nvme-cli 2.13 with
#   /usr/sbin/nvme-tls              their libraries and loader
#                                   (stage-trixie.sh); /usr/sbin/nvme
#                                   stays bookworm's
#   /etc/tlshd.conf                 tlshd links the .nvme keyring
#   /vm/                            harness, tests, benchmarks
# Rebuilds only when an input changed.
set -euo pipefail
. "$(dirname "$0")/../../scripts/env.sh"

OUT=$1
TOP=$NVMET_NG_TOP
VMDIR=$TOP/tests/vm
# One stage per initramfs: each kernel line has its own.
STAGE=${OUT%.cpio.gz}.stage
MODSRC=$NVMET_NG_MODDIR

# In-tree host-side modules, and those whose dependencies we also need.
# TLS (test 2d): kTLS (tls), the AES-GCM of TLS 1.3's PSK suites (gcm,
# ghash-generic; AES itself is built in) and the .nvme keyring
# (nvme-keyring, 6.5 and later: 6.1 has none, and stage_module leaves a
# name that is not there out, as it does a built-in one).  virtio_blk:
# the disk shared by two boots (tests/vm/run.sh, "Second boot").
# virtio_pci: the transport of that disk and of virtio-rng, a module on
# 6.1 (built in from 6.12), which nothing loads by itself in our init.
# LIO (test 2t): target-core, its fileio and iblock backstores, tcm_loop
# and sd_mod for the SCSI disk tcm_loop makes.
# scsi_debug (test 2w): a SCSI disk with T10 PI (dif=, dix=).
# target_core_user (test 2y): TCMU, the userspace backstore, with uio.
# iscsi_target_mod (test 2x): rtslib-fb's saveconfig and clearconfig
# load it (they read iSCSI's discovery authentication) and fail without.
# nvme (test 2z): the PCIe driver of QEMU's emulated NVMe controller.
HOST_MODS="configfs nvme-core nvme nvme-fabrics nvme-tcp nvme-rdma nvme-fc
	   null_blk loop rdma_rxe ext4 crc32c_generic crc32c-intel veth dummy
	   crc32_generic dm-mod virtio-rng tls gcm ghash-generic nvme-keyring
	   virtio_pci virtio_blk target_core_mod target_core_file
	   target_core_iblock tcm_loop sd_mod scsi_debug target_core_user
	   iscsi_target_mod"
INTREE_TARGET_MODS="nvmet nvmet-tcp nvmet-rdma nvmet-fc nvme-loop nvme-fcloop"

our_modules() {
	(cd "$NVMET_NG_MODTOP" && find . -name '*.ko' -not -path './tests/bench/*' \
		-not -path './.git/*' | sort)
}
bench_modules() {
	(cd "$TOP" && find tests/bench -name '*.ko' 2>/dev/null | sort)
}

# linux-perf's binary, for the fio matrix's profile round (bench 27,
# BENCH_MATRIX_PROFILE=1): /usr/bin/perf, or a versioned perf_X.Y where
# /usr/bin/perf is the wrapper that picks one; none if the host has none
# (make bench installs it: scripts/deps.sh bench); only in the image of
# NVMET_NG_IMAGE_PERF=1 (tests/vm/run.sh bench), not in make check's.
perf_binary() {
	local f
	for f in /usr/bin/perf /usr/bin/perf_[0-9]*; do
		[ -f "$f" ] && [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] &&
			{ echo "$f"; return 0; }
	done
	return 0
}
PERF_BIN=
[ "${NVMET_NG_IMAGE_PERF:-0}" != 1 ] || PERF_BIN=$(perf_binary)

# Everything that goes in, for the "changed?" check.
inputs_hash() {
	{
		echo "$KVER $MODSRC"
		cat "$0"
		(cd "$TOP" && find tests/vm tests/bench tests/tcp-hog tests/tcmu -type f \
			-not -name '*.o' -not -name '*.cmd' | sort |
			xargs sha1sum)
		(cd "$NVMET_NG_MODTOP" && our_modules | xargs -r sha1sum)
		(cd "$TOP" && bench_modules | xargs -r sha1sum)
		for m in $INTREE_TARGET_MODS; do
			[ ! -f "$NVMET_NG_INTREE_EXTRA/$m.ko" ] ||
				sha1sum "$NVMET_NG_INTREE_EXTRA/$m.ko"
		done
		sha1sum "$FUZZ_BIN" "$FUSED_BIN" "$XCOPY_BIN" "$PI_BIN"
		[ -z "$PERF_BIN" ] || sha1sum "$PERF_BIN"
		dpkg-query -W busybox-static nvme-cli fio e2fsprogs iproute2 dbus-daemon
		"$VMDIR/stage-python.sh" hash
		"$VMDIR/stage-trixie.sh" hash
	} | sha1sum | cut -d' ' -f1
}

# The NVMe/TCP fuzzer, and the fused Compare and Write, the
# cross-namespace Copy and the PRACT 0 PI initiators on its connection
# code (tests/fuzz/),
# static; built first so that the hash covers the binaries.
FUZZ_BIN=$NVMET_NG_SCRATCH/fuzz/nvme-tcp-fuzz
FUSED_BIN=$NVMET_NG_SCRATCH/fuzz/nvme-tcp-fused
XCOPY_BIN=$NVMET_NG_SCRATCH/fuzz/nvme-tcp-xcopy
PI_BIN=$NVMET_NG_SCRATCH/fuzz/nvme-tcp-pi
mkdir -p "$(dirname "$FUZZ_BIN")"
make -s -C "$TOP/tests/fuzz" O="$(dirname "$FUZZ_BIN")"

hash=$(inputs_hash)
if [ -f "$OUT" ] && [ "$(cat "$OUT.hash" 2>/dev/null)" = "$hash" ]; then
	exit 0
fi
echo "vm: building initramfs for $KVER"

rm -rf "$STAGE"
mkdir -p "$STAGE"/{bin,sbin,etc/nvme,proc,sys,dev,tmp,run,mnt,root,vm}
mkdir -p "$STAGE/lib/modules/$KVER" "$STAGE/lib/modules/intree-target" \
	 "$STAGE/lib/modules/bench"

# busybox and its applets
cp /bin/busybox "$STAGE/bin/busybox"
for app in $(/bin/busybox --list); do
	[ -e "$STAGE/bin/$app" ] || ln -s busybox "$STAGE/bin/$app"
done
for app in modprobe insmod rmmod lsmod depmod poweroff reboot; do
	ln -sf ../bin/busybox "$STAGE/sbin/$app"
done

# Dynamic binaries with their libraries (and the loader).
copy_binary() {
	local bin=$1 lib
	install -D -m 755 "$bin" "$STAGE$bin"
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		[ -e "$STAGE$lib" ] || install -D -m 755 "$lib" "$STAGE$lib"
	done
}
copy_binary /usr/sbin/nvme
copy_binary /usr/bin/fio
copy_binary /usr/bin/rdma		# rdma link add: Soft-RoCE (tests 4*)
copy_binary /usr/sbin/mkfs.ext4		# a copy of mke2fs; the name picks ext4
copy_binary /usr/sbin/dmsetup		# a device that hangs (test 63)
copy_binary /usr/sbin/blkzone		# zone reports and resets (test 2s)
copy_binary /usr/bin/sg_persist	# SCSI persistent reservations (test 2u)
copy_binary /usr/bin/sg_raw		# a SCSI WRITE(16) that shows its status (2u)
# iproute2's ip, for network namespaces (tests 7*); busybox sh runs its
# own applet for a bare "ip", so the tests call it by path
copy_binary /usr/bin/ip
# perf, as /usr/bin/perf (profile round of bench 27), when the host has it
[ -z "$PERF_BIN" ] || { copy_binary "$PERF_BIN"
	[ "$PERF_BIN" = /usr/bin/perf ] || mv "$STAGE$PERF_BIN" "$STAGE/usr/bin/perf"; }
# a system bus for targetcli-fb, which asks it for tcmu-runner's handlers
# (test 2x): the policy lets root, the guest's only user, do anything
copy_binary /usr/bin/dbus-daemon
mkdir -p "$STAGE/etc/dbus-1" "$STAGE/run/dbus"
cat > "$STAGE/etc/dbus-1/vm-system.conf" <<'EOF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=/run/dbus/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
EOF
echo 6e766d65746e67766d6d616368696e65 > "$STAGE/etc/machine-id"
"$VMDIR/stage-python.sh" "$STAGE"	# python3 and nvmetcli (test 80)
"$VMDIR/stage-trixie.sh" "$STAGE"	# tlshd, nvme-tls (test 2d)
# tlshd reads this at start and links the keyrings it names into its
# session keyring: .nvme is where the host (nvme gen-tls-key --insert)
# and the target look PSKs up (tlshd.conf(5) of ktls-utils 1.0.0).
cat > "$STAGE/etc/tlshd.conf" <<'EOF'
[debug]
loglevel=0
tls=0
nl=0

[authenticate]
keyrings=.nvme
EOF
cp /etc/mke2fs.conf "$STAGE/etc/"
[ -e "$STAGE/lib64" ] || ln -s lib "$STAGE/lib64" 2>/dev/null || true

# Static helpers built from our tree.
gcc -static -O2 -Wall -o "$STAGE/bin/cfsbench" "$TOP/tests/bench/cfsbench.c"
gcc -static -O2 -Wall -o "$STAGE/bin/nsbench" "$TOP/tests/bench/nsbench.c" \
	"$TOP/tests/bench/benchlib.c"
gcc -static -O2 -Wall -o "$STAGE/bin/scalebench" "$TOP/tests/bench/scalebench.c" \
	"$TOP/tests/bench/benchlib.c" -lpthread
gcc -static -O2 -Wall -o "$STAGE/bin/tcp-hog" "$TOP/tests/tcp-hog/tcp-hog.c"
gcc -static -O2 -Wall -o "$STAGE/bin/tcmu-file" "$TOP/tests/tcmu/tcmu-file.c"
cp "$FUZZ_BIN" "$STAGE/bin/nvme-tcp-fuzz"
cp "$FUSED_BIN" "$STAGE/bin/nvme-tcp-fused"
cp "$XCOPY_BIN" "$STAGE/bin/nvme-tcp-xcopy"
cp "$PI_BIN" "$STAGE/bin/nvme-tcp-pi"

# Module name -> path, for the dependency closure.  Debian compresses
# its modules with xz since 6.2 (6.1's are plain .ko); the guest's
# busybox modprobe loads them uncompressed (unxz_module).
declare -A modpath
while read -r f; do
	n=$(basename "$f")
	n=${n%.ko*}
	modpath[$n]=$f
	modpath[${n//-/_}]=$f
done < <(find "$MODSRC/kernel" -name '*.ko' -o -name '*.ko.xz')

unxz_module() {	# unxz_module SRC DST.ko
	case $1 in
	*.xz)	xz -dc "$1" > "$2" ;;
	*)	cp "$1" "$2" ;;
	esac
}

declare -A staged
stage_module() {	# stage_module name destdir
	local name=$1 dest=$2 f dep
	f=${modpath[$name]:-${modpath[${name//-/_}]:-}}
	[ -n "$f" ] || return 0		# built in
	[ -n "${staged[$f]:-}" ] && return 0
	staged[$f]=1
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do
		stage_module "$dep" kernel
	done
	if [ "$dest" = kernel ]; then
		local rel=${f#"$MODSRC"/}
		mkdir -p "$STAGE/lib/modules/$KVER/$(dirname "$rel")"
		unxz_module "$f" "$STAGE/lib/modules/$KVER/${rel%.xz}"
	fi
}
for m in $HOST_MODS; do
	stage_module "$m" kernel
done

# In-tree target modules: outside depmod's tree, with their own dep list.
: > "$STAGE/lib/modules/intree-target/deps"
for m in $INTREE_TARGET_MODS; do
	f=${modpath[$m]:-}
	# not built by Debian (6.1: nvme-loop, fcloop): the kernel's own
	# source built by scripts/intree-modules.sh, if it ran
	[ -n "$f" ] || f=$NVMET_NG_INTREE_EXTRA/$m.ko
	[ -f "$f" ] || continue
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do
		case " $INTREE_TARGET_MODS " in
		*" ${dep//_/-} "*|*" $dep "*) ;;
		*) stage_module "$dep" kernel ;;
		esac
	done
	unxz_module "$f" "$STAGE/lib/modules/intree-target/$m.ko"
	echo "$m: $(modinfo -F depends "$f" | tr ',' ' ')" \
		>> "$STAGE/lib/modules/intree-target/deps"
done

# Ours, under updates/ so they win over any in-tree module of the name.
mkdir -p "$STAGE/lib/modules/$KVER/updates"
for f in $(our_modules); do
	cp "$NVMET_NG_MODTOP/$f" "$STAGE/lib/modules/$KVER/updates/"
	for dep in $(modinfo -F depends "$NVMET_NG_MODTOP/$f" | tr ',' ' '); do
		stage_module "$dep" kernel
	done
done
for f in $(bench_modules); do
	cp "$TOP/$f" "$STAGE/lib/modules/bench/"
done

# Debian's 7.x packages ship none of these: empty ones keep depmod quiet
# (nothing the tests modprobe is built in there).
for f in modules.builtin modules.builtin.modinfo modules.order; do
	if [ -f "$MODSRC/$f" ]; then
		cp "$MODSRC/$f" "$STAGE/lib/modules/$KVER/"
	else
		: > "$STAGE/lib/modules/$KVER/$f"
	fi
done
mkdir -p "$STAGE/etc/depmod.d"
echo "search updates built-in" > "$STAGE/etc/depmod.d/nvmet-ng.conf"
depmod -b "$STAGE" -C "$STAGE/etc/depmod.d" "$KVER"

# nvme-cli wants a host NQN and ID.
uuid=$(cat /proc/sys/kernel/random/uuid)
echo "nqn.2014-08.org.nvmexpress:uuid:$uuid" > "$STAGE/etc/nvme/hostnqn"
echo "$uuid" > "$STAGE/etc/nvme/hostid"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$STAGE/etc/passwd"
printf 'root:x:0:\n' > "$STAGE/etc/group"
# tlshd names its peer by getnameinfo(): localhost, not a failed lookup
printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' > "$STAGE/etc/hosts"

# Guest scripts.
cp "$VMDIR/guest/init" "$STAGE/init"
chmod 755 "$STAGE/init"
cp -r "$VMDIR/guest" "$VMDIR/tests" "$STAGE/vm/"
[ -d "$VMDIR/bench" ] && cp -r "$VMDIR/bench" "$STAGE/vm/"

mkdir -p "$(dirname "$OUT")"
(cd "$STAGE" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "$hash" > "$OUT.hash"
echo "vm: initramfs $(du -h "$OUT" | cut -f1)"
