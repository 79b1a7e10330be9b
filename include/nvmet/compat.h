/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compatibility layer: what differs between the kernels nvmet-ng builds
 * for, decided by feature, never by version number.
 *
 * The HAVE_* macros come from compile tests (compat/probes/, one file a
 * feature) that compat/probe.sh runs against the kernel being built for;
 * it writes them into generated/nvmet-compat.h (see Kbuild).  The code
 * calls the newest kernel's API where only a helper is missing (this
 * layer supplies it on older kernels, under the kernel's name), and a
 * helper named nvmet_* where the API changed shape.
 *
 * This header is light (the core includes it, and the userspace lane
 * compiles the core with its own generated/nvmet-compat.h); the block,
 * network and library parts are in compat-blk.h, compat-net.h and
 * compat-lib.h.
 */
#ifndef _NVMET_COMPAT_H
#define _NVMET_COMPAT_H

#include <linux/nvme.h>
#include <generated/nvmet-compat.h>

/*
 * nvmet_cond_acquires_zero(lock): the function returns 0 with @lock held,
 * an error without.  The lock context analysis gave __cond_acquires() the
 * return value that means "acquired" as its first argument; before, it
 * took the lock alone.
 */
#ifdef HAVE_COND_ACQUIRES_RET
#define nvmet_cond_acquires_zero(lock)	__cond_acquires(0, lock)
#else
#define nvmet_cond_acquires_zero(lock)	__cond_acquires(lock)
#endif

/* Write Zeroes' Deallocate bit (CDW12 bit 25: its control field's bit 9). */
#ifndef HAVE_NVME_WZ_DEAC
enum {
	NVME_WZ_DEAC	= 1 << 9,
};
#endif

/*
 * The NVMe/TCP transport specific address subtype (TSAS): its first byte
 * is the security type (NVMe/TCP transport specification, Discovery Log
 * Page Entry).  Kernels without union tsas .tcp lack the values as well.
 */
#ifdef HAVE_NVMF_TSAS_TCP
#define nvmet_tsas_tcp_sectype(tsas)	((tsas)->tcp.sectype)
#else
#define nvmet_tsas_tcp_sectype(tsas)	(*(__u8 *)&(tsas)->common[0])
enum {
	NVMF_TCP_SECTYPE_NONE	= 0,	/* no security */
	NVMF_TCP_SECTYPE_TLS12	= 1,	/* TLS 1.2 */
	NVMF_TCP_SECTYPE_TLS13	= 2,	/* TLS 1.3 */
};
#endif

/*
 * NVMET_TLS: NVMe/TCP TLS 1.3 is built: the kernel has the handshake
 * upcall (HAVE_NET_HANDSHAKE), kTLS and the ".nvme" keyring
 * (HAVE_NVME_KEYRING).  Without it addr_tsas tls1.3 is refused.  Kbuild
 * passes the same answer to the makefiles as NVMET_NG_TLS.
 */
#if defined(HAVE_NET_HANDSHAKE) && defined(HAVE_NVME_KEYRING)
#define NVMET_TLS 1
#endif

#endif /* _NVMET_COMPAT_H */
