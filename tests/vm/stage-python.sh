#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Stage python3, Debian's python3-configshell-fb and the unmodified
# upstream nvmetcli into the VM's initramfs, for the nvmetcli round trip
# (tests/vm/tests/80-nvmetcli.sh), and Debian's targetcli-fb with
# python3-rtslib-fb, for the LIO backstores test 2x makes with it.
# Called by mkinitramfs.sh.
#
#   tests/vm/stage-python.sh STAGE   copy into the staging tree STAGE
#   tests/vm/stage-python.sh hash    print what the staging depends on
#                                    (package versions, nvmetcli's files)
#
# Files come from the host's Debian packages (scripts/deps.sh installs
# them), by their package file lists: the interpreter, its standard
# library and python3-configshell-fb with the dependencies nvmetcli's
# save, restore and clear import (pyparsing, six; urwid is imported only
# by configshell's interactive pager, so it stays out); targetcli-fb and
# what it imports: rtslib-fb, pyudev (which finds libudev through
# ctypes, so ldconfig and its cache come too) and python3-gi with the
# GLib, GObject and Gio typelibs (targetcli asks the system bus for
# tcmu-runner's handlers; mkinitramfs.sh stages a dbus-daemon).  The standard
# library is pruned of what nvmetcli never imports (test suites, IDLE,
# tkinter, 2to3, ensurepip, distutils, asyncio, email, ...) and of the
# extension modules that would pull large libraries (ssl, sqlite, curses).
# Then the staged interpreter runs nvmetcli's imports once in a chroot: that
# checks the staging and leaves the bytecode of exactly the modules used, so
# the guest does not compile them under TCG.
#
# nvmetcli is $NVMETCLI_DIR, default $NVMET_NG_TOP/../shared/tools/nvmetcli,
# else /work/shared/tools/nvmetcli; it goes to /opt/nvmetcli in the guest.
# It is a test tool, not part of nvmet-ng: it is only ever copied into
# this build product.  Without it the build fails: the round trip is part
# of the VM lane and must not silently skip.
set -euo pipefail
. "$(dirname "$0")/../../scripts/env.sh"

MODE=${1:?usage: stage-python.sh STAGE|hash}

PY=$(basename "$(readlink -f /usr/bin/python3)")	# python3.11
PKGS="python3-minimal $PY-minimal lib$PY-minimal lib$PY-stdlib
      python3-configshell-fb python3-pyparsing python3-six
      targetcli-fb python3-rtslib-fb python3-pyudev libudev1 python3-gi
      gir1.2-glib-2.0 libgirepository-1.0-1"
LIB=/usr/lib/$PY
# Never imported by nvmetcli: directories and extension modules.
PRUNE_DIRS="test idlelib tkinter turtledemo lib2to3 ensurepip pydoc_data
	    distutils venv asyncio multiprocessing email xmlrpc wsgiref
	    sqlite3 dbm curses concurrent xml http"
PRUNE_EXT="_test _ctypes_test _xxtestfuzz _xxsubinterpreters xxlimited
	   _ssl _hashlib _sqlite3 _dbm _gdbm _curses nis _crypt ossaudiodev
	   audioop _codecs_ _multibytecodec _asyncio _multiprocessing
	   _posixshmem _lsprof"
# Codecs: the guest runs in the C locale, which python3 takes as UTF-8.
KEEP_ENCODINGS="__init__ aliases utf_8 utf_8_sig ascii latin_1"

nvmetcli_dir() {
	local d
	for d in ${NVMETCLI_DIR:-} "$NVMET_NG_TOP/../shared/tools/nvmetcli" \
		 /work/shared/tools/nvmetcli; do
		[ -f "$d/nvmetcli" ] && [ -f "$d/nvmet/nvme.py" ] &&
			{ (cd "$d" && pwd); return 0; }
	done
	echo "stage-python: no nvmetcli (set NVMETCLI_DIR, or put it in" \
	     "$NVMET_NG_TOP/../shared/tools/nvmetcli)" >&2
	return 1
}

