// SPDX-License-Identifier: GPL-2.0-only
/*
 * Queue lifecycle: creation on a connection request, teardown.
 *
 * A queue is created with its CQ, QP and posted receive buffers before we
 * accept, CONNECTING until the RDMA-CM says ESTABLISHED, then LIVE.
 * Whoever wants it gone (a CM event, a completion error, delete_ctrl(),
 * remove_port(), device removal, module exit) calls
 * nvmet_rdma_schedule_release(): the first caller moves it to
 * DISCONNECTING and queues release_work, later callers do nothing.  The
 * release work:
 *   1. unlinks the queue from its port's list, so nobody finds it again;
 *   2. disconnects, which moves the QP to the error state, and drains it:
 *      every work request posted so far completed (flushed), so RDMA READs
 *      in flight ended and their commands were dropped;
 *   3. nvmet_sq_destroy()s, which waits for the commands the core has;
 *      their responses are posted and flushed;
 *   4. waits until no work request of ours is posted or waiting for room,
 *      and drains again, for receives reposted meanwhile;
 *   5. on an SRQ, gives the buffers it still has back to the SRQ (srq.c);
 *   6. frees the slots, QP, CQ and CM id, and drops the device and the
 *      port's listener (the last queue of a device destroys its SRQs).
 * A queue whose RoCE source address is gone skips the disconnect of step 2
 * (ib_drain_qp() moves the QP to the error state itself) and keeps its
 * structure and CM id, parked, until the address is back (park.c).
 *
 * A published queue is on the list of the listener that accepted it
 * (rport->queues, under rport->queues_lock) until its release, so
 * delete_ctrl() and remove_port() walk only one port's queues; device
 * removal and module exit walk every listener's (port.c).  Lock order:
 * nvmet_rdma_ports_lock -> rport->queues_lock -> queue->state_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/idr.h>
#include <linux/inet.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include <nvmet/compat-net.h>
#include <nvmet/fabric.h>
#include <nvmet/nvmet.h>

#include "nvmet-rdma.h"

static DEFINE_IDA(nvmet_rdma_queue_ida);

/*
 * Protects nvmet_rdma_ports and every listener's entry on it; held across
 * walks of the listeners' queue lists (outside their queues_lock), never
 * on a connection's or a command's path.
 */
static DEFINE_MUTEX(nvmet_rdma_ports_lock);
static LIST_HEAD(nvmet_rdma_ports);

/* From kref_put_mutex(), nvmet_rdma_ports_lock held: drops it. */
static void nvmet_rdma_port_release(struct kref *ref)
	__releases(&nvmet_rdma_ports_lock)
{
	struct nvmet_rdma_port *rport =
		container_of(ref, struct nvmet_rdma_port, ref);

	list_del(&rport->entry);
	mutex_unlock(&nvmet_rdma_ports_lock);
	WARN_ON_ONCE(!list_empty(&rport->queues));
	nvmet_port_put(rport->nport);
	/* delete_ctrl() may be looking at it under RCU. */
	kfree_rcu(rport, rcu);
}

/**
 * nvmet_rdma_port_register() - list a new listener, for device removal and
 * module exit
 * @rport: the listener, with its first reference
 *
 * Context: Process context; takes nvmet_rdma_ports_lock.
 */
void nvmet_rdma_port_register(struct nvmet_rdma_port *rport)
{
	mutex_lock(&nvmet_rdma_ports_lock);
	list_add_tail(&rport->entry, &nvmet_rdma_ports);
	mutex_unlock(&nvmet_rdma_ports_lock);
}

/**
 * nvmet_rdma_port_put() - drop a reference on a listener
 * @rport: the listener
 *
 * Context: Process context; the last put takes nvmet_rdma_ports_lock.
 */
void nvmet_rdma_port_put(struct nvmet_rdma_port *rport)
{
	kref_put_mutex(&rport->ref, nvmet_rdma_port_release,
		       &nvmet_rdma_ports_lock);
}

/**
 * nvmet_rdma_err() - report an error of a queue, naming the queue, its port
 * and its host
 * @queue: the queue
 * @fmt: printf format of the message, ending with a newline
 *
 * Hosts cause these, so they are rate-limited, all queues together.
 *
 * Context: Any context.
 */
