/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compatibility layer's probe answers for the userspace lane, which
 * compiles the core against Linux 6.12's headers (include/linux/nvme.h)
 * and this shim: what compat/probe.sh finds on 6.12, for the parts
 * include/nvmet/compat.h uses.  __cond_acquires() is the shim's, of one
 * argument.
 */
#ifndef NVMET_COMPAT_GENERATED_H
#define NVMET_COMPAT_GENERATED_H
#define HAVE_NVMF_TSAS_TCP 1
#define HAVE_NVME_WZ_DEAC 1
#endif
