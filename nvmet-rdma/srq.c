// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared receive queues (module parameter use_srq, off by default).
 *
 * A device object with use_srq gets one SRQ per completion vector, up to
 * the device's max_srq, each with srq_size receive buffers (recv.c) that
 * take the in-capsule data of the port that brought the device in.  A
 * queue uses the SRQ of its completion vector if that SRQ's buffers hold
 * the queue's in-capsule data; otherwise, or when the device has no SRQs
 * or creating them failed, it posts receive buffers of its own as without
 * use_srq.
 *
 * Receive completions of an SRQ arrive on the CQ of the QP that took the
 * buffer, so cq->cq_context (wc->qp's queue) names the queue a capsule
 * belongs to.  The queue gives it a free command slot of its own: slots
 * are 2 * sq_depth as without an SRQ, so one queue holds at most that
 * many buffers in commands.  The command is copied into the slot, and the
 * buffer goes back to the SRQ at once, unless the capsule carries
 * in-capsule data, whose pages req->sg points at: then the buffer goes
 * back in queue_response(), when the command has ended (as in-tree).  A
 * capsule that finds no free slot waits on the queue's backlog, in order,
 * and takes the next slot a send completion frees; more than sq_depth of
 * them means the host does not keep to its queue size, and the queue is
 * closed.  (In-tree allocates an extra response with kzalloc() instead,
 * and drops the capsule when that fails.)
 *
 * Every buffer a queue took goes back to its SRQ: after use, with a
 * receive error or flush, when the queue is DISCONNECTING, on a dropped
 * command, and from the backlog at teardown.  Buffers still posted belong
 * to the SRQ, not to a queue: a queue's teardown leaves them there.  Its
 * ib_drain_qp() moves the QP to the error state and, since 6.11, waits
 * for the Last WQE Reached event and polls the CQ directly: receive and
 * send completions may then run in the release work beside the CQ's
 * workqueue.  The queue is DISCONNECTING by then, so a receive completion
 * only gives its buffer back; the slot lists are under queue->slot_lock.
 * The SRQs are destroyed with the device object, after its last queue's
 * QP (each queue holds a device reference), so device removal, which
 * frees every queue of the device first, destroys them last.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "nvmet-rdma.h"

static bool nvmet_rdma_use_srq;
module_param_named(use_srq, nvmet_rdma_use_srq, bool, 0444);
MODULE_PARM_DESC(use_srq, "Use shared receive queues (default: off)");

static int nvmet_rdma_srq_size_set(const char *val,
				   const struct kernel_param *kp)
{
	int n, ret;

	ret = kstrtoint(val, 0, &n);
	if (ret || n < NVMET_RDMA_MIN_SRQ_SIZE ||
	    n > NVMET_RDMA_MAX_SRQ_SIZE) {
		pr_err("srq_size must be %d to %d, not %.*s\n",
		       NVMET_RDMA_MIN_SRQ_SIZE, NVMET_RDMA_MAX_SRQ_SIZE,
		       (int)strcspn(val, "\n"), val);
		return -EINVAL;
	}
	WRITE_ONCE(*(int *)kp->arg, n);
	return 0;
}

static const struct kernel_param_ops nvmet_rdma_srq_size_ops = {
	.set = nvmet_rdma_srq_size_set,
	.get = param_get_int,
};

static int nvmet_rdma_srq_size = NVMET_RDMA_DEF_SRQ_SIZE;
module_param_cb(srq_size, &nvmet_rdma_srq_size_ops, &nvmet_rdma_srq_size,
		0644);
MODULE_PARM_DESC(srq_size,
		 "Receive buffers per shared receive queue, 256 to 65535 (default: 1024)");

static void nvmet_rdma_destroy_srq(struct nvmet_rdma_srq *srq)
{
	unsigned int i;

	/* No QP is attached any more: posted buffers just go. */
	ib_destroy_srq(srq->srq);
	for (i = 0; i < srq->nr_recvs; i++)
		nvmet_rdma_recv_free(&srq->recvs[i]);
	kvfree(srq->recvs);
}

static int nvmet_rdma_srq_alloc_recvs(struct nvmet_rdma_srq *srq, u32 nr)
{
	unsigned int i;
	int ret;

	srq->recvs = kvcalloc(nr, sizeof(*srq->recvs), GFP_KERNEL);
	if (!srq->recvs)
		return -ENOMEM;
	srq->nr_recvs = nr;
	for (i = 0; i < nr; i++) {
		srq->recvs[i].srq = srq;
		ret = nvmet_rdma_recv_init(&srq->recvs[i], srq->ndev,
					   srq->inline_size);
		if (ret)
			return ret;
	}
	for (i = 0; i < nr; i++) {
		ret = nvmet_rdma_post_recv(&srq->recvs[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int nvmet_rdma_create_srq(struct nvmet_rdma_device *ndev,
				 struct nvmet_rdma_srq *srq, u32 nr)
{
	struct ib_srq_init_attr attr = {
		.attr.max_wr = nr,
		.attr.max_sge = 1 + DIV_ROUND_UP(srq->inline_size, PAGE_SIZE),
		.srq_type = IB_SRQT_BASIC,
	};
	int ret;

	srq->ndev = ndev;
	srq->srq = ib_create_srq(ndev->pd, &attr);
	if (IS_ERR(srq->srq))
		return PTR_ERR(srq->srq);
	ret = nvmet_rdma_srq_alloc_recvs(srq, nr);
	if (ret)
		nvmet_rdma_destroy_srq(srq);
	return ret;
}

/* In-capsule data an SRQ buffer of @ibdev can take, up to @inline_size. */
static u32 nvmet_rdma_srq_inline(struct ib_device *ibdev, u32 inline_size)
{
	u32 sge = min_t(u32, ibdev->attrs.max_srq_sge,
			1 + NVMET_RDMA_MAX_INLINE_PAGES);
	u32 max = sge > 1 ? (sge - 1) * PAGE_SIZE : 0;

	return min(inline_size, max);
}

/**
 * nvmet_rdma_create_srqs() - give a new device object its shared receive
 * queues, with use_srq
 * @ndev: the device object, with its PD
 * @inline_size: in-capsule data of the port whose queue brought it in
 *
 * A device without SRQs, or whose SRQs cannot be created, has none: its
 * queues post receive buffers of their own.
 *
 * Context: Process context.
 */
void nvmet_rdma_create_srqs(struct nvmet_rdma_device *ndev, u32 inline_size)
{
	struct ib_device_attr *attrs = &ndev->ibdev->attrs;
	const char *name = dev_name(&ndev->ibdev->dev);
	unsigned int i, nr;
	u32 size;
	int ret = -ENOMEM;

	if (!nvmet_rdma_use_srq)
		return;
	if (!attrs->max_srq || !attrs->max_srq_wr) {
		pr_info("%s has no shared receive queues: its queues use their own\n",
			name);
		return;
	}
	nr = min_t(unsigned int, ndev->ibdev->num_comp_vectors,
		   attrs->max_srq);
	size = min_t(u32, READ_ONCE(nvmet_rdma_srq_size), attrs->max_srq_wr);
	inline_size = nvmet_rdma_srq_inline(ndev->ibdev, inline_size);
	ndev->srqs = kcalloc(nr, sizeof(*ndev->srqs), GFP_KERNEL);
	if (!ndev->srqs)
		goto out_warn;
	for (i = 0; i < nr; i++) {
		ndev->srqs[i].idx = i;
		ndev->srqs[i].inline_size = inline_size;
		ret = nvmet_rdma_create_srq(ndev, &ndev->srqs[i], size);
		if (ret)
			goto out_destroy;
	}
	ndev->nr_srqs = nr;
	pr_info("%s: %u shared receive queues of %u entries, %u bytes of in-capsule data\n",
		name, nr, size, inline_size);
	return;

out_destroy:
	while (i--)
		nvmet_rdma_destroy_srq(&ndev->srqs[i]);
	kfree(ndev->srqs);
	ndev->srqs = NULL;
out_warn:
	pr_warn("%s: cannot create shared receive queues (%d): its queues use their own\n",
		name, ret);
}

/**
 * nvmet_rdma_destroy_srqs() - destroy the shared receive queues of a device
 * @ndev: the device object, without queues
 *
 * Context: Process context.
 */
void nvmet_rdma_destroy_srqs(struct nvmet_rdma_device *ndev)
{
	unsigned int i;

	for (i = 0; i < ndev->nr_srqs; i++)
		nvmet_rdma_destroy_srq(&ndev->srqs[i]);
	kfree(ndev->srqs);
	ndev->srqs = NULL;
	ndev->nr_srqs = 0;
}

/**
 * nvmet_rdma_queue_srq() - the shared receive queue a new queue uses
 * @queue: the queue, with its device, comp_vector and inline_max
 *
 * Context: Any context.
 * Return: the SRQ of the queue's completion vector, or NULL when the
 * device has none or its buffers are too small for the queue's in-capsule
 * data.
 */
struct nvmet_rdma_srq *nvmet_rdma_queue_srq(struct nvmet_rdma_queue *queue)
{
	struct nvmet_rdma_device *ndev = queue->ndev;
	struct nvmet_rdma_srq *srq;

	if (!ndev->nr_srqs)
		return NULL;
	srq = &ndev->srqs[queue->comp_vector % ndev->nr_srqs];
	if (queue->inline_max > srq->inline_size) {
		pr_debug("queue %d: %u bytes of in-capsule data, SRQ %u takes %u: own receive queue\n",
			 queue->idx, queue->inline_max, srq->idx,
			 srq->inline_size);
		return NULL;
	}
	return srq;
}

/**
 * nvmet_rdma_srq_init_slots() - put every command slot of a new queue on
 * its free list
 * @queue: the queue, on an SRQ, with its slots
 *
 * Context: Process context.
 */
void nvmet_rdma_srq_init_slots(struct nvmet_rdma_queue *queue)
{
	unsigned int i;

	for (i = 0; i < queue->nr_cmds; i++)
		list_add_tail(&queue->cmds[i].free_entry, &queue->free_slots);
}

/**
 * nvmet_rdma_srq_repost() - give a receive buffer back to its SRQ
 * @recv: the buffer, no longer used
 *
 * A failure costs the SRQ one buffer, not the queue.
 *
 * Context: Any context.
 */
void nvmet_rdma_srq_repost(struct nvmet_rdma_recv *recv)
{
	int ret = nvmet_rdma_post_recv(recv);

	if (unlikely(ret))
		pr_err_ratelimited("%s: SRQ %u: cannot post a receive: %d\n",
				   dev_name(&recv->ibdev->dev), recv->srq->idx,
				   ret);
}

/* Start the command of @recv in the free slot @cmd. */
static void nvmet_rdma_srq_start(struct nvmet_rdma_cmd *cmd,
				 struct nvmet_rdma_recv *recv, u32 byte_len)
{
	memcpy(cmd->sqe, recv->sqe, sizeof(*cmd->sqe));
	if (byte_len > sizeof(*cmd->sqe)) {
		/* In-capsule data: the buffer stays until the command ends. */
		cmd->recv = recv;
	} else {
		cmd->recv = NULL;
		nvmet_rdma_srq_repost(recv);
	}
	nvmet_rdma_handle_cmd(cmd->queue, cmd, byte_len);
}

/**
 * nvmet_rdma_srq_recv() - a capsule came in on a queue from its SRQ
 * @queue: the queue whose QP took the buffer, not DISCONNECTING
 * @recv: the buffer, synced for the CPU
 * @byte_len: the capsule's length
 *
 * Context: The queue's CQ (process context); takes queue->slot_lock.
 */
void nvmet_rdma_srq_recv(struct nvmet_rdma_queue *queue,
			 struct nvmet_rdma_recv *recv, u32 byte_len)
{
	struct nvmet_rdma_cmd *cmd = NULL;
	bool overrun = false;

	spin_lock(&queue->slot_lock);
	if (likely(list_empty(&queue->backlog)))
		cmd = list_first_entry_or_null(&queue->free_slots,
					       struct nvmet_rdma_cmd,
					       free_entry);
	if (likely(cmd)) {
		list_del_init(&cmd->free_entry);
	} else if (queue->nr_backlog < queue->sq_depth) {
		recv->byte_len = byte_len;
		list_add_tail(&recv->backlog_entry, &queue->backlog);
		queue->nr_backlog++;
	} else {
		overrun = true;
	}
	spin_unlock(&queue->slot_lock);

	if (likely(cmd)) {
		nvmet_rdma_srq_start(cmd, recv, byte_len);
	} else if (overrun) {
		nvmet_rdma_err(queue, "more than %u commands in flight on a queue of %u\n",
			       queue->nr_cmds + queue->sq_depth,
			       queue->sq_depth);
		nvmet_rdma_srq_repost(recv);
		nvmet_rdma_schedule_release(queue);
	}
}

/**
 * nvmet_rdma_srq_put_slot() - a slot of a queue on an SRQ is free again
 * @cmd: the slot, its buffer given back
 *
 * The oldest capsule on the backlog takes it.
 *
 * Context: The queue's CQ (process context); takes queue->slot_lock.
 */
void nvmet_rdma_srq_put_slot(struct nvmet_rdma_cmd *cmd)
{
	struct nvmet_rdma_queue *queue = cmd->queue;
	struct nvmet_rdma_recv *recv;

	spin_lock(&queue->slot_lock);
	recv = list_first_entry_or_null(&queue->backlog,
					struct nvmet_rdma_recv, backlog_entry);
	if (unlikely(recv)) {
		list_del_init(&recv->backlog_entry);
		queue->nr_backlog--;
	} else {
		list_add(&cmd->free_entry, &queue->free_slots);
	}
	spin_unlock(&queue->slot_lock);

	if (unlikely(recv))
		nvmet_rdma_srq_start(cmd, recv, recv->byte_len);
}

/**
 * nvmet_rdma_srq_cmd_done() - a command no longer needs its capsule
 * @cmd: a slot of a queue on an SRQ
 *
 * Gives the buffer of in-capsule data back, if the slot holds one.
 *
 * Context: Any context.
 */
void nvmet_rdma_srq_cmd_done(struct nvmet_rdma_cmd *cmd)
{
	struct nvmet_rdma_recv *recv = cmd->recv;

	if (!recv)
		return;
	cmd->recv = NULL;
	nvmet_rdma_srq_repost(recv);
}

/**
 * nvmet_rdma_srq_queue_exit() - give back every buffer a queue still has
 * @queue: the queue, on an SRQ, drained: no command of it runs
 *
 * Context: Process context (the release work); takes queue->slot_lock.
 */
void nvmet_rdma_srq_queue_exit(struct nvmet_rdma_queue *queue)
{
	struct nvmet_rdma_recv *recv, *next;
	unsigned int i;
	LIST_HEAD(backlog);

	spin_lock(&queue->slot_lock);
	list_splice_init(&queue->backlog, &backlog);
	queue->nr_backlog = 0;
	spin_unlock(&queue->slot_lock);
	list_for_each_entry_safe(recv, next, &backlog, backlog_entry) {
		list_del_init(&recv->backlog_entry);
		nvmet_rdma_srq_repost(recv);
	}
	for (i = 0; i < queue->nr_cmds; i++)
		nvmet_rdma_srq_cmd_done(&queue->cmds[i]);
}
