#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Copy (19h) against the host copying through itself, over NVMe/TCP on
# 127.0.0.1, ours only (in-tree has no Copy): BENCH_COPY_MB (default 256;
# 1024 wants VM_MEM=6G: the file cases put 2 GiB in the guest's /tmp, a
# tmpfs of half its memory) copied once by the target and once with dd
# reading and writing it through the host (1 MiB direct I/O), each copy
# checked by reading the destination back (md5).
#
# Within one namespace: its first half to its second half, by "nvme copy"
# (format 0h, commands of one range of MCL blocks, one nvme-cli process
# each; the block size and MCL read before the clock starts), on three
# backends: a file on tmpfs (the file backend's copy() hook,
# vfs_copy_file_range()), a memory-backed null_blk (bdev: the core's
# staged copy through rw()) and a ram namespace (the staged copy over
# nvmet-ram).
#
# Across namespaces: namespace 1 to namespace 2 of the same subsystem,
# both at LBA 0, by nvme-tcp-xcopy -b (format 2h after Set Features Host
# Behavior Support CDFE, which no Linux host tool can send; commands of
# one range of min(MSSRL, MCL) blocks, all from one process), against dd
# from namespace 1's device to namespace 2's, on two files on tmpfs
# (vfs_copy_file_range() between them) and two null_blk devices (staged).
# Timed around the command, so the xcopy time includes its connect; its
# own time from the first Copy to the last answer is logged beside it.
#
# Prints the time of each (second run of each way) and the ratios.
#
# Environment: BENCH_COPY_MB.  Sourced by guest/bench.sh.
. /vm/guest/fio-bench.sh
. /vm/guest/ana.sh

CNQN=nqn.2026-12.io.nvmet-ng:bench-copy
CMB=${BENCH_COPY_MB:-256}
COUT=/tmp/tcp-copy.txt
: > "$COUT"

# copy_nvme: the first CMB MiB of $dev1 to its second half with nvme
# copy, in commands of $mcl blocks of $bs bytes (copy_up read them)
copy_nvme() {
	total=$(( CMB * 1048576 / bs ))
	at=0
	while [ $at -lt $total ]; do
		n=$(( total - at < mcl ? total - at : mcl ))
		nvme copy $dev1 --sdlba=$(( total + at )) --slbs=$at \
			--blocks=$(( n - 1 )) --format=0 > /dev/null 2>&1 ||
			return 1
		at=$(( at + n ))
	done
}

# copy_host: the same through the host
copy_host() {
	dd if=$dev1 of=$dev1 bs=1M count=$CMB seek=$CMB iflag=direct \
		oflag=direct conv=notrunc 2> /dev/null
}

# copy_xnvme: the first CMB MiB of namespace 1 to namespace 2, format 2h
copy_xnvme() {
	nvme-tcp-xcopy -b $CMB $CNQN 2 1 > /tmp/c.x 2>&1 ||
		{ cat /tmp/c.x; return 1; }
	xin=$(sed -n 's/^xcopy ms=\([0-9]*\).*/\1/p' /tmp/c.x)
	[ -n "$xin" ]
}

# copy_xhost: the same through the host
copy_xhost() {
	dd if=$dev1 of=$dev2 bs=1M count=$CMB iflag=direct oflag=direct \
		conv=notrunc 2> /dev/null
}

# copy_sum DEV SKIP: md5 of CMB MiB of DEV from SKIP MiB on
copy_sum() {
	dd if=$1 bs=1M count=$CMB skip=$2 iflag=direct 2> /dev/null | md5sum
}

# copy_check / copy_xcheck: the destination equals the source
copy_check() {
	[ "$(copy_sum $dev1 0)" = "$(copy_sum $dev1 $CMB)" ]
}

copy_xcheck() {
	[ "$(copy_sum $dev1 0)" = "$(copy_sum $dev2 0)" ]
}

# copy_ns NSID SPEC: namespace NSID of $s on SPEC (a path, or ram SIZE)
copy_ns() {
	n=$s/namespaces/$1
	mkdir $n || return 1
	case $2 in
	ram)	echo ram > $n/device_backend
		echo $(( 2 * CMB * 1048576 )) > $n/device_size ;;
	*)	echo "$2" > $n/device_path ;;
	esac
	echo 1 > $n/enable
}

# copy_up SPEC [SPEC2]: the subsystem with namespace 1 (and 2), on the
# port, connected: $dev1 (and $dev2), $dev1's $bs and $mcl, and
# namespace 1's first CMB MiB random
copy_up() {
	s=$CFS/subsystems/$CNQN
	mkdir $s && echo 1 > $s/attr_allow_any_host || return 1
	copy_ns 1 "$1" || return 1
	[ -z "${2:-}" ] || copy_ns 2 "$2" || return 1
	mkdir $CFS/ports/1 && echo tcp > $CFS/ports/1/addr_trtype &&
		echo ipv4 > $CFS/ports/1/addr_adrfam &&
		echo 127.0.0.1 > $CFS/ports/1/addr_traddr &&
		echo 4420 > $CFS/ports/1/addr_trsvcid || return 1
	ln -s $s $CFS/ports/1/subsystems/$CNQN || return 1
	nvme connect -t tcp -a 127.0.0.1 -s 4420 -n $CNQN > /dev/null || return 1
	dev1=$(wait_for_dev $CNQN 1 10) || return 1
	bs=$(( 1 << $(nvme id-ns $dev1 | sed -n 's/^lbaf .*lbads:\([0-9]*\).*in use.*/\1/p') ))
	mcl=$(( $(id_ns_field $dev1 mcl) ))
	[ -z "${2:-}" ] || dev2=$(wait_for_dev $CNQN 2 10) || return 1
	dd if=/dev/urandom of=$dev1 bs=1M count=$CMB oflag=direct 2> /dev/null
}

