#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# NVMe/TCP over IPv6: a port on ::1 (addr_adrfam ipv6) is discovered over
# ::1 with IPv6 records, is connected to over ::1 and carries I/O to the
# right place of the backing file; it does not listen on 127.0.0.1.
. /vm/guest/lib.sh
. /vm/guest/nvme.sh
[ -e /proc/net/if_inet6 ] || skip "no IPv6 in the guest kernel"
grep -q '^0\{31\}1 ' /proc/net/if_inet6 || skip "lo has no ::1"
e2e_begin
tgt_load

N=$NQN_BASE:ipv6
IMG=/tmp/e2e-v6.img
truncate -s 64M $IMG || fail "truncate"
tgt_setup_tcp_subsys $N 1 ::1 4420 $IMG
expect_file $CFS/ports/1/addr_adrfam ipv6
expect_file $CFS/ports/1/addr_traddr ::1

J=/tmp/e2e-disc6.json
nvme discover -t tcp -a ::1 -s 4420 -o json > $J ||
	fail "nvme discover over ::1"
got=$(disc_records $J)
echo "$got" | sed 's/^/  /'
expect_eq "discovery log over ::1" "$(printf '%s\n' \
	"current discovery subsystem|$DISC_NQN|tcp|ipv6|::1|4420|1" \
	"nvme subsystem|$N|tcp|ipv6|::1|4420|1" | sort)" "$got"

TRADDR=127.0.0.1 host_connect $N > /dev/null 2>&1 &&
	fail "connected over 127.0.0.1 to a port listening on ::1"
ctrl_of $N && fail "a controller exists after a refused IPv4 connect"

TRADDR=::1 host_connect $N || fail "nvme connect over ::1"
C=$(ctrl_of $N) || fail "no controller"
expect_file /sys/class/nvme/$C/state live
case $(cat /sys/class/nvme/$C/address) in
*traddr=::1,trsvcid=4420*) ;;
*) fail "controller address '$(cat /sys/class/nvme/$C/address)'" ;;
esac
D=$(wait_for_dev $N 1) || fail "no namespace"
head -c 1048576 /dev/urandom > /tmp/e2e-rand
dd if=/tmp/e2e-rand of=$D bs=1M seek=3 oflag=direct conv=fsync 2>/dev/null ||
	fail "write $D"
expect_eq "backing file at 3 MiB" "$(sha256sum < /tmp/e2e-rand | cut -d' ' -f1)" \
	"$(dd if=$IMG bs=1M skip=3 count=1 2>/dev/null | sha256sum | cut -d' ' -f1)"
fio_verify $D 16M
nvme disconnect -n $N > /dev/null || fail "disconnect"
wait_ctrl_gone $N
wait_dev_gone $N 1
exit 0
