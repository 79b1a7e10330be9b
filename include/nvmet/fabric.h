/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fabric (transport) ops table and its registry.
 *
 * A fabric module (nvmet-tcp, nvmet-rdma, nvmet-fc, nvme-loop, or the test
 * fabric) registers one const table per NVMe transport type from its module
 * init and unregisters it from its module exit.  A port takes a reference
 * on the fabric module while it is not DISABLED, so unregistration never
 * races with a port using the table.
 */
#ifndef _NVMET_FABRIC_H
#define _NVMET_FABRIC_H

#include <linux/bits.h>
#include <linux/types.h>

struct module;
struct nvmet_port;

/* Longest fabric name, NUL included. */
#define NVMET_FABRIC_NAME_MAX	16

/**
 * struct nvmet_fabric_ops - what a fabric offers the core
 * @name: short name, e.g. "tcp"; at most NVMET_FABRIC_NAME_MAX - 1 chars
 * @owner: the module that implements the fabric (THIS_MODULE)
 * @type: NVMe transport type, NVMF_TRTYPE_*; one table per type
 * @flags: NVMET_FABRIC_F_* below
 * @add_port: start serving @port: validate its address, listen, set
 *	      port->priv.  Mandatory.  Called with no core lock held but the
 *	      port's link_lock, so it may sleep as long as it needs; only
 *	      links into this same port wait for it.  Return 0 or -errno,
 *	      which fails the `ln` that enabled the port.
 * @remove_port: stop serving @port and free port->priv.  Mandatory.
 *		 Called like @add_port, after the port left LIVE.
 */
struct nvmet_fabric_ops {
	const char *name;
	struct module *owner;
	u8 type;
	unsigned int flags;
#define NVMET_FABRIC_F_KEYED_SGLS	BIT(0)
#define NVMET_FABRIC_F_METADATA		BIT(1)
	int (*add_port)(struct nvmet_port *port);
	void (*remove_port)(struct nvmet_port *port);
};

int nvmet_register_fabric(const struct nvmet_fabric_ops *ops);
void nvmet_unregister_fabric(const struct nvmet_fabric_ops *ops);
const struct nvmet_fabric_ops *nvmet_fabric_get(u8 type);
void nvmet_fabric_put(const struct nvmet_fabric_ops *ops);

#endif /* _NVMET_FABRIC_H */