void nvmet_rdma_err(const struct nvmet_rdma_queue *queue, const char *fmt, ...)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	struct va_format vaf;
	va_list args;

	if (!__ratelimit(&rs))
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("queue %d (port %u, host %pISpcs, qid %u): %pV", queue->idx,
	       queue->portid, &queue->cm_id->route.addr.dst_addr,
	       queue->host_qid, &vaf);
	va_end(args);
}

static void nvmet_rdma_qp_event(struct ib_event *event, void *context)
{
	struct nvmet_rdma_queue *queue = context;

	switch (event->event) {
	case IB_EVENT_COMM_EST:
		/* A command came before the CM's RTU: the CM must know. */
		rdma_notify(queue->cm_id, event->event);
		break;
	case IB_EVENT_QP_LAST_WQE_REACHED:
		/* On an SRQ: ib_drain_qp() waits for it. */
		break;
	default:
		nvmet_rdma_err(queue, "QP event %s (%d)\n",
			       ib_event_msg(event->event), event->event);
		break;
	}
}

static int nvmet_rdma_create_cq(struct nvmet_rdma_queue *queue)
{
	struct ib_device *ibdev = queue->ndev->ibdev;
	/* A receive, an RDMA READ and a SEND per slot, and two drains. */
	int nr_cqe = 3 * queue->nr_cmds + 2;

	queue->cq = ib_alloc_cq(ibdev, queue, nr_cqe, queue->comp_vector,
				IB_POLL_WORKQUEUE);
	if (IS_ERR(queue->cq)) {
		nvmet_rdma_err(queue, "cannot allocate a CQ of %d entries: %ld\n",
			       nr_cqe, PTR_ERR(queue->cq));
		return PTR_ERR(queue->cq);
	}
	return 0;
}

static int nvmet_rdma_create_qp(struct nvmet_rdma_queue *queue)
{
	struct ib_device *ibdev = queue->ndev->ibdev;
	struct ib_qp_init_attr attr = {
		.event_handler = nvmet_rdma_qp_event,
		.qp_context = queue,
		.send_cq = queue->cq,
		.recv_cq = queue->cq,
		.sq_sig_type = IB_SIGNAL_REQ_WR,
		.qp_type = IB_QPT_RC,
		.port_num = queue->cm_id->port_num,
		/* A SEND per slot, RDMA READ/WRITE on top, one drain. */
		.cap.max_send_wr = queue->nr_cmds + 1,
		.cap.max_rdma_ctxs = queue->nr_cmds,
		.cap.max_send_sge = min_t(u32, ibdev->attrs.max_send_sge,
					  NVMET_RDMA_MAX_SEND_SGE),
	};
	int ret;

	if (queue->srq) {
		attr.srq = queue->srq->srq;
	} else {
		/* A receive per slot, one drain. */
		attr.cap.max_recv_wr = queue->nr_cmds + 1;
		attr.cap.max_recv_sge = 1 + DIV_ROUND_UP(queue->inline_max,
							 PAGE_SIZE);
	}

	ret = rdma_create_qp(queue->cm_id, queue->ndev->pd, &attr);
	if (ret) {
		nvmet_rdma_err(queue, "cannot create a QP (%u send, %u recv WRs): %d\n",
			       attr.cap.max_send_wr, attr.cap.max_recv_wr, ret);
		return ret;
	}
	queue->qp = queue->cm_id->qp;
	queue->sq_wr_max = attr.cap.max_send_wr - 1;
	atomic_set(&queue->sq_wr_avail, queue->sq_wr_max);
	return 0;
}

/* Everything of the queue that is not IB or CM state. */
static int nvmet_rdma_init_queue(struct nvmet_rdma_queue *queue,
				 struct nvmet_rdma_port *rport,
				 struct rdma_cm_id *cm_id,
				 const struct nvmet_rdma_conn *conn)
{
	int ret;

	queue->kind = NVMET_RDMA_CTX_QUEUE;
	queue->cm_id = cm_id;
	queue->rport = rport;
	queue->nport = rport->nport;
	queue->portid = rport->portid;
	queue->host_qid = conn->qid;
	queue->sq_depth = conn->sq_depth;
	queue->nr_cmds = NVMET_RDMA_RECV_FACTOR * conn->sq_depth;
	queue->listen_any = nvmet_inet_addr_is_any(&rport->addr);
	/* Hosts send in-capsule data on I/O queues only (ICDOFF, IOCCSZ). */
	queue->inline_max = conn->qid ? rport->inline_data_size : 0;
	queue->state = NVMET_RDMA_Q_CONNECTING;
	spin_lock_init(&queue->state_lock);
	INIT_LIST_HEAD(&queue->entry);
	spin_lock_init(&queue->wr_lock);
	INIT_LIST_HEAD(&queue->wr_wait_list);
	init_waitqueue_head(&queue->idle_wait);
	spin_lock_init(&queue->slot_lock);
	INIT_LIST_HEAD(&queue->free_slots);
	INIT_LIST_HEAD(&queue->backlog);
	ret = ida_alloc(&nvmet_rdma_queue_ida, GFP_KERNEL);
	if (ret < 0)
		return ret;
	queue->idx = ret;
	ret = nvmet_sq_init(&queue->nvme_sq);
	if (ret)
		ida_free(&nvmet_rdma_queue_ida, queue->idx);
	return ret;
}

