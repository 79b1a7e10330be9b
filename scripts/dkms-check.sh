#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The DKMS package, tested the way an administrator uses it, on each kernel
# line (DKMS_KERNELS, default "6.1 6.12 newest"):
#
#   1. make deb;
#   2. in a Debian build root per suite (bookworm, Debian 12's gcc-12, for
#      6.1 and 6.12; trixie, gcc-14, for newest), apt install the .deb;
#      postinst builds for kernels with headers (newest: its
#      /lib/modules/<release>/build points at the headers), and
#      "dkms build/install -k <release> --kernelsourcedir <headers>" builds
#      6.1 and 6.12;
#   3. the modules are in /lib/modules/<release>/updates/dkms, modinfo -k
#      resolves each of our module names there (nvmet: its description is
#      ours), vermagic is the kernel's, and depmod -e against the kernel's
#      Module.symvers finds no module needing a symbol that ours lack or
#      disagree on;
#   4. apt remove: modinfo -k resolves nvmet to the in-tree one again and
#      nothing of ours is left;
#   5. the VM smoke test (tests DKMS_VM_TESTS, default 01,21: load, TCP
#      connect and fio verify) with the modules dkms built, for each line
#      of DKMS_VM_KERNELS (default: DKMS_KERNELS), booted on the line's
#      own Debian image (tests/vm/run.sh with NVMET_NG_KERNEL=<line>, the
#      way scripts/vm-line.sh runs it); test 01 checks that the modules
#      modprobe loads in the guest have the GNU build IDs of the ones dkms
#      built (module_ids), so no other build of ours can pass it.
#
# nvme-loop takes a different road on each line, so that all three of
# dkms/build.sh's are covered: 6.1 has no host sources (the stand-in is
# installed), 6.12 gets the linux-source-6.12 package of its version
# installed in the root (build.sh unpacks drivers/nvme/host from it),
# newest gets NVME_HOST_SRC (the host part scripts/kernels.sh unpacked).
#
# Prints one line per check and ends with "dkms: N passed, N failed".
# The build roots are cached ($NVMET_NG_CACHE/buildroot: dkms-bookworm, a
# debootstrap with dkms and the kbuild tools; dkms-trixie.layer, dkms added
# on top of scripts/buildroot.sh's trixie root); each run works in a fresh
# overlay on them and on the cached kernel's /lib/modules, in a private
# mount namespace, so nothing cached is changed.
# shellcheck disable=SC2015 # ok and bad print, they do not fail
set -euo pipefail

log() { echo "dkms: $*" >&2; }
since() { echo "$(( $(date +%s) - $1 ))s"; }

