// SPDX-License-Identifier: GPL-2.0-only
/*
 * Command slots: the request, the response capsule and the prepared work
 * requests of each slot.  Without a shared receive queue each slot has a
 * receive buffer of its own (recv.c), bound to it for the life of the
 * queue; with one, a slot holds a copy of its command, and the buffers
 * are the SRQ's.  Buffers are DMA-mapped once, for the life of the queue.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "nvmet-rdma.h"

static void nvmet_rdma_free_cmd(struct nvmet_rdma_queue *queue,
				struct nvmet_rdma_cmd *cmd)
{
	struct ib_device *ibdev = queue->ndev->ibdev;

	if (cmd->rw_wrs)
		rdma_rw_ctx_destroy(&cmd->rw, queue->qp, queue->cm_id->port_num,
				    cmd->req.sg, cmd->req.sg_cnt, cmd->rw_dir);
	if (cmd->req.sg && !cmd->inline_data)
		nvmet_req_free_sgl(&cmd->req);
	if (cmd->cqe) {
		ib_dma_unmap_single(ibdev, cmd->cqe_dma, sizeof(*cmd->cqe),
				    DMA_TO_DEVICE);
		kfree(cmd->cqe);
	}
	/* Without an SRQ, the receive buffer's: freed with queue->recvs. */
	if (queue->srq)
		kfree(cmd->sqe);
}

/* Allocate and map @size bytes; NULL on failure. */
static void *nvmet_rdma_alloc_mapped(struct ib_device *ibdev, size_t size,
				     enum dma_data_direction dir, u64 *dma)
{
	void *buf = kmalloc(size, GFP_KERNEL);

	if (!buf)
		return NULL;
	*dma = ib_dma_map_single(ibdev, buf, size, dir);
	if (ib_dma_mapping_error(ibdev, *dma)) {
		kfree(buf);
		return NULL;
	}
	return buf;
}

static void nvmet_rdma_init_wrs(struct nvmet_rdma_queue *queue,
				struct nvmet_rdma_cmd *cmd)
{
	cmd->send_sge.addr = cmd->cqe_dma;
	cmd->send_sge.length = sizeof(*cmd->cqe);
	cmd->send_sge.lkey = queue->ndev->pd->local_dma_lkey;
	cmd->send_cqe.done = nvmet_rdma_send_done;
	cmd->send_wr.wr_cqe = &cmd->send_cqe;
	cmd->send_wr.sg_list = &cmd->send_sge;
	cmd->send_wr.num_sge = 1;
	cmd->send_wr.opcode = IB_WR_SEND;
	cmd->send_wr.send_flags = IB_SEND_SIGNALED;
	cmd->read_cqe.done = nvmet_rdma_read_done;
}

/* The command of a slot: its receive buffer's, or a copy with an SRQ. */
static int nvmet_rdma_init_sqe(struct nvmet_rdma_queue *queue,
			       struct nvmet_rdma_cmd *cmd, unsigned int i)
{
	struct nvmet_rdma_recv *recv;
	int ret;

	if (queue->srq) {
		cmd->sqe = kmalloc(sizeof(*cmd->sqe), GFP_KERNEL);
		return cmd->sqe ? 0 : -ENOMEM;
	}
	recv = &queue->recvs[i];
	ret = nvmet_rdma_recv_init(recv, queue->ndev, queue->inline_max);
	if (ret)
		return ret;
	recv->qp = queue->qp;
	recv->cmd = cmd;
	cmd->recv = recv;
	cmd->sqe = recv->sqe;
	return 0;
}

static int nvmet_rdma_init_cmd(struct nvmet_rdma_queue *queue,
			       struct nvmet_rdma_cmd *cmd, unsigned int i)
{
	struct ib_device *ibdev = queue->ndev->ibdev;

	cmd->queue = queue;
	INIT_LIST_HEAD(&cmd->wait_entry);
	INIT_LIST_HEAD(&cmd->free_entry);
	sg_init_table(cmd->inline_sg, NVMET_RDMA_MAX_INLINE_PAGES);
	if (nvmet_rdma_init_sqe(queue, cmd, i))
		return -ENOMEM;
	cmd->cqe = nvmet_rdma_alloc_mapped(ibdev, sizeof(*cmd->cqe),
					   DMA_TO_DEVICE, &cmd->cqe_dma);
	if (!cmd->cqe)
		return -ENOMEM;
	nvmet_rdma_init_wrs(queue, cmd);
	cmd->req.cmd = cmd->sqe;
	cmd->req.cqe = cmd->cqe;
	cmd->req.fabric_priv = cmd;
	return 0;
}

/**
 * nvmet_rdma_alloc_cmds() - allocate the command slots of a queue, and
 * their receive buffers when the queue has no SRQ
 * @queue: the queue, with its nr_cmds, inline_max, device, SRQ and QP set
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int nvmet_rdma_alloc_cmds(struct nvmet_rdma_queue *queue)
{
	unsigned int i;

	queue->cmds = kvcalloc(queue->nr_cmds, sizeof(*queue->cmds),
			       GFP_KERNEL);
	if (!queue->cmds)
		return -ENOMEM;
	if (!queue->srq) {
		queue->recvs = kvcalloc(queue->nr_cmds, sizeof(*queue->recvs),
					GFP_KERNEL);
		if (!queue->recvs) {
			kvfree(queue->cmds);
			queue->cmds = NULL;
			return -ENOMEM;
		}
	}
	for (i = 0; i < queue->nr_cmds; i++) {
		if (nvmet_rdma_init_cmd(queue, &queue->cmds[i], i)) {
			nvmet_rdma_free_cmds(queue);
			return -ENOMEM;
		}
	}
	if (queue->srq)
		nvmet_rdma_srq_init_slots(queue);
	return 0;
}

/**
 * nvmet_rdma_free_cmds() - free the command slots of a queue
 * @queue: the queue; no work request of it is posted any more
 *
 * Context: Process context.
 */
void nvmet_rdma_free_cmds(struct nvmet_rdma_queue *queue)
{
	unsigned int i;

	for (i = 0; i < queue->nr_cmds; i++)
		nvmet_rdma_free_cmd(queue, &queue->cmds[i]);
	if (queue->recvs) {
		for (i = 0; i < queue->nr_cmds; i++)
			nvmet_rdma_recv_free(&queue->recvs[i]);
		kvfree(queue->recvs);
		queue->recvs = NULL;
	}
	kvfree(queue->cmds);
	queue->cmds = NULL;
}

/**
 * nvmet_rdma_post_all_recvs() - post the receive buffers of a new queue
 * @queue: the queue, not yet accepted, without an SRQ
 *
 * Context: Process context.
 * Return: 0 or -errno.
 */
int nvmet_rdma_post_all_recvs(struct nvmet_rdma_queue *queue)
{
	unsigned int i;
	int ret;

	for (i = 0; i < queue->nr_cmds; i++) {
		ret = nvmet_rdma_post_recv(&queue->recvs[i]);
		if (ret) {
			nvmet_rdma_err(queue, "cannot post a receive: %d\n",
				       ret);
			return ret;
		}
	}
	return 0;
}
