/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Compatibility layer, Fibre Channel LLDD templates.  See
 * include/nvmet/compat.h.
 */
#ifndef _NVMET_COMPAT_FC_H
#define _NVMET_COMPAT_FC_H

#include <linux/errno.h>
#include <linux/nvme.h>
/* nvme-fc.h first: it brings struct fc_ba_rjt, which the driver API uses */
#include <linux/nvme-fc.h>
#include <linux/nvme-fc-driver.h>

#include <nvmet/compat.h>

/**
 * nvmet_fc_lldd_host_traddr() - the names of a host port, from its LLDD
 * @ops: the LLDD's target template
 * @handle: the host handle the LLDD gave with the host's LSs
 * @wwnn: its node name
 * @wwpn: its port name
 *
 * Kernels whose template has no host_traddr() cannot ask.
 *
 * Context: process context.
 * Return: 0, -EOPNOTSUPP if the LLDD or the kernel cannot tell, or the
 * LLDD's error.
 */
static inline int
nvmet_fc_lldd_host_traddr(const struct nvmet_fc_target_template *ops,
			  void *handle, u64 *wwnn, u64 *wwpn)
{
#ifdef HAVE_NVMET_FC_HOST_TRADDR
	if (ops->host_traddr)
		return ops->host_traddr(handle, wwnn, wwpn);
#endif
	return -EOPNOTSUPP;
}

/**
 * nvmet_fc_template_host_traddr() - give an LLDD's target template its
 *				     host_traddr(), where it has the member
 * @t: the template, before it is registered
 * @fn: the LLDD's host_traddr()
 *
 * Context: module init.
 */
static inline void
nvmet_fc_template_host_traddr(struct nvmet_fc_target_template *t,
			      int (*fn)(void *handle, u64 *wwnn, u64 *wwpn))
{
#ifdef HAVE_NVMET_FC_HOST_TRADDR
	t->host_traddr = fn;
#endif
}

#endif /* _NVMET_COMPAT_FC_H */