static int nvmet_rdma_check_inline(struct nvmet_rdma_queue *queue)
{
	if (queue->inline_max <= queue->ndev->inline_max)
		return 0;
	nvmet_rdma_err(queue, "%s takes at most %u bytes of in-capsule data, the port offers %u\n",
		       dev_name(&queue->ndev->ibdev->dev),
		       queue->ndev->inline_max, queue->inline_max);
	return -EINVAL;
}

static void nvmet_rdma_release_work(struct work_struct *work);

/**
 * nvmet_rdma_alloc_queue() - set a queue up for a connection request
 * @rport: the listener the request came to
 * @cm_id: the new connection's CM id
 * @conn: what the host asked for
 *
 * The queue has its QP and its receive buffers posted, but is not
 * published: the caller nvmet_rdma_publish_queue()s it, then accepts.
 *
 * Context: The RDMA-CM's event context (process context).
 * Return: the queue, or an ERR_PTR().
 */
struct nvmet_rdma_queue *
nvmet_rdma_alloc_queue(struct nvmet_rdma_port *rport,
		       struct rdma_cm_id *cm_id,
		       const struct nvmet_rdma_conn *conn)
{
	struct nvmet_rdma_queue *queue;
	int ret;

	queue = kzalloc(sizeof(*queue), GFP_KERNEL);
	if (!queue)
		return ERR_PTR(-ENOMEM);
	ret = nvmet_rdma_init_queue(queue, rport, cm_id, conn);
	if (ret)
		goto out_free_queue;
	INIT_WORK(&queue->release_work, nvmet_rdma_release_work);
	ret = -ENOMEM;
	queue->ndev = nvmet_rdma_device_get(cm_id->device,
					    rport->inline_data_size);
	if (!queue->ndev)
		goto out_destroy_sq;
	ret = nvmet_rdma_check_inline(queue);
	if (ret)
		goto out_put_device;
	queue->comp_vector = queue->idx % cm_id->device->num_comp_vectors;
	queue->srq = nvmet_rdma_queue_srq(queue);
	ret = nvmet_rdma_create_cq(queue);
	if (ret)
		goto out_put_device;
	ret = nvmet_rdma_create_qp(queue);
	if (ret)
		goto out_free_cq;
	ret = nvmet_rdma_alloc_cmds(queue);
	if (ret)
		goto out_destroy_qp;
	/* On an SRQ the QP takes its buffers once it is connected. */
	ret = queue->srq ? 0 : nvmet_rdma_post_all_recvs(queue);
	if (ret)
		goto out_free_cmds;
	kref_get(&rport->ref);
	return queue;

out_free_cmds:
	/* Receives posted so far: flush them before their buffers go. */
	ib_drain_qp(queue->qp);
	nvmet_rdma_free_cmds(queue);
out_destroy_qp:
	rdma_destroy_qp(cm_id);
out_free_cq:
	ib_free_cq(queue->cq);
out_put_device:
	nvmet_rdma_device_put(queue->ndev);
out_destroy_sq:
	nvmet_sq_destroy(&queue->nvme_sq);
	ida_free(&nvmet_rdma_queue_ida, queue->idx);
out_free_queue:
	kfree(queue);
	return ERR_PTR(ret);
}

/*
 * Free what a queue whose work requests all completed holds, but not the
 * structure and its CM id: the id's event handler may still look at them.
 */
