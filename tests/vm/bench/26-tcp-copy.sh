#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Copy (19h) against the host copying through itself, over NVMe/TCP on
# 127.0.0.1, ours only (in-tree has no Copy): BENCH_COPY_MB (default 256;
# 1024 wants VM_MEM=4G) of the namespace's first half copied to its second
# half, once with "nvme copy" (commands of one range of MCL blocks: the
# data never leaves the target) and once with dd reading and writing it
# through the host (1 MiB direct I/O), on three backends: a file on tmpfs
# (the file backend's copy() hook, vfs_copy_file_range()), a memory-backed
# null_blk (bdev: the core's staged copy through rw()) and a ram namespace
# (the staged copy over nvmet-ram).  Each copy is checked by reading the
# destination back.  Prints the time of each and the ratio.
#
# Environment: BENCH_COPY_MB.  Sourced by guest/bench.sh.
. /vm/guest/fio-bench.sh
. /vm/guest/ana.sh

CNQN=nqn.2026-12.io.nvmet-ng:bench-copy
CMB=${BENCH_COPY_MB:-256}
COUT=/tmp/tcp-copy.txt
: > "$COUT"

# copy_nvme DEV: the first CMB MiB to the second half with nvme copy
copy_nvme() {
	bs=$(( 1 << $(nvme id-ns $1 | sed -n 's/^lbaf .*lbads:\([0-9]*\).*in use.*/\1/p') ))
	mcl=$(( $(id_ns_field $1 mcl) ))
	total=$(( CMB * 1048576 / bs ))
	at=0
	while [ $at -lt $total ]; do
		n=$(( total - at < mcl ? total - at : mcl ))
		nvme copy $1 --sdlba=$(( total + at )) --slbs=$at \
			--blocks=$(( n - 1 )) --format=0 > /dev/null 2>&1 ||
			return 1
		at=$(( at + n ))
	done
}

# copy_host DEV: the same through the host
copy_host() {
	dd if=$1 of=$1 bs=1M count=$CMB seek=$CMB iflag=direct oflag=direct \
		conv=notrunc 2> /dev/null
}

# copy_check DEV: the second half equals the first
copy_check() {
	dd if=$1 bs=1M count=$CMB iflag=direct 2> /dev/null | md5sum > /tmp/c.a
	dd if=$1 bs=1M count=$CMB skip=$CMB iflag=direct 2> /dev/null |
		md5sum > /tmp/c.b
	cmp -s /tmp/c.a /tmp/c.b
}

# copy_one LABEL SPEC: both ways on a namespace of SPEC
copy_one() {
	label=$1
	s=$CFS/subsystems/$CNQN
	mkdir $s && echo 1 > $s/attr_allow_any_host || return 1
	mkdir $s/namespaces/1 || return 1
	case $2 in
	ram)	echo ram > $s/namespaces/1/device_backend
		echo $(( 2 * CMB * 1048576 )) > $s/namespaces/1/device_size ;;
	*)	echo "$2" > $s/namespaces/1/device_path ;;
	esac
	echo 1 > $s/namespaces/1/enable || return 1
	mkdir $CFS/ports/1 && echo tcp > $CFS/ports/1/addr_trtype &&
		echo ipv4 > $CFS/ports/1/addr_adrfam &&
		echo 127.0.0.1 > $CFS/ports/1/addr_traddr &&
		echo 4420 > $CFS/ports/1/addr_trsvcid || return 1
	ln -s $s $CFS/ports/1/subsystems/$CNQN || return 1
	nvme connect -t tcp -a 127.0.0.1 -s 4420 -n $CNQN > /dev/null || return 1
	dev=$(wait_for_dev $CNQN 1 10) || return 1
	dd if=/dev/urandom of=$dev bs=1M count=$CMB oflag=direct 2> /dev/null ||
		return 1
	for way in nvme host nvme host; do
		dd if=/dev/zero of=$dev bs=1M count=$CMB seek=$CMB oflag=direct \
			2> /dev/null
		t0=$(ana_now_ms)
		copy_$way $dev || { echo "copy $label $way failed" | tee -a $COUT; break; }
		ms=$(( $(ana_now_ms) - t0 ))
		copy_check $dev ||
			{ echo "copy $label $way: data differs" | tee -a $COUT; break; }
		echo "copy $label $way ms=$ms" | tee -a $COUT
	done
	bf_cleanup $CNQN
}

modprobe nvme-tcp && modprobe nvmet && modprobe nvmet-tcp || return 1
mkdir -p /tmp/bench-copy
truncate -s $(( 2 * CMB ))M /tmp/bench-copy/ns1 || return 1
echo "==> Copy of $CMB MiB over NVMe/TCP: file on tmpfs"
copy_one file /tmp/bench-copy/ns1
rm -rf /tmp/bench-copy
echo "==> Copy of $CMB MiB over NVMe/TCP: null_blk (bdev)"
modprobe null_blk nr_devices=1 gb=$(( (2 * CMB + 1023) / 1024 )) bs=4096 \
	memory_backed=1 || return 1
copy_one bdev /dev/nullb0
rmmod null_blk
echo "==> Copy of $CMB MiB over NVMe/TCP: ram"
copy_one ram ram
rmmod nvmet_tcp nvmet_ram nvmet 2> /dev/null

echo "Copy of $CMB MiB within one namespace, NVMe/TCP, ms (second run of each):"
printf '%-6s %10s %10s %8s\n' backend "nvme copy" "host dd" "host/copy"
for b in file bdev ram; do
	c=$(sed -n "s/^copy $b nvme ms=//p" $COUT | tail -n 1)
	h=$(sed -n "s/^copy $b host ms=//p" $COUT | tail -n 1)
	if [ -n "$c" ] && [ -n "$h" ] && [ "$c" -gt 0 ]; then
		printf '%-6s %10s %10s %5d.%02d\n' $b $c $h $(( h / c )) \
			$(( h * 100 / c % 100 ))
	else
		printf '%-6s %10s %10s %8s\n' $b "${c:--}" "${h:--}" -
	fi
done