if [ "$MODE" = hash ]; then
	# shellcheck disable=SC2086 # PKGS is a list
	dpkg-query -W $PKGS
	dir=$(nvmetcli_dir)
	(cd "$dir" && find . -type f -not -path '*/__pycache__/*' | sort |
		xargs sha1sum)
	exit 0
fi

STAGE=$MODE
[ -d "$STAGE" ] || { echo "stage-python: no staging tree $STAGE" >&2; exit 1; }
NVMETCLI=$(nvmetcli_dir)
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed' ||
		{ echo "stage-python: $p is not installed (scripts/deps.sh)" >&2; exit 1; }
done

pruned() {	# pruned PATH: not wanted in the guest
	local f=$1 d e base
	case $f in
	*/share/*|/usr/lib/binfmt.d/*|*/__pycache__/*|*/tests/*) return 0 ;;
	/lib/systemd/*|/etc/init.d/*) return 0 ;;
	/usr/bin/py3*|"$LIB"/turtle.py|"$LIB"/_pydecimal.py) return 0 ;;
	"$LIB"/encodings/*.py)
		base=${f##*/}
		case " $KEEP_ENCODINGS " in *" ${base%.py} "*) return 1 ;; esac
		return 0 ;;
	esac
	for d in $PRUNE_DIRS; do
		case $f in "$LIB/$d"|"$LIB/$d"/*) return 0 ;; esac
	done
	case $f in "$LIB"/lib-dynload/*)
		base=${f##*/}
		for e in $PRUNE_EXT; do
			case $base in "$e"*) return 0 ;; esac
		done ;;
	esac
	return 1
}

# Files and symlinks of the packages (directories come with them).
copy_libs() {	# copy_libs ELF: the shared libraries it needs
	local lib
	for lib in $(ldd "$1" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$STAGE$lib" ] || install -D -m 755 "$lib" "$STAGE$lib"
	done
}
# shellcheck disable=SC2086 # PKGS is a list
dpkg -L $PKGS | sort -u | while read -r f; do
	[ -f "$f" ] || [ -L "$f" ] || continue
	[ -L "$f" ] && [ -d "$f" ] && continue	# /lib of a merged /usr
	pruned "$f" && continue
	mkdir -p "$STAGE$(dirname "$f")"
	cp -a "$f" "$STAGE$f"
	case $f in /usr/bin/"$PY"|*.so|*.so.*) copy_libs "$f" ;; esac
done
# ctypes.util.find_library (pyudev's libudev) reads "ldconfig -p"
install -D -m 755 /sbin/ldconfig "$STAGE/sbin/ldconfig"

mkdir -p "$STAGE/opt"
rm -rf "$STAGE/opt/nvmetcli"
cp -r "$NVMETCLI" "$STAGE/opt/nvmetcli"
find "$STAGE/opt/nvmetcli" -name __pycache__ -prune -exec rm -rf {} +

# Check the staging, and compile what nvmetcli imports (save, restore,
# clear), in the staged tree itself.
if [ "$(id -u)" = 0 ]; then
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin chroot "$STAGE" /usr/bin/python3 -c '
import sys
sys.path.insert(0, "/opt/nvmetcli")
import configshell, nvmet, uuid, errno, string, json, glob, shlex
"".encode("utf-8").decode("ascii")
' || { echo "stage-python: the staged python3 cannot import nvmetcli's modules" >&2; exit 1; }
	chroot "$STAGE" /sbin/ldconfig
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin chroot "$STAGE" /usr/bin/python3 -c '
import targetcli, rtslib_fb, gzip, readline, socket, filecmp, datetime
' || { echo "stage-python: the staged python3 cannot import targetcli's modules" >&2; exit 1; }
fi
echo "vm: staged $PY ($(du -sh "$STAGE/usr/lib/$PY" | cut -f1) of stdlib) and nvmetcli from $NVMETCLI"