static void nvmet_rdma_free_queue(struct nvmet_rdma_queue *queue)
{
	ib_drain_qp(queue->qp);
	if (queue->srq)
		nvmet_rdma_srq_queue_exit(queue);
	nvmet_rdma_free_cmds(queue);
	rdma_destroy_qp(queue->cm_id);
	ib_free_cq(queue->cq);
	nvmet_rdma_device_put(queue->ndev);
	nvmet_rdma_port_put(queue->rport);
	ida_free(&nvmet_rdma_queue_ida, queue->idx);
}

/**
 * nvmet_rdma_publish_queue() - make an accepted queue findable
 * @queue: the queue
 *
 * The listener is alive and listening (this runs from its connection
 * request), so remove_port() walks its list only after this.
 *
 * Context: Process context; takes the port's queues_lock.
 */
void nvmet_rdma_publish_queue(struct nvmet_rdma_queue *queue)
{
	struct nvmet_rdma_port *rport = queue->rport;

	spin_lock(&rport->queues_lock);
	list_add_tail(&queue->entry, &rport->queues);
	if (rport->closed)
		nvmet_rdma_schedule_release(queue);
	spin_unlock(&rport->queues_lock);
}

/**
 * nvmet_rdma_schedule_release() - start tearing a queue down
 * @queue: the queue
 *
 * Context: Any context; takes queue->state_lock.
 */
void nvmet_rdma_schedule_release(struct nvmet_rdma_queue *queue)
{
	unsigned long flags;

	spin_lock_irqsave(&queue->state_lock, flags);
	if (queue->state != NVMET_RDMA_Q_DISCONNECTING) {
		WRITE_ONCE(queue->state, NVMET_RDMA_Q_DISCONNECTING);
		queue_work(nvmet_rdma_wq, &queue->release_work);
	}
	spin_unlock_irqrestore(&queue->state_lock, flags);
}

/**
 * nvmet_rdma_set_live() - the RDMA-CM established the connection
 * @queue: the queue
 *
 * Context: The RDMA-CM's event context; takes queue->state_lock.
 */
void nvmet_rdma_set_live(struct nvmet_rdma_queue *queue)
{
	spin_lock_irq(&queue->state_lock);
	if (queue->state == NVMET_RDMA_Q_CONNECTING)
		WRITE_ONCE(queue->state, NVMET_RDMA_Q_LIVE);
	spin_unlock_irq(&queue->state_lock);
}

static void nvmet_rdma_release_work(struct work_struct *work)
{
	struct nvmet_rdma_queue *queue =
		container_of(work, struct nvmet_rdma_queue, release_work);
	struct nvmet_rdma_port *rport = queue->rport;
	struct rdma_cm_id *cm_id = queue->cm_id;
	bool parked;

	spin_lock(&rport->queues_lock);
	list_del_init(&queue->entry);
	spin_unlock(&rport->queues_lock);

	/* Without its address, the DREQ waits for it (park.c). */
	parked = nvmet_rdma_src_gone(cm_id);
	if (!parked)
		rdma_disconnect(cm_id);
	ib_drain_qp(queue->qp);
	nvmet_sq_destroy(&queue->nvme_sq);
	wait_event(queue->idle_wait, nvmet_rdma_sq_idle(queue));
	WRITE_ONCE(queue->parked, parked);
	nvmet_rdma_free_queue(queue);
	if (parked) {
		nvmet_rdma_park(queue);
		return;
	}
	/* No event handler of the id runs once this returns. */
	rdma_destroy_id(cm_id);
	kfree(queue);
}

/* Schedule the release of every queue of @rport that @match() selects. */
static void nvmet_rdma_close_queues(struct nvmet_rdma_port *rport,
				    bool (*match)(struct nvmet_rdma_queue *,
						  const void *),
				    const void *data)
{
	struct nvmet_rdma_queue *queue;

	spin_lock(&rport->queues_lock);
	list_for_each_entry(queue, &rport->queues, entry) {
		if (match(queue, data))
			nvmet_rdma_schedule_release(queue);
	}
	spin_unlock(&rport->queues_lock);
}

static bool nvmet_rdma_match_ctrl(struct nvmet_rdma_queue *queue,
				  const void *ctrl)
{
	return READ_ONCE(queue->nvme_sq.ctrl) == ctrl;
}

static bool nvmet_rdma_match_device(struct nvmet_rdma_queue *queue,
				    const void *ibdev)
{
	return queue->ndev->ibdev == ibdev;
}

static bool nvmet_rdma_match_all(struct nvmet_rdma_queue *queue,
				 const void *unused)
{
	return true;
}