# ---------------------------------------------------------------- in root
# Run inside the build root (chroot), as "dkms-check.sh in-root VERSION
# SPEC...", SPEC = line:release:headers:loop road:host sources.  Prints
# "ok ..." and "FAIL ..." lines.
in_root() {
	local ver=$1 spec line kver kdir road host m path want f
	shift
	ok() { echo "ok   $*"; }
	bad() { echo "FAIL $*"; }
	ours="nvmet nvmet-null nvmet-ram nvmet-lio nvmet-tcp nvmet-rdma nvmet-fc nvme-fcloop nvme-loop"
	cd /tmp
	for spec in "$@"; do
		IFS=: read -r line kver kdir road host <<< "$spec"
		depmod -a "$kver"
		path=$(modinfo -k "$kver" -n nvmet 2>/dev/null || true)
		case $path in
		*/kernel/drivers/nvme/target/nvmet.ko*) ;;
		*) bad "$line: before install, nvmet is not the in-tree one ($path)" ;;
		esac
		[ "$road" != source ] || apt-get install -y -qq --no-install-recommends "/out/linux-source-$line.deb" >/dev/null
		[ "$road" != env ] || export NVME_HOST_SRC=$host
	done

	alog=/out/apt-install-${1%%:*}.log
	if apt-get install -y -qq --no-install-recommends "/out/nvmet-ng-dkms_${ver}_all.deb" > "$alog" 2>&1; then
		ok "apt install ./nvmet-ng-dkms_${ver}_all.deb"
	else
		bad "apt install ./nvmet-ng-dkms_${ver}_all.deb ($alog)"
		tail -n 20 "$alog"
	fi
	for spec in "$@"; do
		IFS=: read -r line kver kdir road host <<< "$spec"
		if [ -e "/lib/modules/$kver/build" ]; then
			# postinst built it, against /lib/modules/<release>/build.
			continue
		fi
		if dkms build -m nvmet-ng -v "$ver" -k "$kver" --kernelsourcedir "$kdir" \
				> "/out/dkms-build-$line.log" 2>&1 &&
		   dkms install -m nvmet-ng -v "$ver" -k "$kver" --kernelsourcedir "$kdir" \
				> "/out/dkms-install-$line.log" 2>&1; then
			ok "$line: dkms build and install -k $kver --kernelsourcedir"
		else
			bad "$line: dkms build/install -k $kver --kernelsourcedir (/out/dkms-*-$line.log, /out/make-$line.log)"
			cp "/var/lib/dkms/nvmet-ng/$ver/build/make.log" "/out/make-$line.log" || true
			tail -n 5 "/out/make-$line.log" || true
		fi
	done
	for spec in "$@"; do
		IFS=: read -r line kver kdir road host <<< "$spec"
		f=/var/lib/dkms/nvmet-ng/$ver/$kver/x86_64/log/make.log
		[ -f "$f" ] || f=/var/lib/dkms/nvmet-ng/$ver/build/make.log
		[ ! -f "$f" ] || cp "$f" "/out/make-$line.log"
		dkms status -m nvmet-ng -v "$ver" -k "$kver" | grep -q ': installed' &&
			ok "$line: dkms status: installed" ||
			bad "$line: dkms status: $(dkms status -m nvmet-ng -v "$ver" -k "$kver")"
		for m in $ours; do
			path=$(modinfo -k "$kver" -n "$m" 2>/dev/null || true)
			case $path in
			/lib/modules/$kver/updates/dkms/$m.ko*) ok "$line: $m resolves to ${path#/lib/modules/"$kver"/}" ;;
			*) bad "$line: $m resolves to '$path', not updates/dkms" ;;
			esac
		done
		want="nvmet-ng NVMe over Fabrics target core"
		[ "$(modinfo -k "$kver" -F description nvmet 2>/dev/null)" = "$want" ] &&
			ok "$line: modinfo nvmet: $want" || bad "$line: modinfo nvmet is not ours"
		[ "$(modinfo -k "$kver" -F vermagic nvmet | cut -d' ' -f1)" = "$kver" ] &&
			ok "$line: vermagic $kver" || bad "$line: vermagic $(modinfo -k "$kver" -F vermagic nvmet)"
		case $road in
		none)	want="nvmet-ng stand-in for nvme-loop*" ;;
		*)	want="nvmet-ng NVMe loop transport*" ;;
		esac
		# shellcheck disable=SC2053 # want is a pattern
		[[ $(modinfo -k "$kver" -F description nvme-loop 2>/dev/null) == $want ]] &&
			ok "$line: nvme-loop ($road): $want" ||
			bad "$line: nvme-loop ($road) is '$(modinfo -k "$kver" -F description nvme-loop)'"
		# Every module of the kernel against our exports, with CRCs.
		f=$(depmod -n -e -E "$kdir/Module.symvers" "$kver" 2>&1 >/dev/null |
		    grep -E 'unknown symbol|disagrees' || true)
		[ -z "$f" ] && ok "$line: depmod -e: no unknown or disagreeing symbol" ||
			{ bad "$line: depmod -e:"; echo "$f" | head -n 10; }
		rm -rf "/out/modules/$line"
		mkdir -p "/out/modules/$line"
		for path in /lib/modules/"$kver"/updates/dkms/*.ko*; do
			[ -f "$path" ] || continue
			m=$(basename "$path")
			case $m in
			*.ko.xz)  xz -dc "$path" > "/out/modules/$line/${m%.xz}" ;;
			*.ko.zst) zstd -qdc "$path" > "/out/modules/$line/${m%.zst}" ;;
			*.ko.gz)  gzip -dc "$path" > "/out/modules/$line/${m%.gz}" ;;
			*)        cp "$path" "/out/modules/$line/" ;;
			esac
		done
	done

	if apt-get remove -y -qq nvmet-ng-dkms > "/out/apt-remove-${1%%:*}.log" 2>&1; then
		ok "apt remove nvmet-ng-dkms"
	else
		bad "apt remove nvmet-ng-dkms (/out/apt-remove-${1%%:*}.log)"
	fi
	[ -z "$(dkms status -m nvmet-ng 2>/dev/null)" ] && ok "dkms status: nvmet-ng gone" ||
		bad "dkms status after remove: $(dkms status -m nvmet-ng)"
	for spec in "$@"; do
		IFS=: read -r line kver kdir road host <<< "$spec"
		path=$(modinfo -k "$kver" -n nvmet 2>/dev/null || true)
		case $path in
		*/kernel/drivers/nvme/target/nvmet.ko*) ok "$line: after remove nvmet resolves to ${path#/lib/modules/"$kver"/}" ;;
		*) bad "$line: after remove nvmet resolves to '$path'" ;;
		esac
		f=$(find "/lib/modules/$kver/updates" -name '*.ko*' 2>/dev/null || true)
		[ -z "$f" ] && ok "$line: nothing left in updates/" || bad "$line: left in updates/: $f"
		path=$(modinfo -k "$kver" -n nvme-loop 2>/dev/null || true)
		case $path in
		""|*/kernel/drivers/nvme/target/nvme-loop.ko*) ok "$line: after remove nvme-loop is ${path:-absent (Debian builds none for $kver)}" ;;
		*) bad "$line: after remove nvme-loop resolves to '$path'" ;;
		esac
	done
}

