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
#include <linux/socket.h>
#include <linux/types.h>

struct module;
struct nvmet_ctrl;
struct nvmet_port;
struct nvmet_req;
struct nvmet_sq;

/* Longest fabric name, NUL included. */
#define NVMET_FABRIC_NAME_MAX	16

/**
 * struct nvmet_fabric_ops - what a fabric offers the core
 * @name: short name, e.g. "tcp"; at most NVMET_FABRIC_NAME_MAX - 1 chars
 * @owner: the module that implements the fabric (THIS_MODULE)
 * @type: NVMe transport type, NVMF_TRTYPE_*; one table per type
 * @flags: NVMET_FABRIC_F_* below; with NVMET_FABRIC_F_INET the port watch
 *	   takes a LIVE port back to WAITING when its address leaves the
 *	   host
 * @add_port: start serving @port: validate its address, listen, set
 *	      port->priv.  Mandatory.  Called with no core lock held but the
 *	      port's link_lock, so it may sleep as long as it needs; only
 *	      links into this same port wait for it.  Return 0 or -errno,
 *	      which fails the `ln` that enabled the port, except
 *	      -EADDRNOTAVAIL (the port's address is not on this host): the
 *	      link succeeds, the port is WAITING and add_port() is called
 *	      again when addresses change.  On an error, port->priv is left
 *	      as it was before the call.
 *	      It may set port->inline_data_size and port->max_queue_size
 *	      when they are negative (the transport's default).
 * @remove_port: stop serving @port and free port->priv.  Mandatory.
 *		 Called like @add_port, after the port left LIVE, after every
 *		 controller on the port was deleted; only after an @add_port
 *		 that succeeded.  A port may go through @add_port and
 *		 @remove_port several times while linked (its address went
 *		 away and came back).
 * @msdbd: most SGL data block descriptors per command (Identify MSDBD)
 * @queue_response: send the data of a read and the completion of @req.
 *		    Mandatory for a fabric that serves hosts.  Called from
 *		    nvmet_req_complete(), in any context, even bio completion:
 *		    must not sleep.
 * @delete_ctrl: start tearing down every queue of @ctrl; must not wait for
 *		 it.  Mandatory for a fabric that serves hosts.  Process
 *		 context; called with no core lock held but, on an unlink
 *		 or a port disable, the port's link_lock (the deletion is
 *		 ordered with the port's state change), and possibly from
 *		 the execution of a Connect on one of @ctrl's queues (one
 *		 that raced the deletion), so it must not take link_lock,
 *		 nor wait for a command.  Several calls for one controller
 *		 are allowed; each must close the queues of @ctrl then bound
 *		 to it (sq->ctrl == @ctrl) and not yet closing.
 * @install_queue: Connect set @sq up; allocate what the queue needs for
 *		   sq->size commands.  Optional.  Return an NVMe status.
 * @disc_traddr: the address to show in the discovery log for @port when
 *		 it listens on a wildcard address.  Optional.
 * @get_mdts: the largest transfer the fabric can move for @ctrl, in
 *	      Identify's MDTS unit.  Optional (0: no limit).  The core
 *	      reports and enforces the smaller of it and the port's
 *	      param_mdts.
 * @host_traddr: print the host's transport address (as Connect would
 *		 take it in traddr: an IP address, or nn-0x...:pn-0x...) of
 *		 @req's queue into @traddr, at most @len bytes with the NUL.
 *		 Optional.  Called once per controller, with the Admin
 *		 Connect, in its context; debugfs shows it.
 * @disc_changed: the discovery log of @port changed (a subsystem linked or
 *		  unlinked, a referral, a host ACL); tell the hosts the
 *		  fabric's own way besides the discovery AEN (FC: an RSCN
 *		  through the LLDD, so hosts not connected rescan).
 *		  Optional.  Process context, with no core lock held but
 *		  possibly @port's link_lock; may sleep.  It may race with
 *		  @add_port and @remove_port on @port, so it must not use
 *		  port->priv: it finds its own state for @port under its own
 *		  locks, and does nothing for a port it does not serve.
 */
struct nvmet_fabric_ops {
	const char *name;
	struct module *owner;
	u8 type;
	unsigned int flags;
#define NVMET_FABRIC_F_KEYED_SGLS	BIT(0)
#define NVMET_FABRIC_F_METADATA		BIT(1)
/* Listens on the port's IP address: the port waits while it is absent. */
#define NVMET_FABRIC_F_INET		BIT(2)
	int (*add_port)(struct nvmet_port *port);
	void (*remove_port)(struct nvmet_port *port);
	u8 msdbd;
	void (*queue_response)(struct nvmet_req *req);
	void (*delete_ctrl)(struct nvmet_ctrl *ctrl);
	u16 (*install_queue)(struct nvmet_sq *sq);
	void (*disc_traddr)(struct nvmet_req *req, struct nvmet_port *port,
			    char *traddr);
	u8 (*get_mdts)(const struct nvmet_ctrl *ctrl);
	void (*host_traddr)(struct nvmet_req *req, char *traddr, size_t len);
	void (*disc_changed)(struct nvmet_port *port);
};

int nvmet_register_fabric(const struct nvmet_fabric_ops *ops);
void nvmet_unregister_fabric(const struct nvmet_fabric_ops *ops);
const struct nvmet_fabric_ops *nvmet_fabric_get(u8 type);
void nvmet_fabric_put(const struct nvmet_fabric_ops *ops);
int nvmet_port_inet_addr(struct nvmet_port *port,
			 struct sockaddr_storage *addr);
struct nvmet_port *nvmet_ctrl_port(const struct nvmet_ctrl *ctrl);
#ifdef CONFIG_INET	/* bool; the userspace lane has no IS_ENABLED() */
void nvmet_port_relisten(struct nvmet_port *port);
void nvmet_ports_recheck(void);
#else
/* No port watch without IP: nothing retries a waiting port. */
static inline void nvmet_port_relisten(struct nvmet_port *port)
{
}

static inline void nvmet_ports_recheck(void)
{
}
#endif

#endif /* _NVMET_FABRIC_H */