/**
 * nvmet_rdma_close_port_queues() - disconnect every queue of a port
 * @rport: the listener, destroyed already
 *
 * No queue joins the port afterwards.  Does not wait for the queues to be
 * gone.
 *
 * Context: Process context; takes rport->queues_lock.
 */
void nvmet_rdma_close_port_queues(struct nvmet_rdma_port *rport)
{
	spin_lock(&rport->queues_lock);
	rport->closed = true;
	spin_unlock(&rport->queues_lock);
	nvmet_rdma_close_queues(rport, nvmet_rdma_match_all, NULL);
}

/* The listener of a controller's port, referenced, or NULL once gone. */
static struct nvmet_rdma_port *nvmet_rdma_ctrl_rport(struct nvmet_ctrl *ctrl)
{
	struct nvmet_port *nport = nvmet_ctrl_port(ctrl);
	struct nvmet_rdma_port *rport;

	rcu_read_lock();
	rport = READ_ONCE(nport->priv);
	if (rport && !kref_get_unless_zero(&rport->ref))
		rport = NULL;
	rcu_read_unlock();
	return rport;
}

/**
 * nvmet_rdma_delete_ctrl() - disconnect every queue of a controller
 * @ctrl: the controller, referenced by the caller
 *
 * All its queues came through its port, so only that port's list is
 * walked.  When the port's listener is gone, remove_port() closed them.
 * Does not wait for the queues to be gone.
 *
 * Context: Process context; takes the port's queues_lock.
 */
void nvmet_rdma_delete_ctrl(struct nvmet_ctrl *ctrl)
{
	struct nvmet_rdma_port *rport = nvmet_rdma_ctrl_rport(ctrl);

	if (!rport)
		return;
	nvmet_rdma_close_queues(rport, nvmet_rdma_match_ctrl, ctrl);
	nvmet_rdma_port_put(rport);
}

/**
 * nvmet_rdma_close_device_queues() - free every queue of a device
 * @ibdev: the device, being removed
 *
 * Waits until they are gone, so the device object is too.
 *
 * Context: Process context (the ib_client remove callback).
 */
void nvmet_rdma_close_device_queues(struct ib_device *ibdev)
{
	struct nvmet_rdma_port *rport;

	if (!nvmet_rdma_device_known(ibdev))
		return;
	mutex_lock(&nvmet_rdma_ports_lock);
	list_for_each_entry(rport, &nvmet_rdma_ports, entry)
		nvmet_rdma_close_queues(rport, nvmet_rdma_match_device, ibdev);
	mutex_unlock(&nvmet_rdma_ports_lock);
	flush_workqueue(nvmet_rdma_wq);
}

/**
 * nvmet_rdma_install_queue() - Connect sized the queue: check it fits
 * @sq: the submission queue Connect set up (qid and size)
 *
 * Context: Process context (Connect execution).
 * Return: an NVMe status.
 */
u16 nvmet_rdma_install_queue(struct nvmet_sq *sq)
{
	struct nvmet_rdma_queue *queue =
		container_of(sq, struct nvmet_rdma_queue, nvme_sq);

	if (sq->qid != queue->host_qid || sq->size > queue->sq_depth) {
		nvmet_rdma_err(queue, "Connect for qid %u size %u does not match the connection (qid %u size %u)\n",
			       sq->qid, sq->size, queue->host_qid,
			       queue->sq_depth);
		return NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR;
	}
	return NVME_SC_SUCCESS;
}

/**
 * nvmet_rdma_queues_exit() - free every queue left and wait until all are
 *
 * No port is enabled any more, so no queue can be created, and
 * remove_port() closed every queue already; this is the safety net.
 *
 * Context: Module exit.
 */
void nvmet_rdma_queues_exit(void)
{
	struct nvmet_rdma_port *rport;

	mutex_lock(&nvmet_rdma_ports_lock);
	list_for_each_entry(rport, &nvmet_rdma_ports, entry)
		nvmet_rdma_close_queues(rport, nvmet_rdma_match_all, NULL);
	mutex_unlock(&nvmet_rdma_ports_lock);
	flush_workqueue(nvmet_rdma_wq);
	nvmet_rdma_park_exit();
	mutex_lock(&nvmet_rdma_ports_lock);
	WARN_ON(!list_empty(&nvmet_rdma_ports));
	mutex_unlock(&nvmet_rdma_ports_lock);
	ida_destroy(&nvmet_rdma_queue_ida);
}