if [ "${1:-}" = in-root ]; then
	shift
	in_root "$@"
	exit 0
fi

. "$(dirname "$0")/env.sh"
TOP=$NVMET_NG_TOP
WORK=$NVMET_NG_SCRATCH/dkms-check
BR=$NVMET_NG_CACHE/buildroot
MIRROR=${NVMET_NG_MIRROR:-http://deb.debian.org/debian}
KERNELS=${DKMS_KERNELS:-6.1 6.12 newest}
VM_KERNELS=${DKMS_VM_KERNELS-$KERNELS}
VM_TESTS=${DKMS_VM_TESTS:-01,21}
# The modules whose build IDs the smoke test compares in the guest.
VM_IDS="nvmet nvmet-tcp"
# What dkms and Debian's kbuild tools need in the bookworm root.
BOOKWORM_PKGS=dkms,gcc-12,make,libc6-dev,libelf1,libssl3,zlib1g,libzstd1,perl,bc,bison,flex,kmod,xz-utils,dwarves

# ---------------------------------------------------------------- roots
bookworm_root() {
	local root=$BR/dkms-bookworm start
	[ -f "$root/.done" ] && [ "$(cat "$root/.done")" = "$BOOKWORM_PKGS" ] && return 0
	start=$(date +%s)
	log "debootstrap bookworm with dkms into $root"
	rm -rf "$root.tmp"
	mkdir -p "$root.tmp"
	nice -n 10 debootstrap --variant=minbase --include="$BOOKWORM_PKGS" \
		--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
		bookworm "$root.tmp" "$MIRROR" > "$BR/dkms-bookworm.log" 2>&1 || {
		tail -n 20 "$BR/dkms-bookworm.log"
		log "debootstrap failed ($BR/dkms-bookworm.log)"
		exit 1
	}
	rm -rf "$root.tmp"/var/cache/apt/archives/*.deb
	rm -rf "$root"
	mv "$root.tmp" "$root"
	echo "$BOOKWORM_PKGS" > "$root/.done"
	log "bookworm root ready in $(since "$start"), $(du -sh "$root" | cut -f1)"
}

# dkms on top of scripts/buildroot.sh's trixie root, as an overlay layer,
# so the shared root stays as it is.  Remade when that root changes.
trixie_layer() {
	local layer=$BR/dkms-trixie.layer key start
	"$TOP/scripts/buildroot.sh" init trixie
	key="$(cat "$BR/trixie/.done") dkms"
	[ -f "$layer.done" ] && [ "$(cat "$layer.done")" = "$key" ] && return 0
	start=$(date +%s)
	log "adding dkms to the trixie root, in $layer"
	rm -rf "$layer" "$layer.work" "$layer.done"
	mkdir -p "$layer" "$layer.work" "$WORK/mnt-layer"
	unshare -m --propagation private /bin/bash -euc '
		mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3" "$4"
		mount -t proc proc "$4/proc"
		chroot "$4" /usr/bin/env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin \
			DEBIAN_FRONTEND=noninteractive /bin/sh -c "apt-get update -qq &&
			apt-get install -y -qq --no-install-recommends dkms &&
			apt-get clean"
	' layer "$BR/trixie" "$layer" "$layer.work" "$WORK/mnt-layer" \
		> "$BR/dkms-trixie.log" 2>&1 || {
		tail -n 20 "$BR/dkms-trixie.log"
		log "installing dkms in the trixie layer failed ($BR/dkms-trixie.log)"
		exit 1
	}
	rm -rf "$layer.work"
	echo "$key" > "$layer.done"
	log "trixie dkms layer ready in $(since "$start"), $(du -sh "$layer" | cut -f1)"
}

# The linux-source-X.Y package of the kernel's own version, for the 6.12
# road: the host's apt cache has it when scripts/deps.sh installed it.
linux_source_deb() {
	local kdir=$1 kver=$2 out=$3 series ver f
	series=$(echo "$kver" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')
	ver=$(sed -n 's/.*UTS_VERSION ".* Debian \([^ ]*\) .*/\1/p' \
		"$kdir/include/generated/utsversion.h")
	for f in "/var/cache/apt/archives/linux-source-${series}_${ver}_all.deb" \
		 "$NVMET_NG_CACHE/dkms/linux-source-${series}_${ver}_all.deb"; do
		[ -f "$f" ] || continue
		ln -f "$f" "$out" 2>/dev/null || cp "$f" "$out"
		return 0
	done
	mkdir -p "$NVMET_NG_CACHE/dkms"
	log "downloading linux-source-$series $ver"
	(cd "$NVMET_NG_CACHE/dkms" && apt-get download -q "linux-source-$series=$ver" >&2)
	ln -f "$NVMET_NG_CACHE/dkms/linux-source-${series}_${ver}_all.deb" "$out"
}

# The line's release, headers, /lib/modules and host sources (env.sh once).
line_env() {
	(
		unset KVER
		NVMET_NG_KERNEL=$1
		. "$TOP/scripts/env.sh"
		echo "$KVER $NVMET_NG_KDIR $NVMET_NG_MODDIR $NVMET_NG_HOST_SRC"
	)
}

# ---------------------------------------------------------------- a suite
# run_suite SUITE LINE...: one overlay root, the .deb installed once,
# built for each line's kernel, removed.
run_suite() {
	local suite=$1 lower line kver kdir moddir road host specs=() mounts=()
	shift
	case $suite in
	bookworm) bookworm_root; lower=$BR/dkms-bookworm ;;
	trixie)	trixie_layer; lower=$BR/dkms-trixie.layer:$BR/trixie ;;
	esac
	rm -rf "$WORK/$suite"
	mkdir -p "$WORK/$suite"/{upper,work,mnt}
	for line in "$@"; do
		read -r kver kdir moddir host < <(line_env "$line")
		[ -f "$kdir/Makefile" ] || { log "$line: no headers at $kdir (scripts/kernels.sh $line)"; exit 1; }
		case $line in
		6.1)	road=none ;;
		6.12)	road=source
			linux_source_deb "$kdir" "$kver" "$WORK/out/linux-source-$line.deb" ;;
		*)	road=env ;;
		esac
		specs+=("$line:$kver:$kdir:$road:$host")
		mkdir -p "$WORK/$suite/mod-$kver"/{upper,work}
		mounts+=("$moddir" "$WORK/$suite/mod-$kver" "$kver" "$([ "$suite" = trixie ] && echo "$kdir")")
	done
	# Mounts: the root overlay; the checkout and the cache read-only at
	# their own paths; $WORK/out as /out; each kernel's /lib/modules as
	# an overlay on the cached one (its build link: the headers, for the
	# kernels postinst is to build, else none).
	unshare -m --propagation private /bin/bash -euc '
		lower=$1 w=$2 top=$3 cache=$4 ver=$5 nspecs=$6
		shift 6
		specs=("${@:1:$nspecs}")
		shift "$nspecs"
		mnt=$w/mnt
		mount -t overlay overlay -o "lowerdir=$lower,upperdir=$w/upper,workdir=$w/work" "$mnt"
		for d in "$top" "$cache"; do
			mkdir -p "$mnt$d"
			mount --bind "$d" "$mnt$d"
			mount -o remount,bind,ro "$mnt$d"
		done
		mkdir -p "$mnt/out"
		mount --bind "$w/../out" "$mnt/out"
		while [ $# -gt 0 ]; do
			moddir=$1 m=$2 kver=$3 build=$4
			shift 4
			mkdir -p "$mnt/lib/modules/$kver"
			mount -t overlay overlay \
				-o "lowerdir=$moddir,upperdir=$m/upper,workdir=$m/work" \
				"$mnt/lib/modules/$kver"
			rm -f "$mnt/lib/modules/$kver/build" "$mnt/lib/modules/$kver/source"
			[ -z "$build" ] || ln -s "$build" "$mnt/lib/modules/$kver/build"
		done
		mount -t proc proc "$mnt/proc"
		exec chroot "$mnt" /usr/bin/env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin \
			HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
			/bin/bash "$top/scripts/dkms-check.sh" in-root "$ver" "${specs[@]}"
	' suite "$lower" "$WORK/$suite" "$TOP" "$NVMET_NG_CACHE" "$VERSION" \
		"${#specs[@]}" "${specs[@]}" "${mounts[@]}"
}

