// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVMF_TSAS_TCP: the NVMe/TCP transport specific address subtype,
 * union tsas .tcp, and its NVMF_TCP_SECTYPE_* values (not in 6.1)
 */
#include <linux/build_bug.h>
#include <linux/nvme.h>

static_assert(sizeof(((union tsas *)NULL)->tcp.sectype) == 1);
static_assert(NVMF_TCP_SECTYPE_TLS13 == 2);
