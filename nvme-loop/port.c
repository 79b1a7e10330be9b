// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loop ports: the enabled nvmet ports of type loop, in the order they
 * were enabled.  A new host controller connects through the port whose
 * traddr equals its traddr option, or else through the first one.
 *
 * Conventions:
 * @nport: an nvmet port of type loop, its link_lock held by the core in
 *	   add_port() and remove_port()
 * @lport: our state of @nport, nport->priv
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <nvmet/nvmet.h>

#include "nvme-loop.h"

/**
 * struct nvme_loop_port - an enabled loop port
 * @nport: the nvmet port (I)
 * @entry: on nvme_loop_ports (nvme_loop_ports_lock)
 * @traddr: the port's traddr (a token: no blanks), NUL-terminated (I)
 */
struct nvme_loop_port {
	struct nvmet_port *nport;
	struct list_head entry;
	char traddr[NVMF_TRADDR_SIZE + 1];
};

/* Protects nvme_loop_ports and every port's entry on it. */
static DEFINE_MUTEX(nvme_loop_ports_lock);
static LIST_HEAD(nvme_loop_ports);

/**
 * nvme_loop_add_port() - offer an enabled loop port to new host controllers
 * @nport: the port
 *
 * Context: Process context; takes nport->lock and nvme_loop_ports_lock.
 * Return: 0 or -ENOMEM.
 */
int nvme_loop_add_port(struct nvmet_port *nport)
{
	struct nvme_loop_port *lport;

	lport = kzalloc(sizeof(*lport), GFP_KERNEL);
	if (!lport)
		return -ENOMEM;
	lport->nport = nport;
	mutex_lock(&nport->lock);
	memcpy(lport->traddr, nport->disc_addr.traddr, NVMF_TRADDR_SIZE);
	mutex_unlock(&nport->lock);

	nport->priv = lport;
	mutex_lock(&nvme_loop_ports_lock);
	list_add_tail(&lport->entry, &nvme_loop_ports);
	mutex_unlock(&nvme_loop_ports_lock);
	pr_info("port %u: enabled (traddr '%s')\n",
		le16_to_cpu(nport->disc_addr.portid), lport->traddr);
	return 0;
}

/**
 * nvme_loop_remove_port() - stop offering a loop port
 * @nport: the port, no longer LIVE
 *
 * The core deleted the port's target controllers already, and so started
 * deleting their host controllers; this also deletes host controllers
 * that chose the port but have no target controller yet.
 *
 * Context: Process context; takes nvme_loop_ports_lock, then
 * nvme_loop_ctrls_lock.
 */
void nvme_loop_remove_port(struct nvmet_port *nport)
{
	struct nvme_loop_port *lport = nport->priv;

	mutex_lock(&nvme_loop_ports_lock);
	list_del(&lport->entry);
	mutex_unlock(&nvme_loop_ports_lock);
	nvme_loop_delete_port_ctrls(nport);
	nport->priv = NULL;
	kfree(lport);
}

/**
 * nvme_loop_port_find_get() - choose the port for a new host controller
 * @traddr: the traddr option of the connect, or NULL
 *
 * Context: Process context; takes nvme_loop_ports_lock.
 * Return: the port whose traddr is @traddr, else the first loop port,
 * referenced; NULL if no loop port is enabled.
 */
struct nvmet_port *nvme_loop_port_find_get(const char *traddr)
{
	struct nvme_loop_port *lport, *found = NULL;

	mutex_lock(&nvme_loop_ports_lock);
	list_for_each_entry(lport, &nvme_loop_ports, entry) {
		if (traddr && !strcmp(lport->traddr, traddr)) {
			found = lport;
			break;
		}
	}
	if (!found)
		found = list_first_entry_or_null(&nvme_loop_ports,
						 struct nvme_loop_port, entry);
	if (found)
		nvmet_port_get(found->nport);
	mutex_unlock(&nvme_loop_ports_lock);
	return found ? found->nport : NULL;
}
