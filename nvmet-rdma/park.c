// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connections whose source address is gone: their CM ids wait for it.
 *
 * When a port's address is removed, the core deletes the port's
 * controllers and we release their queues.  On RoCE the connection's
 * source GID went with the address, and destroying an established CM id
 * sends a DREQ from it: rdma_rxe cannot route that send and moves the
 * port's GSI QP (QP1) to the error state for good, so no connection
 * request, reply or disconnect passes on that port again, for any host or
 * target, until the device is re-created.  A DREQ the host cannot receive
 * helps nobody, so a released queue whose RoCE source address is not local
 * frees its QP, CQ and buffers as usual but keeps its CM id, "parked",
 * until the address is local again; then the id is destroyed and its DREQ
 * sent from a working address.  Device removal and module exit destroy
 * parked ids whatever their address.
 *
 * What stays parked is the queue structure with its CM id: nothing else of
 * it is used, and at most one per queue that was connected when the
 * address went.  The CM id's handler still runs for it (the host's DREQ
 * arriving after the address returned); nvmet_rdma_queue_cm_event() ignores
 * events of a parked queue.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inetdevice.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/addrconf.h>
#include <net/route.h>

#include <nvmet/fabric.h>

#include "nvmet-rdma.h"

/* How often the parked ids' addresses are looked at. */
#define NVMET_RDMA_PARK_POLL	HZ

/* Protects nvmet_rdma_parked. */
static DEFINE_MUTEX(nvmet_rdma_park_lock);
static LIST_HEAD(nvmet_rdma_parked);

static void nvmet_rdma_park_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(nvmet_rdma_park_work, nvmet_rdma_park_work_fn);

static bool nvmet_rdma_addr_local(const struct sockaddr *sa)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

	switch (sa->sa_family) {
	case AF_INET:
		return inet_addr_type(&init_net, sin->sin_addr.s_addr) ==
			RTN_LOCAL;
	case AF_INET6:
		if (!IS_REACHABLE(CONFIG_IPV6))
			return true;
		return ipv6_chk_addr(&init_net, &sin6->sin6_addr, NULL, 0);
	default:
		/* AF_IB: the GID does not depend on an IP address. */
		return true;
	}
}

/**
 * nvmet_rdma_src_gone() - may the CM id of a queue not be destroyed yet?
 * @cm_id: the connection
 *
 * Return: true on RoCE when the connection's source address is no longer
 * an address of this host.
 */
bool nvmet_rdma_src_gone(struct rdma_cm_id *cm_id)
{
	if (!cm_id->device ||
	    !rdma_protocol_roce(cm_id->device, cm_id->port_num))
		return false;
	return !nvmet_rdma_addr_local((struct sockaddr *)
				      &cm_id->route.addr.src_addr);
}

/**
 * nvmet_rdma_park() - keep a released queue's CM id until its address is
 * back
 * @queue: the queue, marked parked, with everything but its CM id freed
 *
 * Context: Process context (the release work); takes nvmet_rdma_park_lock.
 */
void nvmet_rdma_park(struct nvmet_rdma_queue *queue)
{
	pr_info_ratelimited("queue %d: %pISpc is gone; its CM id is kept until the address is back\n",
			    queue->idx, &queue->cm_id->route.addr.src_addr);
	mutex_lock(&nvmet_rdma_park_lock);
	list_add_tail(&queue->entry, &nvmet_rdma_parked);
	mutex_unlock(&nvmet_rdma_park_lock);
	queue_delayed_work(nvmet_rdma_wq, &nvmet_rdma_park_work,
			   NVMET_RDMA_PARK_POLL);
}

/* Destroy the ids of @list, off nvmet_rdma_parked already. */
static void nvmet_rdma_unpark_list(struct list_head *list)
{
	struct nvmet_rdma_queue *queue, *next;

	list_for_each_entry_safe(queue, next, list, entry) {
		list_del(&queue->entry);
		/* No event handler of the id runs once this returns. */
		rdma_destroy_id(queue->cm_id);
		kfree(queue);
	}
}

/* Move the parked ids @pick() selects to @list; true if some stay. */
static bool nvmet_rdma_park_pick(struct list_head *list,
				 bool (*pick)(struct nvmet_rdma_queue *,
					      const void *),
				 const void *data)
{
	struct nvmet_rdma_queue *queue, *next;
	bool left;

	mutex_lock(&nvmet_rdma_park_lock);
	list_for_each_entry_safe(queue, next, &nvmet_rdma_parked, entry) {
		if (pick(queue, data))
			list_move_tail(&queue->entry, list);
	}
	left = !list_empty(&nvmet_rdma_parked);
	mutex_unlock(&nvmet_rdma_park_lock);
	return left;
}

static bool nvmet_rdma_pick_back(struct nvmet_rdma_queue *queue,
				 const void *unused)
{
	return !nvmet_rdma_src_gone(queue->cm_id);
}

static bool nvmet_rdma_pick_device(struct nvmet_rdma_queue *queue,
				   const void *ibdev)
{
	return queue->cm_id->device == ibdev;
}

static bool nvmet_rdma_pick_all(struct nvmet_rdma_queue *queue,
				const void *unused)
{
	return true;
}

static void nvmet_rdma_park_work_fn(struct work_struct *work)
{
	LIST_HEAD(back);

	if (nvmet_rdma_park_pick(&back, nvmet_rdma_pick_back, NULL))
		queue_delayed_work(nvmet_rdma_wq, &nvmet_rdma_park_work,
				   NVMET_RDMA_PARK_POLL);
	nvmet_rdma_unpark_list(&back);
}

/**
 * nvmet_rdma_unpark_device() - destroy the parked ids of a device
 * @ibdev: the device, being removed, whose queues are released already
 *
 * Context: Process context (the ib_client remove callback).
 */
void nvmet_rdma_unpark_device(struct ib_device *ibdev)
{
	LIST_HEAD(gone);

	nvmet_rdma_park_pick(&gone, nvmet_rdma_pick_device, ibdev);
	nvmet_rdma_unpark_list(&gone);
}

/**
 * nvmet_rdma_park_exit() - destroy every parked id
 *
 * Context: Module exit, after every queue was released.
 */
void nvmet_rdma_park_exit(void)
{
	LIST_HEAD(all);

	cancel_delayed_work_sync(&nvmet_rdma_park_work);
	nvmet_rdma_park_pick(&all, nvmet_rdma_pick_all, NULL);
	nvmet_rdma_unpark_list(&all);
}