copy_down() {
	nvme disconnect -n $CNQN > /dev/null 2>&1
	rm -f $CFS/ports/1/subsystems/$CNQN
	rmdir $CFS/ports/1 2> /dev/null
	for n in $CFS/subsystems/$CNQN/namespaces/*; do
		[ -d $n ] && echo 0 > $n/enable && rmdir $n
	done
	rmdir $CFS/subsystems/$CNQN 2> /dev/null
}

# copy_one LABEL WAYS ZERO_DEV ZERO_SKIP CHECK SPEC [SPEC2]: each of WAYS
# (copy_WAY), twice, after zeroing the destination, then CHECK
copy_one() {
	label=$1 ways=$2 zdev=$3 zskip=$4 chk=$5
	shift 5
	if ! copy_up "$@"; then
		echo "copy $label: set-up failed" | tee -a $COUT
		copy_down
		return 0
	fi
	eval zdev=$zdev
	for way in $ways $ways; do
		dd if=/dev/zero of=$zdev bs=1M count=$CMB seek=$zskip \
			oflag=direct 2> /dev/null
		t0=$(ana_now_ms)
		copy_$way || { echo "copy $label $way failed" | tee -a $COUT; break; }
		ms=$(( $(ana_now_ms) - t0 ))
		$chk || { echo "copy $label $way: data differs" | tee -a $COUT; break; }
		echo "copy $label $way ms=$ms${xin:+ inner=$xin}" | tee -a $COUT
		xin=
	done
	copy_down
}

# copy_ratio A B: B / A to two places, or -
copy_ratio() {
	if [ -n "$1" ] && [ -n "$2" ] && [ "$1" -gt 0 ]; then
		printf '%d.%02d' $(( $2 / $1 )) $(( $2 * 100 / $1 % 100 ))
	else
		printf -
	fi
}

copy_ms() {
	v=$(sed -n "s/^copy $1 $2 ms=\([0-9]*\).*/\1/p" $COUT | tail -n 1)
	echo "${v:--}"
}

modprobe nvme-tcp && modprobe nvmet && modprobe nvmet-tcp || return 1
xin=
W="nvme host"
X="xnvme xhost"
mkdir -p /tmp/bench-copy
truncate -s $(( 2 * CMB ))M /tmp/bench-copy/ns1 || return 1
echo "==> Copy of $CMB MiB over NVMe/TCP: file on tmpfs, within"
copy_one file "$W" '$dev1' $CMB copy_check /tmp/bench-copy/ns1
rm -f /tmp/bench-copy/ns1
truncate -s ${CMB}M /tmp/bench-copy/a /tmp/bench-copy/b || return 1
echo "==> Copy of $CMB MiB over NVMe/TCP: two files on tmpfs, across"
copy_one file "$X" '$dev2' 0 copy_xcheck /tmp/bench-copy/a /tmp/bench-copy/b
rm -rf /tmp/bench-copy
echo "==> Copy of $CMB MiB over NVMe/TCP: null_blk (bdev), within"
modprobe null_blk nr_devices=1 gb=$(( (2 * CMB + 1023) / 1024 )) bs=4096 \
	memory_backed=1 || return 1
copy_one bdev "$W" '$dev1' $CMB copy_check /dev/nullb0
rmmod null_blk
echo "==> Copy of $CMB MiB over NVMe/TCP: two null_blk (bdev), across"
modprobe null_blk nr_devices=2 gb=$(( (CMB + 1023) / 1024 )) bs=4096 \
	memory_backed=1 || return 1
copy_one bdev "$X" '$dev2' 0 copy_xcheck /dev/nullb0 /dev/nullb1
rmmod null_blk
echo "==> Copy of $CMB MiB over NVMe/TCP: ram, within"
copy_one ram "$W" '$dev1' $CMB copy_check ram
rmmod nvmet_tcp nvmet_ram nvmet 2> /dev/null

echo "Copy of $CMB MiB over NVMe/TCP, ms (second run of each way):"
printf '%-6s %10s %10s %9s %10s %10s %9s\n' backend "nvme copy" "host dd" \
	"host/copy" "xcopy 2h" "host dd" "host/copy"
printf '%-6s %31s %31s\n' "" "within one namespace" "across two namespaces"
for b in file bdev ram; do
	c=$(copy_ms $b nvme) h=$(copy_ms $b host)
	xc=$(copy_ms $b xnvme) xh=$(copy_ms $b xhost)
	printf '%-6s %10s %10s %9s %10s %10s %9s\n' $b $c $h \
		$(copy_ratio "${c#-}" "${h#-}") $xc $xh \
		$(copy_ratio "${xc#-}" "${xh#-}")
done