# ---------------------------------------------------------------- main
start=$(date +%s)
VERSION=$(cat "$TOP/VERSION")
rm -rf "$WORK/out"
mkdir -p "$WORK/out"
pass=0 fail=0
result() {
	case $1 in
	ok)   pass=$((pass + 1)) ;;
	FAIL) fail=$((fail + 1)) ;;
	*)    echo "      $*"; return ;;
	esac
	echo "dkms: $*"
}

deb=$(make -s -C "$TOP" deb)
if [ -f "$deb" ]; then
	result ok "make deb: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"
	cp "$deb" "$WORK/out/"
else
	result FAIL "make deb"
	echo "dkms: $pass passed, $fail failed"
	exit 1
fi

bookworm=() trixie=() lines=()
for line in $KERNELS; do
	case $line in
	6.1|6.12) bookworm+=("$line") ;;
	newest)	  trixie+=("$line") ;;
	*)	  log "unknown kernel line $line"; exit 2 ;;
	esac
done
for suite in bookworm trixie; do
	case $suite in
	bookworm) lines=("${bookworm[@]}") ;;
	trixie)	  lines=("${trixie[@]}") ;;
	esac
	[ ${#lines[@]} -gt 0 ] || continue
	t=$(date +%s)
	while read -r word rest; do
		result "$word" "$rest"
	done < <(run_suite "$suite" "${lines[@]}" 2>"$WORK/$suite.stderr" || echo "FAIL $suite: the build root run failed ($WORK/$suite.stderr)")
	log "$suite (${lines[*]}) in $(since "$t")"
done

# The smoke test boots the line's own Debian image (tests/vm/run.sh with
# NVMET_NG_KERNEL, as scripts/vm-line.sh does) with the modules dkms built
# as NVMET_NG_MODTOP, and test 01 checks that nvmet and nvmet-tcp, as
# modprobe loads them, have the GNU build IDs of dkms's (module_ids).
for line in $VM_KERNELS; do
	mods=$WORK/out/modules/$line
	if [ ! -f "$mods/nvmet.ko" ]; then
		result FAIL "$line: VM smoke test: no dkms-built modules"
		continue
	fi
	ids=
	for m in $VM_IDS; do
		id=$(readelf -n "$mods/$m.ko" 2>/dev/null | sed -n 's/^ *Build ID: //p')
		[ -n "$id" ] || { ids=; break; }
		ids=${ids:+$ids,}$m:$id
	done
	if [ -z "$ids" ]; then
		result FAIL "$line: VM smoke test: no build ID in the dkms-built $VM_IDS"
		continue
	fi
	t=$(date +%s)
	vlog=$WORK/vm-$line.log
	out=$(NVMET_NG_KERNEL=$line KVER='' NVMET_NG_MODTOP=$mods NVMET_NG_SCRATCH=$WORK/vm \
	      VM_ARGS="tests=$VM_TESTS module_ids=$ids verbose=1" \
	      nice -n 10 "$TOP/tests/vm/run.sh" check 2>&1 |
	      tee "$vlog" | grep -E '^vm(-[^:]*)?: [0-9]+ passed' | tail -n 1 || true)
	out=${out#*: }
	# verbose=1: the guest printed each ID it compared (test 01).
	seen=$(grep -c '^# .*: build ID [0-9a-f]*$' "$vlog" || true)
	case $out in
	"0 passed"*)
		result FAIL "$line: VM smoke test ran nothing: $out ($vlog)" ;;
	[0-9]*" passed, 0 failed"*)
		if [ "$seen" -eq "$(echo "$VM_IDS" | wc -w)" ]; then
			result ok "$line: VM smoke test (tests=$VM_TESTS) with the dkms-built modules, build IDs checked in the guest ($VM_IDS): $out in $(since "$t")"
		else
			result FAIL "$line: VM smoke test passed, but the guest compared $seen build IDs, not those of $VM_IDS ($vlog)"
		fi ;;
	*)	result FAIL "$line: VM smoke test: ${out:-no result} ($vlog)" ;;
	esac
done

log "took $(since "$start")"
echo "dkms: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
