// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ports: one RDMA-CM listener per enabled port.  Its connection requests
 * become queues in cm.c.
 *
 * The listener is destroyed by remove_port(), or by the RDMA core when
 * its device goes away (our handler returns non-zero for
 * DEVICE_REMOVAL); whichever xchg()es rport->cm_id to NULL first owns the
 * destruction.  A device removal or an address change (a bonding
 * failover: the listener's device changed) hands the port to the core's
 * port watch (nvmet_port_relisten()), which runs remove_port() and then
 * add_port() until a device serves the address again, as in-tree's
 * repair work does.  An address on no RDMA device is "not available"
 * (-EADDRNOTAVAIL): the port waits for it.
 *
 * A listener (struct nvmet_rdma_port) keeps the queues it accepted on its
 * own list (queue.c).  It is nport->priv from add_port() to remove_port()
 * and lives on, reference-counted, while a queue of it is not freed (its
 * reference rules are in queue.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rcupdate.h>
#include <linux/slab.h>

#include <nvmet/fabric.h>
#include <nvmet/nvmet.h>

#include "nvmet-rdma.h"

/* Settle the port's parameters and take its address. */
static int nvmet_rdma_port_config(struct nvmet_port *nport,
				  struct nvmet_rdma_port *rport)
{
	mutex_lock(&nport->lock);
	if (nport->inline_data_size < 0)
		nport->inline_data_size = NVMET_RDMA_DEF_INLINE_DATA_SIZE;
	else if (nport->inline_data_size > NVMET_RDMA_MAX_INLINE_DATA_SIZE)
		nport->inline_data_size = NVMET_RDMA_MAX_INLINE_DATA_SIZE;
	if (nport->max_queue_size < 0)
		nport->max_queue_size = NVMET_RDMA_DEF_QUEUE_SIZE;
	else if (nport->max_queue_size > NVMET_RDMA_MAX_QUEUE_SIZE)
		nport->max_queue_size = NVMET_RDMA_MAX_QUEUE_SIZE;
	rport->inline_data_size = nport->inline_data_size;
	rport->max_queue_size = nport->max_queue_size;
	mutex_unlock(&nport->lock);
	return nvmet_port_inet_addr(nport, &rport->addr);
}

/* A listener bound to a device: the device caps the in-capsule data. */
static void nvmet_rdma_port_cap_inline(struct nvmet_port *nport,
				       struct nvmet_rdma_port *rport,
				       struct ib_device *ibdev)
{
	u32 max = nvmet_rdma_device_inline_max(ibdev);

	if (rport->inline_data_size <= max)
		return;
	pr_warn("port %u: %s takes at most %u bytes of in-capsule data, not %u\n",
		rport->portid, dev_name(&ibdev->dev), max,
		rport->inline_data_size);
	rport->inline_data_size = max;
	mutex_lock(&nport->lock);
	nport->inline_data_size = max;
	mutex_unlock(&nport->lock);
}

static int nvmet_rdma_listen(struct nvmet_port *nport,
			     struct nvmet_rdma_port *rport)
{
	struct rdma_cm_id *cm_id;
	int ret;

	cm_id = rdma_create_id(&init_net, nvmet_rdma_cm_handler, &rport->kind,
			       RDMA_PS_TCP, IB_QPT_RC);
	if (IS_ERR(cm_id)) {
		pr_err("port %u: cannot create a CM id: %ld\n", rport->portid,
		       PTR_ERR(cm_id));
		return PTR_ERR(cm_id);
	}
	/* An IPv6 listener leaves IPv4 to another port on the same service. */
	ret = rdma_set_afonly(cm_id, 1);
	if (!ret)
		ret = rdma_set_reuseaddr(cm_id, 1);
	if (ret)
		goto out_destroy;
	ret = rdma_bind_addr(cm_id, (struct sockaddr *)&rport->addr);
	/* The address is on no RDMA device (yet): the port waits for one. */
	if (ret == -ENODEV)
		ret = -EADDRNOTAVAIL;
	if (ret == -EADDRNOTAVAIL) {
		/* The core says so once, and waits. */
		pr_debug("port %u: %pISpcs is on no RDMA device\n",
			 rport->portid, &rport->addr);
		goto out_destroy;
	}
	if (ret) {
		pr_err("port %u: cannot bind to %pISpcs: %d\n", rport->portid,
		       &rport->addr, ret);
		goto out_destroy;
	}
	if (cm_id->device)
		nvmet_rdma_port_cap_inline(nport, rport, cm_id->device);
	ret = rdma_listen(cm_id, NVMET_RDMA_BACKLOG);
	if (ret) {
		pr_err("port %u: cannot listen on %pISpcs: %d\n", rport->portid,
		       &rport->addr, ret);
		goto out_destroy;
	}
	rport->cm_id = cm_id;
	return 0;

out_destroy:
	rdma_destroy_id(cm_id);
	return ret;
}

/**
 * nvmet_rdma_add_port() - start listening on a port
 * @nport: the port, its link_lock held by the core
 *
 * Context: Process context.
 * Return: 0, -EINVAL for a bad address, or another -errno.
 */
int nvmet_rdma_add_port(struct nvmet_port *nport)
{
	struct nvmet_rdma_port *rport;
	int ret;

	rport = kzalloc(sizeof(*rport), GFP_KERNEL);
	if (!rport)
		return -ENOMEM;
	rport->kind = NVMET_RDMA_CTX_PORT;
	kref_init(&rport->ref);
	rport->nport = nport;
	rport->portid = le16_to_cpu(nport->disc_addr.portid);
	spin_lock_init(&rport->queues_lock);
	INIT_LIST_HEAD(&rport->queues);
	ret = nvmet_rdma_port_config(nport, rport);
	if (ret) {
		kfree(rport);
		return ret;
	}
	nvmet_port_get(nport);
	nvmet_rdma_port_register(rport);
	/* Connection requests may come in as soon as we listen. */
	WRITE_ONCE(nport->priv, rport);
	ret = nvmet_rdma_listen(nport, rport);
	if (ret)
		goto out_clear;
	pr_info("port %u: listening on %pISpcs\n", rport->portid,
		&rport->addr);
	return 0;

out_clear:
	WRITE_ONCE(nport->priv, NULL);
	nvmet_rdma_port_put(rport);
	return ret;
}

/**
 * nvmet_rdma_remove_port() - stop listening on a port and disconnect its
 * queues
 * @nport: the port, its link_lock held by the core
 *
 * Destroying the listener waits for connection requests being handled,
 * so no queue of the port appears afterwards.
 *
 * Context: Process context.
 */
void nvmet_rdma_remove_port(struct nvmet_port *nport)
{
	struct nvmet_rdma_port *rport = nport->priv;
	struct rdma_cm_id *cm_id;

	cm_id = xchg(&rport->cm_id, NULL);
	if (cm_id)
		rdma_destroy_id(cm_id);
	/* delete_ctrl() finds nothing from now on: nothing is left to find. */
	WRITE_ONCE(nport->priv, NULL);
	nvmet_rdma_close_port_queues(rport);
	nvmet_rdma_port_put(rport);
}

/**
 * nvmet_rdma_port_cm_event() - an RDMA-CM event of a listener
 * @rport: the listener
 * @cm_id: its CM id
 * @event: the event
 *
 * Context: The RDMA-CM's event context; the CM id's handler lock held.
 * Return: non-zero to have the RDMA-CM destroy @cm_id.
 */
int nvmet_rdma_port_cm_event(struct nvmet_rdma_port *rport,
			     struct rdma_cm_id *cm_id,
			     struct rdma_cm_event *event)
{
	switch (event->event) {
	case RDMA_CM_EVENT_DEVICE_REMOVAL:
		pr_warn("port %u: the device of %pISpcs is going away; the port waits for another\n",
			rport->portid, &rport->addr);
		/* Ours to destroy unless remove_port() is at it already. */
		if (cmpxchg(&rport->cm_id, cm_id, NULL) != cm_id)
			return 0;
		nvmet_port_relisten(rport->nport);
		return 1;
	case RDMA_CM_EVENT_ADDR_CHANGE:
		pr_info("port %u: the address %pISpcs moved; listening again\n",
			rport->portid, &rport->addr);
		nvmet_port_relisten(rport->nport);
		return 0;
	default:
		pr_debug("port %u: CM event %s ignored\n", rport->portid,
			 rdma_event_msg(event->event));
		return 0;
	}
}

/**
 * nvmet_rdma_disc_traddr() - the address a discovery log shows for a port
 * @req: the Get Log Page request
 * @nport: the port whose entry is built
 * @traddr: NVMF_TRADDR_SIZE bytes to fill
 *
 * A port listening on a wildcard address shows the address the host
 * reached us at.
 *
 * Context: Process context.
 */
void nvmet_rdma_disc_traddr(struct nvmet_req *req, struct nvmet_port *nport,
			    char *traddr)
{
	struct nvmet_rdma_queue *queue =
		container_of(req->sq, struct nvmet_rdma_queue, nvme_sq);

	if (req->ops == &nvmet_rdma_ops && queue->nport == nport &&
	    queue->listen_any) {
		memset(traddr, 0, NVMF_TRADDR_SIZE);
		snprintf(traddr, NVMF_TRADDR_SIZE, "%pISc",
			 &queue->cm_id->route.addr.src_addr);
	} else {
		memcpy(traddr, nport->disc_addr.traddr, NVMF_TRADDR_SIZE);
	}
}

/**
 * nvmet_rdma_host_traddr() - the host's address, for debugfs host_traddr
 * @req: the Admin Connect
 * @traddr: where to print it
 * @len: bytes at @traddr
 *
 * Context: Process context.
 */
void nvmet_rdma_host_traddr(struct nvmet_req *req, char *traddr, size_t len)
{
	struct nvmet_rdma_queue *queue =
		container_of(req->sq, struct nvmet_rdma_queue, nvme_sq);

	snprintf(traddr, len, "%pISc", &queue->cm_id->route.addr.dst_addr);
}
